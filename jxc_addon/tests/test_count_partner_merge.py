"""Odoo's contact merge beside the stocktakes: a stocktake holds one line per owner of the
goods at a place. Merging two owners counted side by side would give one owner two lines,
which Odoo's merge resolves by deleting every count line of the merged contact."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountPartnerMerge(JxcCountCommon):
    def test_owners_counted_side_by_side_are_not_merged(self):
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        acme, acme_co = self.env["res.partner"].create([{"name": "JXC ACME"}, {"name": "JXC ACME Co."}])
        for owner, qty in ((acme, 5), (acme_co, 3)):
            Quant.create({"product_id": self.product_3.id, "location_id": self.shelf_1.id, "owner_id": owner.id,
                          "inventory_quantity": qty}).action_apply_inventory()
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.action_start()
        lines = plan.line_ids.filtered("owner_id")
        self.assertEqual(lines.owner_id, acme | acme_co)
        Merge = self.env["base.partner.merge.automatic.wizard"]
        with self.assertRaisesRegex(UserError, "counted side by side in the stocktakes %s" % plan.name):
            Merge._merge((acme | acme_co).ids, acme)
        # a contact manager of another company is told how many, not their names
        other = self.env["res.company"].create({"name": "JXC Merge Other Co"})
        stranger = new_test_user(self.env, login="jxc_merge_stranger", groups="base.group_user,base.group_partner_manager",
                                 company_id=other.id, company_ids=other.ids)
        with self.assertRaises(UserError) as error:
            Merge.with_user(stranger)._merge((acme | acme_co).ids, acme)
        self.assertIn("in the stocktakes 1 of other companies:", str(error.exception))
        self.assertNotIn(plan.name, str(error.exception))
        self.assertTrue(acme_co.exists())
        self.assertEqual(plan.line_ids.filtered("owner_id"), lines)
        # once no stocktake holds both (cancelled and deleted), the merge goes through
        plan.action_cancel()
        plan.unlink()
        Merge._merge((acme | acme_co).ids, acme)
        self.assertFalse(acme_co.exists())
