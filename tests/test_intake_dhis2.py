"""`evaltools import` of DHIS2 data value sets: files shaped exactly like DHIS2's documented examples.

The shapes are those of the DHIS2 Web API documentation ("Data values": sending data values,
sending bulks, the CSV data value format, reading data values as CSV): the set-level period
and orgUnit, UIDs such as f7n9E0hX8qk, quoted CSV headers DHIS2 ignores, an empty
attroptcombo, the `flwup` column of DHIS2's own CSV export.
"""

from __future__ import annotations

import json
import textwrap

from .intake_support import data_copy, problem_lines, run, tree_hashes

MAPPING = """\
# DHIS2 identifiers of this catalog (test instance)
data_elements:
  f7n9E0hX8qk: CHILDREN        # UID
  Ix2HsbDMLea: INJURIES
  eY5ehpbEsB7: ALLOWANCE
  CHILD_POP: CHILDREN          # a DHIS2 code may be mapped too
category_option_combos:
  bRowv6yZOF2: default
  HllvX50cXC0: default
  Prlt0C1RF0s: drowning
  V6L425pT3A0: traffic
  jOkIbJVhECg: disabled
org_units:
  DiszpKrYNg8: "19606"
  FNnj3jKGS7i: "19597"
"""


def project(tmp_path, mapping: str | None = MAPPING):
    data = data_copy(tmp_path)
    if mapping is not None:
        (data / "catalog" / "dhis2.yaml").write_text(mapping, encoding="utf-8")
    return data


def returns(data, year: int) -> list[str]:
    return (data / "values" / f"returns-{year}.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_a_json_set_shaped_like_dhis2s_sending_example_imports_through_the_mapping(tmp_path):
    data = project(tmp_path)
    path = tmp_path / "datavalueset.json"
    path.write_text(json.dumps({
        "dataSet": "pBOMPrpg1QX", "completeDate": "2024-02-03", "period": "2023", "orgUnit": "DiszpKrYNg8",
        "attributeOptionCombo": "HllvX50cXC0",
        "dataValues": [
            {"dataElement": "f7n9E0hX8qk", "categoryOptionCombo": "bRowv6yZOF2", "value": "1534", "comment": "comment1"},
            {"dataElement": "Ix2HsbDMLea", "categoryOptionCombo": "Prlt0C1RF0s", "value": "2", "comment": "comment2"},
            {"dataElement": "eY5ehpbEsB7", "categoryOptionCombo": "jOkIbJVhECg", "value": "12", "comment": "comment3"},
        ]}, indent=2), encoding="utf-8")
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert (code, err) == (0, "")
    assert returns(data, 2023) == [
        "CHILDREN,2023,19606,default,1534,datavalueset.json[dataValues]:0,comment1",
        "INJURIES,2023,19606,drowning,2,datavalueset.json[dataValues]:1,comment2",
        "ALLOWANCE,2023,19606,disabled,12,datavalueset.json[dataValues]:2,comment3"]
    lines = out.splitlines()
    assert lines[1].split()[:4] == ["datavalueset.json", "DHIS2", "JSON", "UTF-8"]
    assert ("import summary (DHIS2): status SUCCESS, importCount imported 3, updated 0, ignored 0, deleted 0; "
            "conflicts 0") in lines
    again = run(["import", path.name, "--data", data], tmp_path)
    assert "importCount imported 0, updated 0, ignored 3, deleted 0; conflicts 0" in again[1]


def test_dhis2s_csv_export_and_its_import_example_read_by_position_months_to_years(tmp_path):
    data = project(tmp_path)
    export = tmp_path / "export.csv"      # /api/dataValueSets.csv as DHIS2 writes it (its header: flwup)
    rows = ["dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,flwup"]
    rows += [f"Ix2HsbDMLea,2023{m:02d},DiszpKrYNg8,V6L425pT3A0,bRowv6yZOF2,{m},system,2024-01-05T19:58:12.000,,false"
             for m in range(1, 13)]
    rows += [f"f7n9E0hX8qk,2023{m:02d},DiszpKrYNg8,bRowv6yZOF2,bRowv6yZOF2,{1500 + m},system,2024-01-05T19:58:12.000,"
             f"month {m},false" for m in (3, 6, 12)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    example = tmp_path / "import.txt"     # the documented import example: quoted header, empty attroptcombo
    example.write_text(textwrap.dedent('''\
        "dataelement","period","orgunit","catoptcombo","attroptcombo","value","storedby","timestamp"
        "Ix2HsbDMLea","2023","FNnj3jKGS7i","Prlt0C1RF0s",,"7","bombali","2010-04-17"
        "Ix2HsbDMLea","2023","FNnj3jKGS7i","V6L425pT3A0",,"10","bombali","2010-04-17"
        "CHILD_POP","2023","19597","default",,"3401","bombali","2010-04-06"
        '''), encoding="utf-8")
    newer = tmp_path / "newer.csv"      # DHIS2 2.38+: full column names, `deleted` (null, or true: skipped)
    newer.write_text("dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,"
                     "comment,followup,deleted\n"
                     "Ix2HsbDMLea,2023,FNnj3jKGS7i,HllvX50cXC0,HllvX50cXC0,4,admin,2024-01-05T00:00:00.000+0000,,"
                     "false,true\n"
                     "f7n9E0hX8qk,2023,19600,HllvX50cXC0,HllvX50cXC0,1205,admin,2024-01-05T00:00:00.000+0000,,"
                     "false,null\n", encoding="utf-8")
    code, out, err = run(["import", export.name, example.name, newer.name, "--data", data], tmp_path)
    assert (code, err) == (0, "")
    assert "newer.csv: 1 value(s) marked deleted in DHIS2 skipped" in out.splitlines()
    assert returns(data, 2023) == [
        # a flow: the twelve months added up, 1 + ... + 12; a stock: December's value, not a sum
        "INJURIES,2023,19606,traffic,78,export.csv:2 from sum of 12 months 202301–202312,",
        "CHILDREN,2023,19606,default,1512,export.csv:16 from value of 202312 (the year's end),month 12",
        "INJURIES,2023,19597,drowning,7,import.txt:2,",
        "INJURIES,2023,19597,traffic,10,import.txt:3,",
        "CHILDREN,2023,19597,default,3401,import.txt:4,",
        "CHILDREN,2023,19600,default,1205,newer.csv:3,"]
    assert [line.split()[:3] for line in out.splitlines()[1:3]] == [["export.csv", "DHIS2", "CSV"],
                                                                      ["import.txt", "DHIS2", "CSV"]]


def test_id_scheme_code_needs_no_mapping_and_quarters_add_up(tmp_path):
    data = project(tmp_path, mapping=None)
    path = tmp_path / "codes.json"
    path.write_text(json.dumps({"dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE", "dataValues": [
        {"dataElement": "HI_CARDS", "period": f"2023Q{q}", "orgUnit": "19612", "categoryOptionCombo": "default",
         "attributeOptionCombo": "default", "value": str(100 * q), "storedBy": "admin", "created": "2024-01-01",
         "lastUpdated": "2024-01-02", "comment": "", "followup": False} for q in (1, 2, 3, 4)]}), encoding="utf-8")
    code, _, err = run(["import", path.name, "--data", data], tmp_path)
    assert (code, err) == (0, "")
    assert returns(data, 2023) == ["HI_CARDS,2023,19612,default,1000,codes.json[dataValues]:0 from sum of 4 quarters "
                                   "2023Q1–2023Q4,"]


def test_what_cannot_be_made_a_year_honestly_is_refused_and_nothing_is_written(tmp_path):
    data = project(tmp_path)
    before = tree_hashes(data)
    path = tmp_path / "bad.json"
    months = [{"dataElement": "f7n9E0hX8qk", "period": f"2023{m:02d}", "orgUnit": "DiszpKrYNg8", "value": "1500"}
              for m in range(1, 7)]                                      # a stock without December
    flows = [{"dataElement": "HI_CARDS", "period": f"2023{m:02d}", "orgUnit": "19612", "value": "9"}
             for m in range(1, 12)]                                      # a flow without December
    odd = [{"dataElement": "Nope1234567", "period": "2023", "orgUnit": "DiszpKrYNg8", "value": "1"},
           {"dataElement": "f7n9E0hX8qk", "period": "2023W12", "orgUnit": "DiszpKrYNg8", "value": "1"},
           {"dataElement": "f7n9E0hX8qk", "period": "2023", "orgUnit": "xYz12345678", "value": "1"},
           {"dataElement": "f7n9E0hX8qk", "period": "2023", "orgUnit": "FNnj3jKGS7i", "value": "1.234"},
           {"dataElement": "f7n9E0hX8qk", "period": "2023", "orgUnit": "19600", "attributeOptionCombo": "aocXYZ12345",
            "value": "5"}]
    path.write_text(json.dumps({"dataValues": months + flows + odd}), encoding="utf-8")
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert code == 1
    assert problem_lines(err) == [
        "bad.json: dataValues[17].dataElement: unknown data element 'Nope1234567': neither an element code of the "
        "catalog nor mapped in data/catalog/dhis2.yaml (data_elements:)",
        "bad.json: dataValues[18].period: expected a year (2023), a month (202301) or a quarter (2023Q1), found "
        "'2023W12'",
        "bad.json: dataValues[19].orgUnit: unknown org unit 'xYz12345678': neither a GSO unit code nor mapped in "
        "data/catalog/dhis2.yaml (org_units:)",
        "bad.json: dataValues[21].attributeOptionCombo: attribute option combo 'aocXYZ12345': only the default is "
        "read (evaltools keeps no funding mechanism or partner); list it under attribute_option_combos: in "
        "data/catalog/dhis2.yaml if it is your instance's default",
        "bad.json: dataValues[0].period: CHILDREN 2023 of Xã Cam Thủy (19606, org unit DiszpKrYNg8): a stock's yearly figure is its value at the year's end, "
        "202312, which is missing (6 month(s) given, 202301–202306); send 202312 (or the year's figure)",
        "bad.json: dataValues[6].period: HI_CARDS 2023 of Xã Cam Thành (19612): a flow's yearly figure adds up every month of 2023, and "
        "202312 is missing or empty: send it (or the year's total); a partial sum would under-count",
        "bad.json: dataValues[20].value: CHILDREN counts whole units: expected a whole number ≥ 0, found '1.234'"]
    assert "import summary (DHIS2): status ERROR, importCount imported 0, updated 0, ignored 22, deleted 0; " \
           "conflicts 7" in out
    # one count, one name per thing: the table's rejected is the DHIS2 line's conflicts (7 values refused)
    assert out.splitlines()[1].split()[-1] == "7" and out.splitlines()[0].split()[-1] == "rejected"
    assert out.splitlines()[-1] == "REFUSED: 7 value(s) rejected, nothing was written"
    assert tree_hashes(data) == before


def test_a_declared_partial_year_ends_on_its_last_day(tmp_path):
    data = project(tmp_path, mapping=None)
    stored = (data / "values" / "cam-lo-2017.csv").read_text(encoding="utf-8")
    cards = next(line for line in stored.splitlines() if line.startswith("HI_CARDS,2017,19597,"))
    total = int(cards.split(",")[4])
    parts = [total // 5] * 4 + [total - 4 * (total // 5)]                # five months to 31/05/2017
    good = tmp_path / "to-may.json"
    good.write_text(json.dumps({"orgUnit": "19597", "dataValues": [
        {"dataElement": "HI_CARDS", "period": f"2017{m:02d}", "value": str(v)} for m, v in zip(range(1, 6), parts)]}),
        encoding="utf-8")
    code, out, err = run(["import", good.name, "--data", data, "--dry-run"], tmp_path)
    assert (code, err) == (0, "")             # the sum equals the stored 2017 figure: unchanged
    assert "importCount imported 0, updated 0, ignored 1, deleted 0; conflicts 0 (dry run" in out
    late = tmp_path / "june.json"
    late.write_text(json.dumps({"orgUnit": "19597", "dataValues": [
        {"dataElement": "HI_CARDS", "period": f"2017{m:02d}", "value": "1"} for m in range(1, 7)]}), encoding="utf-8")
    code, _, err = run(["import", late.name, "--data", data], tmp_path)
    assert problem_lines(err) == ["june.json: dataValues[0].period: HI_CARDS 2017 of Thị trấn Cam Lộ (19597): 2017's "
                                  "figures stop on 31/05/2017 (catalog/periods.yaml): period 201706 is after it"]


def test_a_conflict_with_the_store_is_refused_then_replaced_as_an_update(tmp_path):
    data = project(tmp_path, mapping=None)
    path = tmp_path / "changed.csv"
    path.write_text("dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\n"
                    "CHILDREN,2022,19597,default,default,3391,admin,2023-01-10,corrected,false\n", encoding="utf-8")
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert code == 1
    assert problem_lines(err)[0].startswith("changed.csv: it gives the year(s) 2022, and 1 of its 1 figures differ")
    assert problem_lines(err)[1:] == [
        "changed.csv:2: column 'value': conflicts with the stored value 3390 (data/values/cam-lo-2022.csv:2, source "
        "data/generate.py): this return has 3391 (check the year first: see this return's first line)"]
    # the year's note heads the conflict; it is no value's conflict of its own: one value, one conflict
    assert "status ERROR, importCount imported 0, updated 0, ignored 1, deleted 0; conflicts 1" in out
    code, out, err = run(["import", path.name, "--data", data, "--replace"], tmp_path)
    assert (code, err) == (0, "")
    assert "status SUCCESS, importCount imported 0, updated 1, ignored 0, deleted 0; conflicts 0" in out
    assert "CHILDREN,2022,19597,default,3391,changed.csv:2," in (data / "values" / "cam-lo-2022.csv").read_text(
        encoding="utf-8")


def test_import_json_is_dhis2s_import_summary_with_its_conflicts(tmp_path):
    data = project(tmp_path, mapping=None)
    path = tmp_path / "changed.csv"
    path.write_text("dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\n"
                    "CHILDREN,2022,19597,default,default,3391,admin,2023-01-10,corrected,false\n"
                    "CHILDREN,2023,19597,default,default,3402,admin,2024-01-10,,false\n", encoding="utf-8")
    before = tree_hashes(data)
    code, out, err = run(["import", path.name, "--data", data, "--json"], tmp_path)
    summary = json.loads(out)
    assert code == 1 and err.startswith("evaltools: error: import refused: 2 problem(s)") and err.count("\n") == 1
    assert (summary["responseType"], summary["status"], summary["dryRun"]) == ("ImportSummary", "ERROR", False)
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0}
    assert summary["conflicts"][1] == {"object": "changed.csv:2:value", "value": (
        "conflicts with the stored value 3390 (data/values/cam-lo-2022.csv:2, source data/generate.py): this return "
        "has 3391 (check the year first: see this return's first line)")}
    assert tree_hashes(data) == before
    code, out, err = run(["import", path.name, "--data", data, "--json", "--replace"], tmp_path)
    summary = json.loads(out)
    assert (code, err, summary["status"], summary["conflicts"]) == (0, "", "SUCCESS", [])
    assert summary["importCount"] == {"imported": 1, "updated": 1, "ignored": 0, "deleted": 0}


def test_json_is_told_by_its_content_and_broken_json_is_one_line(tmp_path):
    data = project(tmp_path, mapping=None)
    named_csv = tmp_path / "from-dhis2.csv"
    named_csv.write_text('{"dataValues": [{"dataElement": "GIFTS", "period": "2023", "orgUnit": "19600", '
                         '"value": "41", "comment": "s\\u00f4\\u0301 li\\u00ea\\u0323u"}]}', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"dataValues": [\n  {"dataElement": "GIFTS",\n  "period": 2023\n}', encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text('{"rows": []}', encoding="utf-8")
    code, _, err = run(["import", named_csv.name, broken.name, other.name, "--data", data], tmp_path)
    assert problem_lines(err) == [
        "broken.json: not valid JSON (line 4, column 2: Expecting ',' delimiter)",
        'other.json: a JSON file but not a DHIS2 data value set: expected an object with "dataValues", a list of '
        'data values ({"dataElement", "period", "orgUnit", "value", ...})']
    code, _, err = run(["import", named_csv.name, "--data", data], tmp_path)
    assert (code, err) == (0, "")
    # the comment's escaped decomposed letters are stored composed (NFC)
    assert returns(data, 2023) == ["GIFTS,2023,19600,default,41,from-dhis2.csv[dataValues]:0,số liệu"]


def test_a_file_of_bad_values_gives_twenty_lines_and_a_count(tmp_path):
    data = project(tmp_path, mapping=None)
    path = tmp_path / "many.csv"
    rows = ["dataelement,period,orgunit,catoptcombo,attroptcombo,value", "GIFTS,2023"]
    rows += [f"GIFTS,2023,ou{n:09d},,,1" for n in range(30)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run(["import", path.name, "--data", data], tmp_path)
    lines = problem_lines(err)
    assert code == 1 and len(lines) == 21
    assert lines[0] == ("many.csv:2: expected at least dataelement, period, orgunit (then catoptcombo, attroptcombo, "
                        "value...), found 2 cell(s)")
    assert lines[1] == ("many.csv:3: column 'orgunit': unknown org unit 'ou000000000': neither a GSO unit code nor "
                        "mapped in data/catalog/dhis2.yaml (org_units:)")
    assert lines[-1] == "many.csv: ... 11 more problems of DHIS2 values like these"


def test_a_missing_month_names_the_org_unit_and_its_option(tmp_path):
    data = project(tmp_path)
    path = tmp_path / "months.csv"      # traffic injuries of two communes; the second lacks July
    rows = ["dataelement,period,orgunit,catoptcombo,attroptcombo,value"]
    rows += [f"Ix2HsbDMLea,2023{m:02d},DiszpKrYNg8,V6L425pT3A0,,1" for m in range(1, 13)]
    rows += [f"Ix2HsbDMLea,2023{m:02d},19600,V6L425pT3A0,,1" for m in range(1, 13) if m != 7]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert code == 1
    assert problem_lines(err) == [
        "months.csv:14: column 'period': INJURIES (traffic) 2023 of Xã Cam Tuyền (19600): a flow's yearly figure adds "
        "up every month of 2023, and 202307 is missing or empty: send it (or the year's total); a partial sum would "
        "under-count"]


def test_a_duplicate_in_json_cites_the_other_value_by_its_index_in_csv_by_its_line(tmp_path):
    data = project(tmp_path, mapping=None)
    values = [{"dataElement": "GIFTS", "period": "2023", "orgUnit": "19600", "value": v} for v in ("41", "42")]
    (tmp_path / "d.json").write_text(json.dumps({"dataValues": [
        {"dataElement": "GIFTS", "period": "2023", "orgUnit": "19603", "value": "7"}, *values]}), encoding="utf-8")
    (tmp_path / "d.csv").write_text("dataelement,period,orgunit,catoptcombo,attroptcombo,value\n"
                                    "GIFTS,2023,19606,,,41\nGIFTS,2023,19606,,,42\n", encoding="utf-8")
    code, out, err = run(["import", "d.json", "d.csv", "--data", data], tmp_path)
    assert code == 1
    assert problem_lines(err) == [
        "d.json: dataValues[2].value: duplicate of d.json: dataValues[1] (GIFTS, 2023, 19600, default)",
        "d.csv:3: column 'value': duplicate of d.csv:2 (GIFTS, 2023, 19606, default)"]


def test_the_table_and_dhis2s_line_count_the_same_refused_values_by_one_name_each(tmp_path):
    data = project(tmp_path, mapping=None)
    path = tmp_path / "many.csv"        # more bad values than the twenty lines shown of each kind
    rows = ["dataelement,period,orgunit,catoptcombo,attroptcombo,value"]
    rows += [f"GIFTS,2023,ou{n:09d},,,1" for n in range(30)]               # unknown org units: refused on reading
    rows += [f"GIFTS,{2019 + n},19600,,,{n}.5" for n in range(5)]          # not whole: refused by the checks
    rows += ["GIFTS,2023,19603,,,4"]                                       # a good one
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert code == 1 and len(problem_lines(err)) == 20 + 1 + 5            # 20 shown, "... 10 more", 5
    lines = out.splitlines()
    table = dict(zip(lines[0].split()[-7:], lines[1].split()[-7:]))      # rows ... rejected
    assert (table["rows"], table["values"], table["rejected"]) == ("36", "36", "35")
    assert "importCount imported 0, updated 0, ignored 36, deleted 0; conflicts 35" in out
    assert lines[-1] == "REFUSED: 35 value(s) rejected, nothing was written"


def test_values_with_two_problems_each_count_once_however_long_the_lists(tmp_path):
    data = project(tmp_path, mapping=None)
    path = tmp_path / "twice.csv"       # 25 values, each sent twice and not whole: 50 values, two lists over 20
    rows = ["dataelement,period,orgunit,catoptcombo,attroptcombo,value"]
    rows += [f"GIFTS,{1990 + n},19600,,,{n}.5" for n in range(25)] * 2
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run(["import", path.name, "--data", data], tmp_path)
    assert code == 1
    lines = out.splitlines()
    table = dict(zip(lines[0].split()[-7:], lines[1].split()[-7:]))
    assert (table["values"], table["rejected"]) == ("50", "50")          # never more refused than sent
    assert lines[-1] == "REFUSED: 50 value(s) rejected, nothing was written"
