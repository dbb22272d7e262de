"""One-page monthly 进销存 summary (QWeb PDF): the dashboard's KPIs and top / bottom lists."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.company_day import company_today, local_midnight_utc

TOP_N = 10


class ReportJxcMonthlySummary(models.AbstractModel):
    _name = "report.jxc_addon.report_jxc_monthly_summary"
    _description = "JXC Monthly Summary Report"

    @api.model
    def _get_month(self, data):
        """[first day, first day of next month) of the month to print (default: last month)."""
        month = (data or {}).get("month")
        if month:
            date_from = fields.Date.to_date(month).replace(day=1)
        else:
            today = company_today(self.env.company)
            date_from = today.replace(day=1) - relativedelta(months=1)
        return date_from, date_from + relativedelta(months=1)

    @api.model
    def _get_kpi_groups(self, company, date_from, date_to):
        """[{key, title, kpis}]: the dashboard's tiles of the month as its screen lays them out
        (``jxc.dashboard._get_tiles``: the tiles it hides left out, its groups in its order);
        a tile that is a state as of now (``point_in_time``) is marked so in print, where it
        stands under the month's title."""
        dashboard = self.env["jxc.dashboard"]
        tiles = dashboard._get_tiles(company, dashboard._get_kpis(company, date_from, date_to))
        groups = [
            {"key": key, "title": title, "kpis": [tile for tile in tiles if tile["group"] == key]}
            for key, title in dashboard._get_tile_groups()
        ]
        return [group for group in groups if group["kpis"]]

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["jxc.inventory.snapshot"].check_access("read")
        company = self.env.company
        date_from, date_to = self._get_month(data)
        kpi_groups = self._get_kpi_groups(company, date_from, date_to)
        sales = self.env["jxc.sales.report"]
        # the month in the company's days, as the KPIs count it (a plain date on a datetime
        # field would be midnight in the reader's timezone)
        sales_domain = [
            ("company_id", "=", company.id),
            ("date", ">=", local_midnight_utc(company, date_from)), ("date", "<", local_midnight_utc(company, date_to)),
        ]
        by_product = sales._read_group(sales_domain, ["product_id"], ["quantity:sum", "revenue:sum", "margin:sum"])
        best = sorted(by_product, key=lambda row: (-row[2], row[0].display_name))[:TOP_N]
        turnover = self.env["jxc.turnover.report"]
        month_end = date_to - relativedelta(days=1)
        slowest = turnover.search(
            [("company_id", "=", company.id), ("date", "=", month_end), ("average_value", ">", 0)],
            order="turnover asc, average_value desc, id", limit=TOP_N,
        )
        dead = self.env["jxc.dead.stock.report"].search(
            [("company_id", "=", company.id), ("stock_status", "=", "dead")], order="value desc, id", limit=TOP_N,
        )
        return {
            "doc_ids": docids,
            "doc_model": "res.company",
            "docs": company,
            "company": company,
            "month": date_from.strftime("%Y-%m"),
            "kpis": [kpi for group in kpi_groups for kpi in group["kpis"]],
            "kpi_groups": kpi_groups,
            "best_sellers": [
                {"product": p.display_name, "quantity": qty, "uom": p.uom_id.name, "revenue": revenue, "margin": margin}
                for p, qty, revenue, margin in best
            ],
            "slowest": slowest,
            "dead": dead,
            "currency": company.currency_id,
        }
