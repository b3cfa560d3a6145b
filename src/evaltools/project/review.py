"""A review: what period and area a report covers, what it shows and where its data are.

Review configs are commented YAML files (``data/reviews/<id>.yaml``). Paths inside
a config are relative to the config file.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from evaltools.core.errors import EvaltoolsError, InputError, Problem, display_path
from evaltools.core.schema import Field, parse_record, parse_records
from evaltools.core.yamlio import Record, load_yaml
from evaltools.core.limits import read_markdown
from evaltools.project.refs import resolve_review

if TYPE_CHECKING:
    import pandas as pd

KINDS = ("annual", "interim", "final")
STATUSES = ("draft", "final")
# Each target: indicator, operator (>=, >, <=, <, ==), value, optional year, category, plan.
TARGET_FIELDS = (
    Field("indicator", "code"),
    Field("operator", "choice", choices=(">=", ">", "<=", "<", "==")),
    Field("value", "number"),
    Field("year", "int", required=False),
    Field("category", "code", required=False, default="total"),
    Field("plan", "i18n", required=False),
)
REVIEW_FIELDS = (
    Field("id", "code"),
    Field("programme", "text", required=False),
    Field("notebook", "text", required=False),
    Field("kind", "choice", choices=KINDS),
    Field("status", "choice", choices=STATUSES, required=False, default="draft"),
    Field("title", "i18n"),
    Field("subject", "i18n", required=False),
    Field("legal_basis", "i18n_list", required=False, default=[]),
    Field("issuing_office", "i18n"),
    Field("superior_office", "i18n", required=False),
    Field("place", "text"),
    Field("date", "date"),
    Field("area", "code"),
    Field("first_year", "int"),
    Field("last_year", "int"),
    Field("cutoff", "date"),
    Field("language", "choice", choices=("vi", "en"), required=False, default="vi"),
    Field("indicators", "list"),
    Field("targets", "any", required=False, default=[]),
    Field("assessment", "any", required=False, default={}),
    Field("predecessor", "text", required=False),
    Field("narrative", "i18n", required=False),
    Field("recipients", "i18n_list", required=False, default=[]),
    Field("number", "text", required=False),
    Field("signer", "any", required=False),
    Field("data", "text", required=False, default=".."),
)


SIGNER_FIELDS = (
    Field("name", "text", required=False, default=""),
    Field("title", "i18n"),
    Field("for", "i18n", required=False),
)


@dataclass(frozen=True)
class Signer:
    """Who signs: name, title, and whose title a deputy signs for ("KT. TRƯỞNG PHÒNG")."""

    title: dict[str, str]
    name: str = ""
    on_behalf_of: dict[str, str] | None = None


@dataclass(frozen=True)
class Review:
    """A parsed review config; ``path`` is the config file, ``data`` the data root."""

    path: Path
    id: str
    kind: str
    title: dict[str, str]
    issuing_office: dict[str, str]
    place: str
    date: dt.date
    area: str
    first_year: int
    last_year: int
    cutoff: dt.date
    indicators: list[str]
    data: Path
    language: str = "vi"
    subject: dict[str, str] | None = None
    superior_office: dict[str, str] | None = None
    legal_basis: list[dict[str, str]] = field(default_factory=list)
    targets: pd.DataFrame | None = None
    assessment: dict = field(default_factory=dict)
    predecessor: Path | None = None
    narrative: dict[str, Path] | None = None
    recipients: list[dict[str, str]] = field(default_factory=list)
    number: str | None = None
    signer: Signer | None = None
    notebook: Path | None = None
    programme: str | None = None
    status: str = "draft"

    @property
    def catalog_dir(self) -> Path:
        """Folder of the catalogs."""
        return self.data / "catalog"

    @property
    def values_dir(self) -> Path:
        """Folder of the data value files."""
        return self.data / "values"

    @property
    def partial_year(self) -> int | None:
        """The last year when the cut-off falls inside it (figures to 31/05/2017), else None.

        Flows counted over part of that year would read as a fall: trends and
        outlier checks leave it out.
        """
        last = self.last_year
        return last if self.cutoff.year == last and self.cutoff < dt.date(last, 12, 31) else None


def load_review(path: str | Path) -> Review:
    """Read and check a review config.

    Raises
    ------
    EvaltoolsError
        For a missing file or invalid YAML (one line).
    InputError
        Listing every bad or missing key with its line.
    """
    path = Path(path)
    name = display_path(path)
    raw = load_yaml(path)
    if not isinstance(raw, Record):
        raise EvaltoolsError(f"{name}: expected a review config (a mapping of keys such as id, title, area)")
    problems: list[Problem] = []
    values = parse_record(raw, REVIEW_FIELDS, name, raw.line, problems)
    values["targets"], found = parse_records(values["targets"] or [], TARGET_FIELDS, name, "targets")
    problems += found
    if not isinstance(values["assessment"], dict):
        problems.append(Problem(name, raw.key_lines.get("assessment"), "assessment", "expected a mapping"))
    for key in ("first_year", "last_year"):        # as the store's periods: a year 99999999 must not be iterated
        if isinstance(values[key], int) and not 1900 <= values[key] <= 2100:
            problems.append(Problem(name, raw.key_lines.get(key), key, f"expected a year such as 2017 "
                                                                      f"(1900 to 2100), found {values[key]}"))
    values["signer"] = _signer(values["signer"], raw, name, problems)
    if not problems and values["first_year"] > values["last_year"]:
        problems.append(Problem(name, raw.key_lines["last_year"], "last_year", "is before first_year"))
    if problems:
        raise InputError(problems)
    base = path.parent
    values["data"] = (base / values["data"]).resolve()
    if values["notebook"]:
        values["notebook"] = (base / values["notebook"]).resolve()
    if values["predecessor"]:
        values["predecessor"] = (base / values["predecessor"]).resolve()
    if values["narrative"]:
        values["narrative"] = {lang: Path(os.path.abspath(base / p)) for lang, p in values["narrative"].items()}
    return Review(path=path.resolve(), **values)



def _signer(raw_signer, record: Record, name: str, problems: list[Problem]) -> Signer | None:
    """The ``signer:`` mapping (name, title, for), or None when the config names no signer."""
    if raw_signer is None:
        return None
    line = record.key_lines.get("signer")
    if not isinstance(raw_signer, dict):
        problems.append(Problem(name, line, "signer", "expected a mapping of name, title and optionally for"))
        return None
    values = parse_record(raw_signer, SIGNER_FIELDS, name, getattr(raw_signer, "line", line), problems)
    return Signer(title=values["title"] or {}, name=values["name"] or "", on_behalf_of=values["for"])


def check_review_inputs(config: str | Path) -> None:
    """Refuse a hostile review config or narrative in one line before any kernel starts.

    The config and the narratives are read again where they are used (in the report
    notebook); this makes a run fail in a second, not after the kernels have started.
    """
    for path in (load_review(resolve_review(config)).narrative or {}).values():
        if path.exists() or path.is_symlink():
            read_markdown(path)
