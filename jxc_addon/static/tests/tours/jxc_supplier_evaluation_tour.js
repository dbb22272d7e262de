import { registerJxcMenuTour } from "@jxc_addon/../tests/tours/jxc_tour_steps";

// Open Inventory Control > Purchasing > Supplier Evaluation, a scorecard, then the pivot and graph views.
registerJxcMenuTour("jxc_supplier_evaluation_tour", "jxc_menu_purchasing", "jxc_supplier_evaluation_menu", () => [
    {
        trigger: ".o_list_view .o_data_row:contains('JXC Tour Vendor') td[name='partner_id']",
        run: "click",
    },
    {
        trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:contains('On-Time Delivery')",
    },
    {
        trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
        run: "click",
    },
    {
        trigger: ".o_switch_view.o_pivot",
        run: "click",
    },
    {
        trigger: ".o_pivot:contains('JXC Tour Vendor')",
    },
    {
        trigger: ".o_switch_view.o_graph",
        run: "click",
    },
    {
        trigger: ".o_graph_renderer canvas",
    },
]);
