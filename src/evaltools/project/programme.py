"""A programme: the folder that holds everything specific to one kind of review.

``programmes/<id>/programme.yaml`` names the programme's review notebook, its
data-quality notebook (or evaltools' shared one), its texts (both languages side by
side), the narrative parts its notebook places, its workbook layout for
``indicators.xlsx``, its own indicators (added to the data catalog's) and its style.
The package knows none of this: a review config says ``programme: ct20`` and
evaltools reads the rest from the folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, InputError, Problem, display_path
from evaltools.core.schema import Field, parse_record
from evaltools.core.yamlio import Record, load_yaml
from evaltools.project.review import Review
from evaltools.project.project import project_of

PROGRAMME_FILE = "programme.yaml"
FIELDS = (
    Field("id", "code"),
    Field("name", "i18n"),
    Field("notebook", "text", required=False, default="review.ipynb"),
    Field("data_quality", "text", required=False),
    Field("texts", "text", required=False, default="texts.yaml"),
    Field("workbook", "text", required=False),
    Field("indicators", "text", required=False),
    Field("narrative", "list", required=False, default=[]),
    Field("drafted", "list", required=False, default=[]),
    Field("style", "any", required=False, default={}),
    Field("copied_from", "code", required=False),
)
STYLE_KEYS = ("css", "palette", "categories", "word")


@dataclass(frozen=True)
class Programme:
    """A programme folder, its files resolved to absolute paths."""

    folder: Path
    id: str
    name: dict[str, str]
    notebook: Path
    data_quality: Path
    texts: Path
    workbook: Path | None = None
    indicators: Path | None = None
    narrative: tuple[str, ...] = ()
    drafted: tuple[str, ...] = ()
    style: dict = field(default_factory=dict)
    copied_from: str | None = None      # the programme new-programme copied (its reviews seed this one's first)

    @property
    def narrative_keys(self) -> tuple[str, ...]:
        """Every key a narrative file may use: the parts, and ``key+`` for the drafted ones."""
        return self.narrative + tuple(f"{k}+" for k in self.drafted)

    def style_file(self, key: str) -> Path | None:
        """A style file named in ``style:`` (``css``, ``word``), or None."""
        name = self.style.get(key)
        return (self.folder / name).resolve() if isinstance(name, str) else None


def shared_notebook(name: str) -> Path:
    """One of evaltools' shared notebooks (``data_quality``), shipped with the package."""
    return Path(str(resources.files("evaltools") / "resources" / "notebooks" / f"{name}.ipynb"))


def _file(folder: Path, name: str | None, what: str, problems: list[Problem], source: str) -> Path | None:
    if not name:
        return None
    path = (folder / name).resolve()
    if not path.is_file():
        problems.append(Problem(source, None, what, f"{display_path(path)} not found"))
    return path


def load_programme(folder: str | Path) -> Programme:
    """Read ``programme.yaml`` of a programme folder and check that its files exist.

    Raises
    ------
    EvaltoolsError
        For a missing folder or file; InputError listing every bad key.
    """
    folder = Path(folder).resolve()
    source = folder / PROGRAMME_FILE
    if not source.is_file():
        raise EvaltoolsError(f"{display_path(folder)}: not a programme folder (no {PROGRAMME_FILE})")
    name = display_path(source)
    raw = load_yaml(source)
    if not isinstance(raw, Record):
        raise EvaltoolsError(f"{name}: expected keys such as id, name, notebook, texts")
    problems: list[Problem] = []
    values = parse_record(raw, FIELDS, name, raw.line, problems)
    style = values["style"] or {}
    if not isinstance(style, dict) or set(style) - set(STYLE_KEYS):
        problems.append(Problem(name, raw.key_lines.get("style"), "style",
                                f"expected a mapping of {', '.join(STYLE_KEYS)}"))
        style = {}
    files = {key: _file(folder, values[key], key, problems, name)
             for key in ("notebook", "data_quality", "texts", "workbook", "indicators")}
    for key in ("css", "word"):
        _file(folder, style.get(key), f"style.{key}", problems, name)
    if problems:
        raise InputError(problems)
    return Programme(folder=folder, id=values["id"], name=values["name"], notebook=files["notebook"],
                     data_quality=files["data_quality"] or shared_notebook("data_quality"), texts=files["texts"],
                     workbook=files["workbook"], indicators=files["indicators"],
                     narrative=tuple(values["narrative"]), drafted=tuple(values["drafted"]), style=style,
                     copied_from=values["copied_from"])


def programme_folder(ref: str, config: Path, programmes: Path | None) -> Path:
    """The folder a review config's ``programme:`` names: a path relative to the config, or an id
    under the project's ``programmes/`` folder."""
    if "/" in ref or ref.startswith("."):
        return (config.parent / ref).resolve()
    if programmes is None:
        raise EvaltoolsError(f"{display_path(config)}: programme {ref!r}: the config is not inside an evaltools "
                             "project (no evaltools.yaml above it); name the programme folder by its path")
    folder = programmes / ref
    if not folder.is_dir():
        known = sorted(p.name for p in programmes.iterdir() if (p / PROGRAMME_FILE).is_file()) \
            if programmes.is_dir() else []
        raise EvaltoolsError(f"{display_path(config)}: unknown programme {ref!r}; "
                             f"programmes in {display_path(programmes)}: {', '.join(known) or 'none'}")
    return folder


def review_programme(review: Review, required: bool = True) -> Programme | None:
    """The programme a review config names (``programme:``); None when it names none and none is ``required``."""
    if not review.programme:
        if not required:
            return None
        raise EvaltoolsError(f"{display_path(review.path)}: no programme named; add e.g. `programme: ct20` "
                             "(a folder of the project's programmes/) to render it")
    project = project_of(review.path)
    return load_programme(programme_folder(review.programme, review.path, project.programmes if project else None))
