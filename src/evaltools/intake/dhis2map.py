"""The DHIS2 mapping file: DHIS2 identifiers (UIDs or codes) of the catalog's elements, options and units.

It lives beside the catalog it maps, ``<data>/catalog/dhis2.yaml``, and is optional:
a file written with ``idScheme=CODE`` whose codes are the catalog's element and option
codes and the GSO unit codes needs none. Each section maps a DHIS2 identifier to a
catalog code; an identifier not in the file is taken as the catalog's own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evaltools.model.catalog import DEFAULT_OPTION, Catalog
from evaltools.core.errors import EvaltoolsError, display_path
from evaltools.core.yamlio import load_yaml

FILE_NAME = "dhis2.yaml"
SECTIONS = ("data_elements", "category_option_combos", "org_units")


@dataclass(frozen=True)
class Mapping:
    """DHIS2 identifier -> catalog code, per kind; ``path`` names the file in messages."""

    path: str
    elements: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    attribute_defaults: frozenset[str] = frozenset({"", DEFAULT_OPTION})
    data_set: str = ""

    def reverse(self, kind: str) -> dict[str, str]:
        """Catalog code -> the first DHIS2 identifier the file gives it (for export)."""
        out: dict[str, str] = {}
        for key, code in getattr(self, kind).items():
            out.setdefault(code, key)
        return out


def _section(raw: dict, key: str, name: str) -> dict[str, str]:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise EvaltoolsError(f"{name}: {key}: expected a mapping of DHIS2 identifier: catalog code")
    out = {}
    for k, v in value.items():
        if not isinstance(v, (str, int)) or isinstance(v, bool) or not str(v).strip():
            raise EvaltoolsError(f"{name}: {key}: {k}: expected a catalog code, found {v!r}")
        out[str(k).strip()] = str(v).strip()
    return out


def load_mapping(catalog_dir: str | Path, catalog: Catalog | None = None) -> Mapping:
    """The mapping file of a catalog folder (an empty mapping when there is none).

    Raises
    ------
    EvaltoolsError
        When the file is not a mapping of the expected sections, or maps to a code the
        catalog does not have (when ``catalog`` is given).
    """
    path = Path(catalog_dir) / FILE_NAME
    name = display_path(path)
    if not path.exists():
        return Mapping(name)
    raw = load_yaml(path) or {}
    if not isinstance(raw, dict):
        raise EvaltoolsError(f"{name}: expected the sections {', '.join(SECTIONS)}")
    unknown = [k for k in raw if k not in (*SECTIONS, "attribute_option_combos", "data_set")]
    if unknown:
        raise EvaltoolsError(f"{name}: unknown section(s) {', '.join(map(str, unknown))}; expected "
                             f"{', '.join(SECTIONS)}, attribute_option_combos, data_set")
    elements, options, units = (_section(raw, key, name) for key in SECTIONS)
    defaults = raw.get("attribute_option_combos") or []
    if not isinstance(defaults, list):
        raise EvaltoolsError(f"{name}: attribute_option_combos: expected a list of the default's identifiers")
    if catalog is not None:
        _check_codes(name, catalog, elements, options, units)
    # DHIS2's default category option combo is also the default attribute option combo
    defaults = [*map(str, defaults), *(k for k, v in options.items() if v == DEFAULT_OPTION)]
    return Mapping(name, elements, options, units, frozenset({"", DEFAULT_OPTION, *defaults}),
                   str(raw.get("data_set") or ""))


def _check_codes(name: str, catalog: Catalog, elements: dict, options: dict, units: dict) -> None:
    known = (set(catalog.elements.index) | set(catalog.indicators.index), set(catalog.options["option"]) |
             {DEFAULT_OPTION}, set(catalog.units["code"]))
    for (key, section), codes in zip(zip(SECTIONS, (elements, options, units)), known):
        bad = [f"{k}: {v}" for k, v in section.items() if v not in codes]
        if bad:
            raise EvaltoolsError(f"{name}: {key}: {bad[0]}: not a code of the catalog"
                                 + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
