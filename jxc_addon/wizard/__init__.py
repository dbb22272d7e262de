
from . import jxc_count_import_wizard
