"""Charts of a :class:`~modelcompare.comparison.Comparison`: bars, scatter, time line.

:func:`plot` (or :meth:`Comparison.plot <modelcompare.comparison.Comparison.plot>`)
returns a matplotlib :class:`~matplotlib.figure.Figure`, built on the figure
object alone (no pyplot, no global state; it draws with Agg), and
:func:`save_figure` writes it as PNG, SVG or PDF, atomically and byte for byte
the same on every run. matplotlib is an optional extra
(``pip install 'modelcompare[plot]'``), imported only when a chart is drawn;
without it, :class:`~modelcompare.MissingDependencyError` (an ``ImportError``)
names the extra.

Kinds
-----
``bars``
    One field across the models: horizontal bars, sorted by nominal value
    (largest at the top; ``≥100,000`` counts as 100,000, ``≈15,000`` as 15,000,
    a range by its nominal; ties keep the comparison's order; models with no
    figure last), each with the cell's text above it as the table shows it
    (``≈15,000 H100 + ? GB200 [1, 2]``: qualifier, chip, marks, source numbers).
``scatter``
    One field against another (``field`` across, ``y`` up), each point labelled
    with the model's name and its source numbers.
``timeline``
    One field against the model's date (:attr:`Model.announced
    <modelcompare.Model.announced>`), labelled as in a scatter.

What the marks mean
-------------------
Every figure is drawn as what it says, never more:

* **exact**: the bar reaches the value; a point sits on it.
* **about** (``≈``): the bar reaches the low end of the span and a pale band
  covers the span (half a unit in the last stated digit, see
  :class:`~modelcompare.Estimate`), with a tick at the stated figure; a point
  sits on the stated figure, with a pale band along its axis.
* **range** (``a–b``): the bar reaches the low end and a whisker with caps
  covers the range; a point sits on the range's nominal value, with the whisker.
* **at least** (``≥``): the bar reaches the bound and an arrow points towards
  larger values; a point sits on the bound with that arrow. No upper end is
  drawn or invented: the arrow has a fixed length on paper, and the axis is
  not stretched by it beyond room for the arrow.
* **at most** (``≤``): no bar; a marker on the bound with an arrow towards
  smaller values.
* **no figure**: no bar, never a zero: the row says ``— no figure reported``
  (in a ratio column, ``vs=``: ``— no ratio can be taken``), ``? GB200 [1] —
  no count given`` (a chip named without a count) or, where the sources
  contradict each other, every figure with the conflict mark. A scatter or
  time line cannot place such a model; the caption names it and says why
  (``Not shown: GPT-4 (MMLU: no figure)``).
* **rumored** values are open (outline only; dashed bars), **derived** ones
  hatched (bars) or diamonds (points); a legend says so, and the cells' marks
  (``†``, ``‡``, ``§``, ``!``) stay in the labels.
* A count of one chip beside a chip named with no count (MAI-1-preview's
  ``+ ? GB200``) keeps that text in its label, as in the tables.
* A date known only to the month (or the year) is drawn at the middle of it,
  with a pale band across it.

Axes and text
-------------
* Values are in the column's display scale, and the axis label is the column's
  header (``Parameters (B)``); accelerator counts are in chips, with the kind
  in the axis label (``Training accelerators (H100 count)``) or, where models
  count different chips, in each label.
* An axis is logarithmic where its figures span two orders of magnitude or
  more, and for training compute (the Epoch AI convention); ``log=`` forces it.
* The caption lists, numbered as in the tables, every source the chart cites,
  after the meaning of each mark it uses (the tables' legend).
* Any text from the data (names, titles, paths) is drawn as that text:
  matplotlib's mathtext never sees an unescaped ``$`` and ``usetex`` is off; line
  breaks become spaces and control characters U+FFFD, as in the LaTeX tables.
  Long names wrap at spaces; in the title and caption a word wider than the
  figure (a long URL) breaks after a ``/`` or ``-``, never at the figure's edge.
  Fonts: DejaVu Sans (it ships with matplotlib), with an installed CJK font for
  the characters it lacks.
* Each point's label sits beside it; where that would cover another label or a
  point, or run off the figure, it goes a little farther off, with a thin leader
  line to its point, so that no label is read as another point's.

Size and themes
---------------
``size="column"`` (3.5 in wide, 7 pt text: one column of a two-column paper)
or ``"page"`` (7 in, 9 pt), or a width in inches. ``theme="light"`` (dark text
on white) or ``"dark"`` (light text on GitHub's dark grey): each brings its own
opaque background, so either reads on any page; pick the one that matches it.
Colours are from the Okabe–Ito palette, readable with colour blindness.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import os
import re
import threading
import unicodedata
import warnings
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from .display import (
    APPROX_SIGN,
    AT_LEAST_SIGN,
    AT_MOST_SIGN,
    RANGE_DASH,
    UNKNOWN_MARK,
    format_number,
)
from .errors import InvalidValueError, MissingDependencyError
from .estimate import Bound, Estimate
from .fields import get_field
from .files import write_atomically
from .i18n import Lang
from .i18n import word as _word
from .table import MISSING, Cell, Column, ColumnKind, Flag, Table
from .units import Q_, accelerator_symbol, is_accelerator

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .model import Model
    from .records import PartialDate, Source

__all__ = [
    "FIGURE_FORMATS",
    "KINDS",
    "SIZES",
    "THEMES",
    "PlotKind",
    "Theme",
    "figure_bytes",
    "plot",
    "save_figure",
]

#: What :func:`plot` draws.
PlotKind: TypeAlias = Literal["bars", "scatter", "timeline"]
#: The kinds of chart, in the order the CLI lists them.
KINDS: tuple[PlotKind, ...] = ("bars", "scatter", "timeline")
#: Widths in inches: one column of a two-column paper, and the whole page.
SIZES: dict[str, float] = {"column": 3.5, "page": 7.0}
#: Base font size in points for each width.
_FONT_SIZES = {"column": 7.0, "page": 9.0}
#: The formats :func:`save_figure` writes, by file suffix.
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
#: Fields drawn on a log axis whatever their span (compute, as Epoch AI draws it).
_LOG_FIELDS = frozenset({"training_compute", "training_peak_compute"})
#: An axis is logarithmic where its largest figure is this many times its smallest.
_LOG_SPAN = 100.0
#: Length of the arrow of a bound, in points; the share of an axis kept free for it.
_ARROW_PT, _ARROW_ROOM = 14.0, 0.2
_FONT = "DejaVu Sans"
#: Fonts a glyph DejaVu Sans lacks is drawn in, where installed (Epoch AI lists
#: "ERNIE 4.5 (文心大模型4.5)"): CJK first, in the order they are looked for.
_FALLBACK_FONTS = (
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)
#: Held while a chart is drawn or saved: matplotlib's settings (rcParams, which
#: :func:`plot` and :func:`figure_bytes` set for the time they run) are global,
#: so two threads must not draw at once.
_LOCK = threading.RLock()
_PNG_DPI = 300


@dataclass(frozen=True, slots=True)
class Theme:
    """The colours of a chart. Each theme has an opaque background of its own."""

    name: str
    background: str
    foreground: str
    """Text, axes, whiskers and arrows."""
    muted: str
    """The caption and the labels of gaps."""
    grid: str
    accent: str
    """Bars and points."""


#: The themes, by name: ``light`` (for white pages) and ``dark`` (for dark ones).
THEMES: dict[str, Theme] = {
    "light": Theme("light", "#ffffff", "#1f2328", "#59636e", "#d1d9e0", "#0072b2"),
    "dark": Theme("dark", "#0d1117", "#e6edf3", "#9198a1", "#3d444d", "#56b4e9"),
}


# -- matplotlib, loaded on first use ---------------------------------------------------------------
def _matplotlib() -> Any:
    """The matplotlib package; :class:`MissingDependencyError` naming the extra if absent."""
    try:
        import matplotlib
        import matplotlib.figure
        from matplotlib.backends import backend_agg  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError("matplotlib", "plot", "charts") from exc
    return matplotlib


@functools.cache
def _families() -> tuple[str, ...]:
    """The chart's font, then the installed fallbacks (:data:`_FALLBACK_FONTS`):
    a glyph the first lacks is drawn in the next that has it (text of any
    script; a glyph none has is drawn as a box, and matplotlib warns)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return (_FONT, *(f for f in _FALLBACK_FONTS if f in installed))


def _rc(theme: Theme, font_size: float) -> dict[str, Any]:
    """The settings a chart is drawn with (only inside :func:`plot` and :func:`save_figure`)."""
    return {
        "text.usetex": False,
        "font.family": list(_families()),
        "font.size": font_size,
        "mathtext.fontset": "dejavusans",
        "axes.unicode_minus": True,
        "svg.fonttype": "path",
        "svg.hashsalt": "modelcompare",
        "pdf.fonttype": 42,
        "hatch.linewidth": 0.6,
        "path.simplify": True,
        "text.color": theme.foreground,
        "axes.edgecolor": theme.foreground,
        "axes.labelcolor": theme.foreground,
        "xtick.color": theme.foreground,
        "ytick.color": theme.foreground,
        "figure.facecolor": theme.background,
        "axes.facecolor": theme.background,
        "savefig.facecolor": theme.background,
    }


# -- user text -------------------------------------------------------------------------------------
_LINE_BREAK = re.compile(r"\r\n?|\n")


def literal(text: str) -> str:
    """``text`` as matplotlib draws it verbatim: ``$`` escaped (never mathtext),
    line breaks as spaces, control characters as U+FFFD.

    >>> literal("R&D $x^2$ \\\\alpha")
    'R&D \\\\$x^2\\\\$ \\\\alpha'
    """
    text = _LINE_BREAK.sub(" ", text)
    text = "".join("\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return text.replace("$", r"\$")


def _text_width(text: str, size: float) -> float:
    """Width in points of ``text`` set in the chart's font at ``size`` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    with warnings.catch_warnings():  # a glyph the font lacks: drawing warns once
        warnings.simplefilter("ignore", UserWarning)
        font = FontProperties(family=list(_families()), size=size)
        width, _, _ = TextToPath().get_text_width_height_descent(
            text.replace(r"\$", "$"), font, ismath=False
        )
    return float(width)


def _wrap(
    text: str, size: float, width: float, indent: str = "", *, break_words: bool = False
) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` points wide; later
    lines start with ``indent``. A word wider than a line keeps a line of its own,
    or, with ``break_words`` (the title and caption, which nothing makes room for:
    a long URL), is broken after a ``/``, ``-``, ``.``, ``_``, ``?``, ``&``, ``=``
    or ``#`` where it has one, else anywhere (:func:`_pieces`), so that the
    figure's edge never cuts it."""
    words = text.split(" ")
    lines: list[str] = []
    line = ""
    for n, word in enumerate(words):
        candidate = f"{line} {word}" if n else word
        if line.strip() and _text_width(candidate, size) > width:
            lines.append(line)
            line = indent + word
        else:
            line = candidate
        if break_words and _text_width(line, size) > width:  # one word wider than a line
            *whole, line = _pieces(line, size, width, indent)
            lines += whole
    lines.append(line)
    return lines


_BREAK_AFTER = frozenset("/-._?&=#")


def _pieces(text: str, size: float, width: float, indent: str) -> list[str]:
    """``text`` (no space in it past ``indent``) cut into lines at most ``width``
    points wide, each cut after a :data:`_BREAK_AFTER` character where the line
    has one, the later lines starting with ``indent``."""
    out: list[str] = []
    while _text_width(text, size) > width:
        start = len(indent) if out else len(text) - len(text.lstrip())
        fit = start + 1
        while fit < len(text) and _text_width(text[: fit + 1], size) <= width:
            fit += 1
        cut = max((i + 1 for i in range(start, fit) if text[i] in _BREAK_AFTER), default=fit)
        if cut >= len(text):
            break
        out.append(text[:cut])
        text = indent + text[cut:]
    out.append(text)
    return out


# -- what each model's cell says -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Reading:
    """One known figure on one axis: its bound kind and numbers (NaN where unbounded)."""

    bound: Bound
    low: float
    nominal: float
    high: float
    chip: str = ""
    """The kind of chip counted, for accelerator columns."""

    @property
    def position(self) -> float:
        """Where a point sits: the stated figure, or the bound of a one-sided one."""
        if self.bound is Bound.AT_LEAST:
            return self.low
        if self.bound is Bound.AT_MOST:
            return self.high
        return self.nominal

    @property
    def certain(self) -> float:
        """How far a bar reaches: the value, or the low end (0 for an upper bound)."""
        if self.bound is Bound.EXACT:
            return self.nominal
        if self.bound is Bound.AT_MOST:
            return math.nan
        return self.low

    @property
    def figures(self) -> tuple[float, ...]:
        """Every finite number drawn."""
        return tuple(x for x in (self.low, self.nominal, self.high) if math.isfinite(x))


def _finite(x: float) -> float:
    return x if math.isfinite(x) else math.nan


def _reading(cell: Cell, column: Column) -> _Reading | None:
    """The figure ``cell`` gives, in the column's scale (accelerators: in chips);
    None where it has none (missing, a chip with no count, contradicting claims)."""
    value = cell.value
    if not isinstance(value, Estimate) or not value.is_known:
        return None
    bound = value.bound
    if bound is Bound.APPROX and APPROX_SIGN not in cell.text:
        bound = Bound.RANGE  # a span stated, not a source's rounding: drawn as a range
    if column.per_cell_unit and is_accelerator(Q_(1, value.units)):
        chip = accelerator_symbol(Q_(1, value.units))
        lo, n, hi = value.interval(chip)
        return _Reading(bound, _finite(lo), _finite(n), _finite(hi), chip)
    return _Reading(bound, _finite(cell.low), _finite(cell.nominal), _finite(cell.high))


#: The language of the chart being drawn (its comparison's): its own words, its ticks.
_LANG: ContextVar[Lang] = ContextVar("modelcompare_plot_lang", default="en")


def _w(text: str) -> str:
    """One of the chart's own words in the chart's language."""
    return _word(text, _LANG.get())


def _why_not(cell: Cell, column: Column) -> str:
    """Why a cell gives no figure to draw: ``MMLU: no figure``."""
    label = column.label
    colon = _w(":")
    if cell.missing and column.kind is ColumnKind.RATIO:
        return f"{column.field.label} {label}{colon} {_w('no ratio')}"
    if cell.missing:
        return f"{label}{colon} {_w('no figure')}"
    if Flag.CONFLICT in cell.flags:
        return f"{label}{colon} {_w('the sources contradict each other')}"
    return f"{label}{colon} {_w('no count, only the unit')}"


def _gap_text(cell: Cell, column: Column) -> str:
    """What a bar chart's row shows where there is no figure to draw."""
    if cell.missing and column.kind is ColumnKind.RATIO:
        return f"{MISSING} {_w('no ratio can be taken')}"
    if cell.missing:
        return f"{MISSING} {_w('no figure reported')}"
    if Flag.CONFLICT in cell.flags:
        return f"{cell.display} ({_w('the sources contradict each other')})"
    return f"{cell.display} {MISSING} {_w('no count given')}"


@dataclass(frozen=True, slots=True)
class _Style:
    """How a value's status is drawn."""

    rumored: bool
    derived: bool

    @classmethod
    def of(cls, *cells: Cell) -> _Style:
        flags = {f for c in cells for f in c.flags}
        return cls(Flag.RUMORED in flags, Flag.DERIVED in flags)


# -- column and scale ------------------------------------------------------------------------------
def _column(comparison: Table, name: str | None, skip: Sequence[Column] = ()) -> int:
    """The index of the numeric column ``name`` names (its key or field); the
    first numeric column not in ``skip`` where ``name`` is None."""
    numeric = [i for i, c in enumerate(comparison.columns) if c.numeric]
    listed = ", ".join(comparison.columns[i].key for i in numeric) or "none"
    if name is None:
        free = [i for i in numeric if comparison.columns[i] not in skip]
        if not free:
            raise InvalidValueError(
                f"the comparison has no{' other' if skip else ''} numeric column to plot "
                f"(its numeric columns: {listed})"
            )
        return free[0]
    for i, c in enumerate(comparison.columns):
        if c.key == name:
            index = i
            break
    else:
        spec = get_field(name)  # UnknownFieldError with suggestions
        matches = [i for i, c in enumerate(comparison.columns) if c.field.name == spec.name]
        if not matches:
            raise InvalidValueError(
                f"the comparison has no column {spec.name!r} (its numeric columns: {listed})"
            )
        index = matches[0]
    column = comparison.columns[index]
    if not column.numeric:
        raise InvalidValueError(
            f"{column.key!r} is {column.kind.value}, not a quantity; a chart plots "
            f"numeric columns (here: {listed})"
        )
    return index


def _axis_label(column: Column, readings: Sequence[_Reading]) -> str:
    """The column's header; for accelerators, the kind of chip counted."""
    if column.per_cell_unit:
        chips = sorted({r.chip for r in readings if r.chip})
        if len(chips) == 1:
            kind = f"{_w('count')} {chips[0]}" if _LANG.get() == "fr" else f"{chips[0]} count"
        else:
            kind = _w("count of chips; kind in each label")
        return f"{column.label} ({kind})"
    if column.kind is ColumnKind.RATIO:
        return f"{column.field.label} {column.label}"
    return column.header


@dataclass(frozen=True, slots=True)
class _Axis:
    """An axis's scale and limits, fixed before anything is drawn."""

    log: bool
    lo: float
    hi: float

    def fraction(self, x: float) -> float:
        """Where ``x`` lies between the limits (0 to 1)."""
        if self.log:
            lo, hi = math.log10(self.lo), math.log10(self.hi)
            return (math.log10(x) - lo) / (hi - lo)
        return (x - self.lo) / (self.hi - self.lo)


def _wants_log(column: Column, figures: Sequence[float], log: bool | None) -> bool:
    positive = [x for x in figures if x > 0]
    if log is not None:
        if log and len(positive) < len(figures):
            raise InvalidValueError(
                f"a log axis cannot show {column.key!r}: it has figures of zero or below"
            )
        return log
    if not positive or len(positive) < len(figures):
        return False
    return column.field.name in _LOG_FIELDS or max(positive) / min(positive) >= _LOG_SPAN


def _axis(
    column: Column,
    readings: Sequence[_Reading],
    log: bool | None,
    *,
    from_zero: bool,
) -> _Axis:
    """Limits that show every figure, from zero (bars on a linear axis) or a
    decade below the smallest (log), with room for the arrows of bounds."""
    figures = [x for r in readings for x in r.figures]
    is_log = _wants_log(column, figures, log)
    up = any(r.bound is Bound.AT_LEAST for r in readings)
    down = any(r.bound is Bound.AT_MOST for r in readings) and not from_zero
    if is_log:
        a, b = math.log10(min(figures)), math.log10(max(figures))
        span = max(b - a, 0.5)
        if from_zero:  # bars start at the decade below the smallest figure
            lo = float(math.floor(a))
            lo -= 1 if lo == a else 0
        else:
            lo = a - 0.08 * span
        hi = b + 0.08 * (b - lo if from_zero else span)
        if up and (b - lo) / (hi - lo) > 1 - _ARROW_ROOM:
            hi = lo + (b - lo) / (1 - _ARROW_ROOM)
        if down and (hi - a) / (hi - lo) > 1 - _ARROW_ROOM:
            lo = hi - (hi - a) / (1 - _ARROW_ROOM)
        return _Axis(True, 10.0**lo, 10.0**hi)
    top = max(figures)
    bottom = 0.0 if from_zero else min(figures)
    if from_zero:
        bottom = min(bottom, min(figures))
    pad = (top - bottom) * 0.08 or abs(top) * 0.1 or 1.0
    lo = bottom if from_zero else bottom - pad
    hi = top + pad
    if up:
        hi = max(hi, lo + (top - lo) / (1 - _ARROW_ROOM))
    if down:
        lo = min(lo, hi - (hi - bottom) / (1 - _ARROW_ROOM))
    return _Axis(False, lo, hi)


def _format_tick(x: float, _pos: Any = None, *, lang: Lang = "en") -> str:
    """A tick label as the tables write numbers (``15,000``, ``0.1``; ``15 000`` in French)."""
    return format_number(float(f"{x:.12g}"), lang)


def _apply_axis(ax: Axes, which: str, axis: _Axis) -> None:
    """Set ``ax``'s ``which`` axis ("x" or "y") to ``axis``: scale, limits, ticks
    written as the tables write numbers."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    target = ax.xaxis if which == "x" else ax.yaxis
    if axis.log:
        if which == "x":
            ax.set_xscale("log")
        else:
            ax.set_yscale("log")
        decades = math.log10(axis.hi) - math.log10(axis.lo)
        subs = (1.0,) if decades > 2.5 else (1.0, 2.0, 5.0) if decades > 1 else (1.0, 2.0, 3.0, 5.0)
        target.set_major_locator(LogLocator(base=10.0, subs=subs, numticks=8))
        target.set_minor_formatter(NullFormatter())
    if which == "x":
        ax.set_xlim(axis.lo, axis.hi)
    else:
        ax.set_ylim(axis.lo, axis.hi)
    # ticks are written when the figure is drawn: the formatter keeps the chart's language
    target.set_major_formatter(FuncFormatter(functools.partial(_format_tick, lang=_LANG.get())))


# -- drawing ---------------------------------------------------------------------------------------
@dataclass
class _Canvas:
    """A figure being drawn: its axes, theme, sizes, and what the legend needs."""

    fig: Figure
    ax: Axes
    theme: Theme
    size: float
    """Base font size in points."""
    width: float
    """Figure width in inches."""
    used: set[str]
    """Legend entries the drawing used."""
    labels: list[Any] = field(default_factory=list)
    """The points' labels, placed once the figure is laid out (:func:`_place_labels`)."""

    def gid(self, artist: Any, what: str, model: Model) -> None:
        """Name an artist for tests and SVG ids: ``xarrow-grok``."""
        artist.set_gid(f"{what}-{model.id}")

    def arrow(self, model: Model, x: float, y: float, axis: str, direction: int) -> None:
        """An arrow from (x, y) towards larger (``direction`` 1) or smaller (-1) values."""
        dx, dy = (direction * _ARROW_PT, 0.0) if axis == "x" else (0.0, direction * _ARROW_PT)
        ann = self.ax.annotate(
            "",
            xy=(x, y),
            xytext=(dx, dy),
            textcoords="offset points",
            arrowprops={
                "arrowstyle": "<|-,head_length=0.5,head_width=0.25",
                "color": self.theme.foreground,
                "linewidth": 0.9,
                "shrinkA": 0,
                "shrinkB": 0,
            },
            annotation_clip=False,
        )
        ann.set_in_layout(False)
        self.gid(ann, f"{axis}arrow", model)
        if ann.arrow_patch is not None:  # what an SVG's id names
            self.gid(ann.arrow_patch, f"{axis}arrow", model)
        self.used.add("at_least" if direction > 0 else "at_most")

    def uncertainty(self, model: Model, r: _Reading, x: float, y: float, axis: str) -> None:
        """The glyph of ``r``'s bound along ``axis`` at a point (x, y): a band, a
        whisker or an arrow (exact values have none)."""
        ax, t = self.ax, self.theme

        def along(a: float, b: float) -> tuple[list[float], list[float]]:
            return ([a, b], [y, y]) if axis == "x" else ([x, x], [a, b])

        if r.bound is Bound.APPROX:
            (line,) = ax.plot(
                *along(r.low, r.high),
                color=t.accent,
                alpha=0.35,
                linewidth=5,
                solid_capstyle="butt",
                zorder=2,
            )
            self.gid(line, f"{axis}band", model)
            self.used.add("approx")
        elif r.bound is Bound.RANGE:
            cap = "|" if axis == "x" else "_"
            (line,) = ax.plot(
                *along(r.low, r.high),
                color=t.foreground,
                linewidth=0.9,
                marker=cap,
                markersize=5,
                zorder=2,
            )
            self.gid(line, f"{axis}whisker", model)
            self.used.add("range")
        elif r.bound is Bound.AT_LEAST:
            self.arrow(model, x, y, axis, 1)
        elif r.bound is Bound.AT_MOST:
            self.arrow(model, x, y, axis, -1)

    def point(self, model: Model, x: float, y: float, style: _Style) -> None:
        t = self.theme
        marker = "D" if style.derived else "o"
        (line,) = self.ax.plot(
            [x],
            [y],
            linestyle="none",
            marker=marker,
            markersize=4.5 if style.derived else 5,
            markerfacecolor="none" if style.rumored else t.accent,
            markeredgecolor=t.accent,
            markeredgewidth=1.0,
            zorder=3,
        )
        self.gid(line, "point", model)
        self.used.add(_style_entry(style))


def _style_entry(style: _Style) -> str:
    if style.rumored and style.derived:
        return "rumored_derived"
    return "rumored" if style.rumored else "derived" if style.derived else "stated"


def _bar_patch_style(style: _Style, theme: Theme) -> dict[str, Any]:
    return {
        "facecolor": "none" if style.rumored or style.derived else theme.accent,
        "edgecolor": theme.accent,
        "linewidth": 0.9,
        "linestyle": "--" if style.rumored else "-",
        "hatch": "////" if style.derived else None,
    }


def _legend_handles(canvas: _Canvas, kind: PlotKind) -> list[tuple[Any, str]]:
    """Handles and labels of the entries the chart uses, in a fixed order."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    t = canvas.theme
    bars = kind == "bars"

    def status(style: _Style) -> Any:
        if bars:
            return Patch(**_bar_patch_style(style, t))
        return Line2D(
            [],
            [],
            linestyle="none",
            marker="D" if style.derived else "o",
            markersize=4.5,
            markerfacecolor="none" if style.rumored else t.accent,
            markeredgecolor=t.accent,
        )

    entries = {
        "stated": (status(_Style(False, False)), _w("stated by a source")),
        "rumored": (status(_Style(True, False)), f"{_w('rumored')} {Flag.RUMORED.mark}"),
        "derived": (status(_Style(False, True)), f"{_w('derived')} {Flag.DERIVED.mark}"),
        "rumored_derived": (status(_Style(True, True)), _w("derived from a rumor")),
        "approx": (
            Line2D([], [], color=t.accent, alpha=0.35, linewidth=5, solid_capstyle="butt"),
            f"{APPROX_SIGN} {_w('about: the source' + chr(39) + 's rounding')}",
        ),
        "range": (
            Line2D([], [], color=t.foreground, linewidth=0.9, marker="|", markersize=5),
            f"a{RANGE_DASH}b{_w(':')} {_w('a range')}",
        ),
        "at_least": (
            _ArrowHandle(1, t.foreground),
            f"{AT_LEAST_SIGN} {_w('at least: no upper end')}",
        ),
        "at_most": (
            _ArrowHandle(-1, t.foreground),
            f"{AT_MOST_SIGN} {_w('at most: no lower end')}",
        ),
        "date": (
            Line2D([], [], color=t.muted, linewidth=1.2),
            _w("the month (or year) of the date"),
        ),
    }
    return [entries[k] for k in entries if k in canvas.used]


class _ArrowHandle:
    """A legend entry drawn as the arrow of a bound."""

    def __init__(self, direction: int, color: str) -> None:
        self.direction = direction
        self.color = color


def _arrow_handler() -> Any:
    from matplotlib.legend_handler import HandlerBase
    from matplotlib.patches import FancyArrowPatch

    class Handler(HandlerBase):
        def create_artists(
            self,
            legend: Any,
            orig_handle: Any,
            xdescent: float,
            ydescent: float,
            width: float,
            height: float,
            fontsize: float,
            trans: Any,
        ) -> list[Any]:
            y = height / 2 - ydescent
            a, b = (-xdescent, width - xdescent)
            if orig_handle.direction < 0:
                a, b = b, a
            return [
                FancyArrowPatch(
                    (a, y),
                    (b, y),
                    arrowstyle="-|>,head_length=0.5,head_width=0.25",
                    mutation_scale=fontsize,
                    color=orig_handle.color,
                    linewidth=0.9,
                    shrinkA=0,
                    shrinkB=0,
                    transform=trans,
                )
            ]

    return Handler()


# -- the kinds -------------------------------------------------------------------------------------
def _names(comparison: Table) -> dict[str, str]:
    """Each model's name as the chart shows it, by id (:attr:`Table.row_names`)."""
    return dict(zip((m.id for m in comparison.models), comparison.row_names, strict=True))


def _draw_bars(
    canvas: _Canvas, comparison: Table, j: int, log: bool | None, sort: bool
) -> tuple[list[Cell], list[str]]:
    shown_as = _names(comparison)
    ax, t = canvas.ax, canvas.theme
    column = comparison.columns[j]
    rows = list(zip(comparison.models, (row[j] for row in comparison.rows), strict=True))
    readings = [_reading(cell, column) for _, cell in rows]
    order = list(range(len(rows)))
    if sort:
        known = [i for i in order if readings[i] is not None]
        known.sort(key=lambda i: -_sort_key(readings[i]))
        order = known + [i for i in order if readings[i] is None]
    drawn = [r for r in readings if r is not None]
    if not drawn:
        raise InvalidValueError(
            f"no model of the comparison has a figure for {column.key!r}; nothing to draw"
        )
    axis = _axis(column, drawn, log, from_zero=True)
    _apply_axis(ax, "x", axis)
    base = axis.lo
    height = 0.4
    names: list[str] = []
    for y, i in enumerate(order):
        model, cell = rows[i]
        r = readings[i]
        label = shown_as[model.id]
        names.append("\n".join(_wrap(literal(label), canvas.size, 72 * canvas.width * 0.3)))
        bar_y = y + 0.17
        if r is None:
            text = ax.text(
                0.01,
                bar_y,
                literal(_gap_text(cell, column)),
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=canvas.size - 0.5,
                color=t.muted,
                fontstyle="italic",
            )
            text.set_in_layout(False)
            canvas.gid(text, "gap", model)
            continue
        style = _Style.of(cell)
        canvas.used.add(_style_entry(style))
        reach = r.certain
        if math.isfinite(reach) and reach > base:
            (bar,) = ax.barh(
                bar_y, reach - base, height=height, left=base, **_bar_patch_style(style, t)
            )
            canvas.gid(bar, "bar", model)
        if r.bound is Bound.APPROX:
            from matplotlib.patches import Rectangle

            band = Rectangle(
                (r.low, bar_y - height / 2),
                r.high - r.low,
                height,
                facecolor=t.accent,
                alpha=0.35,
                edgecolor="none",
                zorder=2,
            )
            ax.add_patch(band)
            canvas.gid(band, "xband", model)
            (tick,) = ax.plot(
                [r.nominal, r.nominal],
                [bar_y - height / 2, bar_y + height / 2],
                color=t.foreground,
                linewidth=0.9,
                zorder=3,
            )
            canvas.gid(tick, "xnominal", model)
            canvas.used.add("approx")
        elif r.bound is Bound.AT_MOST:
            (mark,) = ax.plot(
                [r.high],
                [bar_y],
                linestyle="none",
                marker="|",
                markersize=7,
                markeredgewidth=1.2,
                color=t.accent,
                zorder=3,
            )
            canvas.gid(mark, "xbound", model)
            canvas.uncertainty(model, r, r.high, bar_y, "x")
        else:
            canvas.uncertainty(model, r, r.position, bar_y, "x")
        text = ax.text(
            0.01,
            y - 0.22,
            literal(cell.display),
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=canvas.size - 0.5,
            color=t.foreground,
        )
        text.set_in_layout(False)
        canvas.gid(text, "value", model)
    ax.set_yticks([y + 0.17 for y in range(len(order))], labels=names)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlabel(literal(_axis_label(column, drawn)))
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=t.grid, linewidth=0.5, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    return [cell for _, cell in rows], []


def _sort_key(r: _Reading | None) -> float:
    assert r is not None
    return r.nominal if math.isfinite(r.nominal) else r.position


def _label_point(canvas: _Canvas, model: Model, text: str, x: float, y: float, fx: float) -> None:
    """The model's name beside its point: to the right, or to the left near the right
    edge, until :func:`_place_labels` finds it a place clear of the others."""
    right = fx > 0.7
    ann = canvas.ax.annotate(
        literal(text),
        xy=(x, y),
        xytext=(-4 if right else 4, 3),
        textcoords="offset points",
        ha="right" if right else "left",
        va="bottom",
        fontsize=canvas.size - 0.5,
        color=canvas.theme.foreground,
        annotation_clip=False,
        # a leader to the point, shown where the label is moved off it
        arrowprops={
            "arrowstyle": "-",
            "color": canvas.theme.muted,
            "linewidth": 0.5,
            "shrinkA": 1,
            "shrinkB": 3,
        },
    )
    ann.set_in_layout(False)
    assert ann.arrow_patch is not None
    ann.arrow_patch.set_visible(False)
    canvas.gid(ann, "label", model)
    canvas.labels.append(ann)


#: Where a label may go, in order of preference: its offset from the point (in
#: points) and its alignment; beside the point first (right, then left), then
#: farther off with a leader line to it (:data:`_LEADER_FROM` points up or down).
_LABEL_PLACES = tuple(
    (dx * side, dy, "left" if side > 0 else "right", va)
    for dx, dy, va in (
        (4, 3, "bottom"),
        (4, -3, "top"),
        (8, 12, "bottom"),
        (8, -12, "top"),
        (14, 22, "bottom"),
        (14, -22, "top"),
    )
    for side in (1, -1)
) + tuple(
    (0, dy, "center", va) for dy, va in ((6, "bottom"), (-6, "top"), (16, "bottom"), (-16, "top"))
)
_LEADER_FROM = 9


def _place_labels(canvas: _Canvas) -> None:
    """Move each point's label to the first of :data:`_LABEL_PLACES` where it lies
    inside the figure and clear of the labels placed before it and of every point
    (one moved off its point gets a leader line to it, so that it is never read
    as another point's);
    where none is, to the one it overlaps least (a cut label loses its sources'
    numbers; two on top of each other can be read as neither). "Inside" is over the
    plot or above it, right of the ticks' labels. Run once the figure
    is laid out: labels take no part in the layout, so moving them changes nothing else."""
    if not canvas.labels:
        return
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    fig, ax = canvas.fig, canvas.ax
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    # the plot, and above it to the figure's top: not over the ticks' labels, nor
    # past the figure's edges
    plot = ax.get_window_extent(renderer)
    inside = Bbox.from_extents(plot.x0, plot.y0, fig.bbox.x1, fig.bbox.y1)
    dot = 3.5 * fig.dpi / 72  # a marker's half size, in pixels
    points = [ax.transData.transform(ann.xy) for ann in canvas.labels]
    taken: list[tuple[float, float, float, float]] = [
        (px - dot, py - dot, px + dot, py + dot) for px, py in points
    ]

    def overlap(box: tuple[float, float, float, float]) -> float:
        x0, y0, x1, y1 = box
        out = max(0.0, float(inside.x0) - x0) + max(0.0, x1 - float(inside.x1))
        out += max(0.0, float(inside.y0) - y0) + max(0.0, y1 - float(inside.y1))
        area = out * 1e6  # outside the figure: worse than any overlap
        for a0, b0, a1, b1 in taken:
            w, h = min(x1, a1) - max(x0, a0), min(y1, b1) - max(y0, b0)
            if w > 0 and h > 0:
                area += w * h
        return area

    order = sorted(range(len(canvas.labels)), key=lambda i: (-points[i][1], points[i][0]))
    for i in order:
        ann = canvas.labels[i]
        best: tuple[float, tuple[float, float, float, float], tuple[Any, ...]] | None = None
        for place in _LABEL_PLACES:
            dx, dy, ha, va = place
            ann.xyann = (dx, dy)
            ann.set_horizontalalignment(ha)
            ann.set_verticalalignment(va)
            ann.update_positions(renderer)
            e = Text.get_window_extent(ann, renderer)  # the text's, not its leader's
            box = (e.x0, e.y0, e.x1, e.y1)
            score = overlap(box)
            if best is None or score < best[0]:
                best = (score, box, place)
            if score == 0:
                break
        assert best is not None
        dx, dy, ha, va = best[2]
        ann.xyann = (dx, dy)
        ann.set_horizontalalignment(ha)
        ann.set_verticalalignment(va)
        if abs(dy) >= _LEADER_FROM and ann.arrow_patch is not None:
            ann.arrow_patch.set_visible(True)  # off its point: a leader says whose it is
            # from the label's corner (or middle edge) nearest the point
            rx = {"left": 0.0, "right": 1.0}.get(ha, 0.5)
            ann._arrow_relpos = (rx, 0.0 if va == "bottom" else 1.0)
        taken.append(best[1])


def _refs(cells: Sequence[Cell]) -> str:
    numbers = sorted({n for c in cells for n in c.sources})
    marks = [f.mark for f in Flag if any(f in c.flags for c in cells)]
    parts = [" ".join(marks)] if marks else []
    if numbers:
        parts.append(f"[{', '.join(map(str, numbers))}]")
    return " ".join(parts)


def _style_axes(canvas: _Canvas) -> None:
    ax, t = canvas.ax, canvas.theme
    ax.grid(color=t.grid, linewidth=0.5, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _draw_scatter(
    canvas: _Canvas,
    comparison: Table,
    jx: int,
    jy: int,
    log: bool | None,
    log_y: bool | None,
) -> tuple[list[Cell], list[str]]:
    shown_as = _names(comparison)
    ax = canvas.ax
    cx, cy = comparison.columns[jx], comparison.columns[jy]
    placed: list[tuple[Model, Cell, Cell, _Reading, _Reading]] = []
    not_shown: list[str] = []
    cells: list[Cell] = []
    for model, row in zip(comparison.models, comparison.rows, strict=True):
        a, b = row[jx], row[jy]
        ra, rb = _reading(a, cx), _reading(b, cy)
        if ra is None or rb is None:
            reasons = [_why_not(c, col) for c, col, r in ((a, cx, ra), (b, cy, rb)) if r is None]
            not_shown.append(f"{shown_as[model.id]} ({'; '.join(reasons)})")
            continue
        placed.append((model, a, b, ra, rb))
        cells += [a, b]
    if not placed:
        raise InvalidValueError(
            f"no model of the comparison has figures for both {cx.key!r} and {cy.key!r}; "
            "nothing to draw"
        )
    xa = _axis(cx, [p[3] for p in placed], log, from_zero=False)
    ya = _axis(cy, [p[4] for p in placed], log_y, from_zero=False)
    _apply_axis(ax, "x", xa)
    _apply_axis(ax, "y", ya)
    for model, a, b, ra, rb in placed:
        x, y = ra.position, rb.position
        canvas.uncertainty(model, ra, x, y, "x")
        canvas.uncertainty(model, rb, x, y, "y")
        canvas.point(model, x, y, _Style.of(a, b))
        label = f"{shown_as[model.id]} {_refs([a, b])}".strip()
        _label_point(canvas, model, label, x, y, xa.fraction(x))
    ax.set_xlabel(literal(_axis_label(cx, [p[3] for p in placed])))
    ax.set_ylabel(literal(_axis_label(cy, [p[4] for p in placed])))
    _style_axes(canvas)
    return cells, not_shown


def _period(date: PartialDate) -> tuple[_dt.date, _dt.date]:
    """The first day of a partial date and the first day after it."""
    if date.month is None:
        return _dt.date(date.year, 1, 1), _dt.date(date.year + 1, 1, 1)
    start = _dt.date(date.year, date.month, date.day or 1)
    if date.day is not None:
        return start, start + _dt.timedelta(days=1)
    if date.month == 12:
        return start, _dt.date(date.year + 1, 1, 1)
    return start, _dt.date(date.year, date.month + 1, 1)


def _draw_timeline(
    canvas: _Canvas, comparison: Table, j: int, log: bool | None
) -> tuple[list[Cell], list[str]]:
    shown_as = _names(comparison)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num

    ax, t = canvas.ax, canvas.theme
    column = comparison.columns[j]
    placed: list[tuple[Model, Cell, _Reading, float, float, float]] = []
    not_shown: list[str] = []
    for model, row in zip(comparison.models, comparison.rows, strict=True):
        cell = row[j]
        r = _reading(cell, column)
        reasons = [] if r is not None else [_why_not(cell, column)]
        if model.announced is None:
            reasons.append("no date")
        if r is None or model.announced is None:
            not_shown.append(f"{shown_as[model.id]} ({'; '.join(reasons)})")
            continue
        start, end = _period(model.announced)
        a, b = float(date2num(start)), float(date2num(end))  # type: ignore[no-untyped-call]
        placed.append((model, cell, r, a, (a + b) / 2, b))
    if not placed:
        raise InvalidValueError(
            f"no model of the comparison has both a date and a figure for {column.key!r}; "
            "nothing to draw"
        )
    ya = _axis(column, [p[2] for p in placed], log, from_zero=False)
    _apply_axis(ax, "y", ya)
    first, last = min(p[3] for p in placed), max(p[5] for p in placed)
    pad = max((last - first) * 0.08, 45.0)
    lo, hi = first - pad, last + pad
    if hi - lo < 365:
        mid = (lo + hi) / 2
        lo, hi = mid - 183, mid + 183
    ax.set_xlim(lo, hi)
    locator = AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = ConciseDateFormatter(locator, show_offset=False)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    for model, cell, r, a, x, b in placed:
        y = r.position
        if b - a > 1:
            (span,) = ax.plot(
                [a, b], [y, y], color=t.muted, linewidth=1.2, solid_capstyle="butt", zorder=2
            )
            canvas.gid(span, "xdate", model)
            canvas.used.add("date")
        canvas.uncertainty(model, r, x, y, "y")
        canvas.point(model, x, y, _Style.of(cell))
        label = f"{shown_as[model.id]} {_refs([cell])}".strip()
        _label_point(canvas, model, label, x, y, (x - lo) / (hi - lo))
    ax.set_xlabel(_w("Date announced"))
    ax.set_ylabel(literal(_axis_label(column, [p[2] for p in placed])))
    _style_axes(canvas)
    return [p[1] for p in placed], not_shown


# -- caption ---------------------------------------------------------------------------------------
_BOUND_MARKS = {
    Bound.APPROX: APPROX_SIGN,
    Bound.AT_LEAST: AT_LEAST_SIGN,
    Bound.AT_MOST: AT_MOST_SIGN,
    Bound.RANGE: f"a{RANGE_DASH}b",
    Bound.UNKNOWN: UNKNOWN_MARK,
}


#: The marks whose meaning a legend entry of glyphs gives (the caption does not repeat it).
_GLYPH_MARKS = {
    "approx": APPROX_SIGN,
    "at_least": AT_LEAST_SIGN,
    "at_most": AT_MOST_SIGN,
    "range": f"a{RANGE_DASH}b",
}


def _source_text(number: int, source: Source) -> str:
    """``1. title, 2024-05 (inferred), seeds/001.txt`` as the tables list it."""
    from .render._common import _source_parts

    return f"{number}. {', '.join([*_source_parts(source, _LANG.get()), source.where])}"


def _caption(
    comparison: Table,
    cells: Sequence[Cell],
    columns: Sequence[Column],
    not_shown: Sequence[str],
    drawn: set[str],
    *,
    legend: bool,
    sources: bool,
) -> list[tuple[str, str]]:
    """The caption's paragraphs, ``(text, indent of later lines)``: what is not
    shown, the meaning of the marks the labels use, and the numbered sources."""
    out: list[tuple[str, str]] = []
    if not_shown:
        out.append((f"{_w('Not shown:')} " + "; ".join(not_shown) + ".", ""))
    if legend:
        shown = [v for c in cells for v in c.shown if isinstance(v, Estimate)]
        marks = {_BOUND_MARKS[v.bound] for v in shown if v.bound in _BOUND_MARKS}
        marks |= {f.mark for c in cells for f in c.flags}
        marks |= {MISSING} if any(c.missing for c in cells) else set()
        ratio = any(c.kind is ColumnKind.RATIO for c in columns)
        marks -= {_GLYPH_MARKS[k] for k in drawn if k in _GLYPH_MARKS}  # the legend says
        for entry in comparison.legend:
            if entry.mark in marks or (ratio and entry.mark.startswith(("×", "≥0"))):
                out.append((literal(str(entry)), "   "))
    if sources:
        cited = sorted({n for c in cells for n in c.sources})
        if cited:
            out.append((_w("Sources:"), ""))
            for n in cited:
                out.append((literal(_source_text(n, comparison.sources[n - 1])), "   "))
    return out


# -- the entry point -------------------------------------------------------------------------------
def plot(
    comparison: Table,
    kind: PlotKind = "bars",
    field: str | None = None,
    y: str | None = None,
    *,
    size: str | float = "column",
    theme: str = "light",
    log: bool | None = None,
    log_y: bool | None = None,
    title: str | None = None,
    legend: bool = True,
    sources: bool = True,
    sort: bool = True,
) -> Figure:
    """A chart of ``comparison`` as a matplotlib :class:`~matplotlib.figure.Figure`.

    ``kind`` is ``"bars"`` (``field`` across the models), ``"scatter"``
    (``field`` across, ``y`` up) or ``"timeline"`` (``field`` against the
    models' dates); ``field`` and ``y`` name numeric columns by field name or
    column key (default: the first numeric columns). ``size``: ``"column"``,
    ``"page"`` or a width in inches; ``theme``: ``"light"`` or ``"dark"``;
    ``log`` (and ``log_y`` for a scatter's vertical axis) forces a log axis on
    or off (default: where the figures span two orders of magnitude, and for
    training compute); ``title`` defaults to the comparison's; ``legend`` and
    ``sources`` turn off the legend (and the marks' meanings) and the source
    list; ``sort=False`` keeps the comparison's order of the bars. See the
    module doc for what each mark means. Bad arguments raise
    :class:`~modelcompare.InvalidValueError` (a ``ValueError``), an unknown
    field :class:`~modelcompare.UnknownFieldError`, and a missing matplotlib
    :class:`~modelcompare.MissingDependencyError`.

    >>> import modelcompare as mc
    >>> fig = mc.compare(["MAI-1-preview", "Grok"], "training_accelerators").plot("bars")
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Grok', 'MAI-1-preview']
    >>> sorted(a.get_gid() for a in ax.texts if a.get_gid())
    ['value-grok', 'value-mai-1-preview', 'xarrow-grok']
    """
    _matplotlib()  # MissingDependencyError before anything else
    if kind not in KINDS:
        raise InvalidValueError(f"kind must be one of {', '.join(map(repr, KINDS))} (got {kind!r})")
    if theme not in THEMES:
        raise InvalidValueError(
            f"theme must be one of {', '.join(map(repr, THEMES))} (got {theme!r})"
        )
    width, font_size = _size(size)
    colours = THEMES[theme]
    if kind == "scatter":
        jx = _column(comparison, field)
        jy = _column(comparison, y, skip=[comparison.columns[jx]])
        if jy == jx:
            raise InvalidValueError("a scatter needs two different fields (field= and y=)")
    else:
        if y is not None:
            raise InvalidValueError(
                f"a {kind} chart draws one field: give field=, not y= (y= is for a scatter)"
            )
        jx = jy = _column(comparison, field)
    if log_y is not None and kind != "scatter":
        raise InvalidValueError("log_y= is for a scatter's vertical axis; use log=")
    if kind == "timeline":
        log_y, log = log, None
    token = _LANG.set(comparison.lang)
    try:
        return _plot(comparison, kind, jx, jy, width, font_size, colours, log, log_y, title,
                     legend=legend, sources=sources, sort=sort)  # fmt: skip
    finally:
        _LANG.reset(token)


def _plot(
    comparison: Table,
    kind: PlotKind,
    jx: int,
    jy: int,
    width: float,
    font_size: float,
    colours: Theme,
    log: bool | None,
    log_y: bool | None,
    title: str | None,
    *,
    legend: bool,
    sources: bool,
    sort: bool,
) -> Figure:
    """:func:`plot`, its arguments checked, in the language ``_LANG`` holds."""
    mpl = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _LOCK, mpl.rc_context(_rc(colours, font_size)):
        fig = Figure(figsize=(width, 3.0), facecolor=colours.background)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_facecolor(colours.background)
        ax.tick_params(labelsize=font_size - 0.5, colors=colours.foreground)
        for spine in ax.spines.values():
            spine.set_color(colours.foreground)
            spine.set_linewidth(0.6)
        canvas = _Canvas(fig, ax, colours, font_size, width, set())
        if kind == "bars":
            cells, not_shown = _draw_bars(canvas, comparison, jx, log, sort)
            columns = [comparison.columns[jx]]
            n = len(comparison.models)
            plot_height = n * 0.36 * (font_size / 7.0) + 0.55
        elif kind == "scatter":
            cells, not_shown = _draw_scatter(canvas, comparison, jx, jy, log, log_y)
            columns = [comparison.columns[jx], comparison.columns[jy]]
            plot_height = width * (0.8 if width < 5 else 0.55)
        else:
            cells, not_shown = _draw_timeline(canvas, comparison, jx, log_y)
            columns = [comparison.columns[jx]]
            plot_height = width * (0.8 if width < 5 else 0.55)
        heading = title if title is not None else comparison.title
        _finish(
            canvas,
            kind,
            plot_height,
            heading,
            _caption(
                comparison,
                cells,
                columns,
                not_shown,
                canvas.used,
                legend=legend,
                sources=sources,
            ),
            legend=legend,
        )
        _place_labels(canvas)
    return fig


def _size(size: str | float) -> tuple[float, float]:
    """``(width in inches, base font size)`` of a ``size=``."""
    if isinstance(size, str):
        if size not in SIZES:
            raise InvalidValueError(
                f"size must be one of {', '.join(map(repr, SIZES))} or a width in inches "
                f"(got {size!r})"
            )
        return SIZES[size], _FONT_SIZES[size]
    if isinstance(size, bool) or not isinstance(size, int | float) or not 2.0 <= size <= 20.0:
        raise InvalidValueError(f"a width must be 2 to 20 inches (got {size!r})")
    return float(size), 7.0 if size < 5 else 9.0


def _finish(
    canvas: _Canvas,
    kind: PlotKind,
    plot_height: float,
    heading: str | None,
    caption: Sequence[tuple[str, str]],
    *,
    legend: bool,
) -> None:
    """Lay the figure out: the title, the plot, the legend below it, then the caption."""
    fig, t, fs, width = canvas.fig, canvas.theme, canvas.size, canvas.width
    pad = 0.06  # inches
    line_width = 72 * (width - 2 * pad)
    if heading:
        lines = _wrap(literal(heading), fs + 0.5, line_width, break_words=True)
        fig.suptitle(
            "\n".join(lines),
            x=pad / width,
            ha="left",
            fontsize=fs + 0.5,
            fontweight="bold",
            color=t.foreground,
        )
        plot_height += 0.18 * len(lines) * fs / 7.0
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    leg = None
    legend_height = 0.0
    handles = _legend_handles(canvas, kind) if legend else []
    if handles:
        arrow = _arrow_handler()
        for ncols in range(min(len(handles), 4), 0, -1):
            leg = fig.legend(
                [h for h, _ in handles],
                [literal(label) for _, label in handles],
                loc="upper left",
                ncols=ncols,
                frameon=False,
                fontsize=fs - 0.5,
                handlelength=1.8,
                handletextpad=0.5,
                columnspacing=1.0,
                borderaxespad=0,
                borderpad=0,
                handler_map={_ArrowHandle: arrow},
                labelcolor=t.foreground,
            )
            leg.set_in_layout(False)
            if leg.get_window_extent(renderer).width / fig.dpi <= width - 2 * pad or ncols == 1:
                break
            leg.remove()
        assert leg is not None
        legend_height = leg.get_window_extent(renderer).height / fig.dpi + 0.05
    text = None
    caption_height = 0.0
    if caption:
        lines = [
            line
            for paragraph, indent in caption
            for line in _wrap(paragraph, fs - 1, line_width, indent, break_words=True)
        ]
        text = fig.text(
            pad / width,
            0,
            "\n".join(lines),
            ha="left",
            va="top",
            fontsize=fs - 1,
            color=t.muted,
            linespacing=1.25,
        )
        text.set_in_layout(False)
        text.set_gid("caption")
        caption_height = text.get_window_extent(renderer).height / fig.dpi + 0.06
    below = legend_height + caption_height + pad
    height = plot_height + below
    fig.set_size_inches(width, height)
    if leg is not None:
        leg.set_bbox_to_anchor((pad / width, (below - pad / 2) / height), transform=fig.transFigure)
    if text is not None:
        text.set_position((pad / width, (caption_height) / height))
    fig.set_layout_engine(
        "constrained", rect=(0, below / height, 1, 1 - below / height), h_pad=0.03, w_pad=0.03
    )
    # lay out once, then keep it: constrained layout starts from the last layout,
    # so laying out again at each save would move things by a hair each time
    fig.draw_without_rendering()
    fig.set_layout_engine("none")


# -- saving ----------------------------------------------------------------------------------------
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def _format_of(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FIGURE_FORMATS:
        raise InvalidValueError(
            f"cannot tell the format of {str(path)!r}: give a file ending in "
            f"{', '.join('.' + f for f in FIGURE_FORMATS)}"
        )
    return chosen


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """``figure`` as PNG (300 dpi), SVG or PDF bytes, the same on every run (no
    dates, fixed ids and fonts, glyphs as paths)."""
    mpl = _matplotlib()
    fmt = fmt.lower()
    if fmt not in FIGURE_FORMATS:
        raise InvalidValueError(f"format must be one of {', '.join(FIGURE_FORMATS)} (got {fmt!r})")
    buffer = BytesIO()
    with (
        _LOCK,
        mpl.rc_context(
            {"svg.hashsalt": "modelcompare", "svg.fonttype": "path", "pdf.fonttype": 42}
        ),
    ):
        figure.savefig(
            buffer,
            format=fmt,
            dpi=_PNG_DPI,
            metadata=_METADATA[fmt],
            facecolor=figure.get_facecolor(),
        )
    return buffer.getvalue()


def save_figure(figure: Figure, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write ``figure`` to ``path`` as PNG, SVG or PDF (from the suffix, or
    ``fmt``), atomically: into a temporary file beside it, then renamed, so a
    reader never sees half a file. Returns the path."""
    target = Path(path)
    data = figure_bytes(figure, _format_of(target, fmt))
    write_atomically(target, data)
    return target
