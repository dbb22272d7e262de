
from . import jxc_supplier_risk_wizard
