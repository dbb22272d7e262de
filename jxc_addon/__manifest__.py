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
        "security/ir.model.access.csv",
        "security/jxc_count_security.xml",
        "data/jxc_count_data.xml",
        "data/jxc_count_cron.xml",
        "report/jxc_count_reports.xml",
        "views/jxc_menus.xml",
        "views/res_config_settings_views.xml",
        "views/product_product_views.xml",
        "wizard/jxc_count_import_wizard_views.xml",
        "views/jxc_count_plan_views.xml",
        "views/jxc_count_line_views.xml",
        "views/jxc_count_accuracy_report_views.xml",
        "views/jxc_count_config_views.xml",
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
