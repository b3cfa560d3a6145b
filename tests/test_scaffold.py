"""``evaltools new-review``: the next review's config and narrative skeleton, from the last one."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from evaltools.model import narrative
from evaltools.project.programme import load_programme
from evaltools.project.review import load_review
from evaltools.scaffold import new_review
from evaltools.scaffold.periods import move_text, move_title, next_id
from evaltools.scaffold.skeleton import sections

from .conftest import ROOT, make_project

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def data(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("values"))
    make_project(tmp_path)
    (tmp_path / "data" / "values").mkdir()
    return tmp_path / "data"


def test_period_words_move_but_dates_stay():
    title = "Sơ kết 5 năm thực hiện Chỉ thị số 20-CT/TW ngày 05/11/2012 của Bộ Chính trị"
    assert move_title(title, (2012, 2017), (2017, 2022)) == \
        "Sơ kết 5 năm (2017–2022) thực hiện Chỉ thị số 20-CT/TW ngày 05/11/2012 của Bộ Chính trị"
    assert move_title("Five-year interim review of Directive 20-CT/TW of 05/11/2012", (2012, 2017), (2012, 2022)) \
        == "Ten-year interim review of Directive 20-CT/TW of 05/11/2012 (2012–2022)"
    assert move_text("Tổng kết 10 năm (2012–2022), kế hoạch 2015-2020", (2012, 2022), (2013, 2023)) == \
        "Tổng kết 10 năm (2013–2023), kế hoạch 2015-2020"
    assert move_text("Báo cáo năm 2022, số liệu đến 15/12/2022 và 2022-12-15", (2022, 2022), (2023, 2023)) == \
        "Báo cáo năm 2023, số liệu đến 15/12/2022 và 2022-12-15"
    # a title that already names its period is not given it twice
    assert move_title("Sơ kết 5 năm (2017–2022)", (2017, 2022), (2022, 2027)) == "Sơ kết 5 năm (2022–2027)"


def test_next_id():
    assert next_id("ct20-2012-2017", (2012, 2017), (2018, 2023)) == "ct20-2018-2023"
    assert next_id("annual-2022", (2022, 2022), (2023, 2023)) == "annual-2023"
    assert next_id("cam-lo", (2022, 2022), (2023, 2023)) == "cam-lo-2023"


def test_new_config_moves_period_keeps_the_rest_and_comments(data):
    made = new_review("ct20-2012-2017", 2017, 2022, data=data, today=TODAY)
    assert made.config == data / "reviews" / "ct20-2017-2022.yaml"
    old, new = load_review(data / "reviews" / "ct20-2012-2017.yaml"), load_review(made.config)
    assert (new.id, new.first_year, new.last_year) == ("ct20-2017-2022", 2017, 2022)
    assert new.title["vi"] == "Sơ kết 5 năm (2017–2022) thực hiện Chỉ thị số 20-CT/TW ngày 05/11/2012 của Bộ Chính trị"
    assert new.title["en"] == "Five-year interim review of Politburo Directive 20-CT/TW of 5 November 2012 (2017–2022)"
    # the data's cut-off (2022 runs to its end), signed as long after it as the old review was (15 days)
    assert (new.date, new.cutoff) == (dt.date(2023, 1, 15), dt.date(2022, 12, 31))
    assert old.number == "45/BC-LĐTBXH" and new.number is None        # the register gives the new one its own
    assert new.predecessor == old.path
    assert new.narrative == {lang: data / "reviews" / f"ct20-2017-2022.{lang}.md" for lang in ("vi", "en")}
    assert new.indicators == old.indicators
    assert new.targets.drop(columns="line").equals(old.targets.drop(columns="line"))
    assert new.assessment == old.assessment and new.legal_basis == old.legal_basis
    assert (new.area, new.kind, new.issuing_office, new.recipients) == \
        (old.area, old.kind, old.issuing_office, old.recipients)
    text = made.config.read_text(encoding="utf-8")
    assert "id: ct20-2017-2022                 # names the output folder outputs/<id>/" in text
    assert "cutoff: 2022-12-31                 # figures of the last year run to this day" in text
    assert "# Indicators shown, in report order (codes from catalog/indicators.yaml)." in text
    assert "from ct20-2012-2017.yaml (2012–2017)" in text and "29/11/2026" in text
    assert "NOTE" not in text and made.flagged_targets == 0        # the 2020 target lies inside 2017–2022


def test_targets_due_before_the_new_period_are_kept_and_flagged(data):
    made = new_review("ct20-2012-2022", 2022, 2027, data=data, today=TODAY)
    lines = made.config.read_text(encoding="utf-8").splitlines()
    notes = [i for i, line in enumerate(lines) if line.strip().startswith("# NOTE (evaltools new-review)")]
    assert made.flagged_targets == 2 and len(notes) == 2
    assert [lines[i + 1].strip() for i in notes] == ["- indicator: CF_SHARE", "- indicator: INJURY_RATE"]
    assert "due in 2020, before this review's period 2022–2027" in lines[notes[0]]
    new = load_review(made.config)
    assert list(new.targets["indicator"]) == ["CF_SHARE", "INJURY_RATE"] and list(new.targets["year"]) == [2020, 2020]
    assert new.title["vi"].startswith("Tổng kết 5 năm (2022–2027) thực hiện")


def test_skeleton_has_every_keyed_heading_and_last_periods_text_in_comments(data):
    made = new_review("ct20-2012-2017", 2018, 2023, data=data, today=TODAY)
    old = (data / "reviews" / "ct20-2012-2017.vi.md").read_text(encoding="utf-8")
    skeleton = made.narratives["vi"].read_text(encoding="utf-8")
    old_parts = {key: text for _, key, text in sections(old)}
    new_parts = [(heading, key) for heading, key, _ in sections(skeleton)]
    assert [key for _, key in new_parts] == list(old_parts)              # same keys, same order
    assert "## Những mặt làm được {#achievements+}" in [h for h, _ in new_parts]
    for text in old_parts.values():
        first = text.splitlines()[0]
        assert skeleton.count(first) == 1 and skeleton.index("<!--") < skeleton.index(first)
    # Rendered as it stands: every part empty, so the report says "no text yet" (drafts stay).
    keys = load_programme(ROOT / "programmes" / "ct20").narrative_keys
    assert set(narrative.parse(skeleton, keys).values()) == {""}
    assert "Phần lời kỳ trước (2012–2017):" in skeleton
    english = made.narratives["en"].read_text(encoding="utf-8")
    assert "Last period's text (2012–2017):" in english and "## General situation {#general}" in english


def test_an_existing_review_is_never_overwritten(data, python):
    first = subprocess.run([python, "-m", "evaltools", "new-review", "--from", "ct20-2012-2017", "--first", "2017",
                            "--last", "2022", "--data", str(data)], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "ct20-2017-2022.yaml: review ct20-2017-2022 (2017–2022)" in first.stdout
    before = {p.name: p.read_bytes() for p in (data / "reviews").iterdir()}
    again = subprocess.run([python, "-m", "evaltools", "new-review", "--from", "ct20-2012-2017", "--first", "2017",
                            "--last", "2022", "--data", str(data)], capture_output=True, text=True)
    assert again.returncode == 1
    assert "review 'ct20-2017-2022' already exists; nothing was written" in again.stderr
    assert {p.name: p.read_bytes() for p in (data / "reviews").iterdir()} == before
    # a stray narrative alone also blocks the id
    (data / "reviews" / "mine.vi.md").write_text("x", encoding="utf-8")
    with pytest.raises(Exception, match="mine.vi.md: review 'mine' already exists"):
        new_review("ct20-2012-2017", 2017, 2022, review_id="mine", data=data)


def test_bad_requests_are_refused_with_one_line(data, python):
    def cli(*args):
        return subprocess.run([python, "-m", "evaltools", "new-review", *args, "--data", str(data)],
                              capture_output=True, text=True)

    missing = cli("--from", "ct20-2099", "--first", "2017", "--last", "2022")
    assert missing.returncode == 1 and "no review 'ct20-2099'" in missing.stderr and "ct20-2012-2017" in missing.stderr
    reversed_ = cli("--from", "ct20-2012-2017", "--first", "2022", "--last", "2017")
    assert reversed_.returncode == 1 and "--first 2022 is after --last 2017" in reversed_.stderr
    same = cli("--from", "annual-2022", "--first", "2022", "--last", "2022")
    assert same.returncode == 1 and "give one with --id" in same.stderr
    assert sorted(p.name for p in (data / "reviews").iterdir()) == sorted(
        p.name for p in (ROOT / "data" / "reviews").iterdir())
