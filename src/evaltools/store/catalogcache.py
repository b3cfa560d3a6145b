"""The parsed catalog, kept beside the columnar read copy so that a command does not parse the YAML again.

A national ``org_units.yaml`` (thousands of units) takes seconds to parse with line numbers
(:func:`evaltools.model.catalog.load_catalog` names file and line of every problem), and every
command and every batch worker parsed it again. The parsed frames are kept in
``<data>/.columnar/catalog-<key>.pickle``; the key is a digest of the SHA-256 of every file the
catalog is read from (``org_units.yaml``, ``data_elements.yaml``, ``indicators.yaml``,
``periods.yaml``, a programme's indicators), of the package's vocabulary (English unit names
are made from it) and formats (an indicator's table scale comes from it), of this cache's format and of the versions of evaltools, Python and pandas.
An edited catalog file is another key, so the cache is never stale.

The file starts with a line holding the SHA-256 of the pickled bytes that follow; a file whose
bytes do not match (cut short, overwritten, another format) is ignored, the catalog parsed and
the file written again. It is written through a temporary file and a rename
(:func:`evaltools.core.iorw.atomic_write`): batch workers that start together may each write the
same content, and none reads half a file. A folder that cannot be written only loses the speed-up.
A catalog with problems is never cached: the parse raises its one-line-per-problem error.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import platform
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

import evaltools
from evaltools.core import limits
from evaltools.core.errors import EvaltoolsError
from evaltools.core.iorw import atomic_write
from evaltools.model.catalog import Catalog, catalog_files, load_catalog
from evaltools.project.programme import Programme
from evaltools.project.review import Review
from evaltools.store.columnar import FOLDER

FORMAT = 2                      # 2: indicators carry their table scale (formats.yaml table_scales)
MAGIC = b"evaltools-catalog"
KEEP = 8                        # cached catalogs kept per data folder (several programmes share one catalog)
_PARTS = ("units", "options", "elements", "indicators", "partial_areas")


def cache_key(folder: Path, extra_indicators: Sequence[Path] = ()) -> str:
    """The digest naming the parsed catalog of these files; it changes when any of them does."""
    digest = hashlib.sha256()
    words = [resources.files("evaltools") / "resources" / f for f in ("vocabulary.yaml", "formats.yaml")]
    for part in (MAGIC, str(FORMAT), evaltools.__version__, platform.python_version(), pd.__version__,
                 *(hashlib.sha256(w.read_bytes()).hexdigest() for w in words)):
        digest.update(str(part).encode() + b"\0")
    for role, path in _roles(folder, extra_indicators):
        # read as the parse reads it (a regular file, bounded): a device or a huge file is the parse's to refuse
        data = limits.read_bytes(path, limits.YAML_MB, "a YAML file")
        digest.update(f"{role}\0{hashlib.sha256(data).hexdigest()}\0".encode())
    return digest.hexdigest()[:32]


def _roles(folder: Path, extra_indicators: Sequence[Path]) -> list[tuple[str, Path]]:
    """Each file the catalog is read from, with its role (a file's name in the catalog folder, or
    the position of an extra indicator file): moving content between roles is another catalog."""
    files = catalog_files(folder, extra_indicators)
    inside = len(files) - len(extra_indicators)
    return [(path.name if i < inside else f"extra-{i - inside}", path) for i, path in enumerate(files)]


def cache_path(folder: Path, key: str) -> Path:
    """Where the parsed catalog of ``folder`` (``<data>/catalog``) with this key lives."""
    return Path(folder).parent / FOLDER / f"catalog-{key}.pickle"


def _read(path: Path, folder: Path, extra_indicators: Sequence[Path]) -> Catalog | None:
    """The cached catalog, or None when there is none or it is damaged (never an exception)."""
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        magic, sha = head.split(b" ")
        if magic != MAGIC or sha.decode() != hashlib.sha256(body).hexdigest():
            return None
        parts = pickle.loads(body)      # our own file (checked above), in the user's own data folder
        return Catalog(**{k: parts[k] for k in _PARTS}, files=catalog_files(folder, extra_indicators))
    except Exception:                   # noqa: BLE001 - any damage means: parse the YAML instead
        return None


def _write(path: Path, catalog: Catalog) -> None:
    body = pickle.dumps({k: getattr(catalog, k) for k in _PARTS}, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        atomic_write(path, MAGIC + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    except OSError:
        return                          # a read-only or full data folder: the next command parses again
    _tidy(path)


def _tidy(keep: Path) -> None:
    """Keep the :data:`KEEP` most recent cached catalogs of the folder (older keys are older catalogs)."""
    with contextlib.suppress(OSError):
        found = sorted(keep.parent.glob("catalog-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in found if p != keep][KEEP - 1:]:
            old.unlink(missing_ok=True)


def load_cached(folder: str | Path, extra_indicators: Sequence[Path] = ()) -> Catalog:
    """:func:`evaltools.model.catalog.load_catalog`, from the cache when its files are unchanged.

    Raises
    ------
    InputError
        As :func:`~evaltools.model.catalog.load_catalog`, when the files have problems.
    """
    folder, extra = Path(folder), tuple(Path(p) for p in extra_indicators)
    try:
        path = cache_path(folder, cache_key(folder, extra))
    except (OSError, EvaltoolsError):
        return load_catalog(folder, extra)      # a missing, odd or oversized file: the parse names it
    found = _read(path, folder, extra)
    if found is not None:
        return found
    catalog = load_catalog(folder, extra)
    _write(path, catalog)
    return catalog


def review_catalog(review: Review, programme: Programme | None) -> Catalog:
    """The data catalog, with the programme's own indicators added (cached: :func:`load_cached`)."""
    extra = (programme.indicators,) if programme is not None and programme.indicators else ()
    return load_cached(review.catalog_dir, extra)
