import math

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, clean_context, format_date, formatLang
from odoo.tools.barcode import get_barcode_check_digit

from ..tools.counts import count_by
from .jxc_count_plan import MANAGER_GROUP

# The most a quantity typed on the scanning screen may be, in the line's unit: more is a barcode
# read into the quantity box or a slip of the finger (a larger count is entered on the stocktake).
MAX_TYPED_QTY = 1_000_000
# Odoo's barcode service takes 3 characters or more for a scan (barcodes/static/src/barcode_service.js).
MIN_SCAN_LENGTH = 3
# GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14 are one number padded with leading zeros.
GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_variants(number):
    """The ways the GTIN ``number`` may be stored on a product: without its leading zeros, and
    padded to each GTIN length it fits (a GTIN-14 read from a label finds the UPC-A of the product)."""
    unpadded = number.lstrip("0")
    if not unpadded:
        return set()
    return {unpadded} | {unpadded.zfill(length) for length in GTIN_LENGTHS if len(unpadded) <= length}


def is_gtin(barcode):
    """``barcode`` is a GTIN-8/12/13/14 with a right check digit."""
    return (barcode.isdigit() and len(barcode) in GTIN_LENGTHS
            and barcode[-1] == str(get_barcode_check_digit(barcode)))


class ScanError(Exception):
    """A scan that changes nothing: the screen shows the message and plays the error sound."""


class JxcCountPlan(models.Model):
    """The methods of the scanning screen (``jxc_count_scan`` client action), one per action.

    Each checks access with the normal ORM (the counter's groups and record rules) and writes
    counts through the line's own ``create``/``write``, so the count time and the moves before
    the count are set by the server exactly as for a count typed on the line.
    """

    _inherit = "jxc.count.plan"

    scan_count = fields.Integer(compute="_compute_scan_count", string="Scans")

    @api.depends_context("uid")
    def _compute_scan_count(self):
        # the entries the user may read (a counter's own, a manager's every one)
        counts = count_by(self, "jxc.count.scan", "plan_id")
        for plan in self:
            plan.scan_count = counts.get(plan, 0)

    def action_view_scans(self):
        """The scan log of this plan: what each scan or typed quantity changed."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scans of %(plan)s", plan=self.name),
            "res_model": "jxc.count.scan",
            "views": [(self.env.ref("jxc_addon.jxc_count_scan_view_list").id, "list")],
            "search_view_id": [self.env.ref("jxc_addon.jxc_count_scan_view_search").id],
            "domain": [("plan_id", "=", self.id)],
        }

    def action_open_scan(self):
        """Open the scanning screen on this stocktake."""
        self._jxc_scan_check()
        return {
            "type": "ir.actions.client",
            "tag": "jxc_count_scan",
            "name": self.env._("Scan Count"),
            "params": {"plan_id": self.id},
        }

    # --- screen data ---------------------------------------------------------------
    @api.model
    def jxc_scan_get_plans(self):
        """The stocktakes being counted that are assigned to me (or to no one in particular)."""
        uid = self.env.uid
        plans = self.search([
            ("state", "=", "in_progress"), ("company_id", "in", self.env.companies.ids),
            "|", "|", ("counter_ids", "in", uid), ("user_id", "=", uid), ("counter_ids", "=", False),
        ])
        return [{
            "id": plan.id, "name": plan.name, "warehouse": plan.warehouse_id.name, "blind": plan.blind,
            "line_count": plan.line_count, "counted_count": plan.counted_count,
            "date": fields.Date.to_string(plan.date_scheduled),
        } for plan in plans]

    def jxc_scan_get_state(self, location_id=False, package_id=False):
        """What the screen shows: the plan, its locations with their progress, the current location's lines."""
        self._jxc_scan_check(location_id=location_id, package_id=package_id)
        Line = self.env["jxc.count.line"]
        plan_domain = Domain("plan_id", "=", self.id)
        totals = dict(Line._read_group(plan_domain, ["location_id"], ["__count"]))
        counted = dict(Line._read_group(plan_domain & Domain("is_counted", "=", True), ["location_id"], ["__count"]))
        locations = self.env["stock.location"].browse(location_id) if location_id else self.env["stock.location"]
        locations = (locations | self.env["stock.location"].concat(*totals)).sorted("complete_name")
        location = self.env["stock.location"].browse(location_id) if location_id else None
        lines = Line.search(plan_domain & Domain("location_id", "=", location.id)) if location else Line
        hide_book = self._is_book_hidden()
        last = self._jxc_scan_last_entry()
        return {
            "plan": {"id": self.id, "name": self.name, "warehouse": self.warehouse_id.name, "blind": self.blind,
                     "line_count": self.line_count, "counted_count": self.counted_count},
            "locations": [{"id": loc.id, "name": loc.complete_name, "barcode": loc.barcode or "",
                           "total": totals.get(loc, 0), "counted": counted.get(loc, 0)} for loc in locations],
            "location": location and {"id": location.id, "name": location.complete_name,
                                      "total": totals.get(location, 0), "counted": counted.get(location, 0)},
            "package": package_id and self.env["stock.package"].browse(package_id).exists().name,
            "lines": [line._jxc_scan_line_data(hide_book) for line in lines],
            # the quantities' decimals, so that the screen shows and pre-fills them exactly
            "qty_digits": self.env["decimal.precision"].precision_get("Product Unit"),
            "can_undo": bool(last),
            "undo_label": last and (last.line_id.display_name or last.barcode or ""),
            # the entry the Undo button undoes: a second click, or a request sent again, finds it gone
            "undo_entry_id": last.id,
        }

    # --- actions -------------------------------------------------------------------
    def jxc_scan(self, barcode, location_id=False, package_id=False, request_key=False):
        """A barcode scanned (keyboard wedge, camera or typed): a location, a package, or one more of a product.

        Returns ``{"ok", "message", "kind", "location_id", "package_id", "line_id", "state"}``.
        A barcode that is unknown or wrong here changes nothing: ``ok`` is False and the message
        says why and what to scan instead.

        :param request_key: the screen's key of this scan: the same scan sent again (its answer
            was lost on the way back) is answered from the count it made, not counted again
        """
        self._jxc_scan_check(location_id=location_id, package_id=package_id)
        if barcode and not isinstance(barcode, str):
            raise UserError(self.env._("The screen sent %(value)s as the barcode, which is not text; reload the screen "
                                       "and scan again.", value=repr(barcode)))
        barcode = (barcode or "").strip()
        # The screen sends where the counter stands; the server checks it is part of the plan.
        if location_id and location_id not in self._get_scope_locations().ids:
            raise UserError(self.env._(
                "This location is not counted by %(plan)s; scan a location of the stocktake.", plan=self.name))
        self._jxc_check_request_key(request_key)
        done = request_key and self._jxc_scan_get_entry_by_key(request_key)
        if done:
            result = self._jxc_scan_replay(done)
        elif request_key:
            result = self._jxc_scan_once(lambda: self._jxc_scan_run(barcode, location_id, package_id), request_key)
        else:
            result = self._jxc_scan_run(barcode, location_id, package_id)
        result.setdefault("ok", True)
        result.setdefault("location_id", location_id)
        result.setdefault("package_id", package_id)
        result["state"] = self.jxc_scan_get_state(result["location_id"], result["package_id"])
        return result

    def _jxc_scan_run(self, barcode, location_id, package_id):
        try:
            package = self.env["stock.package"].browse(package_id).exists() if package_id else None
            if package_id and (not package or package.location_id.id != location_id):
                # the package the screen stands in left (emptied, moved, deleted): only a location
                # or a package scanned gets the counter out, nothing is counted in it
                result = self._jxc_scan_place(barcode, location_id)
                if not result:
                    raise UserError(self.env._(
                        "This package is not at the current location; scan the location again."))
            else:
                result = self._jxc_scan_barcode(barcode, location_id, package_id)
        except ScanError as error:
            result = {"ok": False, "kind": "error", "message": str(error)}
        return result

    def _jxc_check_request_key(self, request_key):
        if request_key and (not isinstance(request_key, str) or len(request_key) > 64):
            raise UserError(self.env._("This scan came with an invalid key; reload the screen and scan again."))

    def _jxc_scan_once(self, count, request_key):
        """Run ``count()`` (a scan or a typed quantity) and give the entry it wrote its
        ``request_key``. The same request sent again while this one runs (not committed yet, so
        not found by its key) hits the key's unique index when it logs its count: it is rolled
        back and retried by Odoo's RPC (``ConcurrencyError``), and the retry finds this entry."""
        last = self._jxc_scan_last_entry()
        try:
            with self.env.cr.savepoint():
                result = count()
                entry = self._jxc_scan_last_entry()
                if entry != last:
                    entry.sudo().request_key = request_key
        except psycopg2.errors.UniqueViolation as error:
            Scan = self.env["jxc.count.scan"]
            if error.diag.constraint_name != Scan._request_key_uniq.full_name(Scan):
                raise
            raise ConcurrencyError(self.env._("This scan is being saved by the same request sent again.")) from error
        return result

    def _jxc_scan_get_entry_by_key(self, request_key):
        """The entry my scan with ``request_key`` wrote on this plan, if it counted."""
        return self.env["jxc.count.scan"].sudo().search([
            ("plan_id", "=", self.id), ("user_id", "=", self.env.uid), ("request_key", "=", request_key),
        ], limit=1)

    def _jxc_scan_replay(self, entry):
        """The answer to a scan sent again whose count is saved: what it counted, as the line is now."""
        line = entry.line_id.with_env(self.env)
        lot = line.lot_id
        return {
            "kind": "found" if entry.created_line else "count", "line_id": line.id,
            "lot": lot.name if lot else False,
            "expiry": fields.Date.to_string(entry.label_expiry_date) if entry.label_expiry_date else False,
            "message": self.env._("%(line)s: %(qty)s counted. This scan was saved already and is counted once.",
                                  line=line.display_name, qty=self._jxc_scan_format_qty(line.counted_qty)),
        }

    def jxc_set_counted(self, line_id, qty, location_id=False, package_id=False, request_key=False, shown_qty=None):
        """The quantity typed on a line of the screen, saved as entered unless it is a barcode or
        more than ``MAX_TYPED_QTY`` (``_jxc_check_typed_qty``).

        :param request_key: the screen's key of this Save: the same Save sent again (its answer
            was lost on the way back) is answered from the count it made, not counted again at a
            later time, which would take the stock moved since as a difference
        :param shown_qty: the count the line's editor opened with (None: it was not counted).
            Saved as it was, while the line still holds it, it is no new count: the line keeps
            its count, its time and its counter (a line opened to be checked)
        """
        self._jxc_scan_check(line_id=line_id, location_id=location_id, package_id=package_id)
        self._jxc_check_request_key(request_key)
        line = self._jxc_scan_get_line(line_id)
        try:
            qty = float(qty)
        except (TypeError, ValueError) as error:
            raise UserError(self.env._("%(qty)s is not a quantity; enter a number such as 12.", qty=qty)) from error
        if not math.isfinite(qty):
            raise UserError(self.env._("%(qty)s is not a quantity; enter a number such as 12.", qty=qty))
        self._jxc_check_typed_qty(line, qty)
        data, uom = line.sudo(), line.product_id.uom_id
        try:
            shown = None if shown_qty in (None, False, "") else float(shown_qty)
        except (TypeError, ValueError):
            shown = None  # not a quantity the screen showed: the Save is a count
        done = request_key and self._jxc_scan_get_entry_by_key(request_key)
        if done or (shown is not None and data.is_counted and uom.compare(qty, shown) == 0
                    and uom.compare(data.counted_qty, qty) == 0):
            message = self.env._("%(line)s: %(qty)s counted already; nothing changed.",
                                 line=line.display_name, qty=self._jxc_scan_format_qty(data.counted_qty))
        else:
            if request_key:
                self._jxc_scan_once(lambda: self._jxc_scan_write(line, qty, ""), request_key)
            else:
                self._jxc_scan_write(line, qty, "")
            message = self.env._("%(line)s: %(qty)s counted.", line=line.display_name, qty=self._jxc_scan_format_qty(line.counted_qty))
        return {"ok": True, "kind": "count", "line_id": line.id, "location_id": location_id, "package_id": package_id,
                "message": message, "state": self.jxc_scan_get_state(location_id, package_id)}

    def jxc_undo(self, location_id=False, package_id=False, entry_id=False):
        """Undo my last scan or typed quantity on this plan, exactly as the line was before.

        :param entry_id: the entry the screen offered to undo (its ``undo_entry_id``): once it is
            undone, a second click or the same request sent again undoes nothing more
        """
        self._jxc_scan_check(location_id=location_id, package_id=package_id, entry_id=entry_id)
        entry = self._jxc_scan_last_entry()
        if entry_id and entry.id != entry_id:
            offered = self.env["jxc.count.scan"].search_count(
                [("id", "=", entry_id), ("plan_id", "=", self.id), ("user_id", "=", self.env.uid)])
            if offered and entry:
                # not undone: a scan of mine saved after the screen offered that one (Undo pressed
                # while a scan was still on its way) is the last; which one to undo is the counter's
                return {"ok": False, "kind": "undo", "location_id": location_id, "package_id": package_id,
                        "message": self.env._(
                            "Nothing was undone: your scan of %(line)s was saved after the one shown. Check the "
                            "counts, then undo again if it is wrong.", line=entry.line_id.display_name),
                        "state": self.jxc_scan_get_state(location_id, package_id)}
            return {"ok": True, "kind": "undo", "location_id": location_id, "package_id": package_id,
                    "message": self.env._("Already undone."),
                    "state": self.jxc_scan_get_state(location_id, package_id)}
        if not entry:
            raise UserError(self.env._("There is nothing to undo on %(plan)s.", plan=self.name))
        # A deleted line takes its entries with it (ondelete cascade): the last entry has its line.
        line = entry.line_id
        # The line's state and the entry are read as the system (the moves before the count are
        # a manager's field).
        data, entry = line.sudo(), entry.sudo()
        if data.counted_qty != entry.new_qty or data.counted_at != entry.new_counted_at:
            raise UserError(self.env._(
                "%(line)s was counted again after your scan (now %(qty)s by %(user)s); enter its quantity instead "
                "of undoing.", line=line.display_name, qty=self._jxc_scan_format_qty(data.counted_qty), user=data.counted_by_id.name or "-",
            ))
        name = line.display_name
        line.check_access("write")
        line._check_write({"counted_qty": entry.prev_qty})
        created_lot = entry.created_lot_id
        if entry.created_line:
            line.unlink()
        elif entry.prev_counted:
            # The count time, counter and moves before the count go back to what they were: the
            # system restores them (a counter never writes them).
            data.write({"counted_qty": entry.prev_qty, "is_counted": True, "counted_at": entry.prev_counted_at,
                        "counted_by_id": entry.prev_counted_by_id.id, "moved_qty": entry.prev_moved_qty,
                        "moves_seen_id": entry.prev_moves_seen_id,
                        # an approval the scan reset comes back with the count it approved
                        **({"review_state": entry.prev_review_state, "approved_by_id": entry.prev_approved_by_id.id}
                           if entry.prev_review_state else {})})
        else:
            data.write({"counted_qty": 0.0, "is_counted": False, "counted_at": False, "counted_by_id": False,
                        "moved_qty": 0.0, "moves_seen_id": entry.prev_moves_seen_id})
        entry.unlink()
        if created_lot:
            self._jxc_scan_remove_created_lot(created_lot)
        return {"ok": True, "kind": "undo", "location_id": location_id, "package_id": package_id,
                "message": self.env._("Undone: %(line)s.", line=name),
                "state": self.jxc_scan_get_state(location_id, package_id)}

    # --- helpers -------------------------------------------------------------------
    def _jxc_scan_check(self, **ids):
        """The plan may be counted by me, and ``ids`` (the records the screen names: location,
        package, line, entry) are ids or empty: a call from another client that sends, say, a
        name gets an error that says so, not a server error."""
        self.ensure_one()
        for argument, value in ids.items():
            if value and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise UserError(self.env._(
                    "The screen sent %(value)s as %(argument)s, which is not a record's id; reload the screen.",
                    value=repr(value), argument=argument,
                ))
        self.check_access("write")
        self._check_state(("in_progress",), self.env._("count it"))
        self._jxc_scan_check_counter()

    def _jxc_scan_check_counter(self):
        """A stocktake assigned to counters is counted by them, its responsible and the
        inventory control managers; one assigned to no one by any of the company's counters."""
        plan = self.sudo()
        user = self.env.user
        if self.env.su or not plan.counter_ids or user in plan.counter_ids | plan.user_id \
                or user.has_group(MANAGER_GROUP):
            return
        raise AccessError(self.env._(
            "Count plan %(plan)s is assigned to %(counters)s: only they, its responsible (%(responsible)s) and "
            "inventory control managers can count on it. Pick a stocktake assigned to you, or ask its responsible "
            "to add you to its Counters.",
            plan=plan.name, counters=", ".join(plan.counter_ids.mapped("name")),
            responsible=plan.user_id.name or "-",
        ))

    def _jxc_scan_get_line(self, line_id):
        line = self.env["jxc.count.line"].browse(line_id).exists()
        if not line or line.plan_id != self:
            raise UserError(self.env._("This line is not part of %(plan)s; reload the screen.", plan=self.name))
        return line

    def _jxc_check_typed_qty(self, line, qty):
        """Refuse a typed quantity that is a barcode scanned into the quantity box (it equals the
        barcode of a product or packaging, leading zeros aside) or is more than ``MAX_TYPED_QTY``."""
        if qty >= 1 and qty.is_integer():
            number = "%d" % qty
            # every zero padding a barcode of this number may have (up to a GTIN-14)
            barcodes = [number.zfill(length) for length in range(len(number), max(len(number), 14) + 1)]
            product, packaging = self._jxc_get_product_by_barcode(barcodes, min_length=MIN_SCAN_LENGTH)
            if product:
                what = product.display_name
                if packaging:
                    what = "%s (%s)" % (what, packaging.uom_id.name)
                raise UserError(self.env._(
                    "%(barcode)s is the barcode of %(what)s, not a quantity: nothing was saved. A label scanned "
                    "while the quantity box is open is typed into it: close the box and scan outside it. If you "
                    "really counted that many, enter the count on the stocktake instead.",
                    barcode=(packaging or product).barcode, what=what,
                ))
        if qty > MAX_TYPED_QTY:
            raise UserError(self.env._(
                "%(qty)s %(uom)s for %(line)s is more than this screen takes (%(max)s): nothing was saved. Check "
                "the quantity; a barcode scanned while the quantity box is open is typed into it, so scan outside "
                "the box. Enter a larger count on the stocktake instead.",
                qty=formatLang(self.env, qty, digits=0) if qty.is_integer() else formatLang(self.env, qty, dp="Product Unit"),
                uom=line.uom_id.name,
                line=line.display_name, max=formatLang(self.env, MAX_TYPED_QTY, digits=0),
            ))

    def _jxc_get_product_by_barcode(self, barcodes, min_length=0, location_id=False):
        """The product with one of ``barcodes``, or the product of the packaging (``product.uom``:
        a unit such as a carton of 12 with its own barcode) that has one: ``(product, packaging)``.

        Archived products too: Odoo archives a product that still has stock, and the plan counts
        it. An archived product may share its barcode with an active one (Odoo checks active
        products only): a product of the plan's lines at ``location_id`` first, then of its
        other lines, then an active one."""
        barcodes = [barcode for barcode in barcodes if len(barcode) >= min_length]
        if not barcodes:
            return self.env["product.product"], self.env["product.uom"]
        # the products Odoo lets the plan's company use: its own, its parents', everyone's
        company = Domain(self.env["product.product"]._check_company_domain(self.company_id))
        products = self.env["product.product"].with_context(active_test=False).search(
            Domain("barcode", "in", barcodes) & company)
        if products:
            return self._jxc_scan_preferred_product(products, location_id), self.env["product.uom"]
        # a packaging's barcode is unique in the database and its company only the one its
        # creator had open (the form does not show it): any packaging of such a product
        packagings = self.env["product.uom"].with_context(active_test=False).search(
            Domain("barcode", "in", barcodes) & Domain("product_id", "any", company))
        product = self._jxc_scan_preferred_product(packagings.product_id, location_id)
        return product, packagings.filtered(lambda packaging: packaging.product_id == product)[:1].with_env(self.env)

    def _jxc_scan_preferred_product(self, products, location_id=False):
        """The one of ``products`` a scan counts: one of the plan's lines at ``location_id``,
        else of its other lines, else an active one. Several with a line there: the scan cannot
        tell them apart."""
        if len(products) > 1:
            lines = self.env["jxc.count.line"].search([("plan_id", "=", self.id), ("product_id", "in", products.ids)])
            here = lines.filtered(lambda line: line.location_id.id == location_id).product_id if location_id else None
            if here and len(here) > 1:
                raise ScanError(self.env._(
                    "The barcode belongs to several products counted here (%(products)s): nothing was counted. Tap "
                    "the line of each and type its count.", products=", ".join(here.mapped("display_name")),
                ))
            products = here or (products & lines.product_id) or products.filtered("active") or products
        return products[:1].with_env(self.env)

    def _jxc_packaging_qty(self, barcode, packaging, product, qty=1.0):
        """``qty`` packagings in the product's unit (one carton of 12 counts 12 units)."""
        if not packaging:
            return qty
        if not packaging.uom_id._has_common_reference(product.uom_id):
            raise ScanError(self.env._(
                "Barcode %(barcode)s is a packaging in %(packaging_uom)s, but %(product)s is counted in %(uom)s: "
                "nothing was counted; scan the product's own barcode or type the quantity.", barcode=barcode,
                packaging_uom=packaging.uom_id.name, product=product.display_name, uom=product.uom_id.name,
            ))
        exact = packaging.uom_id._compute_quantity(qty, product.uom_id, round=False)
        rounded = packaging.uom_id._compute_quantity(qty, product.uom_id, rounding_method="HALF-UP")
        if not math.isclose(exact, rounded, rel_tol=1e-9, abs_tol=1e-12):
            # a piece of a product stocked by the carton: each scan would lose its rounding
            raise ScanError(self.env._(
                "Barcode %(barcode)s is %(packaging)s, %(exact)s %(uom)s of %(product)s, more decimals than the unit "
                "keeps (%(rounded)s): nothing was counted; type the count in %(uom)s instead.", barcode=barcode,
                packaging=packaging.display_name, exact=formatLang(self.env, exact, digits=6), uom=product.uom_id.name,
                product=product.display_name, rounded=formatLang(self.env, rounded, dp="Product Unit"),
            ))
        return rounded

    def _jxc_scan_format_qty(self, qty):
        """A counted quantity as the screen's messages write it, in the counter's number format."""
        return formatLang(self.env, qty, dp="Product Unit")

    def _jxc_scan_last_entry(self):
        return self.env["jxc.count.scan"].search([("plan_id", "=", self.id), ("user_id", "=", self.env.uid)], limit=1)

    def _jxc_scan_place(self, barcode, location_id):
        """The result of ``barcode`` scanned as a location or a package; None if it is neither."""
        if not barcode:
            raise ScanError(self.env._("The scan was empty; scan the label again."))
        company = Domain("company_id", "in", [self.company_id.id, False])
        location = self.env["stock.location"].search(Domain("barcode", "=", barcode) & company, limit=1)
        if location:
            return self._jxc_scan_location(location)
        package = self.env["stock.package"].search(Domain("name", "=", barcode) & company, limit=1)
        if package:
            return self._jxc_scan_package(package, location_id)
        return None

    def _jxc_scan_barcode(self, barcode, location_id, package_id):
        place = self._jxc_scan_place(barcode, location_id)
        if place:
            return place
        company = Domain("company_id", "in", [self.company_id.id, False])
        product, packaging = self._jxc_get_product_by_barcode([barcode], location_id=location_id)
        if product:
            return self._jxc_scan_count(barcode, location_id, package_id, product,
                                        qty=self._jxc_packaging_qty(barcode, packaging, product))
        lots = self.env["stock.lot"].search(Domain("name", "=", barcode) & company)
        if len(lots) == 1:
            return self._jxc_scan_count(barcode, location_id, package_id, lots.product_id, lot=lots)
        if lots:
            # the barcode is these lots' own name: read as GS1, a name such as "10-4711" would
            # count the lot "-4711" of another product, or be refused as an unknown GS1 lot
            raise self._jxc_scan_ambiguous_lot(barcode, lots)
        if is_gtin(barcode):
            # a UPC-A read as an EAN-13 (or the other way round): the same number with other leading zeros
            product, packaging = self._jxc_get_product_by_barcode(list(gtin_variants(barcode)), location_id=location_id)
            if product:
                return self._jxc_scan_count(barcode, location_id, package_id, product,
                                            qty=self._jxc_packaging_qty(barcode, packaging, product))
        parsed = self._jxc_parse_gs1(barcode)
        if parsed:
            return self._jxc_scan_gs1(barcode, location_id, package_id, parsed)
        raise ScanError(self.env._(
            "Unknown barcode %(barcode)s: no location, package, product or lot has it. Nothing was counted; "
            "check the label, or print the product's barcode label and scan it.", barcode=barcode,
        ))

    def _jxc_parse_gs1(self, barcode):
        """The barcode read with the company's nomenclature, or Odoo's default GS1 one (a list of parts)."""
        nomenclature = self.company_id.nomenclature_id
        if not nomenclature.is_gs1_nomenclature:
            nomenclature = self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature", raise_if_not_found=False)
        if not nomenclature:
            return None
        try:
            parsed = nomenclature.sudo().parse_barcode(barcode)
        except (ValidationError, ValueError):
            return None
        return parsed if isinstance(parsed, list) and parsed else None

    def _jxc_scan_gs1(self, barcode, location_id, package_id, parsed):
        # AI 10 (batch) and AI 21 (serial) are both of type "lot": kept apart by their AI; a weight
        # (AI 310n) and a count (AI 30) are both of type "quantity": kept all
        parts = {part["type"]: part for part in parsed if part["type"] not in ("lot", "quantity")}
        quantities = [part for part in parsed if part["type"] == "quantity"]
        lot_numbers = {part["rule"].pattern[1:3]: part["value"] for part in parsed if part["type"] == "lot"}
        company = Domain("company_id", "in", [self.company_id.id, False])
        alone = len(parsed) == 1
        if "location" in parts and alone:
            location = self.env["stock.location"].search(Domain("barcode", "=", parts["location"]["value"]) & company, limit=1)
            if location:
                return self._jxc_scan_location(location)
        package = self.env["stock.package"]
        if "package" in parts:
            package = package.search(Domain("name", "=", parts["package"]["value"]) & company, limit=1)
            if not package:
                # counted in the package the screen stands in, a pallet's contents would be
                # booked into another package
                raise ScanError(self.env._(
                    "GS1 barcode %(barcode)s is the label of package %(package)s, which is not known here: nothing "
                    "was counted. Scan the goods it holds by their own barcodes, or have the package recorded in "
                    "Inventory and scan its label again.", barcode=barcode, package=parts["package"]["value"],
                ))
            if alone:
                return self._jxc_scan_package(package, location_id)
            # a pallet label (SSCC with its contents): what it holds is counted in that package
            self._jxc_scan_package(package, location_id)
            package_id = package.id
        product, packaging, lot = self.env["product.product"], self.env["product.uom"], self.env["stock.lot"]
        if "product" in parts:
            gtin = parts["product"]["value"]
            # A GTIN-14 holds the EAN-8, UPC-A or EAN-13 printed on the product with leading zeros.
            product, packaging = self._jxc_get_product_by_barcode(
                list(gtin_variants(gtin) | {gtin}), location_id=location_id)
            if not product:
                raise ScanError(self.env._(
                    "Unknown product %(gtin)s in GS1 barcode %(barcode)s: no product has this barcode. Nothing was "
                    "counted; add the barcode to the product first.", gtin=gtin, barcode=barcode,
                ))
        elif lot_numbers:
            # Odoo's own lot label of a product without a valid EAN: the lot (or serial) number alone
            lot = self._jxc_scan_find_lot(barcode, lot_numbers)
            product = lot.product_id
        else:
            raise ScanError(self.env._(
                "Barcode %(barcode)s is a GS1 label without a product (GTIN) known here; scan the product's "
                "barcode.", barcode=barcode,
            ))
        if quantities:
            qty = self._jxc_gs1_quantity(barcode, self._jxc_gs1_quantity_part(quantities, product), product, packaging)
        else:
            qty = self._jxc_packaging_qty(barcode, packaging, product)
        # the serial number of a serial-tracked product, the batch of any other (as Odoo prints them)
        preferred = ("21", "10") if product.tracking == "serial" else ("10", "21")
        lot_name = next((lot_numbers[ai] for ai in preferred if ai in lot_numbers), None)
        return self._jxc_scan_count(
            barcode, location_id, package_id, product, lot=lot or None, qty=qty, lot_name=lot_name,
            expiry=parts.get("expiration_date", {}).get("value"), best_before=parts.get("use_date", {}).get("value"),
        )

    def _jxc_scan_find_lot(self, barcode, lot_numbers):
        """The one lot of the company named by the label's batch (AI 10) or serial (AI 21) number."""
        company = Domain("company_id", "in", [self.company_id.id, False])
        for number in (lot_numbers.get("10"), lot_numbers.get("21")):
            if not number:
                continue
            lots = self.env["stock.lot"].search(Domain("name", "=", number) & company)
            if len(lots) > 1:
                raise self._jxc_scan_ambiguous_lot(number, lots)
            if lots:
                return lots
        raise ScanError(self.env._(
            "GS1 barcode %(barcode)s names lot %(lot)s but no product (GTIN), and no lot of that name is known "
            "here: nothing was counted; scan the product's barcode.",
            barcode=barcode, lot=lot_numbers.get("10") or lot_numbers.get("21"),
        ))

    def _jxc_scan_ambiguous_lot(self, name, lots):
        """The refusal of a lot number that several products' ``lots`` share."""
        return ScanError(self.env._(
            "Lot %(lot)s exists for several products (%(products)s); scan the product's barcode with it "
            "(a GS1 label) instead.", lot=name, products=", ".join(lots.product_id.mapped("display_name")),
        ))

    def _jxc_gs1_is_count(self, part):
        """The label's quantity ``part`` counts pieces (AI 30/37), not a measure such as a weight."""
        uom = part["rule"].associated_uom_id
        return not uom or uom == self.env.ref("uom.product_uom_unit")

    def _jxc_gs1_quantity_part(self, parts, product):
        """The quantity that counts ``product`` of a label that may give several (12.50 kg in 10
        pieces): a measure in a unit of the product's kind (its own unit first), else the count."""
        counts = [part for part in parts if self._jxc_gs1_is_count(part)]
        measures = [part for part in parts if part not in counts]
        fitting = sorted(
            (part for part in measures if part["rule"].associated_uom_id._has_common_reference(product.uom_id)),
            key=lambda part: part["rule"].associated_uom_id != product.uom_id,
        )
        # a measure of another kind alone is refused by _jxc_gs1_quantity, saying which unit it is in
        return (fitting + counts + measures)[0]

    def _jxc_gs1_quantity(self, barcode, part, product, packaging):
        """The label's quantity in the product's unit: a measure is in its rule's unit (310n:
        kilograms, 320n: pounds, ...), a count (AI 30/37) in the product's own unit, as Odoo
        prints it. A count on the label of a packaging's GTIN counts packagings."""
        qty, uom = part["value"], part["rule"].associated_uom_id
        is_count = self._jxc_gs1_is_count(part)
        if packaging and is_count:
            return self._jxc_packaging_qty(barcode, packaging, product, qty)
        if not (is_count or uom == product.uom_id or uom._has_common_reference(product.uom_id)):
            raise ScanError(self.env._(
                "GS1 barcode %(barcode)s gives a quantity in %(label_uom)s, but %(product)s is counted in "
                "%(uom)s: nothing was counted; type the quantity in %(uom)s instead.",
                barcode=barcode, label_uom=uom.name, product=product.display_name, uom=product.uom_id.name,
            ))
        # a count of the product's own units: Odoo's labels write 5 dozen as AI 30 "5"
        # (stock.quant._get_gs1_barcode, for a unit without a GS1 rule of its own)
        exact = qty if is_count or uom == product.uom_id else uom._compute_quantity(qty, product.uom_id, round=False)
        rounded = product.uom_id.round(exact)
        if not math.isclose(exact, rounded, rel_tol=1e-9, abs_tol=1e-12):
            # the line keeps the unit's decimals: each scan would lose its rounding
            raise ScanError(self.env._(
                "GS1 barcode %(barcode)s gives %(exact)s %(uom)s of %(product)s, more decimals than the unit keeps "
                "(%(rounded)s): nothing was counted; type the total counted in %(uom)s instead, or have an "
                "administrator give the Product Unit more digits (Settings > Technical > Decimal Accuracy).",
                barcode=barcode, exact=formatLang(self.env, exact, digits=6).rstrip("0"), uom=product.uom_id.name,
                product=product.display_name, rounded=formatLang(self.env, rounded, dp="Product Unit"),
            ))
        return rounded

    def _jxc_scan_location(self, location):
        if location not in self._get_scope_locations():
            raise ScanError(self.env._(
                "Location %(location)s is not counted by %(plan)s; scan a location of %(warehouse)s that the "
                "stocktake covers.", location=location.complete_name, plan=self.name,
                warehouse=self.warehouse_id.name,
            ))
        return {"kind": "location", "location_id": location.id, "package_id": False,
                "message": self.env._("Location %(location)s: scan its products.", location=location.complete_name)}

    def _jxc_scan_package(self, package, location_id):
        if not location_id:
            raise ScanError(self.env._("Scan a location first, then the package %(package)s.", package=package.name))
        if package.location_id.id != location_id:
            raise ScanError(self.env._(
                "Package %(package)s is at %(where)s, not here; scan the location it stands at first.",
                package=package.name, where=package.location_id.complete_name or self.env._("no location"),
            ))
        if package.child_package_ids:
            # Odoo keeps the stock on the boxes a pallet holds, not on the pallet
            raise ScanError(self.env._(
                "Package %(package)s holds other packages (%(boxes)s): scan each of them to count what it holds.",
                package=package.name, boxes=", ".join(package.child_package_ids[:5].mapped("name")),
            ))
        return {"kind": "package", "package_id": package.id,
                "message": self.env._("Package %(package)s: scan its products.", package=package.name)}

    def _jxc_scan_count(self, barcode, location_id, package_id, product, lot=None, qty=1.0, lot_name=None,
                        expiry=None, best_before=None):
        """One more (or the GS1 quantity) of ``product`` at the current location: its line, or a found line.

        ``expiry`` and ``best_before`` are the dates of a GS1 label (AI 17 and AI 15)."""
        if not location_id:
            raise ScanError(self.env._(
                "Scan a location first: %(product)s was not counted.", product=product.display_name))
        if not product.is_storable:
            raise ScanError(self.env._(
                "%(product)s does not track stock and is not counted.", product=product.display_name))
        if product.tracking == "none":
            # Odoo keeps no lots of an untracked product: the label's lot is not recorded
            lot_name = None
        if lot_name and not lot:
            lot = self._jxc_scan_search_lot(product, lot_name)
            if not lot:
                self._jxc_scan_lock_new_lot(product, lot_name)
        if product.tracking != "none" and not lot and not lot_name:
            raise ScanError(self.env._(
                "%(product)s is tracked by lot/serial number: scan its GS1 label or its lot number instead.",
                product=product.display_name,
            ))
        Line = self.env["jxc.count.line"]
        new_lot = bool(lot_name and not lot)
        # A lot Odoo does not know yet has no line (and no line without a lot stands for it): its
        # count is a found line of the new lot.
        line = Line if new_lot else self._jxc_scan_find_line(product, location_id, package_id, lot)
        if product.tracking == "serial" and line.is_counted and line.counted_qty >= 1:
            raise ScanError(self.env._(
                "Serial number %(lot)s of %(product)s is already counted.", lot=lot.name, product=product.display_name))
        if new_lot:
            # A lot on a GS1 label that Odoo does not know yet: recorded as the count finds it.
            lot = self._jxc_scan_create_lot(product, lot_name, expiry, best_before=best_before)
        details = {"expiry": fields.Date.to_string(expiry) if expiry else False,
                   "best_before": fields.Date.to_string(best_before) if best_before else False,
                   "lot": lot.name if lot else False}
        created_lot = lot if new_lot else None
        if line:
            self._jxc_scan_write(line, (line.counted_qty if line.is_counted else 0.0) + qty, barcode, expiry=expiry,
                                 created_lot=created_lot)
            message = self.env._("%(line)s: %(qty)s counted.", line=line.display_name, qty=self._jxc_scan_format_qty(line.counted_qty))
            kind = "count"
        else:
            line = self.env["jxc.count.line"]._create_found_lines([{
                "plan_id": self.id, "product_id": product.id, "location_id": location_id,
                "lot_id": lot.id if lot else False, "package_id": package_id or False, "counted_qty": qty,
            }])
            self._jxc_scan_log(line, barcode, created=True, expiry=expiry, created_lot=created_lot)
            scope = self._get_scope_product_domain()
            if scope is not None and not product.filtered_domain(scope):
                # the book was not taken for it: its line is compared with the stock at the count
                message = self.env._(
                    "%(line)s is not among the products this stocktake counts: added with %(qty)s counted, to be "
                    "compared with its stock here at the count. Count all of it here, or undo.",
                    line=line.display_name, qty=self._jxc_scan_format_qty(line.counted_qty))
            else:
                message = self.env._("Found %(line)s where the book has none: added with %(qty)s counted.",
                                     line=line.display_name, qty=self._jxc_scan_format_qty(line.counted_qty))
            kind = "found"
        if lot:
            message = " ".join(filter(None, [message, self._jxc_scan_expiry_message(
                lot, expiry, new_lot, best_before=best_before)]))
        return {"kind": kind, "line_id": line.id, "message": message, **details}

    def _jxc_scan_find_line(self, product, location_id, package_id, lot):
        """The line a scan of ``product`` (``lot``) counts at the location (in the package), if any."""
        Line = self.env["jxc.count.line"]
        base = (Domain("plan_id", "=", self.id) & Domain("product_id", "=", product.id)
                & Domain("location_id", "=", location_id) & Domain("lot_id", "=", lot.id if lot else False))
        # one line per owner (the company's own has none): several lines are goods of several owners
        lines = Line.search(base & Domain("package_id", "=", package_id or False))
        if len(lines) > 1:
            # a scan cannot tell whose goods it counts: counted as the company's own, posting would
            # book a valued gain and write the consignor's goods off
            owners = [line.owner_id.display_name or self.company_id.name for line in lines.sorted(
                lambda line: (bool(line.owner_id), line.owner_id.display_name or ""))]
            raise ScanError(self.env._(
                "%(product)s is here for several owners (%(owners)s): a scan cannot tell whose it is. Tap the line "
                "of each owner and type its count.", product=product.display_name, owners=", ".join(owners),
            ))
        line = lines
        if not line and not package_id:
            packed = Line.search(base & Domain("package_id", "!=", False), limit=1)
            if packed:
                raise ScanError(self.env._(
                    "%(product)s is packed in %(package)s here: scan the package first, then the product.",
                    product=product.display_name, package=packed.package_id.name,
                ))
        return line

    def _jxc_scan_search_lot(self, product, lot_name):
        return self.env["stock.lot"].search([("name", "=", lot_name), ("product_id", "=", product.id),
                                             ("company_id", "in", [self.company_id.id, False])], limit=1)

    @api.model
    def _jxc_scan_lot_lock_sql(self, product, lot_name):
        """SQL: the key of the transaction lock on creating lot ``lot_name`` of ``product``. Of the
        product and name only: Odoo's lot without a company clashes with the lots of every company."""
        return SQL("hashtextextended(%s, 0)", "jxc_addon.stock.lot:%s:%s" % (product.id, lot_name))

    def _jxc_scan_lock_new_lot(self, product, lot_name):
        """Make sure no other transaction creates lot ``lot_name`` of ``product`` that this scan
        does not see. Odoo checks a lot's uniqueness in Python (no unique index): two counters
        scanning the same new lot at once would each create it. The lock makes the second wait
        until the first commits; it still reads the database as it was when its request began
        (Odoo's transactions are REPEATABLE READ), so a lot committed since, seen by a new
        cursor, sends the scan back to Odoo's RPC to retry it (``ConcurrencyError``), and the
        retry counts on that lot."""
        self.env.execute_query(SQL("SELECT pg_advisory_xact_lock(%s)", self._jxc_scan_lot_lock_sql(product, lot_name)))
        with self.env.registry.cursor() as cr:
            recorded = bool(self.env(cr=cr).execute_query(SQL(
                "SELECT 1 FROM stock_lot WHERE product_id = %s AND name = %s AND (company_id = %s OR company_id IS NULL)"
                " LIMIT 1", product.id, lot_name, self.company_id.id,
            )))
        if recorded:
            raise ConcurrencyError(self.env._(
                "Lot %(lot)s of %(product)s was just recorded by another scan; scan again.",
                lot=lot_name, product=product.display_name))

    def _jxc_scan_create_lot(self, product, lot_name, expiry, best_before=None):
        """The new lot of a GS1 label (``_jxc_scan_prepare_lot_vals``)."""
        return self.env["stock.lot"].create(self._jxc_scan_prepare_lot_vals(product, lot_name, expiry, best_before=best_before))

    def _jxc_scan_prepare_lot_vals(self, product, lot_name, expiry, best_before=None):
        """The values of a new lot read from a GS1 label. Without Odoo's ``product_expiry`` a lot
        has no expiration date: the label's ``expiry`` (AI 17) stays on the scan log, and the
        shelf-life bridge ``jxc_product_expiry`` sets the lot's dates from ``expiry`` or
        ``best_before`` (AI 15) for products that use expiration dates.

        The lot's company is the one Odoo gives a lot it creates on a move line: none for a
        product of every company (another company's receipt of the same lot takes this one;
        a lot of the plan's company would stop that receipt: Odoo's lot must then be unique
        across companies), the plan's for a product of its company (or of its parent)."""
        vals = {"name": lot_name, "product_id": product.id}
        if product.company_id and self.company_id in product.company_id | product.company_id.all_child_ids:
            vals["company_id"] = self.company_id.id
        return vals

    def _jxc_scan_expiry_message(self, lot, expiry, created, best_before=None):
        """What the screen says about the dates of ``lot``'s label (``expiry``: AI 17; ``created``:
        the scan created the lot): here that the expiry date is kept with the scan only, as lots
        record no expiration date (the shelf-life bridge says what it did with the label's dates
        when the product uses expiration dates)."""
        if not expiry:
            return ""
        return self.env._(
            "The label's expiry date %(date)s is kept with this scan only: lots of %(product)s record no "
            "expiration date (turn on Expiration Dates in the Inventory settings and on the product).",
            date=format_date(self.env, expiry), product=lot.product_id.display_name,
        )

    def _jxc_scan_write(self, line, qty, barcode, expiry=None, created_lot=None):
        """Write the count through the line's own ``write`` and log what it was before, for undo."""
        data = line.sudo()
        previous = {"prev_counted": data.is_counted, "prev_qty": data.counted_qty, "prev_counted_at": data.counted_at,
                    "prev_counted_by_id": data.counted_by_id.id, "prev_moved_qty": data.moved_qty,
                    "prev_moves_seen_id": data.moves_seen_id,
                    "prev_review_state": data.review_state, "prev_approved_by_id": data.approved_by_id.id}
        line.write({"counted_qty": qty})
        self._jxc_scan_log(line, barcode, expiry=expiry, created_lot=created_lot, **previous)

    def _jxc_scan_log(self, line, barcode, created=False, expiry=None, created_lot=None, **previous):
        data = line.sudo()
        # The log is the system's record of the scan: a counter reads it, never writes it, nor
        # gives it a previous state to undo to through the context's defaults.
        self.env["jxc.count.scan"].sudo().with_context(clean_context(self.env.context)).create({
            "plan_id": self.id, "line_id": line.id, "user_id": self.env.uid, "barcode": barcode or False,
            "new_qty": data.counted_qty, "new_counted_at": data.counted_at, "created_line": created,
            "label_expiry_date": expiry or False, "created_lot_id": created_lot.id if created_lot else False,
            **previous,
        })

    def _jxc_scan_remove_created_lot(self, lot):
        """Remove a lot a scan created, as undoing that scan, when nothing refers to it any more
        (no stock, no move, no other count line): a lot another count or a transfer uses stays."""
        lot = lot.sudo()
        if not lot.exists():
            return
        used = (
            self.env["stock.quant"].sudo().search_count([("lot_id", "=", lot.id)], limit=1)
            or self.env["stock.move.line"].sudo().search_count([("lot_id", "=", lot.id)], limit=1)
            or self.env["jxc.count.line"].sudo().search_count([("lot_id", "=", lot.id)], limit=1)
        )
        if not used:
            lot.unlink()


class JxcCountLine(models.Model):
    _inherit = "jxc.count.line"

    def _jxc_scan_line_data(self, hide_book):
        """A line as the scanning screen shows it; the book only when the counter may see it."""
        self.ensure_one()
        return {
            "id": self.id, "product": self.product_id.display_name, "code": self.product_id.default_code or "",
            "barcode": self.product_id.barcode or "", "lot": self.lot_id.name or "", "package": self.package_id.name or "",
            "owner": self.owner_id.name or "", "uom": self.uom_id.name, "tracking": self.product_id.tracking,
            "counted_qty": self.counted_qty, "is_counted": self.is_counted, "is_found": self.is_found,
            "expected": None if hide_book else self.book_qty_shown,
        }
