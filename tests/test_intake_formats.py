"""The formats and encodings a return may come in, each imported to the same exact values."""

from __future__ import annotations

import codecs
import fcntl
import os
import subprocess
import unicodedata

import openpyxl

from .intake_support import data_copy, problem_lines, run, tree_hashes

WIDE = "Năm báo cáo\t2023\nUNIT_NAME\tCHILDREN\tINJURIES.drowning\tCOMMENT\nXã Cam Thuỷ\t1.534\t2\tđã rà soát\n" \
       "TT. Cam Lộ\t3.401\t\t\n"
EXPECTED = ["CHILDREN,2023,19606,default,1534,{f}:3,đã rà soát", "INJURIES,2023,19606,drowning,2,{f}:3,đã rà soát",
            "CHILDREN,2023,19597,default,3401,{f}:4,"]


def imported(tmp_path, name, data_bytes):
    data = data_copy(tmp_path)
    (tmp_path / name).write_bytes(data_bytes)
    code, out, err = run(["import", name, "--data", data], tmp_path)
    assert (code, err) == (0, "")
    return data, out, (data / "values" / "returns-2023.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_excel_unicode_text_utf16_tab_separated(tmp_path):
    _, out, lines = imported(tmp_path, "r.txt", WIDE.replace("\n", "\r\n").encode("utf-16"))
    assert lines == [e.format(f="r.txt") for e in EXPECTED]
    assert out.splitlines()[1].split()[1:4] == ["wide", "CSV", "UTF-16"]


def test_utf8_with_bom_comma_separated_and_nfd_text(tmp_path):
    text = unicodedata.normalize("NFD", WIDE.replace("\t", ","))
    _, out, lines = imported(tmp_path, "r.csv", codecs.BOM_UTF8 + text.encode("utf-8"))
    assert lines == [e.format(f="r.csv") for e in EXPECTED]
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)
    assert "UTF-8 with BOM" in out


def test_one_sheet_per_commune(tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, children in (("Cam Thuỷ", 1534), ("TT. Cam Lộ", 3401)):
        sheet = book.create_sheet(title)
        for row in (["Năm báo cáo", 2023], ["Trẻ em dưới 16 tuổi (em)", "Ghi chú"], [children, None]):
            sheet.append(row)
    book.save(tmp_path / "sheets.xlsx")
    _, _, lines = imported(tmp_path, "sheets.xlsx", (tmp_path / "sheets.xlsx").read_bytes())
    assert lines == ["CHILDREN,2023,19606,default,1534,sheets.xlsx[Cam Thuỷ]:3,",
                     "CHILDREN,2023,19597,default,3401,sheets.xlsx[TT. Cam Lộ]:3,"]


def test_long_layout_in_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "values"
    for row in (["element", "period", "unit", "category", "value"], ["CHILDREN", 2023, 19606, "default", 1534],
                ["ALLOWANCE", 2023, "Cam Thuỷ", "disabled", "12"]):
        sheet.append(row)
    book.save(tmp_path / "long.xlsx")
    _, out, lines = imported(tmp_path, "long.xlsx", (tmp_path / "long.xlsx").read_bytes())
    assert lines == ["CHILDREN,2023,19606,default,1534,long.xlsx[values]:2,",
                     "ALLOWANCE,2023,19606,disabled,12,long.xlsx[values]:3,"]
    assert out.splitlines()[1].split()[1:3] == ["long", "XLSX"]


def test_a_year_column_lets_one_file_hold_several_years(tmp_path):
    text = "UNIT;PERIOD;CHILDREN\n19606;2023;1.534\n19606;2024;1.540\n"
    data = data_copy(tmp_path)
    (tmp_path / "y.csv").write_text(text, encoding="utf-8")
    assert run(["import", "y.csv", "--data", data], tmp_path)[0] == 0
    assert (data / "values" / "returns-2024.csv").read_text(encoding="utf-8").splitlines()[1] == \
        "CHILDREN,2024,19606,default,1540,y.csv:3,"


def test_an_import_waits_for_another_then_gives_up_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALTOOLS_LOCK_WAIT", "0.5")
    data = data_copy(tmp_path)
    (tmp_path / "r.csv").write_text(WIDE.replace("\t", ";"), encoding="utf-8")
    before = tree_hashes(data)
    fd = os.open(data, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)   # as a running import holds it
        code, _, err = run(["import", "r.csv", "--data", data], tmp_path)
    finally:
        os.close(fd)
    assert code == 1 and tree_hashes(data) == before
    name = data.relative_to(tmp_path)
    assert problem_lines(err) == [
        f"evaltools: waiting for another import, or a run reading the data, to finish with {name} ...",
        f"evaltools: error: {name}: still in use by another import, or a run reading the data, after 0.5 s; "
        "nothing was changed; "
        "try again when it has finished (or raise EVALTOOLS_LOCK_WAIT)"]


def test_import_in_a_real_process(python, tmp_path):
    data = data_copy(tmp_path)
    (tmp_path / "r.csv").write_text(WIDE.replace("\t", ";"), encoding="utf-8")
    done = subprocess.run([python, "-m", "evaltools", "import", "r.csv", "--data", str(data)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[1].split() == ["r.csv", "wide", "CSV", "UTF-8", "2023", "2", "3", "1", "3",
                                                   "0", "0", "0"]
    assert done.stdout.splitlines()[-1] == "imported: values changed in returns-2023.csv; logged in data/imports.csv"
