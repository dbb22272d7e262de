import { registry } from "@web/core/registry";

// The dashboard shows the inventory value tile; one click opens the list behind the number.
// The service-level chart, of stored closed months, says when they were measured.
registry.category("web_tour.tours").add("jxc_dashboard_tour", {
    url: "/odoo/jxc-dashboard",
    steps: () => [
        {
            trigger: ".o_jxc_trend[data-key='service_level'] .o_jxc_trend_measured:contains('Closed months as of')",
        },
        {
            trigger: ".o_jxc_tile[data-key='inventory_value'] .o_jxc_tile_value:contains('1,234.00')",
            run: "click",
        },
        {
            // a balance has no footer sum (month ends do not add up): the row is the number
            trigger: ".o_list_view .o_data_row:contains('JXC Tour Widget'):contains('1,234.00')",
        },
        // back on the dashboard, another period, a tile, back again: the period chosen stays
        {
            trigger: ".o_breadcrumb .breadcrumb-item a, .o_breadcrumb button.o_back_button",
            run: "click",
        },
        {
            trigger: "select.o_jxc_period",
            run: "select year",
        },
        {
            trigger: ".o_jxc_dashboard:not(:has(.o_jxc_export[disabled])) .o_jxc_tile[data-key='inventory_value']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('JXC Tour Widget')",
        },
        {
            trigger: ".o_breadcrumb .breadcrumb-item a, .o_breadcrumb button.o_back_button",
            run: "click",
        },
        {
            trigger: "select.o_jxc_period",
            run() {
                if (this.anchor.value !== "year") {
                    throw new Error(`back from the list, the dashboard shows "${this.anchor.value}", not the 12 months chosen`);
                }
            },
        },
    ],
});
