"""Every notebook runs with its default parameters, as JupyterLab runs it, and shows the review's figures.

In the style of man-group/notebooker: each programme's review notebook, evaltools' shared
data-quality notebook (for each programme's default review) and the project's exploration
notebook are executed by the real ``papermill`` command of the project's venv, as a papermill user types
it (no ``-k``: the notebook names the kernel "evaltools", which set-up registers in the venv), from the
notebook's own folder (the project is found upwards), without a snapshot: they load the review themselves. Key figures are read from what the notebook glued and
checked against the DOMAIN.md figures and against plain pandas over the CSV store.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell

from evaltools.report.glue import read_glued

from .conftest import ROOT

SHARED = ROOT / "src" / "evaltools" / "resources" / "notebooks"
PROBE = "import sys as _probe_sys; print(_probe_sys.executable)"
RUNS = {   # id: (notebook, parameters beyond its defaults)
    "ct20": (ROOT / "programmes" / "ct20" / "review.ipynb", {}),
    "injury-hi": (ROOT / "programmes" / "injury-hi" / "review.ipynb", {}),
    "data_quality-ct20": (SHARED / "data_quality.ipynb", {"review": "ct20-2012-2017"}),
    "data_quality-injury-hi": (SHARED / "data_quality.ipynb", {"review": "injury-hi-2022", "lang": "en"}),
    "explore": (ROOT / "notebooks" / "explore.ipynb", {}),
}


def _texts(nb) -> str:
    out = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                out.append(output["text"])
            for mime in ("text/plain", "text/html", "text/markdown"):
                data = output.get("data", {}).get(mime)
                if data:
                    out.append(data if isinstance(data, str) else "".join(data))
    return "\n".join(out)


def _mimes(nb) -> list[str]:
    return [m for c in nb.cells for o in c.get("outputs", []) for m in o.get("data", {})]


@pytest.fixture(scope="module", params=list(RUNS), ids=list(RUNS))
def executed(request, tmp_path_factory):
    path, parameters = RUNS[request.param]
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(PROBE))
    folder = tmp_path_factory.mktemp(request.param)
    source = folder / path.name
    nbformat.write(nb, source)
    # No -k: Papermill takes the notebook's own kernelspec, as JupyterLab does; the kernel starts in the
    # notebook's folder, as JupyterLab starts it.
    pairs = [arg for key, value in parameters.items() for arg in ("-p", key, value)]
    done = subprocess.run([str(Path(sys.executable).parent / "papermill"), str(source), str(folder / "executed.ipynb"),
                           "--cwd", str(path.parent), "--log-level", "ERROR", *pairs], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return request.param, nbformat.read(folder / "executed.ipynb", as_version=4)


def test_notebook_ran_in_this_venvs_python_without_error(executed):
    name, nb = executed
    probe = nb.cells[-1].outputs
    assert nb.metadata.kernelspec.name == "evaltools"
    ran = [o["text"].strip() for o in probe if o.get("name") == "stdout"]
    assert [Path(p).resolve() for p in ran] == [Path(sys.executable).resolve()], name
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, name


def _store() -> pd.DataFrame:
    files = sorted((ROOT / "data" / "values").glob("*.csv"))
    frames = [pd.read_csv(p, dtype={"unit": str, "category": str}) for p in files]
    return pd.concat(frames, ignore_index=True)


def _communes(district: str) -> set[str]:
    units = yaml.safe_load((ROOT / "data" / "catalog" / "org_units.yaml").read_text(encoding="utf-8"))["units"]
    return {str(u["code"]) for u in units if str(u.get("parent")) == district}


def test_ct20_shows_the_source_reports_figures(executed):
    name, nb = executed
    if name != "ct20":
        pytest.skip("ct20 only")
    glued = read_glued(nb)
    expected = {"ALLOWANCE": 353, "CENTRE_CHILDREN": 4, "HI_CARDS": 5905, "HI_CARDS_VALUE": 3_667_005_000,
                "BICYCLES": 11, "CP_MODELS": 2, "COMMUNES": 9}
    assert {k: glued[k] for k in expected} == expected
    text = _texts(nb)
    for phrase in ("353 trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng", "3.667.005.000 đồng",
                   "5.905 thẻ bảo hiểm y tế"):
        assert phrase in text, phrase
    assert _mimes(nb).count("image/svg+xml") == 3             # vector charts, with a PNG for Word
    assert _mimes(nb).count("application/vnd.evaltools.frame+json") == 1
    # the sample review's register number as its config writes it, in the heading papermill's run shows
    config = yaml.safe_load((ROOT / "data" / "reviews" / "ct20-2012-2017.yaml").read_text(encoding="utf-8"))
    shown = json.dumps([o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs],
                       ensure_ascii=False)
    assert f"Số: {config['number']}" in shown


def test_injury_hi_matches_plain_pandas_over_the_store(executed):
    name, nb = executed
    if name != "injury-hi":
        pytest.skip("injury-hi only")
    store = _store()
    in_area = store[store["unit"].isin(_communes("468")) & (store["period"] == 2022)]
    total = in_area.groupby("element")["value"].sum()
    drowning = in_area[(in_area["element"] == "INJURIES") & (in_area["category"] == "drowning")]["value"].sum()
    glued = read_glued(nb)
    assert glued["INJURIES"] == total["INJURIES"] and glued["HI_CARDS"] == total["HI_CARDS"]
    assert glued["INJURY_RATE"] == pytest.approx(total["INJURIES"] / total["CHILDREN"] * 1000)
    assert glued["DROWNING_SHARE"] == pytest.approx(drowning / total["INJURIES"] * 100)
    assert glued["HI_CARDS_PER_U6"] == pytest.approx(total["HI_CARDS"] / total["CHILDREN_U6"] * 100)
    text = _texts(nb)
    # section I shows its first sentence (texts.yaml's sentences.injuries) with the store's count, as written in
    # Vietnamese (a dot between thousands); the heading itself is the notebook's input, not something it shows
    count, shown = f"{int(total['INJURIES']):,}".replace(",", "."), text.replace("\u00a0", " ")
    assert re.search(rf"Năm 2022, toàn huyện có {re.escape(count)}\b[^.,]* bị tai nạn thương tích", shown), shown[:3000]
    assert "Chỉ thị" not in text and "phù hợp với trẻ em" not in text       # nothing of Directive 20


def test_data_quality_finds_nothing_in_the_sample(executed):
    name, nb = executed
    if not name.startswith("data_quality"):
        pytest.skip("data quality only")
    text = _texts(nb)
    assert ("Không phát hiện vấn đề nào trong số liệu." in text) or ("No problem was found in the data." in text)
    assert "image/svg+xml" in _mimes(nb)                       # the completeness heatmap


def test_explore_shows_a_commune_and_its_charts(executed):
    name, nb = executed
    if name != "explore":
        pytest.skip("explore only")
    text = _texts(nb)
    assert "Xã Cam Thủy" in text and "Trẻ em đang hưởng trợ cấp xã hội hằng tháng" in text
    assert _mimes(nb).count("image/svg+xml") == 4                 # trend, compare, rates, ranking
    # numbers as the report writes them (the district's 2012 injury rate is 2.381708...), paths relative
    assert "2,38" in text and "2.381708" not in text and "data/reviews/ct20-2012-2017.yaml" in text
    assert str(ROOT) + "/data" not in text
    # the ranking of 2017, a history across the 2020 merger, the gaps
    assert "Xã Thanh An" in text and "01/01/2020" in text and "partial year" in text
