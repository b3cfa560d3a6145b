"""SHA-256 of many files, remembered by their size and times so that an unchanged file is not read again.

The store is hashed by every command that reads it (to know whether its columnar copy is
current, and for a run's manifest). A national store is hundreds of megabytes: reading it
all for each of 700 reviews would cost more than the reviews. A file's hash is therefore
kept in a small JSON file with its size, inode, modification and change times (to the
nanosecond) and is trusted while all four are unchanged.

A file written in the same clock tick as it was hashed could change again without its
times moving (timestamps are as coarse as the kernel's tick). As git does for its index,
a remembered hash is trusted only when the file was last changed more than
:data:`RACY_SECONDS` before the hash was taken; otherwise the file is read again.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

from evaltools.core.iorw import atomic_write, sha256

RACY_SECONDS = 2.0
_VERSION = 1


def _stamp(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns]


def _load(memo: Path) -> dict:
    try:
        saved = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved.get("files", {}) if isinstance(saved, dict) and saved.get("version") == _VERSION else {}


def hashes(paths: list[Path], memo: Path | None) -> dict[str, str]:
    """``{absolute path: sha256}`` of ``paths``; ``memo`` is the JSON file of remembered hashes
    (None: read every file), updated when it can be written."""
    known = _load(memo) if memo is not None else {}
    out, fresh, now = {}, dict(known), time.time_ns()
    for path in paths:
        key = os.path.abspath(path)
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):     # a pipe or a device would block or never end: the store's
            out[key] = f"not a regular file ({stat.S_IFMT(info.st_mode):o})"   # reader refuses it by name
            continue
        stamp, entry = _stamp(info), known.get(key)
        limit = (entry.get("at", 0) if isinstance(entry, dict) else 0) - RACY_SECONDS * 1e9
        if isinstance(entry, dict) and entry.get("stamp") == stamp and max(stamp[2:]) < limit:
            out[key] = entry["sha256"]
            continue
        out[key] = sha256(path)
        if _stamp(os.stat(path)) == stamp:        # never remember the hash of a file that changed while read
            fresh[key] = {"stamp": stamp, "sha256": out[key], "at": now}
        else:
            fresh.pop(key, None)
    if memo is not None and fresh != known:
        _save(memo, {k: v for k, v in fresh.items() if k in out or os.path.exists(k)})
    return out


def _save(memo: Path, entries: dict) -> None:
    try:
        atomic_write(memo, json.dumps({"version": _VERSION, "files": entries}, sort_keys=True) + "\n")
    except OSError:
        pass        # a folder that cannot be written: hashes are taken again next time, nothing else changes
