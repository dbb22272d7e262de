import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Open the 进销存 app from the home menu and land on its first screen: the dashboard.
registry.category("web_tour.tours").add("jxc_root_menu_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="jxc_addon.jxc_menu_root"]',
            run: "click",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_inventory"]',
        },
        {
            trigger: ".o_jxc_dashboard .o_jxc_tile[data-key='inventory_value']",
        },
    ],
});
