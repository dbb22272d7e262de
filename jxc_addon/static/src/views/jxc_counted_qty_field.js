import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { FloatField } from "@web/views/fields/float/float_field";
import {
    CountedQuantityWidgetField,
    countedQuantityWidgetField,
} from "@stock/widgets/counted_quantity_widget";

const formatFloatValue = Object.getOwnPropertyDescriptor(FloatField.prototype, "formattedValue").get;

/**
 * The counted quantity of a count line: Odoo's counted_quantity_widget (Physical Inventory)
 * on the line's flag ``counted_qty_set`` instead of the quant's ``inventory_quantity_set``.
 *
 * An uncounted line holds 0 but shows an empty box. Typing a quantity, also 0, sets the flag,
 * which the web client sends even when the quantity did not change: Enter, Tab or leaving the
 * box then saves a count. An empty box is no quantity: clearing the box of a counted line
 * keeps its count (with a warning), clearing what was typed on an uncounted line leaves it
 * uncounted.
 */
export class JxcCountedQtyField extends CountedQuantityWidgetField {
    setup() {
        super.setup();
        this.notification = useService("notification");
    }

    get isEntered() {
        return this.props.record.data.counted_qty_set;
    }

    isBlank(value) {
        return !value.trim();
    }

    onInput(ev) {
        const { record } = this.props;
        const entered = !this.isBlank(ev.target.value) || record.data.is_counted;
        if (entered !== this.isEntered) {
            return record.update({ counted_qty_set: entered });
        }
    }

    onBlur(ev) {
        this.updateValue(ev);
    }

    updateValue(ev) {
        // Odoo's widget writes the quantity on each Enter, Tab and blur. Only a count being
        // entered needs it: a counted line passed through must keep its count time and counter.
        if (this.isEntered && !this.props.record.data.is_counted && !this.isBlank(ev.target.value)) {
            super.updateValue(ev);
        }
    }

    parse(value) {
        if (this.isBlank(value)) {
            if (this.props.record.data.is_counted) {
                this.notification.add(
                    _t("A count cannot be cleared: enter the quantity counted (0 if nothing is there)."),
                    { type: "warning" }
                );
            }
            // no quantity: the count, or the uncounted line, stays as it is
            return this.props.record.data[this.props.name];
        }
        return super.parse(value);
    }

    get formattedValue() {
        // Odoo's widget reads inventory_quantity_set: the float's own formatting, on our flag.
        return this.isEntered ? formatFloatValue.call(this) : "";
    }
}

export const jxcCountedQtyField = {
    ...countedQuantityWidgetField,
    component: JxcCountedQtyField,
    fieldDependencies: [
        { name: "is_counted", type: "boolean" },
        { name: "counted_qty_set", type: "boolean", readonly: false },
    ],
};

registry.category("fields").add("jxc_counted_qty", jxcCountedQtyField);
