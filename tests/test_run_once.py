"""`evaltools run` reads the store once and hands the notebooks a snapshot; a review may name its own notebook."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell

from evaltools.render import run

from .conftest import ROOT, make_project


@pytest.fixture()
def project(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_store_is_read_once_and_the_notebooks_never_read_it(project, monkeypatch):
    values, read = project / "data" / "values", []

    def once(*args, **kw):
        data = real(*args, **kw)
        read.append(data.review.id)
        return data

    def refuse(data, allow_invalid):                      # right after the read (and its lock) ends
        values.rename(values.with_name("values.moved"))     # from here on, nobody can read the store
        return real_refuse(data, allow_invalid)

    real, real_refuse = run.open_review, run._refuse_invalid
    monkeypatch.setattr(run, "open_review", once)
    monkeypatch.setattr(run, "_refuse_invalid", refuse)
    result = run.run_review("ct20-2012-2017", formats=("html",), out=project / "outputs")
    assert read == ["ct20-2012-2017"]
    page = (result.folder / "report.html").read_text(encoding="utf-8")
    assert "353 trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng" in re.sub(r"<[^>]+>", "", page)   # figures link to their facts
    assert "cam-lo-2017.csv" in page                             # appendix 2 lists the files it was computed from
    quality = (result.folder / "data_quality.html").read_text(encoding="utf-8")
    assert "Không phát hiện vấn đề nào trong số liệu." in quality
    manifest = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in manifest["inputs"] if e["role"] == "values"][-1] == "data/values/cam-lo-2017.csv"
    assert not list(result.folder.glob(".*"))                    # the snapshot is not an output


def test_a_review_names_its_own_notebook_and_batch_honours_it(project, python):
    notebook = nbformat.read(ROOT / "programmes" / "injury-hi" / "review.ipynb", as_version=4)
    notebook.cells.insert(3, new_markdown_cell("## Phụ chú riêng của huyện", metadata={"tags": ["vi"]}))
    nbformat.write(notebook, project / "data" / "reviews" / "my-review.ipynb")
    config = project / "data" / "reviews" / "injury-hi-2022.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "kind: annual", "notebook: my-review.ipynb\nkind: annual"), encoding="utf-8")
    done = subprocess.run([python, "-m", "evaltools", "batch", "injury-hi-2022", "--to", "html"],
                          capture_output=True, text=True, cwd=project)
    assert done.returncode == 0, done.stderr
    folder = project / "outputs" / "injury-hi-2022"
    assert "Phụ chú riêng của huyện" in (folder / "report.html").read_text(encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [e["path"] for e in manifest["inputs"] if e["role"] == "notebook"][0] == "data/reviews/my-review.ipynb"
    again = subprocess.run([python, "-m", "evaltools", "batch", "injury-hi-2022", "--to", "html"],
                           capture_output=True, text=True, cwd=project)
    assert "1 reviews: 0 done, 1 skipped, 0 failed" in again.stdout          # the notebook is in the fingerprint
