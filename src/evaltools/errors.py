"""Errors a user can act on, each carrying where the problem is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
        what = f"column '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


class EvaltoolsError(Exception):
    """An error the user can fix; the CLI prints it without a traceback."""

    exit_code = 2


class DataQualityError(EvaltoolsError):
    """The data fail validation with high-importance findings (exit code 1, like ``validate``)."""

    exit_code = 1


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
    """Return ``path`` relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
