"""One formatting helper for every JXC Excel report, so that they all look the same.

A report is a list of sheets; a sheet is a title, typed columns and rows of values::

    sheets = [{
        "title": env._("Ranking"),
        "columns": [
            {"title": env._("Product"), "type": "char", "width": 30},
            {"title": env._("Value"), "type": "monetary", "total": True},   # "price": a unit price
            {"title": env._("Share"), "type": "percent"},          # 0.25 is shown as 25 %
        ],
        "rows": [["Widget", 1200.0, 0.25], ...],
    }]
    return env["jxc.xlsx"]._action_download("ranking.xlsx", env._("ABC Ranking"), sheets,
                                             filters=[(env._("Period"), "2025-01 .. 2025-06")])

A sheet with ``"hidden": True`` is written hidden: data an import reads back, not the
reader's.

A ``"float"`` column may give its ``"digits"`` (decimals shown; default 2): a field's own, as
Odoo shows it (a quantity at the "Product Unit" precision, a ratio at 4).

A column of ``"type": "row"`` takes each row's type from the sheet's ``"row_types"`` (one type
per row): indicators of different kinds in one column (an amount, a rate, a count).

Each sheet gets a title line, a line with company, filters and print date, a bold shaded
header row that stays frozen with an autofilter, per-type number formats (currency of the
company), column widths and a totals row with SUM formulas (``"total": "last"``, ``"first"`` or
``"nonempty"`` with ``"total_by"``, the index of another column: the sum of some rows only, see
``_get_subset_total``). Titles are passed already translated: call it in the user's language
(``env._`` follows ``env.lang``).
"""

import base64
import io
import re
from datetime import date, datetime, timedelta

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError

TYPES = ("char", "int", "float", "monetary", "price", "percent", "date", "datetime")
BASE_STYLE = {"font_name": "Arial", "font_size": 10, "valign": "vcenter"}
TOTAL_STYLE = {"bold": True, "top": 2, "bg_color": "#F2F2F2"}
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 1048576  # the rows of an Excel sheet; xlsxwriter skips any beyond without a word
HEADER_ROW = 3  # title, company and filters, a blank line, then the header


class JxcXlsx(models.AbstractModel):
    _name = "jxc.xlsx"
    _description = "JXC Excel Report Helper"

    @api.model
    def _render(self, title, sheets, filters=None, company=None, currency=None):
        """Return the .xlsx file (bytes) for ``sheets`` (see the module docstring) of
        ``company`` (the companies named in the header); amounts in ``currency`` (default: the
        first company's)."""
        company = company or self.env.company
        for sheet in sheets:
            self._check_sheet_size(title, sheet)
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "remove_timezone": True})
        styles = self._prepare_styles(workbook, currency or company[:1].currency_id)
        used_names = set()
        for sheet in sheets:
            self._write_sheet(workbook, styles, title, sheet, filters or [], company, used_names)
        if not sheets:
            workbook.add_worksheet(self._sheet_name(title, used_names))
        workbook.close()
        return output.getvalue()

    @api.model
    def _action_download(self, filename, title, sheets, filters=None, company=None, currency=None):
        """The action that hands the file to the browser. The file travels in the action
        itself: nothing is stored, so an export is a read that a read replica can serve
        (the export buttons are ``@api.readonly``)."""
        content = self._render(title, sheets, filters=filters, company=company, currency=currency)
        # A client action (static/src/download) saves it without leaving the page: unlike an
        # act_url it neither unloads the page nor needs a pop-up window.
        return {
            "type": "ir.actions.client",
            "tag": "jxc_download",
            "params": {"data": base64.b64encode(content).decode(), "filename": filename, "mimetype": XLSX_MIMETYPE},
        }

    @api.autovacuum
    def _gc_xlsx_attachments(self):
        """Reports that earlier versions stored as attachments are removed after a day."""
        limit = fields.Datetime.now() - timedelta(days=1)
        self.env["ir.attachment"].sudo().search([("res_model", "=", self._name), ("create_date", "<", limit)]).unlink()

    # --- internals -----------------------------------------------------------------
    @api.model
    def _prepare_styles(self, workbook, currency):
        def money_format(digits, more=0):
            # more: optional digits, shown where the number has them
            money = "#,##0" + ("." + "0" * digits + "#" * more if digits or more else "")
            # the symbol on its side with a no-break space, as Odoo's format_amount shows amounts
            if currency.position == "before":
                return '"%s\u00a0"%s' % (currency.symbol, money)
            return '%s"\u00a0%s"' % (money, currency.symbol)

        price_digits = min(max(currency.decimal_places or 0, self.env["decimal.precision"].precision_get("Product Price")), 6)
        base = BASE_STYLE
        formats = {
            "char": {},
            "int": {"num_format": "#,##0"},
            "float": {"num_format": "#,##0.00"},
            "monetary": {"num_format": money_format(currency.decimal_places or 0)},
            # a unit price, in the currency, as Odoo's price fields show it: at least the digits of its
            # "Product Price" precision, more where the price has them (a 0.0125 screw), up to 6
            "price": {"num_format": money_format(price_digits, 6 - price_digits)},
            "percent": {"num_format": "0.0%"},
            "date": {"num_format": "yyyy-mm-dd"},
            "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
        }
        styles = {
            "title": workbook.add_format({**base, "bold": True, "font_size": 14}),
            "subtitle": workbook.add_format({**base, "italic": True, "font_color": "#555555"}),
            "header": workbook.add_format({
                **base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "align": "center",
            }),
        }
        for ctype, fmt in formats.items():
            styles[ctype] = workbook.add_format({**base, **fmt})
            styles["total_" + ctype] = workbook.add_format({**base, **fmt, **TOTAL_STYLE})
        return styles

    @api.model
    def _check_sheet_size(self, title, sheet):
        """Refuse a sheet with more rows than Excel holds, before anything is written: the
        rows past the last would be left out of the file, and its totals with them."""
        rows = HEADER_ROW + 1 + len(sheet.get("rows", [])) + any(column.get("total") for column in sheet["columns"])
        if rows > XLSX_MAX_ROWS:
            raise UserError(self.env._(
                "The sheet “%(sheet)s” would have %(rows)s rows, more than the %(max)s an Excel sheet holds. "
                "Narrow the search (a shorter period, fewer products or warehouses) and export again.",
                sheet=sheet.get("title") or title, rows=rows, max=XLSX_MAX_ROWS,
            ))

    @api.model
    def _sheet_name(self, name, used):
        name = re.sub(r"[\[\]:*?/\\]", " ", name or "Sheet")[:31].strip() or "Sheet"
        candidate, n = name, 2
        while candidate.lower() in used:
            suffix = " (%d)" % n
            candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
        used.add(candidate.lower())
        return candidate

    @api.model
    def _write_sheet(self, workbook, styles, title, sheet, filters, company, used_names):
        columns = sheet["columns"]
        rows = sheet.get("rows", [])
        ws = workbook.add_worksheet(self._sheet_name(sheet.get("title") or title, used_names))
        # text written as text: a company, filter or title starting with "=" or "http" is no formula or link
        ws.write_string(0, 0, sheet.get("heading") or title, styles["title"])
        info = [", ".join(company.mapped("name"))] + ["%s: %s" % (label, value) for label, value in filters]
        info.append("%s: %s" % (self.env._("Printed"), fields.Datetime.context_timestamp(self, fields.Datetime.now()).strftime("%Y-%m-%d %H:%M")))
        ws.write_string(1, 0, " | ".join(info), styles["subtitle"])
        header_row = HEADER_ROW
        for col, column in enumerate(columns):
            ctype = column.get("type", "char")
            assert ctype in TYPES or ctype == "row", ctype
            ws.write_string(header_row, col, column["title"], styles["header"])
            ws.set_column(col, col, column.get("width") or (30 if ctype == "char" else 14))
        write_cell = self._write_cell
        column_styles = [self._get_column_style(workbook, styles, column) for column in columns]
        row_types = sheet.get("row_types")
        for r, values in enumerate(rows, start=header_row + 1):
            cell_styles = column_styles
            if row_types:
                row_style = styles[row_types[r - header_row - 1]]
                cell_styles = [style or row_style for style in column_styles]
            for col, style in enumerate(cell_styles):
                write_cell(ws, r, col, values[col], style)
        last_row = header_row + len(rows)
        if columns:
            ws.freeze_panes(header_row + 1, 0)
            ws.autofilter(header_row, 0, max(last_row, header_row), len(columns) - 1)
        if any(c.get("total") for c in columns):
            total_row = last_row + 1
            for col, column in enumerate(columns):
                style = self._get_column_style(workbook, styles, column, "total_") or styles["total_float"]
                if column.get("total") in ("first", "last", "nonempty") and rows:
                    formula, total = self._get_subset_total(rows, col, column, header_row + 1, last_row)
                    ws.write_formula(total_row, col, formula, style, total)
                elif column.get("total") and rows:
                    cell_range = xlsxwriter.utility.xl_range(header_row + 1, col, last_row, col)
                    total = sum(v[col] or 0.0 for v in rows)
                    ws.write_formula(total_row, col, "=SUM(%s)" % cell_range, style, total)
                elif column.get("total"):
                    ws.write_number(total_row, col, 0, style)
                elif col == 0:
                    ws.write_string(total_row, col, self.env._("Total"), style)
                else:
                    ws.write_blank(total_row, col, None, style)
        if sheet.get("hidden"):
            ws.hide()
        return ws

    @api.model
    def _get_column_style(self, workbook, styles, column, prefix=""):
        """The cell format of ``column`` (``prefix`` "total_": of its total): its type's, or for a
        float column with ``digits``, that number of decimals (made once per workbook)."""
        ctype, digits = column.get("type", "char"), column.get("digits")
        if ctype != "float" or digits is None or digits == 2:
            return styles.get(prefix + ctype)
        key = "%sfloat_%d" % (prefix, digits)
        if key not in styles:
            number = "#,##0" + ("." + "0" * digits if digits > 0 else "")
            styles[key] = workbook.add_format({**BASE_STYLE, "num_format": number, **(TOTAL_STYLE if prefix else {})})
        return styles[key]

    @api.model
    def _get_subset_total(self, rows, col, column, first_row, last_row):
        """(formula, value) of a total over some rows only, chosen by the column ``total_by``:
        "last" / "first", the rows of its latest / earliest date (a stock at a date does not
        add up over dates); "nonempty", the rows where it is filled, or all rows if it is
        filled nowhere (a detail row and its summary row in one sheet are counted once)."""
        by, kind = column["total_by"], column["total"]
        xl_range = xlsxwriter.utility.xl_range
        cells, keys = xl_range(first_row, col, last_row, col), xl_range(first_row, by, last_row, by)
        if kind == "nonempty":
            chosen = [values for values in rows if values[by]] or rows
            formula = '=IF(COUNTIF(%s,"?*")>0,SUMIFS(%s,%s,"?*"),SUM(%s))' % (keys, cells, keys, cells)
        else:
            days = [values[by] for values in rows if values[by]]
            day = (max if kind == "last" else min)(days) if days else None
            chosen = [values for values in rows if day and values[by] == day]
            formula = "=SUMIFS(%s,%s,%s(%s))" % (cells, keys, "MAX" if kind == "last" else "MIN", keys)
        return formula, sum(values[col] or 0.0 for values in chosen)

    @api.model
    def _write_cell(self, ws, row, col, value, style):
        kind = type(value)
        if kind is float or kind is int:  # most cells: tested first
            ws.write_number(row, col, value, style)
        elif kind is str:
            ws.write_string(row, col, value, style)
        elif value is None or value is False:
            ws.write_blank(row, col, None, style)
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value, style)
        elif isinstance(value, date):
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day), style)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, style)
        else:
            ws.write_string(row, col, str(value), style)
