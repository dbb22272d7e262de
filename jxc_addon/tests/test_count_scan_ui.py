"""The scanning screen on a phone (375 × 800): a whole location by simulated scanner input."""

from odoo.fields import Command
from odoo.tests import tagged

from .test_user_flows import JxcPhoneFlowCase

# What the tours below share: a scanner's keys, a hook on the answers to the next calls of a
# method (``then(result, url)``: what becomes of each), and one that loses the next jxc_scan
# before the server gets it.
TOUR_PRELUDE = r"""
const { registry } = odoo.loader.modules.get("@web/core/registry");
const network = odoo.loader.modules.get("@web/core/network/rpc");
function scan(barcode) {
    return {
        content: `scan ${barcode}`,
        trigger: ".o_jxc_count_scan",
        run() {
            for (const key of [...barcode, "Enter"]) {
                document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
            }
        },
    };
}
function atShelfC01() {
    // the Hangzhou count opened, at its shelf C-01
    return [
        { trigger: ".o_jxc_scan_plan:contains('Hangzhou DC')", run: "click" },
        scan("HZ-C-01"),
        { trigger: ".o_jxc_scan_location_name:contains('HZ/Stock/C-01')" },
    ];
}
function onNextAnswers(method, count, then) {
    const original = network.rpc._rpc;
    network.rpc._rpc = function (url, params, settings) {
        const call = original.call(this, url, params, settings);
        if (params?.method !== method) {
            return call;
        }
        if (--count === 0) {
            network.rpc._rpc = original;
        }
        return call.then((result) => then(result, url));
    };
}
function loseNextScanRequest() {
    const original = network.rpc._rpc;
    network.rpc._rpc = function (url, params, settings) {
        if (params?.method !== "jxc_scan") {
            return original.call(this, url, params, settings);
        }
        network.rpc._rpc = original;
        return Promise.reject(new network.ConnectionLostError(url));
    };
}
"""

# A tour of scans and Saves the connection loses: their answers dropped as Odoo's rpc drops them
# (ConnectionLostError, as for a proxy's 502) after the server saved them, or the request lost
# before the server got it. The screen names every one lost and reloads the counts once the
# connection is back; each label scanned again, whenever, is the same scan (counted once), the
# one after is one more; a line's quantity saved again is the same Save.
LOST_ANSWER_TOUR = TOUR_PRELUDE + r"""
function qtyIs(product, qty) {
    return {
        content: `${product}: ${qty} counted`,
        trigger: `.o_jxc_scan_line:contains('${product}') .o_jxc_scan_line_qty:contains('${qty}')`,
        run() {
            const shown = this.anchor.textContent.trim();
            if (shown !== qty) {
                throw new Error(`${product} shows ${shown} counted, not ${qty}`);
            }
        },
    };
}
function loseAnswers(count, method = "jxc_scan") {
    return {
        content: `lose the answers to the next ${count} ${method} calls, after the server saved them`,
        trigger: ".o_jxc_count_scan",
        run() {
            onNextAnswers(method, count, (_result, url) => {
                throw new network.ConnectionLostError(url);
            });
        },
    };
}
function staysOffline(offline) {
    // while offline, the screen's check for the connection fails: it does not reload the counts
    return {
        content: offline ? "the connection check fails" : "the connection check succeeds",
        trigger: ".o_jxc_count_scan",
        run() {
            window.jxcCheckFails = offline;
        },
    };
}
function saveQty(product, qty) {
    return [
        { trigger: `.o_jxc_scan_line:contains('${product}') .card-body`, run: "click" },
        { trigger: `.o_jxc_scan_line:contains('${product}') .o_jxc_scan_qty_input`, run: `edit ${qty}` },
        { trigger: `.o_jxc_scan_line:contains('${product}') .o_jxc_scan_save`, run: "click" },
    ];
}
const SAVED_ALREADY = "This scan was saved already and is counted once";
registry.category("web_tour.tours").add("jxc_count_scan_lost_answer_tour", {
    steps: () => [
        {
            content: "the connection check fails while the tour says so",
            trigger: "body",
            run() {
                const original = network.rpc._rpc;
                network.rpc._rpc = function (url, params, settings) {
                    if (window.jxcCheckFails && url === "/web/webclient/version_info") {
                        return Promise.reject(new network.ConnectionLostError(url));
                    }
                    return original.call(this, url, params, settings);
                };
            },
        },
        ...atShelfC01(),
        loseAnswers(1),
        scan("6901234000501"),
        { trigger: ".o_jxc_scan_error:contains('The connection was lost: 6901234000501 may not be counted')" },
        // back online: the screen shows the count the server saved
        qtyIs("Rice Cooker", "1"),
        scan("6901234000501"),
        { trigger: `.o_jxc_scan_ok:contains('${SAVED_ALREADY}')` },
        qtyIs("Rice Cooker", "1"),
        scan("6901234000501"),
        qtyIs("Rice Cooker", "2"),
        // two scans lost: both named, both scanned again (in the other order) and counted once
        loseAnswers(2),
        scan("6901234000501"),
        scan("6901234000502"),
        { trigger: ".o_jxc_scan_error:contains('6901234000501'):contains('6901234000502'):contains('Scan each again')" },
        qtyIs("Rice Cooker", "3"),
        qtyIs("Soy Sauce", "1"),
        scan("6901234000502"),
        { trigger: `.o_jxc_scan_ok:contains('Soy Sauce'):contains('${SAVED_ALREADY}')` },
        scan("6901234000501"),
        { trigger: `.o_jxc_scan_ok:contains('Rice Cooker'):contains('${SAVED_ALREADY}')` },
        qtyIs("Rice Cooker", "3"),
        qtyIs("Soy Sauce", "1"),
        // a scan lost, another scan counted, then the lost one scanned again: counted once
        loseAnswers(1),
        scan("6901234000501"),
        { trigger: ".o_jxc_scan_error:contains('The connection was lost: 6901234000501 may not be counted')" },
        qtyIs("Rice Cooker", "4"),
        scan("6901234000502"),
        { trigger: `.o_jxc_scan_ok:contains('Soy Sauce'):not(:contains('${SAVED_ALREADY}'))` },
        qtyIs("Soy Sauce", "2"),
        scan("6901234000501"),
        { trigger: `.o_jxc_scan_ok:contains('Rice Cooker'):contains('${SAVED_ALREADY}')` },
        qtyIs("Rice Cooker", "4"),
        // a scan the server never got, scanned again: counted, once
        {
            content: "lose the next scan before the server gets it",
            trigger: ".o_jxc_count_scan",
            run() {
                loseNextScanRequest();
            },
        },
        scan("6901234000502"),
        { trigger: ".o_jxc_scan_error:contains('The connection was lost: 6901234000502 may not be counted')" },
        scan("6901234000502"),
        { trigger: `.o_jxc_scan_ok:contains('Soy Sauce'):not(:contains('${SAVED_ALREADY}'))` },
        qtyIs("Soy Sauce", "3"),
        // two Saves lost, the connection still down: both named; the first saved again, with the
        // screen still showing the count before it, is the same Save (no new count)
        { trigger: ".o_jxc_count_scan:not(:has(.o_jxc_scan_busy))" },
        staysOffline(true),
        loseAnswers(2, "jxc_set_counted"),
        ...saveQty("Rice Cooker", "7"),
        { trigger: ".o_jxc_scan_error:contains('Rice Cooker 3 L (7)')" },
        ...saveQty("Soy Sauce", "9"),
        { trigger: ".o_jxc_scan_error:contains('Rice Cooker 3 L (7)'):contains('Soy Sauce 500 ml (9)')" },
        qtyIs("Rice Cooker", "4"),
        ...saveQty("Rice Cooker", "7"),
        { trigger: ".o_jxc_scan_ok:contains('Rice Cooker'):contains('counted already; nothing changed')" },
        staysOffline(false),
        ...saveQty("Soy Sauce", "9"),
        { trigger: ".o_jxc_scan_ok:contains('Soy Sauce'):contains('counted already; nothing changed')" },
        qtyIs("Rice Cooker", "7"),
        qtyIs("Soy Sauce", "9"),
        // a quantity typed, not saved, then a scan: the Save first, lost; the scan, not sent, is
        // named with it
        { trigger: ".o_jxc_count_scan:not(:has(.o_jxc_scan_busy))" },
        { trigger: ".o_jxc_scan_line:contains('Rice Cooker') .card-body", run: "click" },
        { trigger: ".o_jxc_scan_line:contains('Rice Cooker') .o_jxc_scan_qty_input", run: "edit 5" },
        loseAnswers(1, "jxc_set_counted"),
        scan("6901234000502"),
        { trigger: ".o_jxc_scan_error:contains('6901234000502'):contains('Rice Cooker 3 L (5)')" },
        scan("6901234000502"),
        { trigger: `.o_jxc_scan_ok:contains('Soy Sauce'):not(:contains('${SAVED_ALREADY}'))` },
        qtyIs("Soy Sauce", "10"),
        qtyIs("Rice Cooker", "5"),
        { trigger: ".o_jxc_count_scan:not(:has(.o_jxc_scan_busy))" },
    ],
});
odoo.startTour("jxc_count_scan_lost_answer_tour", { stepDelay: 0, keepWatchBrowser: false, debug: false,
                                                  startUrl: "/odoo/action-jxc_addon.jxc_count_scan_action" });
"""

# A tour of a scan whose answer comes late, the next location tapped meanwhile: the answer to
# the next jxc_scan is held for 1.5 s. The screen must end at the location tapped, where the
# next scan counts.
LATE_ANSWER_TOUR = TOUR_PRELUDE + r"""
registry.category("web_tour.tours").add("jxc_count_scan_late_answer_tour", {
    steps: () => [
        ...atShelfC01(),
        {
            content: "scan the cooker, its answer held back, and tap Next location at once",
            trigger: ".o_jxc_scan_next_location",
            run() {
                onNextAnswers("jxc_scan", 1, (result) => new Promise((resolve) => setTimeout(() => resolve(result), 1500)));
                for (const key of [..."6901234000501", "Enter"]) {
                    document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
                }
                this.anchor.click();
            },
        },
        { trigger: ".o_jxc_scan_location_name:contains('HZ/Stock/C-02')" },
        {
            content: "the screen stays at C-02 once every answer is in",
            trigger: ".o_jxc_count_scan:not(:has(.o_jxc_scan_busy))",
            async run() {
                await new Promise((resolve) => setTimeout(resolve, 2000));
                const shown = document.querySelector(".o_jxc_scan_location_name").textContent;
                if (!shown.includes("HZ/Stock/C-02")) {
                    throw new Error(`the screen went back to ${shown}`);
                }
            },
        },
        scan("6901234000502"),
        { trigger: ".o_jxc_scan_line:contains('Soy Sauce') .o_jxc_scan_line_qty:contains('1')" },
    ],
});
odoo.startTour("jxc_count_scan_late_answer_tour", { stepDelay: 0, keepWatchBrowser: false, debug: false,
                                                   startUrl: "/odoo/action-jxc_addon.jxc_count_scan_action" });
"""

@tagged("post_install", "-at_install")
class TestCountScanUi(JxcPhoneFlowCase):
    def test_scan_a_location_on_phone(self):
        """Location, three scans, an undo, an unknown barcode, a found product, a typed count, a reload,
        a scan into the open quantity field."""
        suzhou = self._warehouse("Suzhou DC", "SZ")
        Location = self.env["stock.location"]
        shelf_a1 = Location.create({"name": "A-01", "location_id": suzhou.lot_stock_id.id, "barcode": "SZ-A-01"})
        shelf_a2 = Location.create({"name": "A-02", "location_id": suzhou.lot_stock_id.id, "barcode": "SZ-A-02"})
        soap = self._stocked_product("Hand Soap 500 ml", "6901234000301", 7.0, shelf_a1, 3)
        towels = self._stocked_product("Paper Towels (6 rolls)", "6901234000302", 13.0, shelf_a1, 2)
        notes = self._stocked_product("Sticky Notes 76x76", "6901234000303", 3.5, shelf_a2, 5)
        counter = self._counter("jxc_scan_counter", "Zhao Lei (Counter)")
        plan = self._started_count(suzhou, counter, location_ids=[Command.set((shelf_a1 | shelf_a2).ids)])
        self._start_tour_with_screenshot(
            "/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_tour", "counter_scan_phone",
            login=counter.login,
        )
        counts = {(line.product_id, line.location_id): (line.counted_qty, line.is_found, line.counted_by_id)
                  for line in plan.line_ids}
        self.assertEqual(counts, {
            (soap, shelf_a1): (3.0, False, counter),
            (towels, shelf_a1): (2.0, False, counter),
            (notes, shelf_a1): (1.0, True, counter),
            (notes, shelf_a2): (4.0, False, counter),
        })
        self.start_tour("/odoo/action-jxc_addon.jxc_count_plan_action/%s" % plan.id, "jxc_count_plan_phone_tour",
                        login=counter.login)
        # Four soap scans (one undone), the found notes, the notes scanned into the open quantity
        # field and two typed counts: the unknown barcode left no trace.
        self.assertEqual(self.env["jxc.count.scan"].search_count([("plan_id", "=", plan.id)]), 7)

    def test_camera_reads_location_and_gs1_label(self):
        """The camera button opens Odoo's barcode dialog; what it reads goes through the same scan
        as a hardware scanner: a location, then a GS1 label (GTIN, expiry, lot) of a new lot."""
        ningbo = self._warehouse("Ningbo DC", "NB")
        shelf = self.env["stock.location"].create({"name": "B-01", "location_id": ningbo.lot_stock_id.id,
                                                   "barcode": "NB-B-01"})
        serum = self._product("Vitamin C Serum 30 ml", barcode="4006381333931", cost=45.0)
        serum.tracking = "lot"
        self._stocked_product("Hand Soap 500 ml", "6901234000401", 7.0, shelf, 2)
        counter = self._counter("jxc_camera_counter", "Sun Li (Counter)")
        plan = self._started_count(ningbo, counter, location_ids=[Command.set(shelf.ids)])
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_camera_tour",
                        login=counter.login, timeout=120)
        found = plan.line_ids.filtered(lambda line: line.product_id == serum)
        self.assertEqual((found.lot_id.name, found.counted_qty, found.is_found, found.counted_by_id),
                         ("L-7", 1.0, True, counter))
        log = self.env["jxc.count.scan"].search([("plan_id", "=", plan.id)])
        self.assertEqual((log.barcode, str(log.label_expiry_date)), ("0104006381333931" "17271231" "10L-7", "2027-12-31"))

    def test_scan_sent_again_after_its_answer_was_lost(self):
        """The connection loses the answers to scans: the screen names every scan lost and shows the
        counts once the connection is back. Each label scanned again is counted once, whether the
        server had saved it or not, in any order and after other scans; the next scan is one more.
        Two Saves lost are both named, and each saved again is no second count; a scan held back
        by a lost Save is named with it."""
        counter = self._counter("jxc_lost_counter", "Zhou Min (Counter)")
        plan, _shelf, cooker, sauce = self._hangzhou_count(counter)
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_lost_answer_tour",
                        login=counter.login, code=LOST_ANSWER_TOUR, ready="typeof odoo.startTour === 'function'")
        counted = {line.product_id: (line.counted_qty, line.counted_by_id) for line in plan.line_ids}
        self.assertEqual(counted, {cooker: (5.0, counter), sauce: (10.0, counter)})
        log = self.env["jxc.count.scan"].search([("plan_id", "=", plan.id)], order="id")
        self.assertEqual([(entry.line_id.product_id, entry.new_qty) for entry in log], [
            (cooker, 1.0), (cooker, 2.0), (cooker, 3.0), (sauce, 1.0), (cooker, 4.0), (sauce, 2.0), (sauce, 3.0),
            (cooker, 7.0), (sauce, 9.0), (cooker, 5.0), (sauce, 10.0)])
        self.assertEqual(len(set(log.mapped("request_key"))), 11)

    def test_next_location_tapped_before_a_scans_answer(self):
        """A scan's answer comes late and the counter taps Next location meanwhile: the screen
        moves on once the scan is counted at C-01, and stays at C-02, where the next scan counts
        the sauce (not as goods found at C-01)."""
        counter = self._counter("jxc_late_counter", "Sun Li (Counter)")
        hangzhou = self._warehouse("Hangzhou DC", "HZ")
        shelves = self.env["stock.location"].create([
            {"name": name, "location_id": hangzhou.lot_stock_id.id, "barcode": "HZ-" + name} for name in ("C-01", "C-02")])
        cooker = self._stocked_product("Rice Cooker 3 L", "6901234000501", 199.0, shelves[0], 5)
        sauce = self._stocked_product("Soy Sauce 500 ml", "6901234000502", 8.0, shelves[1], 2000)
        plan = self._started_count(hangzhou, counter, location_ids=[Command.set(shelves.ids)])
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_late_answer_tour",
                        login=counter.login, code=LATE_ANSWER_TOUR, ready="typeof odoo.startTour === 'function'")
        counted = plan.line_ids.filtered("is_counted")
        self.assertEqual({(line.product_id, line.location_id, line.counted_qty) for line in counted},
                         {(cooker, shelves[0], 1.0), (sauce, shelves[1], 1.0)})
        self.assertFalse(plan.line_ids.filtered("is_found"))

    def test_reload_reopens_the_stocktake_on_screen(self):
        """Opened from Hangzhou's stocktake (its id in the address), the counter goes back to the
        list and counts Ningbo's; the phone reloads the page: Ningbo's opens again."""
        counter = self._counter("jxc_reload_counter", "Wu Fang (Counter)")
        hangzhou, _shelf, _cooker, _sauce = self._hangzhou_count(counter)
        ningbo = self._warehouse("Ningbo DC", "NB")
        self._stocked_product("Tea Cup", "6901234000601", 3.0, ningbo.lot_stock_id, 12)
        self._started_count(ningbo, counter)
        self.start_tour("/odoo/jxc.count.plan/%s/jxc_count_scan" % hangzhou.id, "jxc_count_scan_reload_tour",
                        login=counter.login)

    def _hangzhou_count(self, counter):
        """Hangzhou DC, shelf C-01 (HZ-C-01): a rice cooker (5 on hand) and soy sauce (2,000 on hand)."""
        hangzhou = self._warehouse("Hangzhou DC", "HZ")
        shelf = self.env["stock.location"].create({"name": "C-01", "location_id": hangzhou.lot_stock_id.id,
                                                   "barcode": "HZ-C-01"})
        cooker = self._stocked_product("Rice Cooker 3 L", "6901234000501", 199.0, shelf, 5)
        sauce = self._stocked_product("Soy Sauce 500 ml", "6901234000502", 8.0, shelf, 2000)
        plan = self._started_count(hangzhou, counter, location_ids=[Command.set(shelf.ids)])
        return plan, shelf, cooker, sauce

    def test_scanner_into_the_quantity_box(self):
        """A scanner that types 50 ms a character (within Odoo's barcode timing) into the open
        quantity box is a scan: one more, not the barcode as the count. A quantity typed as fast as a
        scanner stays in the box when no label has it, and Save counts it."""
        counter = self._counter("jxc_box_counter", "Qian Hui (Counter)")
        plan, shelf, cooker, _sauce = self._hangzhou_count(counter)
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_qty_box_tour",
                        login=counter.login)
        line = plan.line_ids.filtered(lambda line: line.product_id == cooker)
        self.assertEqual((line.counted_qty, line.counted_by_id), (100.0, counter))
        log = self.env["jxc.count.scan"].search([("plan_id", "=", plan.id)], order="id")
        self.assertEqual([(entry.barcode or "", entry.new_qty) for entry in log], [("6901234000501", 1.0), ("", 100.0)])

    def test_quantity_typed_then_a_scan_into_the_box(self):
        """7 typed on the Rice Cooker's line and not saved, then the Soy Sauce scanned into the
        open box: both are counted (the 7 was lost with the box the scan closed)."""
        counter = self._counter("jxc_typed_counter", "Zheng Yu (Counter)")
        plan, _shelf, cooker, sauce = self._hangzhou_count(counter)
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_typed_then_scanned_tour",
                        login=counter.login)
        counted = {line.product_id: line.counted_qty for line in plan.line_ids.filtered("is_counted")}
        self.assertEqual(counted, {cooker: 7.0, sauce: 1.0})

    def test_quantity_typed_then_a_scan_beside_the_box(self):
        """7 typed on the Rice Cooker's line and not saved, the box left, then the Soy Sauce
        scanned (the scan does not go through the box): both are counted, the 7 first (it was
        lost with the box the scan closed)."""
        counter = self._counter("jxc_typed_outside_counter", "He Lan (Counter)")
        plan, _shelf, cooker, sauce = self._hangzhou_count(counter)
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_typed_then_scanned_outside_tour",
                        login=counter.login)
        log = self.env["jxc.count.scan"].search([("plan_id", "=", plan.id)], order="id")
        self.assertEqual([(entry.line_id.product_id, entry.barcode or "", entry.new_qty) for entry in log],
                         [(cooker, "", 7.0), (sauce, "6901234000502", 1.0)])

    def test_breadcrumb_back_to_the_stocktake_on_screen(self):
        """Opened from one stocktake's Scan, switched to another whose form is opened from the
        header: the breadcrumb leads back to the stocktake on screen, not the first one."""
        counter = self._counter("jxc_crumb_counter", "Lin Tao (Counter)")
        plan, _shelf, _cooker, _sauce = self._hangzhou_count(counter)
        ningbo = self._warehouse("Ningbo DC", "NB")
        self._stocked_product("Hand Soap 500 ml", "6901234000601", 7.0, ningbo.lot_stock_id, 3)
        self._started_count(ningbo, counter)
        self.start_tour("/odoo/action-jxc_addon.jxc_count_plan_action/%s" % plan.id, "jxc_count_scan_breadcrumb_tour",
                        login=counter.login)

    def test_save_tapped_twice_counts_once(self):
        """Save tapped twice before its answer: the line counted once (one entry to undo)."""
        counter = self._counter("jxc_double_counter", "Wu Fang (Counter)")
        plan, _shelf, cooker, _sauce = self._hangzhou_count(counter)
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_double_tap_tour",
                        login=counter.login)
        line = plan.line_ids.filtered(lambda line: line.product_id == cooker)
        self.assertEqual((line.counted_qty, line.counted_by_id), (4.0, counter))
        log = self.env["jxc.count.scan"].search([("plan_id", "=", plan.id)])
        self.assertEqual([(entry.line_id, entry.new_qty) for entry in log], [(line, 4.0)])

    def test_resave_keeps_decimals_in_german(self):
        """In German "." groups thousands: a line counted 1,234.5 opened and saved again stays
        1,234.5 (the box shows 1234,5), not 12,345, and, unchanged, is no new count (one entry);
        "2.5" typed (a phone's decimal key) is refused, not saved as 25."""
        self.env["res.lang"]._activate_lang("de_DE")
        counter = self._counter("jxc_decimal_counter", "Li Na (Counter)")
        counter.lang = "de_DE"
        plan, shelf, _cooker, sauce = self._hangzhou_count(counter)
        line = plan.line_ids.filtered(lambda line: line.product_id == sauce)
        plan.with_user(counter).jxc_set_counted(line.id, 1234.5, shelf.id)
        self.start_tour("/odoo/action-jxc_addon.jxc_count_scan_action", "jxc_count_scan_decimal_tour",
                        login=counter.login)
        self.assertEqual(line.counted_qty, 1234.5)
        self.assertEqual(self.env["jxc.count.scan"].search_count([("plan_id", "=", plan.id)]), 1)
