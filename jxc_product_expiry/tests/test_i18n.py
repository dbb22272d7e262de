import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]")


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    """Every term of the shelf-life bridge is in its own zh_CN.po, placeholders kept."""

    def test_every_term_translated(self):
        po = polib.pofile(file_path("jxc_product_expiry/i18n/zh_CN.po"))
        translated = {e.msgid for e in po if e.msgstr.strip() and not e.obsolete and "fuzzy" not in e.flags}
        terms = {
            row[4] for row in TranslationModuleReader(self.env.cr, modules=["jxc_product_expiry"])
            if row[0] == "jxc_product_expiry"
        }
        self.assertGreater(len(terms), 20)
        missing = sorted(terms - translated)
        self.assertFalse(missing, "%d term(s) of jxc_product_expiry have no Chinese translation:\n%s"
                         % (len(missing), "\n".join(missing)))
        broken = [e.msgid for e in po if e.msgstr
                  and sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))]
        self.assertFalse(broken, "placeholders differ in: %s" % broken)

    def test_menus_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jxc_product_expiry"], ["zh_CN"], overwrite=True)
        menu = self.env.ref("jxc_product_expiry.jxc_shelf_life_report_menu_warning").with_context(lang="zh_CN")
        self.assertEqual(menu.name, "近效期预警")
