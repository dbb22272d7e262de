from . import res_company
from . import res_config_settings
from . import product_product
from . import res_partner
from . import purchase_order_line
from . import jxc_abc_profile
from . import jxc_abc_result
from . import jxc_abc_history
