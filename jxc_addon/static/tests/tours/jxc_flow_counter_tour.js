import { registry } from "@web/core/registry";

// A counter on a phone: open today's count plan, find each product by its barcode, enter the
// counted quantity, then submit the counts.
function countByBarcode(barcode, product, qty, searchOpen = false) {
    const openSearch = {
        trigger: ".o_control_panel button:has(.fa-search), .o_control_panel .o_enable_searchview",
        run: "click",
    };
    return [
        ...(searchOpen ? [] : [openSearch]),
        {
            trigger: ".o_searchview_input",
            run: `edit ${barcode}`,
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:first",
            run: "click",
        },
        {
            trigger: `.o_kanban_view .o_kanban_record:contains('${product}')`,
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_qty] input",
            run: `edit ${qty}`,
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            trigger: ".o_back_button",
            run: "click",
        },
        {
            trigger: `.o_kanban_view .o_kanban_record:contains('${product}'):contains('${qty}')`,
        },
        openSearch,
        {
            trigger: `.o_searchview_facet:has(.o_facet_value:contains('${barcode}')) .o_facet_remove`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("jxc_flow_counter_tour", {
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Shanghai East DC'), .o_data_row:contains('Shanghai East DC') td[name='name']",
            run: "click",
        },
        {
            // On a phone the smart buttons wait behind the lightning button.
            trigger: ".o_form_view .o_button_more",
            run: "click",
        },
        {
            trigger: ".o-form-buttonbox button[name='action_view_lines']",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('Hand Soap 500 ml')",
        },
        ...countByBarcode("6901234000101", "Hand Soap 500 ml", 38),
        ...countByBarcode("6901234000102", "Paper Towels (6 rolls)", 20, true),
        {
            trigger: ".o_back_button",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_submit']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Counted'), .o_form_view .o_statusbar_status button.active:contains('Counted'), .o_form_view .o_statusbar_status:contains('Counted')",
        },
    ],
});
