import base64
import io
import re
from collections import defaultdict
from datetime import datetime

import openpyxl
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools.company_day import company_tz, local_to_utc

# Spaces a user may type where the language groups thousands with a space (fr_FR has U+202F).
SPACES = (" ", "\u00a0", "\u202f")


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
    def _get_languages(self):
        """The languages a sheet may have been exported in: en_US and every active one, the
        user's last (its titles win should two languages share a word)."""
        user_lang = self.env.lang or "en_US"
        codes = dict.fromkeys(["en_US", *(code for code, _name in self.env["res.lang"].get_installed())])
        return [code for code in codes if code != user_lang] + [user_lang]

    @api.model
    def _get_import_titles(self):
        """{title: key} of every column the import reads, in every language a colleague may have
        exported the sheet in; Count Time is never exported but may be added."""
        titles = {}
        for lang in self._get_languages():
            wizard = self.with_context(lang=lang)
            columns = wizard._get_columns(False, packages=True, owners=True)
            columns.append(("count_time", wizard.env._("Count Time"), "datetime"))
            titles.update({title: key for key, title, _type in columns})
        return titles

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

    def _get_number_format(self):
        """(decimal point, thousands separators accepted, an example number) of the user's language."""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        point, separator = lang.decimal_point or ".", lang.thousands_sep or ""
        separators = ({separator, *SPACES} if separator.isspace() else {separator}) if separator else set()
        return point, separators, "1%s234%s5" % (separator, point)

    def _parse_quantity(self, value, number_format):
        """A counted cell -> float (ValueError if it is no number). Excel numbers are taken as they
        are; text is read in the user's number format, with thousands separators only between groups
        of three digits, so that a decimal comma ("12,5") is never read as a thousands one (125)."""
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, (int, float)):
            return float(value)
        point, separators, _example = number_format
        integer = r"\d+"
        if separators:
            integer = r"(?:\d+|\d{1,3}(?:(?:%s)\d{3})+)" % "|".join(re.escape(sep) for sep in separators)
        match = re.fullmatch(r"(-?)(%s)(?:%s(\d+))?" % (integer, re.escape(point)), str(value).strip())
        if not match:
            raise ValueError(value)
        sign, whole, decimals = match.groups()
        return float("%s%s.%s" % (sign, re.sub(r"\D", "", whole), decimals or "0"))

    @api.model
    def _get_product_index(self, products, languages):
        """({code: product ids}, {name: product ids}) of ``products``: codes are internal references
        and barcodes, names are shown with their variant attributes and without code (as exported)."""
        by_code, by_name = defaultdict(set), defaultdict(set)
        for product in products:
            for code in {product.default_code, product.barcode} - {False, None, ""}:
                by_code[code].add(product.id)
        for lang in languages:
            for product in products.with_context(lang=lang, display_default_code=False):
                by_name[product.display_name].add(product.id)
        return by_code, by_name

    @api.model
    def _find_product(self, code, name, index):
        """Product ids of ``index`` a row's code (else its name) designates; among products sharing
        the code, the row's name picks out the one it was exported for."""
        by_code, by_name = index
        if not code:
            return by_name.get(name, set())
        ids = by_code.get(code, set())
        if len(ids) > 1 and by_name.get(name, set()) & ids:
            ids = by_name[name] & ids
        return ids

    def _match_products(self, data, languages):
        """{row: (product, error)}: each row's product by its code, else its name; first among the
        plan's products (archived ones too: the snapshot still counts them), then, for goods found,
        among the company's."""
        plan = self.plan_id
        Product = self.env["product.product"].with_company(plan.company_id)
        keys = {row: (str(vals.get("code") or "").strip(), str(vals.get("product") or "").strip()) for row, vals in data}
        plan_index = self._get_product_index(plan.line_ids.product_id, languages)
        found = {row: self._find_product(code, name, plan_index) for row, (code, name) in keys.items()}
        others = {keys[row] for row, ids in found.items() if not ids}
        codes = [code for code, _name in others if code]
        names = {name for code, name in others if not code and name}
        # A variant's exported name is its product's name with the attributes in brackets.
        names |= {name.rpartition(" (")[0] for name in names if name.endswith(")")}
        if codes or names:
            products = Product.search(
                Domain.OR([Domain("default_code", "in", codes), Domain("barcode", "in", codes),
                           Domain("name", "in", list(names))])
                & Domain("company_id", "in", [plan.company_id.id, False]))
            company_index = self._get_product_index(products, [self.env.lang or "en_US"])
            for row, ids in found.items():
                if not ids:
                    found[row] = self._find_product(*keys[row], company_index)
        result = {}
        for row, ids in found.items():
            code, name = keys[row]
            products = Product.browse(sorted(ids))
            error = None
            if len(products) > 1 and code:
                error = self.env._(
                    "product code %(code)r belongs to several products (%(products)s); give each of them its own "
                    "internal reference and write that reference in the column %(column)s",
                    code=code, products=", ".join(products.mapped("display_name")), column=self.env._("Product Code"))
            elif len(products) > 1:
                error = self.env._(
                    "product name %(name)r belongs to several products (%(products)s); write the internal reference "
                    "of the one counted in the column %(column)s",
                    name=name, products=", ".join(products.mapped("display_name")), column=self.env._("Product Code"))
            elif not products and code:
                error = self.env._(
                    "unknown product code %(code)r (no product has this internal reference or barcode); correct "
                    "it, or empty it and give the product's name in the column %(column)s",
                    code=code, column=self.env._("Product"))
            elif not products and name:
                error = self.env._(
                    "unknown product %(name)r; write its internal reference in the column %(column)s",
                    name=name, column=self.env._("Product Code"))
            elif not products:
                error = self.env._(
                    "no product given; write its internal reference in the column %(column)s",
                    column=self.env._("Product Code"))
            result[row] = (products if not error else Product, error)
        return result

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

    def _check_tracking(self, product, lot, qty, line):
        """An error message if ``qty`` cannot be posted for ``product`` on this row, else None:
        a serial number is there once or not at all, and a difference of a tracked product
        needs its lot."""
        if lot and product.tracking == "serial" and not product.uom_id.is_zero(qty) and product.uom_id.compare(qty, 1):
            return self.env._(
                "%(product)s is tracked by serial number: count serial %(lot)s as 1 (found) or 0 (missing)",
                product=product.display_name, lot=lot.name)
        if line and self.plan_id.blind and not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            # a blind count's book is not told to its counters, not even by an error; posting's
            # own check of the lots (at approval) still holds
            return None
        if not lot and product.tracking != "none" and product.uom_id.compare(qty, line.book_qty if line else 0.0):
            return self.env._(
                "%(product)s is tracked by lot/serial number: write the lot/serial number in the column "
                "%(column)s and count each lot on its own row",
                product=product.display_name, column=self.env._("Lot/Serial"))
        return None

    def _validate(self, data):
        """-> (errors, [(row, line, product, lot, package, owner, location, qty, count time)], unchanged rows)."""
        plan = self.plan_id
        errors, parsed, seen, unchanged = [], [], {}, 0
        locations = {loc.complete_name: loc for loc in plan._get_scope_locations()}
        languages = self._get_languages()
        products = self._match_products(data, languages)
        all_products = self.env["product.product"].concat(*(product for product, _error in products.values()))
        lot_names = {str(vals["lot"]).strip() for _row, vals in data if vals.get("lot") not in (None, "")}
        lots = self.env["stock.lot"].search([
            ("name", "in", list(lot_names)), ("product_id", "in", all_products.ids),
        ]) if lot_names else self.env["stock.lot"]
        by_lot = {(lot.product_id.id, lot.name): lot for lot in lots}
        by_package = self._get_by_name(data, "package", "stock.package")
        by_owner = self._get_by_name(data, "owner", "res.partner")
        # the book quantity (a manager's field) tells whether a tracked product's row needs a lot
        lines = {(line.product_id.id, line.lot_id.id, line.package_id.id, line.owner_id.id, line.location_id.id): line
                 for line in plan.line_ids.sudo()}
        unit_names = {}
        number_format = self._get_number_format()
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
            product, product_error = products[row]
            if product_error:
                row_errors.append(product_error)
            lot_name = str(vals.get("lot") or "").strip()
            lot = self.env["stock.lot"]
            if lot_name and product:
                lot = by_lot.get((product.id, lot_name), lot)
                if not lot:
                    row_errors.append(self.env._(
                        "unknown lot/serial %(lot)r for %(product)s; create it in Inventory (Lots/Serial Numbers) "
                        "first, or leave the cell empty", lot=lot_name, product=product.display_name))
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
            own_time = None
            try:
                own_time = self._parse_count_time(vals.get("count_time"))
            except ValueError:
                row_errors.append(self.env._(
                    "count time %(value)r is not a date and time (write it as YYYY-MM-DD HH:MM)",
                    value=vals.get("count_time")))
            else:
                time_error = own_time and self._check_count_time(own_time)
                if time_error:
                    row_errors.append(time_error)
            uom_name = str(vals.get("uom") or "").strip()
            if uom_name and product:
                uom = product.uom_id
                if uom not in unit_names:
                    unit_names[uom] = {uom.with_context(lang=lang).name for lang in languages}
                if uom_name not in unit_names[uom]:
                    row_errors.append(self.env._(
                        "unit %(unit)r is not the unit of %(product)s (%(product_unit)s); count in %(product_unit)s",
                        unit=uom_name, product=product.display_name, product_unit=uom.name,
                    ))
            counted = vals.get("counted")
            qty = None
            if counted is not None and str(counted).strip() != "":
                try:
                    qty = self._parse_quantity(counted, number_format)
                except ValueError:
                    row_errors.append(self.env._(
                        "counted quantity %(value)r is not a number; write it like %(example)s",
                        value=counted, example=number_format[2]))
                else:
                    if qty < 0:
                        row_errors.append(self.env._("counted quantity %(value)s is negative", value=counted))
            key = (product.id, lot.id, package.id, owner.id, location.id if location else False)
            line = lines.get(key)
            if product and qty is not None and qty >= 0 and (lot or not lot_name):
                if not product.is_storable:
                    row_errors.append(self.env._(
                        "%(product)s does not track stock (it is not a storable product) and is not counted; "
                        "remove the row", product=product.display_name))
                else:
                    tracking_error = self._check_tracking(product, lot, qty, line)
                    if tracking_error:
                        row_errors.append(tracking_error)
            if product and location:
                if key in seen:
                    row_errors.append(self.env._(
                        "duplicate of row %(row)s (same location, product, lot, package and owner)", row=seen[key]))
                else:
                    seen[key] = row
            if row_errors:
                errors.append(self.env._("Row %(row)s: %(errors)s", row=row, errors="; ".join(row_errors)))
            elif qty is None:
                continue
            elif (line and line.is_counted and not product.uom_id.compare(line.counted_qty, qty)
                  and own_time in (None, line.counted_at)):
                # The exported sheet repeats the counts already made: re-importing it must not
                # re-date them (and so re-read the moves before the count) nor change their counter.
                unchanged += 1
            else:
                parsed.append((row, line, product, lot, package, owner, location, qty, own_time or declared_time))
        return errors, parsed, unchanged

    def action_import(self):
        self.ensure_one()
        plan = self.plan_id
        plan._check_state(("in_progress",), self.env._("import counted quantities"))
        errors, parsed, unchanged = self._validate(self._read_rows())
        if errors:
            raise UserError(self.env._(
                "Nothing was imported; correct these cells and import the file again:\n%(errors)s",
                errors="\n".join(errors),
            ))
        Line = self.env["jxc.count.line"]
        new_vals = [{"plan_id": plan.id, "product_id": product.id, "lot_id": lot.id, "package_id": package.id,
                     "owner_id": owner.id, "location_id": location.id}
                    for _row, line, product, lot, package, owner, location, _qty, _at in parsed if not line]
        # Goods found during the count: their lines first, counted below like the others.
        new_lines = iter(Line.create(new_vals) if new_vals else [])
        by_count = defaultdict(list)
        for _row, line, _product, _lot, _package, _owner, _location, qty, counted_at in parsed:
            by_count[qty, counted_at].append(line.id if line else next(new_lines).id)
        # One write per distinct quantity and time keeps thousands of lines to a few queries.
        for (qty, counted_at), line_ids in by_count.items():
            if counted_at:
                Line.browse(line_ids)._write_counts({"counted_qty": qty}, counted_at)
            else:
                Line.browse(line_ids).write({"counted_qty": qty})
        plan.message_post(body=self.env._(
            "%(count)s counted quantities imported from %(file)s (%(new)s new line(s); %(unchanged)s row(s) "
            "already counted with the same quantity left as they were).",
            count=len(parsed), file=self.filename or "Excel", new=len(new_vals), unchanged=unchanged,
        ))
        return {"type": "ir.actions.act_window_close"}
