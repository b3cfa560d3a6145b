"""No word a reader sees lives in Python under src/ (issue 20, "Words live in YAML").

A code line of src/evaltools (comments and docstrings aside) must not hold a Vietnamese
letter: texts go to resources/texts.yaml, input vocabulary to resources/vocabulary.yaml,
figures' display rules to the catalogs.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "evaltools"
# Letters only Vietnamese writes (ASCII letters with Vietnamese diacritics, and đ).
VIETNAMESE = re.compile("[ạảãáàâậẩẫấầăặẳẵắằđẹẻẽéèêệểễếềịỉĩíìọỏõóòôộổỗốồơợởỡớờụủũúùưựửữứừỵỷỹýỳ]", re.IGNORECASE)



def docstring_lines(tree: ast.AST) -> set[int]:
    """Line numbers of string statements (docstrings, and bare strings used as comments)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def words_in_code(source: str) -> list[tuple[int, str]]:
    """(line, token) of every code token holding a Vietnamese letter; comments and docstrings aside."""
    skip = docstring_lines(ast.parse(source))
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
            continue
        if tok.start[0] in skip and tok.type == tokenize.STRING:
            continue
        if VIETNAMESE.search(tok.string):
            found.append((tok.start[0], tok.string))
    return found


def test_scanner_tells_code_from_comments_and_docstrings() -> None:
    source = ('"""Tổng số trẻ em."""\n'
              '# xã, phường\n'
              'def f():\n'
              '    """Huyện."""\n'
              '    x = 1  # tỉnh\n'
              '    return "Xã " + f"{x} trẻ"\n')
    assert words_in_code(source) == [(6, '"Xã "'), (6, 'f"{x} trẻ"')]


def offenders() -> dict[str, list[tuple[int, str]]]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        found = words_in_code(path.read_text(encoding="utf-8"))
        if found:
            out[path.relative_to(SRC).as_posix()] = found
    return out


def test_no_vietnamese_in_python_code_lines() -> None:
    found = {name: hits[:3] for name, hits in offenders().items()}
    assert not found, f"Vietnamese words in Python code (move them to YAML): {found}"
