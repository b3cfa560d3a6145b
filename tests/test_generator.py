"""data/generate.py is deterministic and produced the committed sample data."""

from __future__ import annotations

import importlib.util

from .conftest import ROOT


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    spec = importlib.util.spec_from_file_location("generate", ROOT / "data" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    made = sorted(p.name for p in tmp_path.glob("*.csv"))
    committed = sorted(p.name for p in (ROOT / "data" / "values").glob("cam-lo-*.csv"))
    assert made == committed == [f"cam-lo-{y}.csv" for y in range(2012, 2023)]
    for name in made:
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "values" / name).read_bytes(), name
