"""Batch versions of two ORM steps that Odoo runs record by record.

For the add-on's OWN tables only (purchase plan lines, safety-stock logs, supplier
evaluations), written by the thousand: ``bulk_write``/``bulk_create`` store what
``write``/``create`` store in one statement. Odoo's tables (reordering rules, quants,
moves...) are written through the ORM, so that other modules' overrides, inverses,
constraints and recomputations run. ``check_company_batch`` is ``_check_company`` for a
batch, falling back to Odoo's own check for anything it does not handle.
"""

from odoo import fields, models
from odoo.tools import SQL

from .sql_array import sql_array


def _unnest(model, names, vals_list, records=None):
    """The columns of ``vals_list`` as SQL arrays for ``unnest`` and, per field, the SQL
    expression of its value as Odoo stores it: Float fields with digits rounded to their
    scale (in SQL, as ``convert_to_column`` rounds), relations as ids, Monetary fields
    rounded to the currency of ``records[i]`` (without records, the caller has rounded
    them), other values converted by the field."""
    model_fields = [model._fields[name] for name in names]
    arrays, values = [], []
    currencies = {}  # currency field -> the currency of each record, read once for all its columns
    for field in model_fields:
        column = [vals[field.name] for vals in vals_list]
        if field.type == "float":
            digits = field.get_digits(model.env)
            arrays.append(sql_array([float(value or 0.0) for value in column], "float8"))
            value = SQL("v.%s", SQL.identifier(field.name))
            values.append(SQL("round(%s::numeric, %s)", value, digits[1]) if digits else value)
            continue
        if field.type == "many2one":
            column = [value.id if isinstance(value, models.BaseModel) else (value or None) for value in column]
        elif field.type == "monetary" and records is not None:
            # what convert_to_cache does: rounded to the record's currency (if it has one)
            currency_field = field.get_currency_field(records)
            if currency_field not in currencies:
                currencies[currency_field] = [record[currency_field] for record in records.sudo()]
            column = [
                currency.round(float(value or 0.0)) if currency else float(value or 0.0)
                for value, currency in zip(column, currencies[currency_field], strict=True)
            ]
        elif field.type == "monetary":
            column = [float(value or 0.0) for value in column]
        else:
            column = [field.convert_to_column(field.convert_to_cache(value, model), model) for value in column]
        arrays.append(sql_array(column, field.column_type[1]))
        values.append(SQL("v.%s", SQL.identifier(field.name)))
    return arrays, values


def bulk_write(records, vals_list, check_access=True):
    """``records[i].write(vals_list[i])`` for every i (all dicts have the same keys) in one
    ``UPDATE ... FROM unnest(...)``.

    Values are stored as ``write`` stores them (see ``_unnest``), ``write_uid``/``write_date``
    are set, the cache of the written fields is invalidated and the stored fields that depend
    on them are recomputed in one batch. Access rights and record rules are checked as for a
    write unless ``check_access`` is false (trusted values computed by the add-on under sudo).
    Inverses, constraints, tracking and the company check are NOT run: use it for plain
    stored fields of values the caller has validated.
    """
    if not records:
        return
    if check_access:
        records.check_access("write")
    names = list(vals_list[0])
    # every pending write of the records first, not only of these fields: their write date is
    # set below and dropped from the cache, where a pending write of another field still needs it
    records.flush_recordset()
    arrays, values = _unnest(records, names, vals_list, records)
    records.env.execute_query(SQL(
        """
        UPDATE %(table)s AS t SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
          FROM unnest(%(ids)s, %(arrays)s) AS v(id, %(columns)s)
         WHERE t.id = v.id
        """,
        table=SQL.identifier(records._table),
        assignments=SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), value) for name, value in zip(names, values, strict=True)
        ),
        uid=records.env.uid, now=fields.Datetime.now(), ids=sql_array(records.ids, "int4"),
        arrays=SQL(", ").join(arrays), columns=SQL(", ").join(SQL.identifier(name) for name in names),
    ))
    records.invalidate_recordset([*names, "write_uid", "write_date"], flush=False)
    with records.env.protecting([records._fields[name] for name in names], records):
        records.modified(names)
    records.flush_recordset()


def bulk_create(model, vals_list):
    """``model.create(vals_list)`` (all dicts with the same keys) in one
    ``INSERT ... SELECT FROM unnest(...)``, for the add-on's own log-like models written by
    the thousand. Values are stored as in ``bulk_write``; ``create_uid``/``write_uid`` and
    the dates are set. The caller passes every required and every stored computed field
    (nothing is computed or defaulted here) and has validated the values: access rights,
    constraints other than SQL ones and the company check are NOT run.

    :return: the new records, in the order of ``vals_list``
    """
    if not vals_list:
        return model.browse()
    names = list(vals_list[0])
    arrays, values = _unnest(model, names, vals_list)
    now = fields.Datetime.now()
    ids = model.env.execute_query(SQL(
        """
        INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid, write_date)
        SELECT %(values)s, %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM unnest(%(arrays)s) WITH ORDINALITY AS v(%(columns)s, position)
         ORDER BY v.position
        RETURNING id
        """,
        table=SQL.identifier(model._table), columns=SQL(", ").join(SQL.identifier(name) for name in names),
        values=SQL(", ").join(values), uid=model.env.uid, now=now, arrays=SQL(", ").join(arrays),
    ))
    return model.browse(sorted(row[0] for row in ids))


def check_company_batch(records, fnames, check_company):
    """Odoo's ``_check_company`` for a batch: one ``filtered_domain`` per company and field
    over the union of the linked records, instead of one per record and field.

    ``check_company`` is the model's ``super()._check_company`` (bound to ``records``). The
    records whose values fail are handed to the same method, which raises Odoo's usual
    message naming only them. Company-dependent fields and single records go straight to it.
    """
    names = records._fields if fnames is None or {"company_id", "company_ids"} & set(fnames) else fnames
    checked = [records._fields[name] for name in names]
    checked = [field.name for field in checked if field.relational and field.check_company]
    if (len(records) < 2 or not checked or "company_id" not in records._fields
            or any(records._fields[name].company_dependent for name in checked)):
        return check_company(fnames)
    suspects = records.browse()
    for company, company_records in records.sudo().grouped("company_id").items():
        for name in checked:
            corecords = company_records[name]
            domain = corecords and corecords._check_company_domain(company)
            if not domain:
                continue
            wrong = corecords - corecords.with_context(active_test=False).filtered_domain(domain)
            if wrong:
                suspects |= company_records.filtered(lambda record, name=name, wrong=wrong: record[name] & wrong)
    if suspects:
        return check_company.__func__(suspects.with_env(records.env), fnames)
    return None
