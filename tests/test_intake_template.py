"""`evaltools template YEAR`: the .xlsx return communes fill in, for the units of that year."""

from __future__ import annotations

import subprocess

import openpyxl

from evaltools.model.catalog import load_catalog
from evaltools.intake.columns import data_columns

from .intake_support import data_copy, run


def make(tmp_path, year):
    data = data_copy(tmp_path)
    out = tmp_path / f"t{year}.xlsx"
    code, stdout, err = run(["template", year, "--data", data, "--out", out], tmp_path)
    assert (code, err) == (0, "")
    assert stdout == f"{out.name}: return template for {year}\n"
    return data, openpyxl.load_workbook(out)


def in_force_2023(data):
    """The template's data columns in 2023: QĐ 34/2014's criteria ended with 2018 (test_intake_standards)."""
    return [c for c in data_columns(load_catalog(data / "catalog")) if not c.key.startswith("CF_SCORE.qd34_")]


def units_of(sheet):
    return [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(6, sheet.max_row + 1)]


def test_2021_template_has_thanh_an_and_not_the_communes_it_replaced(tmp_path):
    _, book = make(tmp_path, 2021)
    assert units_of(book["Số liệu"]) == [
        ("19597", "Thị trấn Cam Lộ"), ("19600", "Xã Cam Tuyền"), ("19603", "Xã Thanh An"), ("19606", "Xã Cam Thủy"),
        ("19612", "Xã Cam Thành"), ("19615", "Xã Cam Hiếu"), ("19618", "Xã Cam Chính"), ("19621", "Xã Cam Nghĩa"),
        ("468", "Huyện Cam Lộ")]


def test_2019_template_still_has_cam_an_and_cam_thanh(tmp_path):
    _, book = make(tmp_path, 2019)
    names = [name for _, name in units_of(book["Số liệu"])]
    assert names[2] == "Xã Cam An" and "Xã Cam Thanh" in names and "Xã Thanh An" not in names
    assert len(names) == 10


def test_layout_year_headers_codes_and_greyed_cells(tmp_path):
    data, book = make(tmp_path, 2023)
    sheet = book["Số liệu"]
    columns = in_force_2023(data)
    assert (sheet["A2"].value, sheet["B2"].value) == ("Năm báo cáo", 2023)
    width = len(columns) + 3
    assert [sheet.cell(5, j).value for j in range(1, width + 1)] == \
        ["UNIT", "UNIT_NAME", *(c.key for c in columns), "COMMENT"]
    assert [sheet.cell(4, j).value for j in range(1, width + 1)] == \
        ["Mã đơn vị", "Tên đơn vị", *(c.header_vi for c in columns), "Ghi chú"]
    assert sheet.cell(4, 4).value == "Trẻ em dưới 6 tuổi (em)"
    centre = 3 + [c.key for c in columns].index("CENTRE_CHILDREN")
    children = 3 + [c.key for c in columns].index("CHILDREN")
    district_row = sheet.max_row
    assert sheet.cell(district_row, 1).value == "468"
    grey = "00A6A6A6"
    assert sheet.cell(6, centre).fill.fgColor.rgb == grey and sheet.cell(district_row, centre).fill.fgColor.rgb != grey
    assert sheet.cell(district_row, children).fill.fgColor.rgb == grey and sheet.cell(6, children).fill.fgColor.rgb != grey
    assert all(sheet.cell(r, j).value is None for r in range(6, district_row + 1) for j in range(3, width + 1))
    assert sheet.freeze_panes == "C6"
    rules = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter(children)
    assert rules[f"{letter}6:{letter}{district_row}"] == ("whole", "0")


def test_instructions_sheet_is_vietnamese_and_lists_every_column(tmp_path):
    data, book = make(tmp_path, 2023)
    assert book.sheetnames == ["Số liệu", "Hướng dẫn"]
    help_sheet = book["Hướng dẫn"]
    text = "\n".join(str(c.value) for row in help_sheet.iter_rows() for c in row if c.value)
    assert "Biểu này dùng để báo cáo số liệu năm 2023" in text
    assert "để trống; chỉ ghi 0 khi số liệu đúng bằng 0" in text
    codes = [c.key for c in in_force_2023(data)]
    assert all(f"\n{code}\n" in f"\n{text}\n" for code in codes)


def test_template_command_in_a_real_process_refuses_a_year_without_units(python, tmp_path):
    data = data_copy(tmp_path)
    done = subprocess.run([python, "-m", "evaltools", "template", "1990", "--data", str(data), "--out",
                           str(tmp_path / "t.xlsx")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "evaltools: error: no commune exists in 1990: nothing to put in a return template\n"
    assert not (tmp_path / "t.xlsx").exists()
