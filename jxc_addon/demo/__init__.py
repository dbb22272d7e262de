from . import jxc_demo_loader
