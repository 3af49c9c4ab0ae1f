"""Tests of modelcompare.parsing: reading quantities as the sources write them."""

from __future__ import annotations

import importlib
import math
import re
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.display import format_estimate
from modelcompare.loader import normalize
from modelcompare.parsing import find_quantities
from modelcompare.testing import KNOWN_KINDS, estimates
from strategies import quantity_text, readable_estimates

E = mc.Estimate


def assert_same(got: mc.Estimate, want: mc.Estimate) -> None:
    """``got`` is ``want``: same bound, unit, nominal, low and high (and equal)."""
    assert got.bound is want.bound, (got, want)
    assert got.units == want.units, (got, want)
    for a, b in zip(got.interval(), want.interval(), strict=True):
        assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12), (got, want)
    assert got == want


def parse_quietly(text: str, lang: Any = "en", **kw: Any) -> mc.Estimate:
    """``mc.parse`` with the ambiguous-scale warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mc.AmbiguousScaleWarning)
        return mc.parse(text, lang, **kw)


# -- examples ------------------------------------------------------------------------------
EXAMPLES: list[tuple[str, str, mc.Estimate]] = [
    # from the issue
    ("plus de 100 000 puces H100", "fr", E.at_least(100000, "H100")),
    ("about 500 billion parameters", "en", E.about(500, "Gparameter")),
    ("15,000", "en", E.exact(15000)),
    ("15 000", "en", E.exact(15000)),
    ("15\u00a0000 H100", "fr", E.exact(15000, "H100")),
    ("15\u202f000 H100", "en", E.exact(15000, "H100")),
    ("1.76 T parameters", "en", E.exact(1.76, "Tparameter")),
    ("1,76 T de paramètres", "fr", E.exact(1.76, "Tparameter")),
    ("2.1e25 FLOP", "en", E.exact(2.1e25, "FLOP")),
    ("2.1 × 10^25 FLOP", "en", E.exact(2.1e25, "FLOP")),
    ("≈7.5 × 10²² FLOP", "en", E.about(7.5e22, "FLOP")),
    ("7,5 × 10²² FLOP", "fr", E.exact(7.5e22, "FLOP")),
    ("around 15,000 Nvidia H100 GPUs", "en", E.about(15000, "H100")),
    ("roughly 280B parameters", "en", E.about(280, "Gparameter")),
    ("approximately 15k H100", "en", E.about(15, "kH100")),
    ("~15,000 H100", "en", E.about(15000, "H100")),
    ("more than 100,000 H100", "en", E.at_least(100000, "H100")),
    ("over 100,000 GPUs", "en", E.at_least(100000, "GPU")),
    ("at least 1 trillion parameters", "en", E.at_least(1, "Tparameter")),
    ("> 80 GB", "en", E.at_least(80, "GB")),
    ("≥100,000 H100", "en", E.at_least(100000, "H100")),
    ("100,000+ GPUs", "en", E.at_least(100000, "GPU")),
    ("up to 14 B parameters", "en", E.at_most(14, "Gparameter")),
    ("at most 700 W", "en", E.at_most(700, "W")),
    ("less than 5%", "en", E.at_most(5, "percent")),
    ("under 1,000 W", "en", E.at_most(1000, "W")),
    ("< 3 TB/s", "en", E.at_most(3, "TB/s")),
    ("≤14 B parameters", "en", E.at_most(14, "Gparameter")),
    ("3.8 to 14 billion parameters", "en", E.between(3.8, 14, "Gparameter")),
    ("3.8–14 B parameters", "en", E.between(3.8, 14, "Gparameter")),
    ("3.8-14B parameters", "en", E.between(3.8, 14, "Gparameter")),
    ("from 3.8 to 14 billion parameters", "en", E.between(3.8, 14, "Gparameter")),
    ("between 3.8 and 14 billion parameters", "en", E.between(3.8, 14, "Gparameter")),
    ("de 3,8 à 14 milliards de paramètres", "fr", E.between(3.8, 14, "Gparameter")),
    ("entre 3,8 et 14 milliards de paramètres", "fr", E.between(3.8, 14, "Gparameter")),
    ("500 million to 1.2 billion parameters", "en", E.between(500, 1200, "Mparameter")),
    ("$3–5 billion", "en", E.between(3, 5, "GUSD")),
    ("environ 15 000 GPU NVIDIA H100", "fr", E.about(15000, "H100")),
    ("près de 15 000 H100", "fr", E.about(15000, "H100")),
    ("quelque 15 000 puces H-100", "fr", E.about(15000, "H100")),
    ("au moins 5 To", "fr", E.at_least(5, "TB")),
    ("moins de 5 %", "fr", E.at_most(5, "percent")),
    ("jusqu'à 14 milliards de paramètres", "fr", E.at_most(14, "Gparameter")),
    ("jusqu’à 14 milliards de paramètres", "fr", E.at_most(14, "Gparameter")),
    ("au plus 3 Go/s", "fr", E.at_most(3, "GB/s")),
    ("plus d'un milliard de dollars", "fr", E.at_least(1, "GUSD")),
    ("500 Md$", "fr", E.exact(500, "GUSD")),
    ("$650 M", "en", E.exact(650, "MUSD")),
    ("US$650 million", "en", E.exact(650, "MUSD")),
    ("650 millions de dollars américains", "fr", E.exact(650, "MUSD")),
    ("1.5 bn USD", "en", E.exact(1.5, "GUSD")),
    ("a billion dollars", "en", E.exact(1, "GUSD")),
    ("989 TFLOP/s", "en", E.exact(989, "TFLOP/s")),
    ("1,979 TFLOPS", "en", E.exact(1979, "TFLOP/s")),
    ("6e23 FLOPs", "en", E.exact(6e23, "FLOP")),
    ("80 GB", "en", E.exact(80, "GB")),
    ("80 Go", "fr", E.exact(80, "GB")),
    ("3 GiB", "en", E.exact(3, "GiB")),
    ("2,7 kW", "fr", E.exact(2.7, "kW")),
    ("10 MW", "en", E.exact(10, "MW")),
    ("a single GPU", "en", E.exact(1, "GPU")),
    ("two H100 GPUs", "en", E.exact(2, "H100")),
    ("72 B200", "en", E.exact(72, "B200")),
    ("8 A100 cards", "en", E.exact(8, "A100")),
    ("36 GB200 superchips", "en", E.exact(36, "GB200")),
    ("141 GB", "en", E.exact(141, "GB")),
    ("4 H200", "en", E.exact(4, "H200")),
    ("70-billion-parameter", "en", E.exact(70, "Gparameter")),
    ("500B-parameter", "en", E.exact(500, "Gparameter")),
    ("20 tokens/parameter", "en", E.exact(20, "token/parameter")),
    ("1.5 days", "en", E.exact(1.5, "day")),
    ("1,5 jours", "fr", E.exact(1.5, "day")),
    ("-5–-3", "en", E.between(-5, -3)),
    ("−2.5 W", "en", E.exact(-2.5, "W")),
    ("10 W to 2 kW", "en", E.between(10, 2000, "W")),
    ("? GB200", "en", E.unknown("GB200")),
    ("?", "en", E.unknown("dimensionless")),
    ("puces NVIDIA GB200", "fr", E.unknown("GB200")),
    ("500B", "en", E.exact(500e9)),
    # from the seeds (seeds/00*.txt)
    ("plus de 500 milliards de paramètres", "fr", E.at_least(500, "Gparameter")),
    ("500 milliards de paramètres", "fr", E.exact(500, "Gparameter")),
    ("environ 500 milliards de paramètres", "fr", E.about(500, "Gparameter")),
    ("environ 15 000 puces Nvidia H-100", "fr", E.about(15000, "H100")),
    ("une seule carte graphique GPU", "fr", E.exact(1, "GPU")),
    ("280 B de paramètres environ", "fr", E.about(280, "Gparameter")),
    ("plus de 1 000 milliards de paramètres", "fr", E.at_least(1000, "Gparameter")),
    ("70 milliards de paramètres", "fr", E.exact(70, "Gparameter")),
    ("3,8 milliards de paramètres", "fr", E.exact(3.8, "Gparameter")),
    ("4,8T tokens", "fr", E.exact(4.8, "Ttoken")),
    ("69 %", "fr", E.exact(69, "percent")),
    ("8,38", "fr", E.exact(8.38)),
    ("7B", "fr", E.exact(7e9)),
    ("$650 millions", "fr", E.exact(650, "MUSD")),
    ("un milliard de dollars", "fr", E.exact(1, "GUSD")),
    ("1,3 milliard de dollars", "fr", E.exact(1.3, "GUSD")),
    ("plus de 628 millions de dollars", "fr", E.at_least(628, "MUSD")),
    ("10 milliards de dollars", "fr", E.exact(10, "GUSD")),
]


@pytest.mark.parametrize(("text", "lang", "want"), EXAMPLES, ids=[t for t, _, _ in EXAMPLES])
def test_examples(text: str, lang: Any, want: mc.Estimate) -> None:
    """Each example reads as exactly the estimate given (bound, nominal, low, high, unit)."""
    assert_same(mc.parse(text, lang), want)


def test_about_keeps_the_stated_precision() -> None:
    """'About' spans half a unit in the last stated digit, whatever the scale word."""
    assert mc.parse("about 500 billion parameters").interval("Gparameter") == (450, 500, 550)
    assert mc.parse("environ 15 000 GPU NVIDIA H100", "fr").interval() == (14500, 15000, 15500)
    assert mc.parse("≈2.1 × 10²⁵ FLOP").interval("FLOP") == pytest.approx(
        (2.05e25, 2.1e25, 2.15e25)
    )


def test_spaces_around_the_figure_are_free() -> None:
    """White space before and after a quantity, and between its parts, is ignored."""
    assert_same(mc.parse("  ≥ 100 000   H100\n", "fr"), E.at_least(100000, "H100"))


# -- French billion and trillion -----------------------------------------------------------
def test_french_trillion_warns_and_reads_the_long_scale() -> None:
    """French 'trillions' with no scale= reads 10^18 and warns, naming both readings."""
    with pytest.warns(mc.AmbiguousScaleWarning) as record:
        got = mc.parse("3,3 trillions de tokens", "fr")
    assert_same(got, E.exact(3.3, "Etoken"))
    warning = record[0].message
    assert isinstance(warning, mc.AmbiguousScaleWarning)
    assert warning.long == E.exact(3.3e18, "token")
    assert warning.short == E.exact(3.3, "Ttoken")
    text = str(warning)
    assert "10^18" in text
    assert "10^12" in text
    assert "scale='short'" in text


def test_french_billion_warns_too() -> None:
    """French 'billion' is 10^12 by default, with a warning."""
    with pytest.warns(mc.AmbiguousScaleWarning, match="billion"):
        assert mc.parse("1 billion de dollars", "fr") == E.exact(1, "TUSD")


@pytest.mark.parametrize(
    ("scale", "want"),
    [("short", E.exact(3.3, "Ttoken")), ("long", E.exact(3.3, "Etoken"))],
)
def test_scale_keyword_chooses_without_warning(scale: Any, want: mc.Estimate) -> None:
    """With scale= given, French billion/trillion read as asked and nothing warns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_same(mc.parse("3,3 trillions de tokens", "fr", scale=scale), want)


def test_english_is_short_scale_unless_told() -> None:
    """English billion is 10^9 with no warning; scale='long' reads it as 10^12."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert mc.parse("1 billion parameters") == E.exact(1, "Gparameter")
        assert mc.parse("1 billion parameters", scale="long") == E.exact(1, "Tparameter")


def test_unambiguous_scales_never_warn() -> None:
    """milliard, Md, B and T are not ambiguous in French: no warning, and each reads
    as the one value it has."""
    expected = {
        "3 milliards": E.exact(3e9),
        "3 Md$": E.exact(3, "GUSD"),
        "3B": E.exact(3e9),
        "3,3T tokens": E.exact(3.3, "Ttoken"),
        "1,76 T de paramètres": E.exact(1.76, "Tparameter"),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for text, value in expected.items():
            assert mc.parse(text, "fr") == value, text


def test_find_quantities_warns_once_per_ambiguous_quantity() -> None:
    """find_quantities warns for each French billion/trillion it reads with no scale=."""
    text = "3,3 trillions de tokens et 2 billions de paramètres"
    with pytest.warns(mc.AmbiguousScaleWarning) as record:
        found = find_quantities(text, "fr")
    assert len(record) == 2
    assert [e for _, _, e in found] == [E.exact(3.3, "Etoken"), E.exact(2, "Tparameter")]


# -- errors ------------------------------------------------------------------------------------
ERRORS: list[tuple[str, str, int, str]] = [
    ("", "en", 0, "empty"),
    ("   ", "en", 3, "empty"),
    ("1,76", "en", 1, "comma groups exactly three digits"),
    ("15,00 H100", "en", 2, "comma groups exactly three digits"),
    ("4.5 milliards", "fr", 1, "decimal separator is the comma"),
    ("500 B", "en", 4, "billion or byte"),
    ("beaucoup de puces", "fr", 0, "expected a number"),
    ("15 000 puces", "fr", 7, "unexpected 'puces'"),
    ("15 000 H100 wafers", "en", 12, "unexpected 'wafers'"),
    ("about 3 to 5", "en", 7, "qualifier before a range"),
    ("between 3 or 5", "en", 9, "expected 'and'"),
    ("entre 3 ou 5", "fr", 7, "expected 'et'"),
    ("5 to 3", "en", 0, "low end is above its high end"),
    ("10 H100 to 20 A100", "en", 11, "different units"),
    ("10 W to 20", "en", 10, "upper end has no unit"),
    ("500 €", "fr", 4, "currency other than the dollar"),
    ("500 millions d'euros", "fr", 13, "currency other than the dollar"),
    ("$5 W", "en", 4, "'$' before the number"),
    ("un groupe", "fr", 0, "needs a unit or a scale"),
    ("1e9999 FLOP", "en", 0, "out of range"),
    ("GPT-4", "en", 0, "expected a number"),
    ("13e place", "fr", 2, "unexpected 'e'"),
    ("plus de puces", "fr", 8, "expected a number"),
]


@pytest.mark.parametrize(("text", "lang", "position", "reason"), ERRORS)
def test_errors_say_what_and_where(text: str, lang: Any, position: int, reason: str) -> None:
    """Unreadable text raises ParseError with the text, the position and the reason."""
    with pytest.raises(mc.ParseError) as info:
        mc.parse(text, lang)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.text == text
    assert err.position == position, str(err)
    assert reason in err.reason, str(err)
    assert f"at position {position}" in str(err)


def test_bad_arguments_are_not_parse_errors() -> None:
    """A wrong lang, scale or default unit is the caller's mistake, not the text's."""
    with pytest.raises(ValueError, match="lang"):
        mc.parse("5", "de")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale"):
        mc.parse("5", scale="medium")  # type: ignore[arg-type]
    with pytest.raises(mc.UnitError):
        mc.parse("5", default_unit="furlong")


@settings(max_examples=500)
@given(text=quantity_text, lang=st.sampled_from(["en", "fr"]))
def test_arbitrary_text_raises_only_parse_error(text: str, lang: Any) -> None:
    """parse never raises anything but ParseError, and find_quantities never raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mc.AmbiguousScaleWarning)
        try:
            result = mc.parse(text, lang)
        except mc.ParseError:
            pass
        else:
            assert isinstance(result, E)
        for start, end, estimate in find_quantities(text, lang):
            assert 0 <= start < end <= len(text)
            assert isinstance(estimate, E)


# -- default unit -----------------------------------------------------------------------------
def test_default_unit_applies_only_where_no_unit_is_stated() -> None:
    """default_unit is the unit of a bare figure; a stated unit wins."""
    assert_same(mc.parse("8.38", default_unit="mt_bench_point"), E.exact(8.38, "mt_bench_point"))
    assert_same(mc.parse("500B", default_unit="parameter"), E.exact(500, "Gparameter"))
    assert_same(mc.parse("5 GB", default_unit="parameter"), E.exact(5, "GB"))
    assert_same(mc.parse("8–9", default_unit="mt_bench_point"), E.between(8, 9, "mt_bench_point"))
    assert_same(mc.parse("?", default_unit="H100"), E.unknown("H100"))


# -- find_quantities ---------------------------------------------------------------------------
def test_find_in_a_seed_quote() -> None:
    """find_quantities reads the H100 count and the GB200 mention of seed-003, with spans."""
    quote = (
        "le modèle avait été formé en utilisant environ 15 000 GPU NVIDIA H100, "
        "aux côtés d’un groupe de puces NVIDIA GB200"
    )
    found = find_quantities(quote, "fr")
    assert [(quote[a:b], e) for a, b, e in found] == [
        ("environ 15 000 GPU NVIDIA H100", E.about(15000, "H100")),
        ("puces NVIDIA GB200", E.unknown("GB200")),
    ]


@pytest.mark.parametrize(
    ("text", "lang", "want"),
    [
        ("Mixtral 8x7B et GPT-3.5 (MAI-1, Phi-3-mini)", "fr", []),
        ("à la 13e place", "fr", []),
        ("GPT 4.5", "fr", []),
        ("le 1,76 T", "en", []),
        ("en 2019 M. Scott", "fr", [E.exact(2019)]),
        ("500 millions d'euros, 500 €", "fr", []),
        ("3 et 5 milliards de paramètres", "fr", [E.exact(5, "Gparameter")]),
        ("7B et 14B", "fr", [E.exact(7e9), E.exact(14e9)]),
        ("75 % et 78 %", "fr", [E.exact(75, "percent"), E.exact(78, "percent")]),
        ("8,7 et 8,9 sur MT-bench", "fr", [E.exact(8.7), E.exact(8.9)]),
        ("un groupe de puces, une prouesse", "fr", []),
        ("3 GPU à 2 000 $", "fr", [E.exact(3, "GPU"), E.exact(2000, "USD")]),
        ("plus de 100 000 de ces mêmes puces", "fr", [E.at_least(100000)]),
        (
            "a 500B-parameter model trained on 10T tokens",
            "en",
            [E.exact(500, "Gparameter"), E.exact(10, "Ttoken")],
        ),
    ],
)
def test_find_skips_what_it_cannot_read(text: str, lang: Any, want: list[mc.Estimate]) -> None:
    """find_quantities skips what it cannot read for sure, and reads the rest.

    Skipped: numbers inside names, ordinals, ambiguous separators, other currencies,
    and figures whose scale a later list item carries.
    """
    assert [e for _, _, e in find_quantities(text, lang)] == want


# -- the built-in data ---------------------------------------------------------------------------
REGISTRY = mc.load_registry()
CITED = [
    (m.id, c, cite)
    for m in REGISTRY
    for c in m.claims()
    if c.status != "derived"
    for cite in c.citations
]


def _cited(pred: Any) -> list[Any]:
    picked = [(mid, c, cite) for mid, c, cite in CITED if pred(c.value)]
    ids = [f"{mid}-{c.field}-{cite.source.id}-{i}" for i, (mid, c, cite) in enumerate(picked)]
    return [pytest.param(c, cite, id=i) for (_, c, cite), i in zip(picked, ids, strict=True)]


def _is_figure(v: object) -> bool:
    return isinstance(v, E) and v.is_known


def _is_unknown(v: object) -> bool:
    return isinstance(v, E) and not v.is_known


#: Claims whose quote gives the figure without its unit, with the unit the
#: figure counts and why; for these the quote is read with default_unit=…
#: (the figure and its bound are still checked). Every other figure's unit
#: must be read from the quote itself.
IMPLIED_UNIT: dict[tuple[str, str, str], tuple[str, str]] = {
    ("mai-1", "parameters", "paramètre 500B"): (
        "parameter",
        "a calque of '500B parameter LLM': the unit word comes before the figure",
    ),
    ("phi-3-small", "parameters", "modèles 7B et 14B"): (
        "parameter",
        "'7B models': a model's size in parameters, unit unsaid",
    ),
    ("phi-3-medium", "parameters", "modèles 7B et 14B"): (
        "parameter",
        "'14B models': a model's size in parameters, unit unsaid",
    ),
    ("phi-3-mini", "mt_bench", "8,38 sur MT-bench"): (
        "mt_bench_point",
        "an MT-bench score has no unit word",
    ),
    ("phi-3-small", "mt_bench", "8,7 et 8,9 sur MT-bench"): (
        "mt_bench_point",
        "an MT-bench score has no unit word",
    ),
    ("phi-3-medium", "mt_bench", "8,7 et 8,9 sur MT-bench"): (
        "mt_bench_point",
        "an MT-bench score has no unit word",
    ),
    ("grok", "training_accelerators", "100 000 de ces mêmes puces"): (
        "H100",
        "'ces mêmes puces' are the Nvidia H-100 of the sentence before (see the claim's note)",
    ),
}


def _implied(claim: mc.Claim, quote: str) -> str | None:
    for (subject, field, fragment), (unit, _) in IMPLIED_UNIT.items():
        if (claim.subject, claim.field) == (subject, field) and fragment in quote:
            return unit
    return None


#: How a claim's note says a French billion/trillion is meant.
_NOTE_SCALE = re.compile(r"read in the (?P<short>English)?(?P<long>French long-scale)? sense")


def _stated_scale(claim: mc.Claim) -> Any:
    m = _NOTE_SCALE.search(claim.note or "")
    if not m:
        return None
    return "short" if m.group("short") else "long"


def _read(claim: mc.Claim, cite: mc.Citation, **kw: Any) -> list[mc.Estimate]:
    lang = cite.source.language
    assert lang in ("en", "fr"), f"no parser for {lang!r}"
    return [e for _, _, e in find_quantities(cite.quote, lang, **kw)]


@pytest.mark.parametrize(("claim", "cite"), _cited(_is_figure))
def test_every_quoted_figure_is_in_its_quote(claim: mc.Claim, cite: mc.Citation) -> None:
    """Each stated figure of the built-in data is among the quantities its quote reads as.

    French 'trillions' (seed-002: 3,3 trillions de tokens) is ambiguous: read
    with no scale= it warns, and the claim's note must then say which reading
    the data takes ("read in the English sense" -> scale='short'); the quote is
    read again with that scale. A figure whose unit the quote leaves unsaid is
    read with the unit IMPLIED_UNIT gives, and only those listed there.
    """
    default = _implied(claim, cite.quote)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plain = _read(claim, cite, default_unit=default)
    ambiguous = [w for w in caught if issubclass(w.category, mc.AmbiguousScaleWarning)]
    scale = None
    if ambiguous:
        scale = _stated_scale(claim)
        assert scale is not None, (
            f"{cite.quote!r} uses a French billion/trillion; the claim's note must say "
            "whether it is 'read in the English sense' or 'read in the French long-scale sense'"
        )
    found = _read(claim, cite, default_unit=default, scale=scale) if scale else plain
    assert claim.value in found, f"{claim.value} not in {[str(e) for e in found]}"
    if default is not None:  # the IMPLIED_UNIT entry is needed
        assert claim.value not in _read(claim, cite, scale=scale)


def test_the_trillions_claim_needs_its_note() -> None:
    """Without the note's scale='short', seed-002's 3,3 trillions reads as 10^18 tokens."""
    (claim,) = REGISTRY["phi-3-mini"].claims("training_tokens")
    quote = claim.citations[0].quote
    with pytest.warns(mc.AmbiguousScaleWarning):
        found = [e for _, _, e in find_quantities(quote, "fr")]
    assert claim.value not in found
    assert E.exact(3.3e18, "token") in found


def test_every_implied_unit_entry_is_used() -> None:
    """Each IMPLIED_UNIT entry matches a citation of its claim (none is stale)."""
    for subject, field, fragment in IMPLIED_UNIT:
        assert any(
            (c.subject, c.field) == (subject, field) and fragment in cite.quote
            for _, c, cite in CITED
        ), (subject, field, fragment)


@pytest.mark.parametrize(("claim", "cite"), _cited(_is_unknown))
def test_every_unknown_figure_names_its_chip(claim: mc.Claim, cite: mc.Citation) -> None:
    """A claim with no figure (? GB200) cites a quote that names the chip and gives no count."""
    found = _read(claim, cite)
    assert claim.value in found
    assert not any(e.is_known and e.dimensionality == claim.value.dimensionality for e in found)


@pytest.mark.parametrize(("claim", "cite"), _cited(lambda v: isinstance(v, mc.Rank)))
def test_every_rank_is_in_its_quote(claim: mc.Claim, cite: mc.Citation) -> None:
    """A rank (13) stands in its quote as an ordinal (13e), which is not read as a figure."""
    n = claim.value.position
    assert re.search(rf"(?<![0-9]){n}\s*(?:e|ème|er|th|st|nd|rd)(?!\w)", cite.quote), cite.quote
    assert all(e != E.exact(n) for e in _read(claim, cite))


#: Words that state each category (architecture, licence), in the seeds' languages.
CATEGORY_WORDS = {
    "moe": ("MoE", "mélange d'experts", "mixture of experts", "mixture-of-experts"),
    "dense": ("dense",),
    "open source": ("open source",),
}


def _kind(claim: mc.Claim) -> mc.FieldKind:
    return mc.FIELDS[claim.field].kind


@pytest.mark.parametrize(
    ("claim", "cite"),
    [p for p in _cited(lambda v: isinstance(v, str)) if _kind(p.values[0]) == "category"],
)
def test_every_category_is_in_its_quote(claim: mc.Claim, cite: mc.Citation) -> None:
    """A category (architecture 'moe', licence 'open source') holds no number: its quote
    states it in words."""
    words = CATEGORY_WORDS[claim.value]
    assert any(w.lower() in cite.quote.lower() for w in words), cite.quote


@pytest.mark.parametrize(
    ("claim", "cite"),
    [p for p in _cited(lambda v: isinstance(v, str)) if _kind(p.values[0]) == "text"],
)
def test_every_text_states_no_figure_its_quote_lacks(claim: mc.Claim, cite: mc.Citation) -> None:
    """A text value (Phi-3-mini's training data) is words, not a figure: every number it
    holds (Phi-2's 2) stands in its quote too."""
    for number in re.findall(r"\d+(?:[.,]\d+)?", str(claim.value)):
        assert number in cite.quote, (number, cite.quote)


def _names_of(reg: mc.Registry, model_id: str) -> list[str]:
    m = reg[model_id]
    return [normalize(x) for x in (m.name, *m.aliases)]


@pytest.mark.parametrize(("claim", "cite"), _cited(lambda v: isinstance(v, mc.Related)))
def test_every_related_model_is_named_in_its_quote(claim: mc.Claim, cite: mc.Citation) -> None:
    """A relation (Phi-3-mini rival of Mixtral 8x7B and GPT-3.5) names in its quote every
    model it relates to, by name or alias."""
    quote = normalize(cite.quote)
    assert isinstance(claim.value, mc.Related)
    for target in claim.value.ids:
        assert any(n in quote for n in _names_of(REGISTRY, target)), (target, cite.quote)


def test_every_citation_is_checked_by_one_test() -> None:
    """Each stated claim's citations fall in exactly one of the checks above."""
    kinds = [
        lambda c: _is_figure(c.value),
        lambda c: _is_unknown(c.value),
        lambda c: isinstance(c.value, mc.Rank),
        lambda c: isinstance(c.value, str) and _kind(c) == "category",
        lambda c: isinstance(c.value, str) and _kind(c) == "text",
        lambda c: isinstance(c.value, mc.Related),
    ]
    for _, c, _ in CITED:
        assert sum(k(c) for k in kinds) == 1, c
    assert len(CITED) >= 30


# -- round trip ------------------------------------------------------------------------------
@settings(max_examples=400)
@given(e=readable_estimates(), lang=st.sampled_from(["en", "fr"]))
def test_display_reads_back(e: mc.Estimate, lang: Any) -> None:
    """parse(format_estimate(e, lang=lang), lang=lang) == e for every readable unit."""
    shown = format_estimate(e, lang=lang)
    assert parse_quietly(shown, lang) == e, shown


@given(
    e=st.sampled_from(["Gparameter", "H100", "MUSD", "percent", "FLOP"]).flatmap(
        lambda u: estimates(
            unit=u,
            signed=True,
            kinds=(mc.Bound.EXACT, mc.Bound.APPROX, mc.Bound.AT_LEAST, mc.Bound.AT_MOST),
        )
    ),
    lang=st.sampled_from(["en", "fr"]),
)
def test_negative_figures_read_back(e: mc.Estimate, lang: Any) -> None:
    """Negative figures (with their minus sign) read back too; a negative count
    (a difference) with allow_negative."""
    assert mc.parse(format_estimate(e, lang=lang), lang, allow_negative=True) == e
    if any(x < 0 for x in e.interval() if math.isfinite(x)) and str(e.units) not in (
        "megaUS_dollar",
        "percent",
    ):
        with pytest.raises(mc.ParseError, match="a count cannot be negative"):
            mc.parse(format_estimate(e, lang=lang), lang)


@given(e=estimates(unit="mt_bench_point", kinds=KNOWN_KINDS), lang=st.sampled_from(["en", "fr"]))
def test_unlabelled_units_read_back_with_default_unit(e: mc.Estimate, lang: Any) -> None:
    """An MT-bench score shows no unit ('8.38') and reads back with default_unit."""
    shown = format_estimate(e, lang=lang)
    assert mc.parse(shown, lang, default_unit="mt_bench_point") == e


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("unit", ["GB200", "H100", "parameter", "token", "FLOP", "percent"])
def test_unknown_reads_back(unit: str, lang: Any) -> None:
    """'? GB200', '? parameters', '?%' read back as unknown estimates."""
    e = E.unknown(unit)
    assert_same(mc.parse(format_estimate(e, lang=lang), lang), e)


def test_parse_is_the_function_after_importing_the_module() -> None:
    """mc.parse stays the function (lazily loaded) once modelcompare.parsing is imported."""
    importlib.import_module("modelcompare.parsing")
    assert callable(mc.parse)
    assert mc.parse("5 W") == E.exact(5, "W")
