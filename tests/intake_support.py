"""Helpers shared by the intake tests (this module holds no tests).

The tests never touch the repository's data/: each works on a copy in tmp_path.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

from evaltools.cli import main

from .conftest import ROOT, make_project

TONES = "\u0300\u0301\u0303\u0309\u0323"


def data_copy(tmp_path: Path) -> Path:
    """A private copy of the repository's data folder."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    make_project(tmp_path)
    return target


def tree_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by relative path; not the store's read copy (``.columnar/``,
    a cache of the CSV files that any read may refresh and anyone may delete)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".columnar" not in p.relative_to(folder).parts}


def cp1258_bytes(text: str) -> bytes:
    """Encode as Windows does for Vietnamese: precomposed where cp1258 has the letter, else base + tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the real command line in this process, from ``cwd``; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def problem_lines(stderr: str) -> list[str]:
    """The problem lines of an error message (the 'N problem(s)' heading left out)."""
    text = stderr.removeprefix("evaltools: error: ")
    return [line for line in text.splitlines() if line and not re.match(r"^\d+ problem\(s\) in input:$", line)]


def cell_rows(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Of a template: row by unit code, column index (1-based) by column code."""
    import openpyxl

    ws = openpyxl.load_workbook(path)["Số liệu"]
    codes = {ws.cell(5, j).value: j for j in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value}
    return rows, codes


def fill(path: Path, values: dict[tuple[str, str], object], out: Path | None = None) -> Path:
    """Type ``{(unit code, column code): value}`` into a template, as a user would; save to ``out``."""
    import openpyxl

    rows, codes = cell_rows(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Số liệu"]
    for (unit, column), value in values.items():
        sheet.cell(rows[unit], codes[column]).value = value
    book.save(out or path)
    return out or path


def set_cached(path: Path, cell: str, value: str, error: bool = False) -> None:
    """Store a formula's result in the first sheet the way Excel does (openpyxl writes none).

    openpyxl saves ``<c r="H10"><f>...</f><v></v></c>``; Excel saves the result in
    ``<v>`` (and ``t="e"`` for an error such as #DIV/0!).
    """
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as book:
        items = {name: book.read(name) for name in book.namelist()}
    xml = items[member].decode("utf-8")
    pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>')
    assert pattern.search(xml), f"no formula in {cell}"
    kind = ' t="e"' if error else ""
    xml = pattern.sub(lambda m: f'<c r="{cell}"{m.group(1)}{kind}><f>{m.group(2)}</f><v>{value}</v></c>', xml)
    items[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in items.items():
            book.writestr(name, data)
