"""``<out>/index.html``: every rendered review of an outputs folder, on one self-contained page.

The page has no external resource (inline CSS and JavaScript only), so it opens from
a USB stick or a shared drive with the network off. Rows sort by any column and filter
by text and data-quality status in the browser. Every text is escaped: titles come
from configs.
"""

from __future__ import annotations

import datetime as dt
import html
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from evaltools.core.iorw import atomic_write
from evaltools.model.texts import package_entry
from evaltools.batch.fingerprints import last_good
from evaltools.project.review import load_review

NO_CHECK = "—"
LEVELS = ("high", "medium", "low")
# The files a reader opens are batch_index.links of texts.yaml; the manifest and the executed
# notebook are records, not reading.


def _w(key: str):
    """A word of the page, from ``batch_index.<key>`` of the package's texts.yaml."""
    return package_entry(f"batch_index.{key}")


def _about(record: dict, folder: Path) -> dict:
    """Title, area and period from the manifest (``about``), else from the config it names."""
    about = record.get("about")
    if isinstance(about, dict):
        return about
    config = (record.get("parameters") or {}).get("config")
    for base in (Path.cwd(), folder.parent.parent):
        if isinstance(config, str) and (base / config).is_file():
            try:
                review = load_review(base / config)
            except Exception:  # noqa: BLE001 - an old manifest naming a config since changed
                break
            return {"title": review.title, "area": review.area, "first_year": review.first_year,
                    "last_year": review.last_year}
    return {}


def quality(record: dict) -> tuple[str, str]:
    """The data-quality status a manifest records, as (key, text).

    The key is the worst importance with findings (``high``, ``medium``, ``low``), ``ok``
    when validation found nothing, or ``none`` when the manifest has no ``validation``
    entry; the text gives the counts ("high 1 · low 3").
    """
    found = record.get("validation")
    if isinstance(found, str) and found.strip():
        return found.strip(), found.strip()
    if not isinstance(found, dict):
        return "none", NO_CHECK
    tally = found.get("counts") if isinstance(found.get("counts"), dict) else found
    levels = [(k, tally[k]) for k in LEVELS if isinstance(tally.get(k), int) and not isinstance(tally[k], bool)]
    if not levels:
        status = found.get("status")
        return (status, status) if isinstance(status, str) and status else ("none", NO_CHECK)
    worst = next((k for k, n in levels if n), "ok")
    text = " · ".join(f"{k} {n}" for k, n in levels if n) or "ok"
    if found.get("allow_invalid") and worst == "high":
        text += " (rendered anyway)"
    return worst, text


def entry(folder: Path) -> dict | None:
    """One row of the index for an outputs folder, None when it holds no complete review."""
    record = last_good(folder)
    if record is None:
        return None
    about, lang = _about(record, folder), (record.get("parameters") or {}).get("lang") or "vi"
    title = about.get("title") or {}
    title = title.get(lang) or next(iter(title.values()), "") if isinstance(title, dict) else str(title)
    names = about.get("area_name") or {}
    first, last = about.get("first_year"), about.get("last_year")
    period = "" if first is None else str(first) if first == last else f"{first}–{last}"
    files = {o.get("file") for o in record["outputs"] if isinstance(o, dict)}
    stale = {o.get("file") for o in record.get("stale") or [] if isinstance(o, dict) and (folder / str(o.get("file"))).is_file()}
    status, text = quality(record)
    return {"id": folder.name, "title": title or folder.name, "area": str(about.get("area") or ""),
            "area_name": names.get(lang, "") if isinstance(names, dict) else str(names), "period": period,
            "status": status, "quality": text, "finished": str(record.get("finished") or ""),
            "files": [(name, label if name in files else f"{label} ({_w('stale')})")
                      for name, label in _w("links").items() if name in files or name in stale]}


def collect(out: str | Path) -> list[dict]:
    """Rows for every complete review under ``out`` (hidden and staging folders skipped), by id."""
    out = Path(out)
    if not out.is_dir():
        return []
    folders = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    return [e for e in (entry(f) for f in folders) if e is not None]


def _when(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp


def _row(e: dict) -> str:
    esc, href = html.escape, quote(e["id"])
    links = [f'<a href="{href}/{quote(name)}">{esc(label)}</a>' for name, label in e["files"]]
    area = f"{esc(e['area_name'])} <span class=code>({esc(e['area'])})</span>" if e["area_name"] else esc(e["area"])
    cells = [
        (e["title"], f'{esc(e["title"])}<div class=id>{esc(e["id"])}</div>'),
        (f"{e['area_name']} {e['area']}", area),
        (e["period"], esc(e["period"])),
        (f"{LEVELS.index(e['status']) if e['status'] in LEVELS else 9} {e['quality']}", esc(e["quality"])),
        (e["finished"], esc(_when(e["finished"]))),
        ("", f'<span class=files>{" ".join(links)}</span>' if links else "—"),
    ]
    # data-head labels each cell when a phone shows a row as a card (index.css)
    heads = _w("heads")
    tds = "".join(f'<td data-sort="{esc(key)}" data-head="{esc(heads[i])}">{shown}</td>'
                  for i, (key, shown) in enumerate(cells))
    return f'<tr data-status="{esc(e["status"])}">{tds}</tr>'


def index_html(entries: list[dict], title: str | None = None) -> str:
    """The page for ``entries`` (see :func:`collect`)."""
    title = _w("title") if title is None else title
    assets = resources.files("evaltools.resources.templates").joinpath("batch_index")
    style = assets.joinpath("index.css").read_text(encoding="utf-8")
    script = assets.joinpath("index.js").read_text(encoding="utf-8")
    statuses = sorted({e["status"] for e in entries})
    options = "".join(f'<option value="{html.escape(s)}">{html.escape(_w("statuses").get(s, s))}</option>'
                      for s in statuses)
    ths = "".join(f'<th scope=col><button type=button data-col="{i}">{h}</button></th>' for i, h in enumerate(_w("heads")))
    rows = "\n".join(_row(e) for e in entries)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{style}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class=meta><span id=count>{len(entries)}</span> / {len(entries)} {_w("reviews")}</p>
<div class=controls>
<label>{_w("filter")} <input id=filter type=search autocomplete=off placeholder="{_w("filter_hint")}"></label>
<label>{_w("quality")} <select id=status><option value="">{_w("all")}</option>{options}</select></label>
</div>
<table id=reviews>
<thead><tr>{ths}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p id=empty hidden>{_w("no_match")}</p>
<script>{script}</script>
</body>
</html>
"""


def write_index(out: str | Path) -> Path:
    """Write ``<out>/index.html`` (atomically) listing every complete review under ``out``."""
    out = Path(out)
    return atomic_write(out / "index.html", index_html(collect(out)))
