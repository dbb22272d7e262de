import { registry } from "@web/core/registry";

// A manager walks through the ABC/XYZ screens: classes list, analysis (pivot and graph),
// the product kanban with its class badges, and the profile form with its Compute now button.
registry.category("web_tour.tours").add("jxc_abc_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('JXC Tour Widget')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('JXC Tour Widget') .badge:contains('A')",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_inventory"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="jxc_addon.jxc_abc_result_menu_report"]',
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot th:contains('A')",
        },
        {
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_inventory"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="jxc_addon.product_product_menu"]',
            run: "click",
        },
        {
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains('JXC Tour Widget') .badge:contains('A')",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_config"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="jxc_addon.jxc_abc_profile_menu"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('JXC Tour Profile')",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_compute']",
            run: "click",
        },
        {
            trigger: ".o_form_view .oe_stat_button:contains('Products')",
        },
    ],
});
