{
    "name": "JXC Purchase, Sales and Inventory Control (进销存)",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "summary": "Supplier evaluation, safety stock and purchase plan, ABC/XYZ, "
    "stock counts, turnover and aging analyses on top of Odoo's own apps",
    "author": "jxc_addon developers",
    "website": "https://example.invalid/jxc_addon",
    "license": "LGPL-3",
    "depends": ["stock", "purchase_stock", "sale_stock"],
    "external_dependencies": {"python": ["xlsxwriter", "openpyxl"]},
    "data": [
        "security/jxc_security.xml",
        "security/jxc_supplier_security.xml",
        "security/ir.model.access.csv",
        "data/jxc_supplier_cron.xml",
        "data/jxc_supplier_criterion_data.xml",
        "report/jxc_supplier_scorecard_report.xml",
        "views/jxc_menus.xml",
        "views/res_config_settings_views.xml",
        "views/product_product_views.xml",
        "wizard/jxc_supplier_risk_wizard_views.xml",
        "views/jxc_supplier_evaluation_views.xml",
        "views/res_partner_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "jxc_addon/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/jxc_demo.xml",
    ],
    "application": True,
    "installable": True,
}
