from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_round

from ..tools.client_defaults import without_client_defaults
from ..tools.sql_array import sql_array
from .jxc_abc_profile import MONETARY_MEASURES
from .product_product import ABC_CLASSES, XYZ_CLASSES


class JxcAbcResult(models.Model):
    """The class of one product in one profile, as of the last computation.

    ``abc_class`` is the class in force: the manual override when there is one, otherwise
    the computed class. A recomputation refreshes the computed figures and never touches
    the override; a product with an override that left the profile's scope (archived, moved
    to another category) keeps its result, without computed class nor figures, until a
    manager clears the override."""

    _name = "jxc.abc.result"
    _description = "ABC/XYZ Classification Result"
    # computed classes follow the ranking (a < b < c), products without movement (n) come last
    _order = "profile_id, computed_class, rank, product_id"
    _check_company_auto = True
    _rec_name = "product_id"

    profile_id = fields.Many2one("jxc.abc.profile", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="profile_id.company_id", store=True, index=True)
    measure = fields.Selection(related="profile_id.measure")
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True, check_company=True)
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, string="Product Category")
    abc_class = fields.Selection(
        ABC_CLASSES, string="Class", compute="_compute_abc_class", store=True, index=True,
        help="The class in force: the manual override if set, otherwise the computed class.",
    )
    computed_class = fields.Selection(
        ABC_CLASSES, readonly=True,
        help="Empty: the last computation did not classify the product (archived, or no longer in the "
        "profile's categories); it keeps its fixed class until that is cleared.",
    )
    xyz_class = fields.Selection(XYZ_CLASSES, string="XYZ Class", readonly=True)
    value = fields.Float(
        string="Measure Value", readonly=True, aggregator="sum", groups="jxc_addon.group_jxc_manager",
        help="The profile's measure over its period: consumption value, revenue and margin in company currency.",
    )
    share = fields.Float(string="Share (%)", readonly=True, aggregator="sum", digits=(16, 4))
    cumulative_share = fields.Float(string="Cumulative Share (%)", readonly=True, aggregator="max", digits=(16, 4))
    rank = fields.Integer(readonly=True, aggregator=None, help="Position in the ranking; 0 for products without movement.")
    demand_qty = fields.Float(
        string="Net Delivered Qty", readonly=True, digits="Product Unit", aggregator="sum",
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    demand_cv = fields.Float(
        string="Demand CV", readonly=True, digits=(16, 4), aggregator="avg",
        help="Coefficient of variation (standard deviation / mean) of the demand per XYZ period; empty where "
        "undefined (no demand on average over the periods: class Z).",
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True)
    override_class = fields.Selection(
        ABC_CLASSES, string="Fixed Class",
        help="A class set by hand that recomputations keep until it is cleared.",
    )
    override_reason = fields.Char(string="Reason for Fixed Class")
    override_user_id = fields.Many2one("res.users", string="Overridden By", readonly=True)
    override_date = fields.Datetime(string="Overridden On", readonly=True)

    _product_profile_uniq = models.Constraint(
        "UNIQUE(profile_id, product_id)", "A product has one result per classification profile."
    )

    @api.depends("computed_class", "override_class")
    def _compute_abc_class(self):
        for result in self:
            result.abc_class = result.override_class or result.computed_class

    @api.constrains("override_class", "override_reason")
    def _check_override_reason(self):
        for result in self:
            if result.override_class and not (result.override_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give a reason for fixing the class of %(product)s by hand (Reason for Fixed Class).",
                        product=result.product_id.display_name,
                    )
                )

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """A total of the measure values and shares within one profile only: each profile has
        its own measure (money in its company's currency, quantities, order lines) and its
        shares add up to 100 % each, so a group spanning profiles (a manager with two companies
        ticked sees both default profiles) has none."""
        total = super()._read_group_select(aggregate_spec, query)
        if aggregate_spec not in ("value:sum", "share:sum"):
            return total
        profile = self._field_to_sql(self._table, "profile_id", query)
        return SQL("(CASE WHEN COUNT(DISTINCT %s) = 1 THEN %s END)", profile, total)

    def write(self, vals):
        if not self.env.su and set(vals) - {"override_class", "override_reason"}:
            raise UserError(
                self.env._("Classification results are computed: only the fixed class and its reason can be changed by hand.")
            )
        if "override_class" not in vals:
            return super().write(vals)
        if vals["override_class"]:
            for result in self:
                if not (vals.get("override_reason", result.override_reason) or "").strip():
                    raise ValidationError(
                        self.env._(
                            "Give a reason for fixing the class of %(product)s by hand (Reason for Fixed Class).",
                            product=result.product_id.display_name,
                        )
                    )
        vals = dict(vals, override_user_id=self.env.uid if vals["override_class"] else False,
                    override_date=fields.Datetime.now() if vals["override_class"] else False)
        if not vals["override_class"]:
            vals["override_reason"] = False
        before = {result.id: (result.abc_class, result.xyz_class) for result in self}
        res = super().write(vals)
        self.sudo()._log_changes(before, "override")
        for profile in self.profile_id:
            profile._sync_product_classes(self.filtered(lambda r, profile=profile: r.profile_id == profile).product_id)
        return res

    # --- computation ---------------------------------------------------------------
    @api.model
    def _store_results(self, profile, result_vals):
        """Write {product_id: vals} for ``profile``: update the existing results in one
        UPDATE, create the new ones in one INSERT, drop the results of products that left
        the scope, and log the real class changes. The override is never touched: the result
        of a product that left the scope with a class fixed by hand stays, emptied of its
        computed class and figures, as only a manager clears a fixed class."""
        self.flush_model()
        # id, product, classes in force and override of the existing results, read in one
        # query (the ORM would fetch them in batches of 1,000 records)
        existing = self.env.execute_query(SQL(
            """SELECT id, product_id, abc_class, xyz_class, override_class IS NOT NULL
                 FROM jxc_abc_result WHERE profile_id = %s""",
            profile.id,
        ))
        date_computed = next((vals["date_computed"] for vals in result_vals.values()), None) or fields.Datetime.now()
        unclassified = {
            "computed_class": False, "xyz_class": False, "value": 0.0, "share": 0.0, "cumulative_share": 0.0,
            "rank": 0, "demand_qty": 0.0, "demand_cv": 0.0,
        }
        before = {}
        to_drop, changes = [], []
        columns = {name: [] for name in ("id", "computed_class", "xyz_class", "value", "share", "cumulative_share",
                                         "rank", "demand_qty", "demand_cv")}
        for result_id, product_id, abc, xyz, fixed in existing:
            vals = result_vals.pop(product_id, None)
            if vals is None:
                if not fixed:
                    # out of the profile's scope now: its classes go, a change as any other
                    to_drop.append(result_id)
                    if abc or xyz:
                        changes.append((product_id, abc, False, xyz, False, False))
                    continue
                vals = unclassified
            before[result_id] = (product_id, abc, xyz)
            columns["id"].append(result_id)
            columns["computed_class"].append(vals["computed_class"] or None)
            columns["xyz_class"].append(vals["xyz_class"] or None)
            columns["value"].append(vals["value"])
            columns["share"].append(float_round(vals["share"], precision_digits=4))
            columns["cumulative_share"].append(float_round(vals["cumulative_share"], precision_digits=4))
            columns["rank"].append(vals["rank"])
            columns["demand_qty"].append(vals["demand_qty"])
            columns["demand_cv"].append(float_round(vals["demand_cv"], precision_digits=4))
        if before:
            # One statement whatever the number of products; the class in force is the
            # override when there is one, as in _compute_abc_class.
            rows = self.env.execute_query(SQL(
                """
                UPDATE jxc_abc_result AS r
                   SET computed_class = v.computed_class,
                       abc_class = COALESCE(r.override_class, v.computed_class),
                       xyz_class = v.xyz_class,
                       value = v.value,
                       share = v.share,
                       cumulative_share = v.cumulative_share,
                       rank = v.rank,
                       demand_qty = v.demand_qty,
                       demand_cv = v.demand_cv,
                       date_computed = %(date_computed)s,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM %(values)s
                 WHERE r.id = v.id
                RETURNING r.id, r.abc_class, r.xyz_class
                """,
                uid=self.env.uid, now=fields.Datetime.now(), date_computed=date_computed,
                values=self._unnest_sql(columns),
            ))
            self.invalidate_model([
                "computed_class", "abc_class", "xyz_class", "value", "share", "cumulative_share", "rank",
                "demand_qty", "demand_cv", "date_computed", "write_uid", "write_date",
            ])
            for result_id, abc, xyz in rows:
                product_id, old_abc, old_xyz = before[result_id]
                if (old_abc or False, old_xyz or False) != (abc or False, xyz or False):
                    changes.append((product_id, old_abc, abc, old_xyz, xyz, False))
        self.browse(to_drop).unlink()
        self.create([
            dict(vals, profile_id=profile.id, product_id=product_id)
            for product_id, vals in result_vals.items()
        ])
        self._create_history(profile, changes, "compute")
        self.env.flush_all()

    def _unnest_sql(self, columns):
        """``unnest(...) AS v(...)`` of {column: list of values} (one list per column, the same
        length), each array cast to the column's own type so that the values are stored
        exactly as an ORM write stores them."""
        arrays = [
            sql_array(values, "int4" if name == "id" else self._fields[name].column_type[1])
            for name, values in columns.items()
        ]
        return SQL("unnest(%s) AS v(%s)", SQL(", ").join(arrays),
                   SQL(", ").join(SQL.identifier(name) for name in columns))

    def _log_changes(self, before, origin):
        """One history row per result whose class or XYZ class really changed."""
        for profile in self.profile_id:
            changes = []
            for result in self.filtered(lambda r, profile=profile: r.profile_id == profile):
                old_abc, old_xyz = before.get(result.id, (False, False))
                if (old_abc or False) == (result.abc_class or False) and (old_xyz or False) == (result.xyz_class or False):
                    continue
                changes.append((result.product_id.id, old_abc, result.abc_class, old_xyz, result.xyz_class,
                                result.override_reason if origin == "override" else False))
            self._create_history(profile, changes, origin)

    @api.model
    def _create_history(self, profile, changes, origin):
        """History rows of ``profile`` for [(product id, old class, new class, old XYZ, new XYZ, reason)]."""
        if changes:
            History = self.env["jxc.abc.history"].sudo()
            # the audit trail's date is the change's, never a user's own default
            History.create(without_client_defaults(History, [{
                "profile_id": profile.id,
                "product_id": product_id,
                "old_class": old_abc or False,
                "new_class": new_abc or False,
                "old_xyz_class": old_xyz or False,
                "new_xyz_class": new_xyz or False,
                "origin": origin,
                "reason": reason or False,
                "user_id": self.env.uid,
            } for product_id, old_abc, new_abc, old_xyz, new_xyz, reason in changes]))

    # --- Excel -------------------------------------------------------------------------
    @api.model
    def _prepare_xlsx_sheets(self, profile):
        """The ranking and a per-class summary; the measure value only for managers."""
        show_value = self.env.user.has_group("jxc_addon.group_jxc_manager")
        measure_type = "monetary" if profile.measure in MONETARY_MEASURES else "float"
        # a delivered quantity of products in different units has no total; amounts and lines do
        value_total = profile.measure != "quantity"
        labels = dict(self._fields["abc_class"]._description_selection(self.env))
        xyz_labels = dict(self._fields["xyz_class"]._description_selection(self.env))
        columns = [
            {"title": self.env._("Rank"), "type": "int", "width": 8},
            {"title": self.env._("Internal Reference"), "type": "char", "width": 16},
            {"title": self.env._("Product"), "type": "char", "width": 36},
            {"title": self.env._("Category"), "type": "char", "width": 22},
        ]
        if show_value:
            columns.append({"title": self.env._("Value"), "type": measure_type, "total": value_total})
        columns += [
            {"title": self.env._("Share"), "type": "percent"},
            {"title": self.env._("Cumulative Share"), "type": "percent"},
            {"title": self.env._("Computed Class"), "type": "char", "width": 12},
            {"title": self.env._("Fixed Class"), "type": "char", "width": 12},
            {"title": self.env._("Class"), "type": "char", "width": 10},
            {"title": self.env._("XYZ Class"), "type": "char", "width": 10},
            # the X/Y limits are 0.5 and 1.0: a CV of 0.4996 is not 0.50
            {"title": self.env._("Demand CV"), "type": "float", "digits": 4},
            # no total: the products' quantities are in different units
            {"title": self.env._("Net Delivered Qty"), "type": "float"},
            {"title": self.env._("Unit"), "type": "char", "width": 10},
        ]
        rows = []
        summary = {code: [0, 0.0, 0.0] for code in labels}  # class: [products, value, share]
        for (rank, default_code, name, category, value, share, cumulative_share, computed_class, override_class,
             abc_class, xyz_class, demand_cv, demand_qty, unit) in self._get_xlsx_rows(profile, show_value):
            row = [rank or None, default_code or "", name, category or ""]
            if show_value:
                row.append(value or 0.0)
            row += [
                share / 100.0,
                cumulative_share / 100.0,
                labels.get(computed_class, ""),
                labels.get(override_class, ""),
                labels.get(abc_class, ""),
                xyz_labels.get(xyz_class, ""),
                # undefined (no demand on average: a Z stored with 0) is empty, as on screen
                demand_cv if xyz_class and (demand_cv or xyz_class != "z") else None,
                demand_qty,
                unit,
            ]
            rows.append(row)
            if abc_class in summary:
                summary[abc_class][0] += 1
                summary[abc_class][1] += value or 0.0
                summary[abc_class][2] += share
        summary_columns = [
            {"title": self.env._("Class"), "type": "char", "width": 16},
            {"title": self.env._("Products"), "type": "int", "total": True},
        ]
        if show_value:
            summary_columns.append({"title": self.env._("Value"), "type": measure_type, "total": value_total})
        summary_columns.append({"title": self.env._("Share"), "type": "percent", "total": True})
        summary_rows = []
        for code, label in labels.items():
            count, value, share = summary[code]
            row = [label, count]
            if show_value:
                row.append(value)
            row.append(share / 100.0)
            summary_rows.append(row)
        return [
            {"title": self.env._("Ranking"), "columns": columns, "rows": rows},
            {"title": self.env._("Summary"), "columns": summary_columns, "rows": summary_rows},
        ]

    @api.model
    def _get_xlsx_rows(self, profile, show_value):
        """The ranking's rows in one query, in the list's order and under the user's record
        rules (reading 20,000 results and their products through the ORM takes seconds):
        (rank, internal reference, product, category, value or None, share, cumulative share,
        computed class, fixed class, class, XYZ class, demand CV, net delivered qty, unit), the
        numbers rounded to their fields' digits as the ORM reads them. A variant is named as
        the screen names it ("T-Shirt (Red)")."""
        # read past the ORM: what it holds and has not written yet (a class fixed just now) first
        self.flush_model()
        query = self._search([("profile_id", "=", profile.id)], order=self._order)
        product = query.left_join(self._table, "product_id", "product_product", "id", "product_id")
        category = query.left_join(self._table, "categ_id", "product_category", "id", "categ_id")
        Product = self.env["product.product"]

        def number(fname):
            column = SQL.identifier(self._table, fname)
            digits = self._fields[fname].get_digits(self.env)
            return SQL("ROUND(%s::numeric, %s)::float8", column, digits[1]) if digits else column

        rows = self.env.execute_query(query.select(
            SQL.identifier(self._table, "rank"),
            Product._field_to_sql(product, "default_code", query),
            Product._field_to_sql(product, "name", query),
            self.env["product.category"]._field_to_sql(category, "complete_name", query),
            SQL.identifier(self._table, "value") if show_value else SQL("NULL"),
            number("share"),
            number("cumulative_share"),
            SQL.identifier(self._table, "computed_class"),
            SQL.identifier(self._table, "override_class"),
            SQL.identifier(self._table, "abc_class"),
            SQL.identifier(self._table, "xyz_class"),
            number("demand_cv"),
            number("demand_qty"),
            Product._field_to_sql(product, "uom_id", query),
            SQL.identifier(self._table, "product_id"),
            Product._field_to_sql(product, "combination_indices", query),
        ))
        # the variants' names from the ORM (their attribute values), the others' as read
        variants = Product.browse([row[-2] for row in rows if row[-1]]).with_context(display_default_code=False)
        names = {variant.id: variant.display_name for variant in variants}
        uoms = self.env["uom.uom"].sudo().browse({row[-3] for row in rows if row[-3]})
        units = {uom.id: uom.display_name for uom in uoms}
        return [(*row[:2], names.get(row[-2], row[2]), *row[3:-3], units.get(row[-3], "")) for row in rows]

    @api.model
    def _action_export_xlsx(self, profile):
        profile.check_access("read")
        if profile.settings_changed:
            # the sheet's heading states the measure and cut-offs the classes were computed with
            raise UserError(self.env._(
                "The settings of profile %(profile)s changed since its last computation: compute it again "
                "(Compute now) before exporting its ranking.", profile=profile.name))
        measure = dict(profile._fields["measure"]._description_selection(self.env))[profile.measure]
        filters = [
            (self.env._("Profile"), profile.name),
            (self.env._("Measure"), measure),
            (profile._fields["include_production"]._description_string(self.env),
             self.env._("Yes") if profile.include_production else self.env._("No")),
            (self.env._("Period"), "%s .. %s" % (profile.period_start or "", profile.period_end or "")),
            (self.env._("Cut-offs"), "A %s %% / B %s %%" % (profile.cutoff_a, profile.cutoff_b)),
        ]
        if profile.warehouse_id:
            filters.append((self.env._("Warehouse"), profile.warehouse_id.name))
        return self.env["jxc.xlsx"]._action_download(
            "abc_ranking_%s.xlsx" % profile.id,
            self.env._("ABC/XYZ Ranking"),
            self._prepare_xlsx_sheets(profile),
            filters=filters,
            company=profile.company_id,
        )
