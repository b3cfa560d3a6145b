"""The command line: help everywhere, one clear line and exit code 1 on bad input, 2 on a usage error."""

from __future__ import annotations

import subprocess

import pytest

from evaltools.cli import build_parser

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def run(python, *args, cwd=None):
    return subprocess.run([python, "-m", "evaltools", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(python, command):
    done = run(python, command, "--help")
    assert done.returncode == 0
    assert done.stdout.startswith(f"usage: evaltools {command}")


def test_bad_path_is_one_line_and_exit_1(python, tmp_path):
    done = run(python, "indicators", str(tmp_path / "missing.yaml"))
    assert done.returncode == 1
    assert done.stderr == f"evaltools: error: {tmp_path / 'missing.yaml'}: review config not found\n"


def test_bad_yaml_names_the_line_and_exits_1(python, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\nkind: annual\n", encoding="utf-8")
    done = run(python, "indicators", str(bad))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"evaltools: error: {bad}:3: invalid YAML")
    assert done.stderr.count("\n") == 1
