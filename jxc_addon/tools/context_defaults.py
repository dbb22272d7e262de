def context_defaults(model):
    """{field name: value} of the context's ``default_<field>`` keys for the fields of ``model``.

    Odoo's ``create`` fills a field the values leave out with the context's default, and the
    client writes the context: a check of what a user may set on a new record checks these
    as if they were in the values (``{**context_defaults(model), **vals}``).
    """
    return {
        key.removeprefix("default_"): value for key, value in model.env.context.items()
        if key.startswith("default_") and key.removeprefix("default_") in model._fields
    }
