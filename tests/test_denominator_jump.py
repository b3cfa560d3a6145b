"""A denominator that jumps by ×5 or more from one year to the next is a high finding (data/README.md,
"Validation added for these"), unless the analyst confirms it in the rules file with the reason.

Cam Thủy's children typed 10× too large for 2020 (15.220 for 1.522): every rate of the commune would be
wrong, so `validate` exits 1 and `run` refuses; the elements checked come from the indicator catalog.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from evaltools.model.catalog import load_catalog
from evaltools.validation.outliers import denominators

from .conftest import ROOT, make_project
from .test_intake_support import data_copy


@pytest.fixture(scope="module")
def typo(tmp_path_factory):
    data = data_copy(tmp_path_factory.mktemp("jump"))
    store = data / "values" / "cam-lo-2020.csv"
    text = store.read_text(encoding="utf-8")
    assert "CHILDREN,2020,19606,default,1522," in text
    store.write_text(text.replace("CHILDREN,2020,19606,default,1522,", "CHILDREN,2020,19606,default,15220,"),
                     encoding="utf-8")
    return data


def cli(python, root, *args):
    return subprocess.run([python, "-m", "evaltools", *args], capture_output=True, text=True, cwd=root)


def test_the_denominators_are_read_from_the_indicator_catalog():
    catalog = load_catalog(ROOT / "data" / "catalog")
    # the catalog's own denominators, in plain words: every element named in a denominator formula
    want = set()
    for den in catalog.indicators["denominator"].dropna():
        want |= {w for w in den.replace("(", " ").replace(")", " ").replace("+", " ").replace("-", " ").split()
                 if w in catalog.elements.index}
    assert denominators(catalog) == want and "CHILDREN" in want


def test_a_tenfold_child_count_is_a_high_finding_that_blocks_the_run(typo, python):
    root = typo.parent
    done = cli(python, root, "validate", "ct20-2012-2022")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [l for l in done.stdout.splitlines() if "DENOMINATOR_JUMP" in l]
    assert len(lines) == 2, done.stdout          # up in 2020 (× 10), down in 2021 (× 0,1)
    assert any("15.220" in l and "2020" in l and "high" in l.lower() for l in lines), lines
    ran = cli(python, root, "run", "ct20-2012-2022", "--to", "html")
    assert ran.returncode == 1 and "Traceback" not in ran.stderr
    assert not (root / "outputs" / "ct20-2012-2022" / "report.html").exists()


def confirm(typo, tmp_path, entries: str) -> None:
    """A copy of the store with ``entries`` under ``confirmed:`` in its rules file."""
    shutil.copytree(typo, tmp_path / "data")
    make_project(tmp_path)
    rules = tmp_path / "data" / "catalog" / "validation_rules.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "\nconfirmed: []\n" in text                   # the sample's list, empty
    rules.write_text(text.replace("\nconfirmed: []\n", "\nconfirmed:\n" + entries), encoding="utf-8")


def test_a_confirmed_jump_is_reported_with_its_reason_and_does_not_block(typo, python, tmp_path):
    confirm(typo, tmp_path,
            '  - {unit: "19606", element: CHILDREN, year: 2020, reason: "checked with the commune: boundary change"}\n'
            '  - {unit: "19606", element: CHILDREN, year: 2021, reason: "checked with the commune: boundary undone"}\n')
    done = cli(python, tmp_path, "validate", "ct20-2012-2022")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "DENOMINATOR_JUMP" not in done.stdout
    assert "confirmed in the rules file: checked with the commune: boundary change" in done.stdout


def test_a_confirmation_of_an_unknown_unit_is_one_clear_line(typo, python, tmp_path):
    confirm(typo, tmp_path, '  - {unit: "99999", element: CHILDREN, year: 2020, reason: "typed"}\n')
    done = cli(python, tmp_path, "validate", "ct20-2012-2022")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [l for l in done.stderr.splitlines() if l.strip()]
    assert len(errors) == 1 and "validation_rules.yaml" in errors[0] and "'99999' is not in org_units.yaml" in errors[0]
