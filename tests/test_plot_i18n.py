"""Charts in French: the chart's own words, its ticks and its caption follow the
comparison's language, as the tables do; English charts are unchanged."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import modelcompare as mc
from modelcompare.cli import main
from modelcompare.comparison import compare
from modelcompare.i18n import WORDS_FR
from modelcompare.plot import figure_bytes
from test_plot import SOURCE, claim

CHIPS = "training_accelerators"

NNBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"


def texts(fig: Figure) -> list[str]:
    """Every text the chart draws: ticks, labels, legend, caption, gap labels."""
    ax = fig.axes[0]
    out = [t.get_text() for t in fig.texts]
    out += [t.get_text() for t in ax.texts]
    out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    out += [ax.get_xlabel(), ax.get_ylabel()]
    for legend in fig.legends + ([ax.get_legend()] if ax.get_legend() else []):
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


#: The chart's own English words (those French changes).
CHART_WORDS = [k for k in WORDS_FR if k != WORDS_FR[k] and k not in {":", "count"}]


def _english_left(fig: Figure) -> list[str]:
    joined = "\n".join(texts(fig))
    return [w for w in CHART_WORDS if w in joined]


@pytest.fixture(scope="module")
def fr_bars() -> Figure:
    return compare(["MAI-1-preview", "Grok"], ["training_accelerators"], lang="fr").plot("bars")


def test_french_legend_caption_and_ticks(fr_bars: Figure) -> None:
    (legend,) = fr_bars.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "donné par une source",
        f"≈ environ{NBSP}: l’arrondi de la source",
        f"≥ au moins{NBSP}: pas de borne haute",
    ]
    (caption,) = [t for t in fr_bars.texts if t.get_gid() == "caption"]
    text = caption.get_text()
    assert f"Sources{NBSP}:" in text
    assert "(déduite)" in text
    assert "(inferred)" not in text
    assert "environ (arrondi par la source)" not in text  # the legend's glyph says it
    ticks = [t.get_text() for t in fr_bars.axes[0].get_xticklabels() if t.get_text()]
    assert any(NNBSP in t for t in ticks), ticks  # 100 000, as the French table writes it
    assert not any("," in t for t in ticks)
    assert fr_bars.axes[0].get_xlabel().startswith("Accélérateurs d’entraînement")
    assert _english_left(fr_bars) == []


def test_french_table_and_chart_write_the_same_figures(fr_bars: Figure) -> None:
    table = compare(["MAI-1-preview", "Grok"], ["training_accelerators"], lang="fr")
    labels = {t.get_gid(): t.get_text() for t in fr_bars.axes[0].texts if t.get_gid()}
    for model, (cell,) in zip(table.models, table.rows, strict=True):
        assert cell.display in labels[f"value-{model.id}"]


def test_french_gaps_and_reasons() -> None:
    """The gaps of a bar chart, and the legend's status entries, in French."""
    reg = mc.Registry(
        [
            mc.Model(
                id="a",
                name="A",
                organization="Org",
                stated_claims=(claim("a", mc.Estimate.unknown("GB200"), field=CHIPS),),
            ),
            mc.Model(
                id="b",
                name="B",
                organization="Org",
                stated_claims=(claim("b", mc.Estimate.exact(12000, "H100"), "rumored", CHIPS),),
            ),
            mc.Model(id="c", name="C", organization="Org"),
        ],
        {SOURCE.id: SOURCE},
    )
    fig = compare(["A", "B", "C"], [CHIPS], registry=reg, lang="fr").plot()
    gaps = {t.get_gid(): t.get_text() for t in fig.axes[0].texts if t.get_gid()}
    assert gaps["gap-a"] == "? GB200 [1] — aucun nombre donné"
    assert gaps["gap-c"] == "— aucun chiffre rapporté"
    (legend,) = fig.legends
    assert "rumeur †" in [t.get_text() for t in legend.get_texts()]
    assert _english_left(fig) == []


def test_french_timeline_and_scatter(reg: mc.Registry) -> None:
    line = compare(["MAI-1-preview", "Grok", "GPT-4"], ["training_accelerators"], lang="fr")
    fig = line.plot("timeline")
    assert fig.axes[0].get_xlabel() == "Date d’annonce"
    assert _english_left(fig) == []
    phi = ["Phi-3-mini", "Phi-3-small", "Phi-3-medium"]
    scatter = compare(phi, ["parameters", "mmlu"], lang="fr").plot("scatter", "parameters", "mmlu")
    assert scatter.axes[0].get_xlabel().startswith("Paramètres")
    assert _english_left(scatter) == []


def test_french_chart_needs_no_missing_glyph() -> None:
    """The French spaces (no-break, narrow no-break) are in the chart's font."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = compare(["MAI-1-preview", "Grok"], ["training_accelerators"], lang="fr").plot()
        figure_bytes(fig, "png")


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(1, 10**6), min_size=1, max_size=4))
def test_french_ticks_are_french_numbers(counts: list[int]) -> None:
    """Every tick reads back as a French number (narrow no-break space, decimal comma)."""
    models = [
        mc.Model(
            id=f"m{i}",
            name=f"M{i}",
            organization="Org",
            stated_claims=(claim(f"m{i}", mc.Estimate.exact(n, "H100"), field=CHIPS),),
        )
        for i, n in enumerate(counts)
    ]
    reg = mc.Registry(models, {SOURCE.id: SOURCE})
    ids = [m.id for m in models]
    fig = compare(ids, [CHIPS], registry=reg, lang="fr").plot(log=False)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    for tick, text in zip(ax.get_xticks(), labels, strict=True):
        if not text:
            continue
        number = float(text.replace(NNBSP, "").replace(",", ".").replace("−", "-"))
        assert number == pytest.approx(tick, rel=1e-9, abs=1e-9)
        assert not ("," in text and "." in text)


def test_cli_plot_lang_fr_writes_the_french_chart(tmp_path: Path) -> None:
    out = tmp_path / "h100.svg"
    args = ["plot", "MAI-1-preview", "Grok", "--field", "training_accelerators"]
    assert main([*args, "--lang", "fr", "-o", str(out)]) == 0
    fig = compare(["MAI-1-preview", "Grok"], ["training_accelerators"], lang="fr").plot("bars")
    assert out.read_bytes() == figure_bytes(fig, "svg")
    english = tmp_path / "en.svg"
    assert main([*args, "-o", str(english)]) == 0
    assert english.read_bytes() != out.read_bytes()
