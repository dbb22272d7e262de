from . import jxc_stock_valuation
