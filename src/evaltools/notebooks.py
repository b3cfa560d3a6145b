"""Where the project's notebooks are: ``notebooks/`` at the root of the source tree."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_notebook(name: str = "review") -> Path:
    """The project's ``notebooks/<name>.ipynb`` (``review``, ``data_quality``, ``explore``)."""
    return PROJECT_ROOT / "notebooks" / f"{name}.ipynb"
