"""Moved to tests/intake_support.py (a helper module has no test_* name); kept so that tests written
against the old name still import. Import from ``.intake_support``; remove this file once none does."""

from .intake_support import *  # noqa: F401,F403
