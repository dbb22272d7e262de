from . import test_shelf_life_report
from . import test_expiry_alert
from . import test_count_expiry
from . import test_i18n
from . import test_access
from . import test_purchase_plan_expiry
from . import test_count_scan_expiry
from . import test_shelf_life_ui
