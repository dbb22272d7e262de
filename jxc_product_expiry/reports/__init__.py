from . import jxc_shelf_life_report
