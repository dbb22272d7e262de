"""Batch versions of two ORM steps that Odoo runs record by record.

The add-on writes thousands of records at once (reordering rules, plan lines, supplier
evaluations, count lines). Odoo's ``write`` updates one record per statement when the
values differ, and ``_check_company`` checks each record and field on its own; both cost
seconds at 20,000 products. These helpers do the same work for a whole batch.
"""

from odoo import fields
from odoo.tools import SQL


def bulk_write(records, vals_list, check_access=True):
    """``records[i].write(vals_list[i])`` for every i (all dicts have the same keys) in one
    ``UPDATE ... FROM unnest(...)``.

    Values are converted as ``write`` stores them (Float digits and currencies rounded),
    ``write_uid``/``write_date`` are set, the cache of the written fields is invalidated and
    the stored fields that depend on them are recomputed in one batch. Access rights and
    record rules are checked as for a write unless ``check_access`` is false (trusted values
    computed by the add-on under sudo). Inverses, constraints, tracking and the company
    check are NOT run: use it for plain stored fields of values the caller has validated.
    """
    if not records:
        return
    if check_access:
        records.check_access("write")
    names = list(vals_list[0])
    model_fields = [records._fields[name] for name in names]
    records.flush_model(names)
    columns = [[] for _name in names]
    for record, vals in zip(records, vals_list, strict=True):
        for field, column in zip(model_fields, columns, strict=True):
            column.append(field.convert_to_column(field.convert_to_cache(vals[field.name], record), record))
    arrays = [SQL("%s::int4[]", records.ids)] + [
        SQL("%s::%s[]", column, SQL(field.column_type[1])) for field, column in zip(model_fields, columns, strict=True)
    ]
    records.env.execute_query(SQL(
        """
        UPDATE %(table)s AS t SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
          FROM unnest(%(arrays)s) AS v(id, %(columns)s)
         WHERE t.id = v.id
        """,
        table=SQL.identifier(records._table),
        assignments=SQL(", ").join(SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name)) for name in names),
        uid=records.env.uid, now=fields.Datetime.now(),
        arrays=SQL(", ").join(arrays), columns=SQL(", ").join(SQL.identifier(name) for name in names),
    ))
    records.invalidate_recordset([*names, "write_uid", "write_date"], flush=False)
    with records.env.protecting(model_fields, records):
        records.modified(names)
    records.flush_recordset()


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
