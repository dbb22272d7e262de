"""The defaults a client writes.

Odoo's ``create`` fills a field the values leave out from the context's ``default_<field>``
keys, then from the ``ir.default`` values of the user and company (``default_get``), before
the field's own default. Clients write both: the context with every call, and any internal
user his personal defaults with ``ir.default.set``. A check of what a user may set on a new
record checks them as values (``{**client_defaults(model), **vals}``); a record the system
creates as superuser (which keeps the user's id, so his personal defaults) takes the fields'
own defaults instead (``without_client_defaults``). A button whose work creates records of
Odoo's models as superuser drops the context's ``default_`` keys first
(``ignore_context_defaults``).
"""

import functools

from odoo.tools import clean_context


def client_defaults(model):
    """{field name: value} that Odoo's ``create`` would fill, for a field the values leave
    out, from the context or the ``ir.default`` values of the user and company."""
    values = {
        name: value for name, value in model.env["ir.default"]._get_model_defaults(model._name).items()
        if name in model._fields
    }
    values.update({
        key.removeprefix("default_"): value for key, value in model.env.context.items()
        if key.startswith("default_") and key.removeprefix("default_") in model._fields
    })
    return values


def without_client_defaults(model, vals_list, names=None):
    """``vals_list`` with each field (of ``names``, by default any) that a client default
    would fill given the field's own default (empty without one)."""
    fill = {}
    for name in client_defaults(model):
        if names is not None and name not in names:
            continue
        field = model._fields[name]
        value = field.default(model) if field.default and not field.company_dependent else False
        fill[name] = field.convert_to_write(field.convert_to_cache(value, model), model)
    return [{**fill, **vals} for vals in vals_list] if fill else vals_list


def check_client_defaults(model, vals_list, names, check):
    """``vals_list`` for ``model.create`` where the fields ``names`` are the system's to set: a
    user's client defaults go through ``check`` with the values (``check(vals_list)`` raises on
    what he may not set); as superuser those fields take their own defaults instead."""
    if model.env.su:
        return without_client_defaults(model, vals_list, names)
    defaults = client_defaults(model)
    check([{**defaults, **vals} for vals in vals_list])
    return vals_list


def ignore_context_defaults(method):
    """Decorator of a button that creates records of Odoo's models as superuser (the
    stocktake's adjustment moves and quants): it runs without the ``default_`` keys of the client's
    context, which would otherwise fill those records' fields that the user may not set (a
    vendor's order line or an origin on an adjustment)."""

    @functools.wraps(method)
    def button(self, *args, **kwargs):
        return method(self.with_context(clean_context(self.env.context)), *args, **kwargs)

    return button
