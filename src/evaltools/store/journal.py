"""A write-ahead (redo) journal: many files changed as one, surviving a kill at any instant.

A change is staged as a folder holding the complete new content of every file it
changes, at the file's path below the target root. :func:`commit` records the list
(with each file's SHA-256) in the folder, flushes everything to the disk and renames
the folder from ``<name>.tmp`` to ``<name>.journal``: that rename is the commit point.
:func:`apply` then moves each file into place by a rename (atomic per file) and
retires the journal. A kill before the commit leaves a ``.tmp`` folder that recovery
discards (the old state); a kill after it leaves a committed journal that recovery
replays (the new state): replay is idempotent, so a kill during a replay is healed by
the next one. The target files stay plain files in place: people read and diff them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from evaltools.core import faults
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.iorw import atomic_write, fsync_dir, fsync_file, sha256

RECORD = ".evaltools-journal.json"
STAGE, COMMITTED, RETIRED = ".tmp", ".journal", ".trash"


@dataclass(frozen=True)
class Entry:
    """One file of a change, by its path below the root (``/``-separated)."""

    path: str
    sha256: str


def files_below(folder: Path) -> list[str]:
    """Relative paths of the regular files below ``folder``, hidden names left out."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def commit(stage: Path, root: Path, files: list[str], remove: list[str] = (), last: str | None = None) -> Path:
    """Commit the staged ``files`` (paths below ``stage``) as the new content of ``root``.

    ``remove`` lists paths below ``root`` to delete with the change; ``last``, a file to
    put in place after all others (a manifest that describes them). Returns the journal.
    """
    assert stage.name.endswith(STAGE), stage
    order = sorted(files, key=lambda f: (f == last, f))
    entries = [Entry(f, sha256(stage / f)) for f in order]
    for entry in entries:
        fsync_file(stage / entry.path)
    for folder in sorted({(stage / e.path).parent for e in entries}, key=lambda p: -len(p.parts)):
        fsync_dir(folder)
    record = {"root": os.path.relpath(root, stage.parent), "committed": time.time_ns(),
              "files": [vars(e) for e in entries], "remove": list(remove)}
    atomic_write(stage / RECORD, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    journal = stage.with_name(stage.name[: -len(STAGE)] + COMMITTED)
    faults.point("journal.commit", journal)
    os.rename(stage, journal)
    fsync_dir(journal.parent)
    faults.point("journal.committed", journal)
    return journal


def read_record(journal: Path) -> dict:
    """The record of a committed journal."""
    try:
        return json.loads((journal / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvaltoolsError(f"{display_path(journal)}: a committed change whose record cannot be read ({exc}); "
                             "move the folder aside and check the files it holds by hand") from None


def apply(journal: Path) -> list[str]:
    """Put a committed journal's files in place and retire it; return the paths written.

    Idempotent: a file already moved (by an earlier, interrupted apply) is checked
    against its recorded SHA-256 instead.
    """
    record = read_record(journal)
    root = (journal.parent / record["root"]).resolve()
    root.mkdir(parents=True, exist_ok=True)
    touched = {root}
    for entry in record["files"]:
        src, dst = journal / entry["path"], root / entry["path"]
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            faults.point("journal.apply", dst)
            os.replace(src, dst)
        elif not dst.is_file() or sha256(dst) != entry["sha256"]:
            raise EvaltoolsError(f"{display_path(journal)}: {display_path(dst)} is neither in the journal nor in "
                                 "place with its recorded content; restore it from a backup")
        touched.add(dst.parent)
    for path in record["remove"]:
        target = root / path
        faults.point("journal.remove", target)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
    for folder in touched:
        fsync_dir(folder)
    retire(journal)
    return [e["path"] for e in record["files"]]


def retire(folder: Path) -> None:
    """Remove a journal or stage folder: renamed out of the way first, so no half-removed one looks live."""
    trash = folder.with_name(folder.name.rsplit(".", 1)[0] + RETIRED)
    faults.point("journal.retire", folder)
    os.rename(folder, trash)
    fsync_dir(folder.parent)
    shutil.rmtree(trash, ignore_errors=True)


def pending(parent: Path, prefix: str) -> list[Path]:
    """Committed journals named ``<prefix>*.journal`` in ``parent``, oldest commit first."""
    journals = [p for p in parent.glob(prefix + "*" + COMMITTED) if p.is_dir()]
    return sorted(journals, key=lambda p: (read_record(p)["committed"], p.name))


def recover(parent: Path, prefix: str) -> list[str]:
    """Replay every committed journal, drop retired ones; return what was replayed (for messages).

    The caller holds the lock that makes it the only writer. Stages (``.tmp``) are the
    caller's to judge: a live process may still be filling one.
    """
    done = []
    for journal in pending(parent, prefix):
        apply(journal)
        done.append(journal.name)
    for trash in parent.glob(prefix + "*" + RETIRED):
        shutil.rmtree(trash, ignore_errors=True)
    return done
