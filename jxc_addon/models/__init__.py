from . import res_company
from . import res_config_settings
from . import product_product
from . import res_partner
from . import purchase_order_line
from . import jxc_analysis_mixin
from . import jxc_inventory_snapshot
from . import jxc_dashboard
