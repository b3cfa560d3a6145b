"""Figures a notebook records for machines: named values kept in its outputs, invisible in the report.

After scrapbook's ``glue``: ``glue("allowance", 353)`` displays nothing a reader sees
(the export drops the mime type) but the executed notebook keeps the value, so tests
and other tools read a review's key figures from ``outputs/<id>/review.ipynb``
with :func:`read_glued`.
"""

from __future__ import annotations

import json
import math

from evaltools.core import mime



class _Glued:
    def __init__(self, name: str, value: object):
        self.name, self.value = name, value

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        # The text is for the analyst in JupyterLab; a report drops the whole output.
        return {mime.GLUE: {"name": self.name, "value": self.value}, "text/plain": f"{self.name} = {self.value!r}"}


def _plain(value: object) -> object:
    if hasattr(value, "value"):                  # a Quantity
        value = value.value
    if isinstance(value, float) and math.isnan(value):
        return None
    json.dumps(value)                            # fail here, not in the notebook's JSON
    return value


def glue(name: str, value: object) -> None:
    """Record ``value`` (a number, text, list or a Quantity; NaN as null) under ``name``."""
    from IPython.display import display

    display(_Glued(name, _plain(value)))


def read_glued(nb) -> dict[str, object]:
    """Every value glued in an executed notebook (a NotebookNode or its dict), by name."""
    out = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(mime.GLUE)
            if data:
                out[data["name"]] = data["value"]
    return out
