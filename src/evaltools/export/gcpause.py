"""Python's cycle collector paused while a report is exported.

WeasyPrint builds some hundred thousand boxes and styles for an 18-page report, and nbconvert's
page a few tens of thousands of nodes: the collector's full passes over them cost about a fifth of
the PDF's CPU time (1.2 s of 5.8 s, measured; docs/architecture.md) and free nothing, since the
export's objects are freed by their reference counts when it returns (a ``gc.collect()`` right
after a paused print frees no object).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; it runs again afterwards if it ran before (nested
    pauses keep it paused until the outermost one ends)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
