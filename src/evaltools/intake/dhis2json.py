"""JSON read strictly: an object that names a key twice is refused, naming the object.

``json.loads`` keeps the last of two equal keys silently, so ``{"value": "5", "value":
"7"}`` would store 7 and never say so. Objects are built by an ``object_pairs_hook``
that remembers every key given more than once; after parsing, the first such object in
document order is named by its path (``dataValues[3]``), for one line a person can act on.
"""

from __future__ import annotations

import json
from collections import Counter


class _Object(dict):
    """A JSON object that remembers the keys its text gave more than once, with their values."""

    repeated: dict[str, list[object]]


class DuplicateKey(ValueError):
    """A JSON object names a key more than once: ``where`` (``dataValues[3]``), ``key``, its ``values``."""

    def __init__(self, where: str, key: str, values: list[object]):
        self.where, self.key, self.values = where, key, values
        times = "twice" if len(values) == 2 else f"{len(values)} times"
        shown = ", ".join(json.dumps(v, ensure_ascii=False)[:20] for v in values[:3])
        super().__init__(f'{where}: key "{key}" appears {times} ({shown}); a key may be given only once per '
                         "object: keep the one meant and delete the other")


def _pairs(pairs: list[tuple[str, object]]) -> _Object:
    obj = _Object(pairs)
    obj.repeated = {}
    if len(obj) < len(pairs):                   # the common case (no repeat) costs one comparison
        repeated = {k for k, n in Counter(k for k, _ in pairs).items() if n > 1}
        for key, value in pairs:
            if key in repeated:
                obj.repeated.setdefault(key, []).append(value)
    return obj


def _first_repeat(document: object) -> DuplicateKey | None:
    """The first object, in document order, that repeats a key (walked without recursion)."""
    stack = [(document, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Object):
            if node.repeated:
                key, values = next(iter(node.repeated.items()))
                return DuplicateKey(path or "the top-level object", key, values)
            children = [(v, f"{path}.{k}" if path else k) for k, v in node.items()]
        elif isinstance(node, list):
            children = [(v, f"{path}[{i}]") for i, v in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))
    return None


def loads(text: str | bytes) -> object:
    """Parse JSON like ``json.loads``, refusing an object with a repeated key.

    Raises
    ------
    DuplicateKey
        Naming the first object that repeats a key, the key and the values it was given.
    json.JSONDecodeError, RecursionError
        As ``json.loads``.
    """
    document = json.loads(text, object_pairs_hook=_pairs)
    repeat = _first_repeat(document)
    if repeat is not None:
        raise repeat
    return document
