"""One-page monthly 进销存 summary (QWeb PDF): the dashboard's KPIs and top / bottom lists."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.company_day import local_midnight_utc

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
            today = self.env["jxc.inventory.snapshot"]._company_today(self.env.company)
            date_from = today.replace(day=1) - relativedelta(months=1)
        return date_from, date_from + relativedelta(months=1)

    @api.model
    def _get_report_values(self, docids, data=None):
        self.env["jxc.inventory.snapshot"].check_access("read")
        company = self.env.company
        date_from, date_to = self._get_month(data)
        dashboard = self.env["jxc.dashboard"]
        kpis = [
            {**kpi, "display": dashboard._format_value(kpi["value"], kpi["type"], company)}
            for kpi in dashboard._get_kpis(company, date_from, date_to)
        ]
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
            "kpis": kpis,
            "best_sellers": [
                {"product": p.display_name, "quantity": qty, "revenue": revenue, "margin": margin}
                for p, qty, revenue, margin in best
            ],
            "slowest": slowest,
            "dead": dead,
            "currency": company.currency_id,
            "printed": date.today(),
        }
