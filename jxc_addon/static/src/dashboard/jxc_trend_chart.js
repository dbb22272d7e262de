import { Component, onWillStart, onWillUnmount, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { cookie } from "@web/core/browser/cookie";
import { getColor, getCustomColor } from "@web/core/colors/colors";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";

const { DateTime } = luxon;

// One 12-month line of the dashboard, drawn by Chart.js loaded as Odoo's graph view loads it:
// this year solid, the 12 months before dashed; months without a figure are gaps.
export class JxcTrendChart extends Component {
    static template = "jxc_addon.JxcTrendChart";
    static props = { chart: Object, currencyId: Number, onOpen: Function };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
            },
            () => [this.props.chart]
        );
        onWillUnmount(() => this.chart?.destroy());
    }

    // closed months stored by the nightly measure: when it ran (a past document changed since
    // shows the next morning)
    get measuredText() {
        const measuredAt = this.props.chart.measured_at;
        return measuredAt ? _t("Closed months as of %s", formatDateTime(deserializeDateTime(measuredAt))) : "";
    }

    format(value) {
        if (value === null || value === undefined) {
            return "–";
        }
        const type = this.props.chart.type;
        if (type === "monetary") {
            return formatMonetary(value, { currencyId: this.props.currencyId, digits: [16, 0] });
        }
        if (type === "percent") {
            return `${formatFloat(value * 100, { digits: [16, 1] })} %`;
        }
        return formatFloat(value, { digits: [16, 2] });
    }

    renderChart() {
        this.chart?.destroy();
        const { chart } = this.props;
        // the user's light or dark theme, as Odoo's graph view reads it
        const colorScheme = cookie.get("color_scheme");
        const color = getColor(0, colorScheme, "odoo");
        const textColor = getCustomColor(colorScheme, "#111827", "#E4E4E4");
        const gridColor = getCustomColor(colorScheme, "rgba(0,0,0,.1)", "rgba(255,255,255,.15)");
        // the months ("2025-06") in the user's language: "Jun 2025", "2025年6月"
        const monthName = (label, yearsBack = 0) =>
            DateTime.fromISO(`${label}-01`)
                .minus({ years: yearsBack })
                .toLocaleString({ year: "numeric", month: "short" });
        const labels = chart.labels.map((label) => monthName(label));
        const previousLabels = chart.labels.map((label) => monthName(label, 1));
        const datasets = [
            {
                label: _t("Last 12 months"),
                data: chart.current,
                borderColor: color,
                backgroundColor: color,
                tension: 0.2,
                pointRadius: 3,
                spanGaps: false,
            },
            {
                label: _t("Year before"),
                data: chart.previous,
                borderColor: "#9aa0a6",
                backgroundColor: "#9aa0a6",
                borderDash: [6, 4],
                tension: 0.2,
                pointRadius: 2,
                spanGaps: false,
            },
        ];
        this.chart = new Chart(this.canvasRef.el, {
            type: "line",
            data: { labels, datasets },
            options: {
                maintainAspectRatio: false,
                responsive: true,
                animation: false,
                interaction: { mode: "index", intersect: false },
                scales: {
                    x: { ticks: { autoSkip: true, maxRotation: 0, color: textColor }, grid: { color: gridColor } },
                    y: {
                        beginAtZero: true,
                        ticks: { callback: (value) => this.format(value), maxTicksLimit: 5, color: textColor },
                        grid: { color: gridColor },
                        max: chart.type === "percent" ? 1 : undefined,
                    },
                },
                plugins: {
                    legend: { position: "bottom", labels: { boxWidth: 24, color: textColor } },
                    tooltip: {
                        callbacks: {
                            title: (items) => (items.length ? labels[items[0].dataIndex] : ""),
                            label: (item) => {
                                const month =
                                    item.datasetIndex === 0
                                        ? labels[item.dataIndex]
                                        : previousLabels[item.dataIndex];
                                return `${month}: ${this.format(item.raw)}`;
                            },
                        },
                    },
                },
            },
        });
    }
}
