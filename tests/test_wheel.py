"""Installable: the wheel carries everything, and `evaltools run` works from a project outside the source tree.

The wheel is built from this checkout and installed into a fresh venv whose only other
packages are the project venv's dependencies (a ``.pth`` path: the editable evaltools of
the source tree is not seen; their data files, nbconvert's templates, linked in share/).
A copy of the sample project — project file, data, programmes, nothing else — lives in a
temporary folder; the venv's ``evaltools`` renders its default review there, as a user
who ran ``pip install evaltools`` would.
"""

from __future__ import annotations

import json
import re
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from .conftest import ROOT


def _run(*args, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(list(map(str, args)), capture_output=True, text=True, **kw)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_wheel_install_renders_a_project_outside_the_source_tree(tmp_path):
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path / "dist",
         ROOT)
    wheel = next((tmp_path / "dist").glob("evaltools-*.whl"))
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip())
    (site / "zz-project-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    # The dependencies' data files (nbconvert's templates), which pip installs under the venv's share/.
    (venv / "share").mkdir()
    (venv / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")

    project = tmp_path / "cam-lo"
    for name in ("data", "programmes"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copy(ROOT / "evaltools.yaml", project)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EVALTOOLS_PROJECT")}

    where = _run(python, "-c", "import evaltools; print(evaltools.__file__)", cwd=project, env=env).stdout
    assert where.startswith(str(site)), where
    _run(venv / "bin" / "evaltools", "run", "ct20-2012-2017", "--to", "html", cwd=project, env=env)
    folder = project / "outputs" / "ct20-2012-2017"
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "353 trẻ em đang hưởng chế độ trợ cấp xã hội hằng tháng" in re.sub(r"<[^>]+>", "", page)   # figures link to their facts
    assert (folder / "data_quality.html").is_file()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kernel"] == str(python)
    shared = [e["path"] for e in manifest["inputs"] if e["role"] == "notebook"]
    assert shared[0] == "programmes/ct20/review.ipynb" and shared[1].endswith("resources/notebooks/data_quality.ipynb")
