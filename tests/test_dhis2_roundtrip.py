"""The DHIS2 round trip, by the real command line in subprocesses: export a review's data values as a DHIS2
data value set, import them into an empty copy of the project, recompute: the indicators are identical.

Also what `export dhis2` writes for DHIS2: the indicators' yearly values, missing ones left out, partial years
said in the comment, and DHIS2 identifiers through the mapping file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from evaltools.model.catalog import load_catalog

from .conftest import ROOT, make_project


def cli(*args, cwd) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "evaltools", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done


def copy_project(root, empty: bool):
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("*.csv") if empty else None)
    (root / "data" / "values").mkdir(exist_ok=True)
    make_project(root)
    return root


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The sample project, and its ten-year review's data values and indicators exported for DHIS2."""
    project = copy_project(tmp_path_factory.mktemp("full"), empty=False)
    cli("export", "dhis2", "ct20-2012-2022", "--what", "all", cwd=project)
    return project


def indicators(project, review) -> str:
    cli("indicators", review, cwd=project)
    return (project / "outputs" / review / "indicators.csv").read_text(encoding="utf-8")


def test_round_trip_through_a_dhis2_json_set_gives_identical_indicators(exported, tmp_path):
    sent = exported / "outputs" / "ct20-2012-2022" / "dhis2-data.json"
    document = json.loads(sent.read_text(encoding="utf-8"))
    stored = sum(len(pd.read_csv(p)) for p in (ROOT / "data" / "values").glob("*.csv"))
    assert document["idScheme"] == "CODE" and len(document["dataValues"]) == stored     # every value, once
    cards = [v for v in document["dataValues"] if (v["dataElement"], v["period"], v["orgUnit"]) ==
             ("HI_CARDS", "2017", "19597")]
    assert [v["comment"] for v in cards] == ["partial year: figures to 31/05/2017"]
    empty = copy_project(tmp_path, empty=True)
    done = cli("import", sent, cwd=empty)
    assert (f"import summary (DHIS2): status SUCCESS, importCount imported {stored}, updated 0, ignored 0, "
            "deleted 0; conflicts 0") in done.stdout
    for review in ("ct20-2012-2022", "ct20-2012-2017"):
        assert indicators(empty, review) == indicators(exported, review), review


def uid(kind: str, code: str) -> str:
    """A made-up DHIS2 UID (a letter and ten letters or digits), stable per code."""
    digest = hashlib.sha256(f"{kind}:{code}".encode()).hexdigest()
    return "a" + "".join(c if c.isdigit() else c.upper() for c in digest[:10])


def mapping_for(data) -> str:
    catalog = load_catalog(data / "catalog")
    return "# made-up DHIS2 UIDs of every code (test)\n" + yaml.safe_dump({
        "data_elements": {uid("de", c): c for c in [*catalog.elements.index, *catalog.indicators.index]},
        "category_option_combos": {"HllvX50cXC0": "default",
                                   **{uid("coc", c): c for c in catalog.options["option"].unique()}},
        "org_units": {uid("ou", c): str(c) for c in catalog.units["code"].unique()}}, sort_keys=False)


def test_round_trip_through_dhis2_csv_with_uids_from_the_mapping_file(tmp_path):
    full = copy_project(tmp_path / "full", empty=False)
    empty = copy_project(tmp_path / "empty", empty=True)
    for project in (full, empty):
        (project / "data" / "catalog" / "dhis2.yaml").write_text(mapping_for(project / "data"), encoding="utf-8")
    cli("export", "dhis2", "ct20-2012-2017", "--what", "data", "--format", "csv", "--ids", "mapped", cwd=full)
    sent = full / "outputs" / "ct20-2012-2017" / "dhis2-data.csv"
    lines = sent.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup"
    children = f"{uid('de', 'CHILDREN')},2012,{uid('ou', '19597')},HllvX50cXC0,,"     # the default, by its UID
    assert sum(line.startswith(children) for line in lines) == 1
    cli("import", sent, cwd=empty)
    assert indicators(empty, "ct20-2012-2017") == indicators(full, "ct20-2012-2017")


def test_the_indicator_set_holds_yearly_values_only_with_partial_years_said(exported):
    document = json.loads((exported / "outputs" / "ct20-2012-2022" / "dhis2-indicators.json").read_text("utf-8"))
    table = pd.read_csv(exported / "outputs" / "ct20-2012-2022" / "indicators.csv", dtype={"unit": str})
    yearly = table[(table["aggregation"] == "year") & table["value"].notna()]
    assert len(document["dataValues"]) == len(yearly)
    assert {v["period"] for v in document["dataValues"]} == {str(y) for y in range(2012, 2023)}
    by_key = {(v["dataElement"], v["period"], v["orgUnit"], v.get("categoryOptionCombo", "default")): v
              for v in document["dataValues"]}
    allowance = by_key[("ALLOWANCE", "2017", "468", "disabled")]      # the seed's 137 children, to 31/05/2017
    assert allowance == {"dataElement": "ALLOWANCE", "period": "2017", "orgUnit": "468",
                         "categoryOptionCombo": "disabled", "value": "137",
                         "comment": "partial year: figures to 31/05/2017"}
    missing = table[(table["aggregation"] == "year") & table["value"].isna()]
    assert len(missing) > 0
    for row in missing.itertuples():       # a missing figure is left out, never written as 0
        category = "default" if row.category == "total" else row.category
        assert (row.indicator, str(row.period), row.unit, category) not in by_key
    assert all(isinstance(v["value"], str) and v["value"] != "" for v in document["dataValues"])


def test_a_code_without_a_dhis2_identifier_refuses_the_mapped_export(exported):
    (exported / "data" / "catalog" / "dhis2.yaml").write_text("org_units:\n  DiszpKrYNg8: '19597'\n",
                                                                 encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "evaltools", "export", "dhis2", "annual-2022", "--ids", "mapped"],
                              cwd=exported, capture_output=True, text=True)
    finally:
        (exported / "data" / "catalog" / "dhis2.yaml").unlink()
    assert done.returncode == 1
    assert done.stderr.startswith("evaltools: error: data/catalog/dhis2.yaml: data_elements: no DHIS2 identifier for ")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (exported / "outputs" / "annual-2022" / "dhis2-indicators.json").exists()


def test_codes_with_the_mapping_files_category_option_combos(exported):
    """--ids combos: elements and org units by code, the combos (which DHIS2 seldom codes) by their UIDs."""
    options = load_catalog(exported / "data" / "catalog").options["option"].unique()
    combos = {"HllvX50cXC0": "default", **{uid("coc", c): c for c in options}}
    mapping = exported / "data" / "catalog" / "dhis2.yaml"
    try:
        mapping.write_text(yaml.safe_dump({"category_option_combos": combos}), encoding="utf-8")
        done = cli("export", "dhis2", "ct20-2012-2022", "--what", "data", "--ids", "combos", "--out",
                   exported / "combos", cwd=exported)
        mapping.write_text(yaml.safe_dump({"category_option_combos": {"Prlt0C1RF0s": "drowning"}}), encoding="utf-8")
        refused = subprocess.run([sys.executable, "-m", "evaltools", "export", "dhis2", "ct20-2012-2022", "--what",
                                  "data", "--ids", "combos", "--out", exported / "none"], cwd=exported,
                                 capture_output=True, text=True)
    finally:
        mapping.unlink()
    document = json.loads((exported / "combos" / "ct20-2012-2022" / "dhis2-data.json").read_text("utf-8"))
    assert {k: v for k, v in document.items() if k.endswith("IdScheme")} == {
        "dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE", "categoryOptionComboIdScheme": "UID"}
    assert "dataElementIdScheme CODE" in done.stdout
    coded = json.loads((exported / "outputs" / "ct20-2012-2022" / "dhis2-data.json").read_text("utf-8"))
    uids = {v: k for k, v in combos.items()}
    # the same values, only the combos told by their UIDs (the default one named too)
    assert sorted(json.dumps({**v, "categoryOptionCombo": uids[v.get("categoryOptionCombo", "default")]},
                             sort_keys=True) for v in coded["dataValues"]) == \
        sorted(json.dumps(v, sort_keys=True) for v in document["dataValues"])
    assert {"drowning", "traffic"} <= {v.get("categoryOptionCombo") for v in coded["dataValues"]}
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "data/catalog/dhis2.yaml: category_option_combos: no DHIS2 identifier for " in refused.stderr
