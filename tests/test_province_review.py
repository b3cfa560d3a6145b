"""A province's own review: the same store, the same notebook, its districts compared instead of communes.

The synthetic 24-district province (data/province.py) is generated here, its province review
rendered once to HTML with the real ``evaltools run`` (Papermill, nbconvert); the tests read
the ranking and appendix tables from the HTML and check them against plain pandas over the
values files.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest
import yaml

from .sample import write_province, write_province_review


class Tables(HTMLParser):
    """Every <table>: its class, caption text and rows of cell texts (td and th); its footer's rows (what
    * and † mean) are its ``notes``, not rows of figures."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._where, self._part = [], None, None, "rows"

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"class": dict(attrs).get("class", ""), "caption": "", "rows": [], "notes": []})
        elif tag == "tfoot":
            self._part = "notes"
        elif self.tables and tag == "tr":
            self.tables[-1][self._part].append([])
        elif self.tables and tag in ("td", "th"):
            self._cell = []
        elif self.tables and tag == "caption":
            self._where = "caption"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][self._part][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tfoot":
            self._part = "rows"
        elif tag == "caption":
            self._where = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._where == "caption":
            self.tables[-1]["caption"] += data


@pytest.fixture(scope="module")
def province(tmp_path_factory, python, root):
    """The province (24 districts, 2021–2022) and its review, rendered once to HTML in Vietnamese."""
    folder = tmp_path_factory.mktemp("province")
    write_province(folder, districts=24, first_year=2021, last_year=2022, seed=11)
    tables, page = rendered(write_province_review(folder, 2021, 2022), tmp_path_factory.mktemp("outputs"),
                            python, root)
    units = pd.DataFrame(yaml.safe_load((folder / "catalog" / "org_units.yaml").read_text(encoding="utf-8"))["units"])
    values = pd.concat(pd.read_csv(folder / "values" / f"province-{y}.csv", dtype={"unit": str}) for y in (2021, 2022))
    return tables, units, values, page


def rendered(config, out, python, root) -> tuple[list[dict], str]:
    """Render a review to HTML with the real ``evaltools run``: its tables (:class:`Tables`) and its page."""
    done = subprocess.run([python, "-m", "evaltools", "run", str(config), "--to", "html", "--out", str(out), "-q"],
                          capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr[-3000:]
    parser, page = Tables(), (out / config.stem / "report.html").read_text(encoding="utf-8")
    parser.feed(page)
    return parser.tables, page


def injury_rates(units: pd.DataFrame, values: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Children injured per 1,000 child-years, 2021–2022, per district and for the province: plain pandas."""
    district = units.set_index("code")["parent"]
    sums = values[values["element"].isin(["INJURIES", "CHILDREN"])].assign(district=lambda v: v["unit"].map(district))
    # per child-year: the stock of 2022, cut off on 15/12 (the config's cutoff), counts for 349 of its 365 days
    weight = sums["period"].map({2021: 1.0, 2022: 349 / 365}).where(sums["element"] == "CHILDREN", 1.0)
    sums = sums.assign(value=sums["value"] * weight)
    per = sums.pivot_table(index="district", columns="element", values="value", aggfunc="sum")
    per["rate"] = 1000 * per["INJURIES"] / per["CHILDREN"]
    per["name"] = units.set_index("code").loc[per.index, "name"]
    per["rank"] = per["rate"].rank(method="min").astype(int)           # lower is better: rank 1 the lowest
    per = per.reset_index().sort_values(["rank", "district"])
    total = per[["INJURIES", "CHILDREN"]].sum()
    return per, 1000 * total["INJURIES"] / total["CHILDREN"]


def vn(value: float, places: int) -> str:
    return f"{value:,.{places}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def test_the_ranking_lists_the_districts_in_plain_pandas_order_with_the_province_figure(province):
    tables, units, values, _ = province
    ranking = [t for t in tables if "ranking" in t["class"] and "Trẻ em bị tai nạn thương tích" in t["caption"]]
    assert len(ranking) == 1, [t["caption"] for t in tables if "ranking" in t["class"]]
    assert ranking[0]["caption"].startswith("Xếp hạng các huyện theo chỉ tiêu")
    header, *rows = ranking[0]["rows"]
    assert header == ["Thứ hạng", "Huyện", "‰"]
    want, province_rate = injury_rates(units, values)
    districts = units.loc[units["level"] == "district", "name"]
    assert len(rows) == 25 and len(districts) == 24
    assert [r[1] for r in rows[:24]] == want["name"].tolist()                    # districts, not communes
    assert [r[0] for r in rows[:24]] == [str(r) for r in want["rank"]]
    assert [r[2].rstrip("*") for r in rows[:24]] == [vn(v, 2) for v in want["rate"]]
    assert rows[24][:2] == ["–", "Toàn tỉnh"] and rows[24][2].rstrip("*") == vn(province_rate, 2)


def test_the_appendix_and_the_sentences_speak_of_districts_and_the_province(province):
    tables, units, values, page = province
    appendix = [t for t in tables if "appendix" in t["class"]]
    assert appendix and all(t["rows"][0][0] == "Huyện" for t in appendix)
    names = units.loc[units["level"] == "district"].sort_values("code")["name"].tolist()
    assert [r[0] for r in appendix[0]["rows"][1:]] == [*names, "Toàn tỉnh"]
    assert "SỐ LIỆU CHI TIẾT THEO HUYỆN VÀ THEO NĂM" in page and "THEO XÃ" not in page
    assert "Toàn tỉnh có" in page and "ở một số huyện còn" in page and "Toàn huyện" not in page


def plans_sentence_agrees(tables: list[dict], page: str, values: pd.DataFrame, whole: str) -> None:
    """The plans sentence names the area as a place (``trên địa bàn {whole}``), and its count of plans and of
    kinds agree with plain pandas (a flow: every unit's PLANS of every year added up) and with the table below it."""
    text = re.sub(r"<[^>]+>", "", page)                           # figures are links to their facts
    said = re.search(rf"trên địa bàn {whole} đã ban hành ([\d.]+) kế hoạch, văn bản chỉ đạo thuộc (\d+) loại", text)
    assert said, f"no plans sentence naming '{whole}'"
    plans = values.loc[values["element"] == "PLANS", "value"].sum()
    assert said[1] == vn(plans, 0)
    table = [t for t in tables if t["rows"] and t["rows"][0] == ["Loại văn bản", "Số văn bản"]]
    assert len(table) == 1
    rows = table[0]["rows"][1:]
    assert len(rows) == int(said[2]) and sum(int(r[1].replace(".", "")) for r in rows) == plans


def test_every_sentence_and_caption_names_the_province_not_a_district(province):
    tables, _, values, page = province
    captions = [t["caption"] for t in tables]
    assert "Các chỉ tiêu chủ yếu của toàn tỉnh" in captions
    assert "toàn huyện" not in page.lower() and "huyện đã ban hành" not in page
    plans_sentence_agrees(tables, page, values, "tỉnh")
    # 2022 is cut off on 15/12: 2021 is the one full year of injuries, so nothing is set beside it
    text = re.sub(r"<[^>]+>", "", page)
    injured = values.loc[values["element"] == "INJURIES", "value"].sum()
    assert f"có {vn(injured, 0)} trẻ em bị tai nạn thương tích (bình quân" in text
    assert not re.search(r"năm (\d{4}) có [^.;]*, năm \1 có", text)


def test_a_district_with_a_missing_return_is_listed_unranked_and_marked(tmp_path):
    from evaltools import report
    from evaltools.report import tables

    write_province(tmp_path, districts=3, first_year=2021, last_year=2022, seed=5)
    config = write_province_review(tmp_path, 2022, 2022)
    units = yaml.safe_load((tmp_path / "catalog" / "org_units.yaml").read_text(encoding="utf-8"))["units"]
    commune = next(u["code"] for u in units if u["parent"] == "902")
    store = tmp_path / "values" / "province-2022.csv"
    values = pd.read_csv(store, dtype=str, keep_default_na=False)
    values = values[~((values["element"] == "INJURIES") & (values["unit"] == commune))]
    store.write_text(values.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    data = report.load(str(config), lang="en")
    table = tables.ranking(data, report.assess(data), report.texts(data), "INJURY_RATE")
    assert list(table.index) == [*sorted({"901", "903"}, key=lambda u: table.at[u, "Rank"]), "902", "99"]
    assert table.loc[["901", "903"], "Rank"].notna().all() and table.loc[["902", "99"], "Rank"].isna().all()
    shown = tables.present(data, report.texts(data), table, indicator="INJURY_RATE")
    assert tables.marks(data, report.texts(data), table, "INJURY_RATE").loc["902", "‰"] == "†"
    assert table.loc["99", "District"] == "Province" and shown.notes[-1].startswith("† Incomplete")
