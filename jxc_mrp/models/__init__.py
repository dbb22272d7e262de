from . import jxc_planning_engine
from . import jxc_service_level
from . import jxc_stock_valuation
from . import jxc_supplier_period
from . import mrp_bom
from . import sale_order
