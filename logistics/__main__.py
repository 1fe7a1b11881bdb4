"""Allow ``python -m logistics``."""

import sys

from logistics.cli import main

sys.exit(main())
