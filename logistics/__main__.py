"""Allow ``python -m logistics``."""

import sys

from logistics.cli.main import main

sys.exit(main())
