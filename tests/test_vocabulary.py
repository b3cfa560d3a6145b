"""The unit-kind prefixes are one table (resources/vocabulary.yaml) read by all three users."""

from __future__ import annotations

from evaltools.intake.unitnames import split_name, tone_key
from evaltools.model.units import english_name


def test_an_urban_district_prefix_is_read_by_intake_and_named_in_english() -> None:
    # Before the one table, intake lacked "Quận": the whole name was taken as the place.
    assert split_name("Quận Hải Châu") == ("quận", tone_key("Hải Châu"))
    assert english_name("Quận Hải Châu") == "Hải Châu urban district"


def test_abbreviations_and_full_prefixes_name_the_same_kind() -> None:
    assert split_name("TT. Cam Lộ") == ("thị trấn", tone_key("Cam Lộ"))
    assert split_name("Thị trấn Cam Lộ") == ("thị trấn", tone_key("Cam Lộ"))
    assert split_name("tx. Quảng Trị") == ("thị xã", tone_key("Quảng Trị"))
    assert split_name("Cam Lộ") == (None, tone_key("Cam Lộ"))
    assert english_name("Thị xã Quảng Trị") == "Quảng Trị town"
