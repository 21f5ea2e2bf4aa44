"""python -m pipeline.cli"""

import sys

from . import entry

sys.exit(entry())
