"""Notebooks for the export tests: a small Vietnamese report executed by Papermill, and a hostile one.

The report notebook has what the real one has: a ``parameters`` cell (Papermill adds
an ``injected-parameters`` cell when it runs), Markdown sections I–III with h1/h2
headings, a ``<nav id="toc">`` placeholder, code cells, an 80-row table shown as HTML
(long enough for two A4 pages), a Markdown output with its own h2, and a matplotlib
chart with a Vietnamese title. It is executed once per test session with the venv's
own kernel and shared by the test modules.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

TITLE = "Báo cáo sơ kết 5 năm thực hiện Chỉ thị 20"
COMMUNES = ["Cam Thủy", "Cam Thanh", "Cam Hiếu", "Cam Tuyền", "Cam Nghĩa", "Cam Chính",
            "Cam Thành", "Cam An"]
YEARS = list(range(2012, 2022))               # 8 communes x 10 years = 80 rows
CODE_MARKER = "tong_kinh_phi_bi_an"          # a name that lives only in code
DEFAULT_PARAMETER = "gia-tri-mac-dinh"       # only in the parameters cell
INJECTED_PARAMETER = "gia-tri-papermill"     # only in the cell Papermill injects
SECTION_I = "I. TÌNH HÌNH CHUNG"
SECTION_II = "II. KẾT QUẢ THỰC HIỆN"
SECTION_II_1 = "1. Trẻ em khuyết tật được hưởng trợ cấp"
SECTION_II_2 = "2. Kinh phí theo xã và năm"
SECTION_FROM_OUTPUT = "3. Đánh giá chung"  # an h2 that exists only as a Markdown output
SECTION_III = "III. PHƯƠNG HƯỚNG, NHIỆM VỤ"
CHART_TITLE = "Trẻ em hưởng trợ cấp theo năm"
SENTENCE = "Hiện tại có 353 trẻ em đang hưởng chế độ hàng tháng tại xã Cam Thủy."
HEADINGS = [SECTION_I, SECTION_II, SECTION_II_1, SECTION_II_2, SECTION_FROM_OUTPUT, SECTION_III]

_TABLE_CODE = f"""\
import pandas as pd
from IPython.display import HTML, Markdown, display
{CODE_MARKER} = 3667005000
rows = [(xa, nam, 10 + i, {CODE_MARKER} + 1000 * i)
        for i, (xa, nam) in enumerate((xa, nam) for xa in {COMMUNES!r} for nam in {YEARS!r})]
bang = pd.DataFrame(rows, columns=["Đơn vị", "Năm", "Trẻ em khuyết tật", "Kinh phí (đồng)"])
bang["Kinh phí (đồng)"] = bang["Kinh phí (đồng)"].map(lambda v: f"{{v:,}}".replace(",", "."))
display(HTML(bang.to_html(index=False)))
"""

_CHART_CODE = f"""\
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(6, 3))
ax.bar([2012, 2013, 2014, 2015, 2016, 2017], [18, 40, 80, 137, 198, 353], color="#1a4f8b")
ax.set_title("{CHART_TITLE}")
ax.set_xlabel("Năm")
ax.set_ylabel("Số trẻ em")
plt.show()
"""


def report_notebook() -> nbformat.NotebookNode:
    """The unexecuted report notebook."""
    cells = [
        new_code_cell(f'nguon = "{DEFAULT_PARAMETER}"  # tham số', metadata={"tags": ["parameters"]}),
        new_markdown_cell(f'<h1 class="tocSkip">{TITLE}</h1>\n\nHuyện Cam Lộ, tỉnh Quảng Trị.\n\n'
                          '<nav id="toc"></nav>'),
        new_markdown_cell(f"# {SECTION_I}\n\n{SENTENCE}\n\nTrẻ em khuyết tật được chăm sóc, "
                          "*giáo dục* và **bảo vệ**."),
        new_markdown_cell(f"# {SECTION_II}\n\n## {SECTION_II_1}"),
        new_code_cell(_CHART_CODE),
        new_markdown_cell(f"## {SECTION_II_2}"),
        new_code_cell(_TABLE_CODE),
        new_code_cell(f'display(Markdown("## {SECTION_FROM_OUTPUT}\\n\\nĐạt **9/9** xã, thị trấn."))'),
        new_markdown_cell(f"# {SECTION_III}\n\n- Tiếp tục rà soát.\n- Tăng cường truyền thông."),
    ]
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "evaltools": {"title": TITLE}})


@lru_cache(maxsize=1)
def executed_report() -> Path:
    """Run the report notebook with Papermill (real kernel) once; the executed .ipynb."""
    import papermill

    folder = Path(tempfile.mkdtemp(prefix="evaltools-export-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    source = folder / "source.ipynb"
    nbformat.write(report_notebook(), source)
    executed = folder / "report.ipynb"
    papermill.execute_notebook(source, executed, parameters={"nguon": INJECTED_PARAMETER},
                               kernel_name="python3", progress_bar=False, cwd=folder)
    return executed


HOSTILE = [
    "<script>document.title='PWNED'</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://example.com"></iframe>',
]
HOSTILE_MARKDOWN = ("## Nhận xét\n\n| Xã | Điểm |\n|---|---|\n| Cam Thủy | 9 |\n\n"
                    "- một *điểm* [nguồn](https://example.org/nguon)\n\n" + "\n\n".join(HOSTILE))


def hostile_notebook() -> nbformat.NotebookNode:
    """Outputs as a kernel would have stored them, each carrying a script or a trap."""
    html_outputs = [new_output("display_data", data={"text/html": text, "text/plain": "x"})
                    for text in HOSTILE]
    outputs = html_outputs + [
        new_output("display_data", data={"text/markdown": HOSTILE_MARKDOWN, "text/plain": "md"}),
        new_output("display_data", data={"application/javascript": "alert(2)", "text/plain": "js"}),
        new_output("execute_result", execution_count=1, data={
            "text/html": '<table><tr><td onmouseover="alert(3)">Cam Lộ</td></tr></table>'}),
    ]
    return new_notebook(cells=[
        new_markdown_cell("# Báo cáo thử\n\n" + "\n\n".join(HOSTILE)),
        new_code_cell("hien_thi()", outputs=outputs, execution_count=1),
    ], metadata={"evaltools": {"title": "Báo cáo thử"}})
