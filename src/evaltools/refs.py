"""Naming a review: by its id (``<data>/reviews/<id>.yaml``) or by its config's path.

One rule for every command that takes a review (``run``, ``batch``, ``validate``,
``indicators``, ``new-review --from``, ``export dhis2``): an existing file is that file; a
name that looks like a path (``.yaml``, a folder in it) must exist (what is there but is
no file, a pipe or a device, is left to the bounded reader to refuse by its kind);
anything else is an id looked up in the data folder's ``reviews/`` (the project's, unless
one is given). A name that matches nothing is refused with the closest names ("did you mean").
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .errors import EvaltoolsError, display_path


def did_you_mean(word: str, choices, n: int = 3, cutoff: float = 0.6) -> str:
    """``"; did you mean a, b?"`` with the choices closest to ``word``, or nothing."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=n, cutoff=cutoff)
    return f"; did you mean {', '.join(close)}?" if close else ""


def review_ids(reviews: Path) -> list[str]:
    """Ids of the review configs in the folder ``reviews``."""
    return sorted(p.stem for p in reviews.glob("*.yaml")) if reviews.is_dir() else []


def review_in(reviews: Path, ref: str) -> Path:
    """The config of review id ``ref`` in the folder ``reviews``; refused with the closest ids."""
    candidate = reviews / f"{ref}.yaml"
    if candidate.is_file():
        return candidate
    ids = review_ids(reviews)
    hint = did_you_mean(ref, ids) or (f"; reviews there: {', '.join(ids)}" if ids else "")
    raise EvaltoolsError(f"no review {str(ref)!r}: {display_path(candidate)} not found{hint}")


def resolve_review(ref: str | Path, data: str | Path | None = None) -> Path:
    """The config of a review named by id or path.

    Parameters
    ----------
    ref : str or path
        A review id (``ct20-2012-2017``) or a config path.
    data : path, optional
        The data folder whose ``reviews/`` holds the ids (default: the project's).

    Raises
    ------
    EvaltoolsError
        When nothing matches; the message names the closest ids or files.
    """
    path = Path(ref)
    if path.is_file():
        return path
    if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
        if path.exists() or path.is_symlink():     # a pipe, a device, a folder: the bounded reader says which
            return path
        siblings = [p.name for p in path.parent.glob("*.y*ml")] if path.parent.is_dir() else []
        raise EvaltoolsError(f"{display_path(path)}: review config not found{did_you_mean(path.name, siblings)}")
    if data is not None:
        return review_in(Path(data) / "reviews", str(ref))
    from .project import find_project

    return review_in(find_project().reviews, str(ref))
