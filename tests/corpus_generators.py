"""Hostile returns built at test time (bombs, pipes, devices, big files): never committed.

Each function ``f(folder, data, name)`` writes the return ``folder/name`` (the data
folder is the case's private copy). tests/test_intake_corpus.py finds them by name.
"""

from __future__ import annotations

import os
import socket
import zipfile
from pathlib import Path

from .intake_support import fill, run

MB = 1 << 20
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 b'2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')


def _template(folder: Path, data: Path, name: str, year: int = 2023) -> Path:
    out = folder / name
    code, _, err = run(["template", year, "--data", data, "--out", out], folder)
    assert code == 0, err
    return out


def _rewrite(path: Path, change) -> None:
    """Rewrite a workbook's parts through ``change(name, bytes) -> bytes``, as a damaged or crafted file would be."""
    with zipfile.ZipFile(path) as book:
        items = {info.filename: book.read(info) for info in book.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for part, content in items.items():
            book.writestr(part, change(part, content))


def zip_bomb(folder: Path, data: Path, name: str) -> None:
    """A workbook whose one sheet unpacks to 150 MB of zeros (150 KB packed)."""
    with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"0" * MB
            for _ in range(150):
                sheet.write(block)


def zip_ratio(folder: Path, data: Path, name: str) -> None:
    """A genuine template with one more part that inflates a thousandfold (20 MB of zeros)."""
    book = _template(folder, data, name)
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * MB))


def xlsx_entities(folder: Path, data: Path, name: str) -> None:
    """A template whose sheet declares XML entities (the "billion laughs" inside a workbook)."""
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    book = _template(folder, data, name)
    _rewrite(book, lambda part, xml: laughs + xml if part == "xl/worksheets/sheet1.xml" else xml)


def xlsx_far_cells(folder: Path, data: Path, name: str) -> None:
    """A sheet of 400 rows, each with one cell in the last column (XFD): 6.5 million cells to fill in."""
    rows = "".join(f'<row r="{r}"><c r="XFD{r}" t="n"><v>1</v></c></row>' for r in range(1, 401))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>').encode()
    book = _template(folder, data, name)
    _rewrite(book, lambda part, xml: sheet if part == "xl/worksheets/sheet1.xml" else xml)


def xlsx_control_char(folder: Path, data: Path, name: str) -> None:
    """A raw ESC byte inside a sheet's XML (no XML may hold one; a hand-edited or broken export might)."""
    book = fill(_template(folder, data, name), {("19612", "CHILDREN"): 1700, ("19612", "COMMENT"): "xem lại"})
    _rewrite(book, lambda part, xml: xml.replace(b"<t>xem", b"<t>\x1b[31mxem", 1)
             if part == "xl/worksheets/sheet1.xml" else xml)


def xlsx_merged_unknown(folder: Path, data: Path, name: str) -> None:
    """The code row's cell under a header is lost in a merge, and the header names no column."""
    import openpyxl

    book = fill(_template(folder, data, name), {("19612", "CHILDREN_U6"): 560})
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Số liệu"]
    sheet.cell(4, 4).value = "Trẻ nhỏ"
    sheet.merge_cells(start_row=4, start_column=4, end_row=5, end_column=4)
    workbook.save(book)


def named_pipe(folder: Path, data: Path, name: str) -> None:
    os.mkfifo(folder / name)


def dev_zero(folder: Path, data: Path, name: str) -> None:
    (folder / name).symlink_to("/dev/zero")


def folder_link(folder: Path, data: Path, name: str) -> None:
    (folder / name).symlink_to(data)


def broken_link(folder: Path, data: Path, name: str) -> None:
    (folder / name).symlink_to(folder / "gone.csv")


def link_loop(folder: Path, data: Path, name: str) -> None:
    (folder / name).symlink_to(folder / "loop-b.csv")
    (folder / "loop-b.csv").symlink_to(folder / name)


def unix_socket(folder: Path, data: Path, name: str) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / name))
    server.close()                       # the socket file stays


def _wide(comment: str) -> str:
    return f"Năm báo cáo;2023\nUNIT;CHILDREN;COMMENT\n19612;1.700;{comment}\n19615;1.300;\n"


def cell_200k(folder: Path, data: Path, name: str) -> None:
    (folder / name).write_text(_wide("x" * 200_000), encoding="utf-8")


def cell_40k(folder: Path, data: Path, name: str) -> None:
    (folder / name).write_text(_wide("ý kiến " * 6000), encoding="utf-8")


def csv_2mb(folder: Path, data: Path, name: str) -> None:
    """2 MB of long rows (the case lowers the size limit to 1 MB)."""
    rows = "".join(f"CHILDREN,2023,19612,default,{i % 97},,{'ghi chú ' * 4}\n" for i in range(40_000))
    (folder / name).write_text("element,period,unit,category,value,source,comment\n" + rows, encoding="utf-8")
    assert (folder / name).stat().st_size > 2 * MB


def csv_1500_rows(folder: Path, data: Path, name: str) -> None:
    rows = "".join(f"CHILDREN,2023,19612,default,{i},,\n" for i in range(1500))
    (folder / name).write_text("element,period,unit,category,value,source,comment\n" + rows, encoding="utf-8")


def long_line_csv(folder: Path, data: Path, name: str) -> None:
    """One row of 3 MB: 500,000 cells, far more columns than a spreadsheet can have."""
    (folder / name).write_text("Năm báo cáo;2023\nUNIT;CHILDREN\n" + "19612;1.700;" * 250_000 + "\n",
                               encoding="utf-8")


def huge_row_number(folder: Path, data: Path, name: str) -> None:
    """A sheet with one more row that claims to be row 1,048,576: a million empty rows come before it."""
    book = fill(_template(folder, data, name), {("19612", "CHILDREN"): 1700})
    far = b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>'
    _rewrite(book, lambda part, xml: xml.replace(b"</sheetData>", far, 1)
             if part == "xl/worksheets/sheet1.xml" else xml)


GENERATORS = {f.__name__: f for f in (zip_bomb, zip_ratio, xlsx_entities, xlsx_far_cells, xlsx_control_char,
                                      xlsx_merged_unknown, named_pipe, dev_zero, folder_link, broken_link, link_loop,
                                      unix_socket, cell_200k, cell_40k, csv_2mb, csv_1500_rows, long_line_csv,
                                      huge_row_number)}
