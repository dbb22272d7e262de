import base64
import io
from collections import defaultdict
from datetime import datetime

import openpyxl
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.company_day import company_tz, local_to_utc


class JxcCountImportWizard(models.TransientModel):
    """Read the counted column of an exported count sheet back into the plan.

    Every cell is checked first; one bad cell and nothing is applied, and the errors
    are listed with their Excel row numbers. Columns are found by their titles; an optional
    Count Time column says when each row was counted (else the plan's declared count time,
    else the moment of the import).
    """

    _name = "jxc.count.import.wizard"
    _description = "Import Counted Quantities"

    plan_id = fields.Many2one("jxc.count.plan", required=True, ondelete="cascade")
    file = fields.Binary(string="Excel File", required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)

    @api.model
    def _get_columns(self, blind, packages=False, owners=False):
        """(key, title, type) of the count sheet's columns, shared by export and import."""
        columns = [
            ("location", self.env._("Location"), "char"),
            ("code", self.env._("Product Code"), "char"),
            ("product", self.env._("Product"), "char"),
            ("lot", self.env._("Lot/Serial"), "char"),
        ]
        if packages:
            columns.append(("package", self.env._("Package"), "char"))
        if owners:
            columns.append(("owner", self.env._("Owner"), "char"))
        columns.append(("uom", self.env._("Unit"), "char"))
        if not blind:
            columns.append(("book", self.env._("Book Quantity"), "float"))
        columns.append(("counted", self.env._("Counted Quantity"), "float"))
        return columns

    @api.model
    def _get_import_titles(self):
        """{title: key} of every column the import reads; Count Time is never exported but may be added."""
        columns = self._get_columns(False, packages=True, owners=True)
        columns.append(("count_time", self.env._("Count Time"), "datetime"))
        return {title: key for key, title, _type in columns}

    def _read_rows(self):
        """(header row number, header, [(row number, {key: value})])."""
        try:
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(self.file)), read_only=True, data_only=True)
        except Exception as error:
            raise UserError(self.env._("The file is not an Excel workbook (.xlsx): %(error)s", error=error)) from error
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        known = self._get_import_titles()
        required = {"location", "code", "counted"}
        titles = None
        for index, row in enumerate(rows[:10]):
            found = {}
            for position, value in enumerate(row):
                key = known.get(str(value).strip()) if value is not None else None
                if key and key not in found:
                    found[key] = position
            if required <= set(found):
                titles = (index, found)
                break
        if not titles:
            raise UserError(self.env._(
                "No count sheet header found in the first rows. Export the count sheet from the plan, fill the "
                "column %(column)s and import that file (keep the header row unchanged).",
                column=self.env._("Counted Quantity"),
            ))
        index, positions = titles
        data = []
        for offset, row in enumerate(rows[index + 1:], start=index + 2):
            values = {key: (row[i] if i < len(row) else None) for key, i in positions.items()}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            data.append((offset, values))
        return data

    def _parse_count_time(self, value):
        """A count-time cell (Excel date or text, in the user's time zone) -> naive UTC datetime or None."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"):
                try:
                    value = datetime.strptime(value.strip(), pattern)
                    break
                except ValueError:
                    continue
        if not isinstance(value, datetime):
            raise ValueError(value)
        # A time typed by the user is on the user's clock, as Odoo shows datetimes.
        tz = pytz.timezone(self.env.user.tz) if self.env.user.tz else company_tz(self.plan_id.company_id)
        return local_to_utc(tz, value)

    def _check_count_time(self, counted_at):
        """An error message if ``counted_at`` is not between the snapshot and now, else None."""
        plan = self.plan_id

        def local(value):
            return fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M:%S")

        if plan.snapshot_date and counted_at < plan.snapshot_date:
            return self.env._("count time %(time)s is before the count started (%(start)s)",
                              time=local(counted_at), start=local(plan.snapshot_date))
        if counted_at > fields.Datetime.now():
            return self.env._("count time %(time)s is in the future", time=local(counted_at))
        return None

    def _get_by_name(self, data, key, model):
        """{name: [records]} of ``model`` named in column ``key`` (several: an ambiguous name)."""
        names = {str(vals[key]).strip() for _row, vals in data if vals.get(key) not in (None, "")}
        by_name = defaultdict(list)
        if names:
            for record in self.env[model].search([
                ("name", "in", list(names)), ("company_id", "in", [self.plan_id.company_id.id, False]),
            ]):
                by_name[record.name].append(record)
        return by_name

    def _validate(self, data):
        """-> (errors, [(row, product, lot, package, owner, location, qty, count time)])."""
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
        by_package = self._get_by_name(data, "package", "stock.package")
        by_owner = self._get_by_name(data, "owner", "res.partner")
        declared_time = plan.declared_count_time
        if declared_time:
            error = self._check_count_time(declared_time)
            if error:
                errors.append(self.env._("Declared count time of the plan: %(error)s", error=error))
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
            package, owner = self.env["stock.package"], self.env["res.partner"]
            package_name = str(vals.get("package") or "").strip()
            if package_name:
                if len(by_package[package_name]) != 1:
                    row_errors.append(self.env._("unknown or ambiguous package %(package)r", package=package_name))
                else:
                    package = by_package[package_name][0]
            owner_name = str(vals.get("owner") or "").strip()
            if owner_name:
                if len(by_owner[owner_name]) != 1:
                    row_errors.append(self.env._(
                        "unknown or ambiguous owner %(owner)r (give the partner's exact name)", owner=owner_name))
                else:
                    owner = by_owner[owner_name][0]
            counted_at = declared_time
            try:
                counted_at = self._parse_count_time(vals.get("count_time")) or declared_time
            except ValueError:
                row_errors.append(self.env._(
                    "count time %(value)r is not a date and time (write it as YYYY-MM-DD HH:MM)",
                    value=vals.get("count_time")))
            else:
                if counted_at and vals.get("count_time") not in (None, ""):
                    time_error = self._check_count_time(counted_at)
                    if time_error:
                        row_errors.append(time_error)
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
            key = (product and product.id, lot and lot.id, package.id, owner.id, location and location.id)
            if product and location:
                if key in seen:
                    row_errors.append(self.env._(
                        "duplicate of row %(row)s (same location, product, lot, package and owner)", row=seen[key]))
                else:
                    seen[key] = row
            if row_errors:
                errors.append(self.env._("Row %(row)s: %(errors)s", row=row, errors="; ".join(row_errors)))
            elif qty is not None:
                parsed.append((row, product, lot, package, owner, location, qty, counted_at))
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
        Line = self.env["jxc.count.line"]
        lines = {(line.product_id.id, line.lot_id.id, line.package_id.id, line.owner_id.id, line.location_id.id): line
                 for line in plan.line_ids}
        new_vals = []
        for _row, product, lot, package, owner, location, _qty, _counted_at in parsed:
            if (product.id, lot.id, package.id, owner.id, location.id) not in lines:
                new_vals.append({"plan_id": plan.id, "product_id": product.id, "lot_id": lot.id,
                                 "package_id": package.id, "owner_id": owner.id, "location_id": location.id})
        # Goods found during the count: their lines first, counted below like the others.
        for line in Line.create(new_vals) if new_vals else []:
            lines[line.product_id.id, line.lot_id.id, line.package_id.id, line.owner_id.id, line.location_id.id] = line
        by_count = defaultdict(list)
        for _row, product, lot, package, owner, location, qty, counted_at in parsed:
            by_count[qty, counted_at].append(lines[product.id, lot.id, package.id, owner.id, location.id].id)
        # One write per distinct quantity and time keeps thousands of lines to a few queries.
        for (qty, counted_at), line_ids in by_count.items():
            if counted_at:
                Line.browse(line_ids)._write_counts({"counted_qty": qty}, counted_at)
            else:
                Line.browse(line_ids).write({"counted_qty": qty})
        plan.message_post(body=self.env._(
            "%(count)s counted quantities imported from %(file)s (%(new)s new line(s)).",
            count=len(parsed), file=self.filename or "Excel", new=len(new_vals),
        ))
        return {"type": "ir.actions.act_window_close"}
