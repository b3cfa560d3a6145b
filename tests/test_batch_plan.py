"""Planning a batch: expansion over areas and periods, generated configs, ids, progress and summary."""

from __future__ import annotations

import io
import shutil

import pytest

from evaltools.batch.expand import review_id
from evaltools.batch.plan import parse_years, periods, plan
from evaltools.batch.progress import Progress
from evaltools.batch.summary import Outcome, format_summary
from evaltools.core.errors import EvaltoolsError
from evaltools.project.review import load_review
from .sample import write_province

from .conftest import ROOT


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    return folder, write_province(folder, districts=24, first_year=2020, last_year=2022, seed=3)


def test_years_and_windows():
    assert parse_years("2013-2022") == (2013, 2022) and parse_years("2013–2015") == (2013, 2015)
    assert parse_years("2015") == (2015, 2015)
    assert periods(2013, 2016) == [(2013, 2013), (2014, 2014), (2015, 2015), (2016, 2016)]
    assert periods(2012, 2022, 5) == [(2012, 2016), (2013, 2017), (2014, 2018), (2015, 2019), (2016, 2020),
                                      (2017, 2021), (2018, 2022)]
    for bad in ("2022-2013", "20x5", ""):
        with pytest.raises(EvaltoolsError, match="--years"):
            parse_years(bad)
    with pytest.raises(EvaltoolsError, match="--window: expected 1 to 3 years"):
        periods(2020, 2022, 4)


def test_ids_replace_the_source_period_and_add_the_area():
    annual = load_review(ROOT / "data" / "reviews" / "annual-2022.yaml")
    interim = load_review(ROOT / "data" / "reviews" / "ct20-2012-2017.yaml")
    assert review_id(annual, None, (2015, 2015)) == "annual-2015"
    assert review_id(interim, None, (2013, 2017)) == "ct20-2013-2017"
    assert review_id(interim, "468", None) == "ct20-2012-2017-468"
    assert review_id(annual, "468", (2019, 2019)) == "annual-468-2019"


def test_sample_annual_review_over_years_generates_configs_outside_data(tmp_path):
    before = sorted(p.name for p in (ROOT / "data" / "reviews").iterdir())
    jobs = plan([ROOT / "data" / "reviews" / "annual-2022.yaml"], tmp_path, years="2019-2021")
    assert [(j.review_id, j.first_year, j.last_year, j.area) for j in jobs] == [
        ("annual-2019", 2019, 2019, "468"), ("annual-2020", 2020, 2020, "468"), ("annual-2021", 2021, 2021, "468")]
    assert sorted(p.name for p in (ROOT / "data" / "reviews").iterdir()) == before
    review = load_review(jobs[0].config)
    assert jobs[0].config.parent == (tmp_path / ".batch" / "configs").resolve()
    assert review.title["vi"].endswith("năm 2019") and review.date.isoformat() == "2020-01-10"
    assert review.cutoff.isoformat() == "2019-12-31" and review.data == ROOT / "data"
    assert review.narrative["vi"] == ROOT / "data" / "reviews" / "annual-2022.vi.md"
    stamp = jobs[0].config.stat().st_mtime_ns
    plan([ROOT / "data" / "reviews" / "annual-2022.yaml"], tmp_path, years="2019-2021")
    assert jobs[0].config.stat().st_mtime_ns == stamp          # unchanged text is not rewritten


def test_all_districts_of_the_province_and_their_names(province, tmp_path):
    folder, template = province
    jobs = plan([template], tmp_path, areas="all-districts")
    assert len(jobs) == 24 and [j.area for j in jobs] == [f"9{d:02d}" for d in range(1, 25)]
    review = load_review(jobs[6].config)
    assert review.area == "907" and review.id == "ct20-2020-2022-907"
    units = (folder / "catalog" / "org_units.yaml").read_text(encoding="utf-8")
    name = next(line.split("name: ")[1].split(",")[0] for line in units.splitlines() if 'code: "907"' in line)
    assert review.place == name.removeprefix("Huyện ")
    assert review.superior_office == {"vi": f"UBND huyện {review.place}",
                                      "en": f"{review.place} District People's Committee"}


def test_bad_areas_and_duplicate_ids_are_refused(province, tmp_path):
    folder, template = province
    with pytest.raises(EvaltoolsError, match=r"--areas: unknown unit code\(s\) 999"):
        plan([template], tmp_path, areas="901,999")
    copy = tmp_path / "again.yaml"
    shutil.copy(template, copy)
    with pytest.raises(EvaltoolsError, match="two reviews have the id 'ct20-2020-2022'"):
        plan([template, copy], tmp_path)
    with pytest.raises(EvaltoolsError, match="--window needs --years"):
        plan([template], tmp_path, window=2)


def test_progress_is_plain_lines_in_a_log_and_one_redrawn_line_on_a_terminal():
    log = io.StringIO()
    progress = Progress(3, log, tty=False)
    progress.update(Outcome("a", "skipped"))
    progress.update(Outcome("b", "done", 4.0))
    lines = log.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in log.getvalue() and "\x1b" not in log.getvalue()
    assert "1/3" in lines[0] and "skipped a" in lines[0] and "estimating" in lines[0]
    assert "2/3" in lines[1] and "done 1 · skipped 1 · failed 0" in lines[1] and "left" in lines[1]
    screen = io.StringIO()
    live = Progress(2, screen, tty=True)
    live.start()
    live.update(Outcome("a", "done", 1.0))
    live.close()
    assert screen.getvalue().count("\r\x1b[K") == 1 and screen.getvalue().endswith("\n")


def test_summary_lists_failures_last_with_their_message():
    text = format_summary([Outcome("x", "failed", 2.5, "review.ipynb, cell 5, line 1 `r`: KeyError: 'A'"),
                           Outcome("a", "done", 3.0), Outcome("b", "skipped", message="unchanged")], 75)
    lines = text.splitlines()
    assert lines[1].split()[:2] == ["a", "done"] and lines[2].split()[:2] == ["b", "skipped"]
    assert lines[3].startswith("x") and "cell 5, line 1" in lines[3] and "KeyError: 'A'" in lines[3]
    assert lines[-1] == "3 reviews: 1 done, 1 skipped, 1 failed in 1 min 15 s"


def test_summary_gives_the_time_per_review_overall_and_per_worker():
    text = format_summary([Outcome("a", "done", 30.0, worker="w1"), Outcome("b", "done", 50.0, worker="w2"),
                           Outcome("c", "done", 40.0, worker="w1"), Outcome("d", "skipped"),
                           Outcome("e", "failed", 5.0, "boom", worker="w2")], 95)
    lines = text.splitlines()
    # (30 + 50 + 40) / 3 = 40 s of one worker per review: 3600 / 40 = 90 an hour; a failure is not a review done
    assert lines[-2] == ("time per review: mean 40.0 s over 3 rendered, 90 reviews per worker-hour; "
                         "w1 2 (mean 35.0 s), w2 1 (mean 50.0 s)")
    local = format_summary([Outcome("a", "done", 12.0), Outcome("b", "done", 36.0)], 40).splitlines()
    assert local[-2] == "time per review: mean 24.0 s over 2 rendered, 150 reviews per worker-hour"
    assert not any(line.startswith("time per review") for line in
                   format_summary([Outcome("a", "skipped"), Outcome("b", "failed", 3.0, "x")], 4).splitlines())
