"""Returns as read from disk: CSV text in an accepted encoding, or XLSX grids of cells.

The kind of file is told by its bytes, not its name (a CSV saved as ``.xlsx``
is still read as CSV; an old binary ``.xls`` is refused). XLSX formulas are read
as the values Excel cached when it last saved the file; a formula with no
cached value (the workbook was written by a program that does not calculate)
is kept as :class:`Uncomputed`, an error cell (``#DIV/0!``) as :class:`CellError`,
so that the value checks can say so for that cell.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pandas.api.types import union_categoricals

from evaltools.core import limits
from evaltools.core.errors import display_path
from evaltools.intake.encodings import decode
from evaltools.intake.problems import FileProblem, column_letter, place

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = ("\t", ";", ",")
CHUNK = 200_000  # rows per chunk when reading a long CSV
MAX_COLUMNS = 16_384  # a spreadsheet's columns (A to XFD)
RESAVE = "open it in Excel and save it again as .xlsx (Excel Workbook)"


@dataclass(frozen=True)
class Uncomputed:
    """A formula cell whose value was never calculated and saved."""

    formula: str


@dataclass(frozen=True)
class CellError:
    """A cell holding a spreadsheet error such as ``#DIV/0!``."""

    code: str


@dataclass
class Grid:
    """One sheet (or the whole CSV): ``rows[i]`` is the spreadsheet's row ``i + 1``."""

    sheet: str | None
    rows: list[list[object]]


@dataclass
class Source:
    """A return as read: its identity and its content."""

    path: Path
    name: str
    sha256: str
    size: int
    kind: str
    encoding: str
    text: str | None = None
    delimiter: str | None = None
    grids: list[Grid] = field(default_factory=list)


def open_source(path: Path) -> Source:
    """Read a return's bytes once (hash and content agree) and decode them.

    Raises
    ------
    FileProblem
        When the file is missing, empty, an old .xls, a damaged workbook or in an
        encoding that is not accepted.
    """
    name = display_path(path)
    data = limits.read_bytes(path, limits.FILE_MB, "a .csv or .xlsx file", name)
    source = Source(Path(path), name, hashlib.sha256(data).hexdigest(), len(data), "CSV", "")
    if data.startswith(OLE_MAGIC):
        raise FileProblem(name, "an old Excel .xls workbook (or a password-protected one): "
                                "save it as .xlsx (Excel Workbook) without a password")
    if data.startswith(XLSX_MAGIC):
        source.kind, source.encoding = "XLSX", "-"
        limits.check_zip(data, name)
        source.grids = xlsx_grids(data, name)
        return source
    limits.check_rows(data, name)
    longest = limits.longest_line(data)
    decoded = decode(data, name)
    del data
    if not decoded.text.strip():
        raise FileProblem(name, "empty file: expected a header row and rows of figures")
    limits.check_control(decoded.text, name)
    source.text, source.encoding = decoded.text, decoded.encoding
    if decoded.text.lstrip()[:1] == "{":      # JSON (a DHIS2 data value set is an object), whatever its name
        source.kind = "JSON"
        return source
    source.delimiter = sniff_delimiter(decoded.text)
    check_cells(source.text, source.delimiter, name, longest)
    return source


def sniff_delimiter(text: str) -> str:
    """The delimiter (tab, ';' or ',') that splits the most of the first lines, then into the most fields.

    Counting lines first keeps "1.234,5" or a quoted "3,667,005,000" in a
    ';'-separated return from passing for a comma-separated file.
    """
    head = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    best, score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(head, delimiter=delimiter)]
        mine = (sum(n > 1 for n in counts), max(counts, default=0))
        if mine > score:
            best, score = delimiter, mine
    return best


def check_cells(text: str, delimiter: str, name: str, longest_line: int) -> None:
    """Refuse a quote that swallows the rows after it, and a cell over the length limit.

    A stray opening quote in a cell (``"chưa đủ``) makes every following line part
    of that cell until the next quote: the figures on those lines would vanish. A
    genuine multi-line cell (a comment with a line break) holds no delimiter on its
    continuation lines; one that does is refused, naming where the quote opened.
    A text with no quote and no line longer than a cell may be has nothing to check
    (the fast path for big files).
    """
    if '"' not in text and longest_line <= limits.CELL_CHARS.value:
        return
    if '"' not in text:
        _long_cells(text, delimiter, name)
        return
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))   # the file is bounded; cells are checked below
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first = 1
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise FileProblem(name, f"this row has {len(row):,} cells: more than the {MAX_COLUMNS:,} columns a "
                                        "spreadsheet can have; is this a return?", first)
            for j, cell in enumerate(row):
                if "\n" in cell and any(delimiter in line for line in cell.split("\n")[1:]):
                    raise FileProblem(name, f"cell {column_letter(j)}{first}: a quote (\") opened in this cell is "
                                            f"not closed before line {reader.line_num}, so the figures of lines "
                                            f"{first + 1} to {reader.line_num} would be read as text of this cell; "
                                            "remove the stray quote (or close it) and import again", first)
                limits.check_cell(cell, name, first, column_letter(j))
            first = reader.line_num + 1
    except csv.Error as exc:
        raise limits.CELL_CHARS.refuse(name, f"over {csv.field_size_limit() - 1:,} characters ({exc})",
                                       first) from None


def _long_cells(text: str, delimiter: str, name: str) -> None:
    """Refuse a cell over the limit in a text without quotes, measured in place (no copy of a huge line).

    The csv module holds a field as 4 bytes a character: a 150 MB cell would cost 600 MB
    to refuse that way.
    """
    cap, start, row = limits.CELL_CHARS.value, 0, 1
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > cap:
            cell, column = start, 0
            while cell <= end:
                stop = text.find(delimiter, cell, end)
                stop = end if stop < 0 else stop
                if stop - cell > cap:
                    raise limits.CELL_CHARS.refuse(name, f"{stop - cell:,} characters", row, column_letter(column))
                cell, column = stop + 1, column + 1
            if column > MAX_COLUMNS:
                raise FileProblem(name, f"this row has {column:,} cells: more than the {MAX_COLUMNS:,} columns a "
                                        "spreadsheet can have; is this a return?", row)
        start, row = end + 1, row + 1


def csv_rows(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    """Rows of a CSV text as lists of stripped strings (``limit`` rows at most)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row])
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:  # not reached: check_cells ran the same reader over the same text
        raise FileProblem("CSV", f"not a readable CSV file ({exc})", reader.line_num) from None
    return rows


def csv_frame(source: Source, header: int = 0) -> pd.DataFrame:
    """A CSV whose header is record ``header + 1`` as a DataFrame of text; row ``i`` is record ``i + 2``.

    Blank lines are kept (as empty rows) so that row numbers stay those an
    editor or a spreadsheet shows. Columns are categorical, built chunk by
    chunk: a national file of a million rows repeats few distinct texts, so it
    stays small in memory (and every text stays as written: no type inference).
    """
    options = dict(sep=source.delimiter, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding="utf-8",
                   quoting=csv.QUOTE_MINIMAL, header=header)
    data = source.text.encode("utf-8")  # a StringIO would hold 4 bytes a character
    try:
        chunks = [c.astype("category") for c in pd.read_csv(io.BytesIO(data), chunksize=CHUNK, **options)]
        if not chunks:
            chunks = [pd.read_csv(io.BytesIO(data), nrows=0, **options)]
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if found:
            want, line, saw = found.groups()
            raise FileProblem(source.name, f"expected {want} fields like the header row, found {saw}",
                              int(line)) from None
        if "EOF inside string" in str(exc):
            raise FileProblem(source.name, "a quote (\") opened in a cell is never closed: the rest of the file "
                                           "would be one cell; remove the stray quote (or close it)") from None
        raise FileProblem(source.name, f"not a readable CSV file ({exc})") from None
    columns = {i: union_categoricals([c.iloc[:, i].astype("category") for c in chunks])
               for i in range(chunks[0].shape[1])}
    frame = pd.DataFrame(columns)
    frame.columns = [str(c).strip() for c in chunks[0].columns]
    frame.index = frame.index + header
    return frame


def _open_workbook(data: bytes, name: str, data_only: bool):
    import openpyxl  # lazy: only workbooks need it

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file; all mean the same to the user
        with_zip = zipfile.is_zipfile(io.BytesIO(data))
        if with_zip and "mimetype" in zipfile.ZipFile(io.BytesIO(data)).namelist():
            raise FileProblem(name, "an OpenDocument spreadsheet: save it as .xlsx (Excel Workbook)") from None
        raise FileProblem(name, f"not a readable .xlsx workbook, damaged or incomplete "
                                f"({type(exc).__name__}: {exc}); {RESAVE}") from None


def _cell(value_cell, formula_cell) -> object:
    value = value_cell.value
    if getattr(value_cell, "data_type", None) == "e":
        return CellError(str(value))
    if value is None and getattr(formula_cell, "data_type", None) == "f":
        return Uncomputed(str(formula_cell.value))
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip()) or None
    return value


def xlsx_grids(data: bytes, name: str) -> list[Grid]:
    """Every worksheet as a grid of cached values (two read-only passes in step), within the cell limits."""
    values, formulas = _open_workbook(data, name, True), _open_workbook(data, name, False)
    grids, cells = [], 0
    try:
        for ws_v, ws_f in zip(values.worksheets, formulas.worksheets):
            ws_v.reset_dimensions()  # saved dimensions are often wrong; read what is there
            ws_f.reset_dimensions()
            title = unicodedata.normalize("NFC", ws_v.title)
            rows = []
            for row_v, row_f in zip(ws_v.iter_rows(min_row=1), ws_f.iter_rows(min_row=1)):
                cells += len(row_v) + 1       # an empty row costs too: a sheet can claim row 1,048,576
                if cells > limits.CELLS.value:
                    raise limits.CELLS.refuse(place(name, title), f"over {limits.CELLS.shown} by row {len(rows) + 1}")
                if len(rows) >= limits.ROWS.value:
                    raise limits.ROWS.refuse(place(name, title), f"over {limits.ROWS.shown}")
                row = [_cell(v, f) for v, f in zip(row_v, row_f)]
                while row and row[-1] is None:
                    row.pop()
                for j, cell in enumerate(row):
                    if isinstance(cell, str):
                        limits.check_cell(cell, place(name, title), len(rows) + 1, column_letter(j))
                rows.append(row)
            grids.append(Grid(title, rows))
    except FileProblem:
        raise
    except Exception as exc:  # a truncated member shows only once its rows are read
        raise FileProblem(name, f"not a readable .xlsx workbook, damaged or incomplete "
                                f"({type(exc).__name__}: {exc}); {RESAVE}") from None
    finally:
        values.close()
        formulas.close()
    return grids
