"""Publishing a run's outputs into ``<out>/<id>/``: all of this run's files or none of them.

A run renders into a stage folder beside the outputs (``<out>/.<id>.XXXX.tmp``, locked
by the process filling it). When everything succeeded the stage is committed as a
journal (:mod:`evaltools.store.journal`) and its files are renamed into ``<out>/<id>/``,
``manifest.json`` last. Files of the folder that this run did not render (a
``report.docx`` made earlier, a note someone put there) are kept and listed, so the
command can say so; ``failed/`` (the notebook of an earlier failed run) is removed
with the commit, since the run now succeeded.

Every command that writes outputs first recovers: it replays a committed journal a
killed run left (the new set) and removes stages whose process is gone (nothing was
published). Commits and recoveries in one outputs folder take turns (an exclusive
lock on that folder), so parallel runs of a batch never interleave their files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evaltools.core import faults, interrupts, locks
from evaltools.store import journal
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.iorw import umask
from evaltools.project.outpaths import review_folder

REMOVED_ON_SUCCESS = ("failed",)
LAST = "manifest.json"


@dataclass
class Stage:
    """A stage being filled, and once published, what changed in the final folder."""

    path: Path
    final: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _stale_stages(out: Path) -> None:
    """Remove stages whose process is gone (their lock is free): nothing of them was published."""
    for stage in out.glob(".*" + journal.STAGE):
        if not stage.is_dir():
            continue
        fd = locks.try_exclusive(stage)
        if fd is not None:
            try:
                shutil.rmtree(stage, ignore_errors=True)
            finally:
                os.close(fd)


def recover_outputs(out: str | Path) -> list[str]:
    """Finish what killed runs left in ``out``: replay committed journals, drop dead stages."""
    out = Path(out)
    if not out.is_dir():
        return []
    if not any(p.name.endswith((journal.COMMITTED, journal.STAGE, journal.RETIRED)) for p in out.glob(".*")):
        return []                       # the common case: nothing to do, no lock taken
    with locks.locked(out, locks.EXCLUSIVE, "another run publishing its outputs"):
        done = journal.recover(out, ".")
        _stale_stages(out)
    return done


def kept_note(result) -> str:
    """What a run's summary line adds about files it did not render (``RunResult.kept`` and ``removed``)."""
    return ((f"; kept from before, not re-rendered: {', '.join(result.kept)}" if result.kept else "")
            + (f"; removed: {', '.join(f + '/' for f in result.removed)} (an earlier failed run)"
               if result.removed else ""))


def _listing(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _check_target(final: Path, files: list[str] = ()) -> None:
    """Refuse, before anything is committed, a target that could not take the files (so no journal gets stuck)
    or that a symbolic link takes out of the outputs folder."""
    review_folder(final.parent, final.name)
    if final.exists() and not final.is_dir():
        raise EvaltoolsError(f"{display_path(final)}: is a file, not a folder: the outputs of review {final.name} "
                             "go there; move the file away and run again")
    for name in files:
        if (final / name).is_dir():
            raise EvaltoolsError(f"{display_path(final / name)}: is a folder, where this run writes a file; move it "
                                 "away and run again; nothing was changed")


def publish(stage: Stage) -> None:
    """Commit the stage's files into its final folder (other files kept) and record what changed."""
    out, final = stage.path.parent, stage.final
    files = journal.files_below(stage.path)
    _check_target(final, files)
    remove = [name for name in REMOVED_ON_SUCCESS if (final / name).exists() and name not in files]
    interrupts.checkpoint()             # the last moment a Ctrl-C swallowed earlier can still stop the run
    with locks.locked(out, locks.EXCLUSIVE, "another run publishing its outputs"), locks.deferred_signals():
        journal.recover(out, ".")
        before = _listing(final)
        committed = journal.commit(stage.path, final, files, remove, last=LAST)
        journal.apply(committed)
        interrupts.settle()             # committed: a Ctrl-C held until now has nothing left to stop
    tops = {f.split("/", 1)[0] for f in files}
    stage.written = sorted(tops, key=lambda f: (f == LAST, f))
    stage.removed = remove
    stage.kept = [name for name in before if name not in tops and name not in remove]


@contextlib.contextmanager
def staged_outputs(final: str | Path) -> Iterator[Stage]:
    """Yield an empty, locked stage; when the block succeeds its files are published into ``final``.

    On any exception (Ctrl-C included) the stage is removed and ``final`` is left
    exactly as it was.
    """
    final = Path(final)
    out = final.parent
    out.mkdir(parents=True, exist_ok=True)
    recover_outputs(out)
    _check_target(final)
    faults.point("stage", out)
    try:
        path = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=journal.STAGE, dir=out))
    except OSError as exc:          # name the folder the user chose, not the hidden stage
        raise OSError(exc.errno, exc.strerror, os.fspath(out)) from None
    path.chmod(0o777 & ~umask())
    hold = locks.try_exclusive(path)            # tells recovery in other processes that this stage is alive
    stage = Stage(path, final)
    try:
        yield stage
        publish(stage)
    finally:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
        if hold is not None:
            os.close(hold)
