import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { barcodeService } from "@barcodes/barcode_service";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { browser } from "@web/core/browser/browser";
import { localization } from "@web/core/l10n/localization";
import { ConnectionLostError, rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useAutofocus, useBus, useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { uuid } from "@web/core/utils/strings";
import { parseFloat } from "@web/views/fields/parsers";
import { useSetupAction } from "@web/search/action_hook";
import { user } from "@web/core/user";
import { url } from "@web/core/utils/urls";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// A keyboard-wedge scanner types a whole barcode in a burst, then Enter (or Tab). In the quantity
// box the screen tells such a burst from typing as Odoo's barcode service does everywhere else: at
// least this many characters, each within `barcodeService.maxTimeBetweenKeysInMs` of the one
// before (150 ms unless the `barcode.max_time_between_keys_in_ms` system parameter says otherwise).
const SCANNER_MIN_CHARS = 3;

// Where the screen was (plan, location, package): restored after a page reload. The counts
// themselves are saved on the server as they are entered. One entry per user of the device and
// company: a plan of another company is not reopened after switching companies.
const storageKey = () => `jxc_addon.count_scan.${user.userId}.${user.activeCompany?.id}`;

/**
 * 扫码盘点: scan a location, then products / lots / packages; each scan adds one, or type the
 * quantity. Hardware scanners (keyboard wedge) through Odoo's `barcode` service, the camera
 * through Odoo's own barcode dialog (`scanBarcode`). Every action is one server method of
 * `jxc.count.plan` that checks access and writes through the count line's own `write`.
 */
export class JxcCountScan extends Component {
    static template = "jxc_addon.JxcCountScan";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({
            plans: null,
            planId: false,
            locationId: false,
            packageId: false,
            data: null,
            message: null,
            editLineId: false,
            editQty: "",
            manualBarcode: "",
            busy: false,
        });
        const barcode = useService("barcode");
        useBus(barcode.bus, "barcode_scanned", (ev) => this.onBarcodeScanned(ev.detail.barcode));
        const extension = new Audio().canPlayType("audio/ogg") ? "ogg" : "mp3";
        this.cameraSupported = isBarcodeScannerSupported();
        // scans, saves and undos reach the server one after the other, in the order made
        this.queue = Promise.resolve();
        this.qtyKeys = [];
        // The scans whose answer the connection lost ({ planId, barcode, key, locationId, packageId }),
        // in the order lost: the server may have counted them. Each scanned again at its place is
        // sent once more with its key, so that the server counts it once whether it had or not.
        this.lostScans = [];
        // The Saves whose answer the connection lost, by line id ({ planId, qty, key, label }): saved
        // again with the same quantity, sent with the same key and counted once, at its first time.
        this.lostSaves = new Map();
        // the count the open editor showed (null: the line was not counted)
        this.editShown = null;
        // an answer was lost: the screen may not show what the server saved until it reloads
        this.stale = false;
        this.reconnectTimer = null;
        this.unmounted = false;
        onWillUnmount(() => {
            browser.clearTimeout(this.reconnectTimer);
            this.reconnectTimer = null;
            this.unmounted = true;
        });
        useAutofocus({ refName: "qtyInput", mobile: true });
        // back through the breadcrumb: the stocktake left on screen, not the one first opened
        useSetupAction({ getLocalState: () => ({ planId: this.state.planId }) });
        this.errorSound = new Audio(url(`/barcodes/static/src/audio/error.${extension}`));
        onWillStart(() => this.start());
    }

    async start() {
        const stored = JSON.parse(browser.localStorage.getItem(storageKey()) || "{}");
        const params = this.props.action.params || {};
        const context = this.props.action.context || {};
        const planId = this.props.state ? this.props.state.planId : params.plan_id || context.active_id || stored.planId;
        if (planId) {
            const sameAsStored = planId === stored.planId;
            await this.openPlan(planId, sameAsStored ? stored.locationId : false, sameAsStored ? stored.packageId : false);
        }
        if (!this.state.planId) {
            await this.loadPlans();
        }
    }

    // --- server calls --------------------------------------------------------------
    async call(method, args) {
        try {
            return await this.orm.call("jxc.count.plan", method, [[this.state.planId], ...args]);
        } catch (error) {
            if (error.data && error.data.message) {
                this.showMessage({ ok: false, message: error.data.message });
                return null;
            }
            throw error;
        }
    }

    apply(result) {
        // an answer about another stocktake than the one now shown changes nothing
        if (!result || (result.state && result.state.plan.id !== this.state.planId)) {
            return;
        }
        this.state.data = result.state;
        this.stale = false;
        this.state.locationId = result.location_id || false;
        this.state.packageId = result.package_id || false;
        this.remember();
        if (result.message) {
            this.showMessage(result);
        }
    }

    remember() {
        browser.localStorage.setItem(storageKey(), JSON.stringify({
            planId: this.state.planId,
            locationId: this.state.locationId,
            packageId: this.state.packageId,
        }));
    }

    showMessage(result) {
        this.state.message = { ok: result.ok, text: result.message, kind: result.kind };
        if (!result.ok) {
            this.errorSound.currentTime = 0;
            this.errorSound.play().catch(() => {});
            browser.navigator.vibrate?.([200, 100, 200]);
        } else {
            browser.navigator.vibrate?.(50);
        }
    }

    async loadPlans() {
        this.state.plans = await this.orm.call("jxc.count.plan", "jxc_scan_get_plans", []);
    }

    async openPlan(planId, locationId = false, packageId = false) {
        this.state.planId = planId;
        try {
            const data = await this.orm.call("jxc.count.plan", "jxc_scan_get_state", [[planId], locationId, packageId]);
            this.apply({ state: data, location_id: locationId, package_id: packageId });
            this.state.message = null;
            // the address names the stocktake on screen: a reload reopens it, not the one the
            // screen was first opened on (Odoo's router gives the address's id as active_id)
            this.props.updateActionState?.({ active_id: planId });
        } catch (error) {
            this.state.planId = false;
            if (!(error.data && error.data.message)) {
                // the connection, not the plan: the place stays stored for the next start
                throw error;
            }
            // The plan was submitted or cancelled since: back to the list.
            browser.localStorage.removeItem(storageKey());
            this.showMessage({ ok: false, message: error.data.message });
        }
    }

    onBarcodeScanned(barcode) {
        if (!this.state.planId) {
            this.showMessage({ ok: false, message: _t("Choose a stocktake first, then scan.") });
            return Promise.resolve();
        }
        // Scans are sent one after the other, in the order scanned: a fast scanner loses none.
        // A scan made after the screen said that scans' answers were lost may be one of them again.
        const known = [...this.lostScans];
        const pending = this.takeTypedQty();
        return this.enqueue(async () => {
            if (pending) {
                await this.saveBeforeScan(barcode, pending.line, pending.typed, pending.shown);
            }
            return this.processScan(barcode, known);
        });
    }

    takeTypedQty() {
        // A quantity typed in the open box and not saved when a scan comes past the box (it had
        // lost the focus, or the camera read it): saved first, as Save would have, not lost with
        // the box the scan closes. A box opened and left as it was saves nothing.
        const line = this.state.editLineId && this.state.data?.lines.find((l) => l.id === this.state.editLineId);
        const typed = String(this.state.editQty ?? "").trim();
        if (!line || typed === this.editUntyped || Number.isNaN(this.parseQty(typed))) {
            return null;
        }
        this.state.editLineId = false;
        return { line, typed, shown: this.editShown };
    }

    async saveBeforeScan(barcode, line, typed, shown) {
        // a Save the connection lost stops the scan behind it: the scan, not sent, is named with
        // the Save, to be made again
        try {
            await this.processSave(line, false, typed, shown);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                const { planId, locationId, packageId } = this.state;
                this.lostScans.push({ planId, barcode, key: uuid(), locationId, packageId });
            }
            throw error;
        }
    }

    enqueue(action) {
        this.queue = this.queue.then(action).catch((error) => {
            if (error instanceof ConnectionLostError) {
                this.onConnectionLost(error);
            } else {
                this.showMessage({ ok: false, message: error.message || String(error) });
            }
        });
        return this.queue;
    }

    async processScan(barcode, known = []) {
        const { planId, locationId, packageId } = this.state;
        // A label whose answer was lost, scanned again at the same place: its key, once, so that
        // the server counts it once whether it had saved it or not; the next scan of it is one more.
        // `known` holds the losses shown when this scan was made: one queued before is another item.
        const index = this.lostScans.findIndex((lost) => known.includes(lost) && lost.planId === planId
            && lost.barcode === barcode && lost.locationId === locationId && lost.packageId === packageId);
        const again = index >= 0 ? this.lostScans.splice(index, 1)[0] : null;
        const key = again ? again.key : uuid();
        this.state.busy = true;
        try {
            this.state.editLineId = false;
            const result = await this.call("jxc_scan", [barcode, locationId, packageId, key]);
            this.apply(result);
            return Boolean(result && result.ok);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                this.lostScans.push({ planId, barcode, key, locationId, packageId });
            }
            throw error;
        } finally {
            this.state.busy = false;
        }
    }

    onConnectionLost() {
        // the server may have saved what it was sent: the screen reloads once the connection is back
        this.stale = true;
        this.showMessage({ ok: false, message: this.lostMessage() });
        this.watchConnection();
    }

    lostMessage() {
        // every scan and Save of this stocktake still to be sent again, not only the last one lost
        const planId = this.state.planId;
        const scans = this.lostScans.filter((lost) => lost.planId === planId);
        const saves = [...this.lostSaves.values()].filter((lost) => lost.planId === planId);
        if (!saves.length && scans.length === 1) {
            return _t(
                "The connection was lost: %(barcode)s may not be counted. Scan it again once the connection is back: it is counted once.",
                { barcode: scans[0].barcode }
            );
        }
        // a label lost n times is n pieces, each to be scanned again
        const times = new Map();
        for (const lost of scans) {
            times.set(lost.barcode, (times.get(lost.barcode) || 0) + 1);
        }
        const barcodes = [...times].map(([barcode, n]) => (n > 1 ? `${barcode} ×${n}` : barcode));
        if (saves.length) {
            return _t(
                "The connection was lost: %(items)s may not be counted. Scan or save each again once the connection is back: each is counted once.",
                { items: [...barcodes, ...saves.map((lost) => lost.label)] }
            );
        }
        if (scans.length) {
            return _t(
                "The connection was lost: %(barcodes)s may not be counted. Scan each again once the connection is back: each is counted once.",
                { barcodes }
            );
        }
        return _t("The connection was lost: the screen shows the counts saved once it is back.");
    }

    watchConnection() {
        if (this.reconnectTimer) {
            return;
        }
        let delay = 2000;
        const check = async () => {
            this.reconnectTimer = null;
            try {
                await rpc("/web/webclient/version_info", {});
            } catch {
                if (!this.unmounted) {
                    delay = delay * 1.5 + 500 * Math.random();
                    this.reconnectTimer = browser.setTimeout(check, delay);
                }
                return;
            }
            if (!this.unmounted) {
                this.enqueue(() => this.refresh());
            }
        };
        this.reconnectTimer = browser.setTimeout(check, delay);
    }

    async refresh() {
        // what the server saved, once an answer was lost (a later action may have shown it already)
        if (this.stale && this.state.planId) {
            await this.loadState(this.state.locationId, this.state.packageId);
        }
    }

    // --- user actions ----------------------------------------------------------------
    async scanWithCamera() {
        let barcode = null;
        try {
            barcode = await scanBarcode(this.env, "environment");
        } catch (error) {
            this.showMessage({ ok: false, message: error.message || _t("The camera could not read a barcode; scan again.") });
            return;
        }
        if (barcode) {
            await this.onBarcodeScanned(barcode);
        }
    }

    async onManualSubmit(ev) {
        ev.preventDefault();
        const barcode = this.state.manualBarcode.trim();
        this.state.manualBarcode = "";
        if (barcode) {
            await this.onBarcodeScanned(barcode);
        }
    }

    async loadState(locationId, packageId = false) {
        const data = await this.call("jxc_scan_get_state", [locationId, packageId]);
        if (data) {
            this.apply({ state: data, location_id: locationId, package_id: packageId });
        }
        return data;
    }

    // Moving to another location, package or stocktake waits for the scans before it, as they
    // wait for each other: a scan's answer names the location it was counted at, and arriving
    // after the move it would take the screen back there, where the next scans would count.
    selectLocation(location) {
        return this.enqueue(() => this.goTo(location.id));
    }

    leaveLocation() {
        return this.enqueue(() => this.goTo(false));
    }

    leavePackage() {
        return this.enqueue(() => this.loadState(this.state.locationId));
    }

    async goTo(locationId) {
        if (await this.loadState(locationId)) {
            this.state.message = null;
        }
    }

    nextLocation() {
        // the next one as the screen stands once the scans before are counted
        return this.enqueue(async () => {
            const locations = this.state.data.locations;
            const index = locations.findIndex((loc) => loc.id === this.state.locationId);
            const ordered = [...locations.slice(index + 1), ...locations.slice(0, index + 1)];
            const next = ordered.find((loc) => loc.counted < loc.total && loc.id !== this.state.locationId);
            if (next) {
                await this.goTo(next.id);
            } else {
                await this.goTo(false);
                this.showMessage({ ok: true, message: _t("Every location of this stocktake is counted.") });
            }
        });
    }

    editLine(line, typed = null) {
        this.qtyKeys = [];
        this.state.editLineId = line.id;
        this.editShown = line.is_counted ? line.counted_qty : null;
        // in the user's number format without thousands separators: saved again, it reads back
        // as the same quantity (Odoo's parseFloat drops thousands separators, "." in many languages)
        this.editUntyped = line.is_counted ? this.formatQty(line.counted_qty, { thousandsSep: "" }) : "";
        this.state.editQty = typed !== null ? typed : this.editUntyped;
    }

    saveLine(line, next = false) {
        if (this.savingLineId === line.id) {
            // a second tap while the line's save is on its way: one count, not two
            return this.queue;
        }
        // the quantity as it was when Save was pressed: a queued save may run after another line opened
        const typed = this.state.editQty;
        const shown = this.editShown;
        this.savingLineId = line.id;
        return this.enqueue(async () => {
            try {
                return await this.processSave(line, next, typed, shown);
            } finally {
                this.savingLineId = null;
            }
        });
    }

    parseQty(text) {
        // a number in the user's format, NaN for a blank or unreadable entry
        const typed = String(text).trim();
        if (typed === "" || !this.isWellGrouped(typed)) {
            return NaN;
        }
        try {
            return parseFloat(typed);
        } catch {
            return NaN;
        }
    }

    isWellGrouped(typed) {
        // Odoo's parseFloat drops thousands separators: "2,5" in English (or "2.5" in German) would
        // be 25, where a phone's keypad typed a decimal. A thousands separator groups three digits.
        const sep = localization.thousandsSep;
        if (!sep || !typed.includes(sep)) {
            return true;
        }
        const groups = typed.split(localization.decimalPoint)[0].split(sep);
        return /^-?\d{1,3}$/.test(groups[0]) && groups.slice(1).every((group) => /^\d{3}$/.test(group));
    }

    async processSave(line, next, typed = this.state.editQty, shown = null) {
        const qty = this.parseQty(typed);
        if (Number.isNaN(qty) && String(typed).trim() !== "" && !this.isWellGrouped(String(typed).trim())) {
            this.showMessage({
                ok: false,
                message: _t(
                    "%(qty)s is no quantity in your language's format: its decimal separator is “%(point)s”.",
                    { qty: String(typed).trim(), point: localization.decimalPoint }
                ),
            });
            return;
        }
        if (Number.isNaN(qty)) {
            // nothing is counted from a blank or unreadable entry: the editor stays open
            this.showMessage({ ok: false, message: _t("Type the quantity counted (0 when there is none).") });
            return;
        }
        // The same quantity saved again on a line whose Save's answer was lost: its key, once. Any
        // Save of the line makes the count the line's: a lost Save of another quantity is dropped.
        const lost = this.lostSaves.get(line.id);
        this.lostSaves.delete(line.id);
        const key = lost && lost.qty === qty ? lost.key : uuid();
        const planId = this.state.planId;
        this.state.busy = true;
        let result;
        try {
            result = await this.call("jxc_set_counted", [line.id, qty, this.state.locationId, this.state.packageId, key, shown]);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                const label = `${line.product}${line.lot ? ` ${line.lot}` : ""} (${this.formatQty(qty)})`;
                this.lostSaves.set(line.id, { planId, qty, key, label });
            }
            throw error;
        } finally {
            this.state.busy = false;
        }
        if (!result) {
            return; // refused (the message says why): the typed quantity stays in the editor
        }
        const stillOpen = this.state.editLineId === line.id;
        if (stillOpen) {
            this.state.editLineId = false;
        }
        this.apply(result);
        if (next && stillOpen) {
            const lines = this.state.data.lines;
            const after = lines.slice(lines.findIndex((l) => l.id === line.id) + 1);
            const following = after.find((l) => !l.is_counted) || lines.find((l) => !l.is_counted);
            if (following) {
                this.editLine(following);
            }
        }
    }

    async onQtyKeydown(ev, line) {
        // Odoo's barcode service leaves an input box alone: the box tells a scan from typing itself,
        // with the service's own rules (the keys it takes, its time between keys, its minimum length).
        const now = Date.now();
        const maxGap = barcodeService.maxTimeBetweenKeysInMs;
        if (!ev.key) {
            return;
        }
        if (ev.key === "Enter" || ev.key === "Tab") {
            const keys = this.qtyKeys;
            this.qtyKeys = [];
            const burst = barcodeService.cleanBarcode(keys.map((key) => key.key).join(""));
            if (burst.length >= SCANNER_MIN_CHARS && now - keys.at(-1).at <= maxGap) {
                // a scanner typed into the open box: a scan, the characters are no quantity
                ev.preventDefault();
                await this.scanFromQtyBox(line, burst);
                return;
            }
            if (ev.key === "Enter") {
                ev.preventDefault();
                await this.saveLine(line, true);
            }
        } else if (["Control", "Alt"].includes(ev.key) || (ev.key.length === 1 && !ev.metaKey)) {
            if (this.qtyKeys.length && now - this.qtyKeys.at(-1).at > maxGap) {
                this.qtyKeys = [];
            }
            this.qtyKeys.push({ key: ev.key, at: now });
        }
    }

    scanFromQtyBox(line, barcode) {
        const known = [...this.lostScans];
        const typed = this.state.editQty;
        const shown = this.editShown;
        // a quantity typed before the scanner's characters, not saved yet: saved first, as Save
        // would have, not lost with the box the scan closes
        const before = typed.endsWith(barcode) ? typed.slice(0, -barcode.length).trim() : "";
        const saveFirst = before !== "" && !Number.isNaN(this.parseQty(before));
        this.state.editLineId = false;
        return this.enqueue(async () => {
            if (saveFirst) {
                await this.saveBeforeScan(barcode, line, before, shown);
            }
            const scanned = await this.processScan(barcode, known);
            if (!scanned && !saveFirst && !Number.isNaN(this.parseQty(typed)) && this.state.data?.lines.some((l) => l.id === line.id)) {
                // refused, and a number (a quantity typed as fast as a scanner, or an unknown code):
                // back in the box as typed, where Save counts it (the server refuses a barcode)
                this.editLine(line, typed);
            }
        });
    }

    undo() {
        if (this.stale) {
            // the screen may not show the last scan the server saved: show it before undoing anything
            return this.enqueue(async () => {
                if (await this.loadState(this.state.locationId, this.state.packageId)) {
                    this.showMessage({
                        ok: true,
                        message: _t("The counts saved are shown again: check the last scan, then undo."),
                    });
                }
            });
        }
        // the entry shown when clicked: a second click queued behind the first undoes nothing more
        const entryId = this.state.data?.undo_entry_id || false;
        return this.enqueue(async () => {
            this.apply(await this.call("jxc_undo", [this.state.locationId, this.state.packageId, entryId]));
        });
    }

    choosePlan(planId) {
        return this.enqueue(() => this.openPlan(planId));
    }

    backToPlans() {
        return this.enqueue(() => this.showPlans());
    }

    async showPlans() {
        this.props.updateActionState?.({ active_id: false });
        this.state.planId = false;
        this.state.data = null;
        this.state.locationId = false;
        this.state.packageId = false;
        this.state.message = null;
        browser.localStorage.removeItem(storageKey());
        await this.loadPlans();
    }

    openPlanForm() {
        this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "jxc.count.plan",
            res_id: this.state.planId,
            views: [[false, "form"]],
        });
    }

    formatQty(qty, options = {}) {
        // in the user's language; up to the "Product Unit" precision, without trailing zeros
        const digits = this.state.data?.qty_digits ?? 4;
        return formatFloat(qty, { digits: [16, digits], trailingZeros: false, ...options });
    }
}

registry.category("actions").add("jxc_count_scan", JxcCountScan);
