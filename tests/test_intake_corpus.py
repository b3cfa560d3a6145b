"""Every bad return of the corpus is refused with its expected problems, and nothing changes.

The cases are listed in tests/corpus/intake/manifest.yaml; committed inputs are
small files beside it, workbooks and the 50 MB file are generated here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import yaml

from evaltools.model.catalog import load_catalog
from evaltools.intake.columns import data_columns

from .conftest import ROOT
from .corpus_generators import GENERATORS
from .intake_support import data_copy, fill, problem_lines, run, set_cached, tree_hashes

CORPUS = ROOT / "tests" / "corpus" / "intake"
CASES = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["cases"]
BIG_ROWS = 1_560_000


def _template(folder: Path, data: Path, name: str, year: int = 2023) -> Path:
    out = folder / name
    code, _, err = run(["template", year, "--data", data, "--out", out], folder)
    assert code == 0, err
    return out


def truncated_xlsx(folder: Path, data: Path, name: str) -> None:
    full = fill(_template(folder, data, "whole.xlsx"), {("19612", "CHILDREN"): 1700})
    (folder / name).write_bytes(full.read_bytes()[: full.stat().st_size // 2])


def unfilled_template(folder: Path, data: Path, name: str) -> None:
    _template(folder, data, name)


def _with_formula(folder: Path, data: Path, name: str) -> Path:
    return fill(_template(folder, data, name), {("19612", "ALLOWANCE.disabled"): 15,
                                                ("19612", "ALLOWANCE_TOTAL"): "=SUM(E10:G10)"})


def formula_uncached(folder: Path, data: Path, name: str) -> None:
    _with_formula(folder, data, name)


def formula_error(folder: Path, data: Path, name: str) -> None:
    set_cached(_with_formula(folder, data, name), "H10", "#DIV/0!", error=True)


def date_cell(folder: Path, data: Path, name: str) -> None:
    fill(_template(folder, data, name), {("19612", "CHILDREN"): dt.datetime(2023, 1, 7)})


def bool_in_count(folder: Path, data: Path, name: str) -> None:
    fill(_template(folder, data, name), {("19612", "CHILDREN"): True})


def text_malformed(folder: Path, data: Path, name: str) -> None:
    fill(_template(folder, data, name), {("19612", "HI_CARDS_VALUE"): "23.0000.000"})


def _sheets(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)


def sheet_two_rows(folder: Path, data: Path, name: str) -> None:
    _sheets(folder / name, {"Cam Thủy": [["Năm báo cáo", 2023], ["CHILDREN", "CHILDREN_U6"], [1500, 560],
                                         [1510, 570]]})


def sheet_unknown_unit(folder: Path, data: Path, name: str) -> None:
    rows = lambda n: [["Năm báo cáo", 2023], ["CHILDREN", "CHILDREN_U6"], [n, 500]]  # noqa: E731
    _sheets(folder / name, {"Cam Thủy": rows(1500), "Cam Thuy": rows(1510)})


def big_csv(folder: Path, data: Path, name: str) -> None:
    """A national-scale long export: 12,000 more communes, 1.56 million values, the last one malformed."""
    units = data / "catalog" / "org_units.yaml"
    extra = "".join(f'  - {{code: "{30000 + i}", name: Xã Thử Nghiệm {i}, level: commune, parent: "468", '
                    f"valid_from: 2012-01-01}}\n" for i in range(12_000))
    units.write_text(units.read_text(encoding="utf-8") + extra, encoding="utf-8")
    columns = [c for c in data_columns(load_catalog(data / "catalog")) if c.level == "commune"]
    with open(folder / name, "w", encoding="utf-8", newline="") as fh:
        fh.write("element,period,unit,category,value,source,comment\n")
        written = 0
        for year in (2020, 2021, 2022):
            for i in range(12_000):
                take = min(len(columns), BIG_ROWS - written)
                fh.write("".join(f"{c.element},{year},{30000 + i},{c.category},{1 if c.value_type == 'boolean' else (i + j) % 97},,\n"
                                 for j, c in enumerate(columns[:take])))
                written += take
        assert written == BIG_ROWS
        fh.write("HI_CARDS_VALUE,2022,19597,default,23.0000.000,,\n")
    assert (folder / name).stat().st_size >= 50 * 2**20


def _digest(paths: list[Path]) -> list[str]:
    """Hashes of the inputs that are regular files (a pipe or a device is left unread)."""
    return [hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and not p.resolve().is_relative_to("/dev")
            else "" for p in paths]


def _peak_rss_mb(args: list[object], cwd: Path) -> tuple[int, str, int]:
    """Run the command line in a fresh interpreter; return (exit code, stderr, its peak memory in MB)."""
    code = ("import resource, sys\nfrom evaltools.cli import main\nrc = main(sys.argv[1:])\n"
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)\n"
            "sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, capture_output=True, text=True)
    body, _, peak = done.stderr.rpartition("PEAK ")
    return done.returncode, body, int(peak)


def _expected_line(lines: list[str], place: str, expect: dict) -> str:
    row, column = expect["row"], expect["column"]
    head = f"{place}:{row}: " if row is not None else f"{place}: "
    head += f"column '{column}': " if column else ""
    matching = [line for line in lines if line.startswith(head) and all(p in line for p in expect["parts"])]
    assert matching, f"no problem starting {head!r} with {expect['parts']} in:\n" + "\n".join(lines)
    return matching[0]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_return_is_refused_and_nothing_changes(case, tmp_path, monkeypatch, deadline):
    data = data_copy(tmp_path)
    folder = CORPUS
    for setting, value in case.get("env", {}).items():
        monkeypatch.setenv(setting, value)
    if "generate" in case:
        folder = tmp_path / "in"
        folder.mkdir()
        {**GENERATORS, **globals()}[case["generate"]](folder, data, case["file"])
    files = [folder / f for f in case.get("files", [case["file"]])]
    before, inputs = tree_hashes(data), _digest(files)
    args = ["import", *[f.name for f in files], "--data", data]
    if "memory_limit_mb" in case:
        code, err, peak = _peak_rss_mb(args, folder)
        assert peak < case["memory_limit_mb"], f"peak memory {peak} MB"
        out = ""
    else:
        code, out, err = run(args, folder)
    assert code == 1
    assert "Traceback" not in err and "internal error" not in err
    lines = problem_lines(err)
    for expect in case["expect"]:
        _expected_line(lines, expect.get("place", case["file"]), expect)
    if out:
        assert out.rstrip().splitlines()[-1].startswith("REFUSED: ")
    assert tree_hashes(data) == before, "the data folder changed"
    assert _digest(files) == inputs, "an input file changed"


def test_corpus_is_large_and_covers_every_kind_of_problem():
    counts = Counter(c["category"] for c in CASES)
    assert len(CASES) >= 95
    assert set(counts) >= {"encodings", "numbers", "units", "duplicates", "conflicts", "columns", "years",
                           "values", "formulas", "files", "limits"}
    committed = [c["file"] for c in CASES if "generate" not in c]
    assert all((CORPUS / f).stat().st_size < 4096 for f in committed)
    assert sorted(p.name for p in CORPUS.iterdir() if p.name != "manifest.yaml") == sorted(set(committed))
    assert all(zipfile.is_zipfile(CORPUS / f) is False for f in committed)
