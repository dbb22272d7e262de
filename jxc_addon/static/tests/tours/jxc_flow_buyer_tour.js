import { registry } from "@web/core/registry";

// A buyer opens the purchase plan, keeps the urgent lines, creates RFQs for their two vendors
// and opens the RFQ of the D-graded vendor: its grade and the risk warning are shown.
registry.category("web_tour.tours").add("jxc_flow_buyer_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('Sticky Notes 76x76')",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('To Buy')",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('Urgent')",
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Sticky Notes'))) .o_data_row:contains('Down Jacket Navy M') td[name='vendor_grade']:contains('D')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('A4 Copy Paper 80g') td[name='vendor_grade']:contains('A')",
        },
        {
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_control_panel button:contains('Create RFQs')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Brightline Office Supply')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Slowboat Trading Ltd.') td[name='partner_id']",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-warning:contains('Vendor at risk'):contains('on-time')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='jxc_supplier_grade']:contains('D')",
        },
    ],
});
