"""The project's set-up agrees with itself: README, CI, pyproject.toml, the conda environment files."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml


def _requirement_names(specs):
    out = {}
    for spec in specs:
        name, version = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
        out[name.lower().replace("_", "-")] = version.replace(" ", "")
    return out


def _conda_packages(path):
    """Packages of a conda environment file, without python and pip themselves (not python-docx)."""
    env = yaml.safe_load(path.read_text())
    return env, [d for d in env["dependencies"] if isinstance(d, str)
                 and re.match(r"[A-Za-z0-9_.\-]+", d).group(0) not in ("python", "pip")]


# Each conda environment file is exactly one list of pyproject.toml: the report environment
# its dependencies, the test additions its [test] extra, JupyterLab's own environment its [lab] extra.
ENVIRONMENTS = {"environment.yml": None, "environment-test.yml": "test", "environment-lab.yml": "lab"}


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_each_environment_file_is_exactly_its_pyproject_list(root, name):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    extra = ENVIRONMENTS[name]
    wanted = project["optional-dependencies"][extra] if extra else project["dependencies"]
    env, conda = _conda_packages(root / name)
    assert _requirement_names(conda) == _requirement_names(wanted)
    python = [d for d in env["dependencies"] if isinstance(d, str) and re.match(r"python\b(?!-)", d)]
    assert python in ([], [f"python{project['requires-python']}"])


def test_the_report_environment_has_no_jupyterlab_and_lab_its_own_name(root):
    _, report = _conda_packages(root / "environment.yml")
    assert not [d for d in report if d.startswith(("jupyterlab", "notebook", "pytest"))]
    names = {yaml.safe_load((root / n).read_text())["name"] for n in ENVIRONMENTS}
    assert names == {"evaltools", "evaltools-lab"}


def test_ci_runs_exactly_the_readme_test_command(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^\s*make test\s*$", readme, re.M)
    assert command, "README gives no 'make test' line"
    ci = [line.strip() for line in (root / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith("#")]
    assert ci[-1] == "exec make test"


def test_outputs_are_not_committed(root):
    ignored = (root / ".gitignore").read_text().splitlines()
    assert "/outputs/" in ignored and "/.venv/" in ignored
