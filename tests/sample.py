"""The sample project's own scripts (data/), imported by path: they are not part of the package."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


province = _module("province", ROOT / "data" / "province.py")
write_province = province.write_province
write_province_review = province.write_province_review
write_national_review = province.write_national_review
