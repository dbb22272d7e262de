import base64
import io

import openpyxl

from odoo import api, fields, models
from odoo.exceptions import UserError


class JxcCountImportWizard(models.TransientModel):
    """Read the counted column of an exported count sheet back into the plan.

    Every cell is checked first; one bad cell and nothing is applied, and the errors
    are listed with their Excel row numbers.
    """

    _name = "jxc.count.import.wizard"
    _description = "Import Counted Quantities"

    plan_id = fields.Many2one("jxc.count.plan", required=True, ondelete="cascade")
    file = fields.Binary(string="Excel File", required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)

    @api.model
    def _get_columns(self, blind):
        """(key, title, type) of the count sheet's columns, shared by export and import."""
        columns = [
            ("location", self.env._("Location"), "char"),
            ("code", self.env._("Product Code"), "char"),
            ("product", self.env._("Product"), "char"),
            ("lot", self.env._("Lot/Serial"), "char"),
            ("uom", self.env._("Unit"), "char"),
        ]
        if not blind:
            columns.append(("book", self.env._("Book Quantity"), "float"))
        columns.append(("counted", self.env._("Counted Quantity"), "float"))
        return columns

    def _read_rows(self):
        """(header row number, header, [(row number, {key: value})])."""
        try:
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(self.file)), read_only=True, data_only=True)
        except Exception as error:
            raise UserError(self.env._("The file is not an Excel workbook (.xlsx): %(error)s", error=error)) from error
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        titles = None
        for blind in (False, True):
            columns = self._get_columns(blind)
            expected = [title for _key, title, _type in columns]
            for index, row in enumerate(rows[:10]):
                if [(str(v).strip() if v is not None else "") for v in row[: len(expected)]] == expected:
                    titles = (index, columns)
                    break
            if titles:
                break
        if not titles:
            raise UserError(self.env._(
                "No count sheet header found in the first rows. Export the count sheet from the plan, fill the "
                "column %(column)s and import that file (keep the header row unchanged).",
                column=self.env._("Counted Quantity"),
            ))
        index, columns = titles
        data = []
        for offset, row in enumerate(rows[index + 1:], start=index + 2):
            values = {key: (row[i] if i < len(row) else None) for i, (key, _t, _ty) in enumerate(columns)}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            data.append((offset, values))
        return data

    def _validate(self, data):
        """-> (errors, [(row, product, lot, location, qty)])."""
        plan = self.plan_id
        errors, parsed, seen = [], [], {}
        locations = {loc.complete_name: loc for loc in plan._get_scope_locations()}
        codes = {str(v).strip() for _row, vals in data for v in [vals.get("code")] if v not in (None, "")}
        Product = self.env["product.product"].with_company(plan.company_id)
        products = Product.search([
            "|", ("default_code", "in", list(codes)), ("barcode", "in", list(codes)),
            ("company_id", "in", [plan.company_id.id, False]),
        ]) if codes else Product
        by_code = {p.barcode: p for p in products if p.barcode}
        by_code.update({p.default_code: p for p in products if p.default_code})
        lot_names = {str(vals["lot"]).strip() for _row, vals in data if vals.get("lot") not in (None, "")}
        lots = self.env["stock.lot"].search([("name", "in", list(lot_names)), ("product_id", "in", products.ids)]) if lot_names else self.env["stock.lot"]
        by_lot = {(lot.product_id.id, lot.name): lot for lot in lots}
        for row, vals in data:
            row_errors = []
            location_name = str(vals.get("location") or "").strip()
            location = locations.get(location_name)
            if not location:
                row_errors.append(self.env._("unknown location %(location)r (not a location of this plan)", location=location_name))
            code = str(vals.get("code") or "").strip()
            product = by_code.get(code)
            if not product:
                row_errors.append(self.env._("unknown product code %(code)r", code=code))
            lot_name = str(vals.get("lot") or "").strip()
            lot = self.env["stock.lot"]
            if lot_name and product:
                lot = by_lot.get((product.id, lot_name))
                if not lot:
                    row_errors.append(self.env._("unknown lot/serial %(lot)r for %(product)s", lot=lot_name, product=product.display_name))
            uom_name = str(vals.get("uom") or "").strip()
            if uom_name and product and uom_name not in {product.uom_id.name, product.uom_id.with_context(lang="en_US").name}:
                row_errors.append(self.env._(
                    "unit %(unit)r is not the unit of %(product)s (%(product_unit)s); count in %(product_unit)s",
                    unit=uom_name, product=product.display_name, product_unit=product.uom_id.name,
                ))
            counted = vals.get("counted")
            qty = None
            if counted is None or str(counted).strip() == "":
                qty = None
            elif isinstance(counted, bool):
                row_errors.append(self.env._("counted quantity %(value)r is not a number", value=counted))
            else:
                try:
                    qty = float(str(counted).strip().replace(",", ""))
                except ValueError:
                    row_errors.append(self.env._("counted quantity %(value)r is not a number", value=counted))
                else:
                    if qty < 0:
                        row_errors.append(self.env._("counted quantity %(value)s is negative", value=counted))
            key = (product and product.id, lot and lot.id, location and location.id)
            if product and location:
                if key in seen:
                    row_errors.append(self.env._("duplicate of row %(row)s (same location, product and lot)", row=seen[key]))
                else:
                    seen[key] = row
            if row_errors:
                errors.append(self.env._("Row %(row)s: %(errors)s", row=row, errors="; ".join(row_errors)))
            elif qty is not None:
                parsed.append((row, product, lot, location, qty))
        return errors, parsed

    def action_import(self):
        self.ensure_one()
        plan = self.plan_id
        plan._check_state(("in_progress",), self.env._("import counted quantities"))
        errors, parsed = self._validate(self._read_rows())
        if errors:
            raise UserError(self.env._(
                "Nothing was imported; correct these cells and import the file again:\n%(errors)s",
                errors="\n".join(errors),
            ))
        lines = {(line.product_id.id, line.lot_id.id, line.location_id.id): line for line in plan.line_ids}
        new_vals, by_qty = [], {}
        for _row, product, lot, location, qty in parsed:
            line = lines.get((product.id, lot.id, location.id))
            if line:
                by_qty.setdefault(qty, []).append(line.id)
            else:
                new_vals.append({"plan_id": plan.id, "product_id": product.id, "lot_id": lot.id,
                                 "location_id": location.id, "counted_qty": qty})
        # One write per distinct quantity keeps thousands of lines to a few queries.
        Line = self.env["jxc.count.line"]
        for qty, line_ids in by_qty.items():
            Line.browse(line_ids).write({"counted_qty": qty})
        if new_vals:
            Line.create(new_vals)
        plan.message_post(body=self.env._(
            "%(count)s counted quantities imported from %(file)s (%(new)s new line(s)).",
            count=len(parsed), file=self.filename or "Excel", new=len(new_vals),
        ))
        return {"type": "ir.actions.act_window_close"}
