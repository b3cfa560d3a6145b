"""The narrative sections of the review report, one function each, mirroring the source report.

II.4 (results in figures) is in :mod:`.figures`, the appendices in :mod:`.appendix`.

Each function takes the loaded :class:`~evaltools.report.model.Report` and returns
a :class:`~evaltools.report.html.Section` (shown as one HTML output). Figures are
computed from the indicator table; words come from the language file and from the
analyst's narrative.
"""

from __future__ import annotations

from .. import vnformat
from . import charts, narrative
from .html import Section, figure, heading, paragraph, table, text
from .model import Report


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
    body = [(r.name("indicator", row.indicator), r.unit_label(row.indicator),
             r.cell(row.indicator, row.previous), r.cell(row.indicator, row.current),
             r.cell(row.indicator, row.change)) for row in rows.itertuples()]
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


