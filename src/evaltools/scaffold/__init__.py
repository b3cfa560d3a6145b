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
from dataclasses import dataclass, replace
from pathlib import Path

from evaltools.core import limits
from evaltools.core.errors import EvaltoolsError, InputError, display_path
from evaltools.core.iorw import atomic_write
from evaltools.project.review import Review, load_review
from evaltools.core.yamlio import load_yaml
from evaltools.scaffold.config import NextReview, next_config
from evaltools.scaffold.periods import move_title, next_id, span
from evaltools.scaffold.skeleton import skeleton
from evaltools.project.refs import resolve_review
from evaltools.model.texts import load_texts
from evaltools.project.programme import review_programme
from evaltools.model.catalog import load_catalog
from evaltools.project.project import project_of

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
    return resolve_review(source, data)


def _titles(programme, lang: str) -> dict[str, str]:
    """Heading titles of the programme's narrative parts (``narrative.titles.<key>`` of its texts)."""
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


def new_review(source: str | Path | None, first: int, last: int, review_id: str | None = None,
               data: str | Path = "data", today: dt.date | None = None, programme: str | None = None) -> Scaffold:
    """Write the next review's config and narrative skeletons beside ``source``'s config.

    Parameters
    ----------
    source : str or Path, optional
        The last review: an id (looked up in ``<data>/reviews/``) or a config path. Without it,
        ``programme``'s latest review, else the project's latest (a programme's first review).
    first, last : int
        The new review's years.
    review_id : str, optional
        The new id; default: the old one with its years moved (``ct20-2017-2022``).
    data : path
        The data folder where an id is looked up.
    today : date, optional
        Date written in the files' notes (default: today).
    programme : str, optional
        Scaffold a review of this programme (its first: id, title and programme from it; no
        predecessor); the source gives the office's parts (area, offices, signer, recipients).

    Raises
    ------
    EvaltoolsError
        When the source is missing or invalid, the years are reversed, or the new review
        already exists (nothing is written then).
    """
    path = resolve_source(source, data) if source else latest_review(Path(data), programme)
    if review_id is not None:
        check_id(review_id)
    review, raw, text = load_review(path), load_yaml(path), limits.read_text(path, limits.YAML_MB, "a YAML file")
    other = programme if programme and programme != review.programme else None
    programme_of = review_programme(replace(review, programme=other) if other else review)
    old, years = (review.first_year, review.last_year), (first, last)
    review_id = check_id(review_id or (first_id(other, years) if other else next_id(review.id, old, years)))
    folder = path.parent
    _check_new(review, first, last, review_id, folder)
    languages = review.narrative or {}
    names = {lang: f"{review_id}.{lang}.md" for lang in languages}
    new = _moved_on(review, review_id, years, names, today or dt.date.today(), programme_of if other else None)
    config = next_config(text, raw, review, new)
    _checked_config(config, folder, review_id)
    written: dict[str, Path] = {}
    try:
        for lang, old_file in languages.items():
            markdown = limits.read_markdown(old_file) if old_file.exists() or old_file.is_symlink() else ""
            body = skeleton(markdown, lang, _titles(programme_of, lang), programme_of.drafted,
                            title=(new.titles or {}).get(lang) or move_title(review.title[lang], old, years),
                            new=years, old=old,
                            source=old_file.name, today=new.today)
            written[lang] = atomic_write(folder / names[lang], body)
        target = atomic_write(folder / f"{review_id}.yaml", config)
    except BaseException:
        for made in written.values():          # no skeleton without its config
            made.unlink(missing_ok=True)
        raise
    flagged = config.count("# NOTE (evaltools new-review): due in")
    return Scaffold(review_id, target, written, flagged)


def _moved_on(review: Review, review_id: str, years: tuple[int, int], names: dict[str, str], today: dt.date,
              other=None) -> NextReview:
    """What changes for the new review: the data's cut-off, the date as long after it as the old one's; for
    ``other`` programme's first review its id, title and no predecessor."""
    cutoff = data_cutoff(review, years[1])
    predecessor = "" if other else os.path.relpath(review.path, review.path.parent.resolve())
    return NextReview(review_id, *years, predecessor, names, today, cutoff,
                      cutoff + max(review.date - review.cutoff, dt.timedelta(days=1)),
                      programme=other.id if other else "",
                      titles={lang: move_title(n, years, years) for lang, n in other.name.items()} if other else None)


def data_cutoff(review: Review, last: int) -> dt.date:
    """The cut-off of a review ending in ``last``: where the catalog's ``periods.yaml`` ends that year for the
    review's area, else 31 December (the year's template asks for end-of-year results). Never the old
    review's date moved on."""
    return load_catalog(review.catalog_dir).partial_years_for(review.area).get(last, dt.date(last, 12, 31))


def first_id(programme: str, years: tuple[int, int]) -> str:
    """A programme's first review: ``road-safety-2023``, ``road-safety-2018-2023``."""
    return f"{programme}-{years[0]}" if years[0] == years[1] else f"{programme}-{years[0]}-{years[1]}"


def latest_review(data: Path, programme: str | None) -> Path:
    """The config a review is scaffolded from when none is named: ``programme``'s latest (by signing date),
    else the latest of the programme it was copied from, else the project's latest of any programme (its
    office, area and signer are the new one's too)."""
    project = project_of(data.resolve() / "reviews")
    origin = None
    if programme and project and (project.programmes / programme / "programme.yaml").is_file():
        origin = load_yaml(project.programmes / programme / "programme.yaml").get("copied_from")
    dated = []
    for path in sorted((data / "reviews").glob("*.yaml")):
        try:
            raw = load_yaml(path) or {}
        except (EvaltoolsError, InputError):
            continue
        rank = 2 if raw.get("programme") == programme else 1 if origin and raw.get("programme") == origin else 0
        dated.append((rank, str(raw.get("date", "")), path.name, path))
    if not dated:
        raise EvaltoolsError(f"{display_path(data / 'reviews')}: no review config to start from; write one by hand "
                             "(see README.md, A project, anywhere) or name one with --from")
    return max(dated)[3]


def describe(made: Scaffold, first: int, last: int) -> str:
    """What the command prints: the files written and the next steps."""
    lines = [f"{display_path(made.config)}: review {made.review_id} ({span(first, last)})"]
    lines += [f"{display_path(p)}: narrative skeleton ({lang}), last period's text in comments"
              for lang, p in made.narratives.items()]
    if made.flagged_targets:
        lines.append(f"{made.flagged_targets} target(s) fall due before {first}: see the NOTE comments in the config")
    lines.append(f"next: revise the narrative, then `evaltools run {display_path(made.config)}`")
    return "\n".join(lines)
