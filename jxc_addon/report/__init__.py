from . import jxc_xlsx
from . import jxc_count_accuracy_report
