"""Errors a user can act on, each carrying where the problem is, and the one-line messages for the rest.

The contract of the command line: every failure the user can act on ends the command
with one line on stderr (more lines only to list several problems of an input, one
each) naming the file, the row or cell or key, and what to do; exit code 1. A usage
error (an unknown option) is argparse's, exit code 2. No Python traceback reaches the
user for any input or fault; ``evaltools --debug`` shows it.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
import difflib

HANDLED = 1       # exit code of a handled failure: bad input, refused data, a fault on disk
USAGE = 2         # exit code of a usage error (argparse's own)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    Attributes
    ----------
    file : str
        Path of the input as the user named it.
    line : int or None
        1-based line (CSV: the line in the file, header is line 1) or row.
    field : str or None
        Column or YAML key.
    message : str
        What was expected and what was found.
    """

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        # a YAML file has keys, a table (CSV, a sheet) columns
        kind = "key" if self.file.split("[")[0].endswith((".yaml", ".yml")) else "column"
        what = f"{kind} '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


class EvaltoolsError(Exception):
    """An error the user can fix; the CLI prints it without a traceback."""

    exit_code = HANDLED


class UsageError(EvaltoolsError):
    """The command was called wrongly (an unknown parameter, options that exclude each other): exit code 2."""

    exit_code = USAGE


class DataQualityError(EvaltoolsError):
    """The data fail validation with high-importance findings (exit code 1, like ``validate``)."""


class FileProblem(EvaltoolsError):
    """A file that cannot be read at all; carries one located :class:`Problem`."""

    def __init__(self, file: str, message: str, line: int | None = None, field: str | None = None):
        self.problem = Problem(file, line, field, message)
        super().__init__(str(self.problem))


class InputError(EvaltoolsError):
    """One or more problems in input files, all reported at once."""

    def __init__(self, problems: list[Problem], limit: int = 50):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            shown.append(f"... and {more} more problem(s)")
        head = f"{len(self.problems)} problem(s) in input:" if len(self.problems) > 1 else ""
        super().__init__("\n".join([head, *shown]) if head else shown[0])


def display_path(path: str | Path) -> str:
    """Return ``path`` relative to the working directory when it lies below it.

    Symbolic links are not followed: the user reads the name they gave (a link that
    points nowhere, or at itself, is named as such).
    """
    p = Path(path)
    try:
        return str(Path(os.path.abspath(p)).relative_to(os.getcwd()))
    except (ValueError, OSError):
        return str(p)


_OS_ADVICE = {
    errno.ENOSPC: ("the disk is full", "free some space and run the command again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and run the command again"),
    errno.EFBIG: ("the file would be larger than this system allows", "free space or raise the file size limit"),
    errno.EACCES: ("permission denied", "check the folder's permissions, or write elsewhere (--out, --data)"),
    errno.EPERM: ("operation not permitted", "check the folder's permissions, or write elsewhere (--out, --data)"),
    errno.EROFS: ("the file system is read-only", "write elsewhere (--out, --data)"),
    errno.EIO: ("input/output error from the disk", "check the disk, then run the command again"),
    errno.ENAMETOOLONG: ("the file name is too long", "use a shorter name or path"),
    errno.EMFILE: ("too many open files", "close other programs and run the command again"),
    errno.EISDIR: ("a folder is where a file should be written", "move the folder away and run the command again"),
    errno.ENOTDIR: ("a file is where a folder belongs", "move the file away and run the command again"),
    errno.EEXIST: ("a file is where a folder belongs", "move the file away and run the command again"),
}


def os_error_line(exc: OSError) -> str:
    """One line for an operating-system failure: the path, what happened, what to do.

    Every write of evaltools goes through a temporary file or a journal, so the line
    can promise that nothing was half-written.
    """
    what, advice = _OS_ADVICE.get(exc.errno, (exc.strerror or type(exc).__name__, "run the command again"))
    where = display_path(exc.filename) + ": " if exc.filename else ""
    return f"{where}{what}; nothing was half-written; {advice}"


def did_you_mean(word: str, choices, n: int = 3, cutoff: float = 0.6) -> str:
    """``"; did you mean a, b?"`` with the choices closest to ``word``, or nothing."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=n, cutoff=cutoff)
    return f"; did you mean {', '.join(close)}?" if close else ""
