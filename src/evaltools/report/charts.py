"""Seaborn charts of the report, returned as PNG bytes.

Charts are drawn on a bare matplotlib Figure (no pyplot), so nothing is shown
twice in a notebook and nothing leaks between charts.
"""

from __future__ import annotations

import io
import logging

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import vnformat

# Noto Sans comes with Debian's fonts-noto-core; DejaVu Sans (bundled with
# matplotlib) also covers every Vietnamese glyph and is the fallback.
STYLE = {"font.family": ["Noto Sans", "DejaVu Sans"], "font.size": 9, "axes.titlesize": 10,
         "axes.spines.top": False, "axes.spines.right": False}
PALETTE = "crest"
DPI = 130


def _png(fig: Figure) -> bytes:
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _numbers(ax, axis: str, lang: str) -> None:
    formatter = FuncFormatter(lambda v, _: vnformat.number(v, 0 if abs(v) >= 10 or v == int(v) else 1, lang))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def bars_by_year(frame: pd.DataFrame, title: str, xlabel: str, ylabel: str, lang: str) -> bytes:
    """Bars per year, one colour per category (columns: year, category, value)."""
    with sns.axes_style("whitegrid", STYLE):
        fig = Figure(figsize=(7, 3.2))
        ax = fig.subplots()
        frame = frame.astype({"category": str, "year": str})
        hue = "category" if frame["category"].nunique() > 1 else None
        sns.barplot(data=frame, x="year", y="value", hue=hue, ax=ax, palette=PALETTE if hue else None,
                    color=None if hue else sns.color_palette(PALETTE)[3])
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _numbers(ax, "y", lang)
        if hue:
            ax.legend(title=None, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        return _png(fig)


def bars_by_unit(frame: pd.DataFrame, title: str, xlabel: str, lang: str) -> bytes:
    """Horizontal bars comparing units side by side (columns: unit, value), largest first."""
    ordered = frame.astype({"unit": str}).sort_values("value", ascending=False)
    with sns.axes_style("whitegrid", STYLE):
        fig = Figure(figsize=(7, 0.35 * len(ordered) + 0.9))
        ax = fig.subplots()
        sns.barplot(data=ordered, y="unit", x="value", ax=ax, color=sns.color_palette(PALETTE)[2])
        ax.set(title=title, xlabel=xlabel, ylabel=None)
        _numbers(ax, "x", lang)
        for patch, value in zip(ax.patches, ordered["value"]):
            ax.annotate(vnformat.number(value, 0 if value >= 10 else 1, lang),
                        (patch.get_width(), patch.get_y() + patch.get_height() / 2),
                        xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        return _png(fig)


def completeness_heatmap(matrix: pd.DataFrame, title: str, labels: tuple[str, str, str]) -> bytes:
    """Units × years: received (1), missing (0), not expected (NaN), each its own colour and mark."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    received, missing, not_expected = labels
    colours = ["#d7301f", "#2c7fb8"]                     # missing, received
    marks = matrix.map(lambda v: "" if v != v else ("✓" if v == 1 else "✗"))
    with sns.axes_style("white", STYLE):
        fig = Figure(figsize=(7, 0.32 * len(matrix) + 1.2))
        ax = fig.subplots()
        sns.heatmap(matrix.astype(float), ax=ax, cmap=ListedColormap(colours), vmin=0, vmax=1, cbar=False,
                    linewidths=0.5, linecolor="white", annot=marks, fmt="", annot_kws={"color": "white"})
        ax.set_facecolor("#eeeeee")                        # not expected: grey, no mark
        ax.set(title=title, xlabel=None, ylabel=None)
        ax.legend(handles=[Patch(color=colours[1], label=received), Patch(color=colours[0], label=missing),
                           Patch(color="#eeeeee", label=not_expected)],
                  loc="upper left", bbox_to_anchor=(1, 1), frameon=False, fontsize=8)
        return _png(fig)
