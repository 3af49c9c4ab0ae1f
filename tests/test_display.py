"""Tests of modelcompare.display: how numbers and estimates read, in English and French."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.display import choose_scale, format_estimate, format_number
from modelcompare.units import unit

E = mc.Estimate
NNBSP = "\u202f"  # narrow no-break space: the French group separator

SHOWN: list[tuple[mc.Estimate, str, str]] = [
    (E.about(15000, "H100"), "≈15,000 H100", f"≈15{NNBSP}000 H100"),
    (E.at_least(100000, "H100"), "≥100,000 H100", f"≥100{NNBSP}000 H100"),
    (E.between(3.8, 14, "Gparameter"), "3.8–14 B parameters", "3,8–14 milliards de paramètres"),
    (E.exact(1.76, "Tparameter"), "1.76 T parameters", f"1{NNBSP}760 milliards de paramètres"),
    (E.exact(69, "percent"), "69%", f"69{NNBSP}%"),
    (E.exact(80, "GB"), "80 GB", "80 GB"),
    (E.exact(989, "TFLOP/s"), "989 TFLOP/s", "989 TFLOP/s"),
    (E.about(2.1e25, "FLOP"), "≈2.1 × 10²⁵ FLOP", "≈2,1 × 10²⁵ FLOP"),
    (E.exact(650, "MUSD"), "$650 M", "$650 M"),
    (E.at_most(14, "Gparameter"), "≤14 B parameters", "≤14 milliards de paramètres"),
    (E.exact(3.3, "Ttoken"), "3.3 T tokens", f"3{NNBSP}300 milliards de tokens"),
    (E.exact(8.38, "mt_bench_point"), "8.38", "8,38"),
    (E.unknown("GB200"), "? GB200", "? GB200"),
    (E.exact(1, "GPU"), "1 GPU", "1 GPU"),
    (E.exact(700, "W"), "700 W", "700 W"),
    (E.exact(3.35, "TB/s"), "3.35 TB/s", "3,35 TB/s"),
    (E.at_least(628, "MUSD"), "≥$628 M", "≥$628 M"),
    (E.about(1.5, "GUSD"), "≈$1.5 B", "≈$1,5 B"),
    (E.between(3, 5, "GUSD"), "$3–5 B", "$3–5 B"),
    (E.exact(500e9, "parameter"), "500 B parameters", "500 milliards de paramètres"),
    (E.exact(1.5, "day"), "1.5 days", "1,5 jour"),
    (E.exact(1234567, "H100"), "1,234,567 H100", f"1{NNBSP}234{NNBSP}567 H100"),
    (
        E.exact(123456789, "parameter"),
        "123.456789 M parameters",
        "123,456789 millions de paramètres",
    ),
    (E.exact(5000, "s"), "5,000 s", f"5{NNBSP}000 s"),
    (E.about(1, "Tparameter"), "≈1 T parameters", f"≈1{NNBSP}000 milliards de paramètres"),
    (E.exact(1, "parameter"), "1 parameter", "1 paramètre"),
    (E.exact(1, "Ttoken"), "1 T tokens", f"1{NNBSP}000 milliards de tokens"),
    (E.exact(1, "hour"), "1 hour", "1 heure"),
    (E.exact(2, "hour"), "2 hours", "2 heures"),
    (E.exact(1, "day"), "1 day", "1 jour"),
    (E.exact(80, "GB").to("GiB"), "74.5… GiB", "74,5… GiB"),
    (E.exact(141, "GiB"), "141 GiB", "141 GiB"),
    (
        E.exact(1.76, "Tparameter").to("Gparameter"),
        "1,760 B parameters",
        f"1{NNBSP}760 milliards de paramètres",
    ),
    (E.exact(1e30, "parameter"), "1 × 10³⁰ parameters", "1 × 10³⁰ paramètres"),
    (E.exact(1e30, "W"), "1 × 10³⁰ W", "1 × 10³⁰ W"),
    (E.exact(3.3e18, "token"), "3.3 × 10¹⁸ tokens", "3,3 × 10¹⁸ tokens"),
    (E.exact(2) / 3, "0.666…", "0,666…"),
    (E.at_least(-1.2345678, "Gparameter"), "≥-1.24 B parameters", "≥-1,24 milliards de paramètres"),
]


@pytest.mark.parametrize(("e", "en", "fr"), SHOWN, ids=[en for _, en, _ in SHOWN])
def test_estimates_read_as_people_write_them(e: mc.Estimate, en: str, fr: str) -> None:
    """Each estimate shows as given, in English and in French."""
    assert format_estimate(e) == en
    assert str(e) == en
    assert format_estimate(e, lang="fr") == fr


def test_currency_puts_the_bound_sign_before_the_dollar() -> None:
    """'≥$628 M', not '$≥628 M': the sign qualifies the amount, dollar sign included."""
    assert str(E.at_least(628, "MUSD")) == "≥$628 M"
    assert str(E.at_most(5, "USD")) == "≤$5"
    assert str(E.exact(-5, "USD")) == "$-5"


def test_no_float_noise() -> None:
    """Float noise never shows: 500e9 parameters is '500 B parameters', 0.1 + 0.2 is 0.3."""
    assert str(E.exact(500e9, "parameter")) == "500 B parameters"
    assert format_number(0.1 + 0.2) == "0.3"
    assert format_number(500.00000000000006) == "500"
    assert str(E.exact(0.1, "W") + E.exact(0.2, "W")) == "0.3 W"
    assert str(E.exact(1.76e12, "parameter")) == "1.76 T parameters"


def test_long_figures_are_cut_to_three_digits() -> None:
    """Figures of more than six significant digits (results of arithmetic) show three,
    cut and marked '…' (a bound rounds outward instead); figures of up to six, and
    whole numbers in their unit (``full``), show in full."""
    assert format_number(14_347_750) == "14,300,000…"
    assert format_number(14_347_750, full=True) == "14,347,750"
    assert format_number(1234567, full=True) == "1,234,567"
    assert format_number(123456) == "123,456"
    assert format_number(2 / 3) == "0.666…"
    assert format_number(2 / 3, "fr") == "0,666…"
    assert format_number(2 / 3, rounding="up") == "0.667"
    assert format_number(-2 / 3, rounding="down") == "-0.667"
    assert str(E.exact(14500, "H100") * mc.Q_(989.5, "TFLOP/s/H100")) == "14,347,750 TFLOP/s"


def test_absurd_magnitudes_are_scientific() -> None:
    """A figure beyond 10²¹ or below 10⁻⁹ shows as m × 10ⁿ, not hundreds of digits."""
    assert format_number(1e308) == "1 × 10³⁰⁸"
    assert format_number(2.5e-300, "fr") == "2,5 × 10⁻³⁰⁰"
    assert format_number(1e20) == "100,000,000,000,000,000,000"


def test_special_values() -> None:
    """NaN shows as '?', infinities as '∞' and '-∞'."""
    assert format_number(math.nan) == "?"
    assert format_number(math.inf) == "∞"
    assert format_number(-math.inf) == "-∞"


# -- agreement with Babel (CLDR) ----------------------------------------------------------------
@st.composite
def short_decimals(draw: st.DrawFn, integral: bool) -> Decimal:
    """Signed decimals of at most six significant digits (display shows them in full)."""
    mantissa = draw(st.integers(1, 999_999))
    exponent = draw(st.integers(0, 12) if integral else st.integers(-9, 6))
    sign = draw(st.sampled_from([1, -1]))
    return (sign * Decimal(mantissa)).scaleb(exponent)


@given(d=st.one_of(short_decimals(integral=True), short_decimals(integral=False)))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_format_number_agrees_with_babel(lang: Any, d: Decimal) -> None:
    """format_number writes integers and decimals as Babel does (groups, decimals, minus)."""
    assert format_number(float(d), lang) == format_decimal(
        d, locale=lang, decimal_quantization=False
    )


def test_french_groups_with_a_narrow_no_break_space() -> None:
    """French groups digits with U+202F and writes the decimal comma, as CLDR does."""
    assert format_number(1234567.5, "fr") == f"1{NNBSP}230{NNBSP}000…"
    assert format_number(1500.25, "fr") == f"1{NNBSP}500,25"
    assert format_decimal(15000, locale="fr") == f"15{NNBSP}000"


# -- scale choice -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("units", "magnitudes", "lang", "factor", "header"),
    [
        ("parameter", [5e11], "en", 1e9, "B parameters"),
        ("parameter", [5e11], "fr", 1e9, "milliards de paramètres"),
        ("parameter", [1.76e12], "en", 1e12, "T parameters"),
        ("parameter", [1.76e12], "fr", 1e9, "milliards de paramètres"),
        ("parameter", [3.8e9, 1.76e12], "en", 1e9, "B parameters"),
        ("parameter", [5e5], "en", 1.0, "parameters"),
        ("Gparameter", [500], "en", 1e9, "B parameters"),
        ("token", [3.3e12], "en", 1e12, "T tokens"),
        ("FLOP", [2.1e25], "en", 1e25, "× 10²⁵ FLOP"),
        ("FLOP", [9999], "en", 1.0, "FLOP"),
        ("B", [8e10], "en", 1e9, "GB"),
        ("TFLOP/s", [989], "en", 1e12, "TFLOP/s"),
        ("W", [700], "en", 1.0, "W"),
        ("USD", [6.5e8], "en", 1e6, "$ M"),
        ("percent", [69], "fr", 1.0, "%"),
        ("H100", [15000], "en", 1.0, "H100"),
        ("kH100", [15], "en", 1.0, "H100"),
        ("parameter", [], "en", 1.0, "parameters"),
    ],
)
def test_scale_choice(
    units: str, magnitudes: list[float], lang: Any, factor: float, header: str
) -> None:
    """The scale is the largest at which the smallest non-zero magnitude reads at least 1."""
    scale = choose_scale(unit(units), magnitudes, lang)
    assert scale.factor == pytest.approx(factor)
    assert scale.header == header


@given(x=st.floats(1e-3, 1e20), u=st.sampled_from(["parameter", "token", "B", "W", "USD"]))
def test_chosen_scale_is_the_largest_that_reads_at_least_one(x: float, u: str) -> None:
    """The chosen scale is the largest at which the figure still reads at least 1.

    So the figure reads below 1000 wherever a larger scale exists (M, B, T for counts
    and dollars; k to Y for SI units).
    """
    scale = choose_scale(unit(u), [x])
    shown = x / scale.factor
    assert shown >= 1 or scale.factor == 1.0
    if scale.style == "sci":  # past the largest named scale: m × 10ⁿ, 1 <= m < 10
        assert 1 <= shown < 10 * (1 + 1e-12)
        return
    larger_exists = scale.factor < 1e24 if scale.style == "si" else 1e6 <= scale.factor < 1e12
    if larger_exists:
        assert shown < 1000


# -- outward rounding ---------------------------------------------------------------------------
#: Magnitudes with many significant digits, as arithmetic produces them.
long_floats = st.floats(1e-3, 1e15).filter(
    lambda x: len(Decimal(repr(x)).normalize().as_tuple().digits) > 6
)


@given(x=long_floats, lang=st.sampled_from(["en", "fr"]))
def test_format_number_rounds_the_way_it_is_told(x: float, lang: Any) -> None:
    """Rounding 'down' never shows above the value, 'up' never below.

    Up to float noise: display reads a float within 4 ulps of a 15-digit decimal as
    that decimal.
    """
    noise = 4 * math.ulp(x)
    down = mc.parse(format_number(x, lang, "down"), lang).interval()[1]
    up = mc.parse(format_number(x, lang, "up"), lang).interval()[1]
    assert down <= x + noise
    assert up >= x - noise


@given(
    a=long_floats,
    b=long_floats,
    u=st.sampled_from(["parameter", "token", "FLOP", "H100", "W", "USD"]),
    lang=st.sampled_from(["en", "fr"]),
)
def test_bounds_round_outward(a: float, b: float, u: str, lang: Any) -> None:
    """Bounds round outward: the interval shown always contains the true interval."""
    lo, hi = sorted((a, b))
    for e in (E.at_least(lo, u), E.at_most(hi, u), E.between(lo, hi, u)):
        shown = mc.parse(format_estimate(e, lang=lang), lang)
        slo, _, shi = shown.interval(u)
        tlo, _, thi = e.interval()
        assert slo <= tlo + 8 * math.ulp(tlo) if math.isfinite(tlo) else slo == tlo, shown
        assert shi >= thi - 8 * math.ulp(thi) if math.isfinite(thi) else shi == thi, shown
