"""The project folder: where the data, the programmes and the outputs are.

A project is a folder with a small file ``evaltools.yaml`` at its root, found the way
dbt and Quarto find theirs: from the working folder upwards, or named with
``--project DIR`` (or the ``EVALTOOLS_PROJECT`` environment variable). Its keys, all
optional, name the folders relative to the root::

    data: data                # catalog/, values/, reviews/
    programmes: programmes    # one folder per programme (notebooks, texts, style)
    outputs: outputs          # rendered reviews

A review is named by its config path or by its id (``data/reviews/<id>.yaml``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, UsageError, did_you_mean, display_path
from evaltools.core.yamlio import load_yaml

PROJECT_FILE = "evaltools.yaml"
ENV_VAR = "EVALTOOLS_PROJECT"
_KEYS = ("name", "data", "programmes", "outputs")


@dataclass(frozen=True)
class Project:
    """A project's root and its folders (absolute paths)."""

    root: Path
    data: Path
    programmes: Path
    outputs: Path
    name: str = ""

    @property
    def reviews(self) -> Path:
        """Folder of the review configs."""
        return self.data / "reviews"

    def review_ids(self) -> list[str]:
        """Ids of the review configs in ``data/reviews/``."""
        return review_ids(self.reviews)


def _load(root: Path) -> Project:
    file = root / PROJECT_FILE
    raw = load_yaml(file) or {}
    if not isinstance(raw, dict):
        raise EvaltoolsError(f"{display_path(file)}: expected keys such as data, programmes, outputs")
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        hint = did_you_mean(unknown[0], _KEYS)
        raise EvaltoolsError(f"{display_path(file)}: unknown key(s) {', '.join(unknown)}{hint}; "
                             f"expected {', '.join(_KEYS)}")
    folder = {key: (root / str(raw.get(key) or key)).resolve() for key in ("data", "programmes", "outputs")}
    return Project(root=root, name=str(raw.get("name") or root.name), **folder)


def find_project(start: str | Path | None = None, explicit: str | Path | None = None) -> Project:
    """The project named by ``explicit`` (or ``$EVALTOOLS_PROJECT``), else the first folder from
    ``start`` (default: the working folder) upwards that holds ``evaltools.yaml``.

    Raises
    ------
    EvaltoolsError
        When no project is found, saying how to name one.
    """
    named = explicit or os.environ.get(ENV_VAR)
    if named:
        root = Path(named).resolve()
        if not (root / PROJECT_FILE).is_file():
            raise EvaltoolsError(f"{display_path(root)}: not an evaltools project (no {PROJECT_FILE} there)")
        return _load(root)
    here = Path(start or Path.cwd()).resolve()
    found = _search(here)
    if found is None:
        raise EvaltoolsError(f"no evaltools project here: no {PROJECT_FILE} in {display_path(here)} or above; "
                             "run from a project folder or name one with --project DIR")
    return found


def project_folder(given: Path | None, key: str) -> Path:
    """A folder option as given, else the project's folder ``key`` (``data``, ``programmes``, ``outputs``),
    else ``./<key>`` when no project is found and none was named (``--project``, :data:`ENV_VAR`)."""
    if given is not None:
        return given
    try:
        return getattr(find_project(), key)
    except EvaltoolsError:
        if os.environ.get(ENV_VAR):
            raise
        return Path(key)


def _search(here: Path) -> Project | None:
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return _load(folder)
    return None


def project_of(path: str | Path) -> Project | None:
    """The project whose folder holds ``path`` (a review config, a notebook), or None."""
    return _search(Path(path).resolve().parent)


def review_ids(reviews: Path) -> list[str]:
    """Ids of the review configs in the folder ``reviews``."""
    return sorted(p.stem for p in reviews.glob("*.yaml")) if reviews.is_dir() else []


def batch_reviews(reviews: list, select: list | None) -> list:
    """The reviews a batch names; none named with ``--select``: every review config of the project (as dbt
    selects among a project's models)."""
    if reviews:
        return reviews
    if not select:
        raise UsageError("batch: name the reviews (REVIEW ...) or select among the project's (--select PATTERN)")
    folder = project_folder(None, "data") / "reviews"
    return [folder / f"{name}.yaml" for name in review_ids(folder) if not name.startswith(".")]


def review_in(reviews: Path, ref: str) -> Path:
    """The config of review id ``ref`` in the folder ``reviews``; refused with the closest ids."""
    candidate = reviews / f"{ref}.yaml"
    if candidate.is_file():
        return candidate
    ids = review_ids(reviews)
    hint = did_you_mean(ref, ids) or (f"; reviews there: {', '.join(ids)}" if ids else "")
    raise EvaltoolsError(f"no review {str(ref)!r}: {display_path(candidate)} not found{hint}")
