import { registry } from "@web/core/registry";
import { clickAndRecordDownload, waitForDownload } from "@jxc_addon/../tests/tours/jxc_tour_download";

// The near-expiry warnings (近效期预警): the lots past their alert date or expired, and none other.
const warningRows = [
    {
        trigger: ".o_list_view .o_data_row:contains('M-2401'):contains('Shanghai Fresh DC')",
    },
    {
        trigger: ".o_list_view .o_data_row.text-danger:contains('C-118')",
    },
    {
        trigger: ".o_list_view .o_data_row:contains('S-77'):contains('Suzhou Cold Store')",
    },
    {
        trigger: ".o_list_view:not(:has(.o_data_row:contains('M-2402'))):not(:has(.o_data_row:contains('C-131')))",
    },
];

// A manager at a desk: the warnings, then the shelf-life report by bucket and warehouse, and its
// Excel export.
registry.category("web_tour.tours").add("jxc_shelf_life_desktop_tour", {
    steps: () => [
        ...warningRows,
        {
            trigger: '.o_main_navbar [data-menu-xmlid="jxc_addon.jxc_menu_analysis"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="jxc_product_expiry.jxc_shelf_life_report_menu"]',
            run: "click",
        },
        // the pivot: warehouses by shelf-life bucket
        {
            trigger: ".o_pivot th:contains('0. Expired')",
        },
        {
            trigger: ".o_pivot th:contains('1. 0-30')",
        },
        {
            trigger: ".o_pivot th:contains('4. >180')",
        },
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('C-131')",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o-dropdown-item:contains('Warehouse')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains('Suzhou Cold Store')",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains('Shanghai Fresh DC')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_group_header:contains('Suzhou Cold Store')",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('S-77')",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('M-2401')",
        },
        clickAndRecordDownload(".o_control_panel button[name='action_export_xlsx']"),
        {
            trigger: ".o_list_view .o_data_row:contains('C-131')",
            run: () => waitForDownload(/^Shelf Life .*\.xlsx$/),
        },
    ],
});

// A warehouse keeper on a phone reads the same warnings as cards, the days left in view.
registry.category("web_tour.tours").add("jxc_near_expiry_phone_tour", {
    steps: () => [
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('M-2401'):contains('Shanghai Fresh DC'):contains('12 days')",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('C-118') .badge.text-bg-danger:contains('Expired')",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('S-77') .badge.text-bg-warning:contains('0-30')",
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('M-2402'))):not(:has(.o_kanban_record:contains('C-131')))",
        },
    ],
});
