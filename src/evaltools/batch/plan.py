"""What a batch renders: one job per review, from configs and an expansion over areas and periods."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaltools.model import units as unitlib
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.project.review import Review, load_review
from evaltools.batch import expand, select
from evaltools.batch.fingerprints import DataCache

ALL_DISTRICTS = "all-districts"
EVERY_DISTRICT = "every-district"      # of the whole catalog: a national batch
GENERATED = Path(".batch") / "configs"        # under the outputs folder
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")


@dataclass(frozen=True)
class Job:
    """One review to render: its config (as given, or generated) and what it covers."""

    review_id: str
    config: Path
    source: Path
    area: str
    first_year: int
    last_year: int


def parse_years(text: str) -> tuple[int, int]:
    """``"2013-2022"`` (or ``2013–2022``, or one year ``2015``) as (first, last)."""
    match = _YEARS.match(text or "")
    if not match:
        raise EvaltoolsError(f"--years: expected a year or a span such as 2013-2022, found {text!r}")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        raise EvaltoolsError(f"--years: {first} is after {last}")
    return first, last


def periods(first: int, last: int, window: int | None = None) -> list[tuple[int, int]]:
    """Every year of ``first..last`` (annual reviews), or every ``window``-year span ending in it."""
    window = window or 1
    if window < 1 or window > last - first + 1:
        raise EvaltoolsError(f"--window: expected 1 to {last - first + 1} years for {first}-{last}, found {window}")
    return [(end - window + 1, end) for end in range(first + window - 1, last + 1)]


def area_codes(spec: str, review: Review, units: pd.DataFrame, as_of: int) -> list[str]:
    """The areas a spec names: ``all-districts`` (of the review's province), ``every-district`` (of the
    catalog, the whole country) or codes, comma-separated."""
    rows = unitlib.current_rows(units, as_of)
    if spec.strip() == EVERY_DISTRICT:
        alive = set(units.loc[unitlib.valid_in(units, as_of), "code"])
        return sorted(c for c in rows.index[rows["level"] == "district"] if c in alive)
    if spec.strip() == ALL_DISTRICTS:
        chain = [review.area] + unitlib.ancestors(units, as_of).get(review.area, [])
        top = next((c for c in chain if rows.at[c, "level"] == "province"), None) if review.area in rows.index \
            else None
        if top is None:
            raise EvaltoolsError(f"{display_path(review.path)}: area {review.area!r} lies in no province of "
                                 f"{display_path(review.catalog_dir / 'org_units.yaml')}")
        alive = set(units.loc[unitlib.valid_in(units, as_of), "code"])
        return sorted(c for c in unitlib.in_area(units, top, as_of) if c in alive and rows.at[c, "level"] == "district")
    codes = [c.strip() for c in spec.split(",") if c.strip()]
    unknown = [c for c in codes if c not in rows.index]
    if unknown or not codes:
        raise EvaltoolsError(f"--areas: unknown unit code(s) {', '.join(unknown) or '(none given)'}; expected "
                             f"{ALL_DISTRICTS}, {EVERY_DISTRICT} or codes from {display_path(review.catalog_dir / 'org_units.yaml')}")
    return codes


def plan(configs: Sequence[str | Path], out: str | Path, areas: str | None = None, years: str | None = None,
         window: int | None = None, cache: DataCache | None = None, select: Sequence[str] = ()) -> list[Job]:
    """One job per review: each config as is, or expanded over ``areas`` and/or ``years``.

    Expanded configs are written under ``<out>/.batch/configs/`` (never into the data folder);
    their ids carry the area and the period (see :func:`evaltools.batch.expand.review_id`).
    ``cache`` holds each data root's catalog, loaded once. ``select``: glob patterns, only the
    reviews they match (:mod:`evaltools.batch.select`; an expanded config is written only if chosen).

    Raises
    ------
    EvaltoolsError
        For a bad config, area or period, two jobs with the same review id, or a pattern matching none.
    """
    cache = cache or DataCache()
    spans = periods(*parse_years(years), window) if years else [None]
    if window and not years:
        raise EvaltoolsError("--window needs --years, e.g. --years 2012-2022 --window 5")
    jobs: list[Job] = []
    chooser, expansions = _Chooser(select), []
    for config in configs:
        review = load_review(config)
        if areas is None and not years:
            units = cache.catalog(review.data).units if select else None
            if chooser.wants(review.id, review.area, units, review.last_year):
                jobs.append(Job(review.id, review.path, review.path, review.area, review.first_year,
                                review.last_year))
            continue
        units = cache.catalog(review.data).units
        last = max(s[1] for s in spans) if years else review.last_year
        codes = area_codes(areas, review, units, last) if areas else [None]
        expansions += [(review, code, span, units) for code in codes for span in spans
                       if chooser.wants(expand.review_id(review, code, span), code or review.area, units, last)]
    chooser.refuse_unmatched()            # before any config is written
    jobs += [_expanded_job(*expansion, Path(out) / GENERATED) for expansion in expansions]
    _refuse_duplicates(jobs)
    return jobs


class _Chooser:
    """The ``--select`` patterns, and which of them chose a review so far."""

    def __init__(self, patterns: Sequence[str]):
        self.patterns, self.used, self.seen = list(patterns), set(), []

    def wants(self, review_id: str, area: str, units: pd.DataFrame | None, as_of: int) -> bool:
        """Whether the review is chosen (every review when no pattern is given)."""
        if not self.patterns:
            return True
        self.seen.append(review_id)
        found = select.matched(self.patterns, review_id, area, select.area_names(units, area, as_of))
        self.used.update(found)
        return bool(found)

    def refuse_unmatched(self) -> None:
        """Raise for a pattern that chose nothing."""
        select.refuse_unmatched(self.patterns, self.used, self.seen)


def _expanded_job(review: Review, area: str | None, span: tuple[int, int] | None, units: pd.DataFrame,
                  folder: Path) -> Job:
    first, last = span or (review.first_year, review.last_year)
    new_id, text = expand.config_text(review, area, span, units)
    path = expand.write_config(folder / f"{new_id}.yaml", text)
    return Job(new_id, path.resolve(), review.path, area or review.area, first, last)


def _refuse_duplicates(jobs: list[Job]) -> None:
    seen: dict[str, Job] = {}
    for job in jobs:
        if job.review_id in seen:
            first = display_path(seen[job.review_id].source)
            raise EvaltoolsError(f"two reviews have the id {job.review_id!r} ({first} and {display_path(job.source)}); "
                                 "each writes <out>/<id>/, so ids must differ")
        seen[job.review_id] = job
