"""Naming a review: by its id (``<data>/reviews/<id>.yaml``) or by its config's path.

One rule for every command that takes a review (``run``, ``batch``, ``validate``,
``indicators``, ``new-review --from``, ``export dhis2``): an existing file is that file; a
name that looks like a path (``.yaml``, a folder in it) must exist (what is there but is
no file, a pipe or a device, is left to the bounded reader to refuse by its kind);
anything else is an id looked up in the data folder's ``reviews/`` (the project's, unless
one is given). A name that matches nothing is refused with the closest names ("did you mean").
"""

from __future__ import annotations

from pathlib import Path

from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.errors import did_you_mean
from evaltools.project.project import find_project, review_in


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
    return review_in(find_project().reviews, str(ref))
