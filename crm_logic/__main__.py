"""`python -m crm_logic ...`: see crm_logic/cli.py."""

import sys

from crm_logic.cli import main

sys.exit(main())
