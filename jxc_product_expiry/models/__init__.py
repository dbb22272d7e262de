from . import res_company
from . import res_config_settings
from . import jxc_expiry_alert
from . import jxc_count_line
from . import jxc_dashboard
from . import jxc_purchase_plan
from . import jxc_count_plan
from . import jxc_planning_engine
