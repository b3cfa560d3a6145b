"""The package's floors (docs/architecture.md): import-linter's contracts in pyproject.toml hold, no module
imports itself back through others, imports sit at the top of their module, and the command line loads a
command's libraries only when that command runs."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import grimp
import pytest

from evaltools.cli import COMMANDS, PREPARE, command_name, load
from evaltools.cli.args import build_parser

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

# Internal imports allowed inside a function: (importing module, imported module) -> why.
LAZY = {
    ("evaltools.export", "evaltools.export.html"):
        "nbconvert (and Jinja, nh3): `evaltools run` imports it in a thread while the kernel works (warm_up)",
    ("evaltools.export", "evaltools.export.pdf"):
        "nbconvert and WeasyPrint: as above; nbconvert's entry point loads evaltools.export.html without them",
    ("evaltools.export", "evaltools.export.docx"): "python-docx and lxml: only for --to docx",
}


def test_each_floor_imports_only_the_floors_below_it(python):
    lint = Path(python).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "Contracts: 5 kept, 0 broken." in done.stdout


def _cycle(graph: grimp.ImportGraph) -> list[str]:
    """One import cycle among the package's modules (each step with its line), or [] when there is none."""
    state: dict[str, int] = {}          # 1: on the current path, 2: done (no cycle through it)
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if state.get(imported) == 1:
                ring = path[path.index(imported):] + [imported]
                return [f"{a} -> {b} (line {graph.get_import_details(importer=a, imported=b)[0]['line_number']})"
                        for a, b in zip(ring, ring[1:])]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph.modules):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_no_module_imports_itself_back():
    """No cycle between any two modules of evaltools, inside a subpackage too, at any depth (an import
    inside a function counts: it is a cycle all the same, only later)."""
    graph = grimp.build_graph("evaltools", cache_dir=None)
    assert len(graph.modules) > 100                     # the whole package was read
    found = _cycle(graph)
    assert found == [], "import cycle:\n" + "\n".join(found)


def _function_imports() -> dict[tuple[str, str], list[str]]:
    """Internal imports inside a function body, by (importing module, imported module) -> places."""
    paths = sorted((SRC / "evaltools").rglob("*.py"))
    modules = {".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__"): p for p in paths}
    found: dict[tuple[str, str], list[str]] = {}
    for module, path in modules.items():
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    names = [a.name for a in inner.names]
                elif isinstance(inner, ast.ImportFrom):
                    base = ".".join((package[:len(package) - inner.level + 1] if inner.level else [])
                                    + ([inner.module] if inner.module else []))
                    names = sorted({f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in inner.names})
                else:
                    continue
                for name in names:
                    if name.startswith("evaltools"):
                        found.setdefault((module, name), []).append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_imports_sit_at_the_top_of_their_module():
    """An internal import inside a function hides a cycle or a slow start; only the optional heavy
    libraries of :data:`LAZY` are imported late, each for the reason it gives."""
    found = _function_imports()
    unexplained = {key: places for key, places in found.items() if key not in LAZY}
    assert unexplained == {}, "imports inside functions:\n" + "\n".join(
        f"{place}: {imported}" for (_, imported), places in unexplained.items() for place in places)
    assert set(LAZY) == set(found)          # a reason whose import has gone goes too
    assert sum(len(places) for places in found.values()) == 6            # the export facade's six calls


def test_every_command_has_one_function_in_the_registry():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    names = set()
    for name, sub in commands.items():
        targets = [a for a in sub._actions if a.dest == "target"]
        names |= {f"{name} {t}" for t in targets[0].choices} if targets else {name}
    assert names == set(COMMANDS)
    assert command_name(parser.parse_args(["pull", "dhis2", "https://x", "--data-set", "a", "--period", "2023",
                                           "--org-unit", "u"])) == "pull dhis2"
    for spec in [PREPARE, *COMMANDS.values()]:
        assert callable(load(spec)), spec


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["rnu"]])
def test_help_and_a_typo_load_no_command(python, argv):
    """``evaltools --help``, a command's help and a mistyped command answer without importing pandas,
    nbconvert or any command's module (the registry imports one when it runs)."""
    probe = ("import sys\nfrom evaltools.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'nbconvert', 'papermill', "
             "'matplotlib') or m.startswith(('evaltools.cli.', 'evaltools.store', 'evaltools.render.run'))))")
    done = subprocess.run([python, "-c", probe, *argv], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "['evaltools.cli.args']", done.stdout + done.stderr


@pytest.mark.parametrize("command", ["pull dhis2", "list"])
def test_light_commands_start_without_pandas(python, command):
    """``pull dhis2`` must end within its ``--timeout`` of starting, and ``list`` reads only YAML: neither
    imports pandas, before its work (:data:`PREPARE`) or for it."""
    probe = ("import sys\nfrom evaltools.cli import COMMANDS, PREPARE, load\n"
             f"load(PREPARE)\nload(COMMANDS[{command!r}])\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'numpy', 'nbformat')))")
    done = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
