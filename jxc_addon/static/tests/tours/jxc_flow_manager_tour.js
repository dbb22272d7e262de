import { registry } from "@web/core/registry";

// A manager reviews the discrepancies of a counted plan, approves and posts it; then opens the
// dashboard, clicks the "Below Safety Stock" tile and lands on the plan lines behind the number,
// brought up to date when the tile is clicked.
registry.category("web_tour.tours").add("jxc_flow_manager_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('Guangzhou South DC') td[name='name']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row.text-danger:contains('Disposable Gloves (100)')",
        },
        {
            trigger: ".o_form_view button[name='action_approve']",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_post']",
            run: "click",
        },
        {
            trigger: ".modal:contains('Post the stock adjustments') .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_view_moves']:contains('Adjustments')",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_dashboard_menu"]',
            run: "click",
        },
        {
            trigger: ".o_jxc_tile[data-key='jxc_below_safety_stock'] .o_jxc_tile_value:contains('2')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Thermal Gloves Black M')",
        },
        {
            // counted in since the tile's figure: no longer below its safety stock
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Sun Hat Navy L')))",
        },
        {
            trigger: ".o_control_panel .o_breadcrumb:contains('Below Safety Stock')",
        },
    ],
});
