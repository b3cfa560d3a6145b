"""The analyst's day (issue 21): what a Jupyter user does without reading the README works.

Each test replays one step as the user takes it, with the real tools: the set-up script on a
clone, `git add` through the nbstripout filter, the .venv's papermill CLI (no ``-k``), the
``evaltools`` command line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from .clones import clone  # noqa: F401 - the set-up clone (a module fixture)
from .conftest import ROOT
from .test_notebooks import _lab_save, with_outputs

BIN = Path(sys.executable).parent
CT20 = ROOT / "programmes" / "ct20" / "review.ipynb"


def test_make_report_sets_the_filter_and_a_saved_notebook_is_committed_without_outputs(clone):
    notebook = clone / "programmes" / "ct20" / "review.ipynb"
    saved = _lab_save(notebook, clone)                  # JupyterLab's save after Run All
    shutil.move(saved, notebook)
    subprocess.run(["git", "add", str(notebook)], cwd=clone, check=True)
    staged = nbformat.reads(subprocess.run(["git", "show", ":programmes/ct20/review.ipynb"], cwd=clone,
                                           capture_output=True, text=True, check=True).stdout, as_version=4)
    working = nbformat.read(notebook, as_version=4)
    assert sum(bool(c.outputs) for c in working.cells if c.cell_type == "code") > 10    # the file keeps them
    assert [c.outputs for c in staged.cells if c.cell_type == "code"] == \
           [[] for c in staged.cells if c.cell_type == "code"]
    assert with_outputs(notebook, clone) == ""          # what test_no_outputs_committed reads: the commit


def test_a_notebook_committed_with_outputs_is_named_with_what_to_do(clone):
    notebook = clone / "notebooks" / "explore.ipynb"
    code = [n for n, c in enumerate(nbformat.read(notebook, as_version=4).cells, 1) if c.cell_type == "code"]
    shutil.move(_lab_save(notebook, clone), notebook)
    subprocess.run(["git", "-c", "filter.nbstripout.clean=cat", "add", str(notebook)], cwd=clone, check=True)
    line = with_outputs(notebook, clone)
    assert line.startswith(f"notebooks/explore.ipynb: committed with outputs (cells {', '.join(map(str, code[:5]))}…)")
    assert "scripts/setup.sh" in line and "git add notebooks/explore.ipynb" in line


def test_the_kernel_the_notebooks_name_is_registered_in_the_project_venv(clone):
    spec = json.loads((ROOT / ".venv" / "share" / "jupyter" / "kernels" / "evaltools" / "kernel.json").read_text())
    assert spec["argv"][0] == str((ROOT / ".venv").resolve() / "bin" / "python")
    assert spec["display_name"] == "evaltools (.venv)"


def test_run_refuses_an_english_copy_that_would_miss_a_vietnamese_section(tmp_path):
    nb = nbformat.read(CT20, as_version=4)
    four = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## IV.") and "en" in c.metadata.tags)
    nb.cells.insert(four + 2, nbformat.v4.new_markdown_cell("## V. KẾT LUẬN", metadata={"tags": ["vi"]}))
    notebook = tmp_path / "review.ipynb"
    nbformat.write(nb, notebook)
    done = subprocess.run([str(BIN / "evaltools"), "run", "ct20-2012-2017", "--lang", "en", "--to", "html",
                           "--notebook", str(notebook), "--out", str(tmp_path / "out"), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"cell {four + 3}: heading '## V. KẾT LUẬN' (tagged vi) has no en twin" in done.stderr
    assert not (tmp_path / "out" / "ct20-2012-2017").exists()


PLAIN_TABLE = ('import pandas as pd\n'
               'pd.DataFrame({"unit_name": ["Xã Cam An", "Xã Cam Thành"], "rate": [1.24, 0.5],'
               ' "amount": [3667005000, None], "year": [2016, 2017]})')


def test_a_plain_dataframe_in_a_report_is_written_the_vietnamese_way(tmp_path):
    nb = nbformat.read(CT20, as_version=4)
    four = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## IV.") and "en" in c.metadata.tags)
    nb.cells.insert(four + 1, nbformat.v4.new_code_cell(PLAIN_TABLE, metadata={"tags": ["remove-input"]}))
    notebook = tmp_path / "review.ipynb"
    nbformat.write(nb, notebook)
    done = subprocess.run([str(BIN / "evaltools"), "run", "ct20-2012-2017", "--to", "html", "--notebook",
                           str(notebook), "--out", str(tmp_path / "out"), "--quiet"], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out" / "ct20-2012-2017" / "report.html").read_text(encoding="utf-8")
    table = html[html.index("Đơn vị hành chính") - 2000:][:4000]
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", table)
    start = cells.index("Đơn vị hành chính")
    assert cells[start:start + 12] == ["Đơn vị hành chính", "rate", "amount", "Năm",
                                       "Xã Cam An", "1,24", "3.667.005.000", "2016",
                                       "Xã Cam Thành", "0,50", "–", "2017"]


def test_a_plain_dataframe_in_an_english_report_keeps_its_named_index_and_english_separators():
    import pandas as pd

    from evaltools.report.display import presented
    from evaltools.model.texts import load_texts

    frame = pd.DataFrame({"value": [1234.5, 2.0], "partial": [True, False]},
                         index=pd.Index(["Cam An commune", "Cam Hiếu commune"], name="unit_name"))
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", presented(frame, load_texts("en")).to_html())
    assert cells == ["Administrative unit", "Value", "Part of a year",
                     "Cam An commune", "1,234.5", "yes", "Cam Hiếu commune", "2.0", "no"]


def test_a_hand_written_config_missing_a_key_names_the_key_and_the_file(tmp_path):
    from .conftest import make_project

    make_project(tmp_path)
    (tmp_path / "data").mkdir()
    for name in ("catalog", "values"):
        (tmp_path / "data" / name).symlink_to(ROOT / "data" / name)
    reviews = tmp_path / "data" / "reviews"
    reviews.mkdir()
    text = (ROOT / "data" / "reviews" / "injury-hi-2022.yaml").read_text(encoding="utf-8")
    start = text.index("issuing_office:")
    (reviews / "mine.yaml").write_text(text[:start] + text[text.index("place:"):], encoding="utf-8")
    done = subprocess.run([str(BIN / "evaltools"), "validate", "data/reviews/mine.yaml"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "data/reviews/mine.yaml:6: key 'issuing_office': required but missing" in done.stderr, done.stderr


def test_new_programme_copies_no_outputs_and_names_itself(tmp_path):
    from .conftest import make_project

    make_project(tmp_path, copy=True)
    source = tmp_path / "programmes" / "ct20" / "review.ipynb"
    shutil.move(_lab_save(source, tmp_path), source)          # the source saved after Run All
    done = subprocess.run([str(BIN / "evaltools"), "new-programme", "road-safety", "--from", "ct20"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "programmes" / "road-safety"
    nb = nbformat.read(copy / "review.ipynb", as_version=4)
    assert [(c.outputs, c.execution_count) for c in nb.cells if c.cell_type == "code"] == \
           [([], None)] * sum(c.cell_type == "code" for c in nb.cells)
    for name in ("programme.yaml", "style/report.css"):
        head = (copy / name).read_text(encoding="utf-8").splitlines()[0]
        assert "Programme road-safety, copied from ct20:" in head and "Programme ct20:" not in head


@pytest.fixture(scope="module")
def first_review(tmp_path_factory):
    """A new programme's first review, as the README's three commands make it (nothing edited)."""
    from .conftest import make_project

    root = tmp_path_factory.mktemp("programme")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns(".columnar"))
    make_project(root, copy=True)
    steps = [["new-programme", "road-safety", "--from", "injury-hi"],
             ["new-review", "--programme", "road-safety", "--first", "2022", "--last", "2022"],
             ["run", "road-safety-2022", "--to", "html", "--quiet"]]
    done = [subprocess.run([str(BIN / "evaltools"), *step], cwd=root, capture_output=True, text=True)
            for step in steps]
    return root, done


def test_a_new_programmes_first_review_in_three_commands(first_review):
    root, done = first_review
    assert [d.returncode for d in done] == [0, 0, 0], [d.stderr for d in done]
    config = yaml.safe_load((root / "data" / "reviews" / "road-safety-2022.yaml").read_text(encoding="utf-8"))
    source = yaml.safe_load((root / "data" / "reviews" / "injury-hi-2022.yaml").read_text(encoding="utf-8"))
    assert (config["id"], config["programme"], config["status"]) == ("road-safety-2022", "road-safety", "draft")
    assert (config["first_year"], config["last_year"], config["number"]) == (2022, 2022, None)
    assert "predecessor" not in config                          # a first review compares with nothing
    assert config["signer"] == source["signer"] and config["issuing_office"] == source["issuing_office"]
    # the data's cut-off, signed as long after it as injury-hi-2022 was (10 days)
    assert (str(config["cutoff"]), str(config["date"])) == ("2022-12-31", "2023-01-10")
    html = (root / "outputs" / "road-safety-2022" / "report.html").read_text(encoding="utf-8")
    assert "Số: …/BC-…" in html and "DỰ THẢO" in html


def test_final_refuses_a_review_without_a_register_number_or_with_one_taken(first_review):
    root, _ = first_review
    final = [str(BIN / "evaltools"), "run", "road-safety-2022", "--final", "--to", "html", "--quiet"]
    missing = subprocess.run(final, cwd=root, capture_output=True, text=True)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1, missing.stderr
    assert "road-safety-2022 (data/reviews/road-safety-2022.yaml): no register number (number:)" in missing.stderr
    config = root / "data" / "reviews" / "road-safety-2022.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^number:.*$", "number: 03/BC-LĐTBXH", text), encoding="utf-8")
    taken = subprocess.run(final, cwd=root, capture_output=True, text=True)
    assert taken.returncode == 1 and taken.stderr.count("\n") == 1, taken.stderr
    assert ("road-safety-2022 (data/reviews/road-safety-2022.yaml): register number 03/BC-LĐTBXH is already used "
            "by injury-hi-2022 (data/reviews/injury-hi-2022.yaml), same office and year 2023") in taken.stderr


def test_an_output_the_last_run_did_not_render_is_marked_stale_in_the_manifest_and_the_index(first_review):
    root, _ = first_review
    folder = root / "outputs" / "road-safety-2022"
    before = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))   # the --to html run
    done = subprocess.run([str(BIN / "evaltools"), "run", "road-safety-2022", "--to", "DOCX", "--quiet"], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert after["stale"] == [{"file": "report.html", "rendered": before["finished"],
                               "store": before["store"]["sha256"]}]
    assert (folder / "report.html").is_file() and "report.html" not in {o["file"] for o in after["outputs"]}
    index = (root / "outputs" / "index.html").read_text(encoding="utf-8")
    row = index[index.index("road-safety-2022"):]
    row = row[:row.index("</tr>")]
    links = re.findall(r'<a href="road-safety-2022/([^"]+)">([^<]+)</a>', row)
    assert ("report.html", "HTML (cũ, chưa dựng lại · stale, not re-rendered)") in links
    assert ("report.docx", "Word") in links


def _commune_return_2022(data: Path, unit: str) -> tuple[str, int]:
    """A CSV return of ``unit`` for 2022 repeating every stored figure of its own (no category), the first one
    corrected by +1; and how many figures it holds."""
    import pandas as pd

    stored = pd.read_csv(data / "values" / "cam-lo-2022.csv", dtype={"unit": str})
    mine = stored[(stored["unit"] == unit) & (stored["category"] == "default")].drop_duplicates("element")
    values = [f"{v:g}" for v in mine["value"]]
    values[0] = f"{mine['value'].iloc[0] + 1:g}"
    return (f"Năm báo cáo;2022\nUNIT;{';'.join(mine['element'])}\n{unit};{';'.join(values)}\n", len(mine))


def test_correcting_one_figure_is_not_taken_for_next_years_return(tmp_path):
    from .test_intake_support import data_copy, problem_lines, run

    data = data_copy(tmp_path)
    text, total = _commune_return_2022(data, "19600")
    assert total >= 10
    (tmp_path / "sua.csv").write_text(text, encoding="utf-8")
    code, _, err = run(["import", "sua.csv", "--data", data], tmp_path)
    note = problem_lines(err)[0]
    assert code == 1 and "nothing is stored yet" not in note
    found = re.match(r"sua\.csv:1: its year cell Năm báo cáo \(B1\) says 2022, and 1 of its (\d+) figures differ "
                     r"from the 2022 figures already stored", note)
    assert found and int(found.group(1)) >= total - 1, note
    assert note.endswith("If it corrects the stored 2022 figures, import again with --replace; if it holds another "
                         "year's figures, correct its year and import again")


def test_a_misspelt_commune_name_on_a_row_with_its_right_code_is_read_by_the_code_with_a_warning(tmp_path):
    import pandas as pd

    from .test_intake_support import data_copy, run

    data = data_copy(tmp_path)
    stored = pd.read_csv(data / "values" / "cam-lo-2022.csv", dtype={"unit": str})
    children = stored[(stored["unit"] == "19600") & (stored["element"] == "CHILDREN")]["value"].iloc[0]
    (tmp_path / "r.csv").write_text(f"Năm báo cáo;2022\nUNIT;UNIT_NAME;CHILDREN\n19600;Xã Cam Tuyềnn;{children}\n",
                                    encoding="utf-8")
    code, out, err = run(["import", "r.csv", "--data", data, "--dry-run"], tmp_path)
    assert (code, err) == (0, "")
    assert out.splitlines()[1].split()[8:12] == ["0", "1", "0", "0"]      # added unchanged replaced rejected
    assert ("r.csv: row 3: unit name 'Xã Cam Tuyềnn' is no unit's name; read by its code 19600 as "
            "Xã Cam Tuyền (19600): correct the name in the return") in out.splitlines()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "evaltools"), *args], cwd=ROOT, capture_output=True, text=True)


def test_a_subcommands_unknown_option_gets_its_usage_and_the_option_it_has():
    done = _cli("run", "ct20-2012-2017", "--format", "pdf")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: evaltools run ")
    assert done.stderr.splitlines()[-1] == ("evaltools run: error: unrecognized arguments: --format pdf; "
                                            "did you mean --to?")
    typo = _cli("validate", "ct20-2012-2017", "--jsn")
    assert typo.stderr.startswith("usage: evaltools validate ") and typo.stderr.endswith("did you mean --json?\n")


def test_a_year_out_of_range_is_one_line_not_an_internal_error(tmp_path):
    done = subprocess.run([str(BIN / "evaltools"), "template", "20233", "--out", str(tmp_path / "t.xlsx")], cwd=ROOT,
                          capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (1, "evaltools: error: template 20233: expected a year such as 2023 "
                                                 "(1900 to 2100); nothing was written\n")
    assert not (tmp_path / "t.xlsx").exists()


def test_validate_and_indicators_print_json(tmp_path):
    import pandas as pd

    done = _cli("validate", "injury-hi-2022", "--json")
    found = json.loads(done.stdout)
    assert (done.returncode, found["review"], found["exit_code"]) == (0, "injury-hi-2022", 0)
    assert found["findings"] == {"high": 0, "medium": 0, "low": 0} and found["items"] == []
    done = _cli("indicators", "injury-hi-2022", "--json", "--out", str(tmp_path))
    rows = json.loads(done.stdout)["rows"]
    written = pd.read_csv(tmp_path / "injury-hi-2022" / "indicators.csv", dtype=str)
    assert len(rows) == len(written) and {r["indicator"] for r in rows} == set(written["indicator"])


def test_explore_table_keeps_a_year_asked_for_without_data():
    import pandas as pd

    from evaltools import explore, report
    from evaltools.explore.show import formatted

    data = report.load("ct20-2012-2022")
    wide = explore.table(explore.values(data, element="CHILDREN", years=range(2020, 2025)))
    assert list(wide.columns) == [2020, 2021, 2022, 2023, 2024]
    assert wide[[2023, 2024]].isna().all().all() and set(formatted(wide)[2024]) == {"–"}
    stored = pd.read_csv(ROOT / "data" / "values" / "cam-lo-2022.csv", dtype={"unit": str})
    assert wide[2022].sum() == stored.loc[stored["element"] == "CHILDREN", "value"].sum()


@pytest.fixture(scope="module")
def thin_return(tmp_path_factory):
    """The sample with Xã Cam Thủy's 2016 return cut to 4 elements; that return's elements and the year's
    form (every commune-level element some commune reported in 2016; level as data/README.md says: commune unless
    data_elements.yaml says district)."""
    import pandas as pd

    from .conftest import make_project

    root = tmp_path_factory.mktemp("thin")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns(".columnar"))
    make_project(root)
    path = root / "data" / "values" / "cam-lo-2016.csv"
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    levels = {e["code"]: e.get("level", "commune") for e in yaml.safe_load((ROOT / "data" / "catalog" / "data_elements.yaml")
                                                           .read_text(encoding="utf-8"))["elements"]}
    kept = sorted(rows.loc[rows["unit"] == "19606", "element"].unique())[:4]
    rows = rows[(rows["unit"] != "19606") | rows["element"].isin(kept)]
    rows.to_csv(path, index=False)
    communes = rows[rows["element"].map(levels) == "commune"]
    form = communes["element"].nunique()
    return root, len(kept), form


def test_explore_completeness_counts_elements_and_tells_a_unit_that_did_not_exist(thin_return):
    from evaltools import explore, report
    from evaltools.explore.show import formatted

    root, sent, form = thin_return
    data = report.load(root / "data" / "reviews" / "ct20-2012-2022.yaml")
    shares = explore.completeness(data)
    assert shares.at["19606 Xã Cam Thủy", 2016] == pytest.approx(sent / form)
    assert shares.at["19606 Xã Cam Thủy", 2015] == 1.0
    shown = formatted(shares)
    assert shown.at["19606 Xã Cam Thủy", 2016] == f"{round(100 * sent / form)} %"
    assert shown.at["19609 Xã Cam Thanh", 2021] == "không tồn tại"      # merged into Thanh An in 2020
    assert shown.at["19609 Xã Cam Thanh", 2019] == "100 %"


def test_explore_findings_write_every_missing_value_one_way(thin_return):
    from evaltools import explore, report
    from evaltools.explore.show import formatted

    root, _, _ = thin_return
    found = explore.findings(report.load(root / "data" / "reviews" / "ct20-2012-2022.yaml"))
    shown = formatted(found)
    assert len(found) > 0 and found.isna().any().any()
    assert not shown.isin(["nan", "<NA>", "None", "NaN"]).any().any()
    assert (shown[found["line"].isna().to_numpy()]["line"] == "–").all()


def test_list_shows_the_reviews_and_programmes_of_the_project():
    done = _cli("list", "--json")
    found = json.loads(done.stdout)
    configs = sorted(p.stem for p in (ROOT / "data" / "reviews").glob("*.yaml"))
    assert [r["id"] for r in found["reviews"]] == configs
    sample = next(r for r in found["reviews"] if r["id"] == "ct20-2012-2017")
    assert (sample["programme"], sample["years"], sample["status"], sample["number"]) == \
        ("ct20", "2012–2017", "final", "45/BC-LĐTBXH")
    programmes = {p["id"]: p["reviews"] for p in found["programmes"]}
    assert programmes["injury-hi"] == ["injury-hi-2022"] and "ct20-2012-2017" in programmes["ct20"]
    table = _cli("list").stdout.splitlines()
    assert table[0].split() == ["review", "programme", "years", "status", "number", "rendered"]


def test_a_parameters_file_is_read_as_papermills_f(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text("top: 5\n", encoding="utf-8")
    done = _cli("run", "ct20-2012-2017", "-f", str(params), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "has no parameter 'top'" in done.stderr      # read, and checked like -p
    params.write_text("top: [1, 2]\n", encoding="utf-8")
    done = _cli("run", "ct20-2012-2017", "-f", str(params), "--out", str(tmp_path / "out"))
    assert (done.returncode, done.stderr.count("\n")) == (1, 1)
    assert f"{params}: key 'top': expected a number, true/false or a text, found list" in done.stderr


def test_the_notebook_test_names_a_heading_without_its_twin(tmp_path):
    from .test_notebooks import test_report_code_is_hidden_by_tags_and_every_heading_has_both_languages as check

    nb = nbformat.read(CT20, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("## V. KẾT LUẬN", metadata={"tags": ["vi"]}))
    path = ROOT / "programmes" / "ct20" / f".lone-{os.getpid()}.ipynb"     # named as the test names notebooks
    nbformat.write(nb, path)
    try:
        with pytest.raises(AssertionError) as failed:
            check(path)
    finally:
        path.unlink()
    assert (f"programmes/ct20/{path.name}, cell {len(nb.cells)}: heading '## V. KẾT LUẬN' (tagged vi) has no en "
            "twin") in str(failed.value)


def test_the_first_review_takes_three_commands_and_two_edited_files(first_review):
    """The count issue 21 asks for: new-programme, new-review, run (3 commands) and the two narrative skeletons
    new-review wrote (2 files edited); the edited Vietnamese text is in the rendered report."""
    root, done = first_review
    skeletons = re.findall(r"^(\S+\.md): narrative skeleton \((vi|en)\)", done[1].stdout, re.M)
    assert sorted(lang for _, lang in skeletons) == ["en", "vi"], done[1].stdout
    said = {"vi": "Năm 2022, các xã ven sông mở lớp dạy bơi cho trẻ em.",
            "en": "In 2022, the riverside communes ran swimming classes for children."}
    for name, lang in skeletons:                # the analyst writes the first part of each
        path = root / name
        lines = path.read_text(encoding="utf-8").splitlines()
        first = next(i for i, line in enumerate(lines) if re.match(r"^## .*\{#\w+\}\s*$", line))
        lines[first + 1:first + 1] = ["", said[lang]]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run([str(BIN / "evaltools"), "run", "road-safety-2022", "--to", "html", "--quiet"], cwd=root,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert len([d.args for d in done]) == 3 and len(skeletons) == 2
    assert said["vi"] in (root / "outputs" / "road-safety-2022" / "report.html").read_text(encoding="utf-8")
