"""French tables: compare(..., lang="fr") and --lang fr write figures, headers,
legends, ranks and the renderers' words as French does; English stays the default."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import comparison
from modelcompare.cli import main
from modelcompare.display import choose_scale
from modelcompare.i18n import FIELD_LABELS_FR, TEXT_FR, translate
from modelcompare.tables import STANDARD_TABLES, TITLES_FR
from strategies import estimates

NNBSP = "\u202f"  # the narrow no-break space French puts between thousands

#: English words that a French legend must not hold (an untranslated piece).
ENGLISH = re.compile(
    r"\b(the|figures?|ratio|names|with no count|compares|divided|about|least|most|"
    r"rumored|derived|sources differ|conflict|partial|column|reported)\b"
)


def test_figures_headers_ranks_in_french(reg: mc.Registry) -> None:
    """15 000 with a narrow no-break space, 1,76 with a comma, French headers, 13e."""
    t = mc.compare(
        ["MAI-1-preview", "Grok", "GPT-4"],
        ["training_accelerators", "parameters", "lmarena_text_rank"],
        registry=reg,
        lang="fr",
    )
    assert t.lang == "fr"
    assert [c.header for c in t.columns] == [
        "Accélérateurs d’entraînement",
        "Paramètres (milliards)",
        "Rang LMArena (texte)",
    ]
    cells = {m.name: [c.text for c in row] for m, row in zip(t.models, t.rows, strict=True)}
    assert cells["MAI-1-preview"][0] == f"≈15{NNBSP}000 H100 + ? GB200"
    assert cells["Grok"][0] == f"≥100{NNBSP}000 H100"
    assert cells["GPT-4"][1] == f"1{NNBSP}760"
    assert cells["MAI-1-preview"][2] == "13e"
    en = mc.compare(["GPT-4"], ["parameters"], registry=reg)
    assert en.rows[0][0].text == "1.76"  # English stays the default (in T; French has no T)
    mt = mc.compare(["Phi-3-mini"], ["mt_bench"], registry=reg, lang="fr")
    assert mt.rows[0][0].text == "8,38"


def test_french_legend_and_words(reg: mc.Registry) -> None:
    """The legend's meanings are French (partial ratios and × columns too), and the
    renderers' own words: Modèle, Sources :, (déduite) for an inferred date."""
    t = mc.compare(
        ["MAI-1-preview", "Grok"],
        ["training_accelerators", "training_power"],
        vs="MAI-1-preview",
        registry=reg,
        lang="fr",
    )
    meanings = {e.mark: e.meaning for e in t.legend}
    assert meanings["≈"] == "environ (arrondi par la source)"
    assert meanings["*"] == (
        "rapport partiel\u00a0: il ne compare que les nombres de H100\u00a0; "
        "MAI-1-preview nomme aussi GB200 sans nombre"
    )
    assert meanings["× MAI-1-preview"] == (
        "la valeur divisée par celle de MAI-1-preview (bornes comprises)"
    )
    assert "≥0 dans une colonne ×" in meanings
    for mark, meaning in meanings.items():
        assert not ENGLISH.search(meaning), (mark, meaning)
    md = t.to_markdown()
    assert md.startswith("| Modèle |")
    assert "\nSources\u00a0:\n" in md
    assert "(déduite)" in md
    assert "(inferred)" not in md
    html = t.to_html(standalone=True)
    assert '<html lang="fr">' in html
    assert "Comparaison de modèles" in html
    assert "Modèle &amp;" not in html
    assert "Modèle" in t.to_latex()
    assert "Modèle" in t.render("latex", layout="column")


def test_every_legend_text_and_field_has_french() -> None:
    """Every fixed legend text and every field name has a French translation."""
    fixed = [
        *comparison._FLAG_MEANINGS.values(),
        *comparison._EACH_FLAG_MEANINGS.values(),
        *(meaning for _, _, meaning in comparison._BOUND_LEGEND),
        comparison._NO_FIGURE,
        comparison._NO_RATIO,
        comparison._UNBOUNDED_RATIO,
        comparison._EACH_LEGEND[1],
        comparison._CONTINUES_LEGEND[1],
    ]
    for text in fixed:
        assert text in TEXT_FR, text
    assert set(FIELD_LABELS_FR) <= set(mc.FIELDS)  # no label for a field that is gone
    missing = sorted(set(mc.FIELDS) - set(FIELD_LABELS_FR))
    assert not missing, f"add French labels to modelcompare.i18n.FIELD_LABELS_FR: {missing}"
    assert set(TITLES_FR) == {spec.name for spec in STANDARD_TABLES}


@pytest.mark.parametrize("spec", STANDARD_TABLES, ids=lambda s: s.name)
def test_standard_tables_read_as_french(reg: mc.Registry, spec: object) -> None:
    """Every standard table in French: a French title, no English left in the legend."""
    t = spec.build(reg, lang="fr")  # type: ignore[attr-defined]
    assert t.title == TITLES_FR[t.title and spec.name]  # type: ignore[attr-defined]
    for entry in t.legend:
        assert not ENGLISH.search(entry.meaning), entry
        assert not ENGLISH.search(entry.mark), entry


def test_a_missing_ratio_legend_in_french(reg: mc.Registry) -> None:
    """A meaning built from parts ("in a × X column, no ratio…") is French throughout."""
    t = mc.compare(["GPT-4", "Grok"], ["parameters"], vs="Grok", registry=reg, lang="fr")
    dash = next(e.meaning for e in t.legend if e.mark == "—")
    assert dash.startswith("aucun chiffre rapporté\u00a0; dans une colonne × Grok, aucun rapport")
    assert not ENGLISH.search(dash)


def test_translate_english_is_identity() -> None:
    """translate(..., "en") returns the text; an unknown lang is an InvalidValueError."""
    assert translate("at least (more than)", "en") == "at least (more than)"
    with pytest.raises(mc.InvalidValueError, match="lang must be one of en, fr"):
        mc.compare(["Grok"], lang="de")  # type: ignore[arg-type]


@settings(max_examples=40)
@given(
    st.sampled_from(
        [("parameters", "Gparameter"), ("training_accelerators", "H100"), ("mmlu", "percent")]
    ).flatmap(lambda fu: st.tuples(st.just(fu[0]), estimates(fu[1])))
)
def test_french_cells_hold_the_same_figures(field_value: tuple[str, mc.Estimate]) -> None:
    """A French cell shows the same figures as the English one, written the French way:
    the numbers are equal, and the text differs only by the separators."""
    from dataclasses import replace

    from strategies import user_registry

    name, value = field_value
    reg = user_registry("M", "n", "t")
    model = next(iter(reg))
    cites = model.stated_claims[0].citations
    claim = mc.Claim("user-model", name, value, mc.Status.REPORTED, cites)
    reg = mc.Registry([replace(model, stated_claims=(claim,))], reg.sources)
    en = mc.compare(["M"], [name], registry=reg).rows[0][0]
    fr = mc.compare(["M"], [name], registry=reg, lang="fr").rows[0][0]
    assert en.value == fr.value == value
    spec = mc.FIELDS[name]
    unit = value.units if spec.dimension == "accelerator" else spec.dimension
    mags = [x for x in value.interval(unit) if math.isfinite(x)]
    units = mc.ureg.Unit(unit) if isinstance(unit, str) else unit
    f_en, f_fr = (choose_scale(units, mags, lang).factor for lang in ("en", "fr"))
    for a, b in ((en.low, fr.low), (en.nominal, fr.nominal), (en.high, fr.high)):
        assert (a != a and b != b) or math.isclose(a * f_en, b * f_fr, rel_tol=1e-9)
    if f_en == f_fr:  # the same scale: the same digits, French separators
        swap = str.maketrans({",": ".", NNBSP: ",", ".": ","})
        assert fr.text.translate(swap) == en.text


def test_cli_lang_fr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """compare --lang fr and tables --lang fr (write, then --check) in French."""
    assert main(["compare", "Grok", "--fields", "training_accelerators", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert f"≥100{NNBSP}000 H100" in out
    assert "au moins (plus de)" in out
    assert main(["tables", "--out", str(tmp_path), "--lang", "fr"]) == 0
    capsys.readouterr()
    text = (tmp_path / "phi-3.md").read_text(encoding="utf-8")
    assert text.startswith("**La famille Phi-3\u00a0: taille, données et évaluations**")
    assert "| Modèle | Paramètres (milliards) |" in text
    assert main(["tables", "--out", str(tmp_path), "--check", "--lang", "fr"]) == 0
    assert main(["tables", "--out", str(tmp_path), "--check"]) == 1


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_french_latex_compiles(tmp_path: Path, reg: mc.Registry) -> None:
    """The French paper layout compiles and reads back in French."""
    from test_render_latex_paper import TWO_COLUMN, compile_tex

    t = mc.compare(["MAI-1-preview", "Grok"], vs="MAI-1-preview", registry=reg, lang="fr")
    text, _ = compile_tex(tmp_path, TWO_COLUMN % t.render("latex", layout="column"))
    flat = " ".join(text.split())
    assert "Modèle" in flat
    assert "environ (arrondi par la source)" in flat
    assert re.search(r"15\s?000", text)
