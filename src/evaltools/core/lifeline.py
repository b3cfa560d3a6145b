"""Child processes that die with their parent: kernels and helpers never outlive a killed run.

On Linux the kernel is asked (``prctl(PR_SET_PDEATHSIG)``) to send the child SIGKILL
the moment the thread that started it ends, which covers every way the parent can end,
``kill -9`` included. The check of the parent's pid after the call closes the window
in which the parent died before the request was made. Elsewhere nothing is done (the
kernel's own poller notices a dead parent within a few seconds).

``python -m evaltools.core.lifeline -f <connection file>`` starts an IPython kernel this way.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

PARENT = "EVALTOOLS_KERNEL_PARENT"
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Have this process killed when its parent ends; exit now if the parent already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def helper_init() -> None:
    """Initializer of a forked helper process: dies with its parent; Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def _launch_kernel() -> None:
    parent = os.environ.pop(PARENT, None)
    die_with_parent(int(parent) if parent else None)
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]                     # as ipykernel_launcher: IPython puts the cwd back itself
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    _launch_kernel()
