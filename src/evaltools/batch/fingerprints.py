"""Which jobs are up to date: their fingerprint equals the one in their last good manifest.

The fingerprint is :func:`evaltools.store.manifest.fingerprint`, the same hashes ``evaltools
run`` writes into ``manifest.json``. A batch loads each data root's catalog once
(:class:`DataCache`) and, for each review, reads only the review's scope of the store
(its area and years, :mod:`evaltools.store.storescope`), as the review's run reads it: the
planner of a national batch never holds the whole store (~1 GB for ~700 districts).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from evaltools.store import manifest
from evaltools.model.catalog import Catalog
from evaltools.store.catalogcache import load_cached
from evaltools.project.review import Review, load_review
from evaltools.store.load import load_values
from evaltools.store.storescope import partition_keys, review_scope
from evaltools.project.programme import review_programme
from evaltools.project.params import check_overrides, fingerprint_parameters
from evaltools.render.run import notebooks_of


class DataCache:
    """Catalogs per data root, each loaded once; data values read per review, within its scope."""

    def __init__(self) -> None:
        self._catalogs: dict[Path, Catalog] = {}
        self._keys: dict[Path, object] = {}

    def catalog(self, root: Path) -> Catalog:
        """The catalog of the data root ``root``."""
        root = Path(root).resolve()
        if root not in self._catalogs:
            self._catalogs[root] = load_cached(root / "catalog")
        return self._catalogs[root]

    def values(self, review: Review):
        """The checked data values a run of ``review`` reads: its area and years of its data root's store."""
        root = Path(review.data).resolve()
        catalog = self.catalog(root)
        if root not in self._keys:
            self._keys[root] = partition_keys(catalog.units)
        return load_values(review.values_dir, catalog, review_scope(review, catalog.units), keys=self._keys[root])


def job_fingerprint(config: Path, lang: str | None, formats: Sequence[str], notebook: Path | None,
                    cache: DataCache, given: dict[str, str] | None = None) -> dict[str, str]:
    """The fingerprint a run of ``config`` would record, from the cached data (``given``: ``-p`` values)."""
    review = load_review(config)
    programme = review_programme(review)
    root = review.data
    notebooks = notebooks_of(review, programme, notebook)
    overrides = check_overrides(notebooks["review"], given or {})
    return manifest.fingerprint(review, programme, cache.values(review), cache.catalog(root).units, notebooks,
                                fingerprint_parameters(lang or review.language, formats, overrides))


def last_good(folder: Path) -> dict | None:
    """The manifest of the outputs in ``folder`` if they are complete, else None."""
    try:
        record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("outputs"), list):
        return None
    files = [o.get("file") for o in record["outputs"] if isinstance(o, dict)]
    if not all(isinstance(f, str) and (folder / f).is_file() for f in files):
        return None
    return record


def up_to_date(folder: Path, fingerprint: dict[str, str]) -> bool:
    """Whether the last good outputs in ``folder`` were made from exactly these inputs."""
    record = last_good(folder)
    return record is not None and record.get("fingerprint") == fingerprint
