"""The consistency audit: what a rendered report's figures say against each other (``evaltools check``).

It reads the report's ledger (``outputs/<id>/facts.json``, see :mod:`evaltools.model.fact`):
every figure written with its fact and as displayed, and the claims sentences and
tables made. Each rule returns one line per contradiction (``data/README.md``, "How
the report says it", lists them):

- ``count``: a count in a sentence equals the rows of the table it counts;
- ``parts``: parts of a figure add to at most its total (to it, in one sentence), and a
  stock's parts are of the total's year;
- ``direction``: a stated rise or fall agrees with every comparison the report shows for
  that indicator, or the sentence names both;
- ``difference``: a change equals the difference of the two values as displayed;
- ``like-with-like``: a partial or incompletely reported year is never compared with a full one
  (in a table's change, or side by side in one sentence);
- ``coverage``: a figure resting on fewer returns than expected is marked where written;
- ``target``: every target of the review appears with its state.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, display_path

FACTS_FILE = "facts.json"
_SEPARATORS = {"vi": (".", ","), "en": (",", ".")}


def parse_shown(text: str, lang: str) -> float:
    """A number as a report displays it (``1.056``, ``-0,08``; ``–`` missing: NaN)."""
    group, point = _SEPARATORS[lang]
    found = re.search(r"-?[\d.,]+", str(text).replace("\u2212", "-"))
    if not found or not re.search(r"\d", found.group()):
        return math.nan
    return float(found.group().replace(group, "").replace(point, "."))


def _facts(ledger: dict) -> list[tuple[dict, dict]]:
    return [(e, e["fact"]) for e in ledger["entries"] if e.get("fact")]


def counts(ledger: dict) -> list[str]:
    """Sentence counts against the rows of the table they count."""
    tables = {c["counted"]: c["rows"] for c in ledger["claims"] if c["kind"] == "table" and c.get("counted")}
    return [f"count: “{e['shown']}” {f['indicator']} in {e['key']} but the table shows {tables[f['indicator']]} rows"
            for e, f in _facts(ledger) if f["aggregation"] == "count" and f["indicator"] in tables
            and f["value"] != tables[f["indicator"]]]


def _additive(f: dict) -> bool:
    return not f.get("denominator_name") and f["aggregation"] in ("year", "sum", "last")


def parts(ledger: dict) -> list[str]:
    """Parts written against their total (a stock's: those of its year): never more; all of them in one
    sentence add up; all of the total's year."""
    written = [(e, f) for e, f in _facts(ledger) if _additive(f)]
    out = []
    for entry, total in ((e, f) for e, f in written if f["category"] == "total"):
        code, unit, period = total["indicator"], total["unit"], total["period"]
        periods = {period} | ({str(total["year"])} if total["aggregation"] == "last" else set())
        mine = [(e, f) for e, f in written if f["category"] != "total" and f["indicator"] == code
                and f["unit"] == unit and f["period"] in periods]
        found = {f["category"]: f for _, f in mine}
        share = sum(p["value"] for p in found.values())
        if found and share > total["value"] + 1e-9:
            out.append(f"parts: {code} {period}: parts written add to {share:g}, more than the total “{entry['shown']}”")
        same = {f["category"]: f for e, f in mine if e["group"] == entry["group"]}
        if same and abs(sum(p["value"] for p in same.values()) - total["value"]) > 1e-9:
            out.append(f"parts: {code} {period}: the parts in {entry['key']} do not add to its total “{entry['shown']}”")
        years = sorted({p["year"] for p in found.values() if p["year"] != total["year"]})
        if years and total["aggregation"] in ("last", "year"):
            out.append(f"parts: {code} {period}: parts of {', '.join(map(str, years))} beside a total of "
                       f"{total['year']}")
    return out


def directions(ledger: dict) -> list[str]:
    """Stated directions against every comparison shown (a change's sign)."""
    out = []
    changes = defaultdict(list)
    for c in ledger["claims"]:
        if c["kind"] == "difference":
            change = parse_shown(c["shown"][2], ledger["lang"])
            if not math.isnan(change) and change != 0:
                changes[c["indicator"]].append((c, change))
    for c in ledger["claims"]:
        if c["kind"] != "direction" or c.get("names_both"):
            continue
        for shown, change in changes[c["indicator"]]:
            if (change > 0) != (c["sign"] > 0):
                word = "rise" if c["sign"] > 0 else "fall"
                out.append(f"direction: {c['indicator']}: a sentence states a {word} ({c['reading']}) but a "
                           f"comparison shows {shown['shown'][2]} ({shown['years'][0]} → {shown['years'][1]})")
    return out


def differences(ledger: dict) -> list[str]:
    """A change shown against the two values shown; none between a partial or incomplete year and a full one."""
    out = []
    for c in ledger["claims"]:
        if c["kind"] != "difference":
            continue
        before, after, change = (parse_shown(v, ledger["lang"]) for v in c["shown"])
        if math.isnan(change):
            continue
        if not math.isnan(before) and not math.isnan(after) and abs(after - before - change) > 1e-6:
            out.append(f"difference: {c['indicator']}: {c['shown'][0]} → {c['shown'][1]} shown with a change of "
                       f"{c['shown'][2]}")
        if (c.get("flow", True) and any(c["partial"])) or not all(c["complete"]):
            out.append(f"like-with-like: {c['indicator']}: {c['years'][0]} and {c['years'][1]} compared "
                       "(a partial or incompletely reported year beside a full one)")
    return out


def sentences(ledger: dict) -> list[str]:
    """In one sentence, a figure of a partial or incomplete year beside the same indicator's full year;
    any figure on fewer returns than expected written without its mark."""
    out, by_group = [], defaultdict(list)
    for e, f in _facts(ledger):
        if f["aggregation"] == "count":
            continue
        if e["key"] != "table":              # a table's row of years marks its partial year in the header
            by_group[e["group"]].append((e, f))
        short = f["reported"] is not None and f["expected"] is not None and f["reported"] < f["expected"]
        if short and not e["marked"]:
            out.append(f"coverage: {f['indicator']} {f['period']} “{e['shown']}” rests on {f['reported']}/"
                       f"{f['expected']} returns and is written without its mark ({e['key']})")
    for group in by_group.values():
        kinds = defaultdict(set)
        for e, f in group:
            if f["category"] == "total" and "-" not in f["period"] and f.get("flow", True):
                whole = not f["partial"] and (f["reported"] is None or f["reported"] >= f["expected"])
                kinds[f["indicator"]].add((f["period"], whole))
        for code, seen in kinds.items():
            if len({p for p, _ in seen}) > 1 and len({w for _, w in seen}) > 1:
                years = ", ".join(f"{p}{'' if w else '*'}" for p, w in sorted(seen))
                out.append(f"like-with-like: {code}: one sentence sets {years} side by side (* partial or "
                           "incomplete)")
    return out


def targets(ledger: dict) -> list[str]:
    """Every target of the review written with its state."""
    written = {(c["indicator"], c["year"]) for c in ledger["claims"] if c["kind"] == "target"}
    return [f"target: {t['indicator']} {t['operator']} {t['value']:g}"
            f"{' (' + str(t['year']) + ')' if t['year'] else ''} is not in the report"
            for t in ledger.get("targets", []) if (t["indicator"], t["year"]) not in written]


RULES = (counts, parts, directions, differences, sentences, targets)


def audit(ledger: dict) -> list[str]:
    """Every contradiction in a report's ledger, one line each (empty: none)."""
    return [line for rule in RULES for line in dict.fromkeys(rule(ledger))]


def traced(ledger: dict) -> tuple[int, int]:
    """(figures written, figures written with their fact)."""
    entries = ledger["entries"]
    return len(entries), sum(1 for e in entries if e.get("fact"))


def read_ledger(folder: Path) -> dict:
    """A rendered review's ``facts.json``; one clear line when there is none or it is not readable."""
    path = folder / FACTS_FILE
    if not path.is_file():
        raise EvaltoolsError(f"{display_path(path)}: no facts of a rendered report; render it first "
                             "(evaltools run REVIEW)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise EvaltoolsError(f"{display_path(path)}: not a facts file ({exc})") from None
