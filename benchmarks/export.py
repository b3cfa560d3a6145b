"""Time the export layer in-process on a realistic executed report (run by hand, not by pytest).

    .venv/bin/python benchmarks/export.py [--sections 20] [--repeat 3]

The notebook: a title and TOC placeholder, ``--sections`` h1/h2 sections of Vietnamese
text, each with a 12-row table shown as HTML, two 80-row appendix tables, and a
matplotlib chart every fifth section. It is executed once (nbclient, the venv's
kernel); then to_html, to_pdf_from_html and to_pdf are timed: the first (cold) call of
each and the best of ``--repeat`` warm calls.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import time

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SETUP = """\
import pandas as pd
import matplotlib.pyplot as plt
from IPython.display import HTML, Markdown, display
XA = ["Cam Thủy", "Cam Thanh", "Cam Hiếu", "Cam Tuyền", "Cam Nghĩa", "Cam Chính", "Cam Thành", "Cam An"]
def bang(n):
    rows = [(XA[i % 8], 2012 + i // 8, f"{3667005000 + 1000 * i:,}".replace(",", ".")) for i in range(n)]
    display(HTML(pd.DataFrame(rows, columns=["Đơn vị", "Năm", "Kinh phí (đồng)"]).to_html(index=False)))
"""
CHART = """\
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(range(2012, 2018), [18, 40, 80, 137, 198, 353])
ax.set_title("Trẻ em hưởng trợ cấp theo năm")
plt.show()
"""
TEXT = ("Hiện tại có 353 trẻ em đang hưởng chế độ hàng tháng; tổng kinh phí 3.667.005.000 đồng, "
        "đạt 98,5 % kế hoạch. ") * 3


def notebook(sections: int) -> nbformat.NotebookNode:
    cells = [new_code_cell('lang = "vi"', metadata={"tags": ["parameters"]}),
             new_markdown_cell('<h1 class="tocSkip">Báo cáo sơ kết</h1>\n\n<nav id="toc"></nav>'),
             new_code_cell(SETUP)]
    for n in range(1, sections + 1):
        heading = "#" if n % 4 == 1 else "##"
        cells.append(new_markdown_cell(f"{heading} {n}. Trẻ em khuyết tật, mục {n}\n\n{TEXT}"))
        cells.append(new_code_cell("bang(12)"))
        if n % 5 == 1:
            cells.append(new_code_cell(CHART))
    cells += [new_markdown_cell("# Phụ lục"), new_code_cell("bang(80)"), new_code_cell("bang(80)")]
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def timed(fn, *args, repeat: int) -> tuple[float, float, object]:
    start = time.perf_counter()
    result = fn(*args)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        warm.append(time.perf_counter() - start)
    return cold, min(warm), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from nbclient import NotebookClient

    from evaltools.export import to_html, to_pdf, to_pdf_from_html

    nb = notebook(args.sections)
    NotebookClient(nb, kernel_name="python3", timeout=300).execute()
    rows = []
    cold, warm, page = timed(to_html, nb, "vi", repeat=args.repeat)
    rows.append(("to_html", cold, warm))
    cold, warm, pdf = timed(to_pdf_from_html, page, repeat=args.repeat)
    rows.append(("to_pdf_from_html", cold, warm))
    cold, warm, _ = timed(to_pdf, nb, "vi", repeat=args.repeat)
    rows.append(("to_pdf", cold, warm))
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
    pages = re.search(r"Pages:\s+(\d+)", info)
    print(f"{args.sections} sections; page {len(page) / 1e3:.0f} kB; PDF {len(pdf) / 1e3:.0f} kB, "
          f"{pages.group(1) if pages else '?'} pages")
    print(f"{'step':18} {'cold s':>7} {'warm s':>7}")
    for name, cold, warm in rows:
        print(f"{name:18} {cold:7.2f} {warm:7.2f}")


if __name__ == "__main__":
    main()
