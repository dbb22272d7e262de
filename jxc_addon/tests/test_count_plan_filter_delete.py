"""What a count plan is filtered to cannot be deleted while the plan is not done: Odoo would
remove the plan's filter rows, and an empty filter counts the whole warehouse (a cancelled
plan may be reset and started again). A done plan's lines stay its record; its filter may go."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .count_common import JxcCountCommon

REFUSED = (
    "%(records)s cannot be deleted: the count plans %(plans)s count only what their %(filter)s let through, and "
    "without it they would count their whole warehouse. Remove it from their %(filter)s, or delete the plans (cancel "
    "a started one first), then delete it."
)


@tagged("post_install", "-at_install")
class TestCountPlanFilterDelete(JxcCountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Tools X: one hammer, 7 on Shelf 2 (beside the fixtures' 3 products: 4 stocked in all)
        cls.tools = cls.env["product.category"].create({"name": "Tools X"})
        cls.hammer = cls.env["product.product"].create({
            "name": "JXC Hammer", "is_storable": True, "categ_id": cls.tools.id, "standard_price": 6.0,
        })
        cls._set_on_hand(cls.hammer, 7, cls.shelf_2)
        # may delete categories and locations, and sees no count plan
        cls.stock_manager = new_test_user(cls.env, login="jxc_stock_manager_del",
                                          groups="stock.group_stock_manager,product.group_product_manager")

    def _assert_refused(self, records, message):
        with self.assertRaises(UserError) as refused:
            records.unlink()
        self.assertEqual(str(refused.exception), message)
        self.assertEqual(records.exists(), records)

    def test_category_of_an_open_plan_is_kept(self):
        """Deleting Tools X is refused while its plan is draft or counting, also for a user
        who cannot read count plans; the plan counts the hammer alone (with its filter
        emptied it counted all 4 stocked products). Cancelled, it may be reset and started
        again: still refused; once the plan is deleted, the category may go."""
        plan = self._create_plan(categ_ids=[Command.set(self.tools.ids)])
        message = REFUSED % {"records": "Tools X", "plans": plan.name, "filter": "Product Categories"}
        self._assert_refused(self.tools, message)
        self._assert_refused(self.tools.with_user(self.stock_manager), message)
        plan.action_start()
        self.assertEqual((plan.line_ids.product_id, plan.line_ids.book_qty), (self.hammer, 7.0))
        self._assert_refused(self.tools, message)
        plan.action_cancel()
        self._assert_refused(self.tools, message)
        plan.unlink()
        self.tools.unlink()
        self.assertFalse(self.tools.exists())

    def test_other_companys_plans_are_counted_not_named(self):
        """A category shared by the companies: the manager of another one who deletes it is
        refused without the stocktake references of a company that is not his."""
        other = self.env["res.company"].create({"name": "JXC Filter Other"})
        stranger = new_test_user(self.env, login="jxc_filter_stranger", company_id=other.id, company_ids=other.ids,
                                 groups="stock.group_stock_manager,product.group_product_manager")
        plan = self._create_plan(categ_ids=[Command.set(self.tools.ids)])
        self._assert_refused(self.tools.with_user(stranger), REFUSED % {
            "records": "Tools X", "plans": "1 of other companies", "filter": "Product Categories"})
        self._assert_refused(self.tools, REFUSED % {
            "records": "Tools X", "plans": plan.name, "filter": "Product Categories"})

    def test_subcategory_deleted_with_its_parent(self):
        """Odoo deletes a category's subcategories with it, in SQL: a plan of the subcategory
        refuses the parent's deletion, naming the subcategory."""
        hand = self.env["product.category"].create({"name": "Hand", "parent_id": self.tools.id})
        plan = self._create_plan(categ_ids=[Command.set(hand.ids)])
        other = self._create_plan(categ_ids=[Command.set((self.tools | hand).ids)])
        self._assert_refused(self.tools, REFUSED % {
            "records": "Tools X, Tools X / Hand", "plans": "%s, %s" % (other.name, plan.name),
            "filter": "Product Categories",
        })
        (plan | other).unlink()
        self.tools.unlink()
        self.assertFalse(hand.exists())

    def test_category_of_a_done_plan_may_go(self):
        """A posted plan of JXC Goods (the fixtures' 3 products, counted as booked): the
        category may be deleted, the plan keeps its 3 lines."""
        plan = self._create_plan(categ_ids=[Command.set(self.category.ids)])
        plan.action_start()
        self._count(plan, {self.product_1: 100, self.product_2: 50, self.product_3: 10})
        plan.action_submit()
        plan.action_approve()
        plan.action_post()
        self.assertEqual(plan.state, "done")
        self.category.unlink()
        self.assertFalse(self.category.exists())
        self.assertEqual(plan.line_ids.product_id, self.product_1 | self.product_2 | self.product_3)
        self.assertEqual(sum(plan.line_ids.mapped("book_value")), 1700.0)

    def test_product_of_an_open_plan_is_kept(self):
        """A plan listing a product not yet received: its deletion is refused, and the plan
        still counts that product alone (emptied, it counted the 4 stocked products). Once
        the plan is deleted, the product may go; with its template too."""
        newcomer = self.env["product.product"].create({"name": "JXC Newly Listed", "is_storable": True})
        plan = self._create_plan(
            product_ids=[Command.set(newcomer.ids)], location_ids=[Command.set(self.shelf_1.ids)], include_children=False,
        )
        self._assert_refused(newcomer, REFUSED % {"records": "JXC Newly Listed", "plans": plan.name, "filter": "Products"})
        plan.action_start()
        self.assertEqual((plan.line_ids.product_id, plan.line_ids.book_qty), (newcomer, 0.0))

        unlisted = self.env["product.product"].create({"name": "JXC Never Listed", "is_storable": True})
        draft = self._create_plan(product_ids=[Command.set(unlisted.ids)])
        refused = REFUSED % {"records": "JXC Never Listed", "plans": draft.name, "filter": "Products"}
        # Odoo deletes a template's variants in SQL, without their own checks
        self._assert_refused(unlisted.product_tmpl_id, refused)
        draft.action_cancel()
        self._assert_refused(unlisted, refused)
        draft.unlink()
        unlisted.product_tmpl_id.unlink()
        self.assertFalse(unlisted.exists())

    def test_variant_removed_from_its_template_is_archived(self):
        """Sizes S, M and L of a glove, a draft plan of M: removing M and L from the template,
        Odoo deletes L and, refused, archives M, which the plan's filter keeps."""
        size = self.env["product.attribute"].create({
            "name": "JXC Size", "value_ids": [Command.create({"name": name}) for name in ("S", "M", "L")],
        })
        small, medium, large = size.value_ids
        glove = self.env["product.template"].create({
            "name": "JXC Glove", "is_storable": True,
            "attribute_line_ids": [Command.create({"attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)]})],
        })
        variants = {variant.product_template_attribute_value_ids.product_attribute_value_id: variant
                    for variant in glove.product_variant_ids}
        plan = self._create_plan(product_ids=[Command.set(variants[medium].ids)])
        glove.attribute_line_ids.value_ids = [Command.unlink(medium.id), Command.unlink(large.id)]
        self.assertEqual(glove.product_variant_ids, variants[small])
        self.assertFalse(variants[large].exists())
        self.assertEqual((variants[medium].exists(), variants[medium].active), (variants[medium], False))
        self.assertEqual(plan.with_context(active_test=False).product_ids, variants[medium])

    def test_location_of_an_open_plan_is_kept(self):
        """A plan of an empty bin: deleting its aisle (Odoo deletes the sub-locations with it)
        is refused naming the bin; the plan still finds nothing to count (emptied, it counted
        the warehouse's 4 stocked products)."""
        aisle = self.env["stock.location"].create({"name": "Aisle 9", "location_id": self.stock_location.id})
        bin_ = self.env["stock.location"].create({"name": "Bin 9-1", "location_id": aisle.id})
        plan = self._create_plan(location_ids=[Command.set(bin_.ids)])
        message = REFUSED % {"records": bin_.display_name, "plans": plan.name, "filter": "Locations"}
        self.assertEqual(bin_.display_name, "WH/Stock/Aisle 9/Bin 9-1")
        self._assert_refused(aisle, message)
        self._assert_refused(bin_.with_user(self.stock_manager), message)
        with self.assertRaisesRegex(UserError, "finds nothing to count"):
            plan.action_start()
        plan.unlink()
        aisle.unlink()
        self.assertFalse((aisle | bin_).exists())
