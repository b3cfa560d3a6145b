"""``evaltools new-review``: the next review of a series, scaffolded from the last one.

    from evaltools.scaffold import new_review
    made = new_review("ct20-2012-2017", first=2017, last=2022)
    made.config          # data/reviews/ct20-2017-2022.yaml
    made.narratives      # {"vi": .../ct20-2017-2022.vi.md, "en": ...}

The new config is the old one moved on (see :mod:`.config`): same indicators, targets,
offices and comments; new id, title, years, dates; the old review as predecessor. Each
narrative file becomes a skeleton with last period's text in comments (:mod:`.skeleton`).
Files go beside the old config; an existing review is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import limits
from ..errors import EvaltoolsError, InputError, display_path
from ..iorw import atomic_write
from ..review import Review, load_review
from ..yamlio import load_yaml
from .config import NextReview, next_config
from .periods import move_title, next_id, span
from .skeleton import skeleton

__all__ = ["Scaffold", "check_id", "new_review", "resolve_source"]


@dataclass(frozen=True)
class Scaffold:
    """What :func:`new_review` wrote."""

    review_id: str
    config: Path
    narratives: dict[str, Path]
    flagged_targets: int              # targets due before the new period (kept, with a comment)


def resolve_source(source: str | Path, data: str | Path = "data") -> Path:
    """A review config path as given, or ``<data>/reviews/<id>.yaml`` for a review id."""
    from ..refs import resolve_review

    return resolve_review(source, data)


def _titles(programme, lang: str) -> dict[str, str]:
    """Heading titles of the programme's narrative parts (``narrative.titles.<key>`` of its texts)."""
    from ..texts import load_texts

    texts = load_texts(lang, programme.texts)
    return {key: texts.label(f"narrative.titles.{key}") if f"narrative.titles.{key}" in texts.entries else key
            for key in programme.narrative}


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")


def check_id(review_id: str) -> str:
    """A review id: it names files in data/reviews/ and the folder outputs/<id>/, so no path may hide in it.

    Raises
    ------
    EvaltoolsError
        For an id with a slash, dots, spaces or anything but letters, digits, '_' and '-'.
    """
    if not _ID.fullmatch(review_id):
        raise EvaltoolsError(f"--id {review_id!r}: expected letters, digits, '_' or '-' only (at most 100, starting "
                             "with a letter or digit), e.g. ct20-2018-2023; an id names files beside the old config "
                             "and the folder outputs/<id>/, never a path; nothing was written")
    return review_id


def _check_new(review: Review, first: int, last: int, review_id: str, folder: Path) -> None:
    for option, year in (("--first", first), ("--last", last)):
        if not 1900 <= year <= 2100:
            raise EvaltoolsError(f"{option} {year}: expected a year such as 2023 (1900 to 2100); nothing was written")
    if first > last:
        raise EvaltoolsError(f"--first {first} is after --last {last}")
    if review_id == review.id:
        raise EvaltoolsError(f"the new review would keep the id {review_id!r}; give one with --id")
    taken = [p for p in (folder / f"{review_id}.yaml", *folder.glob(f"{review_id}.*.md")) if p.exists()]
    if taken:
        raise EvaltoolsError(f"{display_path(taken[0])}: review {review_id!r} already exists; nothing was "
                             "written (choose another --id, or remove its files first)")


def _checked_config(text: str, folder: Path, review_id: str) -> None:
    """Load the new config from a hidden file beside its destination (so its paths resolve), then drop it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{review_id}.", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        load_review(tmp)
    except (EvaltoolsError, InputError) as exc:
        raise EvaltoolsError(f"the scaffolded config for {review_id} does not load ({exc}); "
                             "nothing was written") from None
    finally:
        os.unlink(tmp)


def new_review(source: str | Path, first: int, last: int, review_id: str | None = None,
               data: str | Path = "data", today: dt.date | None = None) -> Scaffold:
    """Write the next review's config and narrative skeletons beside ``source``'s config.

    Parameters
    ----------
    source : str or Path
        The last review: an id (looked up in ``<data>/reviews/``) or a config path.
    first, last : int
        The new review's years.
    review_id : str, optional
        The new id; default: the old one with its years moved (``ct20-2017-2022``).
    data : path
        The data folder where an id is looked up.
    today : date, optional
        Date written in the files' notes (default: today).

    Raises
    ------
    EvaltoolsError
        When the source is missing or invalid, the years are reversed, or the new review
        already exists (nothing is written then).
    """
    from ..context import review_programme

    path = resolve_source(source, data)
    if review_id is not None:
        check_id(review_id)
    review, raw, text = load_review(path), load_yaml(path), limits.read_text(path, limits.YAML_MB, "a YAML file")
    programme = review_programme(review)
    old, years = (review.first_year, review.last_year), (first, last)
    review_id = check_id(review_id or next_id(review.id, old, years))
    folder = path.parent
    _check_new(review, first, last, review_id, folder)
    languages = review.narrative or {}
    names = {lang: f"{review_id}.{lang}.md" for lang in languages}
    new = NextReview(review_id, first, last, os.path.relpath(review.path, folder.resolve()), names,
                     today or dt.date.today())
    config = next_config(text, raw, review, new)
    _checked_config(config, folder, review_id)
    written: dict[str, Path] = {}
    try:
        for lang, old_file in languages.items():
            markdown = limits.read_markdown(old_file) if old_file.exists() or old_file.is_symlink() else ""
            body = skeleton(markdown, lang, _titles(programme, lang), programme.drafted,
                            title=move_title(review.title[lang], old, years), new=years, old=old,
                            source=old_file.name, today=new.today)
            written[lang] = atomic_write(folder / names[lang], body)
        target = atomic_write(folder / f"{review_id}.yaml", config)
    except BaseException:
        for made in written.values():          # no skeleton without its config
            made.unlink(missing_ok=True)
        raise
    flagged = config.count("# NOTE (evaltools new-review): due in")
    return Scaffold(review_id, target, written, flagged)


def describe(made: Scaffold, first: int, last: int) -> str:
    """What the command prints: the files written and the next steps."""
    lines = [f"{display_path(made.config)}: review {made.review_id} ({span(first, last)})"]
    lines += [f"{display_path(p)}: narrative skeleton ({lang}), last period's text in comments"
              for lang, p in made.narratives.items()]
    if made.flagged_targets:
        lines.append(f"{made.flagged_targets} target(s) fall due before {first}: see the NOTE comments in the config")
    lines.append(f"next: revise the narrative, then `evaltools run {display_path(made.config)}`")
    return "\n".join(lines)
