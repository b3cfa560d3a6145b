"""Validation rules on a hand-made area: each operator kind, each missing-value strategy, per-year constants."""

from __future__ import annotations

import pytest

from evaltools.model.catalog import load_catalog
from evaltools.core.errors import InputError
from evaltools.validation import load_rules, validate

from .conftest import write
from .validation_area import every_commune, make_area


def rule_findings(result, code=None):
    found = result.findings[result.findings["kind"] == "rule"]
    return found if code is None else found[found["rule"] == code]


def test_broken_allowance_total_is_high_and_names_the_row(tmp_path):
    rows = every_commune(2018) + [
        ("AID", 2018, "100", "g1", 3), ("AID", 2018, "100", "g2", 4), ("AID_TOTAL", 2018, "100", "default", 8),
        ("AID", 2018, "101", "g1", 2), ("AID", 2018, "101", "g2", 3), ("AID_TOTAL", 2018, "101", "default", 5),
    ]
    result = validate(make_area(tmp_path, rows))
    found = rule_findings(result, "AID_SUM")
    assert len(found) == 1
    f = found.iloc[0]
    assert (f["importance"], f["unit"], f["unit_name"], f["year"]) == ("high", "100", "A", 2018)
    assert (f["value"], f["operator"], f["expected"]) == (8, "==", 7)
    assert (f["rule_name_vi"], f["rule_name_en"]) == ("Tổng trợ cấp", "Aid total")
    assert f["element"] == "AID_TOTAL"
    assert f["file"].endswith("values/values.csv") and f["line"] == 2 + 6   # the AID_TOTAL row of A
    assert f["message"] == "AID_TOTAL = 8 but should equal AID = 7 (difference 1)"
    assert result.exit_code == 1


def test_cards_value_off_by_ten_percent_uses_the_price_of_its_year(tmp_path):
    rows = every_commune(2018) + every_commune(2019) + [
        ("CARDS", 2018, "100", "default", 10), ("CARDS_VALUE", 2018, "100", "default", 1_100_000),  # 10 % over
        ("CARDS", 2018, "101", "default", 20), ("CARDS_VALUE", 2018, "101", "default", 2_010_000),  # 0,5 % over
        ("CARDS", 2019, "100", "default", 10), ("CARDS_VALUE", 2019, "100", "default", 1_100_000),  # 2019 price
    ]
    found = rule_findings(validate(make_area(tmp_path, rows)), "CARDS_PRICE")
    assert found[["unit", "year", "value", "expected"]].values.tolist() == [["100", 2018, 1_100_000, 1_000_000]]
    # 100.000 apart, 9,1 % of the larger side (1.100.000)
    assert found.iloc[0]["message"] == ("CARDS_VALUE = 1.100.000 but should be about CARDS * $price = 1.000.000 "
                                        "(differs by 9,1 %; tolerance 1,0 %)")


def test_beneficiaries_above_children(tmp_path):
    rows = every_commune(2018, pop=50) + [("AID", 2018, "102", "g1", 30), ("AID", 2018, "102", "g2", 25),
                                          ("AID", 2018, "100", "g1", 50)]
    found = rule_findings(validate(make_area(tmp_path, rows)), "AID_LE_POP")
    assert found[["unit", "year", "value", "operator", "expected", "importance"]].values.tolist() == [
        ["102", 2018, 55, "<=", 50, "medium"]]          # A's 50 ≤ 50 holds


STRATEGY_RULES = """
rules:
  - {code: ANY, name: Any, left: POP, operator: ">", right: AID_TOTAL, missing_value_strategy: skip_if_any_missing}
  - {code: ALL, name: All, left: POP, operator: ">", right: AID_TOTAL, missing_value_strategy: skip_if_all_missing}
  - {code: NEVER, name: Never, left: POP, operator: ">", right: AID_TOTAL, missing_value_strategy: never_skip}
"""


def test_missing_value_strategies(tmp_path):
    rows = [("POP", 2018, "100", "default", 100), ("AID_TOTAL", 2018, "100", "default", 5),  # complete
            ("AID_TOTAL", 2018, "101", "default", 5),                                       # POP missing
            ("CARDS", 2018, "102", "default", 3),                                           # both missing
            ("PLANS", 2018, "10", "default", 1)]
    found = rule_findings(validate(make_area(tmp_path, rows, rules=STRATEGY_RULES, last=2018)))
    by_rule = {code: sorted(group["unit"]) for code, group in found.groupby("rule")}
    assert by_rule == {"ALL": ["101"], "NEVER": ["101", "102"]}
    never_b = found[(found["rule"] == "NEVER") & (found["unit"] == "101")].iloc[0]
    assert (never_b["value"], never_b["expected"]) == (0, 5)
    assert never_b["message"].endswith("; not reported, counted as 0: POP")
    never_c = found[(found["rule"] == "NEVER") & (found["unit"] == "102")].iloc[0]
    assert never_c["message"] == ("POP = 0 but should be more than AID_TOTAL = 0; "
                                  "not reported, counted as 0: POP, AID_TOTAL")


def test_rules_check_units_as_reported_within_the_area(tmp_path):
    # E (200) lies outside D1; C (102) no longer exists in 2020 and BC (101) is checked on its own figures.
    rows = every_commune(2020) + [
        ("AID", 2020, "101", "g1", 3), ("AID_TOTAL", 2020, "101", "default", 4),
        ("AID", 2020, "200", "g1", 3), ("AID_TOTAL", 2020, "200", "default", 9),
    ]
    found = rule_findings(validate(make_area(tmp_path, rows, first=2020, last=2020)), "AID_SUM")
    assert found[["unit", "unit_name", "year", "value", "expected"]].values.tolist() == [["101", "BC", 2020, 4, 3]]


def test_a_year_without_a_price_cannot_be_checked_and_says_so(tmp_path):
    rows = every_commune(2020) + [("CARDS", 2020, "100", "default", 10), ("CARDS_VALUE", 2020, "100", "default", 5)]
    result = validate(make_area(tmp_path, rows, first=2020, last=2020))
    found = rule_findings(result, "CARDS_PRICE")
    assert len(found) == 1
    f = found.iloc[0]
    assert (f["importance"], f["year"], f["unit"]) == ("medium", 2020, "")
    assert f["file"].endswith("catalog/validation_rules.yaml") and f["line"] == 6
    assert f["message"].startswith("cannot be checked for 2020: $price has no value for 2020 in ")


def test_scaled_terms_and_scalar_constants(tmp_path):
    rules = """
    constants:
      - {code: pass_mark, value: 800}
    rules:
      - {code: FLAG_SCORE, name: Flag needs score, left: POP, operator: ">=",
         right: "$pass_mark * FLAG + 2 * AID_TOTAL"}
    """
    rows = every_commune(2018, pop=900) + [
        ("FLAG", 2018, "100", "default", 1), ("AID_TOTAL", 2018, "100", "default", 60),
        ("FLAG", 2018, "101", "default", 1), ("AID_TOTAL", 2018, "101", "default", 40)]
    found = rule_findings(validate(make_area(tmp_path, rows, rules=rules, last=2018)))
    # A: 800 + 120 = 920 > 900; B: 800 + 80 = 880 ≤ 900; C: FLAG and AID_TOTAL missing, 0 ≤ 900
    assert found[["unit", "value", "operator", "expected"]].values.tolist() == [["100", 900, ">=", 920]]


def test_every_problem_of_a_rules_file_at_once(tmp_path):
    make_area(tmp_path, [])
    bad = write(tmp_path / "bad_rules.yaml", """
    constants:
      - {code: price, by_year: {2018: cheap}}
    rules:
      - {code: R1, name: R1, left: POP, operator: "=>", right: AID}
      - {code: R2, name: R2, left: NOPE, operator: "<=", right: "AID.g9"}
      - {code: R3, name: R3, left: POP, operator: "~=", right: AID}
      - {code: R4, name: R4, left: POP, operator: "<=", right: PLANS}
      - {code: R5, name: R5, left: "POP * AID", operator: "<=", right: "$cost"}
      - {code: R1, name: again, left: POP, operator: "<=", right: AID, tolerance: 0.1}
    outliers: {max_ratio: 0.5, elements: {NOPE: {check: false}}}
    extra: 1
    """)
    with pytest.raises(InputError) as caught:
        load_rules(bad, load_catalog(tmp_path / "catalog"))
    text = str(caught.value)
    for expected in ["bad_rules.yaml:2: key 'by_year': expected a mapping of years to numbers",
                     "bad_rules.yaml:4: key 'operator': expected one of ==, !=, <, <=, >, >=, ~=; found '=>'",
                     "bad_rules.yaml:5: key 'left': unknown data column 'NOPE'",
                     "bad_rules.yaml:5: key 'right': unknown data column 'AID.g9'",
                     "bad_rules.yaml:6: key 'tolerance': operator ~= needs a tolerance",
                     "bad_rules.yaml:7: key 'left': mixes elements reported at commune and district level",
                     "bad_rules.yaml:8: key 'left': cannot multiply POP by AID",
                     "bad_rules.yaml:8: key 'right': unknown constant $cost",
                     "bad_rules.yaml:9: key 'tolerance': only operator ~= takes a tolerance, not <=",
                     "bad_rules.yaml:9: key 'code': duplicate R1; already defined on line 4",
                     "bad_rules.yaml:10: key 'max_ratio': expected a ratio above 1",
                     "bad_rules.yaml:10: key 'elements': unknown data element 'NOPE'",
                     "bad_rules.yaml:11: key 'extra': unknown key"]:
        assert expected in text, expected
    assert len(caught.value.problems) == 13


def test_the_sample_rules_file_loads(root):
    catalog = load_catalog(root / "data" / "catalog")
    ruleset = load_rules(root / "data" / "catalog" / "validation_rules.yaml", catalog)
    assert ruleset.constants["hi_card_price"][2017] == 621_000
    assert ruleset.constants["hi_card_price"][2019] == 750_600
    assert ruleset.rules.at["HI_CARDS_VALUE_PRICE", "tolerance"] == 0.01
    assert set(ruleset.rules["level"]) == {"commune"}
    assert ruleset.outliers.for_element("CHILDREN").max_ratio == 1.2
    assert ruleset.outliers.for_element("GIFTS").max_ratio == 2


def test_rules_fixture_parses(tmp_path):
    make_area(tmp_path, [])
    ruleset = load_rules(tmp_path / "catalog" / "validation_rules.yaml", load_catalog(tmp_path / "catalog"))
    assert list(ruleset.rules.index) == ["AID_SUM", "CARDS_PRICE", "AID_LE_POP"]
    assert ruleset.constants == {"price": {2018: 100_000.0, 2019: 110_000.0}}
    assert ruleset.rules["level"].tolist() == ["commune"] * 3


def test_communes_operand_counts_the_communes_below_a_district(tmp_path):
    rules = """
    rules:
      - {code: PLANS_PER_COMMUNE, name: Plans, left: PLANS, operator: "<=", right: "@communes"}
    """
    rows = [r for r in every_commune(2019) + every_commune(2020) if r[0] != "PLANS"] + [
        ("PLANS", 2019, "10", "default", 3), ("PLANS", 2020, "10", "default", 3)]
    found = rule_findings(validate(make_area(tmp_path, rows, rules=rules, first=2019, last=2020)))
    # D1 holds A, B and C in 2019 (3 ≤ 3 holds) but only A and BC in 2020
    assert found[["unit", "year", "value", "expected"]].values.tolist() == [["10", 2020, 3, 2]]


def test_every_schema_problem_is_a_high_finding_naming_its_row(tmp_path):
    rows = every_commune(2018) + [
        ("NOPE", 2018, "100", "default", 1),          # line 6
        ("POP", 2018, "999", "default", 1),           # 7
        ("POP", "20x8", "100", "default", 1),         # 8
        ("AID", 2018, "100", "g9", 1),                # 9
        ("CARDS", 2018, "100", "default", -2),        # 10
        ("CARDS", 2018, "101", "default", 2.5),       # 11
        ("FLAG", 2018, "100", "default", 2),          # 12
        ("POP", 2018, "100", "default", 100),         # 13: repeats line 2
        ("POP", 2018, "10", "default", 300),          # 14: a district reporting a commune element
        ("PLANS", 2018, "100", "default", 1),         # 15: a commune reporting a district element
        ("POP", 2020, "102", "default", 40),          # 16: C no longer exists (a year the review does not read)
    ]
    result = validate(make_area(tmp_path, rows), whole_store=True)     # validate --store: every row
    schema = result.findings[result.findings["kind"] == "schema"]
    assert set(schema["importance"]) == {"high"}
    assert sorted(zip(schema["line"], schema["rule"])) == [
        (6, "SCHEMA_ELEMENT"), (7, "SCHEMA_UNIT"), (8, "SCHEMA_PERIOD"), (9, "SCHEMA_CATEGORY"),
        (10, "SCHEMA_COUNT"), (11, "SCHEMA_COUNT"), (12, "SCHEMA_BOOLEAN"), (13, "SCHEMA_DUPLICATE"),
        (14, "SCHEMA_LEVEL"), (15, "SCHEMA_LEVEL"), (16, "SCHEMA_UNIT_VALID")]
    by_line = schema.set_index("line")
    assert by_line.at[13, "message"] == "column 'value': duplicate of " \
        f"{by_line.at[13, 'file']}:2 (POP, 2018, 100, default)"
    assert by_line.at[14, "message"] == "POP is reported by commune units; unit 10 is a district (value 300)"
    assert (by_line.at[14, "unit_name"], by_line.at[16, "unit_name"]) == ("D1", "C")
    # The rows that failed are not used further: A's POP stays 100 and C's 2020 value counts nowhere.
    assert result.rows["line"].tolist() == [2, 3, 4, 5]


def test_not_before_entries_name_a_column_and_a_month(tmp_path):
    make_area(tmp_path, [])
    bad = write(tmp_path / "bad_rules.yaml", """
    not_before:
      - {code: LATE, name: Late, column: FLAG, month: 12}
      - {code: NOPE, name: Nope, column: AID.g9, month: 13}
    """)
    with pytest.raises(InputError) as caught:
        load_rules(bad, load_catalog(tmp_path / "catalog"))
    assert [str(p).split("bad_rules.yaml:")[1] for p in caught.value.problems] == [
        "3: key 'column': unknown data column 'AID.g9'; expected an element code or ELEMENT.option of "
        "data_elements.yaml", "3: key 'month': expected a month 1–12, found 13"]
    good = write(tmp_path / "good_rules.yaml", "not_before:\n  - {code: LATE, name: Late, column: FLAG, month: 12}\n")
    entry = load_rules(good, load_catalog(tmp_path / "catalog")).not_before.iloc[0]
    assert (entry["code"], entry["column"], entry["month"], entry["importance"]) == ("LATE", "FLAG", 12, "high")
