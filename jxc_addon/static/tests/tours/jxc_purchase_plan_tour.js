import { registerJxcMenuTour } from "@jxc_addon/../tests/tours/jxc_tour_steps";

// A buyer opens the purchase plan and presses Create RFQs with nothing ticked: a dialog says
// what the list would order, and nothing is ordered on Cancel. Then the buyer ticks the line
// to buy and creates its RFQ.
registerJxcMenuTour("jxc_purchase_plan_tour", "jxc_menu_purchasing", "jxc_purchase_plan_menu", () => [
    {
        trigger: ".o_list_view .o_data_row:contains('JXC Widget')",
    },
    {
        trigger: ".o_control_panel button:contains('Create RFQs')",
        run: "click",
    },
    {
        trigger: ".modal .alert-info:contains('No line is ticked')",
    },
    {
        trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('JXC Widget')",
    },
    {
        trigger: ".modal footer button:contains('Cancel')",
        run: "click",
    },
    {
        trigger: "body:not(:has(.modal))",
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
]);
