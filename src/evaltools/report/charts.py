"""Charts for reports: a figure sized for A4 and for a phone, the programme's style, tidy axes.

The notebook draws with seaborn as usual; these helpers only set the stage and finish
the axes::

    sns.set_theme(**report.theme(data))
    fig, ax = report.figure()
    sns.barplot(frame, x="year", y="value", hue="category_name", ax=ax)
    report.decorate(ax, data, title=..., xlabel=..., ylabel=...)
    fig

A :class:`Chart` shows itself as SVG (vector in the HTML page and the PDF, text kept
as text) with a PNG beside it for the Word copy. Sizes: 4.3 × 2.8 in with 11 pt text
reads at 11 pt on paper and at 11 CSS px or more across a 390 px phone screen.

What a reader can trust (data/README.md, "Charts"): ``decorate`` starts every bar at zero (a bar's
length is its value; close values are shown as dots with :func:`dots`), turns the category labels
upright when they would run together, and the default palette's categories stay apart in colour,
for colour-blind readers and in grey print (tests/test_charts.py measures all three).
"""

from __future__ import annotations

import io
import logging
import math

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from evaltools.model import vnformat
from evaltools.model.texts import load_texts

WIDTH_IN, HEIGHT_IN = 4.3, 2.8
FONT_PT = 11
FONTS = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]
PNG_DPI = 160
LEGEND_CHARS = 50
# Categorical colours (Paul Tol's): each pair at least 20 apart in CIEDE2000, also as a deuteranope,
# protanope or tritanope sees them, and 18 apart in lightness, so four categories stay distinct
# printed in grey; the fifth still 10 apart. A programme may set its own (programme.yaml, style.categories).
DEFAULT_PALETTE = ["#332288", "#EECC66", "#6699CC", "#994455", "#997700"]
EDGE = "#333333"            # a thin dark edge: a light bar stays visible on white paper


def theme(data=None, palette: str | None = None) -> dict:
    """Arguments for ``seaborn.set_theme``: the programme's palette, fonts and sizes."""
    style = data.programme.style if data is not None else {}
    rc = {"font.family": FONTS, "font.size": FONT_PT, "axes.titlesize": FONT_PT + 1,
          "axes.labelsize": FONT_PT, "xtick.labelsize": FONT_PT, "ytick.labelsize": FONT_PT,
          "legend.fontsize": FONT_PT, "legend.title_fontsize": FONT_PT,
          "axes.spines.top": False, "axes.spines.right": False, "svg.fonttype": "none",
          "patch.force_edgecolor": True, "patch.edgecolor": EDGE, "patch.linewidth": 0.5,
          "figure.figsize": (WIDTH_IN, HEIGHT_IN)}
    # the report's categories (``style.categories``), not the explorer's ``style.palette`` (crest's shades
    # of one hue suit nine communes' lines on a screen, not four causes on grey paper)
    return {"style": "whitegrid", "palette": palette or style.get("categories", DEFAULT_PALETTE), "rc": rc}


class Chart(Figure):
    """A matplotlib Figure that a notebook shows as SVG, with a PNG copy for Word."""

    def _render(self, fmt: str, **kw) -> bytes:
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
        buffer = io.BytesIO()
        self.savefig(buffer, format=fmt, bbox_inches="tight", **kw)
        return buffer.getvalue()

    def _repr_svg_(self) -> tuple[str, dict]:
        # (data, metadata): IPython keeps the metadata with the output, the report's template reads the alt
        return self._render("svg", metadata={"Date": None}).decode("utf-8"), {"alt": self.description()}

    def _repr_png_(self) -> bytes:
        return self._render("png", dpi=PNG_DPI)

    def description(self) -> str:
        """The text a screen reader says for the chart (its ``alt``): its titles, else its axis labels."""
        titles = [t for ax in self.axes if (t := ax.get_title())]
        labels = [t for ax in self.axes for t in (ax.get_ylabel(), ax.get_xlabel()) if t]
        return "; ".join(titles or labels) or "—"


def figure(width: float = WIDTH_IN, height: float = HEIGHT_IN, rows: int | None = None):
    """A new (figure, axes); ``rows`` sizes a horizontal bar chart for that many bars."""
    if rows is not None:
        height = 0.28 * rows + 1.0
    fig = Chart(figsize=(width, height), layout="constrained")
    return fig, fig.subplots()


def dots(ax, frame, x: str, y: str, color=None, labels: list[str] | None = None) -> None:
    """One dot per row at its value (``x``), rows named by ``y`` top to bottom: close values
    (scores of 885–925) compared on an axis that does not start at zero, where a bar would lie."""
    positions = range(len(frame))
    ax.scatter(frame[x], positions, s=36, color=color or EDGE, zorder=3)
    ax.set_yticks(list(positions), list(frame[y]))
    ax.set_ylim(len(frame) - 0.5, -0.5)
    ax.grid(axis="y", visible=True, linestyle=":", linewidth=0.6)
    for value, row, label in zip(frame[x], positions, labels or []):
        ax.annotate(label, (value, row), xytext=(6, 0), textcoords="offset points", va="center")


def _number_axis(axis, lang: str) -> None:
    def write(value, _):
        return vnformat.number(value, 0 if abs(value) >= 10 or value == int(value) else 1, lang)
    axis.set_major_formatter(FuncFormatter(write))


def decorate(ax, data=None, title: str = "", xlabel: str | None = "", ylabel: str | None = "",
             values: str = "y", lang: str | None = None, integer: bool = False, note_zero: bool = True,
             years: bool = False) -> None:
    """Finish a chart: title and labels, numbers written the language's way on the value axis,
    the legend under the plot, a note in the axis label when it does not start at 0 and, for a
    chart over the ``years`` (ticks from ``data.series(...)["year_label"]``), which year is cut off."""
    lang = lang or (data.lang if data is not None else "vi")
    words = load_texts(lang, data.programme.texts if data is not None else None)
    if years and data is not None and data.partial_years and xlabel is not None:
        xlabel = f"{xlabel} ({_partial(data, words)})"
    axis = ax.yaxis if values == "y" else ax.xaxis
    if integer:
        axis.set_major_locator(MaxNLocator(integer=True))
    _number_axis(axis, lang)
    _bars_from_zero(ax, values)
    low = ax.get_ylim()[0] if values == "y" else ax.get_xlim()[0]
    label = ylabel if values == "y" else xlabel
    if note_zero and label and not math.isclose(low, 0.0, abs_tol=1e-9) and low > 0:
        label = f"{label} ({words.plain('charts.axis_from', start=vnformat.number(low, 0, lang))})"
    ax.set(title=title, xlabel=xlabel if values == "y" else label, ylabel=label if values == "y" else ylabel)
    legend = ax.get_legend()
    if legend is not None:
        # Below the plot, not beside it: a narrow (phone-sized) chart keeps its full width for the data.
        handles, labels = ax.get_legend_handles_labels()
        legend.remove()
        # as many columns as fit the figure's width (about 50 characters at 11 pt across 4.3 in)
        widest = max(map(len, labels), default=1) + 4          # the handle and the gap after it
        columns = max(1, min(len(labels), LEGEND_CHARS // widest))
        ax.figure.legend(handles, labels, frameon=False, loc="outside lower center", ncol=columns)
    _upright_when_crowded(ax.xaxis if values == "y" else ax.yaxis)


def _partial(data, words) -> str:
    year, day = next(iter(data.partial_years.items()))
    return words.plain("charts.partial_axis", year=year, day=vnformat.date(day, words.lang))


def _bars_from_zero(ax, values: str) -> None:
    """A bar's length is its value: the value axis of a bar chart always takes in zero."""
    if not any(isinstance(c, BarContainer) for c in ax.containers):
        return
    low, high = ax.get_ylim() if values == "y" else ax.get_xlim()
    limits = (min(low, 0.0), max(high, 0.0))
    ax.set_ylim(limits) if values == "y" else ax.set_xlim(limits)


def _overlap(boxes) -> bool:
    return any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))


def _upright_when_crowded(axis) -> None:
    """Category labels that would touch ("20162017*2018" across ten years) are turned upright,
    and only if still crowded every other one is shown: measured on the drawn figure."""
    figure = axis.axes.figure
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)

    def boxes():
        return [t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
    if _overlap(boxes()):
        if axis is axis.axes.xaxis:
            before = max(b.height for b in boxes())
            axis.set_tick_params(rotation=90)
            figure.draw(renderer)
            # the figure grows by what the upright labels take, so the plot keeps its height
            figure.set_figheight(figure.get_figheight() + (max(b.height for b in boxes()) - before) / figure.dpi)
            renderer = figure.canvas.get_renderer()
            figure.draw(renderer)
        if _overlap(boxes()):
            for i, label in enumerate(axis.get_ticklabels()):
                label.set_visible(i % 2 == 0)
    _fewer_values_when_crowded(axis.axes.yaxis if axis is axis.axes.xaxis else axis.axes.xaxis, renderer)


def _fewer_values_when_crowded(axis, renderer) -> None:
    """The value axis keeps fewer ticks while its labels touch (a short chart: 0, 50, 100 ... not 0, 25 ...)."""
    for bins in (6, 4, 3, 2):
        labels = [t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
        if not _overlap(labels):
            return
        whole = all(float(v).is_integer() for v in axis.get_ticklocs())
        axis.set_major_locator(MaxNLocator(nbins=bins, integer=whole))
        axis.axes.figure.draw(renderer)


def tight_range(values: pd.Series, margin: float = 0.15) -> tuple[float, float]:
    """An axis range that shows the differences between close values (894–938 on 880–945, not 0–1000)."""
    low, high = float(values.min()), float(values.max())
    pad = max((high - low) * margin, abs(high) * 0.01, 1e-9)
    return max(0.0, low - pad) if low >= 0 else low - pad, high + pad


def completeness_heatmap(matrix: pd.DataFrame, title: str, labels: tuple[str, str, str]) -> Chart:
    """Units × years: received (1), missing (0), not expected (NaN), each its own colour and mark."""
    import seaborn as sns
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    received, missing, not_expected = labels
    colours = ["#d7301f", "#2c7fb8"]                     # missing, received
    marks = matrix.map(lambda v: "" if v != v else ("✓" if v == 1 else "✗"))
    fig, ax = figure(WIDTH_IN + 1.5, 0.3 * len(matrix) + 1.2)
    sns.heatmap(matrix.astype(float), ax=ax, cmap=ListedColormap(colours), vmin=0, vmax=1, cbar=False,
                linewidths=0.5, linecolor="white", annot=marks, fmt="", annot_kws={"color": "white"})
    ax.set_facecolor("#eeeeee")                          # not expected: grey, no mark
    ax.set(title=title, xlabel=None, ylabel=None)
    ax.legend(handles=[Patch(color=colours[1], label=received), Patch(color=colours[0], label=missing),
                       Patch(color="#eeeeee", label=not_expected)],
              loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    return fig
