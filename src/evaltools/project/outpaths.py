"""Where commands may write: never into a data folder, never through a link that leaves the outputs folder.

Every path a command writes to (``--out``, ``--csv``, ``--save``, the default outputs
folder, a file redirected from stdout) goes through :func:`guard` before the command
starts: resolved (``..`` and symbolic links followed), it must not be a data folder
nor lie inside one (the project's, ``--data``'s, each named review's ``data:``); a
template or a findings file written over ``data/values/cam-lo-2017.csv`` would replace
a year of the store. A review's own folder ``<out>/<id>/`` goes through
:func:`review_folder`: a symbolic link there may point only inside the outputs folder
(else a run would publish into the store, or delete a ``failed/`` folder elsewhere).
A loop of links is refused in one line.
"""

from __future__ import annotations

import argparse
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.project.refs import resolve_review
from evaltools.project.review import load_review

# The options that name where a command writes (dest -> the option as the user typed it).
WRITES = {"out": "--out", "csv": "--csv", "save": "--save"}


def resolved(path: str | Path) -> Path:
    """``path`` absolute, with ``..`` and every symbolic link resolved; a loop of links refused in one line."""
    try:
        return Path(path).resolve()
    except (RuntimeError, OSError):      # Python 3.11 says a loop with RuntimeError, later ones OSError
        raise EvaltoolsError(f"{display_path(path)}: a loop of symbolic links (a link that leads back to itself); "
                             "nothing was written; remove the link") from None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def outside_data(path: str | Path, data_folders: Iterable[Path], what: str) -> Path:
    """``path`` resolved, refused (one line, naming ``what``) when it is a data folder or inside one."""
    target = resolved(path)
    for data in data_folders:
        if _inside(target, resolved(data)):
            given = str(path) if not Path(path).is_absolute() else display_path(path)     # as typed, '..' kept
            where = "" if given == display_path(target) else f" (resolved: {display_path(target)})"
            raise EvaltoolsError(f"{given}: {what} is inside the data folder {display_path(data)}"
                                 f"{where}; outputs never go into the store, which holds only what imports write; "
                                 "nothing was written: choose a path outside it, such as outputs/")
    return target


def review_folder(out: str | Path, review_id: str) -> Path:
    """``<out>/<review_id>``, refused when a symbolic link takes it out of the outputs folder (or loops)."""
    root, folder = resolved(out), Path(out) / review_id
    target = resolved(folder)
    if not _inside(target, root) or target == root:
        raise EvaltoolsError(f"{display_path(folder)}: a symbolic link to {display_path(target)}, outside the outputs "
                             f"folder {display_path(root)}; outputs are written only inside it, never through a "
                             "link that leaves it; nothing was written: remove the link")
    return folder


def data_folders(args: argparse.Namespace, project_data: Path | None) -> list[Path]:
    """The data folders a command must not write into: the project's, ``--data``'s and each named review's."""
    found = [p for p in (project_data, getattr(args, "data", None)) if p is not None]
    refs = list(getattr(args, "reviews", None) or []) + ([args.review] if getattr(args, "review", None) else [])
    for ref in refs:
        try:
            found.append(load_review(resolve_review(ref)).data)
        except EvaltoolsError:
            pass                        # the command itself refuses the config, in its own words
    return found


def guard(args: argparse.Namespace, defaults: dict[str, tuple[Path, str]], project_data: Path | None) -> None:
    """Refuse, before any work, a command whose outputs (options, defaults, stdout) would land in a data folder.

    ``defaults`` gives, by option, the path a command writes to when the option is not
    given and how to name it (``{"out": (project outputs, "the outputs folder")}``).
    """
    folders = data_folders(args, project_data)
    for dest, option in WRITES.items():
        if not hasattr(args, dest):
            continue
        given = getattr(args, dest)
        path, what = (given, option) if given is not None else defaults.get(dest, (None, option))
        if path is not None:
            outside_data(path, folders, what)
    stdout = _stdout_file()
    if stdout is not None:
        outside_data(stdout, folders, "the file the output is redirected to")


def _stdout_file() -> Path | None:
    """The regular file stdout is redirected to (``> file``), where the system says (Linux), else None."""
    try:
        if not stat.S_ISREG(os.fstat(1).st_mode):
            return None
        return Path(os.readlink("/proc/self/fd/1"))
    except OSError:
        return None
