"""`evaltools validate REVIEW` checks what the review reads; `validate REVIEW --store` checks every row.

A synthetic country of two provinces (one district each, 2021–2022): a value no check can accept
is put in the other province's file, then in the district's own; the real command line is run.
"""

from __future__ import annotations

import json
import subprocess

import pandas as pd
import pytest
import yaml

from .sample import write_province


def spoil(path, unit: str) -> int:
    """Make one GIFTS value of ``unit`` in ``path`` unreadable ("many"); its line number in the file."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.index[(frame["element"] == "GIFTS") & (frame["unit"] == unit)][0]
    frame.loc[row, "value"] = "many"
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return int(row) + 2


def validate(python, root, config, *more) -> tuple[int, list[dict]]:
    done = subprocess.run([python, "-m", "evaltools", "validate", str(config), "--json", *more],
                          capture_output=True, text=True, cwd=root)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr[-2000:]
    return done.returncode, json.loads(done.stdout)["items"]


@pytest.fixture()
def country(tmp_path):
    config = write_province(tmp_path, districts=1, first_year=2021, last_year=2022, seed=5, provinces=2)
    units = pd.DataFrame(yaml.safe_load((tmp_path / "catalog" / "org_units.yaml").read_text(
        encoding="utf-8"))["units"])
    commune = {d: units.loc[units["parent"] == d, "code"].iloc[0] for d in ("0101", "0201")}
    return tmp_path, config, commune


def test_a_bad_row_in_another_province_is_left_to_the_whole_store_check(country, python, root):
    folder, config, commune = country
    line = spoil(folder / "values" / "province-02-2022.csv", commune["0201"])
    code, items = validate(python, root, config)                          # the review of district 0101
    assert code == 0 and not [i for i in items if i["kind"] == "schema"], items
    code, items = validate(python, root, config, "--store")
    schema = [i for i in items if i["kind"] == "schema"]
    assert code == 1 and [(i["file"].rsplit("/", 1)[-1], i["line"], i["unit"]) for i in schema] == [
        ("province-02-2022.csv", line, commune["0201"])]


def test_a_bad_row_the_review_reads_is_named_by_both(country, python, root):
    folder, config, commune = country
    line = spoil(folder / "values" / "province-01-2021.csv", commune["0101"])
    for more in ((), ("--store",)):
        code, items = validate(python, root, config, *more)
        schema = [i for i in items if i["kind"] == "schema"]
        assert code == 1 and [(i["file"].rsplit("/", 1)[-1], i["line"]) for i in schema] == [
            ("province-01-2021.csv", line)], more
