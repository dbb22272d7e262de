import { registry } from "@web/core/registry";

// A hardware scanner (keyboard wedge): the characters arrive as fast key presses ending with
// Enter, with nothing focused, and Odoo's barcode service turns them into one scan.
function scan(barcode, trigger = ".o_jxc_count_scan") {
    return {
        content: `scan ${barcode}`,
        trigger,
        run() {
            for (const key of [...barcode, "Enter"]) {
                document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
            }
        },
    };
}

// Keys typed into the focused quantity box, `gapMs` apart (then Enter as fast, unless `enter` is
// false): a character the screen does not stop lands in the box, as it would from a real keyboard
// or keyboard-wedge scanner.
function typeIntoQtyBox(text, gapMs, enter = true) {
    return {
        content: `type ${text} into the quantity box, ${gapMs} ms between keys`,
        trigger: ".o_jxc_scan_qty_input",
        async run() {
            const input = this.anchor;
            input.focus();
            for (const key of enter ? [...text, "Enter"] : [...text]) {
                await new Promise((resolve) => setTimeout(resolve, gapMs));
                const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
                input.dispatchEvent(event);
                if (key !== "Enter" && !event.defaultPrevented) {
                    input.value += key;
                    input.dispatchEvent(new InputEvent("input", { bubbles: true }));
                }
            }
        },
    };
}

// The quantity shown on a line once the box is closed, exactly.
function lineQtyIs(product, qty) {
    return {
        content: `${product}: ${qty} counted`,
        trigger: `.o_jxc_count_scan:not(:has(.o_jxc_scan_qty_input)) .o_jxc_scan_line:contains('${product}') .o_jxc_scan_line_qty:not(:contains('–'))`,
        run() {
            const shown = this.anchor.textContent.trim();
            if (shown !== qty) {
                throw new Error(`${product} shows ${shown} counted, not ${qty}`);
            }
        },
    };
}

// A counter on a phone counts a whole location by scanning: location, products (each scan adds
// one), an unknown barcode, a product found where the book has none, a typed quantity, an
// undo, a page reload, then the next location.
registry.category("web_tour.tours").add("jxc_count_scan_tour", {
    steps: () => [
        {
            trigger: ".o_jxc_scan_plan:contains('Suzhou DC')",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_prompt",
        },
        scan("SZ-A-01"),
        {
            trigger: ".o_jxc_scan_location_name:contains('SZ/Stock/A-01')",
        },
        {
            trigger: ".o_jxc_scan_location_progress:contains('0 / 2')",
        },
        scan("6901234000301"),
        {
            trigger: ".o_jxc_scan_line:contains('Hand Soap') .o_jxc_scan_line_qty:contains('1')",
        },
        scan("6901234000301"),
        {
            trigger: ".o_jxc_scan_line:contains('Hand Soap') .o_jxc_scan_line_qty:contains('2')",
        },
        scan("6901234000301"),
        {
            trigger: ".o_jxc_scan_line:contains('Hand Soap') .o_jxc_scan_line_qty:contains('3')",
        },
        // One scan too many: undo it, with a double click that undoes it once.
        scan("6901234000301"),
        {
            trigger: ".o_jxc_scan_line:contains('Hand Soap') .o_jxc_scan_line_qty:contains('4')",
        },
        {
            trigger: ".o_jxc_scan_undo:enabled",
            run: "dblclick",
        },
        {
            trigger: ".o_jxc_scan_ok:contains('Already undone')",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Hand Soap') .o_jxc_scan_line_qty:contains('3')",
        },
        // An unknown barcode: a clear message, nothing changes.
        scan("9999999999994"),
        {
            trigger: ".o_jxc_scan_error:contains('Unknown barcode 9999999999994')",
        },
        {
            trigger: ".o_jxc_scan_location_progress:contains('1 / 2')",
        },
        // Sticky notes lie here although the book has them on A-02 only: a found line.
        scan("6901234000303"),
        {
            trigger: ".o_jxc_scan_line_found:contains('Sticky Notes') .o_jxc_scan_line_qty:contains('1')",
        },
        {
            trigger: ".o_jxc_scan_location_progress:contains('2 / 3')",
        },
        // The towels are counted by hand: tap the card, type the quantity.
        {
            trigger: ".o_jxc_scan_line:contains('Paper Towels') .card-body",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_qty_input",
            run: "edit 2",
        },
        {
            trigger: ".o_jxc_scan_save",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Paper Towels') .o_jxc_scan_line_qty:contains('2')",
        },
        {
            trigger: ".o_jxc_scan_location_progress:contains('3 / 3')",
        },
        // A reload loses nothing: the counts are saved as entered.
        {
            trigger: ".o_jxc_count_scan",
            run() {
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_jxc_scan_location_name:contains('SZ/Stock/A-01')",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Hand Soap') .o_jxc_scan_line_qty:contains('3')",
        },
        {
            trigger: ".o_jxc_scan_next_location",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_location_name:contains('SZ/Stock/A-02')",
        },
        // The quantity field is open when the scanner reads the label: a scan (one more), not
        // a count of 6901234000303.
        {
            trigger: ".o_jxc_scan_line:contains('Sticky Notes') .card-body",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_qty_input",
            run() {
                const input = this.anchor;
                input.focus();
                for (const key of [..."6901234000303", "Enter"]) {
                    const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
                    input.dispatchEvent(event);
                    if (key !== "Enter" && !event.defaultPrevented) {
                        input.value += key;
                        input.dispatchEvent(new InputEvent("input", { bubbles: true }));
                    }
                }
            },
        },
        {
            trigger: ".o_jxc_count_scan:not(:has(.o_jxc_scan_qty_input)) .o_jxc_scan_line:contains('Sticky Notes') .o_jxc_scan_line_qty:contains('1')",
            run() {
                const qty = this.anchor.textContent.trim();
                if (qty !== "1") {
                    throw new Error(`the scan into the quantity field counted ${qty}, not one more`);
                }
            },
        },
        {
            trigger: ".o_jxc_scan_line:contains('Sticky Notes') .card-body",
            run: "click",
        },
        // Saved blank: nothing is counted, the field stays open for the quantity.
        {
            trigger: ".o_jxc_scan_qty_input",
            run: "clear",
        },
        {
            trigger: ".o_jxc_scan_save",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_error:contains('Type the quantity counted')",
        },
        {
            trigger: ".o_jxc_scan_qty_input",
            run: "edit 4",
        },
        {
            trigger: ".o_jxc_scan_save",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_location_progress:contains('1 / 1')",
        },
        // Back to A-01 for the final screen.
        scan("SZ-A-01", ".o_jxc_scan_location_progress:contains('1 / 1')"),
        {
            trigger: ".o_jxc_scan_location_name:contains('SZ/Stock/A-01')",
        },
        {
            trigger: ".o_jxc_scan_plan_progress:contains('4 / 4')",
        },
    ],
});

// The stocktake on a phone: its lines are cards with the counted quantity in view, and *Scan*
// opens the scanning screen on it.
registry.category("web_tour.tours").add("jxc_count_plan_phone_tour", {
    steps: () => [
        {
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:contains('Hand Soap'):contains('3')",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_kanban_record:contains('Sticky Notes'):contains('4')",
        },
        {
            // On a phone the header keeps Submit in view; Scan waits behind the "More" button.
            trigger: ".o_form_view .o_statusbar_buttons button[title='More']",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu button[name=action_open_scan]",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_location:contains('SZ/Stock/A-02'):contains('1 / 1')",
        },
    ],
});

// A scanner slower than 30 ms a character (Odoo's barcode service takes up to 150 ms between keys)
// reads a label while the quantity box is open: a scan, one more, not a count of the barcode. Keys
// typed as fast as a scanner that are no barcode stay in the box, and Save counts them.
registry.category("web_tour.tours").add("jxc_count_scan_qty_box_tour", {
    steps: () => [
        {
            trigger: ".o_jxc_scan_plan:contains('Hangzhou DC')",
            run: "click",
        },
        scan("HZ-C-01", ".o_jxc_scan_prompt"),
        {
            trigger: ".o_jxc_scan_location_name:contains('HZ/Stock/C-01')",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Rice Cooker') .card-body",
            run: "click",
        },
        typeIntoQtyBox("6901234000501", 50),
        {
            trigger: ".o_jxc_scan_ok:contains('Rice Cooker')",
        },
        lineQtyIs("Rice Cooker", "1"),
        {
            trigger: ".o_jxc_scan_line:contains('Rice Cooker') .card-body",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_qty_input",
            run: "clear",
        },
        typeIntoQtyBox("100", 5),
        {
            // no label has the code 100: the scan is refused
            trigger: ".o_jxc_scan_error:contains('100')",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Rice Cooker') .o_jxc_scan_qty_input",
            run() {
                if (this.anchor.value !== "100") {
                    throw new Error(`the quantity box holds "${this.anchor.value}", not the 100 typed`);
                }
            },
        },
        {
            trigger: ".o_jxc_scan_save",
            run: "click",
        },
        lineQtyIs("Rice Cooker", "100"),
    ],
});

// The Hangzhou stocktake opened, shelf C-01 scanned and the Rice Cooker's quantity box opened.
function openRiceCookerAtShelfC01() {
    return [
        { trigger: ".o_jxc_scan_plan:contains('Hangzhou DC')", run: "click" },
        scan("HZ-C-01", ".o_jxc_scan_prompt"),
        { trigger: ".o_jxc_scan_location_name:contains('HZ/Stock/C-01')" },
        { trigger: ".o_jxc_scan_line:contains('Rice Cooker') .card-body", run: "click" },
    ];
}

// 7 typed on the Rice Cooker's line, not saved, then the Soy Sauce scanned into the open box:
// the 7 is saved, then the sauce counted.
registry.category("web_tour.tours").add("jxc_count_scan_typed_then_scanned_tour", {
    steps: () => [
        ...openRiceCookerAtShelfC01(),
        typeIntoQtyBox("7", 300, false),
        {
            content: "a moment later, the scanner",
            trigger: ".o_jxc_scan_qty_input",
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 500));
            },
        },
        typeIntoQtyBox("6901234000502", 5),
        lineQtyIs("Soy Sauce", "1"),
        lineQtyIs("Rice Cooker", "7"),
    ],
});

// 7 typed on the Rice Cooker's line, not saved, the box left (a tap beside it), then the Soy
// Sauce scanned: the 7 is saved, then the sauce counted.
registry.category("web_tour.tours").add("jxc_count_scan_typed_then_scanned_outside_tour", {
    steps: () => [
        ...openRiceCookerAtShelfC01(),
        { trigger: ".o_jxc_scan_qty_input", run: "edit 7" },
        {
            content: "the box loses the focus",
            trigger: ".o_jxc_scan_qty_input",
            run() {
                this.anchor.blur();
            },
        },
        scan("6901234000502"),
        lineQtyIs("Soy Sauce", "1"),
        lineQtyIs("Rice Cooker", "7"),
        { trigger: ".o_jxc_count_scan:not(:has(.o_jxc_scan_busy))" },
    ],
});

// Opened from stocktake A's Scan button, switched to B, B's form opened from the header and left
// through the breadcrumb: the screen is back on B.
registry.category("web_tour.tours").add("jxc_count_scan_breadcrumb_tour", {
    steps: () => [
        // on a phone, Scan waits behind the header's "More" button
        { trigger: ".o_form_view .o_statusbar_buttons button[title='More']", run: "click" },
        { trigger: ".o-dropdown--menu button[name=action_open_scan]", run: "click" },
        { trigger: ".o_jxc_scan_header:contains('Hangzhou DC')" },
        { trigger: ".o_jxc_scan_back", run: "click" },
        { trigger: ".o_jxc_scan_plan:contains('Ningbo DC')", run: "click" },
        { trigger: ".o_jxc_scan_header:contains('Ningbo DC')" },
        { trigger: ".o_jxc_scan_plan_name", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='warehouse_id']:contains('Ningbo DC')" },
        { trigger: ".o_back_button, .o_breadcrumb .breadcrumb-item a", run: "click" },
        { trigger: ".o_jxc_scan_header:contains('Ningbo DC')" },
    ],
});

// Save tapped twice at once on an uncounted line: one count.
registry.category("web_tour.tours").add("jxc_count_scan_double_tap_tour", {
    steps: () => [
        ...openRiceCookerAtShelfC01(),
        { trigger: ".o_jxc_scan_qty_input", run: "edit 4" },
        {
            content: "two taps on Save before the first answer",
            trigger: ".o_jxc_scan_save",
            run() {
                this.anchor.click();
                this.anchor.click();
            },
        },
        lineQtyIs("Rice Cooker", "4"),
        { trigger: ".o_jxc_count_scan:not(:has(.o_jxc_scan_busy))" },
    ],
});

// German numbers ("." groups thousands, "," is the decimal point): a counted line opened and saved
// again keeps its quantity.
registry.category("web_tour.tours").add("jxc_count_scan_decimal_tour", {
    steps: () => [
        {
            trigger: ".o_jxc_scan_plan:contains('Hangzhou DC')",
            run: "click",
        },
        scan("HZ-C-01", ".o_jxc_scan_prompt"),
        lineQtyIs("Soy Sauce", "1.234,5"),
        {
            trigger: ".o_jxc_scan_line:contains('Soy Sauce') .card-body",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Soy Sauce') .o_jxc_scan_qty_input",
            run() {
                if (this.anchor.value !== "1234,5") {
                    throw new Error(`the quantity box shows "${this.anchor.value}", not 1234,5`);
                }
            },
        },
        // "2.5" from a phone's keypad is no 25 in German: refused, the box stays open
        {
            trigger: ".o_jxc_scan_line:contains('Soy Sauce') .o_jxc_scan_qty_input",
            run: "edit 2.5",
        },
        {
            trigger: ".o_jxc_scan_save",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_error:contains('its decimal separator is “,”')",
        },
        {
            trigger: ".o_jxc_scan_line:contains('Soy Sauce') .o_jxc_scan_qty_input",
            run: "edit 1234,5",
        },
        {
            trigger: ".o_jxc_scan_save",
            run: "click",
        },
        {
            trigger: ".o_jxc_scan_ok:contains('Soy Sauce'):contains('nothing changed')",
        },
        lineQtyIs("Soy Sauce", "1.234,5"),
    ],
});

// The screen opened on one stocktake (its id in the address), back to the list, another chosen,
// then a reload: the stocktake on screen opens again.
registry.category("web_tour.tours").add("jxc_count_scan_reload_tour", {
    steps: () => [
        { trigger: ".o_jxc_count_scan:has(.o_jxc_scan_plan_name) .small:contains('Hangzhou DC')" },
        { trigger: ".o_jxc_scan_back", run: "click" },
        { trigger: ".o_jxc_scan_plan:contains('Ningbo DC')", run: "click" },
        { trigger: ".o_jxc_count_scan:has(.o_jxc_scan_plan_name) .small:contains('Ningbo DC')" },
        {
            trigger: ".o_jxc_count_scan",
            run() {
                window.location.reload();
            },
            expectUnloadPage: true,
        },
        { trigger: ".o_jxc_count_scan:has(.o_jxc_scan_plan_name) .small:contains('Ningbo DC')" },
    ],
});
