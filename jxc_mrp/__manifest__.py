{
    "name": "JXC Inventory Control - Manufacturing",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Inventory",
    "summary": "The JXC safety stock beside Odoo's kits: no reordering rule for a kit, whose demand "
    "is its components' (bridge of jxc_addon and mrp)",
    "author": "jxc_addon developers",
    "website": "https://example.invalid/jxc_addon",
    "license": "LGPL-3",
    "depends": ["jxc_addon", "mrp"],
    "auto_install": True,
    "installable": True,
}
