"""II.4 of the review report: results in figures, woven into sentences, with tables and charts."""

from __future__ import annotations

import math

import pandas as pd

from .. import vnformat
from . import charts
from .html import Section, figure, heading, paragraph, table
from .model import Report


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _parts(r: Report, indicator: str, period: str | int | None = None) -> list[tuple[str, str, float]]:
    """(option code, option name, value) of a disaggregated indicator, in catalog order, with data."""
    rows = r.table(indicator)
    rows = rows[(rows["unit"] == r.review.area) & (rows["period"] == str(period or r.span))
                & (rows["category"] != "total") & rows["value"].notna()]
    return list(zip(rows["category"], rows["category_name"], rows["value"]))


def _by_year_chart(r: Report, indicator: str, title_key: str) -> str:
    frame = pd.DataFrame([(y, name, r.value(indicator, y, code)) for code, name, _ in _parts(r, indicator)
                          for y in r.years], columns=["year", "category", "value"]).dropna()
    if frame.empty:
        return ""
    title = r.t("charts", title_key)
    return figure(charts.bars_by_year(frame, title, r.t("charts", "year"), r.t("charts", "children"), r.lang),
                  title)


def _allowance(r: Report) -> list[str]:
    out = []
    if r.has("CENTRE_CHILDREN") and not math.isnan(r.value("CENTRE_CHILDREN")):
        out.append(paragraph(r.t("sentences", "centre", centre=r.fmt("CENTRE_CHILDREN", r.value("CENTRE_CHILDREN"), False))))
    if r.has("ALLOWANCE") and not math.isnan(r.value("ALLOWANCE")):
        groups = [r.t("sentences", "allowance_group", name=_lower_first(name), value=r.fmt("ALLOWANCE", v))
                  for _, name, v in _parts(r, "ALLOWANCE")]
        out += [paragraph(r.t("sentences", "allowance", total=r.fmt("ALLOWANCE", r.value("ALLOWANCE"), False),
                                groups=", ".join(groups))),
                _by_year_chart(r, "ALLOWANCE", "allowance")]
    return out


def _scholarships(r: Report) -> list[str]:
    if not (r.has("SCHOLARSHIPS") and r.has("SCHOLARSHIP_VALUE")) or math.isnan(r.value("SCHOLARSHIPS")):
        return []
    values = {code: v for code, _, v in _parts(r, "SCHOLARSHIP_VALUE")}
    donors, rows = [], []
    for code, name, students in _parts(r, "SCHOLARSHIPS"):
        count = r.fmt("SCHOLARSHIPS", students)
        if code in values:
            donors.append(r.t("sentences", "scholarship_donor_value", name=name, students=count,
                              value=r.fmt("SCHOLARSHIP_VALUE", values[code])))
        else:
            donors.append(r.t("sentences", "scholarship_donor", name=name, students=count))
        rows.append((name, r.fmt("SCHOLARSHIPS", students, False),
                     r.fmt("SCHOLARSHIP_VALUE", values.get(code, math.nan), False)))
    sentence = r.t("sentences", "scholarships", year=r.review.last_year,
                   total=r.fmt("SCHOLARSHIPS", r.value("SCHOLARSHIPS"), False),
                   value=r.fmt("SCHOLARSHIP_VALUE", r.value("SCHOLARSHIP_VALUE")), donors="; ".join(donors))
    header_ = [r.t("tables", k) for k in ("donor", "students", "value")]
    return [paragraph(sentence), table(header_, rows)]


def _health_and_gifts(r: Report) -> list[str]:
    out, period = [], vnformat.period(r.review.first_year, r.review.last_year)
    if r.has("BICYCLES") and not math.isnan(r.value("BICYCLES")):
        out.append(paragraph(r.t("sentences", "bicycles", period=period,
                                 bicycles=r.fmt("BICYCLES", r.value("BICYCLES"), False))))
    if r.has("HI_CARDS") and r.has("HI_CARDS_VALUE") and not math.isnan(r.value("HI_CARDS")):
        out.append(paragraph(r.t("sentences", "health_insurance", cards=r.fmt("HI_CARDS", r.value("HI_CARDS"), False),
                                 value=r.fmt("HI_CARDS_VALUE", r.value("HI_CARDS_VALUE")),
                                 cutoff=r.date(r.review.cutoff))))
    return out


def _injuries(r: Report) -> list[str]:
    if not r.has("INJURIES") or math.isnan(r.value("INJURIES")):
        return []
    first, last = r.review.first_year, r.review.last_year
    causes = [r.t("sentences", "injury_cause", name=_lower_first(name), value=r.fmt("INJURIES", v))
              for _, name, v in _parts(r, "INJURIES")]
    rate = r.fmt("INJURY_RATE", r.value("INJURY_RATE")) if r.has("INJURY_RATE") else vnformat.MISSING
    out = [paragraph(r.t("sentences", "injuries", period=vnformat.period(first, last),
                         injuries=r.fmt("INJURIES", r.value("INJURIES"), False), rate=rate,
                         causes=", ".join(causes), first=first, last=last,
                         first_value=r.fmt("INJURIES", r.value("INJURIES", first)),
                         last_value=r.fmt("INJURIES", r.value("INJURIES", last)))),
           _by_year_chart(r, "INJURIES", "injuries")]
    if r.has("ABUSE_CASES"):
        out.append(paragraph(r.t("sentences", "abuse", abuse=r.fmt("ABUSE_CASES", r.value("ABUSE_CASES")))))
    return out


def _models(r: Report) -> list[str]:
    if not r.has("CP_MODELS"):
        return []
    rows = r.table("CP_MODELS")
    rows = rows[(rows["level"] == "commune") & (rows["period"] == r.span) & (rows["value"] > 0)]
    if rows.empty:
        return []
    return [paragraph(r.t("sentences", "models", units=r.join(list(rows["unit_name"]))))]


def _summary_table(r: Report) -> str:
    """The review's indicators for the whole area, per year and for the span."""
    header_ = [r.t("tables", "indicator"), r.t("tables", "unit"), *map(str, r.years)]
    if len(r.years) > 1:
        header_.append(r.t("tables", "period"))
    periods = [*r.years, r.span] if len(r.years) > 1 else r.years
    rows = []
    for code in r.review.indicators:
        rows.append((r.name("indicator", code), r.unit_label(code), *(r.cell(code, r.value(code, p)) for p in periods)))
    return table(header_, rows, numeric_from=2, caption=r.t("tables", "summary"), css="figures summary")


def outcomes(r: Report) -> Section:
    """II.4: results in figures, woven into sentences, with tables and charts."""
    section = Section([heading(r.t("sections", "outcomes"), 3), r.narrative_html("outcomes")])
    section.add(*_allowance(r), *_scholarships(r), *_health_and_gifts(r), *_injuries(r), *_models(r))
    return section.add(_summary_table(r))
