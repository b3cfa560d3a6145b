"""The store's columnar copy: the same rows as the CSV files, only a review's, never stale, safe under a kill."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pandas as pd
import pytest

from evaltools.store import columnar, filehash, storescope
from evaltools.model.catalog import load_catalog
from evaltools.dataset.context import open_review
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.iorw import sha256
from evaltools.project.review import load_review
from evaltools.store.load import load_values

from .conftest import ROOT, make_project
from .sample import write_province


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    """Three provinces of two districts, 2018-2022 (the written files are only read by these tests)."""
    folder = tmp_path_factory.mktemp("country")
    config = write_province(folder, districts=2, first_year=2018, last_year=2022, seed=5, provinces=3)
    return folder, config


@pytest.fixture()
def world(country, tmp_path, monkeypatch):
    """A private copy of the country (tests edit it), as the working folder."""
    shutil.copytree(country[0], tmp_path / "data", ignore=shutil.ignore_patterns(".columnar"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data", tmp_path / "data" / "reviews" / country[1].name


def plain(values, scope=None, keys=None):
    """The store's rows as plain pandas reads the CSV files (NFC, stripped text: the generator writes such)."""
    frames = []
    for path in sorted(values.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame = frame.assign(file=display_path(path), line=range(2, len(frame) + 2))
        frames.append(frame[["element", "period", "unit", "category", "value", "source", "comment", "file", "line"]])
    whole = pd.concat(frames, ignore_index=True).astype({"line": "int64"})
    if scope is None:
        return whole
    inside = whole["unit"].isin(scope.units) & whole["period"].astype(int).isin(list(scope.years))
    return whole[inside].reset_index(drop=True)


def test_a_district_reads_its_units_and_years_only_and_exactly_what_pandas_reads(world):
    data, config = world
    catalog = load_catalog(data / "catalog")
    review = load_review(config)
    scope = storescope.review_scope(review, catalog.units)
    assert review.area == "0101" and (scope.years.start, scope.years.stop) == (2017, 2023)
    frame, refused = columnar.read_rows(data / "values", catalog.units, scope)
    expected = plain(data / "values", scope)
    pd.testing.assert_frame_equal(frame, expected)                 # dtypes, order and index included
    assert refused == [] and set(frame["unit"].str[:2]) == {"01"} and len(frame) == len(expected) > 1000
    whole, _ = columnar.read_rows(data / "values", catalog.units)
    pd.testing.assert_frame_equal(whole, plain(data / "values"))
    assert whole["unit"].str[:2].nunique() == 3


def test_a_review_loads_the_same_values_and_figures_as_from_the_csv_files(world, monkeypatch):
    data, config = world
    fast = open_review(config)
    monkeypatch.setenv(columnar.SETTING, "off")
    slow = open_review(config)
    pd.testing.assert_frame_equal(fast.values, slow.values)
    pd.testing.assert_frame_equal(fast.indicators, slow.indicators)
    catalog = fast.catalog
    scope = storescope.review_scope(fast.review, catalog.units)
    typed = load_values(data / "values", catalog, scope)                # the CSV path, read whole, then cut
    assert list(fast.values.columns) == list(typed.columns) and len(fast.values) == len(typed)
    assert fast.read_years == range(2017, 2023)
    with pytest.raises(EvaltoolsError, match="years 2015-2015 were not read from the store"):
        fast.for_years(2015, 2015)


def _read_once(world):
    """The district review's rows read through the copy, and the generation that served them."""
    data, config = world
    catalog = load_catalog(data / "catalog")
    scope = storescope.review_scope(load_review(config), catalog.units)
    expected, _ = columnar.read_rows(data / "values", catalog.units, scope)
    return data, catalog, scope, expected, next((data / ".columnar").glob("g*"))


def test_out_of_scope_partitions_are_never_opened(world):
    data, catalog, scope, expected, generation = _read_once(world)
    spoiled = [f for f in generation.rglob("*.parquet") if f.parent.name != "01"]
    for fragment in spoiled:                        # other provinces' fragments made unreadable
        fragment.write_bytes(b"not parquet")
    again, _ = columnar.read_rows(data / "values", catalog.units, scope)
    pd.testing.assert_frame_equal(again, expected)
    assert len(spoiled) == 2 * 5 and len(list(generation.rglob("*.parquet"))) == 3 * 5


def test_a_hand_edit_is_read_next_time_and_the_old_copy_goes(world):
    data, config = world
    first = open_review(config)
    before = [p.name for p in (data / ".columnar").glob("g*")]
    path = data / "values" / "province-01-2022.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("CHILDREN,2022,01001,"))
    old = lines[row].split(",")[4]
    lines[row] = lines[row].replace(f",{old},", ",12345,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = open_review(config)
    pick = lambda d: d.values[(d.values["element"] == "CHILDREN") & (d.values["unit"] == "01001")  # noqa: E731
                              & (d.values["period"] == 2022)]["value"].tolist()
    assert pick(first) == [float(old)] and pick(second) == [12345.0]
    after = [p.name for p in (data / ".columnar").glob("g*")]
    assert len(before) == len(after) == 1 and before != after


def test_a_damaged_fragment_of_the_review_falls_back_to_the_csv_files_and_the_copy_is_built_again(world):
    data, catalog, scope, expected, generation = _read_once(world)
    cut = next(f for f in sorted(generation.rglob("*.parquet")) if f.parent.name == "01")
    cut.write_bytes(b"")                                # a fragment cut short by a power loss
    again, refused = columnar.read_rows(data / "values", catalog.units, scope)
    pd.testing.assert_frame_equal(again, expected)
    assert refused == [] and not generation.exists()
    columnar.read_rows(data / "values", catalog.units, scope)
    assert (generation / columnar.MANIFEST).is_file() and cut.stat().st_size > 0


def test_a_file_refused_under_a_limit_is_read_once_the_limit_is_raised(world, monkeypatch):
    data, _ = world
    catalog = load_catalog(data / "catalog")
    whole, _ = columnar.read_rows(data / "values", catalog.units)
    monkeypatch.setenv("EVALTOOLS_MAX_ROWS", "10")
    rows, refused = columnar.read_rows(data / "values", catalog.units)
    assert len(rows) == 0 and len(refused) == len(list((data / "values").glob("*.csv"))) == 15
    assert "over the limit of 10 rows" in refused[0][1]
    monkeypatch.delenv("EVALTOOLS_MAX_ROWS")
    again, refused = columnar.read_rows(data / "values", catalog.units)
    assert refused == [] and len(again) == len(whole) > 1000


def test_a_unit_merged_in_from_another_district_is_read_with_the_district_it_joined():
    import datetime as dt
    from types import SimpleNamespace

    start, end = dt.date(2012, 1, 1), dt.date(2020, 12, 31)
    units = pd.DataFrame({                               # a commune of 0102 merged into one of 0101 in 2021
        "code": ["01", "0101", "0102", "010101", "010201", "010202"],
        "level": ["province", "district", "district", "commune", "commune", "commune"],
        "parent": [None, "01", "01", "0101", "0102", "0102"],
        "valid_from": [start] * 6, "valid_to": [None] * 5 + [end], "successor": [None] * 5 + ["010101"],
        "class": ["standard"] * 6, "line": range(6), "name_vi": list("abcdef"), "name_en": list("abcdef")})
    review = SimpleNamespace(area="0101", first_year=2019, last_year=2022, predecessor=None)
    scope = storescope.review_scope(review, units)
    assert scope.units == {"0101", "010101", "010202"}            # 010202's 2019-2020 returns add into 010101
    assert scope.years == range(2018, 2023)


def test_a_kill_while_the_copy_is_built_leaves_no_generation_and_the_next_read_builds_it(world, python):
    data, config = world
    env = {**os.environ, "EVALTOOLS_FAULT": "kill:columnar.build#4"}
    killed = subprocess.run([python, "-m", "evaltools", "indicators", str(config)], env=env,
                            capture_output=True, text=True)
    cache = data / ".columnar"
    assert killed.returncode == -9
    assert sorted(p.name[:5] for p in cache.iterdir() if p.is_dir()) == [".buil", ".tmp-"]
    done = subprocess.run([python, "-m", "evaltools", "indicators", str(config)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    folders = [p for p in cache.iterdir() if p.is_dir() and p.name != columnar.BUILDING]
    assert len(folders) == 1 and folders[0].name.startswith("g")
    files = json.loads((folders[0] / columnar.MANIFEST).read_text(encoding="utf-8"))["files"]
    assert [f["name"] for f in files] == sorted(p.name for p in (data / "values").glob("*.csv"))
    assert "0101: 2017-2022" not in done.stdout and "indicators.csv" in done.stdout


def test_remembered_hashes_are_trusted_only_for_files_older_than_the_memo(tmp_path):
    path, memo = tmp_path / "a.csv", tmp_path / "memo.json"
    path.write_text("one\n")
    assert filehash.hashes([path], memo) == {str(path): sha256(path)}
    path.write_text("two\n")                        # same size, same tick: read again
    assert filehash.hashes([path], memo)[str(path)] == sha256(path)
    saved = json.loads(memo.read_text())
    saved["files"][str(path)].update(sha256="remembered", at=saved["files"][str(path)]["at"] + 10**10)
    memo.write_text(json.dumps(saved))              # as if hashed 10 s after its last change
    assert filehash.hashes([path], memo)[str(path)] == "remembered"
    path.write_text("three\n")
    assert filehash.hashes([path], memo)[str(path)] == sha256(path)


def test_the_sample_renders_the_same_through_the_copy(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "data" / "reviews" / "ct20-2012-2017.yaml"
    fast = open_review(config)
    monkeypatch.setenv(columnar.SETTING, "off")
    slow = open_review(config)
    pd.testing.assert_frame_equal(fast.values, slow.values)
    pd.testing.assert_frame_equal(fast.indicators, slow.indicators)
    assert fast.value("ALLOWANCE", 2017) == slow.value("ALLOWANCE", 2017) == 353


def test_every_district_expands_over_the_whole_catalog(country, tmp_path):
    from evaltools.batch.plan import plan

    _, config = country
    national = plan([config], tmp_path / "out", areas="every-district", years="2022")
    assert [job.review_id for job in national] == [f"ct20-0{p}0{d}-2022" for p in "123" for d in "12"]
    assert len(plan([config], tmp_path / "out", areas="all-districts", years="2022")) == 2
