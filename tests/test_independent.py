"""The engine against an independent plain-pandas computation on two districts (tests/independent).

The second store holds two districts, each with a review. The first has a split, a merger under a new
code, one under a kept code, missing returns, a year its returns stop early (2019 to 30/09/2019) and
a last year cut off on 30/06/2022, and a donor's aid group that ends in 2020; the other district has
its own partial year (2020 to 31/03/2020) and a split the year before its last. Their expected figures
are computed without evaltools, from data/README.md alone.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest

from .independent import district
from .independent.expected import expected

KEYS = ["indicator", "unit", "period", "category"]
REVIEWS = list(district.REVIEWS)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("second")
    district.write(folder / "data")
    return folder


@pytest.fixture(scope="module", params=REVIEWS)
def tables(request, store, python, root):
    review = request.param
    done = subprocess.run([python, "-m", "evaltools", "indicators", str(store / "data" / "reviews" / f"{review}.yaml"),
                           "--out", str(store / "out")], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    got = pd.read_csv(store / "out" / review / "indicators.csv", keep_default_na=False, na_values=[""],
                      dtype={"unit": str, "period": str, "category": str, "partial_days": str})
    want = expected(pd.read_csv(store / "data" / "values" / "second.csv", dtype={"unit": str}), review)
    got["partial_days"] = got["partial_days"].fillna("")
    return got.set_index(KEYS).sort_index(), want.set_index(KEYS).sort_index()


def test_the_same_rows_no_dead_unit_and_nothing_of_the_other_district(tables):
    got, want = tables
    assert sorted(got.index) == sorted(want.index)
    units = set(got.index.get_level_values("unit"))
    assert units in ({"501", "50101", "50110", "50104", "50107", "50108"}, {"502", "50201", "50203", "50204"})


def test_every_value_of_both_districts_matches(tables):
    """The measure: every value, numerator, denominator, count and label equal to plain pandas."""
    got, want = tables
    want = want.loc[got.index]
    same = pd.Series(True, index=got.index)
    for column in ("value", "numerator", "denominator"):
        same &= np.isclose(got[column].astype(float), want[column].astype(float), rtol=1e-9, atol=1e-9,
                           equal_nan=True)
    for column in ("reported", "expected", "aggregation", "partial", "partial_days"):
        same &= got[column].astype(str).to_numpy() == want[column].astype(str).to_numpy()
    same &= got["value_year"].astype("Int64").fillna(-1).to_numpy() == want["value_year"].astype(
        "Int64").fillna(-1).to_numpy()
    print(f"independent: {int(same.sum())}/{len(same)} rows equal")
    assert same.all(), got[~same].head(10)


@pytest.mark.parametrize("column", ["value", "numerator", "denominator"])
def test_every_figure_agrees(tables, column):
    got, want = tables
    a, b = got[column].astype(float), want.loc[got.index, column].astype(float)
    same = np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
    assert same.all(), pd.DataFrame({"engine": a[~same], "pandas": b[~same]}).head(20)


@pytest.mark.parametrize("column", ["reported", "expected", "aggregation", "partial", "partial_days"])
def test_every_coverage_and_label_agrees(tables, column):
    got, want = tables
    a, b = got[column], want.loc[got.index, column]
    diff = a.astype(str) != b.astype(str)
    assert not diff.any(), pd.DataFrame({"engine": a[diff], "pandas": b[diff]}).head(20)


def test_every_value_year_agrees(tables):
    got, want = tables
    a = got["value_year"].astype("Int64")
    b = want.loc[got.index, "value_year"].astype("Int64")
    assert a.equals(b)


def test_the_history_is_where_the_documentation_puts_it(tables):
    got, _ = tables
    if "502" in set(got.index.get_level_values("unit")):
        # H split on 01/01/2021: its 2020 is the district's only, H1 starts in 2021
        assert np.isnan(got.loc[("CHILDREN", "50203", "2020", "total"), "value"])
        assert got.loc[("CHILDREN", "502", "2020", "total"), "expected"] == 2
        assert got.loc[("CHILDREN", "502", "2021", "total"), "expected"] == 3
        return
    value = got["value"]
    # F's 2019 children count in the district, not in F1 or F2; BC's 2019 is B + C
    assert np.isnan(value[("CHILDREN", "50107", "2019", "total")])
    assert got.loc[("CHILDREN", "50110", "2019", "total"), "expected"] == 2
    assert got.loc[("CHILDREN", "50104", "2018", "total"), "expected"] == 2     # D and E, under D's kept code
    assert got.loc[("CASE_RATE", "501", "2022", "total"), "reported"] == 4       # A sent no children for 2022
    assert got.loc[("CHILDREN", "501", "2018-2022", "total"), ["reported", "expected"]].tolist() == [4, 5]


# --- The report's own tables of the second district, against the same plain pandas --------------

@pytest.fixture(scope="module")
def report_tables(tmp_path_factory):
    from evaltools.dataset.context import open_review
    from evaltools.report.tables import by_unit, summary
    from evaltools.model.texts import load_texts

    folder = tmp_path_factory.mktemp("second-report")
    review = district.write(folder / "data")
    data = open_review(review, "vi")
    text = load_texts("vi", None)
    want = expected(pd.read_csv(folder / "data" / "values" / "second.csv", dtype={"unit": str}))
    return summary(data, text), by_unit(data, text, "CASE_RATE"), want.set_index(KEYS), data, text


def test_the_summary_table_shows_the_plain_pandas_figures_years_and_marks(report_tables):
    from evaltools.report.tables import marks, present

    table, _, want, data, text = report_tables
    years = [str(y) for y in district.YEARS]
    # 501's own partial year (to 30/09/2019) and the year cut off on 30/06/2022 are marked and explained
    assert list(table.columns) == ["Chỉ tiêu", "Đơn vị tính", "2018", "2019*", "2020", "2021", "2022*",
                                   "Cả giai đoạn", "Cách tính cả giai đoạn"]
    notes = " ".join(present(data, text, table).notes)
    marked = marks(data, text, table)
    assert "Năm 2019: số liệu tính đến ngày 30/09/2019." in notes
    assert "Năm 2022: số liệu tính đến ngày 30/06/2022." in notes
    assert "2020" not in notes                          # 502's partial 2020 is not 501's
    scale = {"COST_PER_CASE": 1.0}                      # đồng per case stays in đồng (a total would be millions)
    for code in district.INDICATORS:
        for period, column in zip([*years, "2018-2022"], table.columns[2:-1]):
            plain = want.loc[(code, district.AREA, period, "total")]
            shown = table.at[code, column]
            assert np.isclose(shown, plain["value"] * scale.get(code, 1.0), equal_nan=True), (code, period)
            # † exactly where fewer returns counted than were expected
            mark = marked.at[code, column]
            short = plain["value"] == plain["value"] and plain["reported"] < plain["expected"]
            assert mark == ("†" if short else ""), (code, period, mark)
    assert table.at["CHILDREN", "Cách tính cả giai đoạn"] == "cuối kỳ (2022*)"
    assert table.at["CASE_RATE", "Cách tính cả giai đoạn"] == "bình quân cả giai đoạn"


def test_the_appendix_table_per_commune_is_the_plain_pandas_one(report_tables):
    _, table, want, _, _ = report_tables
    communes = sorted({u for (i, u, p, c) in want.index if i == "CASE_RATE" and u != district.AREA})
    assert list(table.index) == [*communes, district.AREA]                     # GSO order, the district last
    assert table.iloc[-1, 0] == "Toàn huyện"
    for unit in table.index:
        for period, column in zip([*(str(y) for y in district.YEARS), "2018-2022"], table.columns[1:]):
            assert column.rstrip("*") == period.replace("-", "–") or column == "Cả giai đoạn", column
            plain = want.loc[("CASE_RATE", unit, period, "total"), "value"]
            assert np.isclose(table.at[unit, column], plain, equal_nan=True), (unit, period)
    # F split in 2020: its history stays with the district, so F1 shows no 2019 figure (missing, not 0);
    # B and C merged under BC's new code, which carries their history on
    assert np.isnan(table.at["50107", "2019*"]) and table.at["50107", "2020"] >= 0
    assert not np.isnan(table.at["50110", "2018"])


# --- Periods per area, one year per stock, spans that include a partial year, splits -------------

@pytest.fixture(scope="module")
def loaded(store):
    from evaltools.dataset.context import open_review

    return {review: open_review(store / "data" / "reviews" / f"{review}.yaml", "vi") for review in REVIEWS}


def _plain(store) -> pd.DataFrame:
    return pd.read_csv(store / "data" / "values" / "second.csv", dtype={"unit": str})


def test_the_other_districts_full_year_is_neither_inflated_nor_marked(loaded, store):
    values = _plain(store)
    communes = {"502": ["50201", "50202"], "501": ["50101", "50102", "50103", "50104", "50105", "50106"]}
    for area, share in (("502", 1.0), ("501", 273 / 365)):      # 501's 2019 runs to 30/09/2019 (273 days)
        mine = values[(values["period"] == 2019) & values["unit"].isin(communes[area])]
        cases = mine[mine["element"] == "CASES"].groupby("unit")["value"].sum()
        children = mine[mine["element"] == "CHILDREN"].set_index("unit")["value"]
        both = cases.index.intersection(children.index)
        plain = cases[both].sum() / (children[both].sum() * share) * 1000
        row = loaded["third-district" if area == "502" else "second-district"].row("CASE_RATE", "2019")
        assert row["value"] == pytest.approx(plain) and bool(row["partial"]) == (area == "501"), area
    third = loaded["third-district"]
    assert third.partial_years == {2020: pd.Timestamp("2020-03-31").date()}          # its own, not 501's 2019
    assert third.year_label(2019) == "2019" and third.year_label(2020) == "2020*"


def test_a_stocks_parts_come_from_its_totals_year_and_add_up(loaded):
    second, third = loaded["second-district"], loaded["third-district"]
    total, g1, g2 = (second.row("AID", category=c) for c in ("total", "g1", "g2"))
    assert int(total["value_year"]) == int(g1["value_year"]) == 2022
    assert np.isnan(g2["value"]) and g2["reason"] == "no data"            # ended in 2020: absent, not carried
    assert g1["value"] == total["value"]
    parts = [third.row("AID", category=c)["value"] for c in ("g1", "g2")]
    assert sum(parts) == third.row("AID")["value"]


def test_a_span_total_names_the_years_cut_short_inside_it(loaded):
    from evaltools import report
    from evaltools.model.texts import load_texts

    text = load_texts("vi", None)
    second, third = loaded["second-district"], loaded["third-district"]
    assert report.span(text, 2018, 2022, second.quantity("CASES")) == \
        "giai đoạn 2018–2022, tính đến ngày 30/06/2022, trong đó năm 2019 đến 30/09/2019"
    assert report.span(text, 2018, 2022, third.quantity("CASES")) == \
        "giai đoạn 2018–2022, trong đó năm 2020 đến 31/03/2020"
    english = load_texts("en", None)
    assert report.span(english, 2018, 2022, third.quantity("CASES")) == \
        "2018–2022, with 2020 only up to 31 March 2020"
    # a stock of a full year carries no cut-off
    assert third.quantity("CHILDREN").until is None and third.quantity("CHILDREN").partial_in == ()


def test_a_split_has_its_note_beside_the_merger_notes(loaded):
    from evaltools.report.tables import merger_notes
    from evaltools.model.texts import load_texts

    text = load_texts("vi", None)
    second = " ".join(map(str, merger_notes(loaded["second-district"], text)))
    assert "Xã F được chia tách thành xã F1 và xã F2 từ năm 2020" in second
    assert "Xã BC: trước năm 2020 là số liệu cộng của xã B và xã C." in second
    third = " ".join(map(str, merger_notes(loaded["third-district"], text)))
    assert "Xã H được chia tách thành xã H1 và xã H2 từ năm 2021" in third and "Xã F" not in third
    assert "cộng các dòng xã, thị trấn không bằng dòng “Toàn huyện”" in third
