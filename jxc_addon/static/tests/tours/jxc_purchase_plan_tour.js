import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A buyer opens the purchase plan, selects the line to buy and creates the RFQ.
registry.category("web_tour.tours").add("jxc_purchase_plan_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="jxc_addon.jxc_menu_root"]',
            run: "click",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_purchasing"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="jxc_addon.jxc_purchase_plan_menu"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('JXC Widget') .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_control_panel button:contains('Create RFQs')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('JXC Vendor B')",
        },
    ],
});
