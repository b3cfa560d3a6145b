"""The sections of the review report, one function each, mirroring the source report.

Each function takes the loaded :class:`~evaltools.report.model.Report` and returns
a :class:`~evaltools.report.html.Section` (shown as one HTML output). Figures are
computed from the indicator table; words come from the language file and from the
analyst's narrative.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import vnformat
from . import charts, narrative
from .html import Section, heading, paragraph, table, text
from .model import Report


def _join(r: Report, items: list[str]) -> str:
    """``a, b và c`` / ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {r.t('sentences', 'and')} {items[-1]}"


def header(r: Report) -> Section:
    """The official masthead, title, period and legal basis, then the table of contents."""
    rv, lang = r.review, r.lang
    superior = (rv.superior_office or {}).get(lang, "")
    left = f'<p class="office-superior">{text(superior.upper())}</p>' if superior else ""
    left += f'<p class="office">{text(rv.issuing_office[lang].upper())}</p>'
    place_date = r.t("place_date", place=rv.place, date=vnformat.date_long(rv.date, lang))
    right = (f'<p class="country">{text(r.t("country"))}</p><p class="motto">{text(r.t("motto"))}</p>'
             f'<p class="place-date">{text(place_date)}</p>')
    masthead = f'<table class="masthead"><tr><td>{left}</td><td>{right}</td></tr></table>'
    title = (f'<h1 id="report-title" class="report-title">{text(r.t("report"))}'
             f'<span class="title">{text(rv.title[lang])}</span></h1>')
    subject = f'<p class="subject">“{text(rv.subject[lang])}”</p>' if rv.subject else ""
    period = r.t("period_line", period=vnformat.period(rv.first_year, rv.last_year), cutoff=r.date(rv.cutoff))
    basis = "".join(f"<li>{text(b)}</li>" for b in rv.legal_basis)
    basis = f'<div class="basis"><p>{text(r.t("basis"))}:</p><ul>{basis}</ul></div>' if basis else ""
    banner = (f'<p class="warning">{text(r.texts["quality"]["banner"].format(high=r.high_findings))}</p>'
              if r.high_findings else "")
    return Section([f'<header class="doc-header">{banner}{masthead}{title}{subject}'
                    f'<p class="period">{text(period)}</p>{basis}</header>', '<nav id="toc"></nav>'])


def general(r: Report) -> Section:
    """I. General situation: the analyst's text and the area in figures."""
    section = Section([heading(r.t("sections", "general"))])
    section.add(r.narrative_html("general"))
    if r.has("COMMUNES") and r.has("CHILDREN"):
        section.add(paragraph(r.t("sentences", "area", communes=r.fmt("COMMUNES", r.value("COMMUNES"), False),
                                  children=r.fmt("CHILDREN", r.value("CHILDREN"), False),
                                  year=r.review.last_year)))
    return section


def _child_friendly(r: Report) -> list[str]:
    cf = r.by_year("CF_COMMUNES")
    n = r.by_year("COMMUNES")
    known = cf.dropna()
    if known.empty:
        return []
    if (known == n[known.index]).all():
        sentence = r.t("sentences", "cf_all_years", first=known.index[0], last=known.index[-1],
                       cf=r.fmt("CF_COMMUNES", known.iloc[-1], False), communes=r.fmt("COMMUNES", n[known.index[-1]], False))
    else:
        years = [r.t("sentences", "cf_year", year=y, cf=r.fmt("CF_COMMUNES", v, False),
                     communes=r.fmt("COMMUNES", n[y], False)) for y, v in known.items()]
        sentence = r.t("sentences", "cf_by_year", years="; ".join(years))
    rows = [(str(y), r.fmt("CF_COMMUNES", cf[y], False), r.fmt("COMMUNES", n[y], False),
             r.fmt("CF_SHARE", r.value("CF_SHARE", y))) for y in r.years]
    header_ = [r.t("tables", k) for k in ("year", "communes_ok", "communes_all", "share")]
    return [paragraph(sentence), table(header_, rows)]


def _score_chart(r: Report) -> str:
    if not r.has("CF_SCORE"):
        return ""
    rows = r.table("CF_SCORE")
    rows = rows[(rows["level"] == "commune") & (rows["period"] == r.span) & rows["value"].notna()]
    if rows.empty:
        return ""
    title = r.t("charts", "cf_score", year=r.review.last_year)
    png = charts.bars_by_unit(rows[["unit_name", "value"]].rename(columns={"unit_name": "unit"}), title,
                              r.t("charts", "points"), r.lang)
    from .html import figure
    return figure(png, title)


def _plans(r: Report) -> list[str]:
    rows = r.table("PLANS")
    rows = rows[(rows["unit"] == r.review.area) & (rows["period"] == r.span) & (rows["category"] != "total")]
    rows = rows[rows["value"] > 0]
    if rows.empty:
        return []
    sentence = r.t("sentences", "plans", period=vnformat.period(r.review.first_year, r.review.last_year),
                   plans=r.fmt("PLANS", r.value("PLANS"), False), kinds=len(rows))
    body = [(name, r.fmt("PLANS", v, False)) for name, v in zip(rows["category_name"], rows["value"])]
    return [paragraph(sentence), table([r.t("tables", "kind"), r.t("tables", "count")], body)]


def results(r: Report) -> Section:
    """II.1–3: dissemination, change in awareness (child-friendly communes), documents issued."""
    section = Section([heading(r.t("sections", "results")),
                       heading(r.t("sections", "dissemination"), 3), r.narrative_html("dissemination"),
                       heading(r.t("sections", "awareness"), 3), r.narrative_html("awareness")])
    if r.has("CF_COMMUNES") and r.has("COMMUNES"):
        section.add(*_child_friendly(r))
    section.add(_score_chart(r), heading(r.t("sections", "documents"), 3))
    if r.has("PLANS"):
        section.add(*_plans(r))
    return section.add(r.narrative_html("documents"))


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _parts(r: Report, indicator: str, period: str | int | None = None) -> list[tuple[str, str, float]]:
    """(option code, option name, value) of a disaggregated indicator, in catalog order, with data."""
    rows = r.table(indicator)
    rows = rows[(rows["unit"] == r.review.area) & (rows["period"] == str(period or r.span))
                & (rows["category"] != "total") & rows["value"].notna()]
    return list(zip(rows["category"], rows["category_name"], rows["value"]))


def _by_year_chart(r: Report, indicator: str, title_key: str) -> str:
    from .html import figure
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
    return [paragraph(r.t("sentences", "models", units=_join(r, list(rows["unit_name"]))))]


def _summary_table(r: Report) -> str:
    """The review's indicators for the whole area, per year and for the span."""
    header_ = [r.t("tables", "indicator"), r.t("tables", "unit"), *map(str, r.years)]
    if len(r.years) > 1:
        header_.append(r.t("tables", "period"))
    periods = [*r.years, r.span] if len(r.years) > 1 else r.years
    rows = []
    for code in r.review.indicators:
        rows.append((r.name("indicator", code), _unit_label(r, code), *(_cell(r, code, r.value(code, p)) for p in periods)))
    return table(header_, rows, numeric_from=2, caption=r.t("tables", "summary"), css="figures summary")


def outcomes(r: Report) -> Section:
    """II.4: results in figures, woven into sentences, with tables and charts."""
    section = Section([heading(r.t("sections", "outcomes"), 3), r.narrative_html("outcomes")])
    section.add(*_allowance(r), *_scholarships(r), *_health_and_gifts(r), *_injuries(r), *_models(r))
    return section.add(_summary_table(r))


def _drafted(r: Report, key: str, sentences: list[str]) -> str:
    """The draft as a list, replaced by the analyst's ``{#key}`` or followed by their ``{#key+}``."""
    if r.narrative.get(key):
        return r.narrative_html(key)
    items = "".join(f"<li>{text(s)}</li>" for s in sentences)
    drafted = f'<ul class="drafted">{items}</ul>' if items else ""
    extra = r.narrative.get(f"{key}+")
    return drafted + (narrative.to_html(extra) if extra else "")


def _comparison(r: Report) -> list[str]:
    a = r.assessment
    if a.comparison is None or a.previous is None:
        return []
    prev = a.previous
    rows = a.comparison[(a.comparison["unit"] == r.review.area) & (a.comparison["category"] == "total")]
    title = r.t("assessment", "comparison", title=prev.title[r.lang],
                period=vnformat.period(prev.first_year, prev.last_year))
    header_ = [r.t("tables", "indicator"), r.t("tables", "unit"), vnformat.period(prev.first_year, prev.last_year),
               vnformat.period(r.review.first_year, r.review.last_year), r.t("assessment", "change")]
    body = [(r.name("indicator", row.indicator), _unit_label(r, row.indicator),
             _cell(r, row.indicator, row.previous), _cell(r, row.indicator, row.current),
             _cell(r, row.indicator, row.change)) for row in rows.itertuples()]
    return [heading(title, 4), table(header_, body, numeric_from=2, css="figures comparison")]


def assessment(r: Report) -> Section:
    """II.5: overall assessment — drafted from the figures, edited or extended by the analyst."""
    from . import draft
    a = r.assessment
    return Section([heading(r.t("sections", "assessment"), 3), *_comparison(r),
                    heading(r.t("sections", "achievements"), 4), _drafted(r, "achievements", draft.achievements(r, a)),
                    heading(r.t("sections", "shortcomings"), 4), _drafted(r, "shortcomings", draft.shortcomings(r, a))])


def tasks(r: Report) -> Section:
    """III: key tasks and solutions (the analyst's text)."""
    return Section([heading(r.t("sections", "tasks")),
                    heading(r.t("sections", "tasks_list"), 3), r.narrative_html("tasks"),
                    heading(r.t("sections", "solutions"), 3), r.narrative_html("solutions")])


def recommendations(r: Report) -> Section:
    """IV: recommendations (the analyst's text)."""
    return Section([heading(r.t("sections", "recommendations")), r.narrative_html("recommendations")])


def recipients(r: Report) -> Section:
    """Recipients and the signature block."""
    names = "".join(f"<li>{text(n)}</li>" for n in r.review.recipients)
    office = text(r.review.issuing_office[r.lang].upper())
    return Section([f'<table class="signature"><tr><td><p class="recipients-title">{text(r.t("sections", "recipients"))}:'
                    f'</p><ul class="recipients">{names}</ul></td>'
                    f'<td><p class="office">{office}</p><p class="signer">{text(r.t("signature"))}</p></td></tr></table>'])


def _cell(r: Report, code: str, value: float) -> str:
    """A table cell: amounts in millions of đồng (as Vietnamese tables show them), else as is."""
    if r.data.catalog.indicators.at[code, "unit_vi"] == "đồng":
        return vnformat.number(value / 1e6, 1, r.lang)
    return r.fmt(code, value, False)


def _unit_label(r: Report, code: str) -> str:
    unit = r.data.catalog.indicators.at[code, f"unit_{r.lang}"]
    return {"đồng": "triệu đồng", "VND": "million VND"}.get(unit, unit)


def _merged_notes(r: Report) -> list[str]:
    """One note per unit whose earlier years add up predecessors (e.g. Thanh An = Cam An + Cam Thanh)."""
    from .. import units as unitlib
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
                                   predecessors=_join(r, names))))
    return notes


def _appendix_table(r: Report, code: str) -> str:
    periods = [*r.years, r.span] if len(r.years) > 1 else r.years
    units = r.data.facts.index.get_level_values("unit").unique()
    communes = sorted(u for u in units if u != r.review.area)
    body = [(r.name("unit", u), *(_cell(r, code, r.value(code, p, unit=u)) for p in periods)) for u in communes]
    body.append((r.t("tables", "district_total"), *(_cell(r, code, r.value(code, p)) for p in periods)))
    caption = f"{r.name('indicator', code)} ({_unit_label(r, code)})"
    header_ = [r.t("tables", "commune"), *map(str, r.years)] + ([r.t("tables", "period")] if len(r.years) > 1 else [])
    return table(header_, body, caption=caption, css="figures appendix")


def appendix(r: Report) -> Section:
    """Appendix 1: every indicator of the review per commune and year (what the source promised)."""
    section = Section([heading(r.t("sections", "appendix")), *_merged_notes(r)])
    return section.add(*(_appendix_table(r, code) for code in r.review.indicators))


def provenance(r: Report) -> Section:
    """Appendix 2: the data files with their fingerprints, the parameters and the method, in plain words."""
    from .. import manifest
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
