import base64
import logging
from collections import defaultdict

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import createBarcodeDrawing

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, clean_context

from ..tools.client_defaults import check_client_defaults, ignore_context_defaults
from ..tools.company_day import local_midnight_utc
from ..tools.count_accuracy import accuracy_value_sql
from ..tools.counts import count_by
from ..tools.window_action import notification_action, window_action

_logger = logging.getLogger(__name__)


def _search_line_stat(fname):
    """The search of a plan's figure: the condition on the figure summed from its lines, as
    ``_field_to_sql`` reads it; declared so that custom filters offer the figure."""
    def search(self, operator, value):
        field = self._fields[fname]
        return Domain.custom(to_sql=lambda model, alias, query: field.condition_to_sql(
            fname, operator, value, model, alias, query))
    return search


PLAN_STATES = [
    ("draft", "Draft"), ("in_progress", "Counting"), ("counted", "Counted"), ("approved", "Approved"),
    ("done", "Done"), ("cancel", "Cancelled"),
]
# A product and location counted by a plan in one of these states cannot be counted by another.
ACTIVE_STATES = ("in_progress", "counted", "approved")
# A blind plan keeps its book quantities from counters until its counts are posted: approved,
# a count may still go back to them (Post sends the lines Odoo's Physical Inventory adjusted
# since their count back for a recount); cancelled, the plan may be reset and counted again.
BLIND_STATES = ("draft", "in_progress", "counted", "approved", "cancel")


def inventory_adjustment_sql(move, src, dst):
    """SQL condition: the move ``move`` (its move line from location alias ``src`` to ``dst``)
    is an inventory adjustment: Odoo's inventory move into or out of an inventory location.
    Odoo 19 marks its relocations (``stock.quant.move_quants``: the Relocate action, a package
    or lot moved) as inventory moves too; those move stock like any transfer."""
    return SQL(
        "(%(move)s.is_inventory AND (%(src)s.usage = 'inventory' OR %(dst)s.usage = 'inventory'))",
        move=SQL.identifier(move), src=SQL.identifier(src), dst=SQL.identifier(dst),
    )
MANAGER_GROUP = "jxc_addon.group_jxc_manager"
# Set by the plan's buttons, which check who may press them in which state; never written directly.
WORKFLOW_FIELDS = frozenset({
    "state", "snapshot_date", "approved_by_id", "date_done", "zero_confirmation", "zero_since", "cycle_rule_id",
})
# What the book snapshot was taken of, and whether counters see it: fixed once counting started.
SCOPE_FIELDS = frozenset({
    "company_id", "warehouse_id", "count_type", "location_ids", "include_children", "categ_ids",
    "abc_a", "abc_b", "abc_c", "abc_n", "product_ids", "blind",
})
# A posting choice: the date of the accounting entries.
MANAGER_FIELDS = frozenset({"accounting_date"})
# Who may count a started plan (the scanning screen checks them): set by its responsible or a manager.
ASSIGNMENT_FIELDS = frozenset({"counter_ids", "user_id"})


class JxcCountPlan(models.Model):
    """A stocktake (盘点单): what to count, the book snapshot, the counts and their posting."""

    _name = "jxc.count.plan"
    _description = "Count Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_scheduled desc, id desc"
    _check_company_auto = True
    # the dashboard charts the count accuracy tile month by month
    _jxc_dashboard_charted = True

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/", index="trigram")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    # set by the buttons only: read-only, so that the web client does not send it with a new plan
    state = fields.Selection(PLAN_STATES, default="draft", required=True, readonly=True, tracking=True, copy=False,
                             index=True)
    count_type = fields.Selection(
        [("full", "Full Count"), ("cycle", "Cycle Count")], string="Type", required=True, default="full",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, check_company=True, tracking=True,
        default=lambda self: self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1),
    )
    location_ids = fields.Many2many(
        "stock.location", string="Locations", check_company=True,
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', warehouse_id)]",
        help="Leave empty to count every internal location of the warehouse.",
    )
    include_children = fields.Boolean(
        string="Include Sub-locations", default=True,
        help="Count the sub-locations of the selected locations too.",
    )
    categ_ids = fields.Many2many("product.category", string="Product Categories")
    abc_a = fields.Boolean(string="Class A")
    abc_b = fields.Boolean(string="Class B")
    abc_c = fields.Boolean(string="Class C")
    abc_n = fields.Boolean(string="Class N", help="Products without movement, or not classified yet.")
    product_ids = fields.Many2many(
        "product.product", string="Products", check_company=True, domain="[('is_storable', '=', True)]",
        help="Count only these products. With explicit locations (without sub-locations), a product "
        "with no stock there still gets a line with a book quantity of 0.",
    )
    zero_confirmation = fields.Boolean(
        readonly=True, copy=False,
        help="Created when a location became empty: confirms that nothing is left there.",
    )
    zero_since = fields.Datetime(readonly=True, copy=False)
    date_scheduled = fields.Date(string="Scheduled Date", required=True, default=fields.Date.context_today, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True,
        domain="[('share', '=', False)]",
    )
    counter_ids = fields.Many2many(
        "res.users", "jxc_count_plan_counter_rel", "plan_id", "user_id", string="Counters",
        domain="[('share', '=', False)]",
    )
    blind = fields.Boolean(
        string="Blind Count", tracking=True,
        help="Counters do not see the book quantities (nor the differences) while they count.",
    )
    cycle_rule_id = fields.Many2one("jxc.count.cycle.rule", readonly=True, check_company=True, copy=False)
    snapshot_date = fields.Datetime(readonly=True, copy=False, help="When the book quantities were taken.")
    declared_count_time = fields.Datetime(
        copy=False, tracking=True,
        help="When a paper or Excel count was taken. Imported counts without their own Count Time column "
        "get this time; empty: the moment they are imported.",
    )
    accounting_date = fields.Date(
        copy=False, tracking=True,
        help="Date of the accounting entries of the adjustments; empty: the posting date.",
    )
    date_done = fields.Datetime(string="Posted On", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    note = fields.Html()
    line_ids = fields.One2many("jxc.count.line", "plan_id", string="Lines", copy=False)
    move_ids = fields.One2many("stock.move", "jxc_count_plan_id", string="Adjustments", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    # The plan's figures are its lines' (``_line_stats_sql``), read when shown and never stored on
    # its row: every count would rewrite that row, and counters of one plan would wait for each
    # other's commit. Pivot, graph and grouped lists aggregate them too (``_field_to_sql``).
    line_count = fields.Integer(compute="_compute_line_stats", search=_search_line_stat("line_count"))
    counted_count = fields.Integer(string="Counted Lines", compute="_compute_line_stats",
                                   search=_search_line_stat("counted_count"))
    # Whether counts differ from the book tells the book: the figures are the managers', the
    # ``_shown`` copies below are what the others see of them.
    discrepancy_count = fields.Integer(string="Discrepancies", compute="_compute_line_stats",
                                       search=_search_line_stat("discrepancy_count"), groups=MANAGER_GROUP)
    to_review_count = fields.Integer(string="To Review", compute="_compute_line_stats",
                                     search=_search_line_stat("to_review_count"), groups=MANAGER_GROUP)
    accuracy = fields.Float(
        string="Accuracy (lines)", compute="_compute_line_stats", search=_search_line_stat("accuracy"),
        aggregator="avg", groups=MANAGER_GROUP, help="Counted lines without discrepancy divided by counted lines.",
    )
    discrepancy_count_shown = fields.Integer(
        string="Lines Beyond Tolerance", compute="_compute_shown_stats",
        help="The discrepancies, hidden from counters until a blind count is posted.",
    )
    to_review_count_shown = fields.Integer(
        string="Lines to Review", compute="_compute_shown_stats",
        help="The discrepancies to review, hidden from counters until a blind count is posted.",
    )
    book_hidden = fields.Boolean(
        compute="_compute_shown_stats",
        help="The book quantities and the differences are hidden from you: a blind count not posted yet.",
    )
    accuracy_shown = fields.Float(
        string="Line Accuracy", compute="_compute_shown_stats",
        help="Counted lines without discrepancy divided by counted lines, hidden from counters until a "
        "blind count is posted.",
    )
    accuracy_value = fields.Float(
        string="Accuracy (value)", compute="_compute_line_stats", search=_search_line_stat("accuracy_value"),
        aggregator="avg", groups=MANAGER_GROUP,
        help="1 - absolute difference value / book value, of the lines counted so far.",
    )
    loss_value = fields.Monetary(compute="_compute_line_stats", search=_search_line_stat("loss_value"),
                                 groups=MANAGER_GROUP)
    gain_value = fields.Monetary(compute="_compute_line_stats", search=_search_line_stat("gain_value"),
                                 groups=MANAGER_GROUP)
    move_count = fields.Integer(compute="_compute_move_count")

    _name_company_uniq = models.Constraint("UNIQUE(name, company_id)", "The count plan reference must be unique.")

    @api.constrains("user_id", "company_id")
    def _check_responsible(self):
        # Odoo makes the responsible a follower and mails the assignment: someone who may open
        # the plan (the scheduled action's OdooBot, who reads no mail, creates plans too)
        Rule = self.env["jxc.count.cycle.rule"]
        for plan in self:
            user = plan.user_id
            if user and not user._is_superuser() and not Rule._is_count_responsible(user, plan.company_id):
                raise ValidationError(self.env._(
                    "%(user)s cannot be responsible for count plan %(plan)s: the responsible must be an internal "
                    "user of %(company)s who works on stocktakes (an inventory control user).",
                    user=user.name, plan=plan.name, company=plan.company_id.name))

    @api.constrains("location_ids", "warehouse_id")
    def _check_locations_in_warehouse(self):
        # the plan's tolerance, reports and sheet are its warehouse's: its locations must be too
        for plan in self:
            outside = plan._get_scope("location_ids").filtered(lambda loc, plan=plan: loc.warehouse_id != plan.warehouse_id)
            if outside:
                raise ValidationError(self.env._(
                    "%(locations)s of count plan %(plan)s are not in its warehouse %(warehouse)s. Choose locations "
                    "of %(warehouse)s, or count them in a plan of their own warehouse.",
                    locations=", ".join(outside.mapped("complete_name")), plan=plan.name,
                    warehouse=plan.warehouse_id.name))

    @api.onchange("warehouse_id")
    def _onchange_warehouse_id(self):
        self.location_ids = self.location_ids.filtered(lambda loc: loc.warehouse_id == self.warehouse_id)

    @api.constrains("declared_count_time", "snapshot_date")
    def _check_declared_count_time(self):
        for plan in self:
            if plan.declared_count_time and plan.snapshot_date and plan.declared_count_time < plan.snapshot_date:
                raise ValidationError(self.env._(
                    "The declared count time of %(plan)s is before the count started (%(start)s). Enter when "
                    "the sheet was actually counted.", plan=plan.name,
                    start=fields.Datetime.context_timestamp(plan, plan.snapshot_date).strftime("%Y-%m-%d %H:%M:%S"),
                ))

    @api.model
    def _line_column_sql(self, fname):
        """A column of the plans' lines, aliased ``l``, flushed before it is read."""
        return SQL.identifier("l", fname, to_flush=self.env["jxc.count.line"]._fields[fname])

    @api.model
    def _line_stats_sql(self):
        """Each figure of a plan as an SQL aggregate of its lines, aliased ``l``."""
        col = self._line_column_sql
        counted = SQL("COUNT(*) FILTER (WHERE %s)", col("is_counted"))
        discrepancies = SQL("COUNT(*) FILTER (WHERE %s)", col("is_discrepancy"))
        book = SQL("COALESCE(SUM(%s) FILTER (WHERE %s), 0)", col("book_value"), col("is_counted"))
        abs_diff = SQL("COALESCE(SUM(%s), 0)", col("abs_difference_value"))
        return {
            "line_count": SQL("COUNT(*)"),
            "counted_count": counted,
            "discrepancy_count": discrepancies,
            "to_review_count": SQL("COUNT(*) FILTER (WHERE %s = 'to_review')", col("review_state")),
            "accuracy": SQL("COALESCE((%s - %s)::float / NULLIF(%s, 0), 0.0)", counted, discrepancies, counted),
            "accuracy_value": accuracy_value_sql(book, abs_diff, counted),
            "loss_value": SQL("COALESCE(SUM(%s), 0)", col("loss_value")),
            "gain_value": SQL("COALESCE(SUM(%s), 0)", col("gain_value")),
        }

    def _field_to_sql(self, alias, field_expr, query=None):
        field = self._fields.get(field_expr)
        if not field or field.compute != "_compute_line_stats":
            return super()._field_to_sql(alias, field_expr, query)
        self._check_field_access(field, "read")
        # of the type a stored column would have: a count's sum is an integer, not a numeric
        return SQL("%s::%s", self._line_stat_sql(alias, self._line_stats_sql()[field_expr]), SQL(field._column_type[1]))

    def _line_stat_sql(self, alias, stat):
        """SQL: ``stat`` (an aggregate of the lines, aliased ``l``) of the plan aliased ``alias``."""
        return SQL("(SELECT %s FROM jxc_count_line l WHERE %s = %s)",
                   stat, self._line_column_sql("plan_id"), SQL.identifier(alias, "id"))

    def _read_group_select(self, aggregate_spec, query):
        """A group's accuracy is that of its plans' lines together, as the count accuracy report's:
        the counted lines without discrepancy over the counted lines, and 1 - their absolute
        difference over their book value. Not the mean of its plans' (a 2-line count would weigh
        as much as a 2,000-line one)."""
        if aggregate_spec not in ("accuracy:avg", "accuracy_value:avg"):
            return super()._read_group_select(aggregate_spec, query)
        self._check_field_access(self._fields[aggregate_spec.split(":")[0]], "read")
        col = self._line_column_sql
        counted, discrepancies, book, diff = (
            SQL("SUM(%s)", self._line_stat_sql(query.table, stat)) for stat in (
                SQL("COUNT(*) FILTER (WHERE %s)", col("is_counted")),
                SQL("COUNT(*) FILTER (WHERE %s)", col("is_discrepancy")),
                SQL("COALESCE(SUM(%s) FILTER (WHERE %s), 0)", col("book_value"), col("is_counted")),
                SQL("COALESCE(SUM(%s), 0)", col("abs_difference_value")),
            ))
        if aggregate_spec == "accuracy:avg":
            return SQL("COALESCE((%s - %s)::float / NULLIF(%s, 0), 0.0)", counted, discrepancies, counted)
        return accuracy_value_sql(book, diff, counted)

    @api.depends("line_ids.is_counted", "line_ids.is_discrepancy", "line_ids.review_state",
                 "line_ids.difference_value", "line_ids.book_value")
    def _compute_line_stats(self):
        stats = self._line_stats_sql()
        data = {}
        if self._origin.ids:
            rows = self.env.execute_query(SQL(
                "SELECT %(plan)s, %(stats)s FROM jxc_count_line l WHERE %(plan)s IN %(ids)s GROUP BY %(plan)s",
                plan=self._line_column_sql("plan_id"), stats=SQL(", ").join(stats.values()), ids=tuple(self._origin.ids),
            ))
            data = {row[0]: row[1:] for row in rows}
        for plan in self:
            row = data.get(plan._origin.id)
            plan.update(dict(zip(stats, row, strict=True)) if row else dict.fromkeys(stats, 0))

    @api.depends_context("uid")
    @api.depends("discrepancy_count", "to_review_count", "accuracy", "blind", "state")
    def _compute_shown_stats(self):
        for plan in self:
            hidden = plan._is_book_hidden()
            data = plan.sudo()
            plan.book_hidden = hidden
            plan.discrepancy_count_shown = 0 if hidden else data.discrepancy_count
            plan.to_review_count_shown = 0 if hidden else data.to_review_count
            plan.accuracy_shown = 0.0 if hidden else data.accuracy

    def _compute_move_count(self):
        counts = count_by(self, "stock.move", "jxc_count_plan_id")
        for plan in self:
            plan.move_count = counts.get(plan, 0)

    @api.model_create_multi
    def create(self, vals_list):
        # the system's plans (cycle counts) take no workflow value from a client's defaults
        # checked as new plans: a copy's original (self) may have started long ago
        vals_list = check_client_defaults(self, vals_list, WORKFLOW_FIELDS | MANAGER_FIELDS, lambda given: [
            self.browse()._check_direct_write(vals) for vals in given])
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) if vals.get("company_id") else self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code("jxc.count.plan") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_direct_write(vals)
        return super().write(vals)

    def _check_direct_write(self, vals):
        """What a user may write on plans himself: the workflow's fields only through the
        buttons, the scope only in draft, the posting choices only as a manager, who counts a
        started plan only as its responsible or a manager."""
        def labels(names):
            return ", ".join(sorted(self._fields[name]._description_string(self.env) for name in names))

        workflow = set(vals) & WORKFLOW_FIELDS
        if workflow:
            raise AccessError(self.env._(
                "%(fields)s of a count plan are set by its buttons (Start Counting, Submit Counts, Approve, "
                "Post, Cancel), not written directly.", fields=labels(workflow),
            ))
        manager = set(vals) & MANAGER_FIELDS
        if manager and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._(
                "Only inventory control managers can set %(fields)s on a count plan.", fields=labels(manager),
            ))
        posted = self.filtered(lambda plan: plan.state in ("done", "cancel"))
        if manager and posted:
            raise UserError(self.env._(
                "Count plan %(plan)s is posted or cancelled: %(fields)s stays what its adjustments were booked "
                "with.", plan=posted[0].name, fields=labels(manager),
            ))
        scope = set(vals) & SCOPE_FIELDS
        started = self.filtered(lambda plan: plan.state != "draft")
        if scope and started:
            raise UserError(self.env._(
                "Count plan %(plan)s has started: %(fields)s can no longer change. Cancel it and reset it to "
                "draft to change them (its counts are discarded).", plan=started[0].name, fields=labels(scope),
            ))
        assignment = set(vals) & ASSIGNMENT_FIELDS
        user = self.env.user
        assigned = self.filtered(lambda plan: plan.state != "draft" and plan.user_id != user)
        if assignment and assigned and not user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._(
                "Count plan %(plan)s has started: only its responsible (%(responsible)s) and inventory control "
                "managers can change its %(fields)s. Ask one of them to assign you.",
                plan=assigned[0].name, responsible=assigned[0].user_id.name or "-",
                fields=labels(assignment),
            ))
        if "blind" in vals and not vals["blind"] and any(self.mapped("blind")) \
                and not self.env.user.has_group(MANAGER_GROUP):
            # a blind count is a manager's control: counters do not switch it off for themselves
            raise AccessError(self.env._("Only inventory control managers can switch off a blind count."))

    def _write_workflow(self, vals):
        """Write the workflow's fields once the action checked who may do it and when: with the
        user's write access to the plans, past the closed door of ``_check_direct_write``."""
        self.check_access("write")
        result = self.sudo().write(vals)
        if vals.get("state", ACTIVE_STATES[0]) not in ACTIVE_STATES:
            self.env["jxc.count.claim"]._release(self)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(plan.state not in ("draft", "cancel") for plan in self):
            raise UserError(self.env._("Only draft or cancelled count plans can be deleted; cancel the plan first."))

    # --- helpers -------------------------------------------------------------------
    @api.model
    def _check_filter_unlink(self, fname, records):
        """Refuse to delete ``records`` (categories, products, locations) while a plan not done
        is filtered on them (``fname``): Odoo would drop them from the filter, and an empty filter
        counts the whole warehouse. A cancelled plan may be reset and counted again; a done
        plan's lines stay its record."""
        plans = self.sudo().with_context(active_test=False).search([(fname, "in", records.ids), ("state", "!=", "done")])
        if plans:
            raise UserError(self.env._(
                "%(records)s cannot be deleted: the count plans %(plans)s count only what their %(filter)s let "
                "through, and without it they would count their whole warehouse. Remove it from their %(filter)s, "
                "or delete the plans (cancel a started one first), then delete it.",
                records=", ".join((plans[fname] & records).mapped("display_name")),
                plans=plans._get_names_for_user(),
                filter=self._fields[fname]._description_string(self.env),
            ))

    def _get_names_for_user(self):
        """The plans' names in a message to the user: those of his companies by name, the
        others only counted (their references are no business of his)."""
        own = self.filtered(lambda plan: plan.company_id in self.env.user.company_ids)
        names = own.mapped("name")
        if self - own:
            names.append(self.env._("%(count)s of other companies", count=len(self - own)))
        return ", ".join(names)

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._(
                "Only inventory control managers can approve, recount or post counts, and cancel or reset a "
                "count that has started."))

    @api.model
    def _sees_book(self):
        """Whether the user sees the book of every plan, blind or not: a manager."""
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _is_book_hidden(self):
        """Whether this plan keeps its book quantities, and whether counts differ from them,
        from the user: a blind plan not posted yet, for anyone but a manager."""
        self.ensure_one()
        return self.blind and self.state in BLIND_STATES and not self._sees_book()

    @api.model
    def _book_hidden_line_domain(self):
        """The count lines whose plan ``_is_book_hidden`` (for a user who does not see the book)."""
        return Domain("plan_id.blind", "=", True) & Domain("plan_state", "in", BLIND_STATES)

    def _check_state(self, states, action):
        for plan in self:
            if plan.state not in states:
                raise UserError(self.env._(
                    "Count plan %(plan)s is %(state)s; it must be %(states)s to %(action)s.",
                    plan=plan.name, state=dict(self._fields["state"]._description_selection(self.env))[plan.state],
                    states=", ".join(dict(self._fields["state"]._description_selection(self.env))[s] for s in states),
                    action=action,
                ))

    def _get_scope(self, fname):
        """The plan's ``fname`` filter (locations, products, categories), archived records
        included: an archived product or emptied bin archived since still narrows the plan
        (read the usual way, it would drop out, and an empty filter count the whole warehouse)."""
        return self.with_context(active_test=False)[fname]

    def _get_scope_locations(self):
        self.ensure_one()
        if self._get_scope("location_ids"):
            # an archived location holds no stock to count (Odoo archives only empty ones)
            domain = Domain("id", "child_of" if self.include_children else "in", self._get_scope("location_ids").ids)
        else:
            domain = Domain("id", "child_of", self.warehouse_id.view_location_id.id)
        return self.env["stock.location"].search(domain & Domain("usage", "=", "internal") & Domain("company_id", "=", self.company_id.id))

    def _get_scope_product_domain(self):
        """Domain on product.product for the plan's product filters (None: every storable product)."""
        self.ensure_one()
        domain = Domain("is_storable", "=", True)
        filtered = False
        if self._get_scope("product_ids"):
            domain &= Domain("id", "in", self._get_scope("product_ids").ids)
            filtered = True
        if self._get_scope("categ_ids"):
            domain &= Domain("categ_id", "child_of", self._get_scope("categ_ids").ids)
            filtered = True
        classes = [c for c in "abcn" if self["abc_" + c]]
        if classes:
            # N: no movement, or not classified yet (as the cycle counts read it)
            domain &= Domain("jxc_abc_class", "in", classes + ([False] if "n" in classes else []))
            filtered = True
        return domain if filtered else None

    def _prepare_snapshot_line_vals(self):
        """Book quantities per product, lot, package, owner and location, from the quants right now."""
        self.ensure_one()
        locations = self._get_scope_locations()
        if not locations:
            raise UserError(self.env._(
                "Count plan %(plan)s has no internal location to count; choose internal locations of %(warehouse)s.",
                plan=self.name, warehouse=self.warehouse_id.name,
            ))
        quant_domain = Domain("location_id", "in", locations.ids) & Domain("product_id.is_storable", "=", True)
        product_domain = self._get_scope_product_domain()
        products = None
        if product_domain is not None:
            # an archived product with stock is counted too, as a plan of all products counts its quants
            products = self.env["product.product"].with_company(self.company_id).with_context(
                active_test=False).search(product_domain)
            quant_domain &= Domain("product_id", "in", products.ids)
        groups = self.env["stock.quant"].sudo()._read_group(
            quant_domain, ["product_id", "lot_id", "package_id", "owner_id", "location_id"], ["quantity:sum"],
        )
        costs = {}
        vals_list = []
        seen = set()
        for product, lot, package, owner, location, quantity in groups:
            if product.uom_id.is_zero(quantity):
                continue
            seen.add((product.id, location.id))
            vals_list.append(self._prepare_line_vals(product, location, lot, quantity, costs, package, owner))
        explicit_locations = self.location_ids if not self.include_children else self.location_ids.browse()
        if products is not None and self._get_scope("product_ids") and explicit_locations:
            for location in explicit_locations.filtered(lambda loc: loc.usage == "internal"):
                for product in products:
                    if (product.id, location.id) not in seen:
                        vals_list.append(self._prepare_line_vals(product, location, self.env["stock.lot"], 0.0, costs))
        if self.zero_confirmation:
            vals_list += self._prepare_zero_confirmation_line_vals(locations, seen, costs)
        return vals_list

    def _prepare_zero_confirmation_line_vals(self, locations, seen, costs):
        """A zero line for each product that left an emptied location since ``zero_since``, or
        since the location's last zero confirmation started when later (what it confirmed is
        not counted again: the plan's locations waited since different days), of products
        Odoo keeps stock of (a consumable has no quant to count)."""
        self.env.flush_all()
        plan_locations = self._fields["location_ids"]
        rows = self.env.execute_query(SQL(
            """WITH confirmed AS (
                   SELECT r.%(rel_location)s AS location_id, MAX(p.snapshot_date) AS at
                     FROM jxc_count_plan p JOIN %(rel)s r ON r.%(rel_plan)s = p.id
                    WHERE p.zero_confirmation AND p.state = 'done' AND p.id != %(plan)s
                      AND r.%(rel_location)s = ANY(%(locs)s)
                    GROUP BY r.%(rel_location)s)
               SELECT DISTINCT ml.product_id, ml.location_id
                 FROM stock_move_line ml
                 JOIN product_product pp ON pp.id = ml.product_id
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 LEFT JOIN confirmed ON confirmed.location_id = ml.location_id
                WHERE ml.state = 'done' AND ml.company_id = %(company)s AND ml.location_id = ANY(%(locs)s)
                  AND ml.date >= GREATEST(%(since)s, COALESCE(confirmed.at, %(since)s)) AND pt.is_storable
                  -- a confirmed quantity's move of 0 (a count) took nothing away
                  AND ml.quantity != 0
                ORDER BY ml.product_id, ml.location_id""",
            rel=SQL.identifier(plan_locations.relation), rel_plan=SQL.identifier(plan_locations.column1),
            rel_location=SQL.identifier(plan_locations.column2), plan=self.id, company=self.company_id.id,
            locs=locations.ids, since=self.zero_since or self.create_date,
        ))
        vals_list = []
        for product_id, location_id in rows:
            if (product_id, location_id) not in seen:
                seen.add((product_id, location_id))
                vals_list.append(self._prepare_line_vals(
                    self.env["product.product"].browse(product_id), self.env["stock.location"].browse(location_id),
                    self.env["stock.lot"], 0.0, costs,
                ))
        return vals_list

    def _prepare_line_vals(self, product, location, lot, book_qty, costs, package=None, owner=None):
        owner = owner or self.env["res.partner"]
        key = (product, owner, lot if product.lot_valuated else None)
        if key not in costs:
            costs[key] = self._get_unit_cost(product, owner, lot)
        return {
            "plan_id": self.id,
            "product_id": product.id,
            "location_id": location.id,
            "lot_id": lot.id,
            "package_id": package.id if package else False,
            "owner_id": owner.id,
            "book_qty": book_qty,
            "unit_cost": costs[key],
        }

    def _get_unit_cost(self, product, owner, lot=None):
        """The product's cost, or the lot's own of a lot-valued product (Odoo values its
        adjustments at it); consigned stock (owned by another partner) is never valued, as in
        Odoo."""
        self.ensure_one()
        if owner and owner != self.company_id.partner_id:
            return 0.0
        if lot and product.lot_valuated:
            return lot.with_company(self.company_id).standard_price
        return product.with_company(self.company_id).standard_price

    def _get_overlaps(self, pairs, limit=None):
        """[(other plan's name, product id, location id)]: the (product id, location id) of
        ``pairs`` that another active plan is counting (holds the claim of: ``jxc.count.claim``)."""
        self.ensure_one()
        if not pairs:
            return []
        products, locations = zip(*pairs, strict=True)
        return self.env.execute_query(SQL(
            """SELECT p.name, c.product_id, c.location_id
                 FROM jxc_count_claim c
                 JOIN jxc_count_plan p ON p.id = c.plan_id
                WHERE c.plan_id != %s
                  AND (c.product_id, c.location_id) IN (SELECT * FROM unnest(%s::int[], %s::int[]))
                %s""",
            self.id, list(products), list(locations), SQL("LIMIT %s", limit) if limit else SQL(),
        ))

    def _check_no_overlap(self, pairs):
        """Refuse to count a product and location that another active plan is counting; claim
        the others for this plan (``jxc.count.claim``: also against a plan another transaction
        starts at the same time)."""
        self.env["jxc.count.claim"]._claim(self, pairs)
        rows = self._get_overlaps(pairs, limit=5)
        if rows:
            examples = ", ".join(
                "%s @ %s (%s)" % (self.env["product.product"].browse(pid).display_name,
                                  self.env["stock.location"].browse(lid).display_name, name)
                for name, pid, lid in rows
            )
            raise ValidationError(self.env._(
                "Count plan %(plan)s overlaps with plans that are still counting the same products and "
                "locations: %(examples)s. Finish or cancel those plans, or narrow this plan's scope.",
                plan=self.name, examples=examples,
            ))

    # --- actions -------------------------------------------------------------------
    def action_start(self):
        """Take the book snapshot and open the plan for counting."""
        self._check_state(("draft",), self.env._("start counting"))
        for plan in self:
            # the book snapshot is taken when its counters are ready, not by another team
            plan._jxc_scan_check_counter()
            vals_list = plan._prepare_snapshot_line_vals()
            if not vals_list:
                raise UserError(self.env._(
                    "Count plan %(plan)s finds nothing to count: no stock matches its locations and products. "
                    "Widen the scope or list the products to confirm.", plan=plan.name,
                ))
            plan._check_no_overlap([(v["product_id"], v["location_id"]) for v in vals_list])
            plan._check_no_pending_inventory(vals_list)
            # The snapshot is the system's: counters may start a count but never write book values,
            # nor give its lines a review or a count through the context's defaults.
            self.env["jxc.count.line"].sudo().with_context(clean_context(self.env.context)).create(vals_list)
            plan._write_workflow({"state": "in_progress", "snapshot_date": fields.Datetime.now()})
        return True

    def _check_no_pending_inventory(self, vals_list):
        """Refuse to start while Physical Inventory holds a count not applied of the stock to
        count: posting would have to apply or clear it (losing it), after the whole count."""
        pairs = {(vals["product_id"], vals["location_id"]) for vals in vals_list}
        pending = self.env["stock.quant"].sudo().search([
            ("inventory_quantity_set", "=", True),
            ("product_id", "in", list({product_id for product_id, _location_id in pairs})),
            ("location_id", "in", list({location_id for _product_id, location_id in pairs})),
        ]).filtered(lambda quant: (quant.product_id.id, quant.location_id.id) in pairs)
        if pending:
            raise UserError(self.env._(
                "Physical Inventory has a count not applied yet of %(quants)s: apply or clear it there first, then "
                "start count plan %(plan)s.", plan=self.name,
                quants=", ".join(f"{quant.product_id.display_name} ({quant.location_id.display_name})" for quant in pending[:5]),
            ))

    def action_submit(self):
        """Counting is finished: every line must have a count."""
        self._check_state(("in_progress",), self.env._("submit the counts"))
        for plan in self:
            # a submitted count is closed to its counters: only they (or a manager) close it
            plan._jxc_scan_check_counter()
            missing = plan.line_ids.filtered(lambda line: not line.is_counted)
            if missing:
                raise UserError(self.env._(
                    "%(count)s line(s) of %(plan)s are not counted yet (first: %(line)s). Enter their counted "
                    "quantity (0 if nothing is there) before submitting.",
                    count=len(missing), plan=plan.name, line=missing[0].display_name,
                ))
            # The review status is the system's verdict on the manager's fields, also when a counter submits.
            lines = plan.line_ids.sudo()
            to_review = lines.filtered(lambda line: line.is_discrepancy and line.review_state != "approved")
            to_review.review_state = "to_review"
            (lines - to_review).filtered(lambda line: line.review_state != "approved").review_state = "ok"
            plan._write_workflow({"state": "counted"})
        return True

    def _get_lines_to_review(self, action):
        """Check that the user may ``action`` (a manager, plans counted); {plan: its lines still to review}."""
        self._check_manager()
        self._check_state(("counted",), action)
        return {plan: plan.line_ids.filtered(lambda line: line.review_state == "to_review") for plan in self}

    def action_recount(self):
        """Send every line still to review back to the counters for a new round."""
        for plan, lines in self._get_lines_to_review(self.env._("ask for a recount")).items():
            if not lines:
                raise UserError(self.env._("Count plan %(plan)s has no discrepancy to recount.", plan=plan.name))
            lines._start_recount()
        return True

    def _recount_counted_again(self):
        """Send the lines of these plans that Odoo's Physical Inventory adjusted after they were
        counted back to the counters (``jxc.count.line._get_counted_again``); the warning to
        show for them, None when there are none. Nothing of those plans is approved or posted."""
        messages = []
        for plan in self:
            counted_again = plan.line_ids._get_counted_again()
            if counted_again:
                counted_again._start_recount()
                messages.append(self.env._(
                    "%(plan)s: %(count)s line(s) were adjusted in Physical Inventory, or their package moved "
                    "elsewhere, after they were counted (%(lines)s); their differences would be posted twice or in "
                    "the wrong place.",
                    plan=plan.name, count=len(counted_again),
                    lines=", ".join(counted_again[:5].mapped("display_name")),
                ))
        if not messages:
            return None
        return notification_action(
            self.env._(
                "%(plans)s\nNothing was approved or posted: those lines are back with the counters for a recount "
                "of the stock as it is now.", plans="\n".join(messages),
            ),
            "warning", title=self.env._("Counted Again in Odoo"), sticky=True,
            next_action={"type": "ir.actions.client", "tag": "soft_reload"},
        )

    def action_approve(self):
        """The manager accepts the counts, including the discrepancies still to review."""
        to_review = self._get_lines_to_review(self.env._("approve it"))
        counted_again = self._recount_counted_again()
        if counted_again:
            return counted_again
        for plan, lines in to_review.items():
            # What posting checks, now that the lines can still be corrected: once approved they are locked.
            plan.line_ids.filtered(
                lambda line: not line.product_id.uom_id.is_zero(line.difference_qty))._check_reasons(defaults=True)
            plan.line_ids._check_lots()
            plan.line_ids._check_serials_counted_once()
            plan.line_ids._check_serials_found_elsewhere()
            lines.sudo().write({"review_state": "approved", "approved_by_id": self.env.user.id})
            plan._write_workflow({"state": "approved", "approved_by_id": self.env.user.id})
        return True

    @ignore_context_defaults
    def action_post(self):
        """Post the adjustments (counted - book at snapshot), once, all lines or none."""
        self._check_manager()
        to_post = self.env["jxc.count.plan"]
        for plan in self:
            # The row lock makes a concurrent second post fail instead of waiting; the state
            # is re-read after locking so that a post already committed is not repeated.
            try:
                plan.lock_for_update()
            except LockError as error:
                raise UserError(self.env._(
                    "Count plan %(plan)s is being posted by another user right now; reload it in a moment.",
                    plan=plan.name,
                )) from error
            plan.invalidate_recordset(["state"])
            if plan.state == "done":
                continue
            plan._check_state(("approved",), self.env._("post it"))
            to_post |= plan
        counted_again = to_post._recount_counted_again()
        if counted_again:
            return counted_again
        for plan in to_post:
            with self.env.cr.savepoint():
                # in the plan's company: Odoo values the adjustments with the active company's
                # costs (its standard price, FIFO stack and average), whatever the user has active
                plan.with_company(plan.company_id)._post_adjustments()
        return bool(to_post)

    def _post_adjustments(self):
        """Post each difference through Odoo's own quant inventory (``_apply_inventory``).

        Odoo creates the inventory moves per product, lot, package and owner; the quant ends
        at its current quantity plus the line's difference, so moves done after the count stay.
        """
        self.ensure_one()
        # Lines already posted (a second post after a failure elsewhere) are skipped: one
        # query for the whole plan instead of reading each line's moves.
        self.env["stock.move"].flush_model(["jxc_count_line_id", "jxc_count_plan_id", "is_inventory", "state"])
        posted_ids = {line_id for (line_id,) in self.env.execute_query(SQL(
            """SELECT DISTINCT jxc_count_line_id FROM stock_move
                WHERE jxc_count_plan_id = %s AND jxc_count_line_id IS NOT NULL AND is_inventory AND state = 'done'""",
            self.id,
        ))}
        lines = self.line_ids.filtered(
            lambda line: line.id not in posted_ids and not line.product_id.uom_id.is_zero(line.difference_qty))
        lines._check_reasons(defaults=True)
        lines._check_lots()
        lines._check_serials_found_elsewhere()
        # asked only for differences without a reason: a plan with none (every count confirmed,
        # every difference explained) posts without the company's default reasons
        defaults = self.env["jxc.count.reason"]._get_defaults(self.company_id) if not all(line.reason_id for line in lines) else {}
        by_reason = defaultdict(lambda: self.env["jxc.count.line"])
        for line in lines:
            by_reason[line.reason_id or defaults[line.difference_qty > 0]] |= line
        Move = self.env["stock.move"].sudo()
        moves = Move
        for reason, reason_lines in by_reason.items():
            quants = reason_lines._prepare_inventory_quants()
            quant_records = self.env["stock.quant"].sudo().concat(*quants.values())
            # the plan's date, not one a user left on a quant in Physical Inventory
            quant_records.accounting_date = self.accounting_date
            self.env.flush_all()
            [(last_move_id,)] = self.env.execute_query(SQL("SELECT COALESCE(MAX(id), 0) FROM stock_move"))
            name = "%s - %s" % (self.name, reason.name)
            quant_records.with_context(inventory_name=name)._apply_inventory()
            moves |= self._link_adjustments(reason_lines, reason, name, last_move_id)
        not_done = moves.filtered(lambda m: m.state != "done")
        # the lines Odoo made no adjustment for (its quant merged into another, a rule refused it)
        missing = lines - moves.jxc_count_line_id
        if not_done or missing:
            failed = not_done.jxc_count_line_id | missing
            raise UserError(self.env._(
                "%(count)s adjustment(s) of %(plan)s could not be posted (first: %(line)s). Nothing was posted. Check "
                "that line's product, lot and location in Physical Inventory (a quant Odoo cannot adjust there "
                "cannot be adjusted by the count either), correct it and post again.",
                count=len(failed), plan=self.name, line=failed[:1].display_name or not_done[:1].product_id.display_name,
            ))
        # Lines posted with a default reason get it recorded: one write per reason.
        for reason, reason_lines in by_reason.items():
            reason_lines.filtered(lambda line: not line.reason_id).sudo().reason_id = reason
        confirmed = self._confirm_quantities(self.line_ids.filtered(lambda line: line.id not in posted_ids) - lines)
        self.line_ids.location_id.sudo().write({"last_inventory_date": fields.Date.context_today(self)})
        self._write_workflow({"state": "done", "date_done": fields.Datetime.now()})
        self.message_post(body=self.env._(
            "%(count)s adjustment(s) posted, %(confirmed)s quantity(ies) confirmed.",
            count=len(moves), confirmed=confirmed,
        ))

    def _confirm_quantities(self, lines):
        """Apply the quants of ``lines``, counted as the book said, through Odoo's own quant
        inventory, as its Apply does with a confirmed quantity: a done move of 0 ("Quantity
        Confirmed" in the Moves History) gives the quant its last count date, and its next count
        date takes it off Physical Inventory's To Count list until then. Lines without a
        quant (nothing counted where nothing was) have nothing to confirm. Returns how many
        quants were confirmed."""
        quants = lines._prepare_inventory_quants(create_missing=False)
        quant_records = self.env["stock.quant"].sudo().concat(*quants.values())
        if quant_records:
            quant_records.accounting_date = self.accounting_date
            quant_records.with_context(
                inventory_name=self.env._("%(plan)s - Quantity Confirmed", plan=self.name),
            )._apply_inventory()
        return len(quant_records)

    def _link_adjustments(self, lines, reason, name, last_move_id):
        """Mark the moves Odoo just created for ``lines`` with the plan, line and reason."""
        moves = self.env["stock.move"].sudo().search([
            ("id", ">", last_move_id), ("is_inventory", "=", True), ("inventory_name", "=", name),
            ("jxc_count_plan_id", "=", False), ("product_id", "in", lines.product_id.ids),
        ])
        by_key = {line._get_quant_key(): line for line in lines}
        moves.write({
            "jxc_count_plan_id": self.id,
            "jxc_count_reason_id": reason.id,
            "jxc_accounting_date": self.accounting_date or fields.Date.context_today(self),
        })
        for move in moves:
            line = by_key.get(lines._get_move_quant_key(move.move_line_ids[:1]))
            if line:
                move.jxc_count_line_id = line
        return moves.filtered("jxc_count_line_id")

    def action_cancel(self):
        self._check_state(("draft", "in_progress", "counted", "approved"), self.env._("cancel it"))
        if self.filtered(lambda plan: plan.state != "draft"):
            # a started plan holds a snapshot and counts, and blocks other plans on its stock
            self._check_manager()
        self._write_workflow({"state": "cancel"})
        return True

    def action_draft(self):
        self._check_state(("cancel",), self.env._("reset it to draft"))
        if self.line_ids or self.filtered("snapshot_date"):
            self._check_manager()  # the reset deletes the snapshot and the counts
        for plan in self.filtered("line_ids"):
            counted = len(plan.line_ids.filtered("is_counted"))
            plan.message_post(body=self.env._(
                "Reset to draft: the book snapshot of %(lines)s lines and their %(counted)s counts were deleted.",
                lines=len(plan.line_ids), counted=counted))
        self.line_ids.sudo().unlink()
        # a count time declared for the cancelled counting would come before the next start
        self._write_workflow({"state": "draft", "snapshot_date": False, "approved_by_id": False,
                              "declared_count_time": False})
        return True

    @api.readonly
    def action_view_lines(self):
        self.ensure_one()
        return window_action(self.env, "jxc_addon.jxc_count_line_action", [("plan_id", "=", self.id)],
                             {"default_plan_id": self.id, "search_default_group_location": 1})

    @api.readonly
    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjustments of %(plan)s", plan=self.name),
            "res_model": "stock.move",
            "view_mode": "list,form",
            "domain": [("jxc_count_plan_id", "=", self.id)],
        }

    # --- dashboard -----------------------------------------------------------------
    @api.model
    def _get_jxc_period_bounds(self, company, date_from, date_to):
        """UTC datetimes of the company-timezone midnights of [date_from, date_to)."""
        return local_midnight_utc(company, date_from), local_midnight_utc(company, date_to)

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        return self._get_jxc_dashboard_kpis_periods(company, [(date_from, date_to)])[0]

    @api.model
    def _get_jxc_dashboard_kpis_periods(self, company, periods):
        """Count accuracy, posted plans and losses of the plans posted in each [date_from,
        date_to) of ``periods``: the lines of all the periods summed in one query, the plans
        counted in another (each through its model's search: the record rules apply)."""
        bounds = [self._get_jxc_period_bounds(company, *period) for period in periods]
        # the loss is a figure for managers (and its field theirs to read)
        show_loss = self.env.su or self.env.user.has_group(MANAGER_GROUP)
        # The discrepancies of posted plans are every user's accuracy figure, though the field
        # is the managers' (a blind plan being counted keeps it from counters): read as the system.
        lines = self._sum_by_period(
            self.env["jxc.count.line"], [("plan_state", "=", "done")], company, bounds,
            [SQL("COUNT(*)"), SQL("COUNT(*) FILTER (WHERE r.is_discrepancy)"),
             SQL("COALESCE(SUM(r.loss_value), 0)") if show_loss else SQL("0")],
            ["loss_value"] if show_loss else [], system_columns=["is_discrepancy"],
        )
        plans = self._sum_by_period(self, [("state", "=", "done")], company, bounds, [SQL("COUNT(*)")], [])
        results = []
        for index, (start, end) in enumerate(bounds):
            count, discrepancies, loss = lines.get(index, (0, 0, 0.0))
            period = [("company_id", "=", company.id), ("date_done", ">=", start), ("date_done", "<", end)]
            line_domain = period + [("plan_state", "=", "done")]
            plan_domain = period + [("state", "=", "done")]
            lines_action = {
                "type": "ir.actions.act_window", "res_model": "jxc.count.line", "name": self.env._("Counted Lines"),
                "views": [(False, "list"), (False, "pivot")], "view_mode": "list,pivot", "domain": line_domain,
            }
            kpis = [
                {"key": "count_accuracy", "label": self.env._("Count Accuracy"),
                 "value": (count - discrepancies) / count if count else None, "type": "percent",
                 "action": dict(lines_action, context={"search_default_group_plan": 1})},
                {"key": "count_plans_done", "label": self.env._("Stocktakes Posted"),
                 "value": float(plans.get(index, (0,))[0]), "type": "int",
                 "action": {"type": "ir.actions.act_window", "res_model": "jxc.count.plan", "name": self.env._("Count Plans"),
                            "views": [(False, "list"), (False, "form")], "view_mode": "list,form", "domain": plan_domain}},
            ]
            if show_loss:
                # the stocktakes' own losses: the month's Count Losses (snapshot) hold every adjustment
                kpis.append({"key": "count_loss_value", "label": self.env._("Stocktake Losses"), "value": float(loss),
                             "type": "monetary", "action": dict(lines_action, name=self.env._("Stocktake Losses"),
                                                                domain=line_domain + [("loss_value", ">", 0)])})
            results.append(kpis)
        return results

    @api.model
    def _sum_by_period(self, model, domain, company, bounds, aggregates, columns, system_columns=()):
        """{index of the period in ``bounds``: (aggregates)} of ``company``'s records of ``model``
        matching ``domain`` done in each [start, end) of ``bounds``; ``aggregates`` read the
        ``columns`` and ``system_columns`` (read past the fields' groups: the caller's
        ``domain`` keeps them to what the user may know) of the record ``r``."""
        query = model._search(domain + [
            ("company_id", "=", company.id),
            ("date_done", ">=", min(start for start, _end in bounds)),
            ("date_done", "<", max(end for _start, end in bounds)),
        ])
        rows = self.env.execute_query(SQL(
            """SELECT p.index - 1, %(aggregates)s
                 FROM unnest(%(starts)s::timestamp[], %(ends)s::timestamp[]) WITH ORDINALITY AS p(start, stop, index)
                 JOIN (%(records)s) r ON r.date_done >= p.start AND r.date_done < p.stop
                GROUP BY p.index""",
            aggregates=SQL(", ").join(aggregates),
            starts=[start for start, _end in bounds], ends=[end for _start, end in bounds],
            records=query.select(*[
                SQL("%s AS %s", reader._field_to_sql(model._table, name, query), SQL.identifier(name))
                for reader, names in ((model, ["date_done", *columns]), (model.sudo(), system_columns))
                for name in names
            ]),
        ))
        return {row[0]: row[1:] for row in rows}

    # --- printing ------------------------------------------------------------------
    @api.model
    def _get_barcode_src(self, value, width=200, height=36):
        """A Code 128 barcode as an SVG data URI for the count sheet.

        SVG keeps the sheet sharp when printed and needs no raster backend (the PNG
        barcodes of reports need Cairo, which a server may lack).
        """
        if not value:
            return ""
        drawing = createBarcodeDrawing("Code128", value=value, width=width, height=height, humanReadable=True)
        return "data:image/svg+xml;base64,%s" % base64.b64encode(renderSVG.drawToString(drawing).encode()).decode()

    # --- Excel round trip ----------------------------------------------------------
    @api.readonly
    def action_export_xlsx(self):
        """The count sheet as .xlsx; the counted column is filled in Excel and imported back. A hidden
        sheet keeps each line's count as exported: the import refuses a row changed on a line counted
        again or sent back for a recount since (see jxc.count.import.wizard)."""
        self.ensure_one()
        # While a blind plan is counted the sheet is the counters', whoever exports it (as the
        # printed sheet); a manager's export of a submitted plan is for the review
        hide_book = self.blind and (self.state in ("draft", "in_progress") or not self.env.user.has_group(MANAGER_GROUP))
        lines = self.line_ids.sudo().sorted()  # as the plan lists them (and the printed sheet)
        # Package and owner columns only where the plan has packed or consigned stock.
        columns = self.env["jxc.count.import.wizard"]._get_columns(
            hide_book, packages=any(lines.mapped("package_id")), owners=any(lines.mapped("owner_id")))
        rows = []
        for line in lines:
            values = {
                "location": line.location_id.complete_name,
                "code": line.product_id.default_code or line.product_id.barcode or "",
                # the name shown with its variant; the code has its own column (and may be empty)
                "product": line.product_id.with_context(display_default_code=False).display_name,
                "lot": line.lot_id.name or None,
                "package": line.package_id.name or None,
                "owner": line.owner_id.name or None,
                "uom": line.uom_id.name,
                "book": line.book_qty,
                "counted": line.counted_qty if line.is_counted else None,
            }
            rows.append([values[key] for key, _title, _type in columns])
        # quantities with the decimals Odoo keeps them in ("Product Unit"), not rounded to 2
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        sheet = {
            "title": self.name,
            "columns": [{"title": title, "type": ctype, "width": 40 if key in ("location", "product") else None,
                         **({"digits": digits} if ctype == "float" else {})}
                        for key, title, ctype in columns],
            "rows": rows,
        }
        return self.env["jxc.xlsx"]._action_download(
            "%s.xlsx" % self.name.replace("/", "-"), self.env._("Count Sheet"),
            [sheet, self.env["jxc.count.import.wizard"]._prepare_stamp_sheet(lines)],
            filters=[(self.env._("Plan"), self.name), (self.env._("Warehouse"), self.warehouse_id.name)],
            company=self.company_id,
        )

    def action_open_import(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Counted Quantities"),
            "res_model": "jxc.count.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }
