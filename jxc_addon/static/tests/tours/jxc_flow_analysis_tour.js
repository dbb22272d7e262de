import { registry } from "@web/core/registry";
import { clickAndRecordDownload, waitForDownload } from "@jxc_addon/../tests/tours/jxc_tour_download";

// A manager opens the ABC classes and groups them by class, computes the supplier evaluation
// of a period, reads the vendors' scores and downloads the ranking as an Excel file.
registry.category("web_tour.tours").add("jxc_flow_analysis_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('A4 Copy Paper 80g')",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o-dropdown-item:contains('Class'):not(:contains('XYZ'))",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains('A')",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_purchasing"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="jxc_addon.jxc_supplier_period_menu"]',
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:first td[name='name']",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_compute']",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_open_evaluations']:contains('2')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='evaluation_ids'] .o_data_row:contains('Slowboat Trading Ltd.')",
        },
        clickAndRecordDownload(".o_form_view button[name='action_export_ranking']"),
        {
            trigger: ".o_form_view .o_field_widget[name='evaluation_ids'] .o_data_row:contains('Brightline Office Supply')",
            run: () => waitForDownload(/^supplier_ranking_.*\.xlsx$/),
        },
    ],
});
