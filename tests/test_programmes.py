"""A programme is a folder; the package knows none: no indicator code, section key or wording of one in src/."""

from __future__ import annotations

import re
import shutil
import subprocess

import nbformat
import pytest
import yaml

from evaltools.core.errors import EvaltoolsError, InputError
from evaltools.project.programme import load_programme, shared_notebook
from evaltools.model.texts import load_texts

from .conftest import ROOT

PROGRAMMES = sorted(p.parent for p in (ROOT / "programmes").glob("*/programme.yaml"))
PACKAGE_FILES = [p for p in (ROOT / "src" / "evaltools").rglob("*")
                 if p.suffix in (".py", ".yaml", ".j2", ".css", ".js", ".ipynb") and "__pycache__" not in p.parts]


def _indicator_codes() -> set[str]:
    """The sample's indicator codes and the data element codes they are made of."""
    files = [ROOT / "data" / "catalog" / "indicators.yaml", *(p / "indicators.yaml" for p in PROGRAMMES)]
    codes = {entry["code"] for f in files if f.exists() for entry in yaml.safe_load(f.read_text())["indicators"]}
    elements = yaml.safe_load((ROOT / "data" / "catalog" / "data_elements.yaml").read_text())["elements"]
    return codes | {entry["code"] for entry in elements}


def test_there_are_two_programmes_with_different_structures():
    ids = [load_programme(p).id for p in PROGRAMMES]
    assert ids == ["ct20", "injury-hi"]
    ct20, injury = (load_programme(p) for p in PROGRAMMES)
    assert not set(ct20.narrative) & set(injury.narrative) - {"recommendations"}
    assert injury.indicators is not None and ct20.data_quality == shared_notebook("data_quality")


def test_src_names_no_indicator_code_of_the_sample():
    codes = _indicator_codes()
    assert {"ALLOWANCE", "INJURY_RATE", "CF_SHARE", "HI_CARDS_PER_U6", "CF_RECOGNISED"} <= codes
    pattern = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(sorted(codes)) + r")(?![A-Za-z0-9_])")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in PACKAGE_FILES
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []


def test_src_names_no_section_key_of_directive_20():
    keys = load_programme(ROOT / "programmes" / "ct20").narrative
    assert "dissemination" in keys and "awareness" in keys
    quoted = re.compile(r"""["'{#](""" + "|".join(keys) + r""")\+?["'}]""")
    words = re.compile(r"\b(dissemination|awareness|achievements|shortcomings|solutions|recommendations)\b")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in PACKAGE_FILES
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if quoted.search(line) or words.search(line)]
    assert found == []


@pytest.mark.parametrize("folder", PROGRAMMES, ids=lambda p: p.name)
def test_every_text_a_programme_uses_exists_in_both_languages(folder):
    programme = load_programme(folder)
    source = "\n".join(c.source for c in nbformat.read(programme.notebook, as_version=4).cells)
    used = set(re.findall(r"""text(?:\.plain|\.label)?\(\s*f?["']([a-z_.]+)["']""", source))
    assert len(used) >= 5
    for lang in ("vi", "en"):
        texts = load_texts(lang, programme.texts)
        assert used <= set(texts.entries), used - set(texts.entries)
        titles = {k: texts.label(f"narrative.titles.{k}") for k in programme.narrative}
        assert all(titles.values())
    vi, en = (load_texts(lang, programme.texts) for lang in ("vi", "en"))
    translated = [k for k in used if vi.label(k) != en.label(k)]
    assert len(translated) >= len(used) - 3          # year-only labels may be the same in both


def test_a_programme_folder_is_checked_key_by_key(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "programme.yaml").write_text("id: broken\nname: Thử\ncolour: red\nstyle: {css: none.css}\n",
                                           encoding="utf-8")
    with pytest.raises(InputError) as found:
        load_programme(folder)
    text = str(found.value)
    assert "broken/programme.yaml:3: key 'colour': unknown key" in text
    assert "key 'notebook': broken/review.ipynb not found" in text.replace(str(tmp_path) + "/", "")
    assert "key 'style.css': broken/none.css not found" in text.replace(str(tmp_path) + "/", "")
    with pytest.raises(EvaltoolsError, match="not a programme folder"):
        load_programme(tmp_path)


def test_a_comma_inside_a_flow_mapping_is_caught(tmp_path):
    texts = tmp_path / "texts.yaml"
    texts.write_text("sentences:\n  plan: {vi: Kế hoạch, chương trình, en: Plans}\n", encoding="utf-8")
    with pytest.raises(EvaltoolsError, match=r"texts.yaml: text 'sentences.plan': expected only the keys vi and en"):
        load_texts("vi", texts)


@pytest.fixture()
def project(tmp_path):
    """A copy of the sample project (data, programmes, project file) to change."""
    for name in ("data", "programmes"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "evaltools.yaml", tmp_path)
    return tmp_path


def test_new_programme_copies_a_folder_under_its_own_id(project, python):
    done = subprocess.run([python, "-m", "evaltools", "new-programme", "road-safety", "--from", "injury-hi"],
                          capture_output=True, text=True, cwd=project)
    assert done.returncode == 0, done.stderr
    made = load_programme(project / "programmes" / "road-safety")
    assert made.id == "road-safety" and made.narrative == load_programme(project / "programmes" / "injury-hi").narrative
    original = ROOT / "programmes" / "injury-hi" / "review.ipynb"
    assert (made.folder / "review.ipynb").read_bytes() == original.read_bytes()
    text = (made.folder / "programme.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Programme road-safety, copied from injury-hi: the district") and "\nid: road-safety\n" in text   # comments kept
    again = subprocess.run([python, "-m", "evaltools", "new-programme", "road-safety", "--from", "ct20"],
                           capture_output=True, text=True, cwd=project)
    assert again.returncode != 0 and "programme 'road-safety' already exists; nothing was written" in again.stderr
    bad = subprocess.run([python, "-m", "evaltools", "new-programme", "../escape", "--from", "ct20"],
                         capture_output=True, text=True, cwd=project)
    assert bad.returncode != 0 and "expected lower-case letters" in bad.stderr
    assert not (project / "escape").exists() and "Traceback" not in bad.stderr


def test_a_review_names_its_programme_and_an_unknown_one_is_refused(project, python):
    config = project / "data" / "reviews" / "injury-hi-2022.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("programme: injury-hi", "programme: injury"),
                      encoding="utf-8")
    done = subprocess.run([python, "-m", "evaltools", "indicators", "injury-hi-2022"], capture_output=True,
                          text=True, cwd=project)
    assert done.returncode != 0
    assert "unknown programme 'injury'; programmes in programmes: ct20, injury-hi" in done.stderr
