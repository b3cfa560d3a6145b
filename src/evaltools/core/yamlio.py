"""YAML loading that keeps line numbers, refuses duplicate keys and normalises text to NFC."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from evaltools.core import limits
from evaltools.core.errors import EvaltoolsError, display_path


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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _text(loader: _Loader, node: yaml.ScalarNode) -> str:
    text = loader.construct_scalar(node)
    found = _CONTROL.search(text)
    if found:      # written as "\x01" in YAML: no report, workbook or Word file can hold it
        raise yaml.constructor.ConstructorError(
            None, None, f"a text holds the control character U+{ord(found.group()):04X}; remove it", node.start_mark)
    return unicodedata.normalize("NFC", text)


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _text)


def _expanded_size(root: yaml.Node, name: str) -> int:
    """Number of values the document holds once every alias is expanded (a "billion laughs" is refused).

    Aliases make a node reachable many times; its size is counted once per
    reference, memoised, so the count itself is linear in the file.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()                 # on the path from the root: reached again means a cycle
    stack: list[tuple[yaml.Node, list | None]] = [(root, None)]
    while stack:
        node, children = stack.pop()
        if children is not None:                 # its children are counted
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            open_nodes.discard(id(node))
            continue
        if id(node) in sizes:
            continue
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            sizes[id(node)] = 1
            continue
        if id(node) in open_nodes:
            raise EvaltoolsError(f"{name}:{node.start_mark.line + 1}: invalid YAML: an alias refers to the value "
                                 "that contains it")
        open_nodes.add(id(node))
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        stack.append((node, children))
        stack.extend((c, None) for c in children)
    return sizes[id(root)]


def load_yaml(path: str | Path) -> Any:
    """Read a UTF-8 YAML file, bounded in size and in values once aliases are expanded.

    Raises
    ------
    EvaltoolsError
        One line naming the file, the line and the YAML problem, when the file is
        missing, not a regular file, too large, not UTF-8 or not valid YAML.
    """
    name = display_path(path)
    text = limits.read_text(path, limits.YAML_MB, "a YAML file", name)
    loader = None
    try:
        loader = _Loader(text)          # the reader refuses characters YAML does not allow (NUL...) here
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, name)
        if size > limits.YAML_NODES.value:
            raise limits.YAML_NODES.refuse(name, f"{size:,}")
        return loader.construct_document(node)
    except yaml.reader.ReaderError as exc:     # a character YAML does not allow (NUL, other controls)
        line = text.count("\n", 0, exc.position) + 1
        raise EvaltoolsError(f"{name}:{line}: invalid YAML: the character U+{_code(exc.character):04X} is not allowed "
                             "in YAML; remove it") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if "'\\t'" in problem:
            problem += " (indent with spaces: YAML does not allow tabs there)"
        raise EvaltoolsError(f"{name}{line}: invalid YAML: {problem}") from None
    except RecursionError:
        raise EvaltoolsError(f"{name}: invalid YAML: nested too deeply (brackets or indents hundreds of levels "
                             "deep); no config needs that") from None
    finally:
        if loader is not None:
            loader.dispose()


def _code(character: str | int) -> int:
    """The code point PyYAML's reader reports (a character, or an int)."""
    return character if isinstance(character, int) else ord(character)
