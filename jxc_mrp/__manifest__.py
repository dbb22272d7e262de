{
    "name": "JXC Inventory Control - Manufacturing",
    "version": "19.0.1.2.0",
    "category": "Supply Chain/Inventory",
    "summary": "The JXC safety stock and sales availability check beside Odoo's kits: no reordering "
    "rule for a kit, whose demand is its components'; a kit sold is short when its components are "
    "(bridge of jxc_addon and mrp)",
    "author": "jxc_addon developers",
    "website": "https://example.invalid/jxc_addon",
    "license": "LGPL-3",
    "depends": ["jxc_addon", "mrp", "sale_mrp"],
    "auto_install": True,
    "installable": True,
}
