"""``python -m evaltools``: the command line."""

import sys

from evaltools.cli import main

sys.exit(main())
