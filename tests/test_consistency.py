"""Figures that cannot contradict each other: every figure a rendered report writes is traced to its fact,
explains itself, and the consistency audit (`evaltools check`) finds each contradiction planted in a real
report's facts, and none in the sample reviews.

The sample reviews are rendered once by the real `evaltools batch` (the session's ``sample_outputs``);
the planted contradictions edit a copy of a real rendered report's ``facts.json`` and run the real command.
"""

from __future__ import annotations

import copy
import html
import io
import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from .conftest import ROOT, SAMPLE_REVIEWS, make_project
from .pdfread import flat as pdf_text

CHECK = [sys.executable, "-m", "evaltools", "check"]


def _check(review: str, out) -> subprocess.CompletedProcess:
    return subprocess.run([*CHECK, review, "--out", str(out)], capture_output=True, text=True, cwd=ROOT)


def _number(text: str) -> float:
    """A Vietnamese figure as written (1.056; -0,08) as a float; "–" as NaN."""
    text = text.strip().rstrip("*†")
    if text in ("–", ""):
        return float("nan")
    return float(text.replace(".", "").replace(",", "."))


# ---- the sample reviews: every figure traced, every target present, no contradiction --------------------

@pytest.mark.parametrize("review", SAMPLE_REVIEWS)
def test_sample_review_has_no_contradiction_and_every_figure_traced(sample_outputs, review):
    done = _check(review, sample_outputs)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    written, traced = map(int, re.search(r"(\d+) figures written, (\d+) traced", summary).groups())
    assert written > 50 and traced == written, summary
    assert summary.endswith("0 contradictions")


@pytest.mark.parametrize("review", SAMPLE_REVIEWS)
def test_every_target_of_every_review_appears_with_its_state(sample_outputs, review):
    config = yaml.safe_load((ROOT / "data" / "reviews" / f"{review}.yaml").read_text(encoding="utf-8"))
    ledger = json.loads((sample_outputs / review / "facts.json").read_text(encoding="utf-8"))
    written = {(c["indicator"], c["year"]): c["state"] for c in ledger["claims"] if c["kind"] == "target"}
    page = html.unescape(re.sub(r"<[^>]+>", "", (sample_outputs / review / "report.html").read_text(encoding="utf-8")))
    assert config["targets"], review
    for target in config["targets"]:
        key = (target["indicator"], target.get("year"))
        assert written.get(key) in {"achieved", "not_achieved", "not_yet_due", "not_enough_data"}, key
        assert target["plan"]["vi"] in page, target["plan"]["vi"]       # its sentence is in the report


@pytest.mark.parametrize("review", ["annual-2022", "injury-hi-2022"])
def test_each_figure_explains_itself_in_html_and_the_appendix_stays_in_pdf_and_word(sample_outputs, review):
    import docx

    folder = sample_outputs / review
    page = (folder / "report.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="fact" href="#fact-(\d+)"[^>]*title="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert len(links) >= 5
    for number, title, _ in links:
        assert f'id="fact-{number}"' in page                    # the line it links to
        if "số dòng" in title or "danh mục" in title:           # rows counted, a constant of the catalog
            continue
        assert "năm 2022" in title or "năm 2021" in title        # its years, without JavaScript
        assert re.search(r"đã nhận \d+/\d+ báo cáo", title)     # the returns received
    rate = next(t for _, t, shown in links if shown.endswith("‰") and "tai nạn" in html.unescape(t))
    # 11 injuries over 13.357 children: the numerator and the denominator with their values
    assert "(11)" in html.unescape(rate) and "(13.357)" in html.unescape(rate) and "× 1.000" in html.unescape(rate)
    words = "định nghĩa từng số liệu"
    assert words in pdf_text(folder / "report.pdf").lower()
    document = docx.Document(str(folder / "report.docx"))
    assert words in " ".join(p.text for p in document.paragraphs).lower()
    for text in (page, pdf_text(folder / "report.pdf")):
        assert "facts.json" not in text and "sha256" not in text.lower().replace("sha-256", "")


def test_changes_are_the_differences_of_the_values_shown(sample_outputs):
    """annual-2022's year-on-year table: 916 | 916 | 0 and 0,91 | 0,82 | -0,09, never -1 and -0,08."""
    page = (sample_outputs / "annual-2022" / "report.html").read_text(encoding="utf-8")
    table = re.search(r'<table[^>]*class="figures comparison[^"]*"[^>]*>(.*?)</table>', page, re.S).group(1)
    rows = [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("</thead>")[-1], re.S)]
    checked = 0
    for row in rows:
        before, after, change = (_number(c) for c in row[-3:])
        if change == change:
            places = max(len(c.rstrip("*†").partition(",")[2]) for c in row[-3:])
            assert round(after - before, places) == round(change, places), row
            checked += 1
    assert checked >= 15


def test_a_count_in_a_sentence_equals_the_rows_of_its_table(sample_outputs):
    """ct20-2012-2022: "… {total} kế hoạch … thuộc {kinds} loại" beside one row per kind, whose counts add to
    the total; expected from the store read with plain pandas (PLANS of the district 2012–2022; a plan renewed
    for a new period, the options sharing a ``group`` of the catalog, is one kind)."""
    values = pd.concat([pd.read_csv(f, dtype={"unit": str}) for f in sorted((ROOT / "data" / "values").glob("*.csv"))])
    plans = values[(values["element"] == "PLANS") & values["period"].between(2012, 2022) & (values["value"] > 0)]
    options = yaml.safe_load((ROOT / "data" / "catalog" / "data_elements.yaml").read_text(encoding="utf-8"))
    kinds_of = {o["code"]: o.get("group", o["code"]) for o in options["disaggregations"]["plan_kind"]}
    expected_kinds = plans["category"].map(kinds_of).nunique()
    page = (sample_outputs / "ct20-2012-2022" / "report.html").read_text(encoding="utf-8")
    flat = html.unescape(re.sub(r"<[^>]+>", "", page))
    found = re.search(r"ban hành (\d+) kế hoạch, văn bản chỉ đạo thuộc (\d+) loại", flat)
    assert found, "the plans sentence"
    total, kinds = map(int, found.groups())
    after = page[page.index("thuộc <a"):]
    table = pd.read_html(io.StringIO(after[after.index("<table"):after.index("</table>") + 8]), thousands=".")[0]
    assert (total, kinds, len(table)) == (int(plans["value"].sum()), expected_kinds, expected_kinds)
    assert int(table.iloc[:, -1].sum()) == total                # the rows add to the total


# ---- ten planted contradictions: each found, one line each ---------------------------------------------

@pytest.fixture(scope="module")
def rendered(sample_outputs):
    """The outputs folder of the shared render of the sample (annual-2022 among them): its facts.json is what is
    planted in. Read only: a plant edits a copy."""
    return sample_outputs


def _entry(ledger, key, indicator=None, category=None):
    return next(e for e in ledger["entries"] if e["key"] == key and e["fact"]
                and (indicator is None or e["fact"]["indicator"] == indicator)
                and (category is None or e["fact"]["category"] == category))


def _difference(ledger, indicator):
    return next(c for c in ledger["claims"] if c["kind"] == "difference" and c["indicator"] == indicator)


def plant_count(ledger):            # "thuộc 4 loại" beside a table of 3 rows
    _entry(ledger, "sentences.plans", "PLANS kinds")["fact"]["value"] += 1


def plant_parts_exceed(ledger):     # allowance groups add to 340, the total says 300
    _entry(ledger, "sentences.allowance", "ALLOWANCE", "total")["fact"]["value"] = 300.0


def plant_parts_in_sentence(ledger):  # a part written in the total's own sentence that does not add up
    total = _entry(ledger, "sentences.allowance", "ALLOWANCE", "total")
    part = copy.deepcopy(_entry(ledger, "sentences.allowance_group", "ALLOWANCE", "disabled"))
    part["group"], part["fact"]["value"] = total["group"], 10.0
    ledger["entries"].append(part)


def plant_part_of_another_year(ledger):  # a donor's figure of 2020 beside the 2022 total
    _entry(ledger, "sentences.allowance_group", "ALLOWANCE", "orphan_both")["fact"]["year"] = 2020


def plant_direction(ledger):        # "tăng" while the comparison shows -20
    ledger["claims"].append({"kind": "direction", "indicator": "HI_CARDS", "sign": 1, "reading": "improving",
                             "names_both": False})


def plant_difference(ledger):       # 916 | 916 | -1
    _difference(ledger, "CF_SCORE")["shown"][2] = "-1"


def plant_partial_in_table(ledger):  # a change between a partial year and a full one
    _difference(ledger, "INJURIES")["partial"] = [False, True]


def plant_incomplete_in_table(ledger):  # a change on a year one commune did not report
    _difference(ledger, "HI_CARDS")["complete"] = [True, False]


def plant_partial_in_sentence(ledger):  # "945 thẻ … (năm 2021: 1.056 thẻ)" with this year cut off early
    _entry(ledger, "sentences.injuries_year", "INJURIES")["fact"].update(partial=True, until="2022-12-25")


def plant_unmarked_coverage(ledger):  # a trend's last year on 7/8 returns, written without its mark
    _entry(ledger, "sentences.centre", "CENTRE_CHILDREN")["fact"].update(reported=7, expected=8)


def plant_vanished_target(ledger):  # a target left out of the report
    ledger["claims"] = [c for c in ledger["claims"] if not (c["kind"] == "target" and c["indicator"] == "INJURY_RATE")]


PLANTED = {plant_count: "count: ", plant_parts_exceed: "more than the total", plant_parts_in_sentence:
           "do not add to its total", plant_part_of_another_year: "parts of 2020 beside a total of 2022",
           plant_direction: "direction: HI_CARDS", plant_difference: "difference: CF_SCORE",
           plant_partial_in_table: "like-with-like: INJURIES: 2021 and 2022 compared",
           plant_incomplete_in_table: "like-with-like: HI_CARDS: 2021 and 2022 compared",
           plant_partial_in_sentence: "like-with-like: INJURIES: one sentence sets 2021, 2022*",
           plant_unmarked_coverage: "coverage: CENTRE_CHILDREN", plant_vanished_target: "target: INJURY_RATE <= 1.5"}


def test_the_real_report_has_none(rendered):
    done = _check("annual-2022", rendered)
    assert done.returncode == 0 and done.stdout.strip().endswith("0 contradictions"), done.stdout


@pytest.mark.parametrize("plant", list(PLANTED), ids=[p.__name__ for p in PLANTED])
def test_each_planted_contradiction_is_found(rendered, tmp_path, plant):
    ledger = json.loads((rendered / "annual-2022" / "facts.json").read_text(encoding="utf-8"))
    plant(ledger)
    (tmp_path / "annual-2022").mkdir()
    (tmp_path / "annual-2022" / "facts.json").write_text(json.dumps(ledger, ensure_ascii=False), encoding="utf-8")
    done = _check("annual-2022", tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    found = [line for line in done.stdout.splitlines()[:-1]]
    assert any(PLANTED[plant] in line for line in found), found
    assert done.stdout.strip().endswith(f"{len(found)} contradictions")


def test_check_without_a_rendered_report_says_so(tmp_path):
    done = _check("annual-2022", tmp_path)
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "facts.json: no facts of a rendered report; render it first" in done.stderr


def test_a_final_run_refuses_a_report_that_contradicts_itself(tmp_path):
    """A programme notebook whose plans sentence counts one kind too many: `run --final` refuses it, naming it."""
    import nbformat

    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    make_project(root, copy=True)
    path = root / "programmes" / "ct20" / "review.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "PLANS kinds" in c.source)
    cell.source = cell.source.replace('report.facts.count(plans, "PLANS kinds", lang,',
                                      'report.facts.count(pd.concat([plans, plans.head(1)]), "PLANS kinds", lang,')
    nbformat.write(nb, path)
    done = subprocess.run([sys.executable, "-m", "evaltools", "--project", str(root), "run", "annual-2022", "--to",
                           "html", "--final", "--quiet"], capture_output=True, text=True, cwd=root)
    assert done.returncode == 1
    assert "not a final report: contradiction: count:" in done.stderr
    assert not (root / "outputs" / "annual-2022" / "report.html").exists()


def test_a_review_without_narrative_omits_the_parts(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    make_project(root)
    config = root / "data" / "reviews" / "injury-hi-2022.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"\nnarrative:\n(  .*\n)+", "\n", text).replace("status: final", "status: draft"),
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "evaltools", "--project", str(root), "run", "injury-hi-2022",
                           "--to", "html", "--quiet"], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    page = (root / "outputs" / "injury-hi-2022" / "report.html").read_text(encoding="utf-8")
    assert "Chưa có nội dung" not in page and "viết trong tệp" not in page
    assert "bị tai nạn thương tích" in page                     # the figures are all there


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_method_appendix_names_every_figure_in_words_never_by_code(sample_outputs, sample_outputs_en, lang):
    """The method appendix's names and definitions carry no catalog code (``@communes``, ``PLANS``,
    ``zhishan_lower``) and no factor of 1, and a span's coverage counts returns (a commune's year is one)."""
    folder = sample_outputs if lang == "vi" else sample_outputs_en
    catalog = ROOT / "data" / "catalog"
    named = [e["code"] for f, key in (("indicators", "indicators"), ("data_elements", "elements"),
                                      ("validation_rules", "constants"))
             for e in yaml.safe_load((catalog / f"{f}.yaml").read_text(encoding="utf-8"))[key]]
    codes = re.compile(rf"@communes|\b(?:{'|'.join(map(re.escape, named))})\b|× 1\b(?![.,]?\d)")
    for review in SAMPLE_REVIEWS:
        page = (folder / review / "report.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr id="fact-\d+">(.*?)</tr>', page, re.S)
        assert len(rows) > 10, review
        for row in rows:
            cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            words = f"{cells[1]} | {cells[3]}"
            assert not codes.search(words), (review, words)
    # Cam Lộ's 9 communes over 2012–2017: a flow added up over the span rests on 9 × 6 returns
    units = pd.DataFrame(yaml.safe_load((ROOT / "data" / "catalog" / "org_units.yaml").read_text(encoding="utf-8"))["units"])
    district = units.loc[units["name"] == "Huyện Cam Lộ", "code"].iloc[0]
    communes = units.loc[(units["level"] == "commune") & (units["parent"] == district)
                         & (pd.to_datetime(units["valid_from"]).dt.year <= 2017), "code"].unique()
    page = html.unescape((folder / "ct20-2012-2017" / "report.html").read_text(encoding="utf-8"))
    received = {"vi": f"đã nhận {len(communes) * 6}/{len(communes) * 6} báo cáo",
                "en": f"{len(communes) * 6} of {len(communes) * 6} returns received"}[lang]
    assert received in page


def test_a_ranking_caption_names_the_year_its_figures_are_of_and_explains_only_marks_it_has(sample_outputs):
    """An end-of-period ranking (the average score) is of the last year with scores, not the span; a rate over
    the span keeps the span and its * note; the score's cells carry no * so no note explains one."""
    values = pd.concat(pd.read_csv(f, dtype={"unit": str}) for f in sorted((ROOT / "data" / "values").glob("cam-lo-*.csv")))
    scored = values[(values["element"] == "CF_SCORE") & values["period"].between(2012, 2017) & values["value"].notna()]
    page = (sample_outputs / "ct20-2012-2017" / "report.html").read_text(encoding="utf-8")
    tables = {html.unescape(re.sub(r"<[^>]+>", "", t[0])).strip(): t[1]
              for t in re.findall(r'<table class="[^"]*ranking[^"]*".*?<caption>(.*?)</caption>(.*?)</table>', page, re.S)}
    score = "Xếp hạng các xã, thị trấn theo chỉ tiêu Điểm bình quân xã phù hợp với trẻ em (điểm), " \
            f"năm {scored['period'].max()}"
    rate = "Xếp hạng các xã, thị trấn theo chỉ tiêu Trẻ em bị tai nạn thương tích trên 1.000 trẻ em (‰), 2012–2017"
    assert set(tables) == {score, rate}
    assert "*" not in tables[score] and "Năm 2017: số liệu tính đến ngày 31/05/2017" not in tables[score]
    assert "*" in tables[rate] and "Năm 2017: số liệu tính đến ngày 31/05/2017" in tables[rate]


def test_the_appendix_names_the_district_only_indicators_apart_from_the_tied_ones(sample_outputs):
    """annual-2022: the indicators whose elements only the district reports get no table and are named as
    the district's figures only, never as "the same in every commune"; every other one has its table."""
    catalog = ROOT / "data" / "catalog"
    elements = pd.DataFrame(yaml.safe_load((catalog / "data_elements.yaml").read_text(encoding="utf-8"))["elements"])
    indicators = pd.DataFrame(yaml.safe_load((catalog / "indicators.yaml").read_text(encoding="utf-8"))["indicators"])
    config = yaml.safe_load((ROOT / "data" / "reviews" / "annual-2022.yaml").read_text(encoding="utf-8"))
    district = set(elements.loc[elements["level"] == "district", "code"])
    chosen = indicators[indicators["code"].isin(config["indicators"])]
    only = chosen.loc[chosen["numerator"].isin(district), "name"].map(lambda n: n["vi"]).tolist()
    assert len(only) == 2
    text = html.unescape(re.sub(r"<[^>]+>", "", (sample_outputs / "annual-2022" / "report.html").read_text(encoding="utf-8")))
    line = re.search(r"Các chỉ tiêu chỉ có số liệu của toàn huyện, không có số liệu riêng của từng xã, thị trấn"
                     r" \(xem bảng các chỉ tiêu chủ yếu\): (.*?)\.\n", text)
    assert line and all(name in line[1] for name in only)
    tied = re.search(r"Các chỉ tiêu có cùng một giá trị ở mọi xã, thị trấn và mọi năm \(không lập bảng\): (.*?)\.\n", text)
    assert not tied or not any(name in tied[1] for name in only)
