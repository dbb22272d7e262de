import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Steps shared by the add-on's tours: from the home screen into the Inventory Control app,
 * then a menu of one of its sections (``section`` and ``menu`` are menu xml ids of jxc_addon).
 */
export function openJxcMenu(section, menu) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="jxc_addon.jxc_menu_root"]',
            run: "click",
        },
        {
            trigger: `.o_main_navbar [data-menu-xmlid="jxc_addon.${section}"]`,
            run: "click",
        },
        {
            trigger: `.dropdown-item[data-menu-xmlid="jxc_addon.${menu}"]`,
            run: "click",
        },
    ];
}

/**
 * Registers the tour ``name`` that starts on the home screen, opens ``section`` > ``menu``
 * (see openJxcMenu) and goes on with the steps ``steps()`` returns.
 */
export function registerJxcMenuTour(name, section, menu, steps) {
    registry.category("web_tour.tours").add(name, {
        url: "/odoo",
        steps: () => [...openJxcMenu(section, menu), ...steps()],
    });
}
