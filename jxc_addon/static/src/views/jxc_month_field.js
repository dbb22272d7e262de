import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

// A date that stands for its month (monthly report rows): shown as the month, 2026-11.
export class JxcMonthField extends Component {
    static template = "jxc_addon.JxcMonthField";
    static props = { ...standardFieldProps };

    get formattedValue() {
        const value = this.props.record.data[this.props.name];
        return value ? value.toFormat("yyyy-MM") : "";
    }
}

registry.category("fields").add("jxc_month", {
    component: JxcMonthField,
    displayName: _t("Month"),
    supportedTypes: ["date"],
    listViewWidth: 80,
});
