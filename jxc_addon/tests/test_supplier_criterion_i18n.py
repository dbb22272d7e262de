from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file

CHINESE = {
    "on_time": "准时交货",
    "fill_rate": "交货满足率",
    "quality": "质量",
    "price": "价格竞争力",
    "lead_time": "提前期",
}


@tagged("post_install", "-at_install")
class TestSupplierCriterionTranslation(TransactionCase):
    """The default supplier criteria are data records: a Chinese user reads their names in
    Chinese (zh_CN.po), in the main company and in a company created later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["jxc_addon"], ["zh_CN"], overwrite=True)
        cls.Criterion = cls.env["jxc.supplier.criterion"]

    def _names(self, company):
        criteria = self.Criterion.with_context(lang="zh_CN").search([("company_id", "=", company.id)])
        return {criterion.criterion_type: criterion.name for criterion in criteria}

    def test_main_company_criteria_in_chinese(self):
        company = self.env.ref("base.main_company")
        for criterion_type in CHINESE:
            criterion = self.env.ref("jxc_addon.jxc_supplier_criterion_%s" % criterion_type)
            self.assertEqual((criterion.company_id, criterion.criterion_type), (company, criterion_type))
        self.assertEqual(self._names(company), CHINESE)
        english = self.Criterion.with_context(lang="en_US").search([("company_id", "=", company.id)])
        self.assertEqual(english.mapped("name"), ["On-Time Delivery", "Fill Rate", "Quality", "Price Competitiveness", "Lead Time"])

    def test_new_company_gets_translated_copies(self):
        company = self.env["res.company"].create({"name": "JXC Branch"})
        criteria = self.Criterion._get_jxc_criteria(company)
        self.assertEqual(criteria.mapped("weight"), [30.0, 20.0, 20.0, 15.0, 15.0])
        self.assertEqual(criteria.mapped("scale"), [10.0, 10.0, 10.0, 20.0, 10.0])
        self.assertEqual(self._names(company), CHINESE)
        self.assertFalse(criteria & self.Criterion.search([("company_id", "=", self.env.ref("base.main_company").id)]))

    def test_criteria_created_by_code_keep_their_place(self):
        """A database whose criteria were created by code (before they were data) gets the data
        ids on them on update (the data file loaded as a module update loads it), instead of a
        second set."""
        company = self.env.ref("base.main_company")
        criteria = self.Criterion.search([("company_id", "=", company.id)])
        self.env["ir.model.data"].search([("model", "=", "jxc.supplier.criterion"), ("module", "=", "jxc_addon")]).unlink()
        convert_file(self.env, "jxc_addon", "data/jxc_supplier_criterion_data.xml", {}, mode="update")
        self.assertEqual(self.Criterion.search([("company_id", "=", company.id)]), criteria)
        self.assertEqual(
            [self.env.ref("jxc_addon.jxc_supplier_criterion_%s" % criterion_type) for criterion_type in CHINESE],
            list(criteria),
        )
