"""The appendices of the review report: detailed figures per commune and year, and provenance."""

from __future__ import annotations

import pandas as pd

from .. import manifest, units as unitlib, vnformat
from .html import Section, heading, paragraph, table, text
from .model import Report


def _merged_notes(r: Report) -> list[str]:
    """One note per unit whose earlier years add up predecessors (e.g. Thanh An = Cam An + Cam Thanh)."""
    units = r.data.catalog.units
    succ = unitlib.successor_map(units, r.review.last_year)
    notes = []
    for code in sorted(set(succ.values())):
        before = units[units["code"].map(succ).eq(code) & units["valid_to"].map(
            lambda d: d is not None and not pd.isna(d) and d.year < r.review.last_year)]
        if before.empty or code not in r.data.facts.index.get_level_values("unit"):
            continue
        year = max(d.year for d in before["valid_to"]) + 1
        names = list(before[f"name_{r.lang}"])
        notes.append(paragraph(r.t("tables", "merged_note", name=r.name("unit", code), year=year,
                                   predecessors=r.join(names))))
    return notes


def _appendix_table(r: Report, code: str) -> str:
    periods = [*r.years, r.span] if len(r.years) > 1 else r.years
    units = r.data.facts.index.get_level_values("unit").unique()
    communes = sorted(u for u in units if u != r.review.area)
    body = [(r.name("unit", u), *(r.cell(code, r.value(code, p, unit=u)) for p in periods)) for u in communes]
    body.append((r.t("tables", "district_total"), *(r.cell(code, r.value(code, p)) for p in periods)))
    caption = f"{r.name('indicator', code)} ({r.unit_label(code)})"
    header_ = [r.t("tables", "commune"), *map(str, r.years)] + ([r.t("tables", "period")] if len(r.years) > 1 else [])
    return table(header_, body, caption=caption, css="figures appendix")


def appendix(r: Report) -> Section:
    """Appendix 1: every indicator of the review per commune and year (what the source promised)."""
    section = Section([heading(r.t("sections", "appendix")), *_merged_notes(r)])
    return section.add(*(_appendix_table(r, code) for code in r.review.indicators))


def provenance(r: Report) -> Section:
    """Appendix 2: the data files with their fingerprints, the parameters and the method, in plain words."""
    files = manifest.input_files(r.review)
    body = [(f["path"], vnformat.number(f["lines"], 0, r.lang), f["sha256"]) for f in files]
    params = [(r.t("provenance", "review"), str(manifest._relative(r.review.path, r.review.data.parent))),
              (r.t("provenance", "language"), r.lang),
              (r.t("provenance", "version"), manifest.versions()["evaltools"]),
              (r.t("provenance", "time"), f"{r.started:%d/%m/%Y %H:%M} (UTC{r.started:%z})")]
    rules = "".join(f"<li>{text(rule)}</li>" for rule in r.texts["provenance"]["rules"])
    return Section([heading(r.t("sections", "provenance")), paragraph(r.t("provenance", "intro")),
                    table([r.t("provenance", k) for k in ("file", "rows", "sha")], body, numeric_from=1,
                          css="figures provenance"),
                    heading(r.t("provenance", "parameters"), 3),
                    table(["", ""], params, numeric_from=9, css="figures parameters"),
                    heading(r.t("provenance", "how"), 3), f"<ul>{rules}</ul>"])
