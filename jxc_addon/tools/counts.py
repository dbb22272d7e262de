def count_by(records, model_name, field_name):
    """How many ``model_name`` records point to each of ``records`` through ``field_name``:
    ``{record: count}`` from one grouped read, for the smart buttons' counters."""
    return dict(records.env[model_name]._read_group(
        [(field_name, "in", records.ids)], [field_name], ["__count"],
    ))
