"""Odoo's own test runner (``odoo --test-enable``) loads only the test modules a package's
``__init__`` imports; pytest finds every file. A test file left out of ``__init__`` would pass
under ``bin/test`` and never run under Odoo's runner."""

import ast
from pathlib import Path

from odoo.tests import BaseCase, tagged

REPOSITORY = Path(__file__).resolve().parents[2]


@tagged("post_install", "-at_install")
class TestSuiteImports(BaseCase):
    def test_every_test_module_is_imported(self):
        packages = sorted(REPOSITORY.glob("jxc_*/tests/__init__.py"))
        self.assertIn(Path(__file__).with_name("__init__.py"), packages)
        for init in packages:
            with self.subTest(package=init.parent.relative_to(REPOSITORY).as_posix()):
                imported = {
                    alias.name for node in ast.parse(init.read_text()).body
                    if isinstance(node, ast.ImportFrom) and node.level == 1 for alias in node.names
                }
                files = {path.stem for path in init.parent.glob("test_*.py")}
                self.assertEqual(files - imported, set(), "test modules %s/__init__.py does not import" % init.parent.name)
