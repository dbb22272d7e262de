from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.changed_values import changed_values
from ..tools.client_defaults import client_defaults, without_client_defaults
from ..tools.company_day import company_today
from ..tools.company_users import company_todo_user
from ..tools.counts import count_by
from ..tools.window_action import dialog_action, window_action

SUPPLIER_GRADES = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]
# The vendor's standing, copied from its evaluation of the last complete period: it ranks
# vendors and blocks purchases, so only the evaluation (or a manager, by hand) sets it.
STANDING_FIELDS = frozenset({
    "jxc_supplier_grade", "jxc_supplier_score", "jxc_supplier_risk", "jxc_supplier_risk_reason",
    "jxc_supplier_risk_note", "jxc_supplier_evaluation_id", "jxc_supplier_standing_manual",
})
# What ranks a vendor among a product's vendor lines (jxc.planning.engine._rank_sellers).
RANKING_FIELDS = frozenset({"jxc_supplier_grade", "jxc_supplier_risk"})
# A risk or its reason set by hand makes the standing the manager's (jxc_supplier_standing_manual).
MANUAL_RISK_FIELDS = frozenset({"jxc_supplier_risk", "jxc_supplier_risk_reason", "jxc_supplier_risk_note"})
# Key in the cursor's cache (server-side, no client writes it) of the ids of the partners a
# contact merge is writing the merged values to; see wizard/base_partner_merge.py.
JXC_MERGE_DESTINATIONS = "jxc_partner_merge_destinations"


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "jxc.purchase.plan.change.mixin"]
    # the grade and the risk rank the vendor's lines (and its contacts', through their commercial
    # partner) in the purchase plan's choice of a vendor; Odoo leaves an archived vendor's lines out;
    # deleting a vendor deletes its prices in the database, past their own unlink
    _jxc_plan_fields = frozenset({"jxc_supplier_grade", "jxc_supplier_risk", "parent_id", "is_company", "active"})
    _jxc_plan_new_read = False
    _jxc_plan_pair_fields = frozenset()  # its own prices and its contacts'

    # Written by the supplier evaluation (last complete period of the current company)
    # and read by the purchase plan to prefer the best-graded vendor.
    jxc_supplier_grade = fields.Selection(
        SUPPLIER_GRADES,
        string="Supplier Grade",
        company_dependent=True,
        groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        help="Grade of the vendor's evaluation for the last complete period in this company.",
    )
    jxc_supplier_score = fields.Float(
        string="Supplier Score", aggregator="avg",
        company_dependent=True,
        groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        digits=(16, 1),
        help="Weighted score (0-100) of the vendor's evaluation for the last complete period in this company.",
    )

    # --- supplier evaluation: risk flag and history (written by jxc.supplier.period) ---
    jxc_supplier_risk = fields.Boolean(
        string="Supplier at Risk",
        company_dependent=True,
        groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        copy=False,
        help="Set by the supplier evaluation when the vendor's grade falls to D, its score drops "
        "too much or its on-time rate falls below the company's threshold.",
    )
    jxc_supplier_evaluation_id = fields.Many2one(
        "jxc.supplier.evaluation", string="Standing Evaluation", company_dependent=True, copy=False,
        groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        help="The evaluation that gave the vendor its grade, score and risk in this company.",
    )
    jxc_supplier_standing_manual = fields.Boolean(
        string="Risk Set by Hand",
        company_dependent=True,
        groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        copy=False,
        help="A manager set the vendor's risk or its reason by hand: the supplier evaluation no longer "
        "changes the vendor's grade, score and risk in this company until a manager clicks Follow Evaluation.",
    )
    jxc_supplier_risk_note = fields.Char(
        string="Supplier Risk Note", company_dependent=True, copy=False, groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        help="Reason of a risk set by hand by a manager.",
    )
    # Worded when read, in the reader's language: the manager's note, else the evaluation's reasons.
    jxc_supplier_risk_reason = fields.Char(
        string="Supplier Risk Reason", compute="_compute_jxc_supplier_risk_reason",
        inverse="_inverse_jxc_supplier_risk_reason", groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
    )
    jxc_supplier_evaluation_ids = fields.One2many(
        "jxc.supplier.evaluation", "partner_id", string="Supplier Evaluations",
        groups="jxc_addon.group_jxc_user",  # the evaluations are theirs: no one else may read them
    )
    jxc_supplier_evaluation_count = fields.Integer(
        compute="_compute_jxc_supplier_evaluation_count", groups="jxc_addon.group_jxc_user")

    def _get_jxc_plan_pairs(self, fnames=None):
        sellers = self.env["product.supplierinfo"].sudo().with_context(active_test=False).search([
            ("partner_id", "child_of", self.ids),
        ])
        if fnames is not None and fnames <= {"jxc_supplier_grade"}:
            # a grade is the current company's: its prices (its own and those of every company) there only
            company = self.env.company
            sellers = sellers.filtered(lambda seller: not seller.company_id or seller.company_id == company)
            return self.env["jxc.purchase.plan.change"]._get_pairs(sellers, company)
        return self.env["jxc.purchase.plan.change"]._get_pairs(sellers)

    @api.depends("jxc_supplier_risk_note", "jxc_supplier_evaluation_id.risk_reason")
    @api.depends_context("company", "lang")
    def _compute_jxc_supplier_risk_reason(self):
        for partner in self:
            # the standing's own evaluation, whoever reads the vendor (as its grade and score)
            evaluation = partner.sudo().jxc_supplier_evaluation_id
            partner.jxc_supplier_risk_reason = partner.jxc_supplier_risk_note or evaluation.risk_reason

    def _inverse_jxc_supplier_risk_reason(self):
        for partner in self:
            partner.jxc_supplier_risk_note = partner.jxc_supplier_risk_reason

    def _compute_jxc_supplier_evaluation_count(self):
        counts = count_by(self, "jxc.supplier.evaluation", "partner_id")
        for partner in self:
            partner.jxc_supplier_evaluation_count = counts.get(partner, 0)

    @api.readonly
    def action_jxc_open_supplier_evaluations(self):
        self.ensure_one()
        return window_action(self.env, "jxc_addon.jxc_supplier_evaluation_action", [("partner_id", "=", self.id)])

    def action_jxc_follow_evaluation(self):
        """Hand the vendor's standing in the current company back to the supplier evaluation:
        the risk set by hand is dropped and the latest evaluation's grade, score and risk apply
        at once."""
        if not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._(
                "Only inventory control managers can hand a vendor's risk back to the supplier evaluation."))
        company = self.env.company
        # the vendors as the manager may see them: the ids are the client's to send
        self.check_access("read")
        # a contact's standing is its company's, which its orders read and the evaluation grades
        vendors = self.commercial_partner_id
        # the standing is the evaluation's to set: checked above, written past the contacts' rights
        vendors.with_company(company).sudo().write({"jxc_supplier_standing_manual": False})
        self._update_jxc_supplier_standing(vendors, company)
        return True

    def action_jxc_set_risk_by_hand(self):
        """Open the form a manager sets or lifts the vendor's risk in, in the current company."""
        self.ensure_one()
        Wizard = self.env["jxc.supplier.standing.wizard"]
        Wizard._check_manager()
        partner = self.commercial_partner_id.with_company(self.env.company)
        wizard = Wizard.create({
            "partner_id": partner.id, "at_risk": partner.jxc_supplier_risk, "note": partner.jxc_supplier_risk_note,
        })
        return dialog_action(wizard, self.env._("Set Risk by Hand"))

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            # a contact the system creates (as superuser, under the user's id) takes no standing
            # from a client's defaults
            vals_list = without_client_defaults(self, vals_list, STANDING_FIELDS)
        defaults = client_defaults(self)
        new_vals_list = []
        for vals in vals_list:
            given = {**defaults, **vals}
            # the empty standing every new contact has: what the contact form sends
            self._check_jxc_standing_write(
                {name: value for name, value in given.items() if value or name not in STANDING_FIELDS})
            # a vendor created at risk, or with a reason, is at risk by hand
            if any(given.get(name) for name in MANUAL_RISK_FIELDS) and "jxc_supplier_standing_manual" not in given:
                vals = dict(vals, jxc_supplier_standing_manual=True)
            new_vals_list.append(vals)
        return super().create(new_vals_list)

    def write(self, vals):
        merging = self.env.cr.cache.get(JXC_MERGE_DESTINATIONS)
        if merging and STANDING_FIELDS.intersection(vals) and not merging.isdisjoint(self.ids):
            # Odoo's contact merge copies the sources' fields onto the destination one by one: the
            # merge settles the merged vendor's standing whole, company by company, after its copy
            vals = {name: value for name, value in vals.items() if name not in STANDING_FIELDS}
        changes = self._get_jxc_standing_changes(vals)
        self._check_jxc_standing_write(changes)
        if "commercial_partner_id" in vals:
            # Odoo computes it (no inverse), but the ORM takes it written directly over RPC
            self._check_jxc_risk_kept(dict.fromkeys(self, self.browse(vals["commercial_partner_id"])))
        elif {"parent_id", "is_company"} & vals.keys():
            parent = self.browse(vals["parent_id"]) if "parent_id" in vals else None
            new_commercials = {}
            for partner in self:
                # Odoo's commercial partner: the partner itself if a company or without parent
                new_parent = partner.parent_id if parent is None else parent
                is_company = vals.get("is_company", partner.is_company)
                new_commercials[partner] = partner if is_company or not new_parent else new_parent.commercial_partner_id
            self._check_jxc_risk_kept(new_commercials)
        # A risk or its reason set by hand (or cleared: a vendor unblocked) is the manager's until
        # handed back; the evaluation's update always says whose the standing is.
        if MANUAL_RISK_FIELDS.intersection(changes) and "jxc_supplier_standing_manual" not in vals:
            vals = dict(vals, jxc_supplier_standing_manual=True)
        result = super().write(vals)
        if RANKING_FIELDS.intersection(vals):
            # the safety stock's reordering rules may buy from another vendor now; an evaluation
            # grades every vendor at once: the update of every rule, in the background
            self.env["jxc.planning.engine"]._trigger_update()
        return result

    def _is_jxc_risk_flagged(self, company):
        """Whether confirming an order to this vendor warns or blocks in ``company``: its
        commercial partner is at risk there, and the company acts on the risk."""
        self.ensure_one()
        return company.jxc_supplier_risk_action != "none" and bool(
            self.commercial_partner_id.with_company(company).sudo().jxc_supplier_risk)

    def _get_jxc_standing_changes(self, vals):
        """``vals`` without the standing values every one of these partners holds already: the
        form and an import of exported vendors send them back unchanged."""
        unchanged = {
            name for name in STANDING_FIELDS.intersection(vals)
            if not any(changed_values(partner, {name: vals[name]}) for partner in self.sudo())
        }
        return {name: value for name, value in vals.items() if name not in unchanged}

    @api.model
    def _check_jxc_standing_write(self, vals):
        if STANDING_FIELDS.intersection(vals) and not self.env.su \
                and not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._(
                "A vendor's supplier grade, score and risk come from the supplier evaluation; only inventory "
                "control managers can change them by hand."))
        evaluation = self.env["jxc.supplier.evaluation"].sudo().browse(vals.get("jxc_supplier_evaluation_id"))
        if evaluation and evaluation.company_id != self.env.company:
            # a standing is per company: another company's evaluation would show its grade and reasons here
            raise UserError(self.env._(
                "The supplier evaluation %(evaluation)s is of %(company)s: a vendor's standing in %(current)s can only "
                "come from an evaluation of %(current)s.",
                evaluation=evaluation.display_name, company=evaluation.company_id.name, current=self.env.company.name))

    @api.model
    def _check_jxc_risk_kept(self, new_commercials, carried_company_ids=frozenset()):
        """Refuse, to a user who cannot override the block, a change that gives partners
        (``new_commercials``: {partner: its commercial partner after the change}) a commercial
        partner not at risk where their own is, in a company that warns or blocks: the orders
        read the risk on the commercial partner, so a blocked vendor attached to a clean
        company, or its contact moved to one, would be bought from as the clean one.
        ``carried_company_ids``: the companies where the change carries the risk along (the
        standing a merge gives the merged vendor)."""
        changed = {partner: new for partner, new in new_commercials.items() if new != partner.commercial_partner_id}
        if not changed or self.env.su or self.env["purchase.order"]._can_override_jxc_supplier_block():
            return
        # a user who may not read the risk (a salesperson) is refused without being told it
        reads_risk = self.env.user.has_groups(self._fields["jxc_supplier_risk"].groups)
        involved = self.browse({p.commercial_partner_id.id for p in changed} | {new.id for new in changed.values()})
        companies = self.env["res.company"].sudo().with_context(active_test=False).search(
            [("jxc_supplier_risk_action", "!=", "none"), ("id", "not in", list(carried_company_ids))])
        for company in companies:
            at_risk = set(involved.with_company(company).sudo().filtered("jxc_supplier_risk").ids)
            for partner, new in changed.items():
                if partner.commercial_partner_id.id not in at_risk or new.id in at_risk:
                    continue
                if not reads_risk:
                    raise UserError(self.env._(
                        "You cannot move %(partner)s to another company, or out of its company: the purchase "
                        "conditions of %(vendor)s must stay with it. Ask a purchase manager to make this change.",
                        partner=partner.display_name, vendor=partner.commercial_partner_id.display_name,
                    ))
                raise UserError(self.env._(
                    "%(partner)s would be bought from as %(new)s instead of %(vendor)s, which is at risk in "
                    "%(company)s: its orders would no longer meet the risk's warning or block. Only a purchase "
                    "manager can make this change; or have the risk lifted first.",
                    partner=partner.display_name, new=new.display_name,
                    vendor=partner.commercial_partner_id.display_name,
                    # a company of the user's is named; another's name and its vendors' standing are not his to read
                    company=company.name if company in self.env.user.company_ids else self.env._("another company"),
                ))

    @api.model
    def _update_jxc_supplier_standing(self, partners, company):
        """Copy grade, score and risk of each vendor's evaluation of the last period that has
        ended in ``company`` onto the vendor; schedule an activity for the purchase manager
        when it becomes at risk.

        The period in progress never counts: its figures rest on the few receipts of the days
        gone by, and a single one would set or lift a block. A vendor whose risk a manager set
        by hand in ``company`` keeps it (``action_jxc_follow_evaluation`` hands it back)."""
        partners = partners.with_company(company).sudo().filtered(lambda p: not p.jxc_supplier_standing_manual)
        if not partners:
            return
        Evaluation = self.env["jxc.supplier.evaluation"]
        evaluations = Evaluation.search([
            ("company_id", "=", company.id), ("partner_id", "in", partners.ids),
            ("date_to", "<", company_today(company)),
        # the period that ended last (after a switch from months to quarters, the quarter that
        # ended after the month begun in it)
        ], order="date_to desc, date_from desc, id desc")
        latest = {}
        for evaluation in evaluations:
            latest.setdefault(evaluation.partner_id, evaluation)
        newly_at_risk = self.browse()
        for partner in partners:
            evaluation = latest.get(partner, Evaluation)
            vals = {
                "jxc_supplier_evaluation_id": evaluation.id,
                "jxc_supplier_grade": evaluation.grade,
                "jxc_supplier_score": evaluation.score,
                "jxc_supplier_risk": evaluation.risk,
                "jxc_supplier_risk_note": False,
                "jxc_supplier_standing_manual": False,
            }
            if vals["jxc_supplier_risk"] and not partner.jxc_supplier_risk:
                newly_at_risk |= partner
            # compared as read back (the score is stored with 1 digit): unchanged values are not
            # rewritten (an unchanged grade would have the purchase plan refresh the vendor's products)
            changed = changed_values(partner, vals)
            if changed:
                # the evaluation's figures, past the managers-only door (sudo); saying whose they are
                # (a risk written alone would be taken for a manager's)
                partner.write({**changed, "jxc_supplier_standing_manual": False})
        if newly_at_risk:
            newly_at_risk._schedule_jxc_supplier_risk_activity(company)

    def _schedule_jxc_supplier_risk_activity(self, company):
        # Whoever computed the period (a manager who may not edit contacts, the nightly job),
        # the activity goes to the purchase manager the code picks: scheduled as superuser.
        partners = self.sudo()
        # the responsible set in the settings, else the company's first purchase manager, else its
        # first inventory control manager: who may open the Supplier Evaluation tab the note
        # sends them to, today (a responsible archived or moved since is passed over)
        purchase_managers = partners.env["res.users"].search([
            ("all_group_ids", "in", partners.env.ref("purchase.group_purchase_manager").id),
            ("company_ids", "in", company.id), ("share", "=", False),
        ], order="id")
        user = company_todo_user(
            self.env, company, company.jxc_supplier_risk_user_id, *purchase_managers)
        if not user:
            return
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        # written once for the user who reads it: in that user's language (not the job's), with
        # the reason of ``company``; the summary names the company, so that a to-do still open
        # for one company does not stand for another's
        partners = partners.with_company(company).with_context(lang=user.lang or self.env.lang)
        summaries = {partner: partner.env._("Supplier at risk in %(company)s: %(vendor)s",
                                            company=company.name, vendor=partner.name) for partner in partners}
        open_activities = partners.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            ("activity_type_id", "=", activity_type.id), ("user_id", "=", user.id),
        ])
        already = {(activity.res_id, activity.summary) for activity in open_activities}
        for partner in partners.filtered(lambda p: (p.id, summaries[p]) not in already):
            partner.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=user.id,
                summary=summaries[partner],
                # no grade, score or rate: marked done, the note goes to the vendor's chatter,
                # which every employee reads (those figures are for buyers and inventory control)
                note=partner.env._(
                    "%(vendor)s is at risk in %(company)s: its Supplier Evaluation tab says why. Review its "
                    "evaluation and the open orders.",
                    vendor=partner.name, company=company.name,
                ),
            )
