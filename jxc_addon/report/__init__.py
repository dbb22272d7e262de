from . import jxc_xlsx
