"""The parsed-catalog cache beside the read copy (data/.columnar/catalog-<key>.pickle): a pure speed-up.

The cached catalog equals the parsed one frame for frame; an edited catalog file is seen at
once (another key); a damaged cache file is parsed around and written again; a kill while it
is written leaves no cache file a reader could take; a catalog with problems is never cached.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from evaltools.core.errors import InputError
from evaltools.model.catalog import load_catalog
from evaltools.store.catalogcache import load_cached

from .conftest import ROOT

PROGRAMME_INDICATORS = """\
indicators:
  - {code: GIFTS_PER_CHILD, name: {vi: Quà mỗi trẻ em, en: Gifts per child}, numerator: GIFTS,
     denominator: CHILDREN, factor: 100, direction: higher, decimals: 1}
"""


@pytest.fixture()
def data(tmp_path):
    """A copy of the sample's catalog folder in a data root of its own."""
    shutil.copytree(ROOT / "data" / "catalog", tmp_path / "data" / "catalog")
    return tmp_path / "data"


@pytest.fixture()
def extra(tmp_path) -> tuple:
    """A programme's own indicators file (added after the catalog's)."""
    path = tmp_path / "programme" / "indicators.yaml"
    path.parent.mkdir()
    path.write_text(PROGRAMME_INDICATORS, encoding="utf-8")
    return (path,)


def cached_files(data) -> list:
    folder = data / ".columnar"
    return sorted(p.name for p in folder.glob("catalog-*.pickle")) if folder.is_dir() else []


def assert_same(a, b) -> None:
    for part in ("units", "options", "elements", "indicators"):
        pd.testing.assert_frame_equal(getattr(a, part), getattr(b, part), check_exact=True)
    assert a.partial_areas == b.partial_areas and a.files == b.files
    assert a.unit_partial_years() == b.unit_partial_years() and a.columns() == b.columns()


def test_the_cached_catalog_equals_the_parsed_one(data, extra):
    parsed = load_catalog(data / "catalog", extra)
    assert "GIFTS_PER_CHILD" in parsed.indicators.index and cached_files(data) == []
    first = load_cached(data / "catalog", extra)                # parses and writes the cache
    assert len(cached_files(data)) == 1
    again = load_cached(data / "catalog", extra)                # reads it
    assert_same(parsed, first)
    assert_same(parsed, again)
    assert again.units is not first.units                       # from the file, not a process's memory
    without = load_cached(data / "catalog")                     # without the programme: another catalog
    assert "GIFTS_PER_CHILD" not in without.indicators.index and len(cached_files(data)) == 2
    extra[0].write_text(PROGRAMME_INDICATORS.replace("decimals: 1", "decimals: 2"), encoding="utf-8")
    assert load_cached(data / "catalog", extra).indicators.at["GIFTS_PER_CHILD", "decimals"] == 2


def test_an_edited_catalog_file_is_seen_and_the_cache_rebuilt(data):
    load_cached(data / "catalog")
    before = cached_files(data)
    units = data / "catalog" / "org_units.yaml"
    code = load_catalog(data / "catalog").units["code"].iloc[0]
    old = load_catalog(data / "catalog").units.set_index("code").loc[code, "name_vi"]
    old = old.iloc[0] if isinstance(old, pd.Series) else old
    units.write_text(units.read_text(encoding="utf-8").replace(old, "Xã Đổi Tên", 1), encoding="utf-8")
    seen = load_cached(data / "catalog")
    assert "Xã Đổi Tên" in set(seen.units["name_vi"]) and old not in set(seen.units["name_vi"])
    assert len(cached_files(data)) == 2 and set(before) < set(cached_files(data))
    assert_same(load_catalog(data / "catalog"), seen)
    (data / "catalog" / "periods.yaml").unlink(missing_ok=True)  # a file that goes is a change too
    assert_same(load_catalog(data / "catalog"), load_cached(data / "catalog"))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other payload", "empty"])
def test_a_damaged_cache_file_is_parsed_around_and_written_again(data, damage):
    parsed = load_cached(data / "catalog")
    [name] = cached_files(data)
    path = data / ".columnar" / name
    good = path.read_bytes()
    path.write_bytes({"truncated": good[: len(good) // 2], "garbage": os.urandom(2000),
                      "other payload": good.split(b"\n", 1)[0] + b"\n" + b"\x80\x05N.",
                      "empty": b""}[damage])
    again = load_cached(data / "catalog")
    assert_same(parsed, again)
    assert path.read_bytes() == good                           # written again, whole


def test_a_command_with_a_damaged_cache_runs_without_a_traceback_and_writes_it_again(tmp_path, python):
    """The real command line: `validate` of the sample review over a damaged cache file."""
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns(".columnar"))
    shutil.copy(ROOT / "evaltools.yaml", tmp_path / "evaltools.yaml")
    (tmp_path / "programmes").symlink_to(ROOT / "programmes")
    good = load_cached(tmp_path / "data" / "catalog")
    [name] = cached_files(tmp_path / "data")
    path = tmp_path / "data" / ".columnar" / name
    whole = path.read_bytes()
    path.write_bytes(b"evaltools-catalog 00\nnot a catalog")
    done = subprocess.run([python, "-m", "evaltools", "validate", "data/reviews/ct20-2012-2017.yaml"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr + done.stdout, done.stderr[-2000:]
    assert done.stdout.startswith("ct20-2012-2017: ") and "finding(s)" in done.stdout
    assert path.read_bytes() == whole
    assert_same(good, load_cached(tmp_path / "data" / "catalog"))


def test_a_kill_while_the_cache_is_written_leaves_no_cache_file(data):
    """Killed just before the rename: a temporary file at most, never a catalog-*.pickle to read half of."""
    env = {**os.environ, "EVALTOOLS_FAULT": "kill:rename@.pickle"}
    code = ("import sys; from evaltools.core import faults; faults.arm(); "
            "from evaltools.store.catalogcache import load_cached; load_cached(sys.argv[1])")
    done = subprocess.run([sys.executable, "-c", code, str(data / "catalog")], env=env, capture_output=True)
    assert done.returncode == -9
    assert cached_files(data) == []
    assert_same(load_catalog(data / "catalog"), load_cached(data / "catalog"))
    assert len(cached_files(data)) == 1


def test_a_catalog_with_problems_is_refused_as_before_and_never_cached(data):
    units = data / "catalog" / "org_units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("level: district", "level: distrct", 1),
                     encoding="utf-8")
    with pytest.raises(InputError) as parsed:
        load_catalog(data / "catalog")
    with pytest.raises(InputError) as cached:
        load_cached(data / "catalog")
    assert str(cached.value) == str(parsed.value) and "org_units.yaml" in str(cached.value)
    assert cached_files(data) == []


def test_a_cache_that_cannot_be_written_only_loses_the_speed_up(data):
    """``.columnar`` is a file here (a folder nobody can write into, even root): the catalog is parsed."""
    (data / ".columnar").write_text("not a folder", encoding="utf-8")
    assert_same(load_catalog(data / "catalog"), load_cached(data / "catalog"))
    assert_same(load_catalog(data / "catalog"), load_cached(data / "catalog"))
    assert (data / ".columnar").read_text(encoding="utf-8") == "not a folder"
