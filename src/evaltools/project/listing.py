"""``evaltools list``: the project's reviews and programmes, as ``dbt ls`` lists a project's models.

Read from the files as they are (each config's YAML, each programme's ``programme.yaml``, each
review's last ``manifest.json``): nothing is computed, and a config that does not load is listed
with its problem rather than stopping the list.
"""

from __future__ import annotations

import json
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, InputError, display_path
from evaltools.core.yamlio import load_yaml


def listing(data: Path, programmes: Path, outputs: Path) -> dict:
    """``{"reviews": [...], "programmes": [...]}``: one entry per config and per programme folder."""
    reviews = [_review(path, outputs) for path in sorted((Path(data) / "reviews").glob("*.yaml"))
               if path.is_file() and not path.name.startswith(".")]
    folders = sorted(p for p in Path(programmes).iterdir() if (p / "programme.yaml").is_file()) \
        if Path(programmes).is_dir() else []
    found = [_programme(folder, reviews) for folder in folders]
    return {"reviews": reviews, "programmes": found}


def _review(path: Path, outputs: Path) -> dict:
    try:
        raw = load_yaml(path)
    except (EvaltoolsError, InputError) as exc:
        return {"id": path.stem, "config": display_path(path), "problem": str(exc).splitlines()[0]}
    raw = raw if isinstance(raw, dict) else {}
    rendered = None
    try:
        rendered = json.loads((outputs / str(raw.get("id", path.stem)) / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        pass
    return {"id": str(raw.get("id", path.stem)), "config": display_path(path), "programme": raw.get("programme"),
            "years": _years(raw.get("first_year"), raw.get("last_year")), "status": raw.get("status", "draft"),
            "number": raw.get("number"),
            "rendered": rendered.get("finished") if isinstance(rendered, dict) else None}


def _programme(folder: Path, reviews: list[dict]) -> dict:
    try:
        raw = load_yaml(folder / "programme.yaml")
    except (EvaltoolsError, InputError) as exc:
        return {"id": folder.name, "folder": display_path(folder), "problem": str(exc).splitlines()[0]}
    raw = raw if isinstance(raw, dict) else {}
    name = raw.get("name") if isinstance(raw.get("name"), dict) else {}
    return {"id": str(raw.get("id", folder.name)), "folder": display_path(folder), "name": name.get("vi"),
            "copied_from": raw.get("copied_from"),
            "reviews": [r["id"] for r in reviews if r.get("programme") == raw.get("id", folder.name)]}


def _years(first: object, last: object) -> str:
    if first is None:
        return ""
    return str(first) if first == last or last is None else f"{first}–{last}"


def format_listing(found: dict) -> str:
    """Two plain tables: reviews (id, programme, years, status, number, last rendered), then programmes."""
    rows = [("review", "programme", "years", "status", "number", "rendered")]
    rows += [(r["id"], str(r.get("programme") or ""), r.get("years", ""), str(r.get("status", "")),
              str(r.get("number") or "–"), str(r.get("rendered") or "–")) if "problem" not in r else
             (r["id"], "", "", "", "", r["problem"]) for r in found["reviews"]]
    lines = _table(rows) + [""]
    rows = [("programme", "reviews", "copied from", "name")]
    rows += [(p["id"], ", ".join(p.get("reviews", [])) or "–", str(p.get("copied_from") or "–"),
              str(p.get("name") or p.get("problem", ""))) for p in found["programmes"]]
    return "\n".join(lines + _table(rows))


def _table(rows: list[tuple]) -> list[str]:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
