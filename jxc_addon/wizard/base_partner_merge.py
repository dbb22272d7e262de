from odoo import api, models
from odoo.exceptions import UserError

from ..models.res_partner import JXC_MERGE_DESTINATIONS, STANDING_FIELDS
from ..tools.changed_values import changed_values


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge, keeping a merged vendor's standing whole in every company: a grade,
    score and risk belong to one vendor's evaluation (or to a manager's hand), and the merged
    vendor never loses a risk (merging a blocked vendor into a clean duplicate would lift the
    block)."""

    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        # Odoo moves the sources' evaluations (and manual scores) to the destination in one SQL
        # update; when a period would then hold two of the merged vendor's, it deletes every one
        # of the sources, the evaluation the merged vendor's standing comes from too. One per
        # period (and criterion) is kept first.
        self._check_jxc_merge_keeps_risk(src_partners, dst_partner)
        self._check_jxc_merge_keeps_counts(src_partners, dst_partner)
        self._unlink_jxc_merged_period_records(src_partners, dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)

    @api.model
    def _check_jxc_merge_keeps_counts(self, src_partners, dst_partner):
        """A stocktake holds a line per owner of the goods at a place: two of the merged contacts'
        would be one owner's twice, and Odoo would then delete every count line of the sources
        (its merge deletes the rows a unique key refuses to move), with their scans and the
        moves' link to them. Refused, naming the stocktakes."""
        Line = self.env["jxc.count.line"].sudo()
        groups = Line._read_group(
            [("owner_id", "in", (src_partners | dst_partner).ids)],
            ["plan_id", "product_id", "lot_id", "package_id", "location_id"], ["__count"],
        )
        plans = Line.plan_id.union(*(plan for plan, *_keys, count in groups if count > 1))
        if plans:
            raise UserError(self.env._(
                "These contacts own goods counted side by side in the stocktakes %(plans)s: merged, one owner "
                "would have two lines of the same goods there, and the count history would be lost. Merge them "
                "once those stocktakes no longer hold both (cancel and delete a stocktake not posted, and count "
                "again after the merge); a posted stocktake keeps them two contacts.",
                plans=plans._get_names_for_user(),
            ))

    @api.model
    def _update_reference_fields(self, src_partners, dst_partner):
        # Odoo fills here, in SQL, each company-dependent value the destination lacks with a
        # source's, field by field: the grade of one vendor beside the risk of another is
        # neither's standing. The destination's own is put back whole; _update_values decides.
        standings = self._get_jxc_standings(dst_partner)
        result = super()._update_reference_fields(src_partners, dst_partner)
        dst_partner.invalidate_recordset(self._get_jxc_standing_fnames())  # written in SQL
        for company, standing in standings.items():
            self._set_jxc_standing(dst_partner, company, standing[dst_partner.id])
        return result

    @api.model
    def _update_values(self, src_partners, dst_partner):
        standings = self._get_jxc_standings(src_partners | dst_partner)
        # Odoo writes the fields it copies as the user, who may not set a standing; its write
        # leaves the standing out (res.partner.write), told so by the server alone
        merging = self.env.cr.cache.setdefault(JXC_MERGE_DESTINATIONS, set())
        added = {dst_partner.id} - merging
        merging |= added
        try:
            result = super()._update_values(src_partners, dst_partner)
        finally:
            merging -= added
        for company, standing in standings.items():
            kept = self._choose_jxc_standing(
                standing[dst_partner.id], [standing[partner.id] for partner in src_partners])
            self._set_jxc_standing(dst_partner, company, kept)
        return result

    @api.model
    def _check_jxc_merge_keeps_risk(self, src_partners, dst_partner):
        """The sources' orders become the destination's, read with its commercial partner's
        risk after the merge: merging a vendor at risk into a contact of a clean company, or
        with a contact of one (whose company the destination then joins), would lift the block.
        A destination that is its own commercial partner takes a source's risk
        (``_choose_jxc_standing``)."""
        commercial = self._get_jxc_merged_commercial(src_partners, dst_partner)
        carried = set()
        if commercial == dst_partner:
            for company, standings in self._get_jxc_standings(src_partners | dst_partner).items():
                if any(standing["jxc_supplier_risk"] for standing in standings.values()):
                    carried.add(company.id)
        self.env["res.partner"]._check_jxc_risk_kept(dict.fromkeys(src_partners | dst_partner, commercial), carried)

    @api.model
    def _get_jxc_merged_commercial(self, src_partners, dst_partner):
        """The destination's commercial partner once Odoo's ``_update_values`` has copied the
        sources' fields onto it: a company if any merged contact is one, else under its own
        parent, else under the parent of the last source that has one (a parent among the
        merged contacts, or below the destination, is none)."""
        merged = src_partners | dst_partner
        if any(merged.mapped("is_company")):
            return dst_partner
        parent = dst_partner.parent_id or next(
            (partner.parent_id for partner in reversed(src_partners) if partner.parent_id), dst_partner.parent_id)
        # Odoo skips a parent that would make a loop (a contact of the destination's own)
        if not parent or parent in merged or parent.search_count(
                [("id", "=", parent.id), ("id", "child_of", dst_partner.id)]):
            return dst_partner
        return parent.commercial_partner_id

    @api.model
    def _unlink_jxc_merged_period_records(self, src_partners, dst_partner):
        """Delete all but one of the merged vendors' evaluations of each period: the evaluation
        of the standing the merge gives the merged vendor (_update_values) where there is one,
        else the destination's, else the first source's; and all but one of each buyer's manual
        scores of each criterion and period. A closed period's are not deleted: the merge is refused
        until a manager reopens the period."""
        standings = self._get_jxc_standings(src_partners | dst_partner)
        kept_ids = {
            self._choose_jxc_standing(standing[dst_partner.id], [standing[partner.id] for partner in src_partners])[
                "jxc_supplier_evaluation_id"]
            for standing in standings.values()
        }
        rank = {partner.id: position for position, partner in enumerate(dst_partner | src_partners)}
        # deleted in superuser mode, as the period's computation deletes them (the merge decides
        # which, whoever merges); a closed period still refuses
        evaluations = self.env["jxc.supplier.evaluation"].sudo().search([("partner_id", "in", list(rank))])
        surplus, kept_partner = evaluations.browse(), {}
        for period, period_evaluations in evaluations.grouped("period_id").items():
            kept = min(period_evaluations, key=lambda e: (e.id not in kept_ids, rank[e.partner_id.id]))
            surplus |= period_evaluations - kept
            kept_partner[period] = kept.partner_id.id
        # The manual scores the same way where one buyer scored two of the vendors (one score
        # per vendor, criterion, period and buyer): that buyer's score of the vendor whose
        # evaluation of the period is kept, which it was computed into. Other buyers' stay.
        scores = self.env["jxc.supplier.manual.score"].sudo().search([("partner_id", "in", list(rank))])
        surplus_scores = scores.browse()
        for (period, _criterion, _user), same in scores.grouped(
                lambda score: (score.period_id, score.criterion_id, score.user_id)).items():
            kept = min(same, key=lambda score: (score.partner_id.id != kept_partner.get(period), rank[score.partner_id.id]))
            surplus_scores |= same - kept
        if surplus or surplus_scores:
            # not while another user computes or closes the period (its computation's lock)
            (surplus.period_id | surplus_scores.period_id)._lock_open()
            surplus_scores.unlink()
            surplus.unlink()

    @api.model
    def _get_jxc_standing_fnames(self):
        """The standing's fields that hold it (its reason is worded from them when read)."""
        fields_ = self.env["res.partner"]._fields
        return sorted(fname for fname in STANDING_FIELDS if not fields_[fname].compute)

    @api.model
    def _get_jxc_standings(self, partners):
        """{company: {partner id: standing}} in every company, whoever merges: a standing is
        the values of its fields, as written."""
        fnames = self._get_jxc_standing_fnames()
        companies = self.env["res.company"].sudo().with_context(active_test=False).search([])
        standings = {}
        for company in companies:
            standings[company] = by_partner = {}
            for partner in partners.with_company(company).sudo():
                standing = {fname: partner._fields[fname].convert_to_write(partner[fname], partner) for fname in fnames}
                # an evaluation deleted meanwhile (_unlink_jxc_merged_period_records) is no standing's
                standing["jxc_supplier_evaluation_id"] = partner.jxc_supplier_evaluation_id.exists().id
                by_partner[partner.id] = standing
        return standings

    @api.model
    def _choose_jxc_standing(self, dst_standing, src_standings):
        """The merged vendor's standing in a company: the destination's when at risk there,
        else a source's at risk, else a source's when the destination has none, else the
        destination's."""
        if dst_standing["jxc_supplier_risk"]:
            return dst_standing
        at_risk = [standing for standing in src_standings if standing["jxc_supplier_risk"]]
        if at_risk:
            return at_risk[0]
        if not self._has_jxc_standing(dst_standing):
            return next((standing for standing in src_standings if self._has_jxc_standing(standing)), dst_standing)
        return dst_standing

    @api.model
    def _has_jxc_standing(self, standing):
        return bool(standing["jxc_supplier_grade"] or standing["jxc_supplier_evaluation_id"]
                    or standing["jxc_supplier_standing_manual"])

    @api.model
    def _set_jxc_standing(self, partner, company, standing):
        partner = partner.with_company(company).sudo()
        changed = changed_values(partner, standing)
        if changed:
            # the merge decides, past the managers-only door (sudo); saying whose the standing is
            # (a risk written alone would be taken for a manager's)
            partner.write({**changed, "jxc_supplier_standing_manual": standing["jxc_supplier_standing_manual"]})
