"""A year's return holds only the criteria of the assessment standard in force that year.

The dates are the catalog's (``data/catalog/standards.yaml``, read here with plain YAML):
QĐ 34/2014/QĐ-TTg's 15 criteria up to 2018, QĐ 06/QĐ-TTg's 13 from 2019. The template
of a year offers only that year's criteria; an import refuses points for a criterion of
a standard not in force in the return's year, in one line that names the years.
"""

from __future__ import annotations

import subprocess

import openpyxl
import yaml

from .intake_support import data_copy, fill, problem_lines, run, tree_hashes


def criteria(data) -> dict[str, list[str]]:
    """Standard code -> its criteria's column codes, as the catalog lists them."""
    raw = yaml.safe_load((data / "catalog" / "standards.yaml").read_text(encoding="utf-8"))["standards"]
    return {s["code"]: [f"{s['element']}.{c['code']}" for c in s["criteria"]] for s in raw}


def template(tmp_path, data, year):
    out = tmp_path / f"return-{year}.xlsx"
    code, _, err = run(["template", year, "--data", data, "--out", out], tmp_path)
    assert (code, err) == (0, "")
    return out


def codes_of(path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["Số liệu"]
    return [sheet.cell(5, j).value for j in range(1, sheet.max_column + 1)]


def help_text(path) -> str:
    sheet = openpyxl.load_workbook(path)["Hướng dẫn"]
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)


def test_each_years_template_has_the_criteria_of_the_standard_in_force_then_only(tmp_path):
    data = data_copy(tmp_path)
    by_standard = criteria(data)
    assert (len(by_standard["qd34-2014"]), len(by_standard["qd06-2019"])) == (15, 13)
    for year, current, ended in ((2017, "qd34-2014", "qd06-2019"), (2018, "qd34-2014", "qd06-2019"),
                                 (2019, "qd06-2019", "qd34-2014"), (2023, "qd06-2019", "qd34-2014")):
        codes = codes_of(template(tmp_path, data, year))
        assert [c for c in codes if c.startswith("CF_SCORE.")] == by_standard[current], year
        assert not set(codes) & set(by_standard[ended]), year
        assert "CHILDREN" in codes and "CF_RECOGNISED" in codes       # everything else stays
    text = help_text(tmp_path / "return-2023.xlsx")
    assert ("Các tiêu chí chấm điểm trong biểu là của Quyết định số 06/QĐ-TTg ngày 03/01/2019 (áp dụng cho các "
            "năm 2019–)") in text
    assert "qd34_c01" not in text and "CF_SCORE.qd06_c13" in text
    assert "(áp dụng cho các năm 2014–2018)" in help_text(tmp_path / "return-2017.xlsx")


def test_a_2023_score_under_the_ended_standard_is_refused_with_its_dates(tmp_path):
    data = data_copy(tmp_path)
    old = template(tmp_path, data, 2017)                      # last used template, sent again for 2023
    fill(old, {("19606", "CHILDREN"): 1500, ("19606", "CF_SCORE.qd34_c03"): 70})
    book = openpyxl.load_workbook(old)
    book["Số liệu"]["B2"] = 2023
    book.save(old)
    column = openpyxl.utils.get_column_letter(codes_of(old).index("CF_SCORE.qd34_c03") + 1)
    before = tree_hashes(data)
    code, _, err = run(["import", old.name, "--data", data], tmp_path)
    assert code == 1 and tree_hashes(data) == before
    assert problem_lines(err) == [
        f"{old.name}[Số liệu]:9: column 'Điểm xã, thị trấn phù hợp với trẻ em – Trẻ em dưới 1 tuổi được tiêm chủng "
        f"đầy đủ (điểm)': cell {column}9: criterion qd34_c03 of "
        "QĐ 34/2014/QĐ-TTg: that standard applies 2014–2018; this return is for 2023 "
        "(QĐ 06/QĐ-TTg applies: use its criteria)"]


def test_a_csv_return_in_a_real_process_gets_the_same_one_line(python, tmp_path):
    data = data_copy(tmp_path)
    path = tmp_path / "cam-thuy-2023.csv"
    path.write_text("Năm báo cáo;2023\nUNIT;CHILDREN;CF_SCORE.qd06_c01;CF_SCORE.qd34_c15\n19606;1500;70;50\n",
                    encoding="utf-8")
    done = subprocess.run([python, "-m", "evaltools", "import", path.name, "--data", str(data)],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "evaltools: error: cam-thuy-2023.csv:3: column 'CF_SCORE.qd34_c15': cell D3: criterion qd34_c15 of "
        "QĐ 34/2014/QĐ-TTg: that standard applies 2014–2018; this return is for 2023 "
        "(QĐ 06/QĐ-TTg applies: use its criteria)\n")
    assert not (data / "values" / "returns-2023.csv").exists()


def test_the_dates_are_the_catalogs(tmp_path):
    """Move QĐ 34's end to 2023 in the catalog: the 2023 template and import follow it."""
    data = data_copy(tmp_path)
    path = data / "catalog" / "standards.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("applies_to: 2018-12-31", "applies_to: 2023-12-31")
                    .replace("applies_from: 2019-01-01", "applies_from: 2024-01-01"), encoding="utf-8")
    by_standard = criteria(data)
    codes = codes_of(template(tmp_path, data, 2023))
    assert [c for c in codes if c.startswith("CF_SCORE.")] == by_standard["qd34-2014"]
    ret = tmp_path / "r.csv"
    ret.write_text("Năm báo cáo;2023\nUNIT;CF_SCORE.qd34_c03;CF_SCORE.qd06_c01\n19606;70;60\n", encoding="utf-8")
    code, _, err = run(["import", ret.name, "--data", data], tmp_path)
    assert code == 1 and problem_lines(err) == [
        "r.csv:3: column 'CF_SCORE.qd06_c01': cell C3: criterion qd06_c01 of QĐ 06/QĐ-TTg: that standard applies "
        "2024–; this return is for 2023 (QĐ 34/2014/QĐ-TTg applies: use its criteria)"]


def test_instructions_skipped_is_said_once_for_every_file(tmp_path):
    data = data_copy(tmp_path)
    blank = template(tmp_path, data, 2023)
    files = [fill(blank, {(unit, "CHILDREN"): n}, tmp_path / f"{unit}.xlsx")
             for unit, n in (("19597", 3401), ("19600", 1200), ("19606", 1534))]
    code, out, err = run(["import", *(f.name for f in files), "--data", data, "--dry-run"], tmp_path)
    assert (code, err) == (0, "")
    notes = [line for line in out.splitlines() if "skipped" in line]
    assert notes == ["sheet 'Hướng dẫn' skipped (instructions) in all 3 files"]


def test_a_stored_score_under_a_standard_not_in_force_is_a_high_finding(python, tmp_path):
    """Typed into the store by hand (no import to refuse it): validation reports it, and `run` would refuse."""
    data = data_copy(tmp_path)
    store = data / "values" / "cam-lo-2020.csv"
    lines = store.read_text(encoding="utf-8").splitlines()
    store.write_text("\n".join([*lines, "CF_SCORE,2020,19606,qd34_c03,70,typed by hand,"]) + "\n", encoding="utf-8")
    done = subprocess.run([python, "-m", "evaltools", "validate", "ct20-2012-2022"], capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 1
    from evaltools.validation import validate

    found = validate(data / "reviews" / "ct20-2012-2022.yaml").findings
    hit = found[found["rule"] == "STANDARD_NOT_IN_FORCE"]
    assert hit[["importance", "unit", "year", "element", "value", "line"]].values.tolist() == [
        ["high", "19606", 2020, "CF_SCORE.qd34_c03", 70.0, len(lines) + 1]]
    assert hit["message"].tolist() == ["criterion qd34_c03 of QĐ 34/2014/QĐ-TTg: that standard applies 2014–2018; "
                                       "this value is for 2020 (QĐ 06/QĐ-TTg applies: use its criteria)"]
    assert "STANDARD_NOT_IN_FORCE" in done.stdout
