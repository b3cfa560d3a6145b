"""A review's loaded and computed data, handed from ``evaltools run`` to its notebooks.

``run`` reads and checks the store and computes the indicators once, writes the
result here (a pickle in the run's private staging folder) and passes its path to
every notebook as the ``snapshot`` parameter; a notebook opened on its own gets an
empty ``snapshot`` and loads the review itself. Only evaltools writes these files,
and only for the run that reads them.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from evaltools.dataset.context import ReviewData
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.iorw import atomic_write

PROTOCOL = 5


def write_snapshot(data: ReviewData, path: str | Path) -> Path:
    """Write ``data`` to ``path`` (atomically)."""
    return atomic_write(path, pickle.dumps(data, protocol=PROTOCOL))


def read_snapshot(path: str | Path) -> ReviewData:
    """Read a snapshot written by :func:`write_snapshot`."""
    try:
        data = pickle.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise EvaltoolsError(f"{display_path(path)}: snapshot not found") from None
    if not isinstance(data, ReviewData):
        raise EvaltoolsError(f"{display_path(path)}: not an evaltools snapshot")
    return data
