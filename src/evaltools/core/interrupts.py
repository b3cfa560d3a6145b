"""Ctrl-C that always stops a command: the request is recorded, and checked again at every step.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread happens to be. When
that is a callback (a weakref finaliser during an import, a filter called from native code),
Python only prints "Exception ignored" and carries on: the interrupt was lost and the run
went on to publish. The handler :func:`install` sets raises as Python's does *and* records the
request; :func:`checkpoint`, called at the steps of a run (the kernel started, each cell,
before the outputs are published), raises it again when it was swallowed.

Once the outputs are committed (:func:`settle`) an interrupt has nothing left to stop: it is
recorded, not raised, so the exit code always agrees with what is on disk (130: the old
outputs; 0: the new ones).
"""

from __future__ import annotations

import signal
import threading

_state: dict = {"requested": None, "settled": False}


def install() -> None:
    """Handle Ctrl-C in this process (main thread only; elsewhere nothing is done)."""
    if threading.current_thread() is threading.main_thread():
        _state.update(requested=None, settled=False)
        signal.signal(signal.SIGINT, _on_sigint)


def _on_sigint(signum, frame) -> None:
    request(KeyboardInterrupt)


def request(stop: type[BaseException] = KeyboardInterrupt) -> None:
    """Record a stop and raise it here, unless the outputs are already committed."""
    _state["requested"] = stop
    if not _state["settled"]:
        raise stop()


def checkpoint() -> None:
    """Raise, once, a stop that was requested but swallowed where it landed."""
    stop = _state["requested"]
    if stop is not None and not _state["settled"]:
        _state["requested"] = None
        raise stop()


def begin() -> None:
    """A new piece of work starts (a run's staging): a stop from now on stops it."""
    _state["settled"] = False


def settle() -> None:
    """The outputs are committed: from here on an interrupt is recorded, not raised."""
    _state["settled"] = True
