"""The chart check: every chart the sample reviews draw, measured as drawn.

Each sample review's notebook (the programme's review.ipynb, the same code the report runs)
is executed in an in-process IPython shell, in both languages; every chart it displays is
caught as the matplotlib Figure and measured with matplotlib's own renderer (Agg):

- no two tick labels of an axis overlap (their drawn boxes, ``get_window_extent``);
- every bar starts at zero: the value axis takes in each bar's base, so its length is its value;
- the categories of a chart (its legend's colours) are apart by CIEDE2000 >= 20 as seen with normal
  vision and as a deuteranope, protanope and tritanope sees them, and by >= 15 in CIELAB lightness
  (what is left in grey print).

The thresholds are data/README.md's ("Charts"); the colour science is coloraide's, not evaltools'.
"""

from __future__ import annotations

from itertools import combinations

import matplotlib
import nbformat
import pytest
import yaml
from coloraide import Color
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer

from .conftest import ROOT, SAMPLE_REVIEWS

MIN_DELTA_E = 20          # CIEDE2000, each vision
MIN_LIGHTNESS = 15        # CIELAB L*, grey print
VISIONS = (None, "deutan", "protan", "tritan")


def notebook_charts(review: str, lang: str) -> list:
    """Run the review's notebook in process; return every Figure it displays."""
    from IPython.core.interactiveshell import InteractiveShell

    config = yaml.safe_load((ROOT / "data" / "reviews" / f"{review}.yaml").read_text(encoding="utf-8"))
    notebook = nbformat.read(ROOT / "programmes" / config["programme"] / "review.ipynb", as_version=4)
    shell = InteractiveShell.instance()
    shown: list = []
    from matplotlib.figure import Figure
    svg = shell.display_formatter.formatters["image/svg+xml"]
    svg.for_type(Figure, lambda fig: shown.append(fig) or "<svg/>")
    shell.display_formatter.active_types = ["text/plain", "image/svg+xml"]
    try:
        with matplotlib.rc_context():
            for cell in notebook.cells:
                if cell.cell_type != "code":
                    continue
                source = cell.source
                if "parameters" in cell.metadata.get("tags", []):
                    source += f"\nreview = {review!r}\nlang = {lang!r}\n"
                result = shell.run_cell(source, store_history=False)
                result.raise_error()
    finally:
        InteractiveShell.clear_instance()
    return list({id(f): f for f in shown}.values())


@pytest.fixture(scope="module", params=[(r, lang) for r in SAMPLE_REVIEWS for lang in ("vi", "en")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def charts(request):
    review, lang = request.param
    figures = notebook_charts(review, lang)
    for figure in figures:
        FigureCanvasAgg(figure).draw()          # laid out and drawn as the report's SVG is
    return review, lang, figures


def overlapping_ticks(figure) -> list[tuple[str, str]]:
    renderer = figure.canvas.get_renderer()
    found = []
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text().strip()]
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
            found += [(a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if box_a.overlaps(box_b)]
    return found


def bars_not_from_zero(figure) -> list[str]:
    found = []
    for ax in figure.axes:
        for container in (c for c in ax.containers if isinstance(c, BarContainer)):
            vertical = container.orientation == "vertical"
            low, high = ax.get_ylim() if vertical else ax.get_xlim()
            for bar in container.patches:
                base = bar.get_y() if vertical else bar.get_x()
                if not min(low, high) - 1e-9 <= base <= max(low, high) + 1e-9:
                    found.append(f"{ax.get_title()}: a bar's base {base} outside the axis {low:g}–{high:g}")
    return found


def legend_colours(figure) -> list[str]:
    legends = list(figure.legends) + [ax.get_legend() for ax in figure.axes if ax.get_legend()]
    colours = []
    for legend in legends:
        for handle in legend.legend_handles:
            colour = handle.get_facecolor() if hasattr(handle, "get_facecolor") else handle.get_color()
            colours.append(to_hex(colour))
    return colours


def colours_too_close(colours: list[str]) -> list[tuple[str, str, str]]:
    found = []
    for a, b in combinations(colours, 2):
        for vision in VISIONS:
            ca, cb = Color(a), Color(b)
            if vision:
                ca, cb = ca.filter(vision), cb.filter(vision)
            if ca.delta_e(cb, method="2000") < MIN_DELTA_E:
                found.append((a, b, vision or "normal"))
        lightness = [Color(c).convert("lab-d65")["lightness"] for c in (a, b)]
        if abs(lightness[0] - lightness[1]) < MIN_LIGHTNESS:
            found.append((a, b, "grey"))
    return found


def test_every_sample_review_draws_its_charts(charts):
    review, lang, figures = charts
    expected = {"ct20-2012-2017": 3, "ct20-2012-2022": 3, "annual-2022": 3, "injury-hi-2022": 2}[review]
    assert len(figures) == expected, (review, lang, [f.axes[0].get_title() for f in figures])


def test_no_tick_labels_run_together(charts):
    review, lang, figures = charts
    assert [(f.axes[0].get_title(), overlapping_ticks(f)) for f in figures if overlapping_ticks(f)] == [], (review, lang)


def test_bars_start_at_zero(charts):
    review, lang, figures = charts
    assert [p for f in figures for p in bars_not_from_zero(f)] == [], (review, lang)


def test_categories_are_apart_in_colour_for_every_reader_and_in_grey(charts):
    review, lang, figures = charts
    with_categories = [f for f in figures if len(legend_colours(f)) >= 2]
    if review.startswith("ct20"):
        assert with_categories, (review, lang)      # the allowance groups, the injury causes...
    assert [(f.axes[0].get_title(), colours_too_close(legend_colours(f))) for f in with_categories
            if colours_too_close(legend_colours(f))] == [], (review, lang)


def test_the_check_catches_what_the_issue_saw():
    """The old faults fail the check: four teal shades, a bar axis from 876, years run together."""
    import seaborn as sns
    from matplotlib.figure import Figure

    teal = [to_hex(c) for c in sns.color_palette("crest", 4)]
    assert colours_too_close(teal)
    fig = Figure(figsize=(4.3, 2.8))
    ax = fig.subplots()
    ax.barh(["a", "b"], [894, 925])
    ax.set_xlim(876, 930)
    FigureCanvasAgg(fig).draw()
    assert bars_not_from_zero(fig)
    crowded = Figure(figsize=(4.3, 2.8))
    ax = crowded.subplots()
    ax.bar(range(11), range(1, 12), tick_label=[f"{y}*" for y in range(2012, 2023)])
    ax.tick_params(labelsize=11)
    FigureCanvasAgg(crowded).draw()
    assert overlapping_ticks(crowded)
