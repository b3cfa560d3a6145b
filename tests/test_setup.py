"""The project's set-up agrees with itself: README, CI, pyproject.toml, environment.yml."""

from __future__ import annotations

import re
import tomllib

import yaml


def _requirement_names(specs):
    out = {}
    for spec in specs:
        name, version = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
        out[name.lower().replace("_", "-")] = version.replace(" ", "")
    return out


def test_environment_yml_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("test", "lab"):
        wanted += project["optional-dependencies"][extra]
    env = yaml.safe_load((root / "environment.yml").read_text())
    # python and pip themselves, not packages whose names start so (python-docx)
    conda = [d for d in env["dependencies"] if isinstance(d, str)
             and re.match(r"[A-Za-z0-9_.\-]+", d).group(0) not in ("python", "pip")]
    assert _requirement_names(conda) == _requirement_names(wanted)


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
