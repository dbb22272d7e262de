from . import jxc_planning_engine
