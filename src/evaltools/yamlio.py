"""YAML loading that keeps line numbers, refuses duplicate keys and normalises text to NFC."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .errors import EvaltoolsError, display_path


class Record(dict):
    """A YAML mapping that remembers its first line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict


class _Loader(yaml.SafeLoader):
    """Safe loader whose mappings are :class:`Record` and whose strings are NFC."""


def _mapping(loader: _Loader, node: yaml.MappingNode):
    record = Record()
    record.line = node.start_mark.line + 1
    yield record
    record.key_lines = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in record.key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        record.key_lines[key] = key_node.start_mark.line + 1
    record.update(loader.construct_mapping(node))


def _text(loader: _Loader, node: yaml.ScalarNode) -> str:
    return unicodedata.normalize("NFC", loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _text)


def load_yaml(path: str | Path) -> Any:
    """Read a UTF-8 YAML file.

    Raises
    ------
    EvaltoolsError
        One line naming the file, the line and the YAML problem, when the file is
        missing, not UTF-8 or not valid YAML.
    """
    name = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise EvaltoolsError(f"{name}: file not found") from None
    except IsADirectoryError:
        raise EvaltoolsError(f"{name}: is a folder, expected a YAML file") from None
    except UnicodeDecodeError as exc:
        raise EvaltoolsError(f"{name}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise EvaltoolsError(f"{name}{line}: invalid YAML: {problem}") from None
