"""The data-quality page, and ``run`` refusing invalid data unless --allow-invalid (then page 1 says so)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from .browser import open_page
from .conftest import ROOT, make_project

SOURCE_NOTE = "báo cáo gốc ghi “23.0000.000”"


@pytest.fixture()
def data(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    make_project(tmp_path)
    return copy


def run(python, data, *args):
    return subprocess.run([python, "-m", "evaltools", "run", str(data / "reviews" / "ct20-2012-2017.yaml"),
                           "--out", str(data.parent / "outputs"), *args], capture_output=True, text=True, cwd=ROOT)


def type_source_typo(data) -> int:
    """Type the source's "23.0000.000" into the store, as an analyst copying the report would."""
    store = data / "values" / "cam-lo-2017.csv"
    lines = store.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if SOURCE_NOTE in line)
    fields = lines[number].split(",")
    fields[4] = '"23.0000.000"'
    lines[number] = ",".join(fields)
    store.write_text("".join(lines), encoding="utf-8")
    return number + 1


def test_clean_data_give_a_clean_quality_page(sample_outputs):
    view = open_page(sample_outputs / "ct20-2012-2017" / "data_quality.html")     # the shared render of the sample
    text = unicodedata.normalize("NFC", view.text)
    assert "BÁO CÁO CHẤT LƯỢNG SỐ LIỆU" in text and "Không phát hiện vấn đề nào trong số liệu." in text
    assert "2017\t10\t10\t100,0 %" in text                  # returns received per year
    assert len(view.images) == 1 and view.images[0]["width"] > 400      # the completeness heatmap
    assert view.remote_requests == [] and view.dialogs == []


def test_run_refuses_invalid_data_and_writes_nothing(data, python):
    line = type_source_typo(data)
    done = run(python, data)
    assert done.returncode == 1
    assert done.stderr.startswith("evaltools: error: ct20-2012-2017: 1 high-importance problem(s), e.g. ")
    assert f"data/values/cam-lo-2017.csv:{line}: column 'value': expected a number" in done.stderr
    assert "--allow-invalid" in done.stderr
    assert not (data.parent / "outputs" / "ct20-2012-2017").exists()


def test_allow_invalid_renders_and_says_so_on_page_one(data, python):
    line = type_source_typo(data)
    done = run(python, data, "--allow-invalid", "--to", "pdf")
    assert done.returncode == 0, done.stderr
    folder = data.parent / "outputs" / "ct20-2012-2017"
    page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(folder / "report.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "LƯU Ý: số liệu của báo cáo này còn 1 vấn đề mức cao" in " ".join(page1.split())
    quality = unicodedata.normalize("NFC", open_page(folder / "data_quality.html").text)
    assert "Phát hiện 1 vấn đề: 1 mức cao, 0 mức trung bình, 0 mức thấp." in quality
    assert f"data/values/cam-lo-2017.csv:{line}" in quality and "23.0000.000" in quality
