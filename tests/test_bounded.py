"""Bounded reading, accepted inputs that were stored wrong, and text scanning in linear time.

The hostile corpora refuse what must be refused; these tests check that what must be
accepted is accepted and stored right: an NFD sheet name and comment, a header merged
over the code row, a real template under the zip checks, YAML aliases of normal use,
and narratives whose shapes made the old regular expressions take minutes.
"""

from __future__ import annotations

import os
import time
import unicodedata
import zipfile

import openpyxl
import pytest

from evaltools.core import limits
from evaltools.core.errors import FileProblem
from evaltools.core.mdscan import blank_comments, heading_key
from evaltools.model.narrative import parse
from evaltools.core.yamlio import load_yaml

from .corpus_generators import _template
from .intake_support import cell_rows, data_copy, run


def _import(tmp_path, book) -> list[str]:
    data = tmp_path / "data"
    code, out, err = run(["import", book.name, "--data", data], tmp_path)
    assert (code, err) == (0, ""), err
    return (data / "values" / "returns-2023.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_an_nfd_sheet_name_and_comment_are_stored_nfc(tmp_path):
    data_copy(tmp_path)
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = book.create_sheet(unicodedata.normalize("NFD", "Cam Thuỷ"))
    for row in (["Năm báo cáo", 2023], ["CHILDREN", "COMMENT"], [1534, unicodedata.normalize("NFD", "đã rà soát")]):
        sheet.append(row)
    book.save(tmp_path / "nfd.xlsx")
    lines = _import(tmp_path, tmp_path / "nfd.xlsx")
    assert lines == ["CHILDREN,2023,19606,default,1534,nfd.xlsx[Cam Thuỷ]:3,đã rà soát"]
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_a_header_merged_over_the_code_row_keeps_its_column(tmp_path):
    data = data_copy(tmp_path)
    book = _template(tmp_path, data, "merged.xlsx")
    rows, codes = cell_rows(book)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Số liệu"]
    sheet.cell(rows["19612"], codes["CHILDREN"]).value = 1700
    sheet.cell(rows["19612"], codes["CHILDREN_U6"]).value = 560
    column = codes["CHILDREN_U6"]
    sheet.merge_cells(start_row=4, start_column=column, end_row=5, end_column=column)   # the code cell is lost
    workbook.save(book)
    lines = _import(tmp_path, book)
    assert [line.split(",")[:5] for line in lines] == [["CHILDREN", "2023", "19612", "default", "1700"],
                                                       ["CHILDREN_U6", "2023", "19612", "default", "560"]]


def test_a_real_template_passes_the_zip_checks(tmp_path):
    book = _template(tmp_path, data_copy(tmp_path), "t.xlsx")
    limits.check_zip(book.read_bytes(), "t.xlsx")
    with zipfile.ZipFile(book) as archive:
        ratios = [p.file_size / p.compress_size for p in archive.infolist() if p.compress_size]
    assert max(ratios) < limits.ZIP_RATIO.value / 4           # far from the limit


def test_yaml_aliases_of_normal_use_load(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("office: &o {vi: Phòng LĐ-TB&XH, en: Office}\nissuing: *o\nalso: [*o, *o]\n", encoding="utf-8")
    assert load_yaml(path) == {"office": {"vi": "Phòng LĐ-TB&XH", "en": "Office"},
                               "issuing": {"vi": "Phòng LĐ-TB&XH", "en": "Office"},
                               "also": [{"vi": "Phòng LĐ-TB&XH", "en": "Office"}] * 2}


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path, deadline):
    pipe = tmp_path / "p.csv"
    os.mkfifo(pipe)                 # no writer ever comes: waiting for one would hang (the deadline fails it)
    with pytest.raises(FileProblem, match="is a named pipe, not a file"):
        limits.read_bytes(pipe)


def test_a_file_that_grows_while_read_is_cut_at_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALTOOLS_MAX_FILE_MB", "1")
    path = tmp_path / "growing.csv"
    path.write_bytes(b"x" * 1000)
    real_fstat = os.fstat

    def fstat_then_grow(fd):
        """The size is taken while the file is small; then a writer appends 2 MB, before the first read."""
        found = real_fstat(fd)
        with open(path, "ab") as fh:
            fh.write(b"y" * (2 << 20))
        monkeypatch.setattr(os, "fstat", real_fstat)
        return found
    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    with pytest.raises(FileProblem, match="over the limit of 1 MB"):
        limits.read_bytes(path)


@pytest.mark.parametrize("line", ["# " + " " * 20_000 + "x", "## " + " \t" * 10_000 + "{#", "# " + "{#a" * 6000 + "}x",
                                  "#" * 20_000, "# title " + " " * 19_000 + "{#general}"])
def test_heading_lines_are_scanned_in_linear_time(line):
    started = time.process_time()   # this process's CPU time: a busy machine does not count, a quadratic scan does
    key = heading_key(line)
    assert time.process_time() - started < 0.5
    assert key == ("general" if line.endswith("{#general}") else None)


def test_comments_are_blanked_in_linear_time_and_as_before():
    assert blank_comments("a<!-- x\ny -->b\n<!-- open") == "a\nb\n<!-- open"
    assert blank_comments("a<!--x-->b", keep_lines=False) == "ab"
    hostile = "<!--" * 200_000 + "\n" + "-->" * 10
    started = time.process_time()
    blank_comments(hostile)
    assert time.process_time() - started < 2


def test_a_narrative_keeps_its_parts_with_the_linear_scanner():
    text = "intro\n## Tình hình chung {#general}\nA <!-- note\nmore -->B\n### Nhiệm vụ {#tasks}\nC\n"
    assert parse(text, ("general", "tasks")) == {"general": "A \nB", "tasks": "C"}
