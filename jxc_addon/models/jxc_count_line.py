import math
from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.misc import format_datetime, formatLang

from ..tools.client_defaults import client_defaults, without_client_defaults
from ..tools.orm_batch import check_company_batch
from .jxc_count_plan import inventory_adjustment_sql

MANAGER_GROUP = "jxc_addon.group_jxc_manager"
REVIEW_STATES = [
    ("pending", "Not Submitted"),
    ("ok", "Within Tolerance"),
    ("to_review", "To Review"),
    ("recount", "Recount"),
    ("approved", "Approved"),
]
# What counters read of the review of a blind plan not posted yet: whether a submitted count
# is within tolerance or not (ok, to review, approved) is its book's secret.
HIDDEN_REVIEW_STATE = "submitted"
OPEN_REVIEW_STATES = ("pending", "recount")
# What a counter may change on a line; everything else is the snapshot or the manager's.
# ``counted_qty_set`` only says whether a quantity was entered: it is a count under the same
# rules as ``counted_qty`` (see ``_write_count_entry``).
COUNTER_FIELDS = {"counted_qty", "counted_qty_set", "reason_id", "note"}
# What a counter may give when adding goods found during the count.
COUNTER_CREATE_FIELDS = COUNTER_FIELDS | {"plan_id", "product_id", "lot_id", "package_id", "owner_id", "location_id"}
# Set by the system only: whether and when a count was taken, what the book said at that moment,
# and the recount rounds (the first count kept, when the recount was asked).
SYSTEM_COUNT_FIELDS = {"counted_at", "moved_qty", "moves_seen_id", "is_counted", "first_counted_qty", "recount_round",
                       "recount_asked_at"}
# Set by the workflow only (Submit, Accept, Approve, Recount, a count): the audit trail of a line.
REVIEW_FIELDS = {"review_state", "approved_by_id", "counted_by_id"}
# What the book snapshot (or the goods found) made the line: changed, the line would count
# something else than the book quantity and the stocktake's claim say.
LINE_IDENTITY_FIELDS = {"plan_id", "product_id", "lot_id", "package_id", "owner_id", "location_id"}
SNAPSHOT_FIELDS = {"book_qty", "unit_cost", "is_found"}


class JxcCountLine(models.Model):
    """One product (lot, package, owner) at one location of a count plan: book vs. counted.

    The difference is ``counted - (book at the snapshot + moves done between the snapshot and
    the moment of counting)``: the warehouse may keep working while it is counted.
    """

    _name = "jxc.count.line"
    _description = "Count Line"
    _order = "plan_id, location_name, product_id, lot_id, id"
    _check_company_auto = True

    plan_id = fields.Many2one("jxc.count.plan", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status", store=True)
    blind = fields.Boolean(related="plan_id.blind")
    date_done = fields.Datetime(related="plan_id.date_done", store=True, string="Posted On")
    product_id = fields.Many2one("product.product", required=True, check_company=True, index=True,
                                 domain="[('is_storable', '=', True)]")
    barcode = fields.Char(related="product_id.barcode")
    default_code = fields.Char(related="product_id.default_code")
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", check_company=True,
                             domain="[('product_id', '=', product_id)]")
    package_id = fields.Many2one("stock.package", check_company=True,
                                 domain="[('location_id', 'in', [location_id, False])]")
    owner_id = fields.Many2one(
        "res.partner", check_company=True,
        help="The owner of consigned stock; empty: the company's own stock. Consigned stock is counted "
        "but never valued.",
    )
    is_consigned = fields.Boolean(string="Consigned", compute="_compute_is_consigned", store=True)
    location_id = fields.Many2one("stock.location", required=True, check_company=True, index=True,
                                  domain="[('usage', '=', 'internal')]")
    location_name = fields.Char(related="location_id.complete_name", store=True, string="Location Name")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    book_qty = fields.Float(string="Book Quantity", digits="Product Unit", readonly=True, groups=MANAGER_GROUP,
                            help="On hand when the plan was started (the snapshot).")
    book_qty_shown = fields.Float(string="Book Qty", digits="Product Unit", compute="_compute_shown",
                                  help="The book quantity, hidden while a blind plan is counted.")
    moved_qty = fields.Float(
        string="Moved Before Count", digits="Product Unit", readonly=True, groups=MANAGER_GROUP,
        help="Net quantity received (+) or shipped (-) between the snapshot and the moment of counting.",
    )
    expected_qty = fields.Float(
        string="Book at Count", digits="Product Unit", compute="_compute_expected_qty", groups=MANAGER_GROUP,
        help="The book quantity when the line was counted: the snapshot plus the moves done until then.",
    )
    counted_qty = fields.Float(string="Counted Quantity", digits="Product Unit")
    is_counted = fields.Boolean(string="Counted", readonly=True)
    # Odoo's inventory_quantity_set of the count screens: an uncounted line holds 0 but shows no
    # quantity, and typing one (also 0) sets the flag, which the client sends even when the
    # quantity itself did not change.
    counted_qty_set = fields.Boolean(string="Counted Quantity Entered", compute="_compute_counted_qty_set",
                                     readonly=False)
    first_counted_qty = fields.Float(string="First Count", digits="Product Unit", readonly=True,
                                     help="The count of the first round, kept when a recount is asked.")
    recount_round = fields.Integer(string="Recounts", readonly=True)
    recount_asked_at = fields.Datetime(
        string="Recount Asked On", readonly=True, copy=False,
        help="When the line was last sent back for a recount: its new count is taken after it.",
    )
    difference_qty = fields.Float(string="Difference", digits="Product Unit", compute="_compute_difference",
                                  store=True, groups=MANAGER_GROUP)
    difference_qty_shown = fields.Float(string="Diff.", digits="Product Unit", compute="_compute_shown")
    unit_cost = fields.Float(min_display_digits="Product Price", readonly=True, groups=MANAGER_GROUP,
                             help="The product's cost at the snapshot; 0 for consigned stock, which is not valued.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    book_value = fields.Monetary(compute="_compute_difference", store=True, groups=MANAGER_GROUP)
    difference_value = fields.Monetary(
        compute="_compute_difference", store=True, groups=MANAGER_GROUP,
        help="The difference at the unit cost of the snapshot; once posted, the value Odoo booked for the "
        "adjustment (the oldest FIFO layers, a lot's own cost).",
    )
    abs_difference_value = fields.Monetary(string="Absolute Difference Value", compute="_compute_difference",
                                           store=True, groups=MANAGER_GROUP)
    loss_value = fields.Monetary(compute="_compute_difference", store=True, groups=MANAGER_GROUP)
    gain_value = fields.Monetary(compute="_compute_difference", store=True, groups=MANAGER_GROUP)
    # Whether a count differs from the book, and the review of it, tell the book: the managers'
    # fields; the ``_shown`` copies are what the others see (nothing while a blind plan is counted).
    is_discrepancy = fields.Boolean(
        string="Beyond Tolerance", compute="_compute_is_discrepancy", store=True, groups=MANAGER_GROUP,
        help="The difference exceeds the warehouse's tolerance (a count where the book says 0 always does).",
    )
    is_discrepancy_shown = fields.Boolean(
        string="Discrepancy", compute="_compute_shown", search="_search_is_discrepancy_shown",
        help="The difference exceeds the warehouse's tolerance; hidden from counters until a blind count "
        "is posted.",
    )
    review_state = fields.Selection(REVIEW_STATES, default="pending", required=True, readonly=True, copy=False,
                                    groups=MANAGER_GROUP)
    review_state_shown = fields.Selection(
        REVIEW_STATES + [(HIDDEN_REVIEW_STATE, "Submitted")], string="Review", compute="_compute_shown",
        search="_search_review_state_shown",
        help="Submitted: counted and submitted; whether the count is to review stays hidden from counters "
        "until a blind count is posted.",
    )
    counted_by_id = fields.Many2one("res.users", readonly=True)
    counted_at = fields.Datetime(
        string="Count Time", readonly=True,
        help="When the quantity was counted: when it was entered or scanned, or the count time of an "
        "imported sheet. Moves done after it are kept when the adjustment is posted.",
    )
    moves_seen_id = fields.Integer(
        string="Moves Seen at Count", readonly=True, groups=MANAGER_GROUP,
        help="The last stock move line when the count was recorded: an inventory adjustment made after it "
        "adjusted the quant again, whatever counting date it was given.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, groups=MANAGER_GROUP)
    book_hidden = fields.Boolean(
        compute="_compute_shown",
        help="The book quantity and the difference are hidden from you: a blind count not posted yet.",
    )
    approved_by_shown_id = fields.Many2one(
        "res.users", string="Accepted By", compute="_compute_approved_by_shown",
        help="The manager who accepted the difference; hidden from counters until a blind count is posted.",
    )
    # a reason that explained a difference stays (archive it instead)
    reason_id = fields.Many2one("jxc.count.reason", check_company=True, ondelete="restrict")
    note = fields.Char()
    is_found = fields.Boolean(string="Added During Count", readonly=True,
                              help="Goods found where the book said nothing, added while counting.")
    move_ids = fields.One2many("stock.move", "jxc_count_line_id", string="Adjustment", readonly=True)

    _plan_product_lot_location_uniq = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (plan_id, product_id, lot_id, package_id, owner_id, location_id)",
        "A product, lot, package, owner and location can appear only once in a count plan.",
    )

    def _check_company(self, fnames=None):
        # The 5,000 lines of a snapshot are created at once.
        return check_company_batch(self, fnames, super()._check_company)

    @api.depends("product_id", "location_id", "lot_id", "package_id", "owner_id")
    def _compute_display_name(self):
        for line in self:
            name = "%s @ %s" % (line.product_id.display_name, line.location_id.display_name)
            details = [detail for detail in (line.lot_id.name, line.package_id.name, line.owner_id.name) if detail]
            line.display_name = "%s (%s)" % (name, ", ".join(details)) if details else name

    @api.depends("owner_id", "company_id")
    def _compute_is_consigned(self):
        for line in self:
            line.is_consigned = bool(line.owner_id) and line.owner_id != line.company_id.partner_id

    @api.depends("book_qty", "moved_qty")
    def _compute_expected_qty(self):
        for line in self:
            line.expected_qty = line.book_qty + line.moved_qty

    @api.depends("is_counted")
    def _compute_counted_qty_set(self):
        for line in self:
            line.counted_qty_set = line.is_counted

    @api.depends("book_qty", "moved_qty", "counted_qty", "is_counted", "unit_cost", "plan_id.warehouse_id",
                 "move_ids.state", "move_ids.value")
    def _compute_difference(self):
        """The difference and its value at the product's cost when the count started (what the
        tolerances judge and the review sees); once posted, the value is what Odoo booked for
        the adjustment (the oldest FIFO layers, a lot's own cost), as its valuation shows it."""
        # The values are assigned per currency, field and value rather than line by line: each
        # assignment of a monetary field looks up and rounds with the currency of its records,
        # which line by line cost seconds on a plan of 5,000 lines.
        assignments = defaultdict(list)
        for line in self:
            if not line.is_counted:
                vals = {"difference_qty": 0.0, "difference_value": 0.0, "abs_difference_value": 0.0,
                        "loss_value": 0.0, "gain_value": 0.0, "book_value": line.book_qty * line.unit_cost}
            else:
                expected = line.book_qty + line.moved_qty
                difference = line.product_id.uom_id.round(line.counted_qty - expected)
                estimate = line.currency_id.round(difference * line.unit_cost)
                posted = line.move_ids.filtered(lambda move: move.state == "done")
                value = estimate
                if posted:  # Odoo's value of a move is positive, in or out
                    value = line.currency_id.round(math.copysign(sum(posted.mapped("value")), difference))
                vals = {
                    "difference_qty": difference,
                    "book_value": line.currency_id.round(line.book_qty * line.unit_cost),
                    "difference_value": value,
                    "abs_difference_value": abs(value),
                    "loss_value": -value if value < 0 else 0.0,
                    "gain_value": value if value > 0 else 0.0,
                }
            currency_id = line.currency_id.id
            for name, value in vals.items():
                assignments[currency_id, name, value].append(line.id)
        for (_currency_id, name, value), ids in assignments.items():
            self.browse(ids)[name] = value

    @api.depends("book_qty", "moved_qty", "counted_qty", "is_counted", "unit_cost", "plan_id.warehouse_id")
    def _compute_is_discrepancy(self):
        """Whether the count's difference, at the cost when the count started, exceeds the
        warehouse's tolerance. Judged when counted, not again when posted (the moves' value is
        no count): a plan reviewed under one tolerance keeps its discrepancies if the tolerance
        changes before it is posted."""
        tolerances = {}
        beyond = []
        for line in self.filtered("is_counted"):
            key = (line.plan_id.company_id, line.plan_id.warehouse_id)
            if key not in tolerances:
                tolerances[key] = self.env["jxc.count.tolerance"].sudo()._get_for_warehouse(*key)
            expected = line.book_qty + line.moved_qty
            difference = line.product_id.uom_id.round(line.counted_qty - expected)
            estimate = line.currency_id.round(difference * line.unit_cost)
            if not tolerances[key]._is_within(expected, difference, estimate, line.product_id.uom_id.rounding):
                beyond.append(line.id)
        self.is_discrepancy = False
        self.browse(beyond).is_discrepancy = True

    @api.depends_context("uid")
    @api.depends("book_qty", "difference_qty", "is_counted", "is_discrepancy", "review_state", "approved_by_id",
                 "plan_id.blind", "plan_id.state")
    def _compute_shown(self):
        hidden = {plan: plan._is_book_hidden() for plan in self.plan_id}
        for line in self:
            data = line.sudo()
            line.book_hidden = hidden.get(line.plan_id, False)
            if hidden.get(line.plan_id):
                line.book_qty_shown = 0.0
                line.difference_qty_shown = 0.0
                line.is_discrepancy_shown = False
                line.review_state_shown = (
                    data.review_state if data.review_state in OPEN_REVIEW_STATES else HIDDEN_REVIEW_STATE)
            else:
                line.book_qty_shown = data.book_qty
                line.difference_qty_shown = data.difference_qty if data.is_counted else 0.0
                line.is_discrepancy_shown = data.is_discrepancy
                line.review_state_shown = data.review_state

    # Apart from _compute_shown, which depends on the adjustments' state: a relational field
    # depending on stock.move.state would make Odoo look for records to recompute at every
    # write of a move's state, database-wide (its registry's is_modifying_relations).
    @api.depends_context("uid")
    @api.depends("approved_by_id", "plan_id.blind", "plan_id.state")
    def _compute_approved_by_shown(self):
        hidden = {plan: plan._is_book_hidden() for plan in self.plan_id}
        for line in self:
            line.approved_by_shown_id = False if hidden.get(line.plan_id) else line.sudo().approved_by_id

    def _search_is_discrepancy_shown(self, operator, value):
        if operator != "in":
            return NotImplemented
        return self._get_shown_domain(Domain("is_discrepancy", "in", value), Domain.FALSE)

    def _search_review_state_shown(self, operator, value):
        if operator != "in":
            return NotImplemented
        states = set(value) - {HIDDEN_REVIEW_STATE}
        hidden_states = states & set(OPEN_REVIEW_STATES)
        if HIDDEN_REVIEW_STATE in value:
            hidden_states |= {state for state, _label in REVIEW_STATES} - set(OPEN_REVIEW_STATES)
        return self._get_shown_domain(Domain("review_state", "in", list(states)),
                                      Domain("review_state", "in", list(hidden_states)))

    @api.model
    def _get_shown_domain(self, domain, hidden_domain):
        """The search of a ``_shown`` copy: ``domain`` on the managers' field it copies, except on
        the lines whose plan hides its book from the user, where ``hidden_domain`` (on what the
        copy shows there) applies. For a counter, the managers' fields are searched as the system
        in a subquery; his own search around it keeps his record rules."""
        if self.env["jxc.count.plan"]._sees_book():
            return domain
        hidden = self.env["jxc.count.plan"]._book_hidden_line_domain()
        return Domain("id", "in", self.sudo()._search((~hidden & domain) | (hidden & hidden_domain)))

    # --- CRUD ----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # Odoo fills what the values leave out from the defaults a client writes (the context's,
        # the user's own ir.default): a user's are checked as values (a counter's lines are then
        # created as superuser), the system's lines take none of them.
        defaults = {} if self.env.su else client_defaults(self)
        vals_list = [{**defaults, **vals} for vals in vals_list]
        is_manager = self.env.su or self.env.user.has_group(MANAGER_GROUP)
        if not self.env.su and any(set(vals) & SYSTEM_COUNT_FIELDS for vals in vals_list):
            raise UserError(self.env._(
                "Whether and when a line was counted, its recount rounds and the moves before the count are set by the "
                "system: enter the counted quantity."))
        if not is_manager:
            for vals in vals_list:
                if set(vals) - COUNTER_CREATE_FIELDS:
                    raise UserError(self.env._(
                        "Counters can add a line with its product, lot, location and counted quantity only "
                        "(%(fields)s cannot be set).", fields=", ".join(sorted(set(vals) - COUNTER_CREATE_FIELDS)),
                    ))
        if not self.env.su and any(set(vals) & REVIEW_FIELDS for vals in vals_list):
            self._raise_review_fields()
        if not self.env.su and any(set(vals) & SNAPSHOT_FIELDS for vals in vals_list):
            raise UserError(self.env._(
                "The book quantity and the cost of a count line are those of the stocktake's snapshot, set by the "
                "system: add goods found with their product, location and counted quantity only."))
        if not self.env.su:
            self._check_figures_not_written({name for vals in vals_list for name in vals})
        if any((vals.get("counted_qty") or 0.0) < 0 for vals in vals_list):
            raise UserError(self.env._("A counted quantity cannot be negative; enter 0 when nothing is there."))
        plans = self.env["jxc.count.plan"].browse({vals["plan_id"] for vals in vals_list if vals.get("plan_id")})
        plans.check_access("write")
        started = plans.filtered(lambda p: p.state != "draft")
        for plan in started:
            plan._jxc_scan_check_counter()  # goods found are counted by those it is assigned to
        scope = {plan: plan._get_scope_locations() for plan in started}
        for vals in vals_list:
            plan = plans.browse(vals.get("plan_id"))
            if not self.env.su and (not plan.id or plan.state == "draft"):
                # the snapshot (as superuser) makes a draft plan's lines when counting starts
                raise UserError(self.env._(
                    "Start counting %(plan)s first: its lines are the book snapshot taken then, and goods found "
                    "are added while counting.", plan=plan.name or self.env._("the stocktake")))
            if plan in started:
                # A line added while counting: goods found where the book says nothing.
                if plan.state != "in_progress":
                    raise UserError(self.env._(
                        "Lines can be added to %(plan)s only while it is being counted.", plan=plan.name))
                location = self.env["stock.location"].browse(vals.get("location_id"))
                if location not in scope[plan]:
                    raise UserError(self.env._(
                        "%(location)s is not counted by %(plan)s; add found goods at a location the stocktake "
                        "covers.", location=location.display_name or self.env._("No location"), plan=plan.name,
                    ))
                product = self.env["product.product"].browse(vals.get("product_id"))
                if not product.is_storable:
                    raise UserError(self.env._(
                        "%(product)s does not track stock and is not counted.", product=product.display_name))
                if "book_qty" not in vals:
                    vals["is_found"] = True
                    vals.setdefault("unit_cost", plan._get_unit_cost(
                        self.env["product.product"].browse(vals["product_id"]),
                        self.env["res.partner"].browse(vals.get("owner_id")),
                        self.env["stock.lot"].browse(vals.get("lot_id"))))
            # Without the count screens' flag, a quantity given is a count; with it, the flag says.
            entered = vals.pop("counted_qty_set", "counted_qty" in vals)
            if entered and not vals.get("is_counted"):
                vals.update(self._prepare_count_vals())
        # The snapshot values (cost) of a counter's line are set by the system, not the counter.
        if self.env.su:
            vals_list = without_client_defaults(self, vals_list)
        lines = super(JxcCountLine, self if is_manager else self.sudo()).create(vals_list).with_env(self.env)
        lines.filtered(lambda line: line.is_counted and line.plan_id.state == "in_progress")._set_moved_qty()
        found = lines.filtered("is_found")
        for plan in found.plan_id:
            plan._check_no_overlap([(line.product_id.id, line.location_id.id) for line in found if line.plan_id == plan])
        return lines

    @api.model
    def _create_found_lines(self, vals_list):
        """Lines of goods found during the count (a scan, an imported sheet's rows). Another
        counter or sheet that added the same goods at the same place a moment before created
        them too: the second insert waits for the first and hits the plan's unique line, and is
        retried by Odoo's RPC (``ConcurrencyError``), whose retry counts on the lines the first
        made instead of failing."""
        try:
            with self.env.cr.savepoint():
                return self.create(vals_list)
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != self._plan_product_lot_location_uniq.full_name(self):
                raise
            raise ConcurrencyError(self.env._("Another counter added the same goods at the same moment.")) from error

    def write(self, vals):
        if not self.env.su and set(vals) & SYSTEM_COUNT_FIELDS:
            raise UserError(self.env._(
                "Whether and when a line was counted, its recount rounds and the moves before the count are set by the "
                "system: enter the counted quantity."))
        self._check_write(vals)
        if not self.env.su and set(vals) & REVIEW_FIELDS:
            self._raise_review_fields()
        if "counted_qty_set" in vals:
            return self._write_count_entry(vals)
        approved = self._get_approved_reviews(vals)
        if "counted_qty" in vals and "is_counted" not in vals:
            result = super().write(dict(vals, **self._prepare_count_vals()))
            self._set_moved_qty()
        else:
            result = super().write(vals)
        self._reset_approval(approved)
        return result

    def _write_count_entry(self, vals):
        """A write of the count screens, whose ``counted_qty_set`` says whether a quantity was
        entered (checked by ``_check_write`` as a count). The web client sends only the values
        that changed: a count equal to what an uncounted line holds (0, an empty bin) arrives as
        the flag alone, a quantity typed on an uncounted line and cleared again as the quantity
        with the flag off. A counted line stays counted: the flag off does not undo a count
        (a manager asks for a recount)."""
        vals = dict(vals)
        entered = vals.pop("counted_qty_set")
        uncounted = self.filtered(lambda line: not line.is_counted)
        if entered and "counted_qty" not in vals:
            by_qty = defaultdict(list)
            for line in uncounted:
                by_qty[line.counted_qty].append(line.id)
            for qty, line_ids in by_qty.items():
                self.browse(line_ids).write(dict(vals, counted_qty=qty))
            return (self - uncounted).write(vals)
        if not entered and "counted_qty" in vals:
            super(JxcCountLine, uncounted).write(vals)
            return (self - uncounted).write(vals)
        return self.write(vals)

    def _write_counts(self, vals, counted_at):
        """Write counted quantities taken at ``counted_at`` (the count time of an imported sheet)."""
        for plan in self.plan_id:
            if (plan.snapshot_date and counted_at < plan.snapshot_date) or counted_at > fields.Datetime.now():
                raise UserError(self.env._(
                    "The count time %(time)s of %(plan)s must lie between the start of the count (%(start)s) "
                    "and now.", time=format_datetime(self.env, counted_at), plan=plan.name,
                    start=format_datetime(self.env, plan.snapshot_date),
                ))
        self._check_write(vals)
        # The time was checked above; the system writes it with the count.
        self.sudo().write(dict(vals, **self._prepare_count_vals(counted_at)))
        self._set_moved_qty(counted_at)
        return True

    def _raise_review_fields(self):
        raise UserError(self.env._(
            "Who counted a line, its review and who approved it are set by the count's workflow (a count, Submit, "
            "Accept, Approve Difference, Recount); they cannot be written."))

    def _get_approved_reviews(self, vals):
        """{line: (difference, reason)} of the approved lines that ``vals`` counts anew or, by a
        user, gives another reason (``_reset_approval`` compares them once written)."""
        if "review_state" in vals or not ({"counted_qty", "reason_id"} & vals.keys()):
            return {}
        if "counted_qty" not in vals and self.env.su:  # the system's default reason
            return {}
        # the review is the system's to read and set, also when a counter changes the count
        return {line: (line.difference_qty, line.reason_id) for line in self.sudo()
                if line.review_state == "approved"}

    def _reset_approval(self, approved):
        """The manager approved the difference of the count he saw, for its reason: a line counted
        anew to another difference (another quantity, or the same one after goods moved: the plan
        went back to counting for a recount of other lines), or given another reason by a user,
        must be reviewed again. (The system's default reason for a difference within tolerance
        explains nothing a manager approved.) While counting, Submit reviews it again; in a plan
        submitted already (a reason changed), it is to review again at once, as Submit would
        have left it: Approve and Post never take a line nobody reviewed."""
        changed = self.browse([line.id for line, (difference, reason) in approved.items() if (
            line.product_id.uom_id.compare(line.difference_qty, difference) or line.reason_id != reason)]).sudo()
        submitted = changed.filtered(lambda line: line.plan_id.state == "counted")
        for state, lines in (("pending", changed - submitted),
                             ("to_review", submitted.filtered("is_discrepancy")),
                             ("ok", submitted.filtered(lambda line: not line.is_discrepancy))):
            if lines:
                lines.write({"review_state": state, "approved_by_id": False})

    def _check_figures_not_written(self, names):
        """Refuse ``names`` that are the line's own figures: computed from its count and book,
        stored for the reports (the difference, its value, whether it is beyond tolerance).
        Post books the stored difference: written, it would adjust stock by a quantity nobody
        counted."""
        fields_ = self._fields
        figures = sorted(name for name in names if name in fields_ and fields_[name].compute and not fields_[name].related
                         and fields_[name].store and fields_[name].readonly)
        if figures:
            raise UserError(self.env._(
                "The difference of a count line and its value are computed from the counted and the book "
                "quantities: %(fields)s cannot be written. Enter the counted quantity, or ask for a recount.",
                fields=", ".join(figures),
            ))

    def _check_write(self, vals):
        if not self.env.su:
            self._check_figures_not_written(vals)
            closed = self.filtered(lambda line: line.plan_id.state in ("approved", "done", "cancel"))
            if closed:
                raise UserError(self.env._(
                    "The lines of %(plan)s can no longer change: the plan is approved, posted or cancelled.",
                    plan=closed[0].plan_id.name,
                ))
        if not self.env.su and set(vals) - COUNTER_FIELDS and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(self.env._(
                "Counters can only enter the counted quantity, the reason and a note (%(fields)s cannot be changed).",
                fields=", ".join(sorted(set(vals) - COUNTER_FIELDS)),
            ))
        if not self.env.su and set(vals) & (LINE_IDENTITY_FIELDS | SNAPSHOT_FIELDS):
            raise UserError(self.env._(
                "A count line counts one product (lot, package, owner) at one location, against the book quantity "
                "of the stocktake's snapshot: %(fields)s cannot be changed. Delete a line added during the count "
                "and add the goods again.",
                fields=", ".join(sorted(set(vals) & (LINE_IDENTITY_FIELDS | SNAPSHOT_FIELDS))),
            ))
        if "counted_qty" in vals or vals.get("counted_qty_set"):
            for line in self:
                if line.plan_id.state != "in_progress":
                    raise UserError(self.env._(
                        "%(line)s cannot be counted: plan %(plan)s is not being counted. Ask a manager for a recount.",
                        line=line.display_name, plan=line.plan_id.name,
                    ))
            # typed on the stocktake's lines as on the scanning screen: by those it is assigned to
            for plan in self.plan_id:
                plan._jxc_scan_check_counter()
        if "counted_qty" in vals and (vals["counted_qty"] is False or vals["counted_qty"] < 0):
            raise UserError(self.env._("A counted quantity cannot be negative; enter 0 when nothing is there."))

    def unlink(self):
        plans = self.plan_id
        result = super().unlink()
        # a found line deleted: its product and location are free for other plans again
        self.env["jxc.count.claim"]._release(plans.exists())
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_snapshot(self):
        started = self.filtered(lambda line: line.plan_id.state == "cancel" and line.plan_id.snapshot_date)
        if started:
            # the snapshot and counts of a count that had started: what resetting it deletes
            started.plan_id._check_manager()
        for line in self:
            if line.plan_id.state not in ("draft", "cancel") and not line.is_found:
                raise UserError(self.env._(
                    "%(line)s belongs to the snapshot of %(plan)s and cannot be deleted; count it as 0 instead.",
                    line=line.display_name, plan=line.plan_id.name,
                ))
            if line.plan_id.state not in ("draft", "cancel", "in_progress"):
                raise UserError(self.env._("Lines of %(plan)s cannot be deleted any more.", plan=line.plan_id.name))

    def _prepare_count_vals(self, counted_at=None):
        # A count entered on the screen or scanned is true when it is entered.
        return {"is_counted": True, "counted_by_id": self.env.user.id, "counted_at": counted_at or fields.Datetime.now()}

    def _set_moved_qty(self, counted_at=None):
        """Record what the stock moved between the snapshot and the count: the quantity the
        system held when counted, minus the book quantity.

        That quantity is read from the quants now, less the done moves dated between the count
        time of an imported sheet and now. It does not depend on the snapshot's own time, which may
        lag moves committed while it was taken, and a line found outside the snapshot (its
        book 0) is compared with the stock actually there.
        """
        if not self:
            return
        lines = self.sudo()
        on_hand = lines._get_quant_qty()
        since = lines._get_moved_between(counted_at, fields.Datetime.now()) if counted_at else {}
        moved = {line.id: on_hand[line.id] - since.get(line.id, 0.0) - line.book_qty for line in lines}
        # the stock as read now: what any move line made later did is not in it (``_get_counted_again``)
        [(seen,)] = self.env.execute_query(SQL("SELECT COALESCE(MAX(id), 0) FROM stock_move_line"))
        by_qty = defaultdict(list)
        for line in lines:
            by_qty[line.product_id.uom_id.round(moved[line.id])].append(line.id)
        # One write per distinct quantity: an import of thousands of lines stays a few queries.
        for qty, line_ids in by_qty.items():
            lines.browse(line_ids).write({"moved_qty": qty, "moves_seen_id": seen})

    def _get_key_arrays(self):
        keys = [(line.id, line.product_id.id, line.location_id.id, line.lot_id.id or None,
                 line.package_id.id or None, line.owner_id.id or None) for line in self]
        return [list(column) for column in zip(*keys, strict=True)]

    def _get_quant_qty(self):
        """{line id: quantity of the quants of its product, lot, package and owner at its location}."""
        self.env["stock.quant"].flush_model(["product_id", "location_id", "lot_id", "package_id", "owner_id", "quantity"])
        return dict(self.env.execute_query(SQL(
            """WITH k(line_id, product_id, location_id, lot_id, package_id, owner_id) AS (
                    SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::int[], %s::int[]))
               SELECT k.line_id, COALESCE(SUM(q.quantity), 0)
                 FROM k
                 LEFT JOIN stock_quant q
                   ON q.product_id = k.product_id AND q.location_id = k.location_id
                  AND q.lot_id IS NOT DISTINCT FROM k.lot_id AND q.package_id IS NOT DISTINCT FROM k.package_id
                  AND q.owner_id IS NOT DISTINCT FROM k.owner_id
                GROUP BY k.line_id""",
            *self._get_key_arrays(),
        )))

    def _get_moved_between(self, date_from, date_to):
        """{line id: net done moves of its product, lot, package and owner at its location in (date_from, date_to]}."""
        self.env["stock.move.line"].flush_model()
        return dict(self.env.execute_query(SQL(
            """WITH k(line_id, product_id, location_id, lot_id, package_id, owner_id) AS (
                    SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::int[], %s::int[]))
               SELECT k.line_id,
                      COALESCE(SUM(CASE WHEN ml.location_dest_id = k.location_id
                                         AND ml.result_package_id IS NOT DISTINCT FROM k.package_id
                                        THEN ml.quantity_product_uom ELSE 0 END), 0)
                    - COALESCE(SUM(CASE WHEN ml.location_id = k.location_id
                                         AND ml.package_id IS NOT DISTINCT FROM k.package_id
                                        THEN ml.quantity_product_uom ELSE 0 END), 0)
                 FROM k
                 LEFT JOIN stock_move_line ml
                   ON ml.product_id = k.product_id AND ml.state = 'done' AND ml.date > %s AND ml.date <= %s
                  AND (ml.location_id = k.location_id OR ml.location_dest_id = k.location_id)
                  AND ml.lot_id IS NOT DISTINCT FROM k.lot_id AND ml.owner_id IS NOT DISTINCT FROM k.owner_id
                GROUP BY k.line_id""",
            *self._get_key_arrays(), date_from, date_to,
        )))

    def _get_counted_again(self):
        """The lines whose quant Odoo's Physical Inventory (or another count) adjusted after they
        were counted (dated after the count, or made after it at an earlier counting date, which
        Odoo's Apply lets the user choose; not a confirmed quantity's move of 0, which books
        nothing): that adjustment already booked what the line found,
        and the line's difference, posted on top of the quant as it is now, would book it twice. Odoo's own
        count refuses such a quant too (its conflict check). And the lines of a package moved
        elsewhere since: the difference would be booked where the package no longer is."""
        if not self:
            return self
        # a package gone with no difference to post books nothing where it was: once recounted
        # (0 where the package was), its line passes, or it would go back to the counters forever;
        # goods found in an empty package are put in it where they were counted
        moved = self.sudo().filtered(lambda line: line.package_id and line.package_id.location_id != line.location_id
                                     and not (line.is_found and not line.package_id.location_id)
                                     and line.product_id.uom_id.compare(line.difference_qty, 0.0) != 0).sudo(False)
        self.env["stock.move.line"].flush_model()
        self.env["stock.move"].flush_model(["is_inventory", "jxc_count_plan_id"])
        line_ids, *keys = self._get_key_arrays()
        rows = self.env.execute_query(SQL(
            """WITH k(line_id, product_id, location_id, lot_id, package_id, owner_id, plan_id, counted_at, seen) AS (
                    SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::int[], %s::int[], %s::int[],
                                         %s::timestamp[], %s::int[]))
               SELECT DISTINCT k.line_id
                 FROM k
                 JOIN stock_move_line ml
                   ON ml.product_id = k.product_id AND ml.state = 'done' AND ml.quantity != 0
                  AND (ml.date > k.counted_at OR ml.id > COALESCE(k.seen, 2147483647))
                  AND ml.lot_id IS NOT DISTINCT FROM k.lot_id AND ml.owner_id IS NOT DISTINCT FROM k.owner_id
                  AND (ml.location_dest_id = k.location_id AND ml.result_package_id IS NOT DISTINCT FROM k.package_id
                       OR ml.location_id = k.location_id AND ml.package_id IS NOT DISTINCT FROM k.package_id)
                 JOIN stock_move m ON m.id = ml.move_id AND m.jxc_count_plan_id IS DISTINCT FROM k.plan_id
                 JOIN stock_location asl ON asl.id = ml.location_id
                 JOIN stock_location adl ON adl.id = ml.location_dest_id
                WHERE %s""",
            line_ids, *keys, [line.plan_id.id for line in self],
            [line.counted_at or line.plan_id.snapshot_date for line in self],
            [line.sudo().moves_seen_id or None for line in self],
            inventory_adjustment_sql("m", "asl", "adl"),
        ))
        return self.browse([line_id for (line_id,) in rows]) | moved

    # --- review --------------------------------------------------------------------
    def _start_recount(self):
        """A new counting round: the first count is kept, the line must be counted again. The
        plan's declared count time was the last round's paper count: a recount is taken later."""
        # sent back to counting, the plan is no longer approved
        self.plan_id._write_workflow({"state": "in_progress", "declared_count_time": False, "approved_by_id": False})
        now = fields.Datetime.now()
        for line in self:
            line.sudo().write({
                "first_counted_qty": line.first_counted_qty if line.recount_round else line.counted_qty,
                "recount_round": line.recount_round + 1,
                "recount_asked_at": now,
                "counted_qty": 0.0,
                "is_counted": False,
                "review_state": "recount",
                "counted_by_id": False,
                "counted_at": False,
                "moved_qty": 0.0,
                "moves_seen_id": 0,
            })

    def _check_reasons(self, defaults=False):
        """Lines beyond tolerance need a reason; with ``defaults`` the others need default reasons."""
        missing = self.filtered(lambda line: line.is_discrepancy and not line.reason_id)
        if missing:
            raise UserError(self.env._(
                "%(count)s difference(s) beyond tolerance have no reason (first: %(line)s). "
                "Choose a reason (loss, damage, theft, recording error, surplus, other) on each of them.",
                count=len(missing), line=missing[0].display_name,
            ))
        wrong = self.filtered(lambda line: line.reason_id and (
            (line.reason_id.direction == "loss" and line.difference_qty > 0)
            or (line.reason_id.direction == "gain" and line.difference_qty < 0)))
        if wrong:
            raise UserError(self.env._(
                "The reason %(reason)s of %(line)s does not match its difference (%(diff)s). Choose a reason "
                "for a %(kind)s.", reason=wrong[0].reason_id.name, line=wrong[0].display_name,
                diff=wrong[0].difference_qty,
                kind=self.env._("gain") if wrong[0].difference_qty > 0 else self.env._("loss"),
            ))
        if defaults and self.filtered(lambda line: not line.reason_id):
            self.env["jxc.count.reason"]._get_defaults(self[:1].company_id)

    @api.model
    def _is_serial_miscount(self, product, lot, qty):
        """A serial number is there once or not at all: any other count of one cannot be posted."""
        return bool(lot) and product.tracking == "serial" and not product.uom_id.is_zero(qty) \
            and bool(product.uom_id.compare(qty, 1))

    @api.constrains("product_id", "lot_id")
    def _check_lot_product(self):
        # Odoo's quant refuses it too, but only when the stocktake is posted: approved by then, its
        # lines could no longer be corrected
        for line in self.filtered(lambda line: line.lot_id and line.lot_id.sudo().product_id != line.product_id):
            raise ValidationError(self.env._(
                "Lot/serial number %(lot)s is of %(lot_product)s, not of %(product)s: choose a lot/serial number "
                "of %(product)s, or none.", lot=line.lot_id.name, lot_product=line.lot_id.sudo().product_id.display_name,
                product=line.product_id.display_name,
            ))

    @api.constrains("counted_qty", "is_counted", "lot_id")
    def _check_serial_count(self):
        # refused when typed, not first when the plan is posted
        for line in self.filtered("is_counted"):
            if self._is_serial_miscount(line.product_id, line.lot_id, line.counted_qty):
                raise ValidationError(self.env._(
                    "%(product)s is tracked by serial number: count serial %(lot)s as 1 (found) or 0 (missing), "
                    "not %(qty)s.", product=line.product_id.display_name, lot=line.lot_id.name,
                    qty=formatLang(self.env, line.counted_qty, dp="Product Unit"),
                ))

    def _check_serials_counted_once(self):
        """A serial number is in one place: counted 1 on two lines of the stocktake (the same
        label scanned on two shelves), posting would put it in both."""
        counted = self.filtered(lambda line: line.is_counted and line.lot_id and line.product_id.tracking == "serial"
                                and not line.product_id.uom_id.is_zero(line.counted_qty))
        for lot, lines in counted.grouped("lot_id").items():
            if len(lines) > 1:
                raise UserError(self.env._(
                    "Serial number %(lot)s of %(product)s is counted in %(locations)s: a serial number is in one "
                    "place. Count it 1 where it is and 0 elsewhere.", lot=lot.name,
                    product=lot.product_id.display_name, locations=", ".join(lines.location_id.mapped("display_name")),
                ))

    def _check_serials_found_elsewhere(self):
        """A serial number counted where the book does not have it, while the book still has it
        in another place of the company that these lines do not count down: posting would put
        it in both (Odoo's own count only warns). ``self`` are the lines still to post."""
        gains = self.filtered(lambda line: line.lot_id and line.product_id.tracking == "serial"
                              and line.product_id.uom_id.compare(line.difference_qty, 0.0) > 0)
        if not gains:
            return
        change = defaultdict(float)
        for line in self.filtered(lambda line: line.lot_id in gains.lot_id):
            change[line.lot_id] += line.difference_qty
        on_hand = defaultdict(float)
        places = defaultdict(lambda: self.env["stock.location"])
        for lot, location, quantity in self.env["stock.quant"].sudo()._read_group(
            [("lot_id", "in", gains.lot_id.ids), ("location_id.usage", "in", ("internal", "transit")),
             ("company_id", "in", gains.plan_id.company_id.ids)],
            ["lot_id", "location_id"], ["quantity:sum"],
        ):
            on_hand[lot] += quantity
            if lot.product_id.uom_id.compare(quantity, 0.0) > 0:
                places[lot] |= location
        for lot in gains.lot_id:
            if lot.product_id.uom_id.compare(on_hand[lot] + change[lot], 1.0) > 0:
                raise UserError(self.env._(
                    "Serial number %(lot)s of %(product)s is counted in %(counted)s, but the stock already has it in "
                    "%(elsewhere)s and this stocktake does not count it down there: posting would make it two. If it "
                    "was moved without a transfer, relocate it in Physical Inventory (Relocate) and count this line "
                    "again (Recount on the line); otherwise count it 0 where it is not.",
                    lot=lot.name, product=lot.product_id.display_name,
                    counted=", ".join(gains.filtered(lambda line, lot=lot: line.lot_id == lot).location_id.mapped("display_name")),
                    elsewhere=", ".join(places[lot].mapped("display_name")),
                ))

    def _check_lots(self):
        """Goods of a lot-tracked product can only be counted on a lot. Its stock without a lot
        (from before the product was tracked, or a negative one left by a delivery without lot)
        may be counted down to 0: Odoo's inventory adjustments need no lot either, and a count
        naming the lots clears it so."""
        missing = self.filtered(lambda line: line.product_id.tracking != "none" and not line.lot_id
                                and line.product_id.uom_id.compare(line.counted_qty, 0.0) > 0
                                and line.product_id.uom_id.compare(line.sudo().difference_qty, 0.0) > 0)
        if missing:
            raise UserError(self.env._(
                "%(line)s is tracked by lot/serial number but its gain has no lot. Count it on a line "
                "with its lot/serial number (and this line as 0).", line=missing[0].display_name,
            ))

    def action_request_recount(self):
        self.env["jxc.count.plan"]._check_manager()
        for plan in self.plan_id:
            # approved, a line posting refuses (a serial found elsewhere) can still be counted again
            plan._check_state(("counted", "approved"), self.env._("ask for a recount"))
        self._start_recount()
        return True

    def action_approve_difference(self):
        self.env["jxc.count.plan"]._check_manager()
        for plan in self.plan_id:
            plan._check_state(("counted",), self.env._("approve a difference"))
        self._check_reasons()
        self.sudo().write({"review_state": "approved", "approved_by_id": self.env.user.id})
        return True

    # --- posting -------------------------------------------------------------------
    def _prepare_inventory_quants(self, create_missing=True):
        """The quant of each line's product, lot, package and owner, its counted quantity set.

        Odoo's own ``_apply_inventory`` then posts ``inventory_quantity - quantity`` per quant,
        so the quant ends at its current quantity plus the line's difference: the moves done
        after the count are kept. Without ``create_missing``, lines whose quant does not exist
        are left out (a confirmed nothing has no quant to confirm). Returns {line: quant}.
        """
        Quant = self.env["stock.quant"].sudo()
        by_key = self._get_quants_by_key()
        lines = self if create_missing else self.filtered(lambda line: line._get_quant_key() in by_key)
        missing = [line for line in lines if line._get_quant_key() not in by_key]
        # A quant that no longer exists (or never did) is created empty, as Odoo's own count does.
        for line, quant in zip(missing, Quant.create([{
            "product_id": line.product_id.id, "location_id": line.location_id.id, "lot_id": line.lot_id.id,
            "package_id": line.package_id.id, "owner_id": line.owner_id.id,
        } for line in missing]), strict=True):
            by_key[line._get_quant_key()] = quant
        pending = [by_key[line._get_quant_key()] for line in lines if by_key[line._get_quant_key()].inventory_quantity_set]
        if pending:
            # Odoo would apply it with the plan's quantity, and then clear it
            raise UserError(self.env._(
                "Physical Inventory has a count not applied yet of %(quants)s: apply or clear it there first, then "
                "post the plan. Nothing was posted.",
                quants=", ".join(f"{quant.product_id.display_name} ({quant.location_id.display_name})" for quant in pending[:5]),
            ))
        result = {}
        for line in lines.sudo():
            quant = by_key[line._get_quant_key()]
            quant.inventory_quantity = quant.quantity + line.difference_qty
            result[line] = quant
        return result

    def _get_quants_by_key(self):
        """{quant key (``_get_quant_key``): quant} of the lines' products in their locations."""
        quants = self.env["stock.quant"].sudo().search([
            ("product_id", "in", self.product_id.ids), ("location_id", "in", self.location_id.ids),
        ])
        by_key = {}
        for quant in quants:
            by_key.setdefault((quant.product_id, quant.location_id, quant.lot_id, quant.package_id, quant.owner_id), quant)
        return by_key

    def _get_quant_key(self):
        return self.product_id, self.location_id, self.lot_id, self.package_id, self.owner_id

    def _get_move_quant_key(self, move_line):
        """The key of the quant an inventory move line changed (its internal side)."""
        if move_line.location_dest_id.usage == "internal":
            return move_line.product_id, move_line.location_dest_id, move_line.lot_id, move_line.result_package_id, move_line.owner_id
        return move_line.product_id, move_line.location_id, move_line.lot_id, move_line.package_id, move_line.owner_id
