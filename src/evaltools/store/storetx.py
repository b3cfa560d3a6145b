"""Transactions on the data store: one writer at a time, readers see one committed state.

The store is ``<data>/values/*.csv`` and the import log ``<data>/imports.csv``, plain
files in place. An import changes them as one (:mod:`evaltools.store.journal`): it stages
the complete new content of every file it changes, the log included, in
``<data>/.import.tmp/``, commits it (renamed to ``.import.journal``) and applies it.
A kill before the commit changes nothing; after it, the next command that touches
the store completes the import. The log and the values are always in the same state.

Locks (:mod:`evaltools.core.locks`, on the data folder itself): an import holds it
exclusively from reading the store to applying its change; readers share it, so a
run that holds it for its whole length renders one state of the data, and an import
started meanwhile waits for the run to finish.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from evaltools.core import faults, locks
from evaltools.store import columnar, filehash, journal
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.project.refs import resolve_review
from evaltools.project.review import load_review

PREFIX = ".import"
STAGE, JOURNAL = PREFIX + journal.STAGE, PREFIX + journal.COMMITTED
LOG_NAME = "imports.csv"


def recover(data: Path) -> list[str]:
    """Complete a committed import, discard an uncommitted one (the caller holds the lock exclusively)."""
    try:
        done = journal.recover(data, PREFIX)
    except PermissionError as exc:
        raise EvaltoolsError(f"{display_path(data)}: an import was interrupted after it committed and must be "
                             f"completed before the data are read, but the folder cannot be written "
                             f"({exc.strerror}); make it writable and run the command again") from None
    shutil.rmtree(data / STAGE, ignore_errors=True)     # an import killed before committing: nothing to keep
    return done


def _needs_recovery(data: Path) -> bool:
    return any((data / name).exists() for name in (JOURNAL, STAGE, PREFIX + journal.RETIRED))


@contextlib.contextmanager
def reading(data: str | Path) -> Iterator[None]:
    """Hold the store for reading: no import changes it until the block ends.

    A committed import left by a killed process is completed first.
    """
    data = Path(data)
    if not data.is_dir() or locks.held(data):
        yield               # a missing folder: the caller says so; held already: recovered when it was taken
        return
    _tidy(data)
    while True:
        with locks.locked(data, locks.SHARED, "an import writing the data"):
            if not (data / JOURNAL).exists():
                yield
                return
        with locks.locked(data, locks.EXCLUSIVE, "an import writing the data"):
            recover(data)


def _tidy(data: Path) -> None:
    """Remove what a killed import left before committing, when nobody uses the store (never waits for it)."""
    if not _needs_recovery(data) or (data / JOURNAL).exists():
        return                          # nothing to tidy, or a journal: reading() replays it under the lock
    fd = locks.try_exclusive(data)
    if fd is None:
        return
    try:
        journal.recover(data, PREFIX)   # retired journals only: no committed one exists
        shutil.rmtree(data / STAGE, ignore_errors=True)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writing(data: str | Path) -> Iterator[Path]:
    """Hold the store alone (after any reader has finished); yield an empty stage folder.

    The block fills the stage with the new content of the files it changes (paths
    below ``data``) and calls :func:`commit`. An exception leaves the store as it was.
    """
    data = Path(data)
    with locks.locked(data, locks.EXCLUSIVE, "another import, or a run reading the data,"):
        if _needs_recovery(data):
            recover(data)
        stage = data / STAGE
        try:
            stage.mkdir()
        except OSError as exc:      # name the folder the user chose, not the hidden stage
            raise OSError(exc.errno, exc.strerror, os.fspath(data)) from None
        try:
            yield stage
        finally:
            if stage.exists():
                shutil.rmtree(stage, ignore_errors=True)


def commit(data: Path, stage: Path) -> list[str]:
    """Commit and apply the staged files (the import log last); return the paths changed."""
    files = journal.files_below(stage)
    for name in files:      # refused before the commit: a journal that cannot be applied would block every command
        if (data / name).is_dir() or ((data / name).parent.exists() and not (data / name).parent.is_dir()):
            raise EvaltoolsError(f"{display_path(data / name)}: a folder (or a file where a folder belongs) is in "
                                 "the way of the import; move it away and import again; nothing was changed")
    with locks.deferred_signals():
        committed = journal.commit(stage, data, files, last=LOG_NAME)
        return journal.apply(committed)


@contextlib.contextmanager
def snapshot_of(review: str | Path) -> Iterator[dict]:
    """Hold the store of a review (config path or id) for reading; yield its :func:`digest`.

    The block reads the store once (``evaltools run`` then renders from what it read),
    so the digest names the state rendered. An import waits for the block; a hand edit
    cannot be stopped by the lock, so the block fails if the store changed meanwhile.
    """
    data = load_review(resolve_review(review)).data
    with reading(data):
        state = digest(data)
        faults.point("store.snapshot", data)
        yield state
        if digest(data) != state:
            raise EvaltoolsError(f"{display_path(data / 'values')}: the data changed while they were read (a file "
                                 "edited, added or deleted by hand?); nothing was published; run again")


def digest(data: str | Path) -> dict:
    """The store's state as one SHA-256 over its value files and log, for a run's manifest."""
    data = Path(data)
    files = sorted((data / "values").glob("*.csv")) + [p for p in [data / LOG_NAME] if p.is_file()]
    # Remembered by size and times (see evaltools.store.filehash): a national store is not read whole per review.
    shas = filehash.hashes(files, data / columnar.FOLDER / columnar.MEMO if columnar.enabled() else None)
    whole = hashlib.sha256()
    for path in files:
        whole.update(f"{path.relative_to(data).as_posix()}\0{shas[os.path.abspath(path)]}\n".encode())
    return {"sha256": whole.hexdigest(), "files": len(files)}
