import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    """The Chinese UI is first-class: every term of the module is in zh_CN.po."""

    def test_every_term_translated(self):
        po = polib.pofile(file_path("jxc_addon/i18n/zh_CN.po"))
        translated = {e.msgid for e in po if e.msgstr.strip() and not e.obsolete and "fuzzy" not in e.flags}
        terms = {row[4] for row in TranslationModuleReader(self.env.cr, modules=["jxc_addon"]) if row[0] == "jxc_addon"}
        self.assertGreater(len(terms), 20)
        missing = sorted(terms - translated)
        self.assertFalse(
            missing,
            "%d term(s) of jxc_addon have no Chinese translation; run bin/i18n and translate them "
            "in jxc_addon/i18n/zh_CN.po:\n%s" % (len(missing), "\n".join(missing[:50])),
        )

    def test_placeholders_kept(self):
        """A translation keeps the %(name)s / %s placeholders of its source."""
        import re  # noqa: PLC0415

        pattern = re.compile(r"%\(\w+\)[sdf]|%[sdf]")
        po = polib.pofile(file_path("jxc_addon/i18n/zh_CN.po"))
        broken = [e.msgid for e in po if e.msgstr and sorted(pattern.findall(e.msgid)) != sorted(pattern.findall(e.msgstr))]
        self.assertFalse(broken, "placeholders differ in: %s" % broken)

    def test_menus_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jxc_addon"], ["zh_CN"], overwrite=True)
        root = self.env.ref("jxc_addon.jxc_menu_root").with_context(lang="zh_CN")
        self.assertEqual(root.name, "进销存")
        group = self.env.ref("jxc_addon.group_jxc_manager").with_context(lang="zh_CN")
        self.assertEqual(group.name, "经理")

    def test_template_lists_every_term(self):
        """Odoo reads zh_CN.po merged with jxc_addon.pot and drops every entry the .pot lacks,
        so a translation appended to the .po alone never reaches the screen."""
        pot = {e.msgid for e in polib.pofile(file_path("jxc_addon/i18n/jxc_addon.pot"))}
        terms = {row[4] for row in TranslationModuleReader(self.env.cr, modules=["jxc_addon"]) if row[0] == "jxc_addon"}
        missing = sorted(terms - pot)
        self.assertFalse(missing, "%d term(s) missing from jxc_addon.pot; run bin/i18n:\n%s" % (len(missing), "\n".join(missing[:50])))

    def test_recent_terms_reach_the_screen(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jxc_addon"], ["zh_CN"], overwrite=True)
        report = self.env["jxc.forecast.accuracy.report"].with_context(lang="zh_CN")
        self.assertEqual(report.env._("Forecasts Drifting"), "预测偏离")
        field = self.env["ir.model.fields"]._get("stock.warehouse.orderpoint", "jxc_demand_class").with_context(lang="zh_CN")
        self.assertEqual(field.field_description, "需求类型")
