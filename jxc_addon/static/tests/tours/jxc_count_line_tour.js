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

// A step's run that fails unless the anchor (a cell, or an input's value) reads ``expected``.
function expectText(expected) {
    return function () {
        const el = this.anchor;
        const text = (el.tagName === "INPUT" ? el.value : el.textContent).trim();
        if (text !== expected) {
            throw new Error(`expected "${expected}", found "${text}"`);
        }
    };
}

// A counter on a phone opens an uncounted line: no quantity shows; 0 typed and saved counts it,
// and the line leaves the "Not Counted" cards.
registry.category("web_tour.tours").add("jxc_count_line_zero_mobile_tour", {
    steps: () => [
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('JXC Gizmo')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_qty] input",
            run: expectText(""),
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_qty] input",
            run: "edit 0",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=counted_qty] input",
            run: expectText("0.00"),
        },
        {
            trigger: ".o_back_button",
            run: "click",
        },
        {
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('JXC Gizmo'))) .o_kanban_record:contains('JXC Gadget')",
        },
    ],
});

const LINES = ".o_form_view .o_field_widget[name=line_ids]";
const SAVED = ".o_form_view .o_form_saved .o_field_widget[name=line_ids]";
const row = (product, lines = LINES) => `${lines} .o_data_row:contains('${product}')`;
const qtyCell = (product) => `${row(product)} td[name=counted_qty]`;
// the row in edition: its product is an input then, which :contains does not read
const qtyInput = `${LINES} .o_data_row.o_selected_row td[name=counted_qty] input`;

// A counter on a blind plan's lines (desktop): uncounted lines show no quantity; 0 typed and
// confirmed with Tab, a quantity with Enter, a 0 left by saving the plan are all counted; a
// counted quantity cleared is not taken as 0 but kept; then the counts are submitted.
registry.category("web_tour.tours").add("jxc_count_line_zero_tour", {
    steps: () => [
        {
            // blind: neither the book nor the difference is shown
            trigger: `${LINES}:not(:has(th[data-name=book_qty_shown], th[data-name=difference_qty_shown])) .o_data_row`,
        },
        {
            trigger: `${row("JXC Empty Bin")}.text-muted td[name=counted_qty]`,
            run: expectText(""),
        },
        {
            trigger: qtyCell("JXC Empty Bin"),
            run: "click",
        },
        {
            trigger: qtyInput,
            run: expectText(""),
        },
        {
            trigger: qtyInput,
            run: "edit 0",
        },
        {
            trigger: qtyInput,
            run: "press Tab",
        },
        {
            trigger: qtyInput,
            run: expectText("0.00"),
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: `${row("JXC Empty Bin", SAVED)}:not(.text-muted) td[name=counted_qty]`,
            run: expectText("0.00"),
        },
        // a quantity confirmed with Enter
        {
            trigger: qtyCell("JXC Full Bin"),
            run: "click",
        },
        {
            trigger: qtyInput,
            run: "edit 3",
        },
        {
            trigger: qtyInput,
            run: "press Enter",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: `${row("JXC Full Bin", SAVED)}:not(.text-muted) td[name=counted_qty]`,
            run: expectText("3.00"),
        },
        // a counted quantity cleared is no count: the count stays, with a warning
        {
            trigger: qtyCell("JXC Full Bin"),
            run: "click",
        },
        {
            trigger: qtyInput,
            run: "clear",
        },
        {
            trigger: qtyInput,
            run: "press Tab",
        },
        {
            trigger: ".o_notification:contains('A count cannot be cleared')",
        },
        {
            trigger: qtyInput,
            run: expectText("3.00"),
        },
        // a 0 left in the box when the plan is saved
        {
            trigger: qtyCell("JXC Spare"),
            run: "click",
        },
        {
            trigger: `${row("JXC Full Bin")}:not(.o_selected_row):not(.text-muted) td[name=counted_qty]`,
            run: expectText("3.00"),
        },
        {
            trigger: qtyInput,
            run: "edit 0",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            trigger: `${row("JXC Spare", SAVED)}:not(.text-muted) td[name=counted_qty]`,
            run: expectText("0.00"),
        },
        {
            trigger: ".o_form_view button[name='action_submit']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Counted'), .o_form_view .o_statusbar_status button.active:contains('Counted')",
        },
    ],
});
