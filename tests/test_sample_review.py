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
def full(tmp_path_factory, python, root):
    """The indicator table of the sample review, from the real command (every indicator of the catalog)."""
    out = tmp_path_factory.mktemp("outputs")
    review = out / "ct20-2012-2017.yaml"
    import yaml
    from evaltools.model.catalog import load_catalog
    config = SAMPLE_REVIEW.read_text(encoding="utf-8").replace("data: ..", f"data: {root / 'data'}").replace(
        "programme: ct20", f"programme: {root / 'programmes' / 'ct20'}")
    codes = list(load_catalog(root / "data" / "catalog").indicators.index)
    config = config.split("\nindicators:")[0] + "\nindicators: [" + ", ".join(codes) + "]\n"
    assert yaml.safe_load(config)["indicators"] == codes
    review.write_text(config, encoding="utf-8")
    done = subprocess.run([python, "-m", "evaltools", "indicators", str(review), "--out", str(out)],
                          capture_output=True, text=True, cwd=root, check=True)
    assert "indicators.csv" in done.stdout
    return pd.read_csv(out / "ct20-2012-2017" / "indicators.csv", dtype={"unit": str, "period": str})


@pytest.fixture(scope="module")
def district(full):
    return full[full["unit"] == "468"].set_index(["indicator", "period", "category"])["value"]


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
    ("SPONSORED", "cap_la", 6),          # "Cặp lá yêu thương" is not a scholarship
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


def test_2017s_recognition_does_not_exist_by_the_cut_off_so_the_period_figure_is_2016s(full):
    cf = full[(full["indicator"] == "CF_COMMUNES") & (full["unit"] == "468")].set_index("period")
    assert pd.isna(cf.at["2017", "value"]) and cf.at["2017", "reason"] == "no data"
    assert (cf.at["2012-2017", "value"], cf.at["2012-2017", "value_year"]) == (9, 2016)


def test_eight_kinds_of_plans_were_issued_with_their_periods_and_survey_years(full, root):
    from evaltools.model.catalog import load_catalog
    options = load_catalog(root / "data" / "catalog").options.loc["plan_kind"].set_index("option")
    plans = full[(full["indicator"] == "PLANS") & (full["unit"] == "468") & (full["category"] != "total")
                 & (full["value"] > 0)]
    issued = plans[plans["period"] == "2012-2017"]
    assert issued["category"].map(options["group"]).nunique() == 8
    injury = issued[issued["category"].map(options["group"]) == "injury_prevention"]["category"]
    periods = sorted(options.loc[injury, "name_vi"].str.extract(r"giai đoạn (\S+)$")[0])
    assert periods == ["2013–2015", "2016–2020"]
    surveys = plans[(plans["category"] == "csc_survey") & (plans["period"].str.len() == 4)]["period"]
    assert sorted(surveys) == ["2014", "2016"]


def test_scholarship_rates_per_month_are_configuration_and_the_data_follow_them(full, root):
    import yaml
    rules = yaml.safe_load((root / "data" / "catalog" / "validation_rules.yaml").read_text(encoding="utf-8"))
    rates = {c["code"]: c["value"] for c in rules["constants"] if c["code"].startswith("zhishan_")}
    assert rates == {"zhishan_lower": 100_000, "zhishan_upper": 120_000, "zhishan_tertiary": 200_000}
    district = full[full["unit"] == "468"].set_index(["indicator", "period", "category"])["value"]
    levels = [district[("ZHISHAN_LEVELS", "2017", lvl)] for lvl in ("lower", "upper", "tertiary")]
    assert sum(levels) == 69
    assert district[("SCHOLARSHIP_VALUE", "2017", "zhishan")] == 12 * (
        levels[0] * 100_000 + levels[1] * 120_000 + levels[2] * 200_000)


def test_bicycles_name_their_donors(full):
    bikes = full[(full["unit"] == "468") & (full["indicator"] == "BICYCLES") & (full["period"] == "2012-2017")]
    bikes = bikes[bikes["value"].notna()]                # the donors of bicycles, not of scholarships
    assert dict(zip(bikes["category"], bikes["value"])) == {"total": 11, "aia": 5, "hanh_trinh": 6}


def test_the_allowance_total_is_the_sum_of_its_groups(district):
    parts = sum(district[("ALLOWANCE", "2012-2017", g)] for g in ("orphan_both", "disabled", "orphan_one"))
    assert parts == district[("ALLOWANCE", "2012-2017", "total")] == 18 + 137 + 198
