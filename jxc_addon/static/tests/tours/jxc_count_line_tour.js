import { registry } from "@web/core/registry";

// A counter on a phone: open the count lines, scan (type) a barcode, count the line found.
registry.category("web_tour.tours").add("jxc_count_line_mobile_tour", {
    steps: () => [
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('JXC Gizmo')",
        },
        {
            trigger: ".o_control_panel .o_searchview_input, .o_control_panel button:has(.fa-search), .o_control_panel .o_enable_searchview",
            run: "click",
        },
        {
            trigger: ".o_searchview_input",
            run: "edit JXC-002",
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:first",
            run: "click",
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('JXC Gizmo'))) .o_kanban_record:contains('JXC Gadget')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_qty] input",
            run: "edit 47",
        },
        {
            trigger: ".o_form_view .o_form_button_save, .o_form_view button.o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
