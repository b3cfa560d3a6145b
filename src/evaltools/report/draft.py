"""Drafted sentences of an overall assessment, from the assessment tables (:mod:`evaltools.assess`).

The analyst edits rather than writes. Each function returns a list of sentences in the
report's language, worded by the texts' ``assessment.*`` and ``scorecards.*`` keys
(a programme may reword any of them) with figures from the data; a notebook chooses
which lists make up what went well and what did not::

    a = report.assess(data)
    notes.drafted("<part>", report.draft.strengths(data, a, text))
"""

from __future__ import annotations

from dataclasses import replace

from evaltools.model import fact, vnformat
from evaltools.assess.review import Assessment
from evaltools.dataset.context import ReviewData
from evaltools.model.texts import Texts
from evaltools.model.units import valid_in
from evaltools.report.tables import level_words


def _plan(lang: str, plan) -> str:
    return plan[lang] if isinstance(plan, dict) else (plan or "")


def _judged(data: ReviewData, texts: Texts, t) -> str:
    """What the figure is of: "năm 2016", "cả giai đoạn 2012–2017" (a target without a year)."""
    first, last = data.review.first_year, data.review.last_year
    if t.judged_kind == "span" and first < last:
        return texts.plain("assessment.judged.span", period=vnformat.period(first, last))
    return texts.plain("assessment.judged.year", year=data.year_label(int(str(t.judged_on)[-4:])))


STATES = {"achieved": "achieved", "not_achieved": "not_achieved", "not_yet_due": "not_yet_due",
          "incomplete": "not_enough_data", "no_data": "not_enough_data"}   # a target's state as a report says it


def _target(data: ReviewData, texts: Texts, t) -> str:
    goal = data.as_quantity(t.indicator, t.value)
    if float(t.value).is_integer():                         # "100 %" as the plan wrote it, not "100,0 %"
        goal = replace(goal, decimals=0)
    full = t.operator in (">=", "==") and goal.unit.strip() == "%" and t.value == 100
    target = texts.plain("assessment.operators." + ("full" if full else t.operator), value=format(goal, "u"))
    direction = data.catalog.indicators.at[t.indicator, "direction"]
    direction = direction if direction in ("higher", "lower") else "neutral"
    due = int(t.year) if t.year == t.year and t.year is not None else None
    judged_year = int(str(t.judged_on)[-4:])
    key = {"achieved": "target_met_early" if due and due > judged_year else "target_met",
           "not_achieved": "target_missed", "not_yet_due": "target_pending",
           "incomplete": "target_incomplete", "no_data": "target_no_data"}[t.status]
    fact.ledger().claim("target", indicator=t.indicator, year=due, operator=t.operator, value=float(t.value),
                        state=STATES[t.status])
    actual = data.quantity(t.indicator, t.judged_on, t.category)
    return texts(f"assessment.{key}", indicator=data.name("indicator", t.indicator), when=_judged(data, texts, t),
                 reached=texts.plain(f"assessment.reached.{direction}"),
                 actual=vnformat.with_unit(actual) if not actual.missing else "", target=target,
                 plan=_plan(data.lang, t.plan), due=due, gap=format(data.as_quantity(t.indicator, t.gap), "u"),
                 reported=_count(t.reported), expected=_count(t.expected))


def _count(value) -> int | str:
    return "" if value is None or value != value or str(value) == "<NA>" else int(value)


def targets(data: ReviewData, a: Assessment, texts: Texts,
            statuses: tuple[str, ...] = ("achieved", "not_achieved", "not_yet_due", "incomplete", "no_data")
            ) -> list[str]:
    """One sentence per target whose status is in ``statuses`` (by default every target: achieved, not
    achieved, not yet due, not enough data: a figure some unit did not report, or none, decides nothing,
    and says so). A report that leaves a target out is found by the audit (``evaltools check``)."""
    return [_target(data, texts, t) for t in a.targets.itertuples() if t.status in statuses]


def _against(data: ReviewData, a: Assessment, code: str, rise: bool) -> tuple | None:
    """The comparison with the previous review that shows ``code`` going the other way: (year, value)."""
    if a.comparison is None or a.comparison.empty:
        return None
    rows = a.comparison[(a.comparison["indicator"] == code) & (a.comparison["unit"] == data.review.area)
                        & (a.comparison["category"] == "total") & a.comparison["change"].notna()]
    if rows.empty or (rows["change"].iloc[0] > 0) == rise or rows["change"].iloc[0] == 0:
        return None
    return int(rows["previous_year"].iloc[0]), float(rows["previous"].iloc[0])


def trends(data: ReviewData, a: Assessment, texts: Texts, reading: str) -> list[str]:
    """One sentence per indicator whose trend over the whole series reads ``reading`` (improving,
    worsening) and is material (:mod:`evaltools.assess.trends`: not a handful of cases, not noise),
    from its first to its last comparable year (each figure with its coverage). Where the comparison
    with the previous review goes the other way, the sentence names both."""
    out = []
    for row in a.trends[(a.trends["reading"] == reading) & a.trends["material"]].itertuples():
        rise = row.last > row.first
        against = _against(data, a, row.indicator, rise)
        key = ("rise" if rise else "fall") + ("_against" if against else "")
        fact.ledger().claim("direction", indicator=row.indicator, sign=1 if rise else -1, reading=reading,
                            names_both=bool(against))
        first, last = (vnformat.with_unit(data.quantity(row.indicator, str(int(y))))
                       for y in (row.first_year, row.last_year))
        out.append(texts(f"assessment.{key}", indicator=data.name("indicator", row.indicator), first=first,
                         first_year=row.first_year, last=last, last_year=row.last_year,
                         before=format(data.as_quantity(row.indicator, against[1]), "u") if against else "",
                         before_year=against[0] if against else ""))
    return out


def span(text: Texts, first: int, last: int, figure: vnformat.Quantity | None = None) -> str:
    """A span's label as a total's sentence writes it (``figures.span*`` of texts.yaml): "2012–2022", with
    the years cut short inside it ("2012–2022, with 2017 only up to 31 May 2017"), or the day its last year
    stops ("2012–2017, up to 31 May 2017"): a cut-off of one year is never the label of the whole span."""
    days = tuple(getattr(figure, "partial_in", ()) or ())
    if first == last:                  # one year: the year, or the day it stops
        until = getattr(figure, "until", None) or (days[-1] if days else None)
        return text.plain("figures.until", day=until) if until else text.plain("figures.year", year=last)
    label = text.plain("figures.span", period=vnformat.period(first, last))
    if days and days[-1].year == last:
        label = text.plain("figures.span_until", period=vnformat.period(first, last), day=days[-1])
        days = days[:-1]
    if days:
        years = text.join(text.plain("figures.partial_year", year=d.year, day=d) for d in days)
        label = text.plain("figures.span_partial", span=label, years=years)
    return label


def highlights(data: ReviewData, texts: Texts, codes: list[str]) -> list[str]:
    """The figures a review highlights (``assessment: highlights:`` in its config), one sentence each."""
    out = []
    sums = set(data.catalog.elements.index[data.catalog.elements["aggregation_time"] == "sum"])
    spans = data.review.last_year > data.review.first_year
    for code in codes:
        figure = data.quantity(code)
        if figure.missing or figure in texts.figures_said:      # stated in the body already
            continue
        element = data.catalog.indicators.at[code, "numerator"].split(".")[0]
        if element in sums and spans:
            out.append(texts("assessment.highlight_period", indicator=data.name("indicator", code), value=figure,
                             span=span(texts, data.review.first_year, data.review.last_year, figure)))
            continue
        out.append(texts(f"assessment.highlight_year{'_until' if figure.until else ''}",
                         indicator=data.name("indicator", code), value=figure,
                         year=figure.year or data.review.last_year, until=figure.until))
    return out


def standards_in_force(a: Assessment, texts: Texts) -> str:
    """The standards the scorecards were judged under, as a report cites them: "QĐ 34/2014/QĐ-TTg", or
    "QĐ 34/2014/QĐ-TTg (2012–2018) và QĐ 06/QĐ-TTg (2019–2022)" across a change of standard."""
    summary = a.scorecard_summary
    names = a.standards.set_index("code")[f"short_{texts.lang}"]
    spans = summary.groupby("standard", sort=False)["year"].agg(["min", "max"])
    if len(spans) == 1:
        return str(names[spans.index[0]])
    return texts.join(f"{names[code]} ({vnformat.period(int(row['min']), int(row['max']))})"
                      for code, row in spans.iterrows())


def scorecards(a: Assessment, texts: Texts) -> list[str]:
    """How many units met the standard: every year assessed, or in the last year assessed (years with no
    assessment, such as a year cut off before recognition, are not counted)."""
    summary = a.scorecard_summary
    if summary.empty:
        return []
    last = summary.iloc[-1]
    standards = standards_in_force(a, texts)
    if (summary["passed"] == summary["assessed"]).all() and len(summary) > 1:
        return [texts("scorecards.every_year", first=int(summary["year"].iloc[0]), last=int(last["year"]),
                      passed=int(last["passed"]), assessed=int(last["assessed"]), standards=standards)]
    names = a.standards.set_index("code")[f"short_{texts.lang}"]
    return [texts("scorecards.last_year", year=int(last["year"]), passed=int(last["passed"]),
                  assessed=int(last["assessed"]), standards=names[last["standard"]])]


def failures(data: ReviewData, a: Assessment, texts: Texts) -> list[str]:
    """One sentence per unit and year that failed its scorecard, with the reason."""
    out = []
    standards = a.standards.set_index("code")
    for card in a.scorecards[~a.scorecards["passed"]].itertuples():
        standard = standards.loc[card.standard]
        if card.reason == "zero_criterion":
            disagg = data.catalog.elements.at[standard["element"], "disaggregation"]
            names = [data.catalog.options.loc[(disagg, c), f"name_{data.lang}"] for c in card.zero_criteria]
            reason = texts.plain("scorecards.reason_zero", criteria="”, “".join(names))
        else:
            reason = texts.plain("scorecards.reason_below", total=vnformat.number(card.total, 0, data.lang),
                                 threshold=vnformat.number(card.threshold, 0, data.lang))
        out.append(texts("scorecards.failed", year=card.year, unit=texts.unit(_unit_name(data, card.unit, card.year)),
                         standard=standard[f"name_{data.lang}"], reason=reason))
    return out


def _unit_name(data: ReviewData, code: str, year: int) -> str:
    units = data.catalog.units
    rows = units[(units["code"] == code) & valid_in(units, year)]
    return rows[f"name_{data.lang}"].iloc[0] if len(rows) else code


def lagging(data: ReviewData, a: Assessment, texts: Texts) -> list[str]:
    """The units doing worst on comparable indicators, where worse than the area."""
    out = []
    for code, rows in a.ranking[a.ranking["lagging"]].groupby("indicator", sort=False, observed=True):
        direction = data.catalog.indicators.at[code, "direction"]
        units = [texts.plain("assessment.unit_value", unit=texts.unit(u), value=format(data.as_quantity(code, v), "u"))
                 for u, v in zip(rows["unit_name"], rows["value"])]
        out.append(texts(f"assessment.lagging_{direction}", indicator=data.name("indicator", code),
                         parts=level_words(data, texts, "assessment.parts"),
                         whole=level_words(data, texts, "assessment.whole"),
                         area=format(data.as_quantity(code, rows["area_value"].iloc[0]), "u"), units=", ".join(units)))
    return out


def _unsaid(sentences: list[str], before: set[str]) -> list[str]:
    """An assessment never repeats a sentence the report body has written (official style: once)."""
    return [s for s in sentences if s not in before]


def strengths(data: ReviewData, a: Assessment, texts: Texts) -> list[str]:
    """Scorecards met, highlighted figures, targets met, improving trends: those not said in the body."""
    before = set(texts.said)
    return _unsaid(scorecards(a, texts) + highlights(data, texts, a.settings["highlights"])
                   + targets(data, a, texts, ("achieved",)) + trends(data, a, texts, "improving"), before)


def weaknesses(data: ReviewData, a: Assessment, texts: Texts) -> list[str]:
    """Targets missed or still ahead, worsening trends, scorecard failures, lagging units: those not
    said in the body."""
    before = set(texts.said)
    return _unsaid(targets(data, a, texts, ("not_achieved", "not_yet_due", "incomplete", "no_data"))
                   + trends(data, a, texts, "worsening") + failures(data, a, texts) + lagging(data, a, texts),
                   before)
