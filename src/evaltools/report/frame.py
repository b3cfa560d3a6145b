"""The official frame of a report: masthead, title, place and date, signature, recipients.

A notebook displays :func:`document` once; the output carries the frame's fields as
data (no markup) under :data:`evaltools.core.mime.FRAME`, with a short Markdown preview for
JupyterLab. At export the report template lays the frame out around the notebook's
content (see :mod:`evaltools.export.frame`), the way the decree prescribes
(Nghị định 30/2020/NĐ-CP, Phụ lục I): the masthead on top, the signature and
recipients after the last section, each appendix on a new page.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from evaltools.core import mime
from evaltools.model import vnformat
from evaltools.dataset.context import ReviewData
from evaltools.model.texts import Texts, escape_markdown
from evaltools.model.vocabulary import vocabulary



@dataclass(frozen=True)
class Document:
    """The frame's fields, ready to lay out (texts in the report's language)."""

    fields: dict

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        f = {k: escape_markdown(v) if isinstance(v, str) else v for k, v in self.fields.items()}
        preview = "\n\n".join(line for line in (
            f"**{f['issuer']}** · {f['place_date']}", f"**{f['kind']}** {f['title']}", f["period"]) if line)
        return {mime.FRAME: self.fields, "text/markdown": preview, "text/plain": f"{f['kind']} {f['title']}"}


def document(data: ReviewData, texts: Texts, high_findings: int = 0) -> Document:
    """The frame of ``data``'s report: offices, number, title, date, legal basis, signature, recipients.

    ``high_findings`` (rendered anyway with ``--allow-invalid``) puts a warning on page 1.
    """
    rv, lang = data.review, data.lang
    if rv.first_year == rv.last_year:
        period = texts.plain("document.year_line", year=rv.first_year, cutoff=vnformat.date(rv.cutoff, lang))
    else:
        period = texts.plain("document.period_line", period=vnformat.period(rv.first_year, rv.last_year),
                             cutoff=vnformat.date(rv.cutoff, lang))
    fields = {
        "lang": lang,
        "superior": _agency((rv.superior_office or {}).get(lang, ""), lang, rv.place),
        "issuer": _agency(rv.issuing_office[lang], lang, rv.place),
        # a draft without its register number yet shows where it goes ("Số: …/BC-…")
        "number": texts.plain("document.number", number=rv.number or texts.label("document.number_unset")),
        "country": texts.label("document.country"),
        "motto": texts.label("document.motto"),
        "place_date": texts.plain("document.place_date", place=rv.place, date=vnformat.date_long(rv.date, lang)),
        "kind": texts.label("document.report"),
        "title": _summary(rv.title[lang], texts.label("document.report")),
        "subject": rv.subject[lang] if rv.subject else "",
        "period": period,
        "draft": texts.label("document.draft") if rv.status != "final" else "",
        "basis": _lines([texts.plain("document.basis", basis=b[lang]) for b in rv.legal_basis]),
        "warning": texts.plain("document.banner", high=high_findings) if high_findings else "",
        "signature": _signature(rv, texts),
        "recipients_title": texts.label("document.recipients"),
        "recipients": _lines([f"- {r[lang]}" for r in rv.recipients]),
        "appendix_note": texts.plain("document.appendix_note" if rv.number else "document.appendix_note_unnumbered",
                                     number=rv.number or "", date=vnformat.date(rv.date, lang),
                                     issuer=rv.issuing_office[lang]),
    }
    return Document(fields)




@functools.cache
def _breaks() -> re.Pattern:
    """Where a long agency name may break: after a dash, before "and" (resources/vocabulary.yaml)."""
    words = "|".join(re.escape(w) for w in vocabulary()["and_words"])
    return re.compile(rf"(?<= [-–]) | (?=(?:{words}) )", re.I)


def _agency(name: str, lang: str = "vi", place: str = "") -> str:
    """An agency's name in capitals that breaks only after a dash or before "và": never inside a compound
    ("THƯƠNG / BINH"); every other space is a no-break space. An English name breaks between its words
    (its words are not compounds, and "CAM LỘ DISTRICT PEOPLE'S COMMITTEE" in one piece is wider than
    its column), except inside the place's name."""
    upper = name.upper()
    if lang == "en":
        keep = {m.start() + i for m in re.finditer(re.escape(place.upper()), upper) if place
                for i, c in enumerate(m[0]) if c == " "}
        return "".join("\u00a0" if i in keep else c for i, c in enumerate(upper))
    keep = {m.start() for m in _breaks().finditer(upper)}
    return "".join("\u00a0" if c == " " and i not in keep else c for i, c in enumerate(upper))


def _lines(items: list[str]) -> list[str]:
    """A list as an official document writes it: each line ends with ";", the last with "."."""
    return [item.rstrip(";.") + (";" if i < len(items) - 1 else ".") for i, item in enumerate(items)]


def _signature(rv, texts: Texts) -> dict:
    """The signer's lines: "KT. TRƯỞNG PHÒNG" when a deputy signs for the head, the title, the name."""
    signer, lang = rv.signer, texts.lang
    if signer is None:
        return {"lines": [{"kind": "position", "text": texts.label("document.signature")}], "name": ""}
    lines = [{"kind": "position", "text": signer.title[lang].upper()}]
    if signer.on_behalf_of:
        lines.insert(0, {"kind": "for", "text": texts.plain("document.on_behalf", title=signer.on_behalf_of[lang]).upper()})
    return {"lines": lines, "name": signer.name}


def _summary(title: str, kind: str) -> str:
    """The summary line under "BÁO CÁO": a config title that repeats the kind ("Báo cáo kết quả…")
    would print it twice."""
    if title.casefold().startswith(kind.casefold() + " "):
        rest = title[len(kind) + 1:].lstrip()
        return rest[:1].upper() + rest[1:]
    return title
