import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { formatFloat } from "@web/core/utils/numbers";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { JxcTrendChart } from "./jxc_trend_chart";

// 进销存看板: the key figures first, then the 12-month charts, then the other tiles by group
// (buy / stock / count / cost). A tile opens the list behind its number; its chart icon
// opens the same records as a chart.
export class JxcDashboard extends Component {
    static template = "jxc_addon.JxcDashboard";
    static components = { JxcTrendChart };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        // back from a tile's list (breadcrumb): the period chosen before, not the default
        this.state = useState({ period: this.props.state?.period || "month", data: null, loading: false });
        useSetupAction({ getLocalState: () => ({ period: this.state.period }) });
        // a period chosen while another loads: only the last one's figures are shown
        this.keepLast = new KeepLast();
        onWillStart(() => this.load(this.state.period));
    }

    async load(period) {
        const data = await this.keepLast.add(this.orm.call("jxc.dashboard", "get_dashboard_data", [period]));
        this.state.data = data;
        this.state.period = period;
    }

    get keyGroup() {
        return this.state.data.groups.find((group) => group.key === "key");
    }

    get otherGroups() {
        return this.state.data.groups.filter((group) => group.key !== "key");
    }

    async setPeriod(ev) {
        // exports and prints wait for the chosen period's figures: until then they would be
        // the previous period's
        this.state.loading = true;
        try {
            await this.load(ev.target.value);
        } catch (error) {
            ev.target.value = this.state.period; // the period shown is still the previous one
            throw error;
        } finally {
            this.state.loading = false;
        }
    }

    openTile(tile) {
        if (this.state.loading) {
            return; // the tile still shows the previous period's figure: its list would too
        }
        this.actionService.doAction(tile.action);
    }

    onTileKeydown(ev, tile) {
        if (ev.target === ev.currentTarget && (ev.key === "Enter" || ev.key === " ")) {
            ev.preventDefault();
            this.openTile(tile);
        }
    }

    formatPercent(value) {
        return formatFloat(value, { digits: [16, 1] });
    }

    openChart(tileOrChart) {
        if (this.state.loading) {
            return;
        }
        const action = tileOrChart.action;
        const graph = (action.views || []).find(([, type]) => type === "graph");
        if (!graph) {
            this.actionService.doAction(action);
            return;
        }
        const others = action.views.filter(([, type]) => type !== "graph");
        this.actionService.doAction({ ...action, views: [graph, ...others] });
    }

    async exportXlsx() {
        const action = await this.orm.call("jxc.dashboard", "action_export_xlsx", [this.state.period]);
        this.actionService.doAction(action);
    }

    async printSummary() {
        const action = await this.orm.call("jxc.dashboard", "action_print_summary", [this.state.period]);
        this.actionService.doAction(action);
    }

    trendClass(tile) {
        if (!tile.trend || !tile.better) {
            return "text-muted";
        }
        return (tile.trend > 0) === (tile.better === "higher") ? "text-success" : "text-danger";
    }
}

registry.category("actions").add("jxc_dashboard", JxcDashboard);
