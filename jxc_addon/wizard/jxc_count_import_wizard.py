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
from odoo.tools.misc import formatLang

from ..models.jxc_count_plan_scan import MAX_TYPED_QTY
from ..tools.company_day import local_to_utc, reader_tz
from ..tools.window_action import notification_action

# Spaces a user may type where the language groups thousands with a space (fr_FR has U+202F).
SPACES = (" ", "\u00a0", "\u202f")
# The hidden sheet of an exported count sheet: each line's count as exported. A technical name,
# the same in every language, so that a colleague's sheet is recognized whatever its language.
STAMP_SHEET = "jxc_count_stamps"
# Column titles earlier versions exported whose translation has changed since: a sheet
# exported before an upgrade and filled during it still imports (an owner column read as
# unknown would put consigned goods on the company's own stock).
EARLIER_TITLES = {"货主": "owner"}
# The goods each line counts, in the hidden sheet after each line's count: they recognize the
# row of a line deleted since the export. In the order of a row's key in ``_validate``.
STAMP_KEY_COLUMNS = ("product_id", "lot_id", "package_id", "owner_id", "location_id")


class JxcCountImportWizard(models.TransientModel):
    """Read the counted column of an exported count sheet back into the plan.

    Every cell is checked first; one bad cell and nothing is applied, and the errors
    are listed with their Excel row numbers. Columns are found by their titles; an optional
    Count Time column says when each row was counted (else the plan's declared count time,
    else the moment of the import).

    A row is the plan's line of its product and location with the lot, package and owner the
    export wrote for it; only a row of goods found during the count (no such line) looks the
    names up elsewhere, in the plan's company.

    The export adds a hidden sheet with each line's count as exported (recount round, quantity,
    count time, and its product, location, lot, package and owner), so that a sheet imported after
    its lines were counted again cannot put its older counts back: a row left as exported is not
    imported, and a row changed on a line that was counted or sent back for a recount since the
    export is refused (export a fresh sheet). So is a row of a line deleted since the export (goods
    found entered by mistake): left as exported it is not imported, changed it is refused; it is
    not taken for goods found again.
    A sheet without that hidden sheet (exported by an earlier version, or copied into another
    workbook) is imported as before: a row is left out only when it repeats the line's current
    count, and any other count replaces the line's.
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
        titles = dict(EARLIER_TITLES)
        for lang in self._get_languages():
            wizard = self.with_context(lang=lang)
            columns = wizard._get_columns(False, packages=True, owners=True)
            columns.append(("count_time", wizard.env._("Count Time"), "datetime"))
            titles.update({title: key for key, title, _type in columns})
        return titles

    @api.model
    def _prepare_stamp_sheet(self, lines):
        """The hidden sheet of the count sheet: [line id, recount round, counted quantity, count
        time (UTC), product id, lot id, package id, owner id, location id] of each of ``lines`` as
        exported (quantity and time empty when the line is not counted; lot, package and owner when
        none), which the import compares with the plan (``_read_stamps``)."""
        key_columns = [{"title": name, "type": "int"} for name in STAMP_KEY_COLUMNS]
        return {
            "title": STAMP_SHEET,
            "heading": self.env._("Written by the export: the counts of the plan when the sheet was exported. The "
                                  "import compares them with the plan; do not change them."),
            "columns": [{"title": "id", "type": "int"}, {"title": "recount_round", "type": "int"},
                        {"title": "counted_qty", "type": "float"}, {"title": "counted_at", "type": "char"},
                        *key_columns],
            "rows": [[line.id, line.recount_round, line.counted_qty if line.is_counted else None,
                      fields.Datetime.to_string(line.counted_at) if line.is_counted and line.counted_at else None,
                      *(line[name].id or None for name in STAMP_KEY_COLUMNS)]
                     for line in lines],
            "hidden": True,
        }

    def _load_book(self):
        try:
            return openpyxl.load_workbook(io.BytesIO(base64.b64decode(self.file)), read_only=True, data_only=True)
        except Exception as error:
            raise UserError(self.env._("The file is not an Excel workbook (.xlsx): %(error)s", error=error)) from error

    @api.model
    def _read_stamps(self, book):
        """{line id: (recount round, counted quantity, count time, goods)} of the lines as the sheet
        was exported (quantity and time None: not counted; goods: the ids of ``STAMP_KEY_COLUMNS``,
        False for none, as ``_validate`` keys a row; None when the sheet was exported without them);
        None for a sheet without the hidden sheet."""
        if STAMP_SHEET not in book.sheetnames:
            return None
        stamps = {}
        width = 4 + len(STAMP_KEY_COLUMNS)
        # below jxc.xlsx's title, subtitle and header rows
        for values in book[STAMP_SHEET].iter_rows(min_row=5, values_only=True):
            line_id, recount_round, qty, counted_at, *ids = (tuple(values) + (None,) * width)[:width]
            try:
                goods = tuple(int(value) if value not in (None, "") else False for value in ids)
                stamps[int(line_id)] = (
                    int(recount_round), None if qty in (None, "") else float(qty),
                    fields.Datetime.to_datetime(counted_at) if counted_at else None,
                    goods if goods[0] and goods[-1] else None,
                )
            except (TypeError, ValueError):
                continue  # changed by hand: its line counts as not exported
        return stamps

    @api.model
    def _read_rows(self, book):
        """[(row number, {key: value})] of the rows under the header of the workbook's first sheet."""
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
        # whole seconds, as Odoo stores a datetime written through the ORM and as the export's
        # stamp of the count: a time kept to the millisecond would never equal its stamp again
        return local_to_utc(self._get_clock(), value.replace(microsecond=0))

    def _get_clock(self):
        """The timezone the importer types and reads times in, as Odoo shows them datetimes: the
        web client's (the context's), else the user's, else the company's. One clock for the
        times read from the sheet and the times the messages show."""
        return reader_tz(self.env, self.plan_id.company_id)

    def _check_count_time(self, counted_at):
        """An error message if ``counted_at`` is not between the snapshot and now, else None."""
        plan = self.plan_id
        if plan.snapshot_date and counted_at < plan.snapshot_date:
            return self.env._("count time %(time)s is before the count started (%(start)s)",
                              time=self._format_time(counted_at), start=self._format_time(plan.snapshot_date))
        if counted_at > fields.Datetime.now():
            return self.env._("count time %(time)s is in the future", time=self._format_time(counted_at))
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
        and barcodes, names are shown with their variant attributes and without code (as exported).
        Without the spaces around them, as the sheet's cells are read: Odoo keeps a reference
        typed with a space."""
        by_code, by_name = defaultdict(set), defaultdict(set)
        for product in products:
            for code in {(product.default_code or "").strip(), (product.barcode or "").strip()} - {""}:
                by_code[code].add(product.id)
        for lang in languages:
            for product in products.with_context(lang=lang, display_default_code=False):
                by_name[product.display_name.strip()].add(product.id)
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
            # "ilike": also a reference typed with spaces in Odoo (and more, which the index,
            # matching the code exactly, leaves out)
            products = Product.search(
                Domain.OR([Domain("name", "in", list(names)), *(
                    Domain("default_code", "ilike", code) | Domain("barcode", "ilike", code) for code in codes)])
                & Domain(Product._check_company_domain(plan.company_id)))
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

    def _get_by_name(self, data, key, model, domain=()):
        """{name: [records]} of the plan company's (or no company's) ``model`` named in column ``key``
        (several: an ambiguous name)."""
        names = {str(vals[key]).strip() for _row, vals in data if vals.get(key) not in (None, "")}
        by_name = defaultdict(list)
        if names:
            for record in self.env[model].search([
                ("name", "in", list(names)), ("company_id", "in", [self.plan_id.company_id.id, False]), *domain,
            ]):
                by_name[record.name].append(record)
        return by_name

    @api.model
    def _get_line_names(self, line):
        """(lot, package, owner) of ``line`` as the export writes them ("": none)."""
        return tuple((record.name or "").strip() for record in (line.lot_id, line.package_id, line.owner_id))

    @api.model
    def _pick_named(self, name, *pools):
        """The records named ``name`` in the first of ``pools`` (iterables of records) having any."""
        for pool in pools:
            found = {record for record in pool if (record.name or "").strip() == name}
            if found:
                return list(found)
        return []

    def _pick_one(self, name, pools, errors, ambiguous, unknown):
        """The one record named ``name`` in ``pools`` (``_pick_named``); else None, and the
        message ``ambiguous`` (several) or ``unknown`` (none) added to ``errors``."""
        found = self._pick_named(name, *pools)
        if len(found) == 1:
            return found[0]
        errors.append(ambiguous if found else unknown)
        return None

    def _match_line(self, product, location, names, place_lines, plan_lines, company_records):
        """(line, lot, package, owner, errors) of a row giving ``names`` (lot, package, owner; "":
        none) for ``product`` (may be empty) at ``location`` (None: unknown).

        The row is the line among ``place_lines`` (the plan's lines of the product at the location)
        the export wrote these names for. A row of goods found (no such line) takes each record
        named among the place's lines, then among the plan's, then among the plan company's
        (``company_records``: lots by (product id, name), packages by name, owners by name, archived
        owners too: consigned stock may outlive its owner's partner)."""
        Lot, Package, Partner = self.env["stock.lot"], self.env["stock.package"], self.env["res.partner"]
        matches = [line for line in place_lines if self._get_line_names(line) == names]
        if len(matches) == 1:
            line = matches[0]
            return line, line.lot_id, line.package_id, line.owner_id, []
        if matches:
            return None, Lot, Package, Partner, [self.env._(
                "the plan has %(count)s lines of %(product)s at %(location)s with this lot, package and owner "
                "(packages or partners named alike); count them on the plan's screen",
                count=len(matches), product=product.display_name, location=location.complete_name)]
        lot_name, package_name, owner_name = names
        company_lots, company_packages, company_owners = company_records
        errors = []
        lot = package = owner = None
        if lot_name and product:
            # a lot is unique per product within a company: never more than one
            unknown_lot = self.env._(
                "unknown lot/serial %(lot)r for %(product)s; create it in Inventory (Lots/Serial Numbers) first, or "
                "correct the number", lot=lot_name, product=product.display_name)
            lot = self._pick_one(lot_name, ([line.lot_id for line in place_lines],
                                            company_lots.get((product.id, lot_name), [])), errors, unknown_lot, unknown_lot)
        if package_name:
            package = self._pick_one(
                package_name, ([line.package_id for line in place_lines], plan_lines.package_id,
                               company_packages.get(package_name, [])), errors,
                self.env._("several packages are named %(package)r; add these goods on the plan's screen, where the "
                           "package is picked from a list", package=package_name),
                self.env._("unknown package %(package)r (no package of %(company)s has this name)",
                           package=package_name, company=self.plan_id.company_id.name))
        if package and location and package.location_id and package.location_id != location:
            # the goods are posted in the package where the row counts them: a package elsewhere
            # would take them there (the line's form offers the location's packages and empty ones)
            errors.append(self.env._(
                "package %(package)r is at %(where)s, not at %(location)s; count it there, or write a package of "
                "%(location)s or an empty one", package=package_name, where=package.location_id.complete_name,
                location=location.complete_name))
            package = None
        if owner_name:
            owner = self._pick_one(
                owner_name, ([line.owner_id for line in place_lines], plan_lines.owner_id,
                             company_owners.get(owner_name, [])), errors,
                self.env._("several partners are named %(owner)r; add these goods on the plan's screen, where the "
                           "owner is picked from a list", owner=owner_name),
                self.env._("unknown owner %(owner)r (give the partner's exact name)", owner=owner_name))
        return None, lot or Lot, package or Package, owner or Partner, errors

    def _format_time(self, value):
        """A UTC datetime on the importer's clock (``_get_clock``)."""
        return pytz.utc.localize(value).astimezone(self._get_clock()).strftime("%Y-%m-%d %H:%M:%S")

    def _check_since_export(self, line, qty, own_time, stamps):
        """("apply", None), ("unchanged", None) or ("refused", error) for a row counting ``qty`` (at
        ``own_time``, if it gives one) for ``line`` (None: goods found, a new line).

        ``stamps`` are the lines' counts as the sheet was exported: a row left as exported is
        not applied, and a row changed on a line whose count changed since (counted again, or
        sent back for a recount) is refused, for it would replace a newer count. None: a sheet
        without them (exported by an earlier version), whose every row is applied unless it
        repeats the line's current count, as those versions did."""
        uom = line.product_id.uom_id if line else None

        def repeats(count_qty, count_at):
            return not uom.compare(count_qty, qty) and own_time in (None, count_at)

        if line and line.is_counted and repeats(line.counted_qty, line.counted_at):
            # The sheet repeats the count already made (re-imported, say): importing it must not
            # re-date it (and so re-read the moves before the count) nor change its counter.
            return "unchanged", None
        if stamps is None or not line:
            return "apply", None
        exported = stamps.get(line.id)
        if exported and exported[1] is not None and repeats(exported[1], exported[2]):
            # left as exported: the line's count may have changed since, the counter's has not
            return "unchanged", None
        if exported:
            recount_round, exported_qty, exported_at, _goods = exported
            unchanged_since = (recount_round, None if exported_qty is None else uom.round(exported_qty), exported_at) == (
                line.recount_round, uom.round(line.counted_qty) if line.is_counted else None,
                (line.counted_at or None) if line.is_counted else None)
        else:
            unchanged_since = not line.is_counted  # added (for goods found) since the export, not counted yet
        if unchanged_since:
            return "apply", None
        if not line.is_counted:
            return "refused", self.env._(
                "the line was sent back for a recount after this sheet was exported; export a fresh sheet and "
                "enter the recount in it")
        return "refused", self.env._(
            "the line was counted after this sheet was exported (%(qty)s %(unit)s on %(time)s by %(user)s) and "
            "this count would replace it; export a fresh sheet and enter your count in it",
            qty=formatLang(self.env, line.counted_qty, dp="Product Unit"), unit=uom.name,
            time=self._format_time(line.counted_at) if line.counted_at else "-",
            user=line.counted_by_id.name or "-")

    def _check_deleted_since_export(self, product, qty, own_time, exported):
        """("unchanged", None) or ("refused", error) for a row counting ``qty`` of ``product`` (at
        ``own_time``, if it gives one) whose line was exported with the sheet (``exported``: its
        stamp) and deleted from the plan since: left as exported, the row is not applied (a sheet
        imported again changes nothing); changed, it is refused, for the goods it counts were taken
        off the count after the export."""
        _round, exported_qty, exported_at, _goods = exported
        if exported_qty is not None and not product.uom_id.compare(exported_qty, qty) \
                and own_time in (None, exported_at):
            return "unchanged", None
        return "refused", self.env._(
            "the line of these goods was deleted from the plan after this sheet was exported; if the goods are "
            "there, export a fresh sheet and add their row to it")

    def _check_tracking(self, product, lot, qty, line):
        """An error message if ``qty`` cannot be posted for ``product`` on this row, else None:
        a serial number is there once or not at all, and a gain of a tracked product needs its
        lot."""
        if self.env["jxc.count.line"]._is_serial_miscount(product, lot, qty):
            return self.env._(
                "%(product)s is tracked by serial number: count serial %(lot)s as 1 (found) or 0 (missing)",
                product=product.display_name, lot=lot.name)
        if line and self.plan_id.blind and not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            # a blind count's book is not told to its counters, not even by an error; posting's
            # own check of the lots (at approval) still holds
            return None
        # goods counted need their lot; the stock without a lot (from before tracking, or a negative
        # one) may be counted down, to 0 at most
        if not lot and product.tracking != "none" and product.uom_id.compare(qty, 0.0) > 0 \
                and product.uom_id.compare(qty, line.book_qty if line else 0.0) > 0:
            return self.env._(
                "%(product)s is tracked by lot/serial number: write the lot/serial number in the column "
                "%(column)s and count each lot on its own row",
                product=product.display_name, column=self.env._("Lot/Serial"))
        return None

    def _validate(self, data, stamps=None):
        """-> (errors, [(row, line, product, lot, package, owner, location, qty, count time)], unchanged rows);
        ``stamps``: the lines' counts as the sheet was exported (see ``_check_since_export``)."""
        plan = self.plan_id
        errors, parsed, seen, unchanged = [], [], {}, 0
        locations = defaultdict(list)  # Odoo allows two locations of the same name
        # and the lines' own: a location emptied and archived during the count keeps its rows
        for scope_location in plan._get_scope_locations() | plan.line_ids.location_id:
            locations[scope_location.complete_name].append(scope_location)
        languages = self._get_languages()
        products = self._match_products(data, languages)
        all_products = self.env["product.product"].concat(*(product for product, _error in products.values()))
        company_lots = defaultdict(list)
        for lots in self._get_by_name(data, "lot", "stock.lot", [("product_id", "in", all_products.ids)]).values():
            for lot in lots:
                company_lots[lot.product_id.id, lot.name].append(lot)
        company_records = (
            company_lots,
            self._get_by_name(data, "package", "stock.package"),
            self._get_by_name(data, "owner", "res.partner", [("active", "in", [True, False])]),
        )
        # the book quantity (a manager's field) tells whether a tracked product's row needs a lot
        plan_lines = plan.line_ids.sudo()
        place_lines = defaultdict(list)
        for line in plan_lines:
            place_lines[line.product_id.id, line.location_id.id].append(line)
        unit_names = {}
        number_format = self._get_number_format()
        # the goods of the lines exported with the sheet and deleted since: their rows are no goods found
        line_ids = set(plan_lines.ids)
        deleted = {stamp[3]: stamp for line_id, stamp in (stamps or {}).items() if stamp[3] and line_id not in line_ids}
        declared_time = plan.declared_count_time
        if declared_time:
            error = self._check_count_time(declared_time)
            if error:
                errors.append(self.env._("Declared count time of the plan: %(error)s", error=error))
        for row, vals in data:
            row_errors = []
            location_name = str(vals.get("location") or "").strip()
            candidates = locations.get(location_name, [])
            location = candidates[0] if len(candidates) == 1 else self.env["stock.location"]
            if not candidates:
                row_errors.append(self.env._("unknown location %(location)r (not a location of this plan)", location=location_name))
            elif len(candidates) > 1:
                row_errors.append(self.env._(
                    "several locations are named %(location)r: rename all but one (Inventory > Configuration > "
                    "Locations) and export the sheet again", location=location_name))
            product, product_error = products[row]
            if product_error:
                row_errors.append(product_error)
            names = tuple(str(vals.get(key) or "").strip() for key in ("lot", "package", "owner"))
            line, lot, package, owner, match_errors = self._match_line(
                product, location, names, place_lines.get((product.id, location.id), []) if product and location else [],
                plan_lines, company_records)
            row_errors += match_errors
            lot_name = names[0]
            own_time = None
            try:
                own_time = self._parse_count_time(vals.get("count_time"))
            except ValueError:
                row_errors.append(self.env._(
                    "count time %(value)r is not a date and time (write it as YYYY-MM-DD HH:MM)",
                    value=str(vals.get("count_time"))))  # the cell as written: a time alone is no datetime.time(...)
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
                    if isinstance(counted, datetime):
                        row_errors.append(self.env._(
                            "counted quantity %(value)s is a date: Excel took what was typed for one; format the "
                            "column %(column)s as Number and write it like %(example)s",
                            value=counted.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00"), column=self.env._("Counted Quantity"),
                            example=number_format[2]))
                    else:
                        row_errors.append(self.env._(
                            "counted quantity %(value)r is not a number; write it like %(example)s",
                            value=str(counted), example=number_format[2]))
                else:
                    if qty < 0:
                        row_errors.append(self.env._("counted quantity %(value)s is negative", value=counted))
                    elif not qty <= MAX_TYPED_QTY:  # nan too
                        row_errors.append(self.env._(
                            "counted quantity %(value)s is more than a count sheet takes (%(max)s): a label scanned "
                            "into the cell writes its barcode there; write the number counted, or enter a larger "
                            "count on the stocktake's line",
                            value=formatLang(self.env, qty, digits=0) if qty < 1e18 else str(counted),
                            max=formatLang(self.env, MAX_TYPED_QTY, digits=0)))
            key = (product.id, lot.id, package.id, owner.id, location.id if location else False)
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
            counted_at = own_time or declared_time
            if qty is not None and line and line.recount_asked_at and counted_at and counted_at < line.recount_asked_at:
                # a time of the round before: the moves since would be taken out of the recount
                row_errors.append(self.env._(
                    "count time %(time)s is before the recount was asked (%(asked)s); write when the goods were "
                    "counted again", time=self._format_time(counted_at), asked=self._format_time(line.recount_asked_at)))
            if not row_errors and qty is not None:
                if not line and key in deleted:
                    outcome, since_error = self._check_deleted_since_export(product, qty, own_time, deleted[key])
                else:
                    outcome, since_error = self._check_since_export(line, qty, own_time, stamps)
                if outcome == "refused":
                    row_errors.append(since_error)
                elif outcome == "unchanged":
                    unchanged += 1
                else:
                    parsed.append((row, line, product, lot, package, owner, location, qty, counted_at))
            if row_errors:
                errors.append(self.env._("Row %(row)s: %(errors)s", row=row, errors="; ".join(row_errors)))
        return errors + self._check_found_elsewhere(parsed), parsed, unchanged

    def _check_found_elsewhere(self, parsed):
        """Row errors of the goods found (rows without a line of the plan) that another plan is
        counting at that location: the plan's scope is fixed once started, the row must go."""
        found = [(row, product, location) for row, line, product, _lot, _pack, _owner, location, _qty, _at in parsed
                 if not line]
        counting = {(product_id, location_id): name for name, product_id, location_id in self.plan_id._get_overlaps(
            list({(product.id, location.id) for _row, product, location in found}))}
        return [
            self.env._(
                "Row %(row)s: %(product)s at %(location)s is being counted by plan %(plan)s; count it there and "
                "remove the row", row=row, product=product.display_name, location=location.complete_name,
                plan=counting[product.id, location.id])
            for row, product, location in found if (product.id, location.id) in counting
        ]

    def action_import(self):
        self.ensure_one()
        plan = self.plan_id
        plan._check_state(("in_progress",), self.env._("import counted quantities"))
        book = self._load_book()
        stamps = self._read_stamps(book)
        self._check_own_sheet(stamps)
        errors, parsed, unchanged = self._validate(self._read_rows(book), stamps)
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
        new_lines = iter(Line._create_found_lines(new_vals) if new_vals else [])
        by_count = defaultdict(list)
        for _row, line, _product, _lot, _package, _owner, _location, qty, counted_at in parsed:
            by_count[qty, counted_at].append(line.id if line else next(new_lines).id)
        # One write per distinct quantity and time keeps thousands of lines to a few queries.
        for (qty, counted_at), line_ids in by_count.items():
            if counted_at:
                Line.browse(line_ids)._write_counts({"counted_qty": qty}, counted_at)
            else:
                Line.browse(line_ids).write({"counted_qty": qty})
        summary = self.env._(
            "%(count)s counted quantities imported from %(file)s (%(new)s new line(s); %(unchanged)s row(s) "
            "left as exported or repeating the count made were not applied).",
            count=len(parsed), file=self.filename or "Excel", new=len(new_vals), unchanged=unchanged,
        )
        plan.message_post(body=summary)
        # on screen too: a sheet whose rows were all left out closes like one that was applied
        return notification_action(
            summary, "success" if parsed else "warning", title=self.env._("Count Sheet Imported"),
            next_action={"type": "ir.actions.act_window_close"},
        )

    def _check_own_sheet(self, stamps):
        """Refuse a sheet exported from another plan, or from this one before it was reset and
        started again: its lines are none of the plan's, and its counts would go to lines of
        the same product and location counted on another day."""
        if stamps and not self.env["jxc.count.line"].sudo().search_count(
            [("id", "in", list(stamps)), ("plan_id", "=", self.plan_id.id)], limit=1,
        ):
            raise UserError(self.env._(
                "This sheet was exported from another count plan, or from %(plan)s before it was reset and "
                "started again; nothing was imported. Export this plan's sheet and enter the counts in it.",
                plan=self.plan_id.display_name,
            ))
