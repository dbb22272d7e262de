from . import jxc_xlsx
from . import jxc_turnover_report
from . import jxc_stock_aging_report
from . import jxc_dead_stock_report
from . import jxc_sales_report
from . import jxc_purchase_cost_report
from . import jxc_monthly_summary
from . import jxc_count_accuracy_report
