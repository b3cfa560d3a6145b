"""The sample data reproduce every figure of the source report (DOMAIN §2).

The figures are computed by the real command, ``evaltools indicators``, from
data/values; nothing here is typed into the data or the code.
"""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest

from .conftest import SAMPLE_REVIEW


@pytest.fixture(scope="module")
def district(tmp_path_factory, python, root):
    out = tmp_path_factory.mktemp("outputs")
    done = subprocess.run([python, "-m", "evaltools", "indicators", str(SAMPLE_REVIEW), "--out", str(out)],
                          capture_output=True, text=True, cwd=root, check=True)
    assert "indicators.csv" in done.stdout
    table = pd.read_csv(out / "ct20-2012-2017" / "indicators.csv", dtype={"unit": str, "period": str})
    return table[table["unit"] == "468"].set_index(["indicator", "period", "category"])["value"]


@pytest.mark.parametrize(("indicator", "category", "expected"), [
    ("ALLOWANCE", "total", 353),
    ("ALLOWANCE", "orphan_both", 18),
    ("ALLOWANCE", "disabled", 137),
    ("ALLOWANCE", "orphan_one", 198),
    ("CENTRE_CHILDREN", "total", 4),
    ("CF_COMMUNES", "total", 9),
    ("COMMUNES", "total", 9),
    ("SCHOLARSHIPS", "zhishan", 69),
    ("SCHOLARSHIPS", "fpt", 20),
    ("SCHOLARSHIP_VALUE", "fpt", 24_000_000),
    ("SCHOLARSHIPS", "vnep", 5),
    ("SCHOLARSHIP_VALUE", "vnep", 16_250_000),
    ("SCHOLARSHIPS", "aia", 7),
    ("SCHOLARSHIP_VALUE", "aia", 23_000_000),
    ("SCHOLARSHIPS", "cap_la", 6),
    ("BICYCLES", "total", 11),
    ("HI_CARDS", "total", 5905),
    ("HI_CARDS_VALUE", "total", 3_667_005_000),
    ("CP_MODELS", "total", 2),
])
def test_source_figures_over_the_review_period(district, indicator, category, expected):
    assert district[(indicator, "2012-2017", category)] == expected


def test_nine_of_nine_communes_child_friendly_every_year_2012_to_2016(district):
    for year in range(2012, 2017):
        assert district[("CF_COMMUNES", str(year), "total")] == 9
        assert district[("CF_SHARE", str(year), "total")] == 100


def test_eight_kinds_of_plans_were_issued(district):
    kinds = [k for (ind, period, k), v in district.items()
             if ind == "PLANS" and period == "2012-2017" and k != "total" and v > 0]
    assert len(kinds) == 8


def test_the_allowance_total_is_the_sum_of_its_groups(district):
    parts = sum(district[("ALLOWANCE", "2012-2017", g)] for g in ("orphan_both", "disabled", "orphan_one"))
    assert parts == district[("ALLOWANCE", "2012-2017", "total")] == 18 + 137 + 198
