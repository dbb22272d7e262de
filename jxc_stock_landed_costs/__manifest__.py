{
    "name": "JXC Inventory Control - Landed Costs",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "summary": "The JXC month-end inventory value counts landed costs from their date, as Odoo's "
    "valuation at a date does (bridge of jxc_addon and stock_landed_costs)",
    "author": "jxc_addon developers",
    "website": "https://example.invalid/jxc_addon",
    "license": "LGPL-3",
    "depends": ["jxc_addon", "stock_landed_costs"],
    "auto_install": True,
    "installable": True,
}
