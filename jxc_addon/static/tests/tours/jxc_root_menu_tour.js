import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Open the 进销存 app from the home menu and land on its first screen.
registry.category("web_tour.tours").add("jxc_root_menu_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="jxc_addon.jxc_menu_root"]',
            run: "click",
        },
        {
            // Feature menus (purchase plan, ...) may come first: open Inventory > Products.
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_inventory"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="jxc_addon.product_product_menu"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('JXC Widget')",
        },
    ],
});
