"""Advisory locks on folders: many readers or one writer, held by open folders, released by death.

A lock is ``flock`` on the folder itself (opened read-only), so it needs no lock file,
works in a read-only folder and disappears with the process that held it, however it
ended: a killed import never leaves the store locked. Locks are re-entrant within a
process (an import that holds the store for writing reads it without locking again),
and a forked child shares its parent's lock.

``EVALTOOLS_LOCK_WAIT`` (seconds, default 600) bounds how long a command waits for
another one to finish with the folder before it gives up with one line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, display_path

try:
    import fcntl
except ImportError:  # not POSIX: no locks (evaltools runs on Linux; this keeps imports working elsewhere)
    fcntl = None  # type: ignore[assignment]

WAIT_SETTING = "EVALTOOLS_LOCK_WAIT"
SHARED, EXCLUSIVE = 1, 2
_held: dict[tuple[int, int], int] = {}     # (device, inode) of a locked folder -> mode held by this process


def _wait_limit() -> float:
    try:
        return float(os.environ.get(WAIT_SETTING, "600"))
    except ValueError:
        raise EvaltoolsError(f"{WAIT_SETTING}={os.environ[WAIT_SETTING]!r}: expected a number of seconds") from None


def _acquire(fd: int, mode: int, folder: Path, waiting_for: str) -> None:
    flag = fcntl.LOCK_EX if mode == EXCLUSIVE else fcntl.LOCK_SH
    deadline, told = time.monotonic() + _wait_limit(), False
    while True:
        try:
            fcntl.flock(fd, flag | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise EvaltoolsError(f"{display_path(folder)}: still in use by {waiting_for} after {_wait_limit():g} s; "
                                 f"nothing was changed; try again when it has finished (or raise {WAIT_SETTING})")
        if not told:
            print(f"evaltools: waiting for {waiting_for} to finish with {display_path(folder)} ...", file=sys.stderr)
            told = True
        time.sleep(0.1)


@contextlib.contextmanager
def locked(folder: str | Path, mode: int, waiting_for: str = "another evaltools command") -> Iterator[None]:
    """Hold a shared (``SHARED``) or exclusive (``EXCLUSIVE``) lock on ``folder``.

    Raises
    ------
    EvaltoolsError
        When the lock is not had within ``EVALTOOLS_LOCK_WAIT`` seconds.
    """
    folder = Path(folder)
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    key = (os.fstat(fd).st_dev, os.fstat(fd).st_ino)
    if _held.get(key, 0) >= mode:
        os.close(fd)
        yield
        return
    if key in _held:
        os.close(fd)
        raise RuntimeError(f"{folder}: cannot upgrade a shared lock to an exclusive one")
    try:
        _acquire(fd, mode, folder, waiting_for)
        _held[key] = mode
        yield
    finally:
        if _held.get(key) == mode:
            del _held[key]
        os.close(fd)                    # closing the last descriptor releases the lock


def held(folder: str | Path) -> int:
    """The lock this process holds on ``folder`` (0 none, ``SHARED`` or ``EXCLUSIVE``)."""
    try:
        info = os.stat(folder)
    except OSError:
        return 0
    return _held.get((info.st_dev, info.st_ino), 0)


def try_exclusive(folder: Path) -> int | None:
    """An exclusive lock on ``folder`` if nobody holds one, as a descriptor to close; else None."""
    if fcntl is None:
        return os.open(folder, os.O_RDONLY)
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        os.close(fd)
        return None


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and SIGTERM until the block ends, then deliver them.

    For the few milliseconds of applying a committed journal: the step would be
    completed by the next command anyway, but finishing it now leaves nothing to recover.
    Only the main thread can set handlers; elsewhere this does nothing.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: pending.append(signum))
                for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(pending):
            signal.raise_signal(s)
