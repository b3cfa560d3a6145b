"""What makes a review cheaper to render must not change what it shows (issue 22, item 1).

- The cycle collector is paused while a report is exported, and runs again afterwards exactly when
  it ran before (a batch worker renders many reviews in one process).
- :meth:`ReviewData.row` finds a row by its key instead of filtering the table: for every key of the
  sample review's indicator table it returns the row plain pandas filtering returns (the first one),
  None for a key the table lacks, and still names an unknown indicator.
- Derived values a report reads many times (cut-offs, partial years, levels) are computed once and
  equal a fresh computation; a review re-dated with ``replace`` computes its own.
"""

from __future__ import annotations

import gc
from dataclasses import replace

import pandas as pd
import pytest

from evaltools.core.errors import EvaltoolsError
from evaltools.dataset.context import open_review
from evaltools.export.gcpause import collector_paused

from .conftest import SAMPLE_REVIEW


def test_the_collector_is_paused_for_the_block_and_runs_again_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()              # the inner pause does not end the outer one
    assert gc.isenabled()


def test_the_collector_runs_again_after_a_failed_export_and_stays_off_when_it_was_off():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a failing export")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture(scope="module")
def sample():
    return open_review(SAMPLE_REVIEW)


def test_a_row_found_by_key_is_the_first_row_pandas_filtering_finds(sample):
    table = sample.indicators
    keys = table[["indicator", "unit", "period", "category"]].drop_duplicates()
    assert len(keys) > 1000
    for code, unit, period, category in keys.sample(300, random_state=1).itertuples(index=False):
        expected = table[(table["indicator"] == code) & (table["unit"] == unit) & (table["period"] == period)
                         & (table["category"] == category)].iloc[0]
        found = sample.row(code, period, category, unit)
        pd.testing.assert_series_equal(found, expected)
    # defaults: the review's area ("468", Cam Lộ) and the whole period "2012-2017"
    whole = table[(table["indicator"] == "INJURY_RATE") & (table["unit"] == "468") & (table["period"] == "2012-2017")
                  & (table["category"] == "total")].iloc[0]
    pd.testing.assert_series_equal(sample.row("INJURY_RATE"), whole)
    assert sample.row("INJURY_RATE", 2016)["period"] == "2016"


def test_a_missing_key_is_none_and_an_unknown_indicator_is_named(sample):
    assert sample.row("INJURY_RATE", 1999) is None
    assert sample.row("INJURY_RATE", unit="no-such-unit") is None
    with pytest.raises(EvaltoolsError, match="unknown indicator 'NO_SUCH'"):
        sample.row("NO_SUCH")


def test_values_read_many_times_are_computed_once_and_equal_a_fresh_computation(sample):
    assert sample.partial_years == {2017: pd.Timestamp("2017-05-31").date()}   # periods.yaml: Cam Lộ to 31/05
    assert sample.partial_years is sample.partial_years
    assert sample.year_label(2017) == "2017*" and sample.year_label(2016) == "2016"
    assert (sample.sublevel, sample.area_level) == ("commune", "district")
    earlier = replace(sample, review=replace(sample.review, first_year=2012, last_year=2016))
    assert earlier.partial_years == {}                       # its own, not the cached one of 2012-2017
    assert earlier.year_label(2017) == "2017"
