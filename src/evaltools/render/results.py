"""What ``run`` and ``batch`` did, for machines: ``<out>/run_results.json`` and ``--json`` on stdout.

Shaped like dbt's ``run_results.json``: a ``metadata`` block and one entry per review with
its id, status (``done``, ``skipped``, ``failed``, ``interrupted``), start and finish times,
elapsed seconds, the Dask worker that rendered it, output files (paths relative to the project), findings counted by
importance, the parameters given with ``-p`` and the state of the data it was rendered
from (the store's digest and the manifest). A done or skipped review's entry is read from
its ``manifest.json``; a failed one carries the one-line message instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from evaltools import __version__
from evaltools.core import iorw
from evaltools.store import manifest
from evaltools.core.errors import EvaltoolsError
from evaltools.project.project import find_project

FILE = "run_results.json"
SCHEMA = "evaltools/run-results/v1"
_IMPORTANCE = ("high", "medium", "low")


def _root() -> Path:
    """The project's root (paths are given relative to it), else the working folder."""
    try:
        return find_project().root
    except EvaltoolsError:
        return Path.cwd()


def review_result(review_id: str, status: str, seconds: float, out: Path, message: str = "",
                  root: Path | None = None, worker: str | None = None) -> dict:
    """One review's entry: from its manifest when it was rendered (or is up to date), else the message;
    ``worker`` names the Dask worker that rendered it (None on the local pool, for ``run`` and a skip)."""
    root = root or _root()
    folder = Path(out) / review_id
    entry = {"review": review_id, "status": status, "started": None, "finished": None,
             "elapsed_seconds": round(seconds, 2), "message": message or None, "worker": worker or None,
             "outputs": [], "findings": None, "parameters": {}, "data": None}
    record_path = folder / "manifest.json"
    if status not in ("done", "skipped") or not record_path.is_file():
        return entry
    record = json.loads(record_path.read_text(encoding="utf-8"))
    validation = record.get("validation", {})
    entry.update(
        started=record.get("started"), finished=record.get("finished"),
        outputs=[manifest.relative(folder / o["file"], root) for o in record.get("outputs", [])]
        + [manifest.relative(record_path, root)],
        findings={level: validation.get(level) for level in _IMPORTANCE},
        parameters=record.get("parameters", {}).get("overrides", {}),
        data={"store": record.get("store"), "manifest": manifest.relative(record_path, root),
              "manifest_sha256": iorw.sha256(record_path)})
    return entry


def document(command: str, entries: Iterable[dict], seconds: float) -> dict:
    """The whole result of one command: metadata, elapsed seconds, one entry per review."""
    return {"metadata": {"schema": SCHEMA, "evaltools_version": __version__, "command": command,
                         "generated_at": manifest.now().isoformat(timespec="seconds")},
            "elapsed_seconds": round(seconds, 2), "results": list(entries)}


def write(out: Path, doc: dict) -> Path:
    """``<out>/run_results.json``, written whole or not at all."""
    return iorw.atomic_write(Path(out) / FILE, dumps(doc))


def dumps(doc: dict) -> str:
    """The JSON text of ``doc`` (UTF-8 as is, indented, one final newline)."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
