"""`python -m dashboard.cli` runs `tthc`."""

import sys

from dashboard.cli import main

sys.exit(main())
