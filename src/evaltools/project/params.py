"""``-p KEY VALUE``: values for the report notebook's own parameters, as Papermill's ``-p`` takes them.

A value is read as a YAML scalar (``3`` an int, ``0.5`` a float, ``true`` a bool, ``null``
None), except for a parameter the notebook declares ``str``, which gets the text as
typed. A key the notebook's parameters cell does not declare is refused with the list of
those it does and the closest one; so are the parameters ``evaltools run`` sets itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from evaltools.core.errors import EvaltoolsError, UsageError, display_path
from evaltools.core.errors import did_you_mean
from evaltools.core.yamlio import load_yaml

# Set by `evaltools run` itself: what to use instead.
OWN = {"review": "the REVIEW argument", "lang": "--lang", "snapshot": "nothing: evaltools run sets it",
       "high_findings": "nothing: evaltools run sets it (see --allow-invalid)"}
_TYPES = {"int": (int,), "float": (int, float), "bool": (bool,)}


def scalar(text: str):
    """``text`` read as a YAML scalar; the text itself when it is not one (a list, a date, bad YAML)."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return value if value is None or isinstance(value, (str, int, float, bool)) else text


def parse_pairs(pairs: Iterable[tuple[str, str]] | None) -> dict[str, str]:
    """``-p KEY VALUE`` pairs as given (texts); a key given twice is refused."""
    out: dict[str, str] = {}
    for key, value in pairs or ():
        if key in out:
            raise UsageError(f"-p {key}: given twice ({out[key]!r} and {value!r})")
        out[key] = value
    return out


def from_file(path: Path | None, pairs: dict[str, str]) -> dict[str, str]:
    """``-f FILE``'s values (a YAML mapping of parameter: scalar), as texts ``-p`` would give them, under
    ``pairs`` (a ``-p`` wins, as in papermill).

    Raises
    ------
    EvaltoolsError
        For a file that is not a mapping of names to scalars (naming the file and the key).
    """
    if path is None:
        return pairs
    import yaml

    raw = load_yaml(path)
    if raw is None:
        return pairs
    if not isinstance(raw, dict):
        raise EvaltoolsError(f"{display_path(path)}: expected parameters as KEY: VALUE lines, e.g. top: 5")
    out = {}
    for key, value in raw.items():
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise EvaltoolsError(f"{display_path(path)}: key '{key}': expected a number, true/false or a text, "
                                 f"found {type(value).__name__}")
        out[str(key)] = value if isinstance(value, str) else yaml.safe_dump(value).removesuffix("\n...\n").strip()
    return {**out, **pairs}


def check_overrides(notebook: Path, given: dict[str, str]) -> dict:
    """The values of ``given`` (texts by parameter name), typed as the notebook declares its parameters.

    Raises
    ------
    UsageError
        For a key the notebook does not declare (naming those it does) or that
        ``evaltools run`` sets itself, or a value of the wrong type.
    """
    if not given:
        return {}
    import papermill

    declared = papermill.inspect_notebook(str(notebook)) if notebook.is_file() else {}
    free = [name for name in declared if name not in OWN]
    out = {}
    for key, text in given.items():
        if key in OWN:
            raise UsageError(f"-p {key}: set by evaltools run; use {OWN[key]}")
        if key not in declared:
            raise UsageError(f"-p {key}: {display_path(notebook)} has no parameter {key!r}{did_you_mean(key, free)} "
                             f"(its parameters: {', '.join(free) or 'none besides those evaltools run sets'})")
        kind = declared[key].get("inferred_type_name") or ""
        out[key] = text if kind == "str" else scalar(text)
        if kind in _TYPES and (not isinstance(out[key], _TYPES[kind]) or
                               (kind != "bool" and isinstance(out[key], bool))):
            raise UsageError(f"-p {key} {text}: expected {'a' if kind != 'int' else 'an'} {kind} "
                             f"(the notebook declares {key}: {kind})")
        if kind == "float":
            out[key] = float(out[key])
    return out


def fingerprint_parameters(lang: str, formats, overrides: dict | None = None) -> dict:
    """The run parameters that enter a run's fingerprint (``-p`` values only when given)."""
    return {"lang": lang, "formats": sorted(formats), **({"overrides": overrides} if overrides else {})}
