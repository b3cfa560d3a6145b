"""What a run used and made: input files with SHA-256, parameters, versions, times.

The same list feeds ``manifest.json`` (for machines) and the provenance appendix
of the report (for people).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import pandas as pd

from evaltools import __version__
from evaltools.model import units as unitlib
from evaltools.core.iorw import sha256
from evaltools.project.review import Review
from evaltools.store.record import value_files
from evaltools.store.storescope import review_scope

PACKAGES = ("pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbclient", "weasyprint")


def input_files(review: Review, programme=None, values: Iterable[str | Path] | None = None) -> list[dict]:
    """Every file a review reads: role, path (relative to the project), lines, SHA-256.

    ``values`` are the data files the review used (rows in its area and years); None
    lists every file of the store. ``programme`` adds the programme's files.
    """
    root = review.data.parent
    roles = [("review", review.path)]
    roles += [("catalog", review.catalog_dir / name) for name in CATALOG_FILES
              if (review.catalog_dir / name).exists()]
    if programme is not None:
        roles += [("programme", p) for p in programme_files(programme)]
    used = value_files(review.values_dir) if values is None else sorted({Path(v).resolve() for v in values})
    roles += [("values", p) for p in used]
    # A narrative file not written yet is not read (rendering says so); the figures need none.
    roles += [("narrative", p) for p in sorted(set((review.narrative or {}).values())) if p.is_file()]
    out = []
    for role, path in roles:
        data = Path(path).read_bytes()
        out.append({"role": role, "path": relative(Path(path), root), "lines": data.count(b"\n"),
                    "sha256": hashlib.sha256(data).hexdigest()})
    return out


def programme_files(programme) -> list[Path]:
    """The files of a programme that shape its reports (not its notebooks: runs list the one they ran)."""
    files = [programme.folder / "programme.yaml", programme.texts, programme.workbook, programme.indicators,
             programme.style_file("css"), programme.style_file("word")]
    return [f for f in files if f is not None and f.exists()]


def used_files(values: pd.DataFrame, units: pd.DataFrame, review: Review) -> list[str]:
    """The data files holding the review's rows: its area, its years, the year before and its predecessor's."""
    scope = values_in_scope(values.assign(file=values["file"].astype(str)), units, review, columns=["file"])
    return sorted(set(scope["file"]))


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it lies below it, else as it is."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


CATALOG_FILES = ("org_units.yaml", "data_elements.yaml", "indicators.yaml", "periods.yaml", "standards.yaml",
                 "legends.yaml", "validation_rules.yaml")


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def values_in_scope(values: pd.DataFrame, units: pd.DataFrame, review: Review,
                    columns: Iterable[str] = ("element", "period", "unit", "category", "value")) -> pd.DataFrame:
    """The data values a review reads: the rows of its scope (:func:`evaltools.store.storescope.review_scope`)."""
    scope = review_scope(review, units)
    inside = values["unit"].astype(str).isin(scope.units) & values["period"].between(scope.years.start,
                                                                                      scope.years.stop - 1)
    return values.loc[inside, list(columns)]


def fingerprint(review: Review, programme, values: pd.DataFrame, units: pd.DataFrame,
                notebooks: dict[str, Path], parameters: dict) -> dict[str, str]:
    """Hashes of exactly what a run of ``review`` depends on.

    The data values count only inside the review's area and years (and its
    predecessor's and the year before its first: its scope), in a canonical order: a change elsewhere
    in the store does not touch this review, a change inside it always does.
    ``notebooks`` are the notebooks the run executes, by role.
    """
    scope = values_in_scope(values, units, review)
    canonical = scope.astype({"element": str, "unit": str, "category": str}).sort_values(
        ["element", "period", "unit", "category"]).to_csv(index=False, float_format="%.10g")
    files = {"review": review.path, **{f"notebook/{role}": path for role, path in notebooks.items()},
             **{f"programme/{path.name}": path for path in programme_files(programme)},
             **{f"catalog/{name}": review.catalog_dir / name for name in CATALOG_FILES
                if (review.catalog_dir / name).exists()},
             **{f"narrative/{lang}": path for lang, path in (review.narrative or {}).items()}}
    if review.predecessor is not None:
        files["predecessor"] = review.predecessor
    out = {key: sha256(path) for key, path in sorted(files.items())}
    out["values"] = _text_sha(canonical)
    out["parameters"] = _text_sha(json.dumps(parameters, sort_keys=True))
    out["evaltools"] = __version__
    return out


def about(review: Review, units: pd.DataFrame) -> dict:
    """What a run rendered, for people browsing outputs: title, kind, area (code and names), years."""
    rows = unitlib.current_rows(units, review.last_year)
    names = {lang: str(rows.at[review.area, f"name_{lang}"]) for lang in ("vi", "en")} \
        if review.area in rows.index else {}
    return {"title": dict(review.title), "kind": review.kind, "area": review.area, "area_name": names,
            "first_year": review.first_year, "last_year": review.last_year}


def versions() -> dict[str, str]:
    """Versions of evaltools, Python and the packages that shape the report."""
    found = {"evaltools": __version__, "python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def now() -> dt.datetime:
    """The current local time, with its offset."""
    return dt.datetime.now().astimezone()
