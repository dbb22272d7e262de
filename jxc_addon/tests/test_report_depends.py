"""Report views declare what they read: ``_depends`` names every table and column the SQL
of a view reads, so that the ORM writes pending changes (a delivery just validated, a count
just posted) before the view is searched, and never shows yesterday's figures."""

import re

from odoo.tests import TransactionCase, tagged

# FROM/JOIN table alias (a table followed by "(" is a function, one followed by "AS (" a CTE)
TABLE_ALIAS = re.compile(r"\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)\s+(?:AS\s+)?([a-z_][a-z0-9_]*)\b", re.IGNORECASE)
# alias.column, either quoted as SQL.identifier writes them ("sl"."company_id") or not
COLUMN = re.compile(r'(?<![\w"])"?([a-z_][a-z0-9_]*)"?\."?([a-z_][a-z0-9_]*)\b')
KEYWORDS = {"on", "where", "join", "left", "inner", "cross", "group", "order", "using", "lateral", "natural"}


@tagged("post_install", "-at_install")
class TestReportDepends(TransactionCase):
    def _read_columns(self, model):
        """{table: {columns}} that the view of ``model`` reads."""
        code = model._table_query.code
        aliases = {}
        for table, alias in TABLE_ALIAS.findall(code):
            aliases[table] = table
            if alias.lower() not in KEYWORDS:
                aliases[alias] = table
        tables = {model_._table for model_ in self.env.registry.values() if not model_._abstract}
        read = {}
        for table in set(aliases.values()) & tables:
            read[table] = set()
        for alias, column in COLUMN.findall(code):
            if aliases.get(alias) in tables:
                read[aliases[alias]].add(column)
        return read

    def test_sql_views_declare_depends(self):
        views = [
            model for name, model in self.env.registry.items()
            if name.startswith("jxc.") and not model._auto and not model._abstract and model._table_query
        ]
        self.assertGreaterEqual(len(views), 6)
        for model_class in views:
            model = self.env[model_class._name]
            declared = {}
            for name, fnames in model._depends.items():
                declared.setdefault(self.env[name]._table, set()).update(fnames)
            for table, columns in self._read_columns(model).items():
                with self.subTest(view=model._name, table=table):
                    self.assertIn(table, declared, "%s reads %s but does not declare it in _depends" % (model._name, table))
                    missing = columns - declared[table] - {"id"}
                    self.assertFalse(missing, "%s reads %s.%s without declaring them in _depends" % (
                        model._name, table, ", ".join(sorted(missing))))
