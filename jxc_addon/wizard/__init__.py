
from . import jxc_supplier_risk_wizard
from . import jxc_count_import_wizard
from . import jxc_purchase_plan_order
from . import jxc_supplier_standing_wizard
from . import base_partner_merge
from . import bill_to_po_wizard
