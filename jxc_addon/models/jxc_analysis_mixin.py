"""Shared behaviour of the JXC analyses: the Excel export of the list the user is looking at,
and the totals of balances (stock at a date), which do not add up over dates."""

from collections.abc import Collection
from datetime import date, datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.orm.domains import Domain, DomainAnd, DomainCondition, DomainNot, DomainOr
from odoo.tools import SQL
from odoo.tools.date_utils import parse_date

from ..tools.company_day import reader_tz

FIELD_TYPES = {
    "integer": "int",
    "float": "float",
    "monetary": "monetary",
    "date": "date",
    "datetime": "datetime",
}


class JxcAnalysisMixin(models.AbstractModel):
    _name = "jxc.analysis.mixin"
    _description = "JXC Analysis (Excel export)"

    # fields of the Excel sheet, in order; (field name, helper type or None for the field's type)
    _jxc_xlsx_fields = ()
    # fields that get a total row
    _jxc_xlsx_totals = ()
    # Balances (stock at a date: 10 units at the end of January and 10 at the end of February are
    # 10 units, not 20) do not add up over time: {field: "last" or "first"}. A group, the pivot's
    # total and the sheet's total row give the sum of the group's rows at its latest date (its
    # earliest for an opening balance); the other figures are flows and add up.
    _jxc_balance_fields = {}
    _jxc_balance_date = "date"

    # An analysis whose view PostgreSQL computes whole for any page (FIFO layers, sums over the
    # whole history) would run it twice for a full page: the page, then Odoo's count. Up to this
    # many rows from the page on are fetched in one run and counted here (0: Odoo's page, then
    # its count; more rows than this: the count as well).
    _jxc_counted_rows = 0

    @api.model
    @api.readonly
    def web_search_read(self, domain, specification, offset=0, limit=None, order=None, count_limit=None):
        # a full page is followed by its count: an analysis that values the stock now (aging,
        # dead stock) values it once for both queries of its view
        with self.env["jxc.stock.valuation"]._valuing_once():
            counted = bool(limit) and self._jxc_counted_rows > limit
            # the company too: the record rules read it when the page is read, which would
            # otherwise run the view once more for that column alone
            names = [*specification, *(["company_id"] if "company_id" in self._fields else [])]
            rows = self.search_fetch(
                domain, names, offset=offset, limit=self._jxc_counted_rows if counted else limit, order=order)
            # the page alone as the prefetch set: related records (products...) are read for its
            # rows, not for every row fetched
            records = self.browse(rows._ids[:limit]).web_read(specification)
            if counted and len(rows) < self._jxc_counted_rows:
                length = self._get_web_search_read_length(len(records), offset + len(rows), offset, limit, count_limit)
                return {"length": length, "records": records}
            return self._format_web_search_read_results(domain, records, offset, limit, count_limit)

    @api.model
    def _get_web_search_read_length(self, page_size, total, offset, limit, count_limit):
        """The ``length`` Odoo's ``_format_web_search_read_results`` answers for a page of
        ``page_size`` rows of ``total``: the count (at most ``count_limit``) when the page is
        full and the limit of the count not yet reached, else the rows up to this page."""
        if not page_size:
            return 0
        current = offset + page_size
        full = page_size == limit and not (count_limit and count_limit <= current)
        if full or self.env.context.get("force_search_count"):
            return min(total, count_limit) if count_limit else total
        return current

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if fname not in self._jxc_balance_fields or func not in ("sum", "sum_currency"):
            return super()._read_group_select(aggregate_spec, query)
        expr = self._get_jxc_summed_sql(aggregate_spec, query)
        return self._get_jxc_balance_sql(expr, self._jxc_balance_fields[fname], query)

    def _get_jxc_summed_sql(self, aggregate_spec, query):
        """SQL: the value of each row that ``aggregate_spec`` ("field:sum" or "field:sum_currency")
        adds up, for an aggregate of its own over the same rows."""
        fname, _sep, func = aggregate_spec.partition(":")
        expr = self._field_to_sql(self._table, fname, query)
        if func == "sum_currency":
            # Odoo's conversion at today's rates (the pivot's multi-currency total): its join of
            # the rates, then the same division on each row
            super()._read_group_select(aggregate_spec, query)
            rates = query.make_alias(self._table, "%s__rates" % self._fields[fname].get_currency_field(self))
            expr = SQL("%s / COALESCE(%s, 1.0)", expr, SQL.identifier(rates, "rate"))
        return expr

    def _get_jxc_balance_sql(self, expr, position, query):
        """SQL aggregate: the sum of ``expr`` over the group's rows at its latest date
        (``position`` "last") or its earliest ("first"). The arrays are the group's own rows
        (aggregates of the outer query, which a subquery may read)."""
        day = self._field_to_sql(self._table, self._jxc_balance_date, query)
        return SQL(
            "(SELECT SUM(b.value) FROM unnest(ARRAY_AGG(%(day)s), ARRAY_AGG(%(expr)s)) AS b(day, value)"
            " WHERE b.day = %(pick)s(%(day)s))",
            day=day, expr=expr, pick=SQL("MAX") if position == "last" else SQL("MIN"),
        )

    @api.model
    def _get_jxc_xlsx_title(self):
        """The sheet's title: the model's description, in the user's language."""
        return self.env["ir.model"]._get(self._name).with_context(lang=self.env.lang).name

    @api.model
    def _prepare_jxc_xlsx_sheet(self, records, title=None, by_company=False):
        """One sheet of the helper's format for ``records`` (column titles in the user's language);
        ``by_company``: with the rows' company first."""
        columns, names = [], []
        spec = tuple(self._jxc_xlsx_fields)
        if by_company and "company_id" not in dict(spec):
            spec = (("company_id", None), *spec)
        for name, ctype in spec:
            field = self._fields[name]
            if not self._has_field_access(field, "read"):
                continue
            names.append(name)
            column = {
                "title": field._description_string(self.env),
                "type": ctype or FIELD_TYPES.get(field.type, "char"),
                "total": name in self._jxc_xlsx_totals,
            }
            digits = field.get_digits(self.env) if field.type == "float" and column["type"] == "float" else None
            if digits:
                column["digits"] = digits[1]  # the decimals the field shows, as Odoo's screens do
            columns.append(column)
        for name, column in zip(names, columns, strict=True):
            if column["total"]:
                column.update(self._get_jxc_xlsx_total(name, names))
        cells = [self._get_jxc_xlsx_column(records, name) for name in names]
        rows = [list(row) for row in zip(*cells, strict=True)] if cells else [[] for _record in records]
        return {"title": title or self._get_jxc_xlsx_title(), "columns": columns, "rows": rows}

    @api.model
    def _get_jxc_xlsx_total(self, name, names):
        """How the total row adds up the column of field ``name`` (``names``: the sheet's
        fields), as the screen does: {"total": True} sums it; a balance gives the sum at the
        latest (or earliest) date of the sheet (see ``jxc.xlsx``)."""
        position = self._jxc_balance_fields.get(name)
        if not position:
            return {"total": True}
        if self._jxc_balance_date not in names:
            return {"total": False}
        return {"total": position, "total_by": names.index(self._jxc_balance_date)}

    @api.model
    def _get_jxc_xlsx_column(self, records, name):
        """The cells of column ``name`` for ``records``, in their order (labels of many2one and
        selection fields). Read column by column from the cache the search filled: formatting
        record by record (``read``) cost more than the query on a big database."""
        field = self._fields[name]
        # no fetch() here: it re-checks the record rules in Python for every row of every column
        # (the search already applied them); a value the search did not bring is read below.
        # The cache, not record[name]: it keeps an empty figure (no previous price) empty where
        # the record gives 0.0, and reads 40,000 rows x 8 columns in 0.01 s instead of 0.6 s.
        cache = field._get_cache(records.env)
        if any(record_id not in cache for record_id in records._ids):
            raw = [field.convert_to_cache(record[name], record) for record in records]
        else:
            raw = [cache[record_id] for record_id in records._ids]
        if field.type == "many2one":
            targets = records.env[field.comodel_name].sudo().browse({value for value in raw if value})
            names = {target.id: target.display_name for target in targets}
            return [names[value] if value else "" for value in raw]
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return [labels.get(value, "") if value else "" for value in raw]
        if field.type == "char":
            return [value or "" for value in raw]
        if field.type == "datetime":
            # in the user's timezone, as the list shows it and Odoo's own export writes it
            tz = reader_tz(self.env)
            return [
                value.replace(tzinfo=pytz.UTC).astimezone(tz).replace(tzinfo=None) if value else False
                for value in raw
            ]
        return [False if value is None else value for value in raw]

    @api.model
    def _get_jxc_xlsx_filters(self, domain):
        """The filter conditions in words, e.g. ("Month End", "= 2025-02-28"): one row per
        condition the rows all meet; the conditions of which one is enough (a filter's "or")
        share a row, joined by "or". Datetimes in the reader's timezone, as the rows are."""
        tree = Domain(domain or [])
        filters = []
        for condition in tree.children if isinstance(tree, DomainAnd) else [tree]:
            described = self._describe_jxc_xlsx_filter(condition)
            if described:
                filters.append(described)
        return filters

    @api.model
    def _describe_jxc_xlsx_filter(self, condition):
        """(label, words) of a condition of Odoo's ``Domain``, None for one on no field of the
        analysis; conditions of several fields joined by "or" or "and" get the label "Filter"."""
        if isinstance(condition, DomainNot):
            described = self._describe_jxc_xlsx_filter(condition.child)
            return described and (described[0], self.env._("not (%(condition)s)", condition=described[1]))
        if isinstance(condition, (DomainAnd, DomainOr)):
            return self._describe_jxc_xlsx_group(condition)
        if not isinstance(condition, DomainCondition) or condition.field_expr.split(".")[0] not in self._fields:
            return None
        field, labels = self._get_jxc_xlsx_filter_field(condition.field_expr)
        if not field:  # not a path of fields: the condition as Odoo's search got it
            return self.env._("Filter"), "%s %s %s" % (condition.field_expr, condition.operator, condition.value)
        value = condition.value
        if isinstance(value, Domain) or condition.operator in ("any", "not any", "any!", "not any!"):
            value = str(value)  # a sub-filter on the related records: as written
        elif field.relational and (isinstance(value, int) and not isinstance(value, bool)
                                   or isinstance(value, Collection) and not isinstance(value, str)
                                   and all(isinstance(item, int) for item in value)):
            value = ", ".join(self.env[field.comodel_name].browse(value).exists().mapped("display_name"))
        elif field.type == "selection":
            labels_of = dict(field._description_selection(self.env))
            if isinstance(value, Collection) and not isinstance(value, str):  # "is in"
                value = ", ".join(str(labels_of.get(item, item)) for item in value)
            else:
                value = labels_of.get(value, value)
        elif field.type in ("date", "datetime") and value and isinstance(value, str | date):
            value = self._describe_jxc_xlsx_date(value)
        return " › ".join(labels), self._describe_jxc_xlsx_operator(field, condition.operator, value)

    @api.model
    def _describe_jxc_xlsx_group(self, condition):
        """``_describe_jxc_xlsx_filter`` of conditions joined by "or" or "and"."""
        parts = [part for part in map(self._describe_jxc_xlsx_filter, condition.children) if part]
        if not parts:
            return None
        word = self.env._(" or ") if isinstance(condition, DomainOr) else self.env._(" and ")
        if len({label for label, _words in parts}) == 1:
            return parts[0][0], word.join(words for _label, words in parts)
        return self.env._("Filter"), word.join("%s %s" % part for part in parts)

    @api.model
    def _get_jxc_xlsx_filter_field(self, path):
        """(the last field of ``path``, the labels of its fields), or (None, None): a custom
        filter may follow a path (Product > Product Category), whose value is its last field's."""
        model, labels, field = self, [], None
        for name in path.split("."):
            field = model._fields.get(name) if model is not None else None
            if not field:
                return None, None
            labels.append(field._description_string(self.env))
            model = self.env[field.comodel_name] if field.relational else None
        return field, labels

    @api.model
    def _describe_jxc_xlsx_date(self, value):
        """A date bound of a filter as the reader reads it: the search panel's datetimes come in
        UTC and the rows are in the reader's timezone; a date relative to today (Odoo's "in
        range" filters: ``today -30d``) is the day it stands for now."""
        try:
            parsed = parse_date(value, self.env) if isinstance(value, str) else value
        except ValueError:
            return value  # as written: Odoo's search tells a bad value apart
        if isinstance(parsed, datetime):
            if parsed.tzinfo is None:  # written in UTC
                parsed = parsed.replace(tzinfo=pytz.UTC)
            return fields.Datetime.to_string(parsed.astimezone(reader_tz(self.env)).replace(tzinfo=None))
        return fields.Date.to_string(parsed)

    @api.model
    def _describe_jxc_xlsx_operator(self, field, operator, value):
        """``operator`` and ``value`` of a filter on ``field`` in the reader's words: "contains
        Screw", "is in A, B", "is set", "Yes", not the domain's "ilike Screw" or "= False"."""
        if field.type == "boolean" and operator in ("=", "!=") and isinstance(value, bool):
            return self.env._("Yes") if value == (operator == "=") else self.env._("No")
        if value is False and operator in ("=", "!="):
            return self.env._("is not set") if operator == "=" else self.env._("is set")
        words = {
            "ilike": self.env._("contains"), "like": self.env._("contains"),
            "not ilike": self.env._("does not contain"), "not like": self.env._("does not contain"),
            "in": self.env._("is in"), "not in": self.env._("is not in"),
            "!=": "≠", "<=": "≤", ">=": "≥",
        }
        return "%s %s" % (words.get(operator, operator), value)

    @api.model
    def _prepare_jxc_xlsx_extra_sheets(self, domain):
        """More sheets after the rows (e.g. a ranking); none by default."""
        return []

    @api.readonly
    def action_export_xlsx(self):
        """Download the analysis rows of the current filters, or of the selected rows, as .xlsx.
        The list's header button always sends its filters (``active_domain``) and calls the
        method on the rows ticked, if any."""
        filter_domain = list(self.env.context.get("active_domain") or [])
        # "Select all" of a list sends at most Odoo's web.active_ids_limit ids: that many
        # selected rows are the whole filter, not its first rows
        limit = int(self.env["ir.config_parameter"].sudo().get_param("web.active_ids_limit", 20000))
        selected = self if len(self) < limit else self.browse()
        domain = filter_domain + [("id", "in", selected.ids)] if selected else filter_domain
        # Rows and columns in the search's own query: reading them afterwards by id would run
        # the analysis's SQL view again for every batch of 1,000 ids (minutes on a big database).
        names = [name for name, _t in self._jxc_xlsx_fields if self._has_field_access(self._fields[name], "read")]
        owners = [name for name in ("company_id", "currency_id") if name in self._fields]
        records = self.search_fetch(domain, names + owners, order=self._order)
        if selected:  # in the order the list shows them (the client sends them so, as sorted by the user)
            position = {record_id: index for index, record_id in enumerate(selected.ids)}
            records = records.sorted(lambda record: position[record.id])
        company, currency = self._get_jxc_xlsx_company(records, names)
        title = self._get_jxc_xlsx_title()
        # rows of several companies (of one currency) say whose they are
        sheet = self._prepare_jxc_xlsx_sheet(records, title, by_company=len(company) > 1)
        filename = "%s %s.xlsx" % (title, fields.Date.context_today(self))
        sheets = [sheet, *self._prepare_jxc_xlsx_extra_sheets(domain)]
        filters = self._get_jxc_xlsx_filters(filter_domain)
        if selected:
            filters.append((self.env._("Rows"), self.env._("%(count)s selected", count=len(selected))))
        return self.env["jxc.xlsx"]._action_download(
            filename, title, sheets, filters=filters, company=company, currency=currency)

    @api.model
    def _get_jxc_xlsx_company(self, records, names):
        """(companies named in the file's header, currency of its amounts) of ``records``: the
        rows' own (the active company without rows). Amounts of several currencies do not add
        up in one column: such an export is refused before anything is written."""
        companies = records.company_id if "company_id" in self._fields else self.env.company
        currencies = records.currency_id if "currency_id" in self._fields else companies.currency_id
        monetary = any(
            self._fields[name].type == "monetary" or ctype in ("monetary", "price")
            for name, ctype in self._jxc_xlsx_fields if name in names
        )
        if monetary and len(currencies) > 1:
            raise UserError(self.env._(
                "These rows are in several currencies (%(currencies)s), whose amounts do not add up in one "
                "file: filter the list by company, or select companies of one currency, then export again.",
                currencies=", ".join(currencies.sorted("name").mapped("name")),
            ))
        companies = companies.sorted("name") or self.env.company
        return companies, currencies[:1] or companies[:1].currency_id
