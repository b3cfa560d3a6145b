"""The report's figures as facts: counts that name what they count, and the method appendix that lists them.

Every figure a sentence writes is recorded in the report's ledger (:mod:`evaltools.model.fact`);
:func:`appendix` shows each computed one on a numbered line (the line a figure's link in
the text points to) and hands the whole ledger to ``evaltools run``, which writes it as
``outputs/<id>/facts.json`` for the consistency audit (``evaltools check``).
"""

from __future__ import annotations

import html
from dataclasses import replace

import pandas as pd

from evaltools.model import fact, vnformat
from evaltools.core import mime
from evaltools.model.texts import Texts


def alike(*figures: vnformat.Quantity) -> bool:
    """Whether figures may be set side by side as like with like: none rests on fewer returns than
    expected and none is a flow of a year cut off early (five months are not a year)."""
    return all(f.complete and not (f.fact is not None and f.fact.flow and f.fact.partial) for f in figures)


def count(frame: pd.DataFrame, what: str, lang: str = "vi", name: str = "") -> vnformat.Quantity:
    """The number of rows of ``frame`` as a figure for a sentence ("thuộc {kinds} loại"): its fact says
    it counts the rows of the table shown as ``styled(..., counted=what)``, and the audit holds them equal;
    ``name`` is what the method appendix calls it ("Số loại văn bản")."""
    return vnformat.Quantity(len(frame), 0, "", lang, fact=fact.Fact(indicator=what, aggregation="count",
                                                                     value=float(len(frame)), name=name))


class Constants(dict):
    """The catalog's named numbers (name -> a value, or {year: value}) and ``names``: name -> its words."""

    def __init__(self, values: dict, names: dict[str, str]):
        super().__init__(values)
        self.names = names


class Appendix:
    """The method appendix's list of figures (HTML table, one ``id="fact-N"`` row per figure) and, for
    machines, the report's whole ledger (:data:`evaltools.core.mime.FACTS`, which the export drops)."""

    def __init__(self, rows: list[tuple[int, str, str, str]], record: dict, head: list[str], intro: str):
        self.rows, self.record, self.head, self.intro = rows, record, head, intro

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        cells = "".join(f'<tr id="fact-{n}"><td class="num">{n}</td><td>{html.escape(name)}</td>'
                        f'<td class="num">{html.escape(shown)}</td><td>{html.escape(how)}</td></tr>'
                        for n, name, shown, how in self.rows)
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.head)
        table = (f"<p>{html.escape(self.intro)}</p><table class=\"figures facts\"><thead><tr>{head}</tr></thead>"
                 f"<tbody>{cells}</tbody></table>")
        return {"text/html": table, mime.FACTS: self.record,
                "text/plain": f"{len(self.rows)} figures, {len(self.record['entries'])} writings"}


def appendix(data, texts: Texts) -> Appendix:
    """Every computed figure the report wrote so far: each figure of a sentence on its own line, numbered as
    its link in the text, with its definition and values; then one line per indicator shown in tables (each
    cell one unit's and one period's figure, its coverage marked in the table). Display it last: what is
    written after it is not listed. The ledger it hands on also names the review's targets (each must be
    written) and the report's language."""
    ledger = fact.ledger()
    shown = {}
    for entry in ledger.entries:
        if entry["anchor"] is not None:
            shown.setdefault(entry["anchor"], entry["shown"])
    def called(f: dict) -> str:
        """A figure's name; a count of rows no notebook named is the table's rows, never its code."""
        return f["name"] or (texts.label("facts.appendix.rows") if f["aggregation"] == "count" else f["indicator"])
    rows = [(n, " – ".join(x for x in (called(f), f["where"]) if x), shown[n],
             texts.explain(fact.Fact(**f))) for n, f in ledger.facts()]
    start = len(rows) + 1
    rows += [(start + i, f["name"] or f["indicator"], texts.label("facts.appendix.tables"),
              texts.explain(fact.Fact(**f), general=True)) for i, f in enumerate(ledger.tabled())]
    head = [texts.label(f"facts.appendix.{k}") for k in ("number", "figure", "value", "definition")]
    targets = [{"indicator": t.indicator, "operator": t.operator, "value": float(t.value),
                "year": None if t.year is None or t.year != t.year else int(t.year)}
               for t in data.review.targets.itertuples()]
    record = {**ledger.record(), "review": data.review.id, "lang": texts.lang, "targets": targets}
    return Appendix(rows, record, head, texts.label("facts.appendix.intro"))


def read_facts(nb) -> dict | None:
    """The ledger an executed notebook's appendix recorded (None when it shows none)."""
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(mime.FACTS)
            if found:
                return found
    return None


def constant(data, code: str, name: str, constants: dict) -> vnformat.Quantity:
    """A catalog constant (``constants:`` of validation_rules.yaml) written as indicator ``code`` writes its
    values, its fact naming the constant (it is given, not computed from returns)."""
    value = float(constants[name])
    label = getattr(constants, "names", {}).get(name, name)
    return replace(data.as_quantity(code, value), fact=fact.Fact(indicator=name, aggregation="constant",
                                                                 value=value, name=label))
