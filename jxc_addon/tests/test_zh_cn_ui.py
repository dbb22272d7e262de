"""简体中文: a zh_CN manager opens the 进销存 app, every section menu and the dashboard in the
real web client; none of the module's English texts (menu names, dashboard titles and
buttons, tile labels) may be left visible. Screenshots go to artifacts/ (zh_CN_*.png).
An Excel export in zh_CN has Chinese sheet and column titles."""

import base64
import io
import json
import re
from datetime import date
from pathlib import Path

import openpyxl

from odoo.tests import TransactionCase, new_test_user, tagged

from .common import xlsx_file
from .common_ui import JxcHttpCase, screenshots_at_stop

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
DASHBOARD_XML = Path(__file__).resolve().parents[1] / "static" / "src" / "dashboard" / "jxc_dashboard.xml"

CHECK_JS = """
(async () => {
    const english = new Set(%(english)s);
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const waitFor = async (selector) => {
        for (let i = 0; i < 200; i++) {
            const el = document.querySelector(selector);
            if (el) { return el; }
            await sleep(100);
        }
        throw new Error("not found: " + selector);
    };
    const seen = [];
    const collect = (root) => {
        for (const line of (root.innerText || "").split("\\n")) {
            const text = line.trim();
            if (text) { seen.push(text); }
        }
    };
    try {
        if (!document.querySelector('.o_app[data-menu-xmlid="jxc_addon.jxc_menu_root"]')) {
            (await waitFor(".o_navbar_apps_menu button")).click();
        }
        const app = await waitFor('.o_app[data-menu-xmlid="jxc_addon.jxc_menu_root"]');
        collect(app);
        app.click();
        collect(await waitFor(".o_jxc_dashboard .o_jxc_tile"));
        collect(document.querySelector(".o_main_navbar"));
        const toggles = [...document.querySelectorAll(".o_menu_sections .dropdown-toggle")];
        if (toggles.length < 3) { throw new Error("expected the section menus, got " + toggles.length); }
        for (const toggle of toggles) {
            toggle.click();
            const menu = await waitFor(".o-dropdown--menu .dropdown-item");
            collect(menu.closest(".o-dropdown--menu"));
            toggle.click();
            await sleep(150);
        }
        const left = [...new Set(seen.filter((text) => english.has(text)))];
        if (!seen.includes("进销存")) {
            console.error("the app name 进销存 is not shown; seen: " + seen.slice(0, 20).join(" | "));
        } else if (left.length) {
            console.error("English left in the zh_CN UI: " + left.join(" | "));
        } else {
            console.log("test successful");
        }
    } catch (error) {
        console.error("zh_CN check failed: " + error.message);
    }
})();
"""


def _load_zh_cn(env):
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search([("name", "=", "jxc_addon")])._load_module_terms(["jxc_addon"], ["zh_CN"])


@tagged("post_install", "-at_install")
class TestZhCnUi(JxcHttpCase):
    def setUp(self):
        super().setUp()
        _load_zh_cn(self.env)
        self.user = new_test_user(
            self.env, login="jxc_zh_manager", name="王经理", lang="zh_CN",
            groups="jxc_addon.group_jxc_manager,stock.group_stock_manager,purchase.group_purchase_manager,"
            "sales_team.group_sale_manager",
        )
        self.env["product.product"].create({"name": "JXC 测试商品", "is_storable": True})

    def _english_texts(self):
        """The module's texts a user can see here, in English, where Chinese differs."""
        pairs = []
        menus = self.env["ir.model.data"].search([("module", "=", "jxc_addon"), ("model", "=", "ir.ui.menu")])
        Menu = self.env["ir.ui.menu"].browse(menus.mapped("res_id"))
        pairs += zip(Menu.with_context(lang="en_US").mapped("name"), Menu.with_context(lang="zh_CN").mapped("name"),
                     strict=True)
        company = self.env.company
        Dashboard = self.env["jxc.dashboard"].with_user(self.user)
        kpis_en = Dashboard.with_context(lang="en_US")._get_kpis(company, date(2025, 1, 1), date(2025, 2, 1))
        kpis_zh = Dashboard.with_context(lang="zh_CN")._get_kpis(company, date(2025, 1, 1), date(2025, 2, 1))
        pairs += [(en["label"], zh["label"]) for en, zh in zip(kpis_en, kpis_zh, strict=True)]
        english = {en for en, zh in pairs if en != zh}
        # Static texts of the dashboard template, translated through the module's .po.
        english |= {text.strip() for text in re.findall(r">([^<>{}]*[A-Za-z][^<>{}]*)<", DASHBOARD_XML.read_text())}
        self.assertGreater(len(english), 30)
        return sorted(english)

    def test_menus_and_dashboard_in_chinese(self):
        english = self._english_texts()
        self.assertIn("Inventory Control", english)
        shots = []
        with screenshots_at_stop(shots):
            self.browser_js("/odoo", CHECK_JS % {"english": json.dumps(english, ensure_ascii=False)},
                            login=self.user.login, timeout=120)
            self.browser_js("/odoo/jxc-dashboard", "console.log('test successful')",
                            ready="!!document.querySelector('.o_jxc_dashboard .o_jxc_tile')", login=self.user.login)
        self.assertEqual(len(shots), 2)
        ARTIFACTS.mkdir(exist_ok=True)
        for name, png in zip(("zh_CN_menus.png", "zh_CN_dashboard.png"), shots, strict=True):
            self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
            (ARTIFACTS / name).write_bytes(png)


@tagged("post_install", "-at_install")
class TestZhCnExcel(TransactionCase):
    def test_excel_export_titles_in_chinese(self):
        _load_zh_cn(self.env)
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        Report = env["jxc.sales.report"]
        action = Report.with_context(active_domain=[]).action_export_xlsx()
        attachment = xlsx_file(action)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        title = Report._get_jxc_xlsx_title()
        self.assertNotEqual(title, Report.with_context(lang="en_US")._get_jxc_xlsx_title())
        self.assertRegex(title, r"[\u4e00-\u9fff]")
        self.assertIn(book.worksheets[0].title, title)
        texts = [cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
        for fname in ("product_id", "quantity", "revenue"):
            zh = Report._fields[fname]._description_string(env)
            en = Report._fields[fname]._description_string(env(context={"lang": "en_US"}))
            self.assertNotEqual(zh, en, fname)
            self.assertIn(zh, texts, fname)
            self.assertNotIn(en, texts, fname)
