"""Charts: what is drawn equals the estimates (bar ends, bands, whiskers, arrows,
gaps, log axes), labels and captions carry the text exactly, and the files
written are valid PNG, SVG and PDF, byte for byte the same on every run."""

from __future__ import annotations

import math
import pickle
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.image
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

import modelcompare as mc
from modelcompare.comparison import Cell, Comparison, Flag, compare
from modelcompare.plot import figure_bytes, literal, plot, save_figure
from modelcompare.testing import HOSTILE_TEXTS, hostile_text, stated_numbers
from strategies import user_registry

pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")

SOURCE = mc.Source(id="src", title="A source", language="en", path="src.txt")


def claim(model: str, value: mc.Estimate, status: str = "reported", field: str = "parameters"):  # type: ignore[no-untyped-def]
    return mc.Claim(
        subject=model,
        field=field,
        value=value,
        status=mc.Status(status),
        citations=(mc.Citation(SOURCE, "quote"),),
    )


def registry(
    values: Sequence[tuple[mc.Estimate | None, str]], field: str = "parameters"
) -> mc.Registry:
    """Models m0, m1, … with one claim each on ``field`` (None: no claim)."""
    models = []
    for i, (value, status) in enumerate(values):
        claims = () if value is None else (claim(f"m{i}", value, status, field),)
        models.append(
            mc.Model(id=f"m{i}", name=f"Model {i}", organization="Org", stated_claims=claims)
        )
    return mc.Registry(models, {SOURCE.id: SOURCE})


def artists(fig: Figure) -> Iterator[Artist]:
    ax = fig.axes[0]
    yield from ax.lines
    yield from ax.patches
    yield from ax.texts


def by_gid(fig: Figure) -> dict[str, Artist]:
    """Every named artist of the chart by its gid (``bar-grok``, ``xarrow-grok``)."""
    out: dict[str, Artist] = {}
    for a in artists(fig):
        gid = a.get_gid()
        if gid:
            assert gid not in out, f"two artists named {gid}"
            out[gid] = a
    return out


def drawn(text: Text) -> str:
    """What matplotlib draws for a Text: asserts it is not read as mathtext."""
    shown, math_mode = text._preprocess_math(text.get_text())  # type: ignore[attr-defined]
    assert math_mode is False, text.get_text()
    return str(shown)


def caption(fig: Figure) -> str:
    (text,) = [t for t in fig.texts if t.get_gid() == "caption"]
    return drawn(text)


def unwrapped(text: str) -> str:
    """A caption or label with its inserted line breaks (and their indent) undone
    (where none falls inside a word: see :func:`squeezed`)."""
    return re.sub(r"\n +", " ", text).replace("\n", " ")


def squeezed(text: str) -> str:
    """``text`` without any white space: what a caption or title says, whether a
    line break fell between words or inside one (a long URL, a long word)."""
    return "".join(text.split())


def bar_end(bar: Rectangle) -> float:
    return float(bar.get_x() + bar.get_width())


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# -- the done-means chart ------------------------------------------------------------------
@pytest.fixture(scope="module")
def h100() -> Figure:
    return compare(["MAI-1-preview", "Grok"], ["training_accelerators"]).plot("bars")


def test_grok_is_an_arrow_and_mai_a_span(h100: Figure) -> None:
    """Grok's "more than 100,000" is a bar to 100,000 with an arrow towards more and
    nothing beyond; MAI-1-preview's "about 15,000" a bar to 14,500 and a band to 15,500."""
    a = by_gid(h100)
    grok, arrow = a["bar-grok"], a["xarrow-grok"]
    assert isinstance(grok, Rectangle)
    assert isinstance(arrow, Annotation)
    assert bar_end(grok) == 100_000
    assert arrow.xy[0] == 100_000
    assert arrow.xyann[0] > 0
    assert arrow.xyann[1] == 0
    assert not any(k.endswith("-grok") and k.startswith(("xband", "xwhisker")) for k in a)
    mai, band, tick = a["bar-mai-1-preview"], a["xband-mai-1-preview"], a["xnominal-mai-1-preview"]
    assert isinstance(mai, Rectangle)
    assert isinstance(band, Rectangle)
    assert isinstance(tick, Line2D)
    assert bar_end(mai) == 14_500
    assert (band.get_x(), band.get_x() + band.get_width()) == (14_500, 15_500)
    assert list(tick.get_xdata()) == [15_000, 15_000]
    assert "xarrow-mai-1-preview" not in a


def test_bars_are_sorted_and_labelled_as_the_table(h100: Figure) -> None:
    """Largest first; each value label is the table's cell text, the partial count
    ``+ ? GB200`` and the chip included; the axis names the chip."""
    ax = h100.axes[0]
    assert [drawn(t) for t in ax.get_yticklabels()] == ["Grok", "MAI-1-preview"]
    a = by_gid(h100)
    assert drawn(a["value-mai-1-preview"]) == "≈15,000 H100 + ? GB200 [1, 2]"  # type: ignore[arg-type]
    assert drawn(a["value-grok"]) == "≥100,000 H100 [2]"  # type: ignore[arg-type]
    assert ax.get_xlabel() == "Training accelerators (H100 count)"
    assert ax.get_xscale() == "linear"
    lo, hi = ax.get_xlim()
    assert lo == 0
    assert hi > 100_000


def test_caption_numbers_the_sources_as_the_table(h100: Figure) -> None:
    """The caption lists the sources with the table's numbers and explains ``?``."""
    table = compare(["MAI-1-preview", "Grok"], ["training_accelerators"])
    text = unwrapped(caption(h100))
    for n, source in enumerate(table.sources, 1):
        assert f"{n}. {source.title}, {source.date} (inferred), {source.where}" in text
    assert "?: a figure the source does not give (it names only the unit)" in text


def test_legend_says_what_the_glyphs_mean(h100: Figure) -> None:
    """The legend has an entry for each glyph used, and none for glyphs not used."""
    (legend,) = h100.legends
    labels = [drawn(t) for t in legend.get_texts()]
    assert labels == [
        "stated by a source",
        "≈ about: the source's rounding",
        "≥ at least: no upper end",
    ]


# -- every bound kind, drawn as it says ------------------------------------------------------
KINDS = [mc.Bound.EXACT, mc.Bound.APPROX, mc.Bound.AT_LEAST, mc.Bound.AT_MOST, mc.Bound.RANGE]


@st.composite
def estimate(draw: st.DrawFn, unit: str = "Gparameter") -> mc.Estimate:
    """An estimate of any bound kind with stated-like figures."""
    kind = draw(st.sampled_from(KINDS))
    x = draw(stated_numbers(max_digits=3))
    if kind is mc.Bound.EXACT:
        return mc.Estimate.exact(x, unit)
    if kind is mc.Bound.APPROX:
        return mc.Estimate.about(x, unit)
    if kind is mc.Bound.AT_LEAST:
        return mc.Estimate.at_least(x, unit)
    if kind is mc.Bound.AT_MOST:
        return mc.Estimate.at_most(x, unit)
    return mc.Estimate.between(x, x * draw(st.sampled_from([1.5, 2, 10, 300])), unit)


rows = st.lists(
    st.tuples(st.one_of(st.none(), estimate()), st.sampled_from(["reported", "rumored"])),
    min_size=1,
    max_size=5,
).filter(lambda r: any(v is not None for v, _ in r))


def model_artists(fig: Figure, model_id: str) -> dict[str, Artist]:
    """The artists of one model, by what they are (``bar``, ``xarrow``…)."""
    suffix = "-" + model_id
    return {k[: -len(suffix)]: v for k, v in by_gid(fig).items() if k.endswith(suffix)}


def check_bar(fig: Figure, cell: Cell, model: mc.Model, y_row: float) -> None:
    """One row of a bar chart draws exactly its cell's estimate."""
    a = model_artists(fig, model.id)
    value = cell.value
    if not isinstance(value, mc.Estimate) or not value.is_known:
        assert set(a) == {"gap"}
        assert drawn(a["gap"]) == "— no figure reported"  # type: ignore[arg-type]
        return
    assert drawn(a["value"]) == literal(cell.display).replace("\\$", "$")  # type: ignore[arg-type]
    lo, n, hi = cell.low, cell.nominal, cell.high
    bound = value.bound
    expected = {
        mc.Bound.EXACT: {"bar", "value"},
        mc.Bound.APPROX: {"bar", "value", "xband", "xnominal"},
        mc.Bound.RANGE: {"bar", "value", "xwhisker"},
        mc.Bound.AT_LEAST: {"bar", "value", "xarrow"},
        mc.Bound.AT_MOST: {"value", "xbound", "xarrow"},
    }[bound]
    base = fig.axes[0].get_xlim()[0]
    if "bar" in expected and not (n if bound is mc.Bound.EXACT else lo) > base:
        expected = expected - {"bar"}  # a bar of no length on this axis is not drawn
    assert set(a) == expected
    ends: list[float] = []
    if "bar" in a:
        bar = a["bar"]
        assert isinstance(bar, Rectangle)
        assert close(bar_end(bar), n if bound is mc.Bound.EXACT else lo)
        assert bar.get_x() == base
        rumored = Flag.RUMORED in cell.flags
        assert (bar.get_facecolor()[3] == 0) == rumored
        assert (bar.get_linestyle() == "--") == rumored
        ends.append(bar_end(bar))
    if bound is mc.Bound.APPROX:
        band = a["xband"]
        assert isinstance(band, Rectangle)
        assert close(band.get_x(), lo)
        assert close(band.get_x() + band.get_width(), hi)
        assert list(a["xnominal"].get_xdata()) == [n, n]  # type: ignore[attr-defined]
        ends += [lo, hi]
    if bound is mc.Bound.RANGE:
        assert list(a["xwhisker"].get_xdata()) == [lo, hi]  # type: ignore[attr-defined]
        ends += [lo, hi]
    if bound is mc.Bound.AT_LEAST:
        arrow = a["xarrow"]
        assert isinstance(arrow, Annotation)
        assert close(arrow.xy[0], lo)
        assert arrow.xyann[0] > 0
        assert math.isnan(hi)
        assert max(ends) <= lo  # nothing drawn past a lower bound
    if bound is mc.Bound.AT_MOST:
        arrow = a["xarrow"]
        assert isinstance(arrow, Annotation)
        assert close(arrow.xy[0], hi)
        assert arrow.xyann[0] < 0
        assert list(a["xbound"].get_xdata()) == [hi]  # type: ignore[attr-defined]
    lo_lim, hi_lim = fig.axes[0].get_xlim()
    for x in (v for v in (lo, n, hi) if math.isfinite(v)):
        assert lo_lim <= x <= hi_lim


@settings(max_examples=25)
@given(rows)
def test_bars_draw_each_estimate_as_it_says(values: list[tuple[mc.Estimate | None, str]]) -> None:
    """Bar ends, bands, whiskers, arrows and gaps equal the cells' estimates, in
    sorted order (nominal, descending, ties stable, no figure last); the axis is
    logarithmic exactly where the figures span two orders of magnitude."""
    reg = registry(values)
    table = compare([m.id for m in reg], ["parameters"], registry=reg)
    fig = table.plot("bars")
    ax = fig.axes[0]
    cells = [row[0] for row in table.rows]
    known = [i for i, c in enumerate(cells) if isinstance(c.value, mc.Estimate)]
    key = {i: cells[i].nominal if math.isfinite(cells[i].nominal) else cells[i].low for i in known}
    for i in known:
        if cells[i].value.bound is mc.Bound.AT_MOST:  # type: ignore[union-attr]
            key[i] = cells[i].high
    order = sorted(known, key=lambda i: -key[i]) + [i for i in range(len(cells)) if i not in known]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == [table.models[i].name for i in order]
    for y, i in enumerate(order):
        check_bar(fig, cells[i], table.models[i], y)
    figures = [
        x
        for i in known
        for x in (cells[i].low, cells[i].nominal, cells[i].high)
        if math.isfinite(x)
    ]
    assert ax.get_xscale() == ("log" if max(figures) / min(figures) >= 100 else "linear")


def test_unknown_count_is_a_labelled_gap_not_a_zero(reg: mc.Registry) -> None:
    """A chip named with no count is a gap that says so; a missing figure too."""
    user = mc.Registry(
        [
            mc.Model(
                id="a",
                name="A",
                organization="Org",
                stated_claims=(
                    claim("a", mc.Estimate.unknown("GB200"), field="training_accelerators"),
                ),
            ),
            mc.Model(
                id="b",
                name="B",
                organization="Org",
                stated_claims=(
                    claim("b", mc.Estimate.exact(10, "H100"), field="training_accelerators"),
                ),
            ),
            mc.Model(id="c", name="C", organization="Org"),
        ],
        {SOURCE.id: SOURCE},
    )
    fig = compare(["A", "B", "C"], ["training_accelerators"], registry=user).plot("bars")
    a = by_gid(fig)
    assert drawn(a["gap-a"]) == "? GB200 [1] — no count given"  # type: ignore[arg-type]
    assert drawn(a["gap-c"]) == "— no figure reported"  # type: ignore[arg-type]
    assert {k for k in a if k.endswith(("-a", "-c"))} == {"gap-a", "gap-c"}
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["B", "A", "C"]
    assert "—: no figure reported" in caption(fig)


def test_contradicting_claims_are_a_gap_with_every_figure() -> None:
    """Claims that contradict each other draw no bar: the row shows every figure
    with the conflict mark, and the caption explains the marks."""
    user = mc.Registry(
        [
            mc.Model(
                id="a",
                name="A",
                organization="Org",
                stated_claims=(
                    claim("a", mc.Estimate.exact(500, "Gparameter")),
                    claim("a", mc.Estimate.at_least(600, "Gparameter")),
                ),
            ),
            mc.Model(
                id="b",
                name="B",
                organization="Org",
                stated_claims=(claim("b", mc.Estimate.exact(70, "Gparameter")),),
            ),
        ],
        {SOURCE.id: SOURCE},
    )
    fig = compare(["A", "B"], ["parameters"], registry=user).plot("bars")
    a = by_gid(fig)
    assert {k for k in a if k.endswith("-a")} == {"gap-a"}
    assert drawn(a["gap-a"]) == "500 / ≥600 ! [1] (the sources contradict each other)"  # type: ignore[arg-type]
    text = caption(fig)
    assert "≥: at least (more than)" in text
    assert "!: conflict" in text


def test_ratio_columns_plot_and_name_what_has_no_ratio() -> None:
    """A × column draws the ratios; a row with no ratio says so, not "no figure"."""
    table = compare(
        ["MAI-1-preview", "Grok", "GPT-4"], ["training_accelerators"], vs="MAI-1-preview"
    )
    fig = table.plot("bars", "training_accelerators × MAI-1-preview")
    a = by_gid(fig)
    assert drawn(a["gap-gpt-4"]) == "— no ratio can be taken"  # type: ignore[arg-type]
    assert fig.axes[0].get_xlabel() == "Training accelerators × MAI-1-preview"
    grok = a["bar-grok"]
    assert isinstance(grok, Rectangle)
    assert close(bar_end(grok), table.rows[1][1].low)
    assert a["xarrow-grok"].xyann[0] > 0  # type: ignore[attr-defined]
    assert "× MAI-1-preview: the value divided by MAI-1-preview's" in unwrapped(caption(fig))


def test_derived_bars_are_hatched_and_rumored_open(reg: mc.Registry) -> None:
    """Derived values are hatched, rumored ones open and dashed; the legend says so."""
    fig = compare(["GPT-4", "Phi-3-mini"], ["weights_memory"], registry=reg).plot("bars")
    a = by_gid(fig)
    mai, phi = a["bar-gpt-4"], a["bar-phi-3-mini"]  # GPT-4's rests on rumored parameters
    assert isinstance(mai, Rectangle)
    assert isinstance(phi, Rectangle)
    assert mai.get_hatch()
    assert phi.get_hatch()
    assert mai.get_linestyle() == "--"
    assert phi.get_linestyle() == "-"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "derived ‡" in labels
    assert "derived from a rumor" in labels


def test_log_axis_for_spans_of_orders_of_magnitude(reg: mc.Registry) -> None:
    """Parameters from 3.8 B to 1.76 T are on a log axis; log=False forces linear."""
    table = compare(["GPT-4", "Phi-3-mini"], ["parameters"], registry=reg)
    assert table.plot("bars").axes[0].get_xscale() == "log"
    assert table.plot("bars", log=False).axes[0].get_xscale() == "linear"


# -- scatter and time line --------------------------------------------------------------------
def test_phi3_scatter_places_each_model_on_its_figures(reg: mc.Registry) -> None:
    """Parameters across, MMLU up; each point at its figures, labelled with its
    name and sources; the axes are the columns' headers."""
    table = compare(
        ["Phi-3-mini", "Phi-3-small", "Phi-3-medium"], ["parameters", "mmlu"], registry=reg
    )
    fig = table.plot("scatter", "parameters", "mmlu")
    a = by_gid(fig)
    for model, (x, y) in zip(table.models, [(3.8, 69), (7, 75), (14, 78)], strict=True):
        point = a[f"point-{model.id}"]
        assert list(point.get_xdata()) == [x]
        assert list(point.get_ydata()) == [y]
        assert drawn(a[f"label-{model.id}"]) == f"{model.name} [1]"  # type: ignore[arg-type]
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Parameters (B)", "MMLU (%)")
    assert ax.get_xscale() == ax.get_yscale() == "linear"


@settings(max_examples=20)
@given(estimate(), estimate("Gtoken"))
def test_scatter_draws_both_uncertainties(x: mc.Estimate, y: mc.Estimate) -> None:
    """A point sits on each figure's position (a bound's end, else the nominal)
    and carries each axis's band, whisker or arrow."""
    reg = mc.Registry(
        [
            mc.Model(
                id="m",
                name="M",
                organization="Org",
                stated_claims=(claim("m", x), claim("m", y, field="training_tokens")),
            )
        ],
        {SOURCE.id: SOURCE},
    )
    table = compare(["M"], ["parameters", "training_tokens"], registry=reg)
    fig = table.plot("scatter")
    a = model_artists(fig, "m")
    cx, cy = table.rows[0]
    px, py = a["point"].get_xdata()[0], a["point"].get_ydata()[0]  # type: ignore[attr-defined]
    for axis, cell, pos, other in (("x", cx, px, py), ("y", cy, py, px)):
        e = cell.value
        assert isinstance(e, mc.Estimate)
        want = {mc.Bound.AT_LEAST: cell.low, mc.Bound.AT_MOST: cell.high}.get(e.bound, cell.nominal)
        assert close(pos, want)
        glyph = {
            mc.Bound.APPROX: "band",
            mc.Bound.RANGE: "whisker",
            mc.Bound.AT_LEAST: "arrow",
            mc.Bound.AT_MOST: "arrow",
        }.get(e.bound)
        names = {k for k in a if k.startswith(axis) and k[1:] in ("band", "whisker", "arrow")}
        assert names == ({axis + glyph} if glyph else set())
        if glyph in ("band", "whisker"):
            data = a[axis + glyph].get_xdata() if axis == "x" else a[axis + glyph].get_ydata()  # type: ignore[attr-defined]
            assert close(data[0], cell.low)
            assert close(data[1], cell.high)
        if glyph == "arrow":
            arrow = a[axis + "arrow"]
            assert isinstance(arrow, Annotation)
            offset = arrow.xyann[0] if axis == "x" else arrow.xyann[1]
            assert (offset > 0) == (e.bound is mc.Bound.AT_LEAST)
            assert arrow.xy == ((pos, other) if axis == "x" else (other, pos))


def test_scatter_names_what_it_cannot_place(reg: mc.Registry) -> None:
    """A model missing either figure is not placed, and the caption says why."""
    fig = compare(["Phi-3-mini", "GPT-4"], ["parameters", "mmlu"], registry=reg).plot("scatter")
    assert "point-gpt-4" not in by_gid(fig)
    assert "Not shown: GPT-4 (MMLU: no figure)." in unwrapped(caption(fig))


def test_timeline_places_models_at_their_dates(reg: mc.Registry) -> None:
    """Each model at the middle of its month, the month drawn across; compute on a
    log axis; a model with no date is named in the caption."""
    from matplotlib.dates import num2date

    table = compare(["Phi-3-mini", "Phi-3-medium", "GPT-4"], ["training_compute"], registry=reg)
    fig = table.plot("timeline")
    a = by_gid(fig)
    x = a["point-phi-3-mini"].get_xdata()[0]  # type: ignore[attr-defined]
    span = a["xdate-phi-3-mini"].get_xdata()  # type: ignore[attr-defined]
    assert num2date(span[0]).date().isoformat() == "2024-04-01"
    assert num2date(span[1]).date().isoformat() == "2024-05-01"
    assert x == (span[0] + span[1]) / 2
    assert a["point-phi-3-mini"].get_ydata()[0] == table.rows[0][0].nominal  # type: ignore[attr-defined]
    assert a["point-phi-3-mini"].get_marker() == "D"  # derived  # type: ignore[attr-defined]
    assert fig.axes[0].get_yscale() == "log"
    assert "GPT-4 (Training compute: no figure; no date)" in unwrapped(caption(fig))


# -- text from users -----------------------------------------------------------------------------
HOSTILE_NAMES = [h for h in HOSTILE_TEXTS if h.strip()] + [
    "$x^2$",
    r"\$",
    "a $b$ c $",
    "$$",
    r"\alpha $\frac{1}{2}$",
]


def chart_text(name: str) -> str:
    """What a chart may show of a user text: line breaks as spaces, controls as U+FFFD."""
    return "".join(
        "\ufffd" if ord(c) < 32 or 127 <= ord(c) < 160 else c
        for c in re.sub(r"\r\n?|\n", " ", name)
    )


def check_hostile(name: str, title: str) -> None:
    reg = user_registry(name, "note", title)
    fig = compare(["user-model"], ["parameters"], registry=reg, title=title).plot("bars")
    (label,) = fig.axes[0].get_yticklabels()
    want = chart_text(name)
    assert drawn(label).replace("\n", " ") == want
    assert squeezed(f"1. {chart_text(title)}, user.txt") in squeezed(caption(fig))
    suptitle = fig.get_suptitle()
    assert squeezed(suptitle.replace(r"\$", "$")) == squeezed(chart_text(title))
    for text in [*fig.texts, *fig.axes[0].texts, *fig.legends[0].get_texts()]:
        drawn(text)  # none is read as mathtext
    # the SVG with real text elements holds the name verbatim
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        buffer = BytesIO()
        fig.savefig(buffer, format="svg")
    root = ET.fromstring(buffer.getvalue())
    texts = ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]
    joined = " ".join(texts)
    for word in want.split():
        assert word in joined


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_drawn_as_written(name: str) -> None:
    """Model names and source titles show literally: no mathtext, no TeX."""
    check_hostile(name, f"Title {name}")


@settings(max_examples=15)
@given(hostile_text(allow_blank=False), hostile_text(allow_blank=False))
def test_any_text_is_drawn_as_written(name: str, title: str) -> None:
    """The same for any text Hypothesis finds."""
    check_hostile(name, title)


def test_usetex_is_off_even_when_the_user_turned_it_on() -> None:
    """A user's rcParams text.usetex=True does not reach the chart's text."""
    with matplotlib.rc_context({"text.usetex": True}):
        fig = compare(["Grok"], ["training_accelerators"]).plot("bars")
    for text in [*fig.texts, *fig.axes[0].texts, *fig.axes[0].get_yticklabels()]:
        assert text.get_usetex() is False


# -- files --------------------------------------------------------------------------------------
def test_png_svg_pdf_are_valid(h100: Figure, tmp_path: Path) -> None:
    """savefig output: PNG magic and readable by imread; SVG parses; PDF header and,
    with pdftotext, the caption's text."""
    png = save_figure(h100, tmp_path / "c.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = matplotlib.image.imread(png)
    assert image.shape[1] == round(3.5 * 300)
    assert image.shape[0] > 300
    svg = save_figure(h100, tmp_path / "c.svg")
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert {e.get("id") for e in root.iter()} >= {"bar-grok", "xarrow-grok", "xband-mai-1-preview"}
    pdf = save_figure(h100, tmp_path / "c.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(text.split())
        assert "Sources:" in flat
        assert "MAI-1-preview" in flat
        assert "≥100,000 H100 [2]" in flat
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pdf", "c.png", "c.svg"]


def test_output_is_the_same_on_every_run(h100: Figure) -> None:
    """SVG and PNG bytes are the same in another process (no dates, fixed ids)."""
    import hashlib

    code = (
        "import hashlib, modelcompare as mc;"
        "from modelcompare.plot import figure_bytes;"
        "f = mc.compare(['MAI-1-preview', 'Grok'], ['training_accelerators']).plot('bars');"
        "print(hashlib.sha256(figure_bytes(f, 'svg')).hexdigest(),"
        " hashlib.sha256(figure_bytes(f, 'png')).hexdigest())"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    here = [hashlib.sha256(figure_bytes(h100, fmt)).hexdigest() for fmt in ("svg", "png")]
    assert there == here


def test_save_is_atomic(h100: Figure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed save leaves the old file as it was and no temporary file behind."""
    target = tmp_path / "chart.svg"
    target.write_text("old", encoding="utf-8")

    def boom(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("modelcompare.plot.figure_bytes", lambda f, fmt: b"new")
    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save_figure(h100, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.svg"]


def test_unknown_suffix_is_refused(h100: Figure, tmp_path: Path) -> None:
    """A file name with no chart format says which suffixes work, writes nothing."""
    with pytest.raises(mc.InvalidValueError, match=r"\.png, \.svg, \.pdf"):
        save_figure(h100, tmp_path / "chart.jpg")
    assert list(tmp_path.iterdir()) == []


def test_themes_and_sizes(reg: mc.Registry) -> None:
    """Dark and light have their own opaque background; column is 3.5 in, page 7 in."""
    table = compare(["Grok"], ["training_accelerators"], registry=reg)
    light, dark = table.plot(theme="light"), table.plot(theme="dark", size="page")
    assert light.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert light.get_facecolor()[3] == 1
    assert sum(dark.get_facecolor()[:3]) < 0.3
    assert dark.get_facecolor()[3] == 1
    assert light.get_size_inches()[0] == 3.5
    assert dark.get_size_inches()[0] == 7.0
    text = by_gid(dark)["value-grok"]
    assert sum(matplotlib.colors.to_rgb(text.get_color())) > 2.4  # type: ignore[attr-defined]


# -- errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "pie"}, "kind must be one of 'bars', 'scatter', 'timeline'"),
        ({"theme": "pink"}, "theme must be one of 'light', 'dark'"),
        ({"size": "poster"}, "size must be one of 'column', 'page'"),
        ({"field": "architecture"}, "'architecture' is text, not a quantity"),
        ({"field": "mmlu"}, "the comparison has no column 'mmlu'"),
        ({"y": "parameters"}, "a bars chart draws one field"),
        ({"kind": "scatter", "field": "parameters", "y": "parameters"}, "two different fields"),
        ({"kind": "scatter"}, "the comparison has no other numeric column to plot"),
        ({"log_y": True}, "log_y= is for a scatter's vertical axis"),
        ({"size": 0.5}, "a width must be 2 to 20 inches"),
    ],
)
def test_bad_arguments_say_what_is_wrong(
    kwargs: dict[str, Any], message: str, reg: mc.Registry
) -> None:
    """Each bad argument raises InvalidValueError (a ValueError) saying what and why."""
    table = compare(["GPT-4"], ["parameters", "architecture"], registry=reg)
    with pytest.raises(mc.InvalidValueError, match=re.escape(message)):
        plot(table, **kwargs)


def test_nothing_to_draw_says_so(reg: mc.Registry) -> None:
    """A field no model has a figure for is an error, not an empty chart."""
    table = compare(["GPT-4", "Grok"], ["mmlu"], registry=reg)
    with pytest.raises(
        mc.InvalidValueError, match="no model of the comparison has a figure for 'mmlu'"
    ):
        table.plot("bars")


def test_unknown_field_suggests(reg: mc.Registry) -> None:
    """A misspelt field is UnknownFieldError with the suggestion, as in compare()."""
    table = compare(["GPT-4"], ["parameters"], registry=reg)
    with pytest.raises(mc.UnknownFieldError, match="did you mean 'parameters'"):
        table.plot("bars", "paramters")


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib, plotting raises MissingDependencyError (an ImportError)
    naming ``modelcompare[plot]``."""
    table = compare(["Grok"], ["training_accelerators"])
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(mc.MissingDependencyError) as info:
        table.plot("bars")
    assert isinstance(info.value, ImportError)
    assert str(info.value) == (
        "charts need matplotlib, which is not installed; "
        "install it with: pip install 'modelcompare[plot]'"
    )
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value)
    assert again.extra == "plot"


def test_import_does_not_load_matplotlib() -> None:
    """Neither import modelcompare nor import modelcompare.plot loads matplotlib."""
    code = (
        "import sys, modelcompare, modelcompare.plot, modelcompare.comparison;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_comparison_plot_is_plot(reg: mc.Registry) -> None:
    """Comparison.plot delegates to modelcompare.plot.plot with the same arguments."""
    table: Comparison = compare(["Grok", "MAI-1-preview"], ["training_accelerators"], registry=reg)
    a = figure_bytes(table.plot("bars", size="page"), "svg")
    b = figure_bytes(plot(table, "bars", size="page"), "svg")
    assert a == b


def test_threads_drawing_at_once_get_the_same_bytes() -> None:
    """Charts drawn and saved by several threads at once are those one thread draws
    (matplotlib's settings are global; plot() and figure_bytes() take a lock)."""
    from concurrent.futures import ThreadPoolExecutor

    def draw(theme: str) -> bytes:
        table = compare(["MAI-1-preview", "Grok"], ["training_accelerators"])
        return figure_bytes(table.plot("bars", theme=theme), "svg")

    themes = ["light", "dark"] * 3
    alone = {t: draw(t) for t in set(themes)}
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(draw, themes))
    assert together == [alone[t] for t in themes]


def test_a_name_in_any_script_is_drawn_in_a_font_that_has_it() -> None:
    """Where DejaVu Sans lacks a glyph (Epoch AI's "ERNIE 4.5 (文心大模型4.5)"), the
    chart draws it in an installed fallback font: no box, no warning (CI installs
    fonts-noto-cjk); without one, matplotlib's warning says so."""
    from modelcompare.plot import _FALLBACK_FONTS, _families

    if len(_families()) == 1:
        pytest.skip(f"none of {', '.join(_FALLBACK_FONTS)} is installed")
    name = "ERNIE 4.5 (文心大模型4.5)"
    reg = user_registry(name, "note", "Title 文心")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        fig = compare(["user-model"], ["parameters"], registry=reg).plot("bars")
        for fmt in ("png", "svg", "pdf"):
            assert figure_bytes(fig, fmt)
    (label,) = fig.axes[0].get_yticklabels()
    assert drawn(label).replace("\n", " ") == name


# -- nothing is cut at the figure's edge, and a label is read as its own point's --------------
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), max_size=90),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["", "   "]),
    st.floats(60, 300),
)
def test_a_wrapped_caption_fits_its_width_and_loses_nothing(
    words: list[str], indent: str, width: float
) -> None:
    """Any text (long URLs, long words of any script) wrapped for a caption: every
    line fits the width (a word wider than a line broken, after a '/', '-', '.'
    … where it has one), and the lines, their indents and breaks undone, are the
    text, character for character."""
    from modelcompare.plot import _text_width, _wrap

    text = " ".join(words)
    lines = _wrap(text, 6.5, width, indent, break_words=True)
    assert all(_text_width(line, 6.5) <= width + 1e-6 for line in lines), lines
    assert squeezed("".join(lines)) == squeezed(text)


def test_a_long_url_in_the_caption_is_broken_not_cut() -> None:
    """The review's case: a source URL longer than the chart is wide goes on the
    next line, broken after a '-' (it had run off the right edge)."""
    from modelcompare.plot import _text_width, _wrap

    url = "https://openai.com/blog/new-models-and-developer-products-announced-at-devday"
    width = 72 * 3.38
    lines = _wrap(
        f"5. New models and developer products announced at DevDay, {url}",
        6.5,
        width,
        "   ",
        break_words=True,
    )
    assert all(_text_width(line, 6.5) <= width for line in lines)
    assert "".join(line.strip() for line in lines[1:]) == url
    assert lines[1].endswith(("/", "-"))


def _crowded(n: int, seed: int) -> Comparison:
    import random

    rnd = random.Random(seed)
    models = []
    for i in range(n):
        value = mc.Estimate.exact(round(rnd.uniform(1, 40), 1), "Gparameter")
        models.append(
            mc.Model(
                id=f"m{i}",
                name=f"Model number {i} ({'x' * rnd.randint(0, 12)})",
                organization="Org",
                announced=mc.PartialDate(2020 + i % 5, 1 + rnd.randint(0, 11)),
                announced_basis="stated",
                stated_claims=(
                    claim(f"m{i}", value),
                    claim(f"m{i}", mc.Estimate.exact(rnd.randint(20, 90), "percent"), field="mmlu"),
                ),
            )
        )
    reg = mc.Registry(models, {"src": SOURCE})
    return compare([m.id for m in models], ["parameters", "mmlu"], registry=reg)


@settings(max_examples=8, deadline=None)
@given(st.integers(3, 24), st.integers(0, 10**6), st.sampled_from(["timeline", "scatter"]))
def test_labels_stay_inside_the_figure_and_a_moved_one_has_a_leader(
    n: int, seed: int, kind: str
) -> None:
    """However crowded, every point's label lies inside the figure (none cut at
    its edge); one moved off its point has a leader line to it, one beside its
    point none."""
    table = _crowded(n, seed)
    fig = table.plot(kind, "parameters", "mmlu") if kind == "scatter" else table.plot(kind)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [t for t in fig.axes[0].texts if str(t.get_gid()).startswith("label-")]
    assert len(labels) == n
    for label in labels:
        assert isinstance(label, Annotation)
        box = Text.get_window_extent(label, renderer)
        assert fig.bbox.x0 <= box.x0, label.get_text()
        assert box.x1 <= fig.bbox.x1 + 0.5, label.get_text()
        assert box.y1 <= fig.bbox.y1 + 0.5
        _, dy = label.xyann
        assert label.arrow_patch is not None
        assert label.arrow_patch.get_visible() == (abs(dy) >= 9)


def test_a_few_labels_sit_beside_their_points_clear_of_each_other() -> None:
    """Where there is room (the Phi-3 scatter), each label sits beside its point,
    with no leader, and no two labels overlap."""
    fig = compare(["Phi-3-mini", "Phi-3-small", "Phi-3-medium"], ["parameters", "mmlu"]).plot(
        "scatter", "parameters", "mmlu"
    )
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [t for t in fig.axes[0].texts if str(t.get_gid()).startswith("label-")]
    boxes = [Text.get_window_extent(t, renderer) for t in labels]
    assert all(abs(t.xyann[1]) < 9 for t in labels)  # type: ignore[attr-defined]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[:i])


def test_two_models_of_one_name_are_told_apart_on_a_chart() -> None:
    """The two SigLIPs of Epoch AI's all_ai_models.csv, each labelled with its id."""
    names = Path(__file__).parent / "fixtures" / "epoch" / "names" / "all_ai_models.csv"
    reg = mc.load_registry(paths=[names])
    ids = [m.id for m in reg if m.name == "SigLIP"]
    fig = compare(ids, ["parameters"], registry=reg).plot("bars")
    shown = sorted(drawn(t).replace("\n", " ") for t in fig.axes[0].get_yticklabels())
    assert shown == sorted(f"SigLIP ({i})" for i in ids)
