{
    "name": "JXC Shelf Life (近效期)",
    "version": "19.0.1.3.0",
    "category": "Supply Chain/Inventory",
    "summary": "Shelf-life report, near-expiry warnings and alerts of the JXC add-on for lots with "
    "expiration dates (bridge of jxc_addon and product_expiry)",
    "author": "jxc_addon developers",
    "website": "https://example.invalid/jxc_addon",
    "license": "LGPL-3",
    "depends": ["jxc_addon", "product_expiry"],
    "data": [
        "security/ir.model.access.csv",
        "security/jxc_product_expiry_security.xml",
        "data/jxc_expiry_alert_cron.xml",
        "reports/jxc_count_reports.xml",
        "views/jxc_shelf_life_report_views.xml",
        "views/jxc_expiry_alert_views.xml",
        "views/jxc_count_line_views.xml",
        "views/res_config_settings_views.xml",
        "views/jxc_purchase_plan_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "jxc_product_expiry/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
