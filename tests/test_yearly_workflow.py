"""A new year end to end, as an analyst does it, on a copy of the sample data.

template 2023 -> every commune fills its return (openpyxl) -> import -> validate ->
new-review 2018–2023 -> run (HTML, PDF, Word). The 2023 figures the report must show
are computed here from the returns written and the stored CSV files, independently of
evaltools, and looked for in the PDF (pdftotext), the Word copy and the spreadsheet.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata

import docx
import openpyxl
import pandas as pd
import pytest

from evaltools.model.vnformat import number

from .conftest import ROOT, make_project
from .returns2023 import fill_returns


def cli(python, cwd, *args):
    return subprocess.run([python, "-m", "evaltools", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def year(tmp_path_factory, python):
    """Run the whole year once; keep each step's outcome for the tests below."""
    root = tmp_path_factory.mktemp("office")
    shutil.copytree(ROOT / "data", root / "data")
    make_project(root)
    steps = {"template": cli(python, root, "template", "2023")}
    filled = fill_returns(root / "outputs" / "templates" / "return-2023.xlsx", root / "data" / "values",
                          root / "returns")
    files = sorted(str(p.relative_to(root)) for p in (root / "returns").glob("*.xlsx"))
    steps["import"] = cli(python, root, "import", *files)
    steps["new-review"] = cli(python, root, "new-review", "--from", "ct20-2012-2017", "--first", "2018",
                              "--last", "2023")
    steps["validate"] = cli(python, root, "validate", "data/reviews/ct20-2018-2023.yaml")
    steps["run"] = cli(python, root, "run", "data/reviews/ct20-2018-2023.yaml", "--to", "html,pdf,docx")
    return root, steps, filled, files


def test_every_step_succeeds(year):
    root, steps, _, files = year
    for name, done in steps.items():
        assert done.returncode == 0, (name, done.stdout, done.stderr)
    assert len(files) == 9                                   # 8 communes in 2023 and the district
    assert "imported: values changed in returns-2023.csv" in steps["import"].stdout
    assert "2023 9/9 (100,0 %)" in steps["validate"].stdout  # a return from every commune and the district
    assert (root / "outputs" / "ct20-2018-2023" / "report.pdf").is_file()


def test_returns_are_imported_as_written(year):
    root, _, filled, _ = year
    stored = pd.read_csv(root / "data" / "values" / "returns-2023.csv", dtype={"unit": str})
    assert (stored["period"] == 2023).all() and len(stored) == len(filled)
    merged = filled.merge(stored, on=["element", "unit", "category"], suffixes=("", "_stored"))
    assert len(merged) == len(filled) and (merged["value"] == merged["value_stored"]).all()


def _expected(root, filled) -> dict[str, str]:
    """The figures of 2023 (and of 2018–2023) computed from the files, written the Vietnamese way."""
    stored = pd.concat(pd.read_csv(p, dtype={"unit": str}) for p in (root / "data" / "values").glob("cam-lo-*.csv"))
    cards = stored[(stored["element"] == "HI_CARDS") & stored["period"].between(2018, 2022)]["value"].sum()
    cards += filled.loc[filled["element"] == "HI_CARDS", "value"].sum()
    allowance = filled[filled["element"] == "ALLOWANCE"]
    return {"children": number(filled.loc[filled["element"] == "CHILDREN", "value"].sum()),
            "allowance": number(allowance["value"].sum()),
            "disabled": number(allowance.loc[allowance["category"] == "disabled", "value"].sum()),
            "cards": number(cards)}


def test_the_report_shows_2023_figures(year):
    root, _, filled, _ = year
    want = _expected(root, filled)
    out = root / "outputs" / "ct20-2018-2023"
    text = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    assert "Giai đoạn 2018–2023; số liệu tính đến ngày 31/12/2023" in flat     # the data's year, not 2017's 31/05
    assert "Số: …/BC-…" in flat                  # no register number until the office gives one
    assert "Sơ kết 5 năm (2018–2023) thực hiện Chỉ thị số 20-CT/TW" in flat
    assert f"với {want['children']} trẻ em dưới 16 tuổi (năm 2023)" in flat
    assert f"Hiện tại có {want['allowance']} trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng" in flat
    assert f"trẻ em khuyết tật: {want['disabled']} em" in flat
    assert f"Cấp miễn phí tổng số {want['cards']} thẻ bảo hiểm y tế" in flat
    assert "So sánh với kỳ báo cáo trước" in flat and "2012–2017" in flat     # the predecessor, side by side
    assert "Chưa có nội dung" in flat            # the skeleton's parts not yet written say so


def test_the_word_copy_and_spreadsheet_have_2023(year):
    root, _, filled, _ = year
    want = _expected(root, filled)
    out = root / "outputs" / "ct20-2018-2023"
    text = "\n".join(p.text for p in docx.Document(str(out / "report.docx")).paragraphs)
    assert f"Hiện tại có {want['allowance']} trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng" in text
    sheet = openpyxl.load_workbook(out / "indicators.xlsx")["Trợ cấp xã hội"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
               if r[:3] == ("Trẻ em đang hưởng trợ cấp xã hội hằng tháng", "Huyện Cam Lộ", "Tổng"))
    assert number(row[header.index("2023")]) == want["allowance"]


def test_the_manifest_records_the_imported_return(year):
    root, *_ = year
    manifest = json.loads((root / "outputs" / "ct20-2018-2023" / "manifest.json").read_text(encoding="utf-8"))
    assert "data/values/returns-2023.csv" in [e["path"] for e in manifest["inputs"]]
    assert manifest["parameters"]["formats"] == ["html", "pdf", "docx"]
