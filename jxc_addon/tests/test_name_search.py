from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestNameSearch(TransactionCase):
    """Every model of the add-on and its bridges can be searched by name: a many2one's
    dropdown (``name_search``) and the search box of a screen without its own search field
    (the record name), also where the name is computed."""

    def test_every_model_searches_by_name(self):
        models = [name for name in self.env.registry if name.startswith("jxc.") and not self.env[name]._abstract]
        self.assertIn("jxc.stock.warning.digest", models)
        for name in models:
            model = self.env[name]
            with self.subTest(model=name):
                model.name_search("x")
                model.search([(model._rec_name_fallback(), "ilike", "x")], limit=1)

    def test_digest_found_by_its_buyer(self):
        company = self.env.company
        Digest = self.env["jxc.stock.warning.digest"]
        digest = Digest.create({"company_id": company.id, "user_id": self.env.user.id, "date": "2025-06-30"})
        self.assertIn(digest, Digest.search([("name", "ilike", self.env.user.name)]))
        self.assertNotIn(digest, Digest.search([("name", "ilike", "nobody of that name")]))
        self.assertEqual([row[0] for row in Digest.name_search(self.env.user.name)].count(digest.id), 1)
