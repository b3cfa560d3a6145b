"""Charts in the Word copy: the SVG original (vector, Word 2016 and later) with a PNG beside it for older readers.

Word stores a vector picture as a PNG whose blip carries an extension pointing at the SVG
part (``asvg:svgBlip``); python-docx writes the PNG, :func:`add_svg` adds the rest.
"""

from __future__ import annotations

import base64

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"     # Office 2016's svgBlip extension
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def add_svg(doc, shape, svg: bytes) -> None:
    """Give an inline picture its SVG original, as Word itself stores it (the PNG stays as fallback)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = doc.part.package
    number = sum(1 for p in package.iter_parts() if p.partname.endswith(".svg")) + 1
    part = Part(PackURI(f"/word/media/chart{number}.svg"), "image/svg+xml", svg, package)
    rid = doc.part.relate_to(part, RT.IMAGE)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    extensions = OxmlElement("a:extLst")
    extension = OxmlElement("a:ext")
    extension.set("uri", SVG_EXTENSION)
    svg_blip = blip.makeelement(f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
    svg_blip.set(qn("r:embed"), rid)
    extension.append(svg_blip)
    extensions.append(extension)
    blip.append(extensions)


def png_fallbacks(nb) -> dict[str, bytes]:
    """The PNG a notebook displayed beside each SVG chart (a :class:`~evaltools.report.charts.Chart`), by SVG text."""
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data and "image/png" in data:
                svg = data["image/svg+xml"]
                svg = "".join(svg) if isinstance(svg, list) else svg
                out[svg] = base64.b64decode(data["image/png"])
    return out
