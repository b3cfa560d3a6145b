"""``evaltools new-programme``: a new programme folder, copied from an existing one.

The copy keeps everything (notebooks, texts, workbook layout, style, comments) and gets
its own id; the analyst then edits its notebook and texts. Nothing is overwritten: a
folder that exists already is refused, and a failed copy leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.project.programme import PROGRAMME_FILE, load_programme, programme_folder

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_ID_LINE = re.compile(r"^id:[^\n#]*", re.M)
_COPIED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")


def new_programme(name: str, source: str, programmes: Path) -> Path:
    """Copy the programme ``source`` (an id under ``programmes`` or a folder) to ``programmes/<name>``.

    Raises
    ------
    EvaltoolsError
        For a name that is not lower-case letters, digits, ``-`` or ``_``; an unknown source;
        or a programme ``name`` that exists already.
    """
    if not _NAME.match(name):
        raise EvaltoolsError(f"programme name {name!r}: expected lower-case letters, digits, '-' or '_' "
                             "(it names a folder, e.g. injury-hi)")
    origin = load_programme(programme_folder(source, programmes / PROGRAMME_FILE, programmes))
    target = programmes / name
    if target.exists():
        raise EvaltoolsError(f"{display_path(target)}: programme {name!r} already exists; nothing was written")
    programmes.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=programmes))
    try:
        copy = staging / name
        shutil.copytree(origin.folder, copy, ignore=_COPIED)
        settings = copy / PROGRAMME_FILE
        text = settings.read_text(encoding="utf-8")
        own = (f"id: {name}\ncopied_from: {origin.id}   # its first review starts from {origin.id}'s latest "
               "(evaltools new-review --programme)")
        settings.write_text(_ID_LINE.sub(own, re.sub(r"(?m)^copied_from:.*\n", "", text), count=1),
                            encoding="utf-8")
        _made_its_own(copy, origin.id, name)
        load_programme(copy)
        copy.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _made_its_own(copy: Path, source: str, name: str) -> None:
    """The copy's notebooks without the outputs a saved source may hold (they would be committed and show the
    source's figures), and its header comments naming it ("Programme ct20:" -> "Programme road-safety, copied
    from ct20:")."""
    import nbformat

    for path in copy.rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, path)
    own = re.compile(rf"\bProgramme {re.escape(source)}\b")
    for path in (p for p in copy.rglob("*") if p.suffix in (".yaml", ".css", ".md") and p.is_file()):
        text = path.read_text(encoding="utf-8")
        if own.search(text):
            path.write_text(own.sub(f"Programme {name}, copied from {source}", text), encoding="utf-8")
