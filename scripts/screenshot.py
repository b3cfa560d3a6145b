"""Write docs/report-page.png, the README's picture of a rendered report, from the real PDF.

    .venv/bin/python scripts/screenshot.py [--report outputs/ct20-2012-2017/report.pdf] [--page 3] [--out docs/report-page.png]

Takes the report's first page (masthead, title) and another page (``--page``, by default
the sample's first page with a chart; charts are vector drawings, so no tool lists them
as pictures), rasterised by pdftoppm (Debian's poppler-utils, installed by
``scripts/setup.sh test``), side by side on one PNG. Render the report first (``make report``).
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

DPI = 75
GAP = 16


def _page(pdf: Path, number: int) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(number), "-l", str(number), str(pdf)],
                         capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def screenshot(pdf: Path, out: Path, second: int = 3) -> Path:
    """Write page 1 and page ``second`` of ``pdf`` side by side to ``out`` (PNG); return ``out``."""
    pages = [_page(pdf, 1), _page(pdf, second)]
    width = sum(p.width for p in pages) + GAP * (len(pages) + 1)
    height = max(p.height for p in pages) + 2 * GAP
    sheet = Image.new("RGB", (width, height), (224, 224, 224))
    x = GAP
    for page in pages:
        sheet.paste(page, (x, GAP))
        x += page.width + GAP
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    sheet.save(tmp, format="PNG", optimize=True)
    tmp.replace(out)                        # never a half-written picture
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=Path("outputs/ct20-2012-2017/report.pdf"))
    parser.add_argument("--page", type=int, default=3, help="the second page to show (default: 3)")
    parser.add_argument("--out", type=Path, default=Path("docs/report-page.png"))
    args = parser.parse_args(argv)
    if not args.report.is_file():
        print(f"screenshot: {args.report} not found; render it first (make report)", file=sys.stderr)
        return 2
    if not shutil.which("pdftoppm"):
        print("screenshot: pdftoppm not found; run scripts/setup.sh test (poppler-utils)", file=sys.stderr)
        return 2
    print(screenshot(args.report, args.out, args.page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
