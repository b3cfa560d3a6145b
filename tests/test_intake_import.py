"""`evaltools import`: real returns in, exact values out; all or nothing; re-import changes nothing."""

from __future__ import annotations

import csv
import hashlib
import unicodedata

from openpyxl.utils import get_column_letter

from evaltools.model.catalog import load_catalog
from evaltools.intake.columns import data_columns
from evaltools.store.load import load_values

from .intake_support import (cell_rows, cp1258_bytes, data_copy, fill, problem_lines, run, set_cached,
                                  tree_hashes)

HEADER = "element,period,unit,category,value,source,comment"


def headers(data):
    """Vietnamese header of each column code, from the catalog the test runs on."""
    return {c.key: c.header_vi for c in data_columns(load_catalog(data / "catalog"))}


def messy_return(data) -> str:
    """A commune-cluster return as typed in Excel on Windows: names three ways, Vietnamese numbers."""
    h = headers(data)
    columns = [
        "Tên đơn vị",
        h["CHILDREN"].replace(" (em)", "").lower(),                  # no unit, lower case
        h["ALLOWANCE.disabled"].replace(" – ", " - "),               # a hyphen for the dash
        h["HI_CARDS"], h["HI_CARDS_VALUE"], h["CENTRE_CHILDREN"], "Ghi chú"]
    rows = [
        ["Xã Cam Thuỷ", "1.534", "12", "905", "3.667.005.000,đ", "", "số liệu đến 31/12/2023"],
        ["TT. Cam Lộ", "3\u00a0401", "", "1.234", "766.314.000 đ", "", ""],
        ["x. cam hiếu", "1.290", "0", "", "", "", ""],
        ["Huyện Cam Lộ", "", "", "", "", "2", ""],
    ]
    lines = ["BÁO CÁO SỐ LIỆU TRẺ EM NĂM 2023", "Năm báo cáo:;2023", "", ";".join(columns)]
    return "\r\n".join(lines + [";".join(r) for r in rows]) + "\r\n"


def store_lines(data, name):
    return (data / "values" / name).read_text(encoding="utf-8").splitlines()


def test_realistic_messy_cp1258_return_imports_to_exactly_the_expected_values(tmp_path):
    data = data_copy(tmp_path)
    path = tmp_path / "cam-lo-2023.csv"
    path.write_bytes(cp1258_bytes(messy_return(data)))
    raw = path.read_bytes()
    assert b"\xd2" in raw and "ỷ".encode() not in raw  # Windows-1258 writes the hook above as a combining byte
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert (code, err) == (0, "")
    assert store_lines(data, "returns-2023.csv") == [
        HEADER,
        "CHILDREN,2023,19606,default,1534,cam-lo-2023.csv:5,số liệu đến 31/12/2023",
        "ALLOWANCE,2023,19606,disabled,12,cam-lo-2023.csv:5,số liệu đến 31/12/2023",
        "HI_CARDS,2023,19606,default,905,cam-lo-2023.csv:5,số liệu đến 31/12/2023",
        "HI_CARDS_VALUE,2023,19606,default,3667005000,cam-lo-2023.csv:5,số liệu đến 31/12/2023",
        "CHILDREN,2023,19597,default,3401,cam-lo-2023.csv:6,",
        "HI_CARDS,2023,19597,default,1234,cam-lo-2023.csv:6,",
        "HI_CARDS_VALUE,2023,19597,default,766314000,cam-lo-2023.csv:6,",
        "CHILDREN,2023,19615,default,1290,cam-lo-2023.csv:7,",
        "ALLOWANCE,2023,19615,disabled,0,cam-lo-2023.csv:7,",
        "CENTRE_CHILDREN,2023,468,default,2,cam-lo-2023.csv:8,",
    ]
    summary = out.splitlines()
    # file, layout, encoding, year; rows 4, values 10, empty 3 (cells that could hold a figure), added 10
    assert summary[1].split() == ["cam-lo-2023.csv", "wide", "CSV", "Windows-1258", "2023", "4", "10", "3", "10",
                                  "0", "0", "0"]
    assert path.read_bytes() == raw
    values = load_values(data / "values", load_catalog(data / "catalog"))
    assert values.loc[values["period"] == 2023, "value"].sum() == 1534 + 12 + 905 + 3667005000 + 3401 + 1234 \
        + 766314000 + 1290 + 0 + 2
    assert all(unicodedata.is_normalized("NFC", line) for line in store_lines(data, "returns-2023.csv"))


def test_reimporting_the_same_return_changes_nothing_and_is_logged(tmp_path):
    data = data_copy(tmp_path)
    path = tmp_path / "r.csv"
    path.write_bytes(cp1258_bytes(messy_return(data)))
    assert run(["import", path, "--data", data], tmp_path)[0] == 0
    before = tree_hashes(data / "values")
    code, out, _ = run(["import", path, "--data", data], tmp_path)
    assert code == 0
    assert tree_hashes(data / "values") == before
    assert out.splitlines()[1].split()[8:12] == ["0", "10", "0", "0"]   # added unchanged replaced rejected
    assert "same content imported before" in out and "the store is unchanged" in out
    with open(data / "imports.csv", encoding="utf-8", newline="") as fh:
        log = list(csv.DictReader(fh))
    assert [(r["added"], r["unchanged"], r["rows"], r["values"]) for r in log] == [("10", "0", "4", "10"),
                                                                                  ("0", "10", "4", "10")]
    assert {r["sha256"] for r in log} == {hashlib.sha256(path.read_bytes()).hexdigest()}
    assert {r["encoding"] for r in log} == {"Windows-1258"}


def template_return(tmp_path, data, year=2023):
    out = tmp_path / f"return-{year}.xlsx"
    assert run(["template", year, "--data", data, "--out", out], tmp_path)[0] == 0
    return out


def test_filled_template_with_a_formula_imports_to_exactly_the_expected_values(tmp_path):
    data = data_copy(tmp_path)
    book = template_return(tmp_path, data)
    rows, codes = cell_rows(book)
    first, last = (get_column_letter(codes[f"ALLOWANCE.{o}"]) for o in ("orphan_both", "orphan_one"))
    total = f"{get_column_letter(codes['ALLOWANCE_TOTAL'])}{rows['19612']}"
    fill(book, {("19612", "CHILDREN"): 1700, ("19612", "ALLOWANCE.orphan_both"): 3,
                ("19612", "ALLOWANCE.disabled"): 15, ("19612", "ALLOWANCE.orphan_one"): 20,
                ("19612", "ALLOWANCE_TOTAL"): f"=SUM({first}{rows['19612']}:{last}{rows['19612']})",
                ("19612", "HI_CARDS_VALUE"): "3.667.005.000 đ", ("19612", "CF_RECOGNISED"): 1,
                ("19603", "CF_SCORE.qd06_c01"): 62.5, ("468", "CENTRE_CHILDREN"): 2})
    set_cached(book, total, "38")   # what Excel stores when it saves the formula's result
    code, out, err = run(["import", book.name, "--data", data], tmp_path)
    assert (code, err) == (0, "")
    place = f"{book.name}[Số liệu]"
    assert store_lines(data, "returns-2023.csv") == [
        HEADER,
        f"CF_SCORE,2023,19603,qd06_c01,62.5,{place}:{rows['19603']},",
        f"CHILDREN,2023,19612,default,1700,{place}:{rows['19612']},",
        f"ALLOWANCE,2023,19612,orphan_both,3,{place}:{rows['19612']},",
        f"ALLOWANCE,2023,19612,disabled,15,{place}:{rows['19612']},",
        f"ALLOWANCE,2023,19612,orphan_one,20,{place}:{rows['19612']},",
        f"ALLOWANCE_TOTAL,2023,19612,default,38,{place}:{rows['19612']},",
        f"CF_RECOGNISED,2023,19612,default,1,{place}:{rows['19612']},",
        f"HI_CARDS_VALUE,2023,19612,default,3667005000,{place}:{rows['19612']},",
        f"CENTRE_CHILDREN,2023,468,default,2,{place}:{rows['468']},",
    ]
    assert "sheet 'Hướng dẫn' skipped (instructions)" in out


def test_template_without_its_code_row_is_read_by_the_vietnamese_headers(tmp_path):
    import openpyxl

    data = data_copy(tmp_path)
    book = fill(template_return(tmp_path, data), {("19606", "CHILDREN"): 1500, ("19606", "INJURIES.drowning"): 2})
    wb = openpyxl.load_workbook(book)
    wb["Số liệu"].delete_rows(5)
    wb.save(book)
    assert run(["import", book, "--data", data], tmp_path)[0] == 0
    assert store_lines(data, "returns-2023.csv")[1:] == [
        f"CHILDREN,2023,19606,default,1500,{book.name}[Số liệu]:8,",
        f"INJURIES,2023,19606,drowning,2,{book.name}[Số liệu]:8,"]


def test_conflict_is_refused_then_accepted_with_replace(tmp_path):
    data = data_copy(tmp_path)
    path = tmp_path / "cam-lo-2017-sua.csv"
    path.write_text("Năm báo cáo;2017\nUNIT_NAME;CHILDREN;HI_CARDS\nTT. Cam Lộ;3.300;204\n", encoding="utf-8")
    stored = store_lines(data, "cam-lo-2017.csv")
    assert "CHILDREN,2017,19597,default,3333,data/generate.py," in stored
    before = tree_hashes(data)
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert code == 1 and tree_hashes(data) == before
    assert problem_lines(err) == [
        f"{path.name}:1: its year cell Năm báo cáo (B1) says 2017, and 1 of its 2 figures differ from the 2017 "
        "figures already stored (from data/generate.py). If it holds another year's figures, correct its year and "
        "import again; only if it corrects the stored 2017 figures, import again with --replace",
        f"{path.name}:3: column 'CHILDREN': cell B3: conflicts with the stored value 3333 "
        "(data/values/cam-lo-2017.csv:2, source data/generate.py): this return has 3300 "
        "(check the year first: see this return's first line)"]
    code, out, err = run(["import", path.name, "--data", data, "--replace"], tmp_path)
    assert (code, err) == (0, "")
    after = store_lines(data, "cam-lo-2017.csv")
    changed = [(a, b) for a, b in zip(stored, after) if a != b]
    assert len(after) == len(stored)
    assert len(changed) == 1 and changed[0][1].startswith(f"CHILDREN,2017,19597,default,3300,{path.name}:3,"
                                                          "replaced 3333 (data/generate.py) on ")
    after_hashes = tree_hashes(data)
    assert {k: v for k, v in after_hashes.items() if k.startswith("values/") and k != "values/cam-lo-2017.csv"} \
        == {k: v for k, v in before.items() if k.startswith("values/") and k != "values/cam-lo-2017.csv"}
    assert "replaced CHILDREN 2017 19597 default: 3333" in out and "-> 3300" in out


def test_dry_run_shows_the_summary_and_writes_nothing(tmp_path):
    data = data_copy(tmp_path)
    path = tmp_path / "r.csv"
    path.write_bytes(cp1258_bytes(messy_return(data)))
    before = tree_hashes(data)
    code, out, _ = run(["import", path, "--data", data, "--dry-run"], tmp_path)
    assert code == 0 and tree_hashes(data) == before
    assert not (data / "imports.csv").exists()
    assert out.splitlines()[1].split()[8:12] == ["10", "0", "0", "0"]   # added unchanged replaced rejected
    assert out.splitlines()[-1] == "dry run: nothing was written"


def test_one_bad_file_and_nothing_of_the_good_one_is_written(tmp_path):
    data = data_copy(tmp_path)
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(cp1258_bytes(messy_return(data)))
    bad.write_text("Năm báo cáo,2023\nUNIT,CHILDREN\n19621,23.0000.000\n", encoding="utf-8")
    before = tree_hashes(data)
    code, out, err = run(["import", good.name, bad.name, "--data", data], tmp_path)
    assert code == 1 and tree_hashes(data) == before
    assert problem_lines(err)[0].startswith("bad.csv:3: column 'CHILDREN': cell B3: malformed digit grouping")
    assert out.splitlines()[-1] == "REFUSED: 1 value(s) rejected, nothing was written"


def test_a_store_file_imports_back_unchanged_and_into_an_empty_store_identically(tmp_path):
    data = data_copy(tmp_path)
    export = tmp_path / "export-2017.csv"
    export.write_bytes((data / "values" / "cam-lo-2017.csv").read_bytes())
    before = tree_hashes(data / "values")
    code, out, _ = run(["import", export.name, "--data", data], tmp_path)
    assert code == 0 and tree_hashes(data / "values") == before
    rows = len(store_lines(data, "cam-lo-2017.csv")) - 1
    assert out.splitlines()[1].split()[1:4] == ["long", "CSV", "UTF-8"]
    assert out.splitlines()[1].split()[5:] == [str(rows), str(rows), "0", "0", str(rows), "0", "0"]
    fresh = data_copy(tmp_path / "fresh")
    for f in (fresh / "values").iterdir():
        f.unlink()
    assert run(["import", export, "--data", fresh], tmp_path)[0] == 0
    catalog = load_catalog(data / "catalog")
    old = load_values(data / "values", catalog)
    new = load_values(fresh / "values", catalog)
    keys = ["element", "period", "unit", "category", "value", "comment"]
    expect = old[old["period"] == 2017][keys].astype(str).reset_index(drop=True)
    assert new[keys].astype(str).reset_index(drop=True).equals(expect)
    assert set(new["source"]) == {f"export-2017.csv:{i} from data/generate.py" for i in range(2, rows + 2)}
