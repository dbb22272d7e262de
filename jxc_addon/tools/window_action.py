def window_action(env, xml_id, domain, context=None):
    """The window action ``xml_id`` listing only the records of ``domain``, for smart buttons
    and dashboard tiles. ``context``, when given, replaces the action's own (its default
    filters and grouping would narrow the list further)."""
    action = env["ir.actions.act_window"]._for_xml_id(xml_id)
    action["domain"] = domain
    if context is not None:
        action["context"] = context
    return action


def dialog_action(record, name, context=None):
    """The action opening ``record`` (a wizard just created) in a dialog titled ``name``."""
    action = {
        "type": "ir.actions.act_window",
        "name": name,
        "res_model": record._name,
        "res_id": record.id,
        "view_mode": "form",
        "views": [(False, "form")],
        "target": "new",
    }
    if context is not None:
        action["context"] = context
    return action


def notification_action(message, kind="info", title=None, sticky=None, next_action=None):
    """Odoo's client notification (``display_notification``) of ``message`` (``kind``: info,
    success, warning, danger), then ``next_action`` (an action dict), if any, once shown."""
    params = {"type": kind, "message": message}
    for key, value in (("title", title), ("sticky", sticky), ("next", next_action)):
        if value is not None:
            params[key] = value
    return {"type": "ir.actions.client", "tag": "display_notification", "params": params}
