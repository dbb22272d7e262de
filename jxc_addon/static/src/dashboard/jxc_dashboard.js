import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

// 进销存看板: KPI tiles (click = the list behind the number) and 12-month trends.
export class JxcDashboard extends Component {
    static template = "jxc_addon.JxcDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ period: "month", data: null });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("jxc.dashboard", "get_dashboard_data", [this.state.period]);
    }

    async setPeriod(ev) {
        this.state.period = ev.target.value;
        await this.load();
    }

    openTile(tile) {
        this.actionService.doAction(tile.action);
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
        if (!tile.trend) {
            return "text-muted";
        }
        return tile.trend > 0 ? "text-success" : "text-danger";
    }
}

registry.category("actions").add("jxc_dashboard", JxcDashboard);
