"""One presentation step (data/README.md, "How every table is presented"): the report's table, the
explorer's table and the workbook show a figure alike, and a frame that went through pandas still
presents right (nothing rides on ``DataFrame.attrs``).

Expected values are the sample's values files added up with plain pandas and written by hand with
data/README.md's rules: a total in đồng in millions with one decimal (rounded half up), "." between
thousands and "," before decimals in Vietnamese, † on a figure counted from fewer returns than expected.
"""

from __future__ import annotations

import io
import shutil
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd
import pytest

from evaltools import explore
from evaltools.dataset.context import open_review
from evaltools.explore.show import formatted
from evaltools.export.xlsx import indicators_xlsx
from evaltools.model.texts import load_texts
from evaltools.report.tables import by_unit, present, summary

from .conftest import ROOT, SAMPLE_REVIEW, make_project

CODE, AREA, NAME = "HI_CARDS_VALUE", "468", "Huyện Cam Lộ"
YEARS = [2014, 2016]
GONE = "HI_CARDS_VALUE,2014,19609,"          # one commune's 2014 return of the amount, left out


def _vi(amount: int, places: int = 1) -> str:
    """``amount`` đồng in millions, written the Vietnamese way by hand (3.667,0)."""
    shown = (Decimal(amount) / Decimal(1_000_000)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{shown:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The sample as a project, without one commune's 2014 amount (so 2014's total rests on 8 of 9 returns)."""
    root = tmp_path_factory.mktemp("present")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns(".columnar"))
    make_project(root)
    path = root / "data" / "values" / "cam-lo-2014.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert any(line.startswith(GONE) for line in lines)
    path.write_text("".join(line for line in lines if not line.startswith(GONE)), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def plain(project) -> dict[int, int]:
    """The district's amount per year: the communes' rows of the values files added up (plain pandas)."""
    frames = [pd.read_csv(project / "data" / "values" / f"cam-lo-{y}.csv", dtype={"unit": str}) for y in YEARS]
    rows = pd.concat(frames)
    rows = rows[(rows["element"] == CODE) & (rows["category"] == "default")]
    return {int(y): int(v) for y, v in rows.groupby("period")["value"].sum().items()}


@pytest.fixture(scope="module")
def review(project):
    data = open_review(project / "data" / "reviews" / SAMPLE_REVIEW.name, "vi")
    return data, load_texts("vi", data.programme.texts)


@pytest.fixture(scope="module")
def explored(project):
    return explore.load(project / "data" / "reviews" / SAMPLE_REVIEW.name)


def _cells(styler, row, columns) -> list[str]:
    return [str(styler.data.at[row, c]) for c in columns]


def test_the_report_explorer_and_workbook_show_the_amount_alike(plain, review, explored):
    data, text = review
    want = [_vi(plain[2014]) + "†", _vi(plain[2016])]
    report = present(data, text, summary(data, text, [CODE]))
    assert _cells(report, CODE, ["2014", "2016"]) == want
    assert report.data.at[CODE, "Đơn vị tính"] == "triệu đồng"
    assert report.notes[-1].startswith("†")                          # what † means, under the table

    rows = explore.indicators(explored, indicator=CODE, unit=AREA, years=YEARS)
    wide = formatted(explore.table(rows))
    assert [wide.at[NAME, y] for y in YEARS] == [w.rstrip("†") for w in want]
    assert set(rows["measure"]) == {"triệu đồng"} and wide.columns.name == "triệu đồng"
    assert explore.trend(rows).axes[0].get_title() == "Giá trị thẻ BHYT cấp miễn phí (triệu đồng)"

    book = openpyxl.load_workbook(io.BytesIO(indicators_xlsx(data)))
    sheet = book["Bảo hiểm y tế"]
    head = [c.value for c in sheet[1]]
    code, unit, category = (head.index(h) for h in ("Mã chỉ tiêu", "Đơn vị hành chính", "Mã nhóm"))
    row = next(r for r in sheet.iter_rows(min_row=2)
               if (r[code].value, r[unit].value, r[category].value) == (CODE, NAME, "total"))
    for year in YEARS:
        cell = row[head.index(str(year))]
        assert cell.value == pytest.approx(plain[year] / 1_000_000) and cell.number_format == "#,##0.0"
    assert row[head.index("Đơn vị tính")].value == "triệu đồng"
    full = book["Bảng đầy đủ"]
    head = [c.value for c in full[1]]
    line = next(dict(zip(head, r)) for r in full.iter_rows(min_row=2, values_only=True)
                if r[0] == CODE and r[head.index("Mã đơn vị")] == AREA and r[head.index("Kỳ")] == 2016
                and r[head.index("Mã nhóm")] == "total")
    assert (line["Giá trị"], line["Đơn vị tính"]) == (pytest.approx(plain[2016] / 1_000_000), "triệu đồng")


def test_a_table_merged_grouped_or_copied_still_presents_right(plain, review, explored):
    data, text = review
    table = summary(data, text, [CODE, "HI_CARD_PRICE"])
    want = [_vi(plain[2014]) + "†", _vi(plain[2016])]
    extra = pd.DataFrame({"source": ["BHXH", "BHXH"]}, index=[CODE, "HI_CARD_PRICE"])
    merged = table.merge(extra, left_index=True, right_index=True)
    grouped = table.groupby(level=0, sort=False).first()
    concatenated = pd.concat([table.loc[[CODE]], table.loc[["HI_CARD_PRICE"]]])
    for frame in (table.copy(), merged, grouped, concatenated, table.loc[[CODE], ["2014", "2016"]]):
        shown = present(data, text, frame)
        assert _cells(shown, CODE, ["2014", "2016"]) == want, type(frame)
        assert any(n.startswith("†") for n in shown.notes)
    # the appendix table of one indicator (rows keyed by unit codes) after a merge: the district's 2014 mark
    per_unit = by_unit(data, text, CODE)
    names = pd.DataFrame({"note": ""}, index=per_unit.index)
    shown = present(data, text, per_unit.merge(names, left_index=True, right_index=True), indicator=CODE)
    assert _cells(shown, AREA, ["2014", "2016"]) == want
    assert shown.data.at["19609", "2014"] == "–"                      # its return left out: missing, never 0
    # the explorer's rows of the amount, merged, concatenated, grouped, copied: still in millions, one decimal
    rows = explore.indicators(explored, indicator=CODE, unit=AREA, years=YEARS)
    for frame in (rows.merge(pd.DataFrame({"unit": [AREA], "province": ["45"]}), on="unit"),
                  pd.concat([rows.iloc[:1], rows.iloc[1:]]), rows.groupby("period", as_index=False).first(),
                  rows.copy()):
        wide = formatted(explore.table(frame))
        assert [wide.at[NAME, y] for y in YEARS] == [w.rstrip("†") for w in want], type(frame)
