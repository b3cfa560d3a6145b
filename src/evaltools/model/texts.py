"""Words of a report in one language: labels and sentence templates, filled with formatted figures.

Texts live in YAML files whose leaves hold both languages side by side, so a
translator sees the pair::

    area:
      vi: Toàn huyện có {communes} xã, thị trấn với {children} trẻ em (năm {year}).
      en: The district has {communes} communes and towns with {children} children ({year}).

A leaf may also be one text for both languages. evaltools ships generic texts (the
official document's fixed words, table headers, drafted assessment sentences,
the data-quality page); a programme's ``texts.yaml`` adds its own and may override
any of them. Keys are dotted paths (``charts.year``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import string
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from evaltools.model import fact, vnformat
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.schema import LANGUAGES
from evaltools.core.yamlio import load_yaml

_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|~#"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def escape_markdown(text: str) -> str:
    """Make ``text`` (a name from data, a figure) read literally inside Markdown."""
    return str(text).translate(_MARKDOWN_SPECIAL)


class Prose(str):
    """A sentence or paragraph of Markdown that a notebook shows as formatted text.

    As a string it is the plain Markdown; displayed, its computed figures link to their lines
    of the method appendix (``linked``, see :func:`linked`).
    """

    linked: str | None = None

    def _repr_markdown_(self) -> str:
        return self.linked or str(self)

    def __repr__(self) -> str:
        return str(self)

    @classmethod
    def of(cls, text: str, linked: str | None = None) -> Prose:
        """Prose whose display is ``linked`` (the same text with its figures linked)."""
        out = cls(text)
        out.linked = linked if linked and linked != text else None
        return out

    @classmethod
    def bullets(cls, items: Iterable[str]) -> Prose:
        """A bulleted list of sentences (one ``- `` line each)."""
        items = [item for item in items if item]
        return cls.of("\n".join(f"- {item}" for item in items),
                      "\n".join(f"- {getattr(item, 'linked', None) or item}" for item in items))

    @classmethod
    def paragraphs(cls, items: Iterable[str]) -> Prose:
        """Sentences as separate paragraphs."""
        items = [item for item in items if item]
        return cls.of("\n\n".join(items), "\n\n".join(getattr(item, "linked", None) or item for item in items))


_LINK = re.compile(r'<a class="fact" href="#fact-\d+" title="[^"]*">(.*?)</a>')


def linked(anchor: int, shown: str, title: str) -> str:
    """A figure in Markdown that explains itself: its definition as a tooltip (``title``, no script
    needed) and a link to its line ``#fact-N`` of the method appendix."""
    import html
    return f'<a class="fact" href="#fact-{anchor}" title="{html.escape(title, quote=True)}">{shown}</a>'


def _is_leaf(node: object) -> bool:
    return isinstance(node, Mapping) and "vi" in node and set(node) <= set(LANGUAGES)


def _flatten(node: object, lang: str, prefix: str, out: dict[str, object], source: str) -> None:
    if _is_leaf(node):
        out[prefix] = node.get(lang) or node["vi"]
    elif isinstance(node, Mapping):
        if set(node) & set(LANGUAGES):
            raise EvaltoolsError(f"{source}: text {prefix!r}: expected only the keys vi and en, found "
                                 f"{', '.join(map(str, node))} (a comma inside {{...}} ends the text: put the text "
                                 "in quotes)")
        for key, child in node.items():
            _flatten(child, lang, f"{prefix}.{key}" if prefix else str(key), out, source)
    elif isinstance(node, list):
        out[prefix] = [item.get(lang) or item["vi"] if _is_leaf(item) else item for item in node]
    else:
        out[prefix] = node


class _Formatter(string.Formatter):
    """Figures formatted the language's way, then escaped for Markdown; each figure written is
    recorded in the report's ledger (:mod:`evaltools.model.fact`) under ``group``, and in Markdown a
    computed one links to its line of the method appendix, its definition in its ``title``."""

    def __init__(self, lang: str, escape: bool = True, texts: Texts | None = None, group: int = 0, key: str = ""):
        self.lang = lang
        self.escape = escape
        self.texts, self.group, self.key = texts, group, key

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, vnformat.Quantity):
            text = format(value, format_spec)
            anchor = fact.ledger().write(value.fact, text, self.group, self.key) if self.texts else None
            if anchor is not None and self.escape:
                return linked(anchor, escape_markdown(text), self.texts.explain(value.fact))
        elif isinstance(value, dt.date):
            text = vnformat.date(value, self.lang)
        elif isinstance(value, bool) or isinstance(value, int):
            text = str(value)                      # years and counts as typed: 2017, not 2.017
        elif isinstance(value, float):
            text = vnformat.compact(value, self.lang)
        else:
            text = format(value, format_spec)
        return escape_markdown(text) if self.escape else text


class Texts:
    """The words of one language, looked up by dotted key.

    ``texts("sentences.area", communes=q, year=2017)`` gives a :class:`Prose` sentence;
    ``texts.label("charts.year")`` a plain label.
    """

    def __init__(self, lang: str, entries: dict[str, object], sources: tuple[Path, ...] = ()):
        self.lang = lang
        self.entries = entries
        self.sources = sources
        # What this report has already written, so that a drafted assessment never says it twice.
        self.said: set[str] = set()
        self.figures_said: set[vnformat.Quantity] = set()

    def _get(self, key: str) -> object:
        if key in self.entries:
            return self.entries[key]
        close = difflib.get_close_matches(key, list(self.entries), n=2)
        where = ", ".join(display_path(p) for p in self.sources) or "the texts"
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise EvaltoolsError(f"no text {key!r} in {where}{hint}")

    def label(self, key: str) -> str:
        """A label, as written (no placeholders filled)."""
        return " ".join(str(self._get(key)).split())

    def items(self, key: str) -> list[str]:
        """A list of texts (e.g. the method's rules)."""
        value = self._get(key)
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def __call__(self, key: str, **values: object) -> Prose:
        """The sentence ``key`` as Markdown, its ``{placeholders}`` filled by formatted, escaped values.

        A sentence one of whose figures (a :class:`~evaltools.model.vnformat.Quantity`) is missing is
        left out (empty): a report never writes a missing figure as a number or a dash. A figure
        that rests on fewer returns than expected gets the count at the end of its sentence.
        """
        text = self._fill(key, values, escape=True)
        sentence = Prose.of(_LINK.sub(r"\1", text), text)
        self.said.add(sentence)
        return sentence

    def plain(self, key: str, **values: object) -> str:
        """The sentence ``key`` as plain text (for a title, a table cell, a chart label); empty like
        ``texts(...)`` when a figure is missing."""
        return self._fill(key, values, escape=False)

    def _fill(self, key: str, values: dict, escape: bool) -> str:
        template = self.label(key)
        figures = [v for v in values.values() if isinstance(v, vnformat.Quantity)]
        if any(q.missing for q in figures):
            return ""
        self.figures_said.update(figures)
        group = fact.ledger().group()
        try:
            text = _Formatter(self.lang, escape, self, group, key).format(template, **values)
        except KeyError as exc:
            raise EvaltoolsError(f"text {key!r} needs a value for {{{exc.args[0]}}}: {template!r}") from None
        short = [q for q in figures if not q.complete]
        if not short:
            return text
        fact.ledger().mark(group)
        least = min(short, key=lambda q: q.reported / q.expected)
        note = self.label("figures.coverage").format(reported=least.reported, expected=least.expected)
        end = "." if text.endswith(".") else ""
        return f"{text.removesuffix('.')} ({note}){end}"

    def explain(self, what: fact.Fact, general: bool = False) -> str:
        """A computed figure's definition in words: numerator and denominator with their values, its
        years, the units that reported and how the years add up (``facts.*`` texts); ``general``: the
        indicator's definition only (for a table's every cell)."""
        def n(v) -> str:
            return vnformat.compact(v, self.lang)
        times = " " + self.plain("facts.times", factor=n(what.factor)) if what.factor not in (None, 1) else ""
        if general:
            key = "facts.general_ratio" if what.denominator_name else "facts.general_count"
            return self.plain(key, name=what.name, numerator_name=what.numerator_name,
                              denominator_name=what.denominator_name, times=times)
        if what.aggregation in ("constant", "count"):
            key = "facts.rows" if what.aggregation == "count" else "facts.constant"
            return self.plain(key, value=n(what.value))
        if what.denominator_name:
            formula = self.plain("facts.ratio", name=what.name, numerator_name=what.numerator_name,
                                 numerator=n(what.numerator), denominator_name=what.denominator_name,
                                 denominator=n(what.denominator), times=times)
        else:
            formula = self.plain("facts.count", name=what.name, numerator_name=what.numerator_name,
                                 numerator=n(what.numerator if what.numerator is not None else what.value))
        first, _, last = what.period.partition("-")
        when = (self.plain("facts.span", period=vnformat.period(int(first), int(last))) if last
                else self.plain("facts.year", year=what.period))
        parts = [formula, when]
        if what.until:
            parts.append(self.plain("facts.until", day=vnformat.date(dt.date.fromisoformat(what.until), self.lang)))
        if what.reported is not None and what.expected is not None:
            parts.append(self.plain("facts.coverage", reported=what.reported, expected=what.expected))
        if what.aggregation in ("sum", "last", "ratio", "mean"):
            parts.append(self.plain(f"facts.aggregation.{what.aggregation}", year=what.year or ""))
        return "; ".join(p for p in parts if p)

    def unit(self, name: str) -> str:
        """A unit's name inside a sentence: "xã Cam An", "thị trấn Cam Lộ" (its kind in lower case, as
        official Vietnamese writes it after the sentence's first word); a table cell keeps "Xã Cam An"."""
        for kind in self.items("words.unit_kinds") if "words.unit_kinds" in self.entries else []:
            if name.startswith(kind + " "):
                return kind.lower() + name[len(kind):]
        return name

    def join(self, items: Iterable[str]) -> str:
        """``a, b và c`` / ``a, b and c``."""
        items = [str(i) for i in items]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.label('words.and')} {items[-1]}"


def _read(path: Path) -> Mapping:
    data = load_yaml(path)
    if not isinstance(data, Mapping):
        raise EvaltoolsError(f"{display_path(path)}: expected a mapping of texts (key: {{vi: ..., en: ...}})")
    return data


def generic_texts_file() -> Path:
    """evaltools' own texts (package data)."""
    return Path(str(resources.files("evaltools") / "resources" / "texts.yaml"))


@functools.cache
def _generic() -> Mapping:
    return _read(generic_texts_file())


def check_name(rule: str) -> tuple[str, str]:
    """(Vietnamese, English) name of a built-in check, from ``checks.<rule in lower case>`` of the
    package's texts.yaml."""
    entry = _generic()["checks"][rule.lower()]
    return entry["vi"], entry["en"]


def package_entry(key: str) -> object:
    """The raw entry at dotted ``key`` of the package's texts.yaml (a text, a list, a mapping), for
    words that are in one language only (the return template)."""
    node: object = _generic()
    for part in key.split("."):
        node = node[part]  # type: ignore[index]
    return node


def load_texts(lang: str, *files: Path | None) -> Texts:
    """evaltools' generic texts, then each of ``files`` over them (a programme's ``texts.yaml``)."""
    if lang not in LANGUAGES:
        raise EvaltoolsError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    sources = (generic_texts_file(), *(f for f in files if f is not None))
    entries: dict[str, object] = {}
    for path in sources:
        _flatten(_read(path), lang, "", entries, display_path(path))
    return Texts(lang, entries, sources)
