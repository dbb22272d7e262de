"""Benchmark dataset generator: products, partners, warehouses and 24 months of done stock history.

    bin/bench-generate S [--seed N] [--db NAME]

For scale S it makes 1,000·S storable products, 25·S vendors (1-3 per product, with supplier
info), 50·S customers, 3 warehouses and about 25,000·S done stock moves: purchase receipts
(some late, some in two parts, some partly returned to the vendor), sales deliveries (steady
and seasonal products, some never sold) and a few inventory counts.

Setup (warehouses, partners, products, supplier info) goes through the ORM. The history is
simulated chronologically per product and warehouse in Python (stock never goes negative:
a delivery ships at most what is on hand, purchases follow a reorder-point policy) and then
written with PostgreSQL COPY, with every stored field Odoo itself would have written:
orders, lines and their received/delivered quantities and amounts, pickings, moves with
stock_account's ``value``/``price_unit``/``is_in``/``is_out``, move lines and quants.
``bench.consistency.check_consistency`` verifies the result before it is committed.

Products use Odoo's default cost method (standard price): a receipt is valued at its
purchase price, everything else at the product's cost, as ``stock.move._set_value`` does.
"""

import argparse
import io
import math
import random
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from datetime import time as dtime

HISTORY_DAYS = 730
CATEGORIES = [
    "Electronics", "Hardware", "Stationery", "Household", "Garden",
    "Apparel", "Food & Drinks", "Toys", "Health", "Automotive",
]
# Share of (product, warehouse) pairs: every product is kept in the first warehouse.
WAREHOUSE_SHARE = (1.0, 0.35, 0.2)


def _ean13(number):
    digits = "%012d" % number
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def _poisson(rng, lam):
    # Knuth's method: lam stays small (events per product and month).
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _Copy:
    """Rows for one table, written with COPY ... FROM STDIN."""

    def __init__(self, table, columns):
        self.table, self.columns, self.rows = table, columns, []

    def add(self, *row):
        assert len(row) == len(self.columns), (self.table, row)
        self.rows.append(row)

    @staticmethod
    def _fmt(value):
        if value is None:
            return "\\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, float):
            return repr(round(value, 6))
        if isinstance(value, str):
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return str(value)

    def write(self, cr, chunk=100_000):
        for start in range(0, len(self.rows), chunk):
            buf = io.StringIO()
            fmt = self._fmt
            for row in self.rows[start:start + chunk]:
                buf.write("\t".join([fmt(v) for v in row]))
                buf.write("\n")
            buf.seek(0)
            cr.copy_expert("COPY %s (%s) FROM STDIN" % (self.table, ", ".join(self.columns)), buf)
        return len(self.rows)


def _reserve_ids(cr, table, count):
    """Take ``count`` consecutive ids from the table's sequence; return the first."""
    if not count:
        return 0
    cr.execute("SELECT nextval(%s)", ["%s_id_seq" % table])
    first = cr.fetchone()[0]
    cr.execute("SELECT setval(%s, %s)", ["%s_id_seq" % table, first + count - 1])
    return first


class Generator:
    def __init__(self, env, scale, seed=1, end=None, progress=None):
        self.env = env
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress or (lambda msg: None)
        today = end or datetime.utcnow().date()
        self.end = datetime.combine(today, dtime())
        self.start = self.end - timedelta(days=HISTORY_DAYS)
        self.t0 = time.monotonic()

    def log(self, msg):
        self.progress("[bench-generate %6.1fs] %s" % (time.monotonic() - self.t0, msg))

    # ------------------------------------------------------------------ setup (ORM)
    def setup(self):
        env, rng, s = self.env, self.rng, self.scale
        self.company = env.company
        self.uom = env.ref("uom.product_uom_unit")
        self.loc_supplier = env.ref("stock.stock_location_suppliers")
        self.loc_customer = env.ref("stock.stock_location_customers")
        self.user_id = env.ref("base.user_admin").id
        warehouses = env["stock.warehouse"].search([("company_id", "=", self.company.id)], order="id", limit=1)
        for i in (2, 3):
            code = "BW%d" % i
            existing = env["stock.warehouse"].search([("company_id", "=", self.company.id), ("code", "=", code)])
            warehouses |= existing or env["stock.warehouse"].create({
                "name": "Bench Warehouse %d" % i, "code": code, "company_id": self.company.id})
        self.warehouses = warehouses
        self.loc_inventory = env["product.product"].new({}).with_company(self.company).property_stock_inventory \
            or env.ref("stock.stock_location_inventory")
        self.log("3 warehouses: %s" % ", ".join(warehouses.mapped("code")))

        categs = env["product.category"].create([{"name": "Bench %s" % n} for n in CATEGORIES])

        n_products = max(5, round(1000 * s))
        self.n_vendors = n_vendors = max(3, round(25 * s))
        n_customers = max(5, round(50 * s))
        vendors = env["res.partner"].create([{
            "name": "Bench Vendor %04d" % (i + 1), "is_company": True, "supplier_rank": 1,
            "company_id": False} for i in range(n_vendors)])
        customers = env["res.partner"].create([{
            "name": "Bench Customer %04d" % (i + 1), "is_company": True, "customer_rank": 1}
            for i in range(n_customers)])
        self.vendor_ids, self.customer_ids = vendors.ids, customers.ids
        # Random streams are keyed by position, never by database id, so that a seed gives the same data.
        self.rank = {pid: i for ids in (vendors.ids, customers.ids) for i, pid in enumerate(ids)}
        # Vendor behaviour: delay in days and share of late deliveries (suppliers differ).
        self.vendor_delay = {v: rng.choice((2, 3, 5, 7, 7, 10, 14, 21)) for v in vendors.ids}
        self.vendor_late = {v: rng.uniform(0.03, 0.45) for v in vendors.ids}
        # Buyers order from a vendor on its weekly ordering day, so one order gathers several products.
        self.vendor_weekday = {v: rng.randrange(7) for v in vendors.ids}
        self.log("%d vendors, %d customers" % (n_vendors, n_customers))

        self.products = []  # dicts with the simulation parameters
        vals_list = []
        for i in range(n_products):
            cost = round(math.exp(rng.gauss(2.8, 0.9)), 2) + 0.5
            profile = rng.random()
            profile = "never" if profile < 0.12 else "seasonal" if profile < 0.40 else "steady"
            if i == n_products - 1:
                profile = "never"  # a product never sold, whatever the seed
            categ = categs[i % len(categs)]
            vals_list.append({
                "name": "%s item %05d" % (categ.name[6:], i + 1),
                "default_code": "BP%06d" % (i + 1),
                "barcode": _ean13(690_000_000_000 + self.seed % 1000 * 1_000_000 + i + 1),
                "categ_id": categ.id, "type": "consu", "is_storable": True,
                "list_price": round(cost * rng.uniform(1.3, 2.2), 2), "standard_price": cost,
                "taxes_id": [], "supplier_taxes_id": [],
            })
            self.products.append({
                "cost": cost, "profile": profile, "price": vals_list[-1]["list_price"],
                "rate": math.exp(rng.gauss(-0.93, 0.8)),  # sale events per month and warehouse
                "size": max(1, round(math.exp(rng.gauss(1.6, 0.9)))),  # units per sale
                "phase": rng.randrange(12),
            })
        created = env["product.product"]
        for start in range(0, len(vals_list), 1000):
            created |= env["product.product"].create(vals_list[start:start + 1000])
            self.log("products %d/%d" % (len(created), n_products))
        si_vals = []
        for prod, rec in zip(self.products, created, strict=True):
            prod["id"], prod["name"] = rec.id, rec.display_name
            prod["vendors"] = []
            for seq, vendor in enumerate(rng.sample(vendors.ids, rng.choice((1, 1, 2, 2, 3)))):
                price = round(prod["cost"] * rng.uniform(0.9, 1.1), 2)
                min_qty = rng.choice((0, 0, 5, 10, 20, 50))
                prod["vendors"].append((vendor, price, min_qty))
                si_vals.append({"partner_id": vendor, "product_tmpl_id": rec.product_tmpl_id.id,
                                "price": price, "min_qty": min_qty, "delay": self.vendor_delay[vendor],
                                "sequence": seq + 1, "company_id": self.company.id})
        for start in range(0, len(si_vals), 5000):
            env["product.supplierinfo"].create(si_vals[start:start + 5000])
        self.log("%d products in %d categories, %d supplier prices" % (n_products, len(categs), len(si_vals)))
        env.flush_all()

    # ------------------------------------------------------------------ simulation
    def _day_dt(self, day, hour, minute=0):
        return self.start + timedelta(days=day, hours=hour, minutes=minute)

    def _po_terms(self, vendor, wh_idx, day):
        """Lateness and backorder delay of one purchase order (all its lines share them)."""
        key = (vendor, wh_idx, day)
        terms = self.po_terms.get(key)
        if terms is None:
            r = random.Random(self.seed * 1_000_003 + self.rank[vendor] * 7919 + wh_idx * 104_729 + day)
            # late by the vendor's share, and until the history holds a late receipt, whatever the seed
            late = r.random() < self.vendor_late[vendor] or "late" not in self.given
            lateness = r.randint(1, 12) if late else r.choice((-1, 0, 0, 0))
            terms = self.po_terms[key] = (lateness, r.randint(3, 10))
        return terms

    def _order_line(self, prod, wh_idx, day, qty, rng):
        """Add a purchase order line ordered on ``day``; return (line index, arrival day, bo day)."""
        vendors = prod["vendors"]
        vendor, price, min_qty = vendors[0] if len(vendors) == 1 or rng.random() < 0.85 else rng.choice(vendors[1:])
        qty = max(qty, min_qty)
        day += (self.vendor_weekday[vendor] - day) % 7
        lateness, bo_delay = self._po_terms(vendor, wh_idx, day)
        planned = day + self.vendor_delay[vendor]
        arrival = max(day + 1, planned + lateness)
        key = (vendor, wh_idx, day)
        po = self.pos.get(key)
        if po is None:
            po = self.pos[key] = {"idx": len(self.pos), "vendor": vendor, "wh": wh_idx, "day": day,
                                  "planned": planned, "lines": []}
        line = {"po": po, "product": prod, "qty": qty, "price": price, "received": 0, "returned": 0}
        self.pol.append(line)
        po["lines"].append(line)
        return line, arrival, arrival + bo_delay

    def simulate(self):
        self.pos, self.pol, self.po_terms = {}, [], {}
        # the cases the history holds at least once whatever the seed (the draw decides the others):
        # "late" receipt, "return" to a vendor, "backorder", later "count" difference
        self.given = set()
        self.moves = []   # [kind, prod, wh_idx, qty, datetime, ref, origin_move_index, inventory_name]
        self.sales = defaultdict(list)  # (wh_idx, day) -> [move index]
        self.onhand = {}  # (product id, wh_idx) -> (qty, last in date)
        self.rules = []  # (product id, wh_idx, min, max): the reordering rules the buyers followed
        count_days = (HISTORY_DAYS * 5 // 12, HISTORY_DAYS * 10 // 12)
        for p_idx, prod in enumerate(self.products):
            for wh_idx, share in enumerate(WAREHOUSE_SHARE):
                r = random.Random(self.seed * 7_777_777 + p_idx * 31 + wh_idx)
                if wh_idx and r.random() > share:
                    continue
                self._simulate_pair(prod, wh_idx, r, count_days)
            if p_idx % 2000 == 1999:
                self.log("simulated %d/%d products, %d moves" % (p_idx + 1, len(self.products), len(self.moves)))
        self.log("simulated %d moves, %d purchase orders" % (len(self.moves), len(self.pos)))

    def _simulate_pair(self, prod, wh_idx, r, count_days):
        moves = self.moves
        sales = []
        if prod["profile"] != "never":
            for month in range(24):
                lam = prod["rate"]
                if prod["profile"] == "seasonal":
                    lam *= 1 + 0.9 * math.sin(2 * math.pi * (month - prod["phase"]) / 12)
                for _i in range(_poisson(r, lam)):
                    day = min(HISTORY_DAYS - 1, int(month * HISTORY_DAYS / 24 + r.random() * HISTORY_DAYS / 24))
                    sales.append((day, max(1, round(prod["size"] * r.uniform(0.4, 1.6)))))
            sales.sort()
        daily = prod["rate"] * prod["size"] / 30.4
        delay = self.vendor_delay[prod["vendors"][0][0]]
        reorder_point = math.ceil(daily * (delay + 14))
        order_qty = max(1, math.ceil(daily * 120))
        # Opening balance: the count that started the history.
        onhand = reorder_point + order_qty if prod["profile"] != "never" else r.randint(5, 40)
        moves.append(["inv+", prod, wh_idx, onhand, self._day_dt(0, 8), None, None, "Opening count"])
        last_in = moves[-1][4]
        pending = []  # (day, kind, line, qty); kind 0 = receipt, 1 = backorder receipt
        on_order = 0
        if prod["profile"] == "never" and r.random() < 0.5:
            sales_dead_order = r.randrange(30, 300)
            line, arrival, _bo = self._order_line(prod, wh_idx, sales_dead_order, r.randint(5, 30), r)
            pending.append((arrival, 0, line, line["qty"]))
            on_order += line["qty"]
        events = [(day, 1, qty) for day, qty in sales] + [(day, 2, 0) for day in count_days]
        events.sort()
        for day, kind, qty in events + [(HISTORY_DAYS, 9, 0)]:
            # Receipts arriving up to this day come first (they are dated in the morning).
            pending.sort(key=lambda x: (x[0], x[1]))
            while pending and pending[0][0] <= min(day, HISTORY_DAYS - 1):
                arr, part, line, qty_in = pending.pop(0)
                on_order -= qty_in
                dt = self._day_dt(arr, 9, r.randrange(120))
                moves.append(["in", prod, wh_idx, qty_in, dt, line, None, part])
                line["received"] += qty_in
                onhand += qty_in
                last_in = dt
                if arr >= line["po"]["planned"] + 2:
                    self.given.add("late")
                # quality problem: part goes back to the vendor
                if part == 0 and (r.random() < 0.04 or "return" not in self.given):
                    self.given.add("return")
                    back = max(1, math.ceil(qty_in * r.uniform(0.1, 0.3)))
                    moves.append(["ret", prod, wh_idx, back, self._day_dt(arr, 11, r.randrange(60)), line,
                                  len(moves) - 1, None])
                    line["returned"] += back
                    onhand -= back
            if kind == 9:
                break
            if kind == 1:
                ship = min(qty, onhand)
                if ship <= 0:
                    continue  # lost sale: nothing on hand
                moves.append(["out", prod, wh_idx, ship, self._day_dt(day, 13, r.randrange(300)), None, None, None])
                self.sales[(wh_idx, day)].append(len(moves) - 1)
                onhand -= ship
            elif kind == 2 and (r.random() < 0.3 or "count" not in self.given):
                diff = r.choice((-3, -2, -1, -1, 1, 2))
                diff = max(diff, -onhand)
                if diff:
                    self.given.add("count")
                    name = "Count %s" % self._day_dt(day, 0).strftime("%Y-%m")
                    moves.append(["inv+" if diff > 0 else "inv-", prod, wh_idx, abs(diff), self._day_dt(day, 19),
                                  None, None, name])
                    onhand += diff
                continue
            if prod["profile"] != "never" and onhand + on_order <= reorder_point:
                line, arrival, bo_day = self._order_line(prod, wh_idx, day, order_qty, r)
                if arrival >= HISTORY_DAYS:
                    self.pol.pop()
                    line["po"]["lines"].pop()
                    continue
                if (r.random() < 0.1 or "backorder" not in self.given) and line["qty"] > 1 and bo_day < HISTORY_DAYS:
                    self.given.add("backorder")
                    first = max(1, round(line["qty"] * r.uniform(0.5, 0.8)))
                    pending += [(arrival, 0, line, first), (bo_day, 1, line, line["qty"] - first)]
                else:
                    pending.append((arrival, 0, line, line["qty"]))
                on_order += line["qty"]
        self.onhand[(prod["id"], wh_idx)] = (onhand, last_in)
        if prod["profile"] != "never":
            self.rules.append((prod["id"], wh_idx, reorder_point, reorder_point + order_qty))

    # ------------------------------------------------------------------ bulk write
    def write(self):
        env, cr = self.env, self.env.cr
        company_id, uom_id, uid = self.company.id, self.uom.id, self.user_id
        currency_id = self.company.currency_id.id
        whs = self.warehouses
        stock_loc = [wh.lot_stock_id.id for wh in whs]
        in_types = [wh.in_type_id for wh in whs]
        out_types = [wh.out_type_id for wh in whs]
        sup, cust, inv = self.loc_supplier.id, self.loc_customer.id, self.loc_inventory.id
        now = datetime.utcnow().replace(microsecond=0)
        self.po_list = [po for po in self.pos.values() if po["lines"]]
        self.po_list.sort(key=lambda po: (po["day"], po["vendor"], po["wh"]))

        # Names from Odoo's own sequences, which are moved past them at the end.
        seq_next = {}

        def next_name(seq):
            n = seq_next.setdefault(seq, seq.number_next_actual)
            seq_next[seq] = n + 1
            assert "%(" not in (seq.prefix or ""), seq.prefix
            return "%s%s%s" % (seq.prefix or "", str(n).zfill(seq.padding), seq.suffix or "")

        po_seq = env["ir.sequence"].search([("code", "=", "purchase.order"), ("company_id", "in", (company_id, False))],
                                           order="company_id", limit=1)
        so_seq = env["ir.sequence"].search([("code", "=", "sale.order"), ("company_id", "in", (company_id, False))],
                                           order="company_id", limit=1)

        # --- purchase orders and lines
        po_id = _reserve_ids(cr, "purchase_order", len(self.po_list))
        pol_id = _reserve_ids(cr, "purchase_order_line", len(self.pol))
        t_po = _Copy("purchase_order", [
            "id", "partner_id", "currency_id", "company_id", "user_id", "name", "priority", "state", "invoice_status",
            "amount_untaxed", "amount_tax", "amount_total", "amount_total_cc", "currency_rate", "locked",
            "acknowledged", "receipt_reminder_email", "reminder_date_before_receipt", "invoice_count", "date_order",
            "date_approve", "date_planned", "date_calendar_start", "create_date", "write_date", "create_uid",
            "write_uid", "picking_type_id", "receipt_status", "effective_date"])
        t_pol = _Copy("purchase_order_line", [
            "id", "sequence", "product_uom_id", "product_id", "order_id", "company_id", "partner_id", "name",
            "product_qty", "product_uom_qty", "discount", "price_unit", "technical_price_unit", "price_subtotal",
            "price_total", "price_tax", "qty_invoiced", "qty_received", "qty_received_method", "qty_to_invoice",
            "is_downpayment", "propagate_cancel", "date_planned", "create_date", "write_date", "create_uid",
            "write_uid"])
        first_in = {}
        for move in self.moves:
            if move[0] == "in":
                key = id(move[5]["po"])
                first_in[key] = min(first_in.get(key, move[4]), move[4])
        for po in self.po_list:
            po["id"], po["name"] = po_id, next_name(po_seq)
            po_id += 1
            dt_order = self._day_dt(po["day"], 18, self.rank[po["vendor"]] % 50)
            planned = self._day_dt(po["planned"], 10)
            total = 0.0
            full = True
            for seq, line in enumerate(po["lines"]):
                line["id"] = pol_id
                pol_id += 1
                sub = round(line["qty"] * line["price"], 2)
                total += sub
                received = line["received"] - line["returned"]
                full = full and line["received"] >= line["qty"]
                t_pol.add(line["id"], 10 + seq, uom_id, line["product"]["id"], po["id"], company_id, po["vendor"],
                          line["product"]["name"], line["qty"], float(line["qty"]), 0, line["price"], line["price"], sub,
                          sub, 0.0, 0, received, "stock_moves", received, False, True, planned, dt_order, now, uid, uid)
            total = round(total, 2)
            t_po.add(po["id"], po["vendor"], currency_id, company_id, uid, po["name"], "0", "purchase", "to invoice",
                     total, 0, total, total, 1.0, False, False, False, 1, 0, dt_order,
                     dt_order + timedelta(minutes=5), planned, dt_order + timedelta(minutes=5), dt_order, now, uid,
                     uid, in_types[po["wh"]].id, "full" if full else "partial", first_in.get(id(po)))
        self.log("purchase: %d orders, %d lines" % (t_po.write(cr), t_pol.write(cr)))

        # --- sales orders and lines: the deliveries of a warehouse and day form orders of 1-7 lines
        orders = []
        rng = random.Random(self.seed * 99_991)
        for (wh_idx, day) in sorted(self.sales):
            idxs = self.sales[(wh_idx, day)]
            rng.shuffle(idxs)
            while idxs:
                size = rng.randint(1, 7)
                orders.append((wh_idx, day, rng.choice(self.customer_ids), rng.choice((0, 0, 1, 1, 2, 3)),
                               idxs[:size]))
                idxs = idxs[size:]
        n_sol = sum(len(o[4]) for o in orders)
        so_id = _reserve_ids(cr, "sale_order", len(orders))
        sol_id = _reserve_ids(cr, "sale_order_line", n_sol)
        t_so = _Copy("sale_order", [
            "id", "company_id", "partner_id", "partner_invoice_id", "partner_shipping_id", "currency_id", "user_id",
            "name", "state", "invoice_status", "currency_rate", "amount_untaxed", "amount_tax", "amount_total",
            "locked", "require_signature", "require_payment", "prepayment_percent", "create_date", "date_order",
            "write_date", "create_uid", "write_uid", "warehouse_id", "picking_policy", "delivery_status",
            "effective_date"])
        t_sol = _Copy("sale_order_line", [
            "id", "order_id", "sequence", "company_id", "currency_id", "order_partner_id", "salesman_id",
            "product_id", "product_uom_id", "state", "qty_delivered_method", "invoice_status", "name",
            "product_uom_qty", "price_unit", "discount", "price_subtotal", "price_total", "price_reduce_taxexcl",
            "price_reduce_taxinc", "qty_delivered", "qty_invoiced", "qty_to_invoice", "untaxed_amount_invoiced",
            "untaxed_amount_to_invoice", "is_downpayment", "is_expense", "collapse_prices", "collapse_composition",
            "create_date", "write_date", "create_uid", "write_uid", "technical_price_unit", "price_tax",
            "customer_lead", "warehouse_id"])
        self.so_list = []
        for wh_idx, day, partner, lag, idxs in orders:
            name = next_name(so_seq)
            dt_order = self._day_dt(max(0, day - lag), 9, self.rank[partner] % 120)
            delivered = min(self.moves[i][4] for i in idxs)
            if dt_order >= delivered:
                dt_order = delivered - timedelta(hours=1)
            total = 0.0
            for seq, i in enumerate(idxs):
                move = self.moves[i]
                prod, qty = move[1], move[3]
                sub = round(qty * prod["price"], 2)
                total += sub
                move[5] = sol_id
                t_sol.add(sol_id, so_id, 10 + seq, company_id, currency_id, partner, uid, prod["id"], uom_id, "sale",
                          "stock_move", "to invoice", prod["name"], qty, prod["price"], 0, sub, sub, prod["price"],
                          prod["price"], qty, 0, qty, 0, sub, False, False, False, False, dt_order, now, uid, uid,
                          prod["price"], 0.0, 0.0, whs[wh_idx].id)
                sol_id += 1
            total = round(total, 2)
            t_so.add(so_id, company_id, partner, partner, partner, currency_id, uid, name, "sale", "to invoice", 1.0,
                     total, 0, total, False, False, False, 1.0, dt_order, dt_order, now, uid, uid, whs[wh_idx].id,
                     "direct", "full", delivered)
            self.so_list.append((so_id, name, partner, wh_idx, dt_order, idxs))
            so_id += 1
        self.log("sales: %d orders, %d lines" % (t_so.write(cr), t_sol.write(cr)))

        # --- pickings: one receipt per order and arrival, backorders, vendor returns, one delivery per order
        pickings = {}  # key -> [id, name, type, partner, origin, src, dest, date, backorder, return, sale]
        move_picking = [None] * len(self.moves)
        for i, move in enumerate(self.moves):
            kind, prod, wh_idx, _qty, dt, line = move[:6]
            if kind == "in":
                po = line["po"]
                key = ("in", po["idx"], move[7])
                if key not in pickings:
                    pickings[key] = [None, None, in_types[wh_idx], po["vendor"], po, sup, stock_loc[wh_idx], dt,
                                     ("in", po["idx"], 0) if move[7] else None, None, None]
            elif kind == "ret":
                po = line["po"]
                key = ("ret", po["idx"])
                if key not in pickings:
                    pickings[key] = [None, None, out_types[wh_idx], po["vendor"], po, stock_loc[wh_idx], sup, dt,
                                     None, ("in", po["idx"], 0), None]
            else:
                continue
            move_picking[i] = key
            pickings[key][7] = max(pickings[key][7], dt)
        for so in self.so_list:
            key = ("out", so[0])
            pickings[key] = [None, None, out_types[so[3]], so[2], so, stock_loc[so[3]], cust,
                             max(self.moves[i][4] for i in so[5]), None, None, so[0]]
            for i in so[5]:
                move_picking[i] = key
        pk_id = _reserve_ids(cr, "stock_picking", len(pickings))
        for key in sorted(pickings, key=lambda k: (pickings[k][7], k[0], k[1])):
            pk = pickings[key]
            pk[0], pk[1] = pk_id, next_name(pk[2].sequence_id)
            pk_id += 1
        t_pk = _Copy("stock_picking", [
            "id", "backorder_id", "return_id", "location_id", "location_dest_id", "picking_type_id", "partner_id",
            "company_id", "user_id", "create_uid", "write_uid", "name", "origin", "move_type", "state", "priority",
            "has_deadline_issue", "printed", "is_locked", "scheduled_date", "date_done", "create_date",
            "write_date", "sale_id"])
        t_po_pk = _Copy("purchase_order_stock_picking_rel", ["purchase_order_id", "stock_picking_id"])
        for key, pk in pickings.items():
            origin = pk[4]["name"] if isinstance(pk[4], dict) else pk[4][1]
            created = (pk[4]["day"] if isinstance(pk[4], dict) else None)
            created = self._day_dt(created, 18, 5) if created is not None else pk[4][4]
            t_pk.add(pk[0], pickings[pk[8]][0] if pk[8] else None, pickings[pk[9]][0] if pk[9] else None, pk[5],
                     pk[6], pk[2].id, pk[3], company_id, uid, uid, uid, pk[1], origin, "direct", "done", "0", False,
                     False, True, pk[7], pk[7], created, pk[7], pk[10])
            if key[0] in ("in", "ret"):
                t_po_pk.add(pk[4]["id"], pk[0])
        self.log("pickings: %d" % t_pk.write(cr))
        t_po_pk.write(cr)

        # --- moves and move lines
        mv_id = _reserve_ids(cr, "stock_move", len(self.moves))
        ml_id = _reserve_ids(cr, "stock_move_line", len(self.moves))
        t_mv = _Copy("stock_move", [
            "id", "sequence", "company_id", "product_id", "product_uom", "location_id", "location_dest_id",
            "partner_id", "picking_id", "picking_type_id", "origin_returned_move_id", "warehouse_id", "create_uid",
            "write_uid", "priority", "state", "origin", "procure_method", "inventory_name", "reference",
            "product_qty", "product_uom_qty", "quantity", "picked", "propagate_cancel", "is_inventory",
            "additional", "date", "create_date", "write_date", "price_unit", "value", "to_refund", "is_in",
            "is_out", "is_dropship", "purchase_line_id", "sale_line_id"])
        t_ml = _Copy("stock_move_line", [
            "id", "picking_id", "move_id", "company_id", "product_id", "product_uom_id", "location_id",
            "location_dest_id", "create_uid", "write_uid", "state", "quantity", "quantity_product_uom", "picked",
            "is_entire_pack", "date", "create_date", "write_date"])
        for i, move in enumerate(self.moves):
            move.append(mv_id + i)
        for i, move in enumerate(self.moves):
            kind, prod, wh_idx, qty, dt, ref, origin_idx, extra, this_id = move
            pk = pickings[move_picking[i]] if move_picking[i] else None
            loc = stock_loc[wh_idx]
            pol_ref = sol_ref = origin_move = partner = None
            price, is_in, to_refund = prod["cost"], False, True
            inv_name = None
            if kind == "in":
                src, dest, origin, pol_ref, price, is_in = sup, loc, ref["po"]["name"], ref["id"], ref["price"], True
            elif kind == "ret":
                src, dest, origin, pol_ref = loc, sup, ref["po"]["name"], ref["id"]
                origin_move = self.moves[origin_idx][8]
            elif kind == "out":
                src, dest, sol_ref, origin = loc, cust, ref, pk[4][1]
                partner = pk[3]
            else:
                src, dest = (inv, loc) if kind == "inv+" else (loc, inv)
                is_in, origin, inv_name = kind == "inv+", None, extra
            reference = pk[1] if pk else inv_name
            t_mv.add(this_id, 10, company_id, prod["id"], uom_id, src, dest, partner, pk[0] if pk else None,
                     pk[2].id if pk else None, origin_move, self.warehouses[wh_idx].id, uid, uid, "0", "done",
                     origin, "make_to_stock", inv_name, reference, qty, qty, qty, True, False,
                     kind in ("inv+", "inv-"), False, dt, dt, dt, price, round(qty * price, 2), to_refund, is_in,
                     not is_in, False, pol_ref, sol_ref)
            t_ml.add(ml_id + i, pk[0] if pk else None, this_id, company_id, prod["id"], uom_id, src, dest, uid, uid,
                     "done", qty, qty, True, False, dt, dt, dt)
        self.log("moves: %d, move lines: %d" % (t_mv.write(cr), t_ml.write(cr)))

        # --- quants: the net of the simulated history per product and warehouse stock location
        quants = [(k, v) for k, v in self.onhand.items() if v[0]]
        q_id = _reserve_ids(cr, "stock_quant", len(quants))
        next_count = {loc: env["stock.location"].browse(loc)._get_next_inventory_date() for loc in stock_loc}
        t_q = _Copy("stock_quant", [
            "id", "product_id", "company_id", "location_id", "create_uid", "write_uid", "inventory_date", "quantity",
            "reserved_quantity", "inventory_quantity", "inventory_diff_quantity", "inventory_quantity_set",
            "in_date", "create_date", "write_date"])
        for n, ((product_id, wh_idx), (qty, in_date)) in enumerate(sorted(quants)):
            loc = stock_loc[wh_idx]
            t_q.add(q_id + n, product_id, company_id, loc, uid, uid, next_count[loc], qty, 0, 0, 0, False, in_date,
                    in_date, now)
        self.log("quants: %d" % t_q.write(cr))

        env.invalidate_all()
        rules = [{"product_id": pid, "warehouse_id": whs[wh_idx].id, "location_id": stock_loc[wh_idx],
                  "product_min_qty": low, "product_max_qty": high, "trigger": "auto", "company_id": company_id}
                 for pid, wh_idx, low, high in self.rules]
        for start in range(0, len(rules), 2000):
            env["stock.warehouse.orderpoint"].create(rules[start:start + 2000])
            env.flush_all()
        self.log("reordering rules: %d" % len(rules))

        for seq, n in seq_next.items():
            seq.sudo().write({"number_next": n})
        # Planner statistics for every table, as after any bulk load: small tables such as
        # stock_location never reach autovacuum's threshold and would keep default estimates.
        cr.execute("ANALYZE")
        env.invalidate_all()
        env.registry.clear_cache()

    def run(self):
        self.setup()
        self.simulate()
        self.write()
        return summary(self.env)


def summary(env):
    """Counts and sums that identify a generated dataset (used to prove determinism)."""
    cr = env.cr
    cr.execute("""
        SELECT (SELECT count(*) FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pt.is_storable),
               (SELECT count(*) FROM stock_move WHERE state = 'done'),
               (SELECT count(*) FROM stock_move_line WHERE state = 'done'),
               (SELECT coalesce(sum(quantity), 0) FROM stock_move WHERE state = 'done'),
               (SELECT coalesce(sum(value), 0) FROM stock_move WHERE state = 'done'),
               (SELECT count(*) FROM purchase_order WHERE state = 'purchase'),
               (SELECT count(*) FROM sale_order WHERE state = 'sale'),
               (SELECT count(*) FROM stock_picking WHERE state = 'done'),
               (SELECT coalesce(sum(quantity), 0) FROM stock_quant),
               (SELECT count(*) FROM stock_move WHERE state = 'done' AND is_inventory),
               (SELECT count(*) FROM stock_move WHERE state = 'done' AND origin_returned_move_id IS NOT NULL)
    """)
    keys = ("products", "done_moves", "done_move_lines", "moved_qty", "moved_value", "purchase_orders",
            "sale_orders", "done_pickings", "on_hand_qty", "inventory_moves", "vendor_returns")
    return {k: (float(v) if not isinstance(v, int) else v) for k, v in zip(keys, cr.fetchone(), strict=True)}


def generate(env, scale, seed=1, end=None, progress=None, check=True):
    """Fill the database of ``env`` at ``scale``; return the dataset summary."""
    gen = Generator(env, scale, seed=seed, end=end, progress=progress)
    result = gen.run()
    if check:
        from bench.consistency import check_consistency
        problems = check_consistency(env)
        if problems:
            raise AssertionError("generated data is inconsistent:\n" + "\n".join(problems))
        gen.log("consistency checks passed")
    gen.log("done: %s" % result)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scale", type=float)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args(argv)
    import odoo
    from odoo.modules.registry import Registry
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        generate(env, args.scale, seed=args.seed, progress=lambda m: print(m, flush=True))
        cr.commit()


if __name__ == "__main__":
    sys.exit(main())
