"""`evaltools validate` on copies of the sample data: clean as shipped, every kind of problem flagged at once."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess

import pandas as pd
import pytest

from evaltools.validation import COLUMNS, validate

from .conftest import make_project

SOURCE_NOTE = "báo cáo gốc ghi “23.0000.000”"


@pytest.fixture
def data(tmp_path, root):
    """A copy of the sample data; the review config points at the copy."""
    shutil.copytree(root / "data", tmp_path / "data", ignore=shutil.ignore_patterns("__pycache__"))
    make_project(tmp_path)
    return tmp_path / "data"


def full_range(data):
    """The sample review stretched to 2012–2022 (the ten-year tổng kết)."""
    text = (data / "reviews" / "ct20-2012-2017.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: \S+", "id: ct20-2012-2022", text)
    text = re.sub(r"(?m)^last_year: \d+", "last_year: 2022", text)
    text = re.sub(r"(?m)^cutoff: \S+", "cutoff: 2022-12-31", text)
    text = re.sub(r"(?m)^date: \S+", "date: 2023-01-16", text)             # signed after the cut-off
    path = data / "reviews" / "ct20-2012-2022.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(python, *args, cwd):
    return subprocess.run([python, "-m", "evaltools", "validate", *args], capture_output=True, text=True, cwd=cwd)


def edit(path, change):
    """Rewrite a store file row by row: ``change(row) -> row``, or None to drop the row."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    writer.writerows(r for r in (change(row) for row in rows[1:]) if r is not None)
    path.write_text(out.getvalue(), encoding="utf-8")


def line_of(path, predicate) -> int:
    with open(path, encoding="utf-8", newline="") as fh:
        return next(i for i, row in enumerate(csv.reader(fh), start=1) if predicate(row))


def test_sample_validates_without_high_findings(data):
    result = validate(data / "reviews" / "ct20-2012-2017.yaml")
    assert result.high == 0 and result.exit_code == 0
    assert list(result.findings.columns) == list(COLUMNS)
    # Scholarship amounts jump when donors start (FPT 2015, VNEP and AIA 2016): genuine, so
    # the rules file turns their outlier check off; nothing else is flagged.
    assert result.findings.empty
    assert result.rates["expected"].tolist() == [10] * 6            # 9 communes and the district
    assert result.rates["rate"].tolist() == [1.0] * 6


def test_whole_range_validates_across_the_merger(data):
    result = validate(full_range(data))
    assert result.high == 0
    assert result.findings.empty
    assert result.rates["expected"].tolist() == [10] * 8 + [9] * 3     # Cam An + Cam Thanh = Thanh An
    assert result.rates["rate"].tolist() == [1.0] * 11


def test_source_typo_is_flagged_with_file_and_row(data, python):
    store = data / "values" / "cam-lo-2017.csv"
    line = line_of(store, lambda row: row[-1] == SOURCE_NOTE)
    edit(store, lambda row: row[:4] + ["23.0000.000"] + row[5:] if row[-1] == SOURCE_NOTE else row)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (data / "values").iterdir()}
    done = run(python, "data/reviews/ct20-2012-2017.yaml", "--csv", "out/findings.csv", "--lang", "en",
               cwd=data.parent)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("ct20-2012-2017: 1 finding(s): 1 high, 0 medium, 0 low\n")
    row = next(l for l in done.stdout.splitlines() if l.startswith("high"))
    assert f"data/values/cam-lo-2017.csv:{line}" in row
    assert "19597 Thị trấn Cam Lộ" in row
    assert "column 'value': expected a number written like 1234 or 12.5, found '23.0000.000'" in row
    findings = pd.read_csv(data.parent / "out" / "findings.csv", dtype=str, keep_default_na=False)
    high = findings[findings["importance"] == "high"]
    assert high[["kind", "rule", "unit", "year", "element", "file", "line", "source"]].values.tolist() == [
        ["schema", "SCHEMA_VALUE", "19597", "2017", "SCHOLARSHIP_VALUE", "data/values/cam-lo-2017.csv",
         str(line), "data/generate.py"]]
    assert [p.name for p in (data.parent / "out").iterdir()] == ["findings.csv"]      # no temp file left
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (data / "values").iterdir()}
    assert after == before                                                          # inputs untouched


def test_clean_copy_exits_0_from_the_command_line(data, python):
    done = run(python, "data/reviews/ct20-2012-2017.yaml", cwd=data.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "ct20-2012-2017: 0 finding(s): 0 high, 0 medium, 0 low"


def test_every_finding_at_once(data):
    """One copy with a malformed figure, a wrong total, a missing return, a tenfold population and a duplicate."""
    y15, y16, y17 = (data / "values" / f"cam-lo-{y}.csv" for y in (2015, 2016, 2017))
    edit(y17, lambda row: row[:4] + ["23.0000.000"] + row[5:] if row[-1] == SOURCE_NOTE else row)
    total = lambda row: row[0] == "ALLOWANCE_TOTAL" and row[2] == "19621"         # noqa: E731
    wrong_total = int(next(r for r in csv.reader(y15.open(encoding="utf-8")) if total(r))[4]) + 2
    edit(y15, lambda row: row[:4] + [str(wrong_total)] + row[5:] if total(row) else row)
    edit(y16, lambda row: None if row[2] == "19615" else row)                      # Cam Hiếu sent nothing in 2016
    children = lambda row, year: row[0] == "CHILDREN" and row[2] == "19612" and row[1] == year   # noqa: E731
    before = int(next(r for r in csv.reader(y15.open(encoding="utf-8")) if children(r, "2015"))[4])
    tenfold = int(next(r for r in csv.reader(y16.open(encoding="utf-8")) if children(r, "2016"))[4]) * 10
    edit(y16, lambda row: row[:4] + [str(tenfold)] + row[5:] if children(row, "2016") else row)
    edit(y17, lambda row: None if row[0] == "CHILDREN" and row[2] == "19621" else row)  # return without children
    with y17.open("a", encoding="utf-8") as fh:
        fh.write("GIFTS,2017,19600,default,5,data/generate.py,typed twice\n")
    result = validate(data / "reviews" / "ct20-2012-2017.yaml")
    f = result.findings
    assert set(f["kind"]) == {"schema", "rule", "completeness", "outlier"}
    schema = f[f["kind"] == "schema"]
    assert sorted(schema["rule"]) == ["SCHEMA_DUPLICATE", "SCHEMA_VALUE"]
    rule = f[(f["kind"] == "rule") & (f["rule"] != "DENOMINATOR_JUMP")]
    assert rule[["rule", "unit", "year", "value", "expected"]].values.tolist() == [
        ["ALLOWANCE_TOTAL_SUM", "19621", 2015, wrong_total, wrong_total - 2],
        ["CHILDREN_REPORTED", "19621", 2017, 0, 0]]          # Cam Hiếu's missing 2016 return is not a rule finding
    assert rule["message"].tolist()[1] == "CHILDREN = 0 but should be more than 0; not reported, counted as 0: CHILDREN"
    missing = f[f["kind"] == "completeness"]
    assert missing[["unit", "unit_name", "year"]].values.tolist() == [["19615", "Xã Cam Hiếu", 2016]]
    # the tenfold children are the denominator of every rate of Cam Thành: high, both ways (data/README.md)
    tenfold_jump = f[(f["rule"] == "DENOMINATOR_JUMP") & (f["element"] == "CHILDREN")]
    assert tenfold_jump[["unit", "year", "value", "expected", "importance"]].values.tolist() == [
        ["19612", 2016, tenfold, before, "high"], ["19612", 2017, pytest.approx(tenfold / 10, rel=0.05), tenfold,
                                                   "high"]]
    assert not ((f["rule"] == "OUTLIER_RATIO") & (f["element"] == "CHILDREN")).any()      # one finding per value
    assert ((f["rule"] == "OUTLIER_Z") & (f["unit"] == "19612") & (f["year"] == 2016)).sum() == 1
    assert result.high == 5 and result.exit_code == 1
    assert list(f["importance"].astype(str)) == sorted(f["importance"].astype(str),
                                                       key=["high", "medium", "low"].index)


def test_unreadable_store_file_is_a_finding_and_the_rest_is_still_checked(data):
    (data / "values" / "cam-lo-2013.csv").write_bytes("element;period\nCHILDREN;2013\n".encode("utf-8"))
    result = validate(data / "reviews" / "ct20-2012-2017.yaml")
    f = result.findings
    bad = f[f["rule"] == "SCHEMA_FILE"]
    assert bad[["importance", "line"]].values.tolist() == [["high", 1]]
    assert bad.iloc[0]["file"].endswith("data/values/cam-lo-2013.csv")
    assert bad.iloc[0]["message"].startswith("expected columns element, period, unit, category, value")
    assert sorted(f.loc[f["kind"] == "completeness", "year"].unique().tolist()) == [2013]
    assert result.rates.loc[2013, "received"] == 0 and result.rates.loc[2012, "received"] == 10


def test_missing_review_is_exit_1(python, tmp_path):
    done = run(python, "missing.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "evaltools: error: missing.yaml: review config not found\n"


def test_schema_problems_beyond_the_store_limit_stop_the_other_checks(data):
    # 25 rows with an unknown category: the store names 20 and summarises the rest.
    edit(data / "values" / "cam-lo-2014.csv",
         lambda row: row[:3] + ["bogus"] + row[4:] if row[0] == "CF_SCORE" and row[3] < "qd34_c04" else row)
    result = validate(data / "reviews" / "ct20-2012-2017.yaml")
    f = result.findings
    assert (f["rule"] == "SCHEMA_CATEGORY").sum() == 21
    assert f.loc[f["rule"] == "SCHEMA_CATEGORY", "message"].str.contains("more rows with the same problem").sum() == 1
    assert f.loc[f["kind"] != "schema"].empty
    assert f.loc[f["rule"] == "SCHEMA_TOO_MANY", "importance"].tolist() == ["high"]


def test_results_that_cannot_exist_by_the_cut_off_are_high_findings(data):
    """Recognition decided at the year's end and a mid-autumn plan, both dated 2017 (figures to 31/05/2017)."""
    store = data / "values" / "cam-lo-2017.csv"
    with store.open("a", encoding="utf-8") as fh:
        fh.write("CF_RECOGNISED,2017,19606,default,1,data/generate.py,\nPLANS,2017,468,mid_autumn,1,data/generate.py,\n")
    recognised = line_of(store, lambda row: row[0] == "CF_RECOGNISED")
    for review in ("ct20-2012-2017.yaml", full_range(data).name):     # the review's cut-off; periods.yaml's 2017
        f = validate(data / "reviews" / review).findings
        early = f[f["rule"].str.endswith("_NOT_BEFORE")]
        assert early[["importance", "rule", "unit", "year"]].values.tolist() == [
            ["high", "CF_RECOGNISED_NOT_BEFORE", "19606", 2017], ["high", "PLANS_MID_AUTUMN_NOT_BEFORE", "468", 2017]]
        first = early.iloc[0]
        assert first["file"].endswith("values/cam-lo-2017.csv") and first["line"] == recognised
        assert first["message"] == ("CF_RECOGNISED = 1 for 2017, whose figures stop on 31/05/2017: "
                                    "it cannot exist before 01/12/2017")


def test_children_in_special_circumstances_include_the_full_orphans_and_disabled_children(data):
    store = data / "values" / "cam-lo-2016.csv"
    csc = lambda row: row[0] == "CSC_CHILDREN" and row[2] == "19600"                     # noqa: E731
    edit(store, lambda row: row[:4] + ["3"] + row[5:] if csc(row) else row)
    groups = [int(r[4]) for r in csv.reader(store.open(encoding="utf-8"))
              if r[0] == "ALLOWANCE" and r[2] == "19600" and r[3] in ("orphan_both", "disabled")]
    f = validate(data / "reviews" / "ct20-2012-2017.yaml").findings
    found = f[f["rule"] == "CSC_GE_ORPHANS_DISABLED"]
    assert found[["importance", "unit", "year", "value", "expected"]].values.tolist() == [
        ["high", "19600", 2016, 3, sum(groups)]]


def test_a_review_signed_before_its_cut_off_is_a_high_finding(data):
    path = data / "reviews" / "ct20-2012-2017.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2017-06-15", "date: 2017-05-15"), encoding="utf-8")
    result = validate(path)
    found = result.findings[result.findings["rule"] == "REVIEW_SIGNED_BEFORE_CUTOFF"]
    assert found[["importance", "kind"]].values.tolist() == [["high", "rule"]]
    assert found.iloc[0]["message"].startswith("date 15/05/2017 is before cutoff 31/05/2017")
    assert found.iloc[0]["file"].endswith("reviews/ct20-2012-2017.yaml") and result.exit_code == 1
