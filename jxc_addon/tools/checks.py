from odoo.exceptions import ValidationError

# The longest span of days a setting may give (a history, a look-back, a cover): ten years. A
# mistyped 1,000,000 days would only fail at the next computation, past the last date Python has.
MAX_DAYS = 3650


def check_each(records, is_valid, message, **values):
    """Raise ``message`` as a ValidationError for the first of ``records`` that is not ``is_valid``.

    ``message`` comes translated by the caller (``env._("…")`` without arguments, so that it is
    extracted and translated where it is written) and is filled here with, for every keyword,
    the record's value of the field it names: one shape for the add-on's range checks on
    settings, profiles and tolerances.
    """
    for record in records:
        if not is_valid(record):
            raise ValidationError(message % {key: record[field] for key, field in values.items()})
