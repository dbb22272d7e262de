from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.orm_batch import check_company_batch

MANAGER_GROUP = "jxc_addon.group_jxc_manager"
REVIEW_STATES = [
    ("pending", "Not Submitted"),
    ("ok", "Within Tolerance"),
    ("to_review", "To Review"),
    ("recount", "Recount"),
    ("approved", "Approved"),
]
# What a counter may change on a line; everything else is the snapshot or the manager's.
COUNTER_FIELDS = {"counted_qty", "reason_id", "note"}
# What a counter may give when adding goods found during the count.
COUNTER_CREATE_FIELDS = COUNTER_FIELDS | {"plan_id", "product_id", "lot_id", "location_id"}


class JxcCountLine(models.Model):
    """One product (and lot) at one location of a count plan: book at snapshot vs. counted."""

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
    location_id = fields.Many2one("stock.location", required=True, check_company=True, index=True,
                                  domain="[('usage', '=', 'internal')]")
    location_name = fields.Char(related="location_id.complete_name", store=True, string="Location Name")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    book_qty = fields.Float(string="Book Quantity", digits="Product Unit", readonly=True, groups=MANAGER_GROUP,
                            help="On hand when the plan was started (the snapshot).")
    book_qty_shown = fields.Float(string="Book Qty", digits="Product Unit", compute="_compute_shown",
                                  help="The book quantity, hidden while a blind plan is counted.")
    counted_qty = fields.Float(string="Counted Quantity", digits="Product Unit")
    is_counted = fields.Boolean(string="Counted", readonly=True)
    first_counted_qty = fields.Float(string="First Count", digits="Product Unit", readonly=True,
                                     help="The count of the first round, kept when a recount is asked.")
    recount_round = fields.Integer(string="Recounts", readonly=True)
    difference_qty = fields.Float(string="Difference", digits="Product Unit", compute="_compute_difference",
                                  store=True, groups=MANAGER_GROUP)
    difference_qty_shown = fields.Float(string="Diff.", digits="Product Unit", compute="_compute_shown")
    unit_cost = fields.Float(digits="Product Price", readonly=True, groups=MANAGER_GROUP)
    currency_id = fields.Many2one(related="company_id.currency_id")
    book_value = fields.Monetary(compute="_compute_difference", store=True, groups=MANAGER_GROUP)
    difference_value = fields.Monetary(compute="_compute_difference", store=True, groups=MANAGER_GROUP)
    abs_difference_value = fields.Monetary(string="Absolute Difference Value", compute="_compute_difference",
                                           store=True, groups=MANAGER_GROUP)
    loss_value = fields.Monetary(compute="_compute_difference", store=True, groups=MANAGER_GROUP)
    gain_value = fields.Monetary(compute="_compute_difference", store=True, groups=MANAGER_GROUP)
    is_discrepancy = fields.Boolean(
        string="Beyond Tolerance", compute="_compute_difference", store=True,
        help="The difference exceeds the warehouse's tolerance (a count where the book says 0 always does).",
    )
    review_state = fields.Selection(REVIEW_STATES, default="pending", required=True, readonly=True, copy=False)
    counted_by_id = fields.Many2one("res.users", readonly=True)
    counted_at = fields.Datetime(readonly=True)
    approved_by_id = fields.Many2one("res.users", readonly=True)
    reason_id = fields.Many2one("jxc.count.reason", check_company=True)
    note = fields.Char()
    is_found = fields.Boolean(string="Added During Count", readonly=True,
                              help="Goods found where the book said nothing, added while counting.")
    move_ids = fields.One2many("stock.move", "jxc_count_line_id", string="Adjustment", readonly=True)

    _plan_product_lot_location_uniq = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (plan_id, product_id, lot_id, location_id)",
        "A product, lot and location can appear only once in a count plan.",
    )

    def _check_company(self, fnames=None):
        # The 5,000 lines of a snapshot are created at once.
        return check_company_batch(self, fnames, super()._check_company)

    @api.depends("product_id", "location_id", "lot_id")
    def _compute_display_name(self):
        for line in self:
            name = "%s @ %s" % (line.product_id.display_name, line.location_id.display_name)
            line.display_name = "%s (%s)" % (name, line.lot_id.name) if line.lot_id else name

    @api.depends("book_qty", "counted_qty", "is_counted", "unit_cost", "plan_id.warehouse_id")
    def _compute_difference(self):
        tolerances = {}
        # The values are assigned per currency, field and value rather than line by line: each
        # assignment of a monetary field looks up and rounds with the currency of its records,
        # which line by line cost seconds on a plan of 5,000 lines.
        assignments = defaultdict(list)
        for line in self:
            if not line.is_counted:
                vals = {"difference_qty": 0.0, "difference_value": 0.0, "abs_difference_value": 0.0,
                        "loss_value": 0.0, "gain_value": 0.0, "is_discrepancy": False,
                        "book_value": line.book_qty * line.unit_cost}
            else:
                key = (line.plan_id.company_id, line.plan_id.warehouse_id)
                if key not in tolerances:
                    tolerances[key] = self.env["jxc.count.tolerance"].sudo()._get_for_warehouse(*key)
                difference = line.product_id.uom_id.round(line.counted_qty - line.book_qty)
                value = line.currency_id.round(difference * line.unit_cost)
                vals = {
                    "difference_qty": difference,
                    "book_value": line.currency_id.round(line.book_qty * line.unit_cost),
                    "difference_value": value,
                    "abs_difference_value": abs(value),
                    "loss_value": -value if value < 0 else 0.0,
                    "gain_value": value if value > 0 else 0.0,
                    "is_discrepancy": not tolerances[key]._is_within(
                        line.book_qty, difference, value, line.product_id.uom_id.rounding),
                }
            currency_id = line.currency_id.id
            for name, value in vals.items():
                assignments[currency_id, name, value].append(line.id)
        for (_currency_id, name, value), ids in assignments.items():
            self.browse(ids)[name] = value

    @api.depends_context("uid")
    @api.depends("book_qty", "counted_qty", "is_counted", "plan_id.blind", "plan_id.state")
    def _compute_shown(self):
        is_manager = self.env.su or self.env.user.has_group(MANAGER_GROUP)
        for line in self:
            data = line.sudo()
            hidden = data.plan_id.blind and not is_manager and data.plan_id.state in ("draft", "in_progress")
            line.book_qty_shown = 0.0 if hidden else data.book_qty
            line.difference_qty_shown = 0.0 if hidden or not data.is_counted else data.difference_qty

    # --- CRUD ----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        is_manager = self.env.su or self.env.user.has_group(MANAGER_GROUP)
        if not is_manager:
            for vals in vals_list:
                if set(vals) - COUNTER_CREATE_FIELDS:
                    raise UserError(self.env._(
                        "Counters can add a line with its product, lot, location and counted quantity only "
                        "(%(fields)s cannot be set).", fields=", ".join(sorted(set(vals) - COUNTER_CREATE_FIELDS)),
                    ))
        if any((vals.get("counted_qty") or 0.0) < 0 for vals in vals_list):
            raise UserError(self.env._("A counted quantity cannot be negative; enter 0 when nothing is there."))
        plans = self.env["jxc.count.plan"].browse({vals["plan_id"] for vals in vals_list if vals.get("plan_id")})
        plans.check_access("write")
        started = plans.filtered(lambda p: p.state != "draft")
        for vals in vals_list:
            plan = plans.browse(vals.get("plan_id"))
            if plan in started:
                # A line added while counting: goods found where the book says nothing.
                if plan.state != "in_progress":
                    raise UserError(self.env._(
                        "Lines can be added to %(plan)s only while it is being counted.", plan=plan.name))
                if "book_qty" not in vals:
                    vals["is_found"] = True
                    vals.setdefault("unit_cost", self.env["product.product"].browse(vals["product_id"])
                                    .with_company(plan.company_id).standard_price)
            if "counted_qty" in vals and not vals.get("is_counted"):
                vals.update(self._prepare_count_vals())
        # The snapshot values (cost) of a counter's line are set by the system, not the counter.
        lines = super(JxcCountLine, self if is_manager else self.sudo()).create(vals_list).with_env(self.env)
        found = lines.filtered("is_found")
        for plan in found.plan_id:
            plan._check_no_overlap([(line.product_id.id, line.location_id.id) for line in found if line.plan_id == plan])
        return lines

    def write(self, vals):
        if not self.env.su:
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
        if "counted_qty" in vals:
            for line in self:
                if line.plan_id.state != "in_progress":
                    raise UserError(self.env._(
                        "%(line)s cannot be counted: plan %(plan)s is not being counted. Ask a manager for a recount.",
                        line=line.display_name, plan=line.plan_id.name,
                    ))
            if vals["counted_qty"] is False or vals["counted_qty"] < 0:
                raise UserError(self.env._("A counted quantity cannot be negative; enter 0 when nothing is there."))
            if "is_counted" not in vals:
                vals = dict(vals, **self._prepare_count_vals())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_snapshot(self):
        for line in self:
            if line.plan_id.state not in ("draft", "cancel") and not line.is_found:
                raise UserError(self.env._(
                    "%(line)s belongs to the snapshot of %(plan)s and cannot be deleted; count it as 0 instead.",
                    line=line.display_name, plan=line.plan_id.name,
                ))
            if line.plan_id.state not in ("draft", "cancel", "in_progress"):
                raise UserError(self.env._("Lines of %(plan)s cannot be deleted any more.", plan=line.plan_id.name))

    def _prepare_count_vals(self):
        return {"is_counted": True, "counted_by_id": self.env.user.id, "counted_at": fields.Datetime.now()}

    # --- review --------------------------------------------------------------------
    def _start_recount(self):
        """A new counting round: the first count is kept, the line must be counted again."""
        self.plan_id.write({"state": "in_progress"})
        for line in self:
            line.sudo().write({
                "first_counted_qty": line.first_counted_qty if line.recount_round else line.counted_qty,
                "recount_round": line.recount_round + 1,
                "counted_qty": 0.0,
                "is_counted": False,
                "review_state": "recount",
                "counted_by_id": False,
                "counted_at": False,
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

    def _check_lots(self):
        """A difference on a lot-tracked product can only be posted on a lot."""
        missing = self.filtered(lambda line: line.product_id.tracking != "none" and not line.lot_id
                                and not line.product_id.uom_id.is_zero(line.sudo().difference_qty))
        if missing:
            raise UserError(self.env._(
                "%(line)s is tracked by lot/serial number but its difference has no lot. Count it on a line "
                "with its lot/serial number (and this line as 0).", line=missing[0].display_name,
            ))

    def action_request_recount(self):
        self.env["jxc.count.plan"]._check_manager()
        for plan in self.plan_id:
            plan._check_state(("counted",), self.env._("ask for a recount"))
        self._start_recount()
        return True

    def action_approve_difference(self):
        self.env["jxc.count.plan"]._check_manager()
        for plan in self.plan_id:
            plan._check_state(("counted",), self.env._("approve a difference"))
        self._check_reasons()
        self.write({"review_state": "approved", "approved_by_id": self.env.user.id})
        return True

    def _prepare_move_vals(self, reason):
        """An inventory move between the location and the inventory-loss location."""
        self.ensure_one()
        plan = self.plan_id
        product = self.product_id
        loss_location = product.with_company(plan.company_id).property_stock_inventory
        qty = abs(self.difference_qty)
        source, dest = (loss_location, self.location_id) if self.difference_qty > 0 else (self.location_id, loss_location)
        name = "%s - %s" % (plan.name, reason.name)
        return {
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": qty,
            "company_id": plan.company_id.id,
            "state": "confirmed",
            "location_id": source.id,
            "location_dest_id": dest.id,
            "is_inventory": True,
            "picked": True,
            "inventory_name": name,
            "jxc_count_plan_id": plan.id,
            "jxc_count_line_id": self.id,
            "jxc_count_reason_id": reason.id,
            "jxc_accounting_date": plan.accounting_date or fields.Date.context_today(plan),
            "move_line_ids": [fields.Command.create({
                "product_id": product.id,
                "product_uom_id": product.uom_id.id,
                "quantity": qty,
                "location_id": source.id,
                "location_dest_id": dest.id,
                "company_id": plan.company_id.id,
                "lot_id": self.lot_id.id,
            })],
        }
