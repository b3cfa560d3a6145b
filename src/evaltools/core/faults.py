"""Deterministic fault injection at each write step, for the crash tests.

Every step that changes files on disk calls :func:`point` with the step's name. In
normal use that is one dictionary look-up. Two environment variables turn it on:

``EVALTOOLS_FAULT=<action>:<step>[#<n>]`` or ``<action>:<step>@<end of a path>``
    At the ``n``-th time (default: the first) the process reaches ``step`` (or the first
    time it reaches ``step`` about to change a path that ends so, when how many times it
    reached ``step`` before depends on the machine: a cache written or not), do
    ``action``: ``kill`` (SIGKILL itself: no clean-up, no ``finally``, like a power
    cut for everything above the disk), ``enospc`` (raise "No space left on device"
    for the file being written, like a full disk), ``raise`` (an unexpected
    exception, as a bug would raise), ``pause`` (sleep ``EVALTOOLS_FAULT_PAUSE``
    seconds, default 3) or ``wait`` (write ``step#n`` to the file ``EVALTOOLS_FAULT_MARK``,
    then wait until a signal arrives or the mark is removed, at most ``EVALTOOLS_FAULT_PAUSE``
    seconds, default 120: a test sends Ctrl-C exactly there, or starts another command at a
    known moment and then lets this one go on).
``EVALTOOLS_FAULT_TRACE=<file>``
    Append ``step#n<TAB>path`` to the file at every step reached, so that a test can
    list the steps of a command (and what each is about to change) and then kill it
    at each one.

Only the process that read the variables first acts on them (``EVALTOOLS_FAULT_PID``,
set by the command line): kernels and helper processes inherit the environment but
never fire, so "kill the command at step X" means exactly that process. With
``EVALTOOLS_FAULT_WORKERS=1`` a batch's worker processes fire too (:func:`adopt`): the
steps of a review rendered by a batch happen there.
"""

from __future__ import annotations

import errno
import os
import select
import signal
import time
from collections import Counter

FAULT, TRACE, OWNER = "EVALTOOLS_FAULT", "EVALTOOLS_FAULT_TRACE", "EVALTOOLS_FAULT_PID"
MARK, WORKERS = "EVALTOOLS_FAULT_MARK", "EVALTOOLS_FAULT_WORKERS"
_reached: Counter = Counter()


def arm() -> None:
    """Make this process the one whose steps fire (called by the command line at start)."""
    if os.environ.get(FAULT) or os.environ.get(TRACE):
        os.environ.setdefault(OWNER, str(os.getpid()))


def adopt() -> None:
    """In a batch's worker: make its steps fire too, when ``EVALTOOLS_FAULT_WORKERS`` asks for it."""
    if os.environ.get(WORKERS) and (os.environ.get(FAULT) or os.environ.get(TRACE)):
        os.environ[OWNER] = str(os.getpid())


def point(step: str, path: str | os.PathLike | None = None) -> None:
    """Mark that this process reached ``step`` (about to change ``path``); fire a fault set for it."""
    spec, trace = os.environ.get(FAULT), os.environ.get(TRACE)
    if not (spec or trace) or os.environ.get(OWNER, str(os.getpid())) != str(os.getpid()):
        return
    _reached[step] += 1
    here = f"{step}#{_reached[step]}"
    if trace:
        with open(trace, "a", encoding="utf-8") as fh:
            fh.write(f"{here}\t{os.fspath(path) if path is not None else ''}\n")
    if not spec:
        return
    action, _, target = spec.partition(":")
    target, at, ending = target.partition("@")
    if at:
        if target != step or path is None or not os.fspath(path).endswith(ending) or _reached[spec] > 0:
            return
        _reached[spec] += 1
    elif target not in (here, step if _reached[step] == 1 else here):
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path) if path is not None else None)
    elif action == "raise":
        raise RuntimeError(f"fault injected at {here}")
    elif action == "pause":
        time.sleep(float(os.environ.get("EVALTOOLS_FAULT_PAUSE", "3")))
    elif action == "wait":
        _wait_for_signal(f"{here}\t{os.fspath(path) if path is not None else ''}",
                         float(os.environ.get("EVALTOOLS_FAULT_PAUSE", "120")))


def _wait_for_signal(here: str, seconds: float) -> None:
    """Say (atomically, in the mark file) that ``here`` (step and path) is reached; then wait for a signal or the
    mark's removal.

    The wait ends when any signal arrives, also one whose handler only holds it for later (a step of
    publishing): Python writes every signal to the wake-up descriptor. Its handler, when it raises,
    raises here.
    """
    mark = os.environ[MARK]
    woken, wake = os.pipe()
    os.set_blocking(wake, False)
    try:
        previous = signal.set_wakeup_fd(wake)     # before the mark: a signal sent once it is read is seen
    except ValueError:                            # not the main thread: no signal is handled here anyway
        previous = None
    try:
        with open(f"{mark}.{os.getpid()}", "w", encoding="utf-8") as fh:
            fh.write(f"{here}\n")
        os.replace(f"{mark}.{os.getpid()}", mark)
        end = time.monotonic() + seconds
        while os.path.exists(mark) and time.monotonic() < end and not select.select([woken], [], [], 0.05)[0]:
            pass
    finally:
        if previous is not None:
            signal.set_wakeup_fd(previous)
        os.close(woken)
        os.close(wake)
