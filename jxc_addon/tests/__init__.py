from . import test_flow
from . import test_settings
from . import test_lead_time
from . import test_ui
from . import test_demo
from . import test_xlsx
from . import test_abc_textbook
from . import test_abc_measures
