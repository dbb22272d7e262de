"""The part of a ``write``'s values that would change a record."""


def changed_values(record, vals):
    """``vals`` without the values ``record`` already holds, compared as a write would store and
    read them back (a float rounded to its digits, a relation as a record): writing an unchanged
    value still runs the overrides that watch the field (the purchase plan's change notes)."""
    record.ensure_one()
    fields_ = record._fields
    return {
        name: value for name, value in vals.items()
        if record[name] != fields_[name].convert_to_record(fields_[name].convert_to_cache(value, record), record)
    }
