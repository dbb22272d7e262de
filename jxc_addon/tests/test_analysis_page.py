"""A list page of an analysis is read in one query with its number of rows, and equals
Odoo's own page (search_fetch, then search_count)."""

from odoo.tests import tagged

from .analysis_common import JxcAnalysisCommon

ANALYSES = (
    "jxc.inventory.snapshot", "jxc.turnover.report", "jxc.dead.stock.report", "jxc.stock.aging.report",
    "jxc.sales.report", "jxc.purchase.cost.report",
)


@tagged("post_install", "-at_install")
class TestAnalysisPage(JxcAnalysisCommon):
    def _specification(self, model):
        Model = self.env[model]
        return {
            name: {"fields": {"display_name": {}}} if field.type == "many2one" else {}
            for name, field in Model._fields.items() if field.store and name not in ("create_uid", "write_uid")
        }

    def _odoo_page(self, model, domain, spec, offset, limit, count_limit=None):
        """What Odoo's web_search_read returns (web/models/models.py)."""
        Model = self.env[model]
        records = Model.search_fetch(domain, spec.keys(), offset=offset, limit=limit).web_read(spec)
        full = len(records) == limit and not (count_limit and count_limit <= len(records) + offset)
        length = Model.search_count(domain, limit=count_limit) if full else len(records) + offset
        return {"length": length if records else 0, "records": records}

    def test_page_equals_odoo_page(self):
        for model in ANALYSES:
            Model = self.env[model]
            total = Model.search_count([])
            self.assertGreater(total, 1, model)
            spec = self._specification(model)
            for domain, offset, limit, count_limit in (
                ([], 0, 1, None), ([], 0, 1, 1), ([], 1, total, None), ([], total + 5, 1, None),
                ([("company_id", "=", self.company.id)], 0, 80, None), ([("id", "=", 0)], 0, 2, None),
            ):
                with self.subTest(model=model, domain=domain, offset=offset, limit=limit, count_limit=count_limit):
                    expected = self._odoo_page(model, domain, spec, offset, limit, count_limit)
                    self.env.invalidate_all()
                    page = Model.web_search_read(domain, spec, offset=offset, limit=limit, count_limit=count_limit)
                    self.assertEqual(page, expected)

    def test_views_stopping_at_the_limit_keep_odoo_page(self):
        self.assertFalse(self.env["jxc.sales.report"]._jxc_page_with_count)
        self.env.invalidate_all()
        with self.assertQueryCount(2):  # the page's LIMIT, then the count
            self.env["jxc.sales.report"].web_search_read([], {"quantity": {}}, limit=1)

    def test_one_run_of_the_view(self):
        Model = self.env["jxc.dead.stock.report"]
        spec = self._specification("jxc.dead.stock.report")
        self.assertEqual(Model.web_search_read([], spec, limit=1)["length"], Model.search_count([]))
        self.env.invalidate_all()
        with self.assertQueryCount(1):  # Odoo's page: 2 (search_fetch, then search_count)
            page = Model.web_search_read([], {"quantity": {}, "value": {}}, limit=1)
        self.assertEqual(page["length"], Model.search_count([]))
