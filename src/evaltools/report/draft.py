"""Drafted sentences of the overall assessment (II.5), from the assessment tables.

The analyst edits rather than writes: achievements are targets met, improving
trends, child-friendly communes and the review's highlighted figures;
shortcomings are targets missed, worsening trends, scorecard failures and lagging
communes. Every sentence takes its wording from the language file and its figures
from the data.
"""

from __future__ import annotations

import math

from .. import vnformat
from ..assess.review import Assessment
from .model import Report


def _plan(r: Report, plan) -> str:
    return plan[r.lang] if isinstance(plan, dict) else (plan or "")


def _target(r: Report, t) -> str | None:
    if t.status == "no_data":
        return None
    year = int(t.period) if str(t.period).isdigit() else r.review.last_year
    target = r.t("assessment", "operators", t.operator, value=r.fmt(t.indicator, t.value))
    due = int(t.year) if t.year == t.year and t.year is not None else None
    key = {"achieved": "target_met_early" if due and due > year else "target_met",
           "not_achieved": "target_missed", "not_yet_due": "target_pending"}[t.status]
    return r.t("assessment", key, indicator=r.name("indicator", t.indicator), year=year,
               actual=r.fmt(t.indicator, t.actual), target=target, plan=_plan(r, t.plan), due=due,
               gap=r.fmt(t.indicator, t.gap))


def _trend(r: Report, row) -> str:
    key = "rise" if row.last > row.first else "fall"
    return r.t("assessment", key, indicator=r.name("indicator", row.indicator),
               first=r.fmt(row.indicator, row.first), first_year=row.first_year,
               last=r.fmt(row.indicator, row.last), last_year=row.last_year)


def _child_friendly(r: Report, a: Assessment) -> list[str]:
    summary = a.scorecard_summary
    if summary.empty:
        return []
    last = summary.iloc[-1]
    if (summary["passed"] == summary["assessed"]).all() and len(summary) > 1:
        return [r.t("assessment", "cf_every_year", first=int(summary["year"].iloc[0]), last=int(last["year"]),
                    passed=int(last["passed"]), assessed=int(last["assessed"]))]
    return [r.t("assessment", "cf_last_year", year=int(last["year"]), passed=int(last["passed"]),
                assessed=int(last["assessed"]))]


def _highlights(r: Report, a: Assessment) -> list[str]:
    out = []
    elements = r.data.catalog.elements["aggregation_time"]
    for code in a.settings["highlights"]:
        value = r.value(code)
        if math.isnan(value):
            continue
        element = r.data.catalog.indicators.at[code, "numerator"].split(".")[0]
        spans = r.review.last_year > r.review.first_year
        key = "highlight_period" if elements.get(element) == "sum" and spans else "highlight_year"
        out.append(r.t("assessment", key, indicator=r.name("indicator", code), value=r.fmt(code, value),
                       year=r.review.last_year, period=vnformat.period(r.review.first_year, r.review.last_year)))
    return out


def achievements(r: Report, a: Assessment) -> list[str]:
    """Sentences for "what was achieved"."""
    met = [s for t in a.targets.itertuples() if t.status == "achieved" and (s := _target(r, t))]
    better = [_trend(r, row) for row in a.trends.itertuples() if row.reading == "improving"]
    return _child_friendly(r, a) + _highlights(r, a) + met + better


def _failures(r: Report, a: Assessment) -> list[str]:
    out = []
    standards = a.standards.set_index("code")
    for card in a.scorecards[~a.scorecards["passed"]].itertuples():
        standard = standards.loc[card.standard]
        if card.reason == "zero_criterion":
            names = [_criterion(r, standard, c) for c in card.zero_criteria]
            reason = r.t("assessment", "reason_zero", criteria="”, “".join(names))
        else:
            reason = r.t("assessment", "reason_below", total=vnformat.number(card.total, 0, r.lang),
                         threshold=vnformat.number(card.threshold, 0, r.lang))
        out.append(r.t("assessment", "cf_failed", year=card.year, unit=_unit_name(r, card.unit, card.year),
                       standard=standard[f"name_{r.lang}"], reason=reason))
    return out


def _criterion(r: Report, standard, code: str) -> str:
    disagg = r.data.catalog.elements.at[standard["element"], "disaggregation"]
    return r.data.catalog.options.loc[(disagg, code), f"name_{r.lang}"]


def _unit_name(r: Report, code: str, year: int) -> str:
    from ..units import valid_in
    units = r.data.catalog.units
    rows = units[(units["code"] == code) & valid_in(units, year)]
    return rows[f"name_{r.lang}"].iloc[0] if len(rows) else code


def _lagging(r: Report, a: Assessment) -> list[str]:
    out = []
    lag = a.ranking[a.ranking["lagging"]]
    for code, rows in lag.groupby("indicator", sort=False):
        direction = r.data.catalog.indicators.at[code, "direction"]
        units = [r.t("assessment", "unit_value", unit=u, value=r.fmt(code, v))
                 for u, v in zip(rows["unit_name"], rows["value"])]
        out.append(r.t("assessment", f"lagging_{direction}", indicator=r.name("indicator", code),
                       area=r.fmt(code, rows["area_value"].iloc[0]), units=", ".join(units)))
    return out


def shortcomings(r: Report, a: Assessment) -> list[str]:
    """Sentences for "what was not achieved"."""
    missed = [s for t in a.targets.itertuples() if t.status in ("not_achieved", "not_yet_due") and (s := _target(r, t))]
    worse = [_trend(r, row) for row in a.trends.itertuples() if row.reading == "worsening"]
    return missed + worse + _failures(r, a) + _lagging(r, a)
