"""The official frame of a report: masthead, title, place and date, signature, recipients.

A notebook displays :func:`document` once; the output carries the frame's fields as
data (no markup) under :data:`evaltools.mime.FRAME`, with a short Markdown preview for
JupyterLab. At export the report template lays the frame out around the notebook's
content (see :mod:`evaltools.export.frame`), the way the decree prescribes
(Nghị định 30/2020/NĐ-CP, Phụ lục I): the masthead on top, the signature and
recipients after the last section, each appendix on a new page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import mime, vnformat
from ..context import ReviewData
from ..texts import Texts, escape_markdown



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
    """The frame of ``data``'s report: offices, title, date, legal basis, signature, recipients.

    ``high_findings`` (rendered anyway with ``--allow-invalid``) puts a warning on page 1.
    """
    rv, lang = data.review, data.lang
    fields = {
        "lang": lang,
        "superior": (rv.superior_office or {}).get(lang, "").upper(),
        "issuer": rv.issuing_office[lang].upper(),
        "country": texts.label("document.country"),
        "motto": texts.label("document.motto"),
        "place_date": texts.plain("document.place_date", place=rv.place, date=vnformat.date_long(rv.date, lang)),
        "kind": texts.label("document.report"),
        "title": rv.title[lang],
        "subject": rv.subject[lang] if rv.subject else "",
        "period": texts.plain("document.period_line", period=vnformat.period(rv.first_year, rv.last_year),
                            cutoff=vnformat.date(rv.cutoff, lang)),
        "basis_title": texts.label("document.basis"),
        "basis": list(rv.legal_basis),
        "warning": texts.plain("document.banner", high=high_findings) if high_findings else "",
        "signature": {"office": rv.issuing_office[lang].upper(), "position": texts.label("document.signature")},
        "recipients_title": texts.label("document.recipients"),
        "recipients": list(rv.recipients),
    }
    return Document(fields)
