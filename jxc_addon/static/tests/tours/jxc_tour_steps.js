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
