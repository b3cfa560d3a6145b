"""The next review's config, written by editing the last one's text so its comments stay.

Review configs are hand-written, commented YAML. Rather than dump a new file (and lose
every comment), :func:`next_config` edits the old text line by line, using the line
numbers the YAML loader records: scalar values are replaced in place (their trailing
comments kept), the title, subject and narrative blocks are rewritten, the predecessor is
set, and targets that fall due before the new period get a comment saying so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from evaltools.project.review import Review
from evaltools.core.yamlio import Record
from evaltools.scaffold.periods import move_text, move_title, span

_SCALAR = re.compile(r"^(?P<head>\s*[\w-]+:[ \t]*)(?P<value>\"[^\"]*\"|'[^']*'|[^#]*?)(?P<tail>[ \t]*#.*)?$")
_DMY = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


@dataclass(frozen=True)
class NextReview:
    """What changes from one review to the next."""

    id: str
    first_year: int
    last_year: int
    predecessor: str                  # the old config, relative to the new one ("": none, a first review)
    narrative: dict[str, str]         # language -> file name, relative to the new config
    today: dt.date
    cutoff: dt.date                   # the data's: end of the last year, or where the catalog ends it
    date: dt.date                     # signed as long after the cut-off as the old review was
    programme: str = ""               # another programme's first review: its id
    titles: dict[str, str] | None = None   # its titles (default: the old ones moved to the new period)


def scalar(value: object) -> str:
    """A YAML scalar on one line, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _set_value(line: str, value: str) -> str:
    """``line`` (``key: old  # comment``) with the value replaced and the comment kept in its column."""
    match = _SCALAR.match(line)
    if match is None:
        return line
    tail = match["tail"] or ""
    if tail:
        room = len(match["value"]) + len(tail) - len(tail.lstrip())
        tail = " " * max(1, room - len(value)) + tail.lstrip()
    return f"{match['head']}{value}{tail}"


def _block_end(lines: list[str], raw: Record, key: str) -> int:
    """Index just past ``key``'s block: up to the next top-level key, less its comments and blank lines."""
    start = raw.key_lines[key] - 1
    later = [n - 1 for n in raw.key_lines.values() if n - 1 > start]
    end = min(later) if later else len(lines)
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _i18n_block(key: str, values: dict[str, str], line: str) -> list[str]:
    """``key:`` (its old line when the values were below it, so its comment stays) and one line per language."""
    match = _SCALAR.match(line)
    head = line.rstrip() if match and not match["value"].strip() else f"{key}:"
    if match and match["value"].strip() and match["tail"]:
        head += "  " + match["tail"].strip()
    return [head] + [f"  {lang}: {scalar(text)}" for lang, text in values.items()]


def next_config(text: str, raw: Record, review: Review, new: NextReview) -> str:
    """The new config's text: ``text`` (the old config, loaded as ``raw`` and ``review``) moved on.

    Changes id, status (back to draft), title (and subject) to the new period, first and last year, the
    cut-off and signing date (``new``'s: they belong to the data, not to the old review), predecessor,
    narrative files, and the header comment; empties the register number (the office's register gives the
    new report its own); flags targets due before the new period. Everything else (indicators, targets,
    assessment, offices, comments) stays.
    """
    lines = text.splitlines()
    old, years = (review.first_year, review.last_year), (new.first_year, new.last_year)
    edits: list[tuple[int, int, list[str]]] = []

    def put(key: str, value: str) -> None:
        at = raw.key_lines[key] - 1
        edits.append((at, at + 1, [_set_value(lines[at], value)]))

    put("id", scalar(new.id))
    if new.programme:
        at = raw.key_lines["programme"] - 1
        edits.append((at, at + 1, [f"programme: {scalar(new.programme)}   # programmes/{new.programme}/: its "
                                   "notebook, texts and style"]))
    if "status" in raw.key_lines:                # the new period's report starts as a draft
        put("status", "draft")
    put("first_year", str(new.first_year))
    put("last_year", str(new.last_year))
    for key in ("date", "cutoff"):
        day = getattr(new, key)
        written = str(raw[key]).strip()
        put(key, f"{day:%d/%m/%Y}" if _DMY.match(written) else day.isoformat())
    if "number" in raw.key_lines:               # "Số: 45/BC-…" is the old report's; a draft shows "Số: …/BC-…"
        at = raw.key_lines["number"] - 1
        edits.append((at, at + 1, [f"number:                            # the register's number, e.g. "
                                   f"{scalar(str(review.number or ''))}: set it before --final"]))
    for key in ("title", "subject"):
        if key in raw.key_lines:
            at = raw.key_lines[key] - 1
            mover = move_title if key == "title" else move_text
            values = {lang: mover(t, old, years) for lang, t in getattr(review, key).items()}
            if key == "title" and new.titles:
                values = new.titles
            edits.append((at, _block_end(lines, raw, key), _i18n_block(key, values, lines[at])))
    edits += _predecessor(lines, raw, new)
    if new.narrative and "narrative" in raw.key_lines:
        at = raw.key_lines["narrative"] - 1
        edits.append((at, _block_end(lines, raw, "narrative"),
                      _i18n_block("narrative", new.narrative, lines[at])))
    edits += _target_notes(lines, raw, new)
    title = (new.titles or {}).get("vi") or _new_title(review, old, years)
    edits.append(_header(lines, review, new, title))
    # Bottom up, so earlier line numbers stay right; at one line a replacement goes before an insertion.
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = replacement
    return "\n".join(lines) + "\n"


def _new_title(review: Review, old: tuple[int, int], years: tuple[int, int]) -> str:
    return move_title(review.title.get("vi") or next(iter(review.title.values())), old, years)


def _predecessor(lines: list[str], raw: Record, new: NextReview) -> list[tuple[int, int, list[str]]]:
    line = f"predecessor: {scalar(new.predecessor)}   # the review before: compared side by side"
    if not new.predecessor:                        # a programme's first review compares with nothing
        at = raw.key_lines.get("predecessor")
        return [(at - 1, at, [])] if at else []
    if "predecessor" in raw.key_lines:             # its old comment may name the old years: rewrite it
        at = raw.key_lines["predecessor"] - 1
        return [(at, at + 1, [line])]
    after = max(raw.key_lines[k] for k in ("cutoff", "language", "data") if k in raw.key_lines)
    return [(after, after, [line])]


def _target_notes(lines: list[str], raw: Record, new: NextReview) -> list[tuple[int, int, list[str]]]:
    """A comment above each target due before the new period (kept, but it can only show 'no data')."""
    notes = []
    for target in raw.get("targets") or []:
        year = target.get("year") if isinstance(target, dict) else None
        if not isinstance(year, int) or year >= new.first_year:
            continue
        at = target.line - 1
        indent = re.match(r"\s*", lines[at]).group(0)
        notes.append((at, at, [f"{indent}# NOTE (evaltools new-review): due in {year}, before this review's "
                                f"period {span(new.first_year, new.last_year)}; set a new year or remove it."]))
    return notes


def _header(lines: list[str], review: Review, new: NextReview, title: str) -> tuple[int, int, list[str]]:
    """Replace the first comment line (the old review's description) with the new one's."""
    first = 1 if lines and lines[0].startswith("#") else 0
    return (0, first, [f"# {title}",
                       f"# Scaffolded by `evaltools new-review` on {new.today:%d/%m/%Y} from {review.path.name} "
                       f"({span(review.first_year, review.last_year)}):",
                       "# check the title, date, cut-off and targets, and write the narrative before rendering."])
