"""parse() reads back whatever str() prints, and reads what writers write:
qualifiers ("nearly", "or so"), memory kinds, months, "$?"; it refuses negative
counts as data files do, and hints at --lang fr for French under English."""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import Bound, Estimate
from modelcompare.display import format_estimate
from modelcompare.testing import KNOWN_KINDS, assert_contains, estimates, stated_numbers
from strategies import READABLE_UNITS

E = Estimate

#: Units whose display parse reads back, besides READABLE_UNITS: binary bytes,
#: times (shown in their own unit), rates and ratios.
MORE_UNITS = ["GiB", "MiB", "TB/s", "s", "min", "hour", "day", "week", "month", "year", "kW"]
ALL_UNITS = [*READABLE_UNITS, *MORE_UNITS, "token/parameter"]


def parse_quietly(text: str, lang: Any) -> Estimate:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the display never writes an ambiguous scale
        return mc.parse(text, lang, allow_negative=True)


@st.composite
def any_estimates(draw: st.DrawFn) -> Estimate:
    """Stated estimates of every bound kind, and results of arithmetic on them
    (ranges, long figures, differences)."""
    unit = draw(st.sampled_from(ALL_UNITS))
    e = draw(estimates(unit=unit, kinds=KNOWN_KINDS, signed=draw(st.booleans())))
    how = draw(
        st.sampled_from(
            ["stated", "times", "plus", "minus", "unknown", "converted", "span", "rounded"]
        )
    )
    if how == "converted":  # 80 GB in GiB: 74.5… GiB, a figure that goes on
        other = {"B": "GiB", "GB": "MiB", "TB": "GiB", "s": "min", "day": "week"}
        u = draw(st.sampled_from(sorted(other)))
        e = draw(estimates(unit=u, kinds=KNOWN_KINDS)).to(other[u])
    elif how == "span":  # an "about" over a span its source states (Epoch's bounds)
        n = e.interval()[1]
        if e.bound is not Bound.UNKNOWN and n != 0:
            below = draw(st.floats(0.0, 0.9)) * abs(n)
            above = draw(st.floats(0.0, 2.0)) * abs(n)
            e = E.about(n, e.units, low=n - below, high=n + above)
    elif how == "rounded":
        e = round(e, draw(st.integers(-4, 3)))
    elif how == "times":
        e = e * round(draw(st.floats(0.001, 1000)), 6)
    elif how == "plus":
        e = e + draw(estimates(unit=unit, kinds=KNOWN_KINDS))
    elif how == "minus":
        e = e - draw(estimates(unit=unit, kinds=KNOWN_KINDS))
    elif how == "unknown":
        e = E.unknown(unit)
    return e


def _close(shown: float, true: float, rel: float) -> bool:
    if math.isinf(true) or math.isinf(shown):
        return shown == true
    return math.isclose(shown, true, rel_tol=rel, abs_tol=1e-300)


@settings(max_examples=300)
@given(e=any_estimates(), lang=st.sampled_from(["en", "fr"]))
def test_parse_reads_back_what_str_prints(e: Estimate, lang: Any) -> None:
    """parse(format_estimate(e, lang), lang) has e's bound kind and dimension, and
    its interval up to the display's rounding: a bound outward (the shown interval
    holds e's), every figure within the three digits a cut figure keeps."""
    shown = format_estimate(e, lang=lang)
    back = parse_quietly(shown, lang)
    # a cut figure ("0.666…": it goes on) reads as the range its digits allow
    cut = "…" in shown and e.bound is Bound.EXACT
    assert back.bound is (Bound.RANGE if cut else e.bound), shown
    assert back.dimensionality == e.dimensionality, shown
    if e.bound is Bound.UNKNOWN:
        return
    assert_contains(back, e, rel=1e-9)
    (blo, bn, bhi), (lo, n, hi) = back.interval(e.units), e.interval()
    if cut:  # the range its digits allow, however few are shown ("0.00000004…")
        return
    # longer figures keep three digits (cut, or rounded outward): within 1%; the
    # stated ones come back exactly (test_stated_figures_read_back_exactly)
    rel = 1e-2
    assert _close(blo, lo, rel), (shown, blo, lo)
    assert _close(bhi, hi, rel), (shown, bhi, hi)
    if e.bound in (Bound.EXACT, Bound.APPROX):
        assert _close(bn, n, rel), (shown, bn, n)
    slack = 1e-12
    if e.bound in (Bound.AT_LEAST, Bound.RANGE) or cut:
        assert blo <= lo + abs(lo) * slack, (shown, blo, lo)
    if e.bound in (Bound.AT_MOST, Bound.RANGE) or cut:
        assert bhi >= hi - abs(hi) * slack, (shown, bhi, hi)


@given(x=stated_numbers(), unit=st.sampled_from(ALL_UNITS), lang=st.sampled_from(["en", "fr"]))
def test_stated_figures_read_back_exactly(x: float, unit: str, lang: Any) -> None:
    """A stated figure (up to four digits) reads back as exactly what it was."""
    for e in (E.exact(x, unit), E.about(x, unit), E.at_least(x, unit), E.at_most(x, unit)):
        assert parse_quietly(format_estimate(e, lang=lang), lang) == e


@given(
    e=st.sampled_from(["Gparameter", "H100", "Ttoken", "FLOP", "GB"]).flatmap(
        lambda u: estimates(unit=u, kinds=KNOWN_KINDS, signed=True)
    )
)
def test_negative_counts_are_refused(e: Estimate) -> None:
    """A count below zero is refused, as data files refuse it, unless allow_negative;
    what is read back has the bound kind and, up to the display's rounding, the ends."""
    text = str(e)
    if any(x < 0 for x in e.interval() if math.isfinite(x)):
        with pytest.raises(mc.ParseError, match="a count cannot be negative"):
            mc.parse(text)
        back = mc.parse(text, allow_negative=True)
    else:
        back = mc.parse(text)
    assert back.bound is e.bound, text
    (blo, bn, bhi), (lo, n, hi) = back.interval(e.units), e.interval()
    assert _close(blo, lo, 1e-2), (text, blo, lo)
    assert _close(bhi, hi, 1e-2), (text, bhi, hi)
    if e.bound in (Bound.EXACT, Bound.APPROX):
        assert _close(bn, n, 1e-2), (text, bn, n)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("$?", "en", E.unknown("USD")),
        ("US$ ?", "en", E.unknown("USD")),
        ("? GB200", "en", E.unknown("GB200")),
        ("0.666…", "en", E.between(0.666, 0.667, nominal=0.666)),
        ("0,666…", "fr", E.between(0.666, 0.667, nominal=0.666)),
        ("74.5… GiB", "en", E.between(74.5, 74.6, "GiB", nominal=74.5)),
        ("1.23… × 10²⁵ FLOP", "en", E.between(1.23e25, 1.24e25, "FLOP", nominal=1.23e25)),
        ("≈74.5… GiB", "en", E.about(74.5, "GiB", low=74.495, high=74.605)),
        ("1 × 10³⁰ parameters", "en", E.exact(1e30, "parameter")),
        ("nearly 500 billion parameters", "en", E.at_most(500, "Gparameter")),
        ("almost 100,000 H100s", "en", E.at_most(100000, "H100")),
        ("just over 10 MW", "en", E.at_least(10, "MW")),
        ("just under 3 months", "en", E.at_most(3, "month")),
        ("some 15,000 GPUs", "en", E.about(15000, "GPU")),
        ("close to 70 billion parameters", "en", E.about(70, "Gparameter")),
        ("an estimated 2.1e25 FLOP", "en", E.about(2.1e25, "FLOP")),
        ("presque 500 milliards de paramètres", "fr", E.at_most(500, "Gparameter")),
        ("500 billion parameters or so", "en", E.about(500, "Gparameter")),
        ("15 000 GPU environ", "fr", E.about(15000, "GPU")),
        ("80GB of HBM3", "en", E.exact(80, "GB")),
        ("80 GB HBM3e", "en", E.exact(80, "GB")),
        ("141 GB of memory", "en", E.exact(141, "GB")),
        ("141 Go de HBM3e", "fr", E.exact(141, "GB")),
        ("3 months", "en", E.exact(3, "month")),
        ("3 mois", "fr", E.exact(3, "month")),
        ("2 weeks", "en", E.exact(2, "week")),
        ("un an", "fr", E.exact(1, "year")),
        ("1.5 years", "en", E.exact(1.5, "year")),
    ],
)
def test_what_writers_write(text: str, lang: Any, expected: Estimate) -> None:
    """Qualifiers, units and forms writers use (and the display's own) read as meant."""
    assert mc.parse(text, lang) == expected


def test_months_and_plurals_show_as_written() -> None:
    """'3 months' reads and shows as 3 months (a month is a twelfth of a year)."""
    assert str(mc.parse("3 months")) == "3 months"
    assert str(mc.parse("1 month")) == "1 month"
    assert mc.parse("12 months") == mc.parse("1 year").to("month")
    assert format_estimate(mc.parse("3 mois", "fr"), lang="fr") == "3 mois"


@pytest.mark.parametrize(
    "text",
    ["environ 15 000 GPU NVIDIA H100", "1,76 T de paramètres", "plus de 100 000 puces H100"],
)
def test_french_under_english_says_lang_fr(text: str) -> None:
    """French text read as English fails with a hint naming lang='fr' and --lang fr."""
    with pytest.raises(mc.ParseError, match=r"as French it reads .*--lang fr") as info:
        mc.parse(text)
    assert str(mc.parse(text, "fr")) in str(info.value)


def test_no_french_hint_where_french_fails_too() -> None:
    """English that no language reads gets no hint."""
    with pytest.raises(mc.ParseError) as info:
        mc.parse("lots of chips")
    assert "French" not in str(info.value)


def test_negative_count_error_is_located() -> None:
    """'-5 H100' is refused with the reason, like a data file's negative count."""
    with pytest.raises(mc.ParseError, match="position 0: a count cannot be negative"):
        mc.parse("-5 H100")
    assert str(mc.parse("$-5")) == "$-5"  # money can be negative (a loss)
    assert str(mc.parse("-5%")) == "-5%"


@settings(max_examples=200)
@given(e=any_estimates(), lang=st.sampled_from(["en", "fr"]))
def test_what_str_prints_reads_back_as_an_interval_that_holds_the_value(
    e: Estimate, lang: Any
) -> None:
    """parse(str(e)) holds all of e: a bound is rounded outward, a stated figure reads
    back as itself, and a cut figure ("74.5… GiB") as the range from its digits to the
    next digit up (it read as an exact 74.5, which left out the true 74.50580…)."""
    shown = format_estimate(e, lang=lang)
    assert_contains(parse_quietly(shown, lang), e, rel=1e-9)


@pytest.mark.parametrize(
    ("e", "low", "high"),
    [
        (E.exact(80, "GB").to("GiB"), 74.5, 74.6),
        (-E.exact(80, "GB").to("GiB"), -74.6, -74.5),
        (E.exact(2) / 3, 0.666, 0.667),
        (E.exact(19944368.12599428, "W"), 19.9, 20.0),  # MW
    ],
)
def test_the_reviews_cut_figures(e: Estimate, low: float, high: float) -> None:
    """'74.5… GiB' (80 GB) reads as 74.5–74.6 GiB, sign-aware, which holds 74.50580…"""
    back = mc.parse(str(e), allow_negative=True)
    assert back.bound is Bound.RANGE
    assert back.interval()[0] == pytest.approx(low)
    assert back.interval()[2] == pytest.approx(high)
    assert back.contains(e.nominal)


def test_a_qualifier_before_a_cut_figure_is_refused() -> None:
    """'≥0.666…' is never printed and not read as if the figure stopped there."""
    with pytest.raises(mc.ParseError, match="before a cut figure"):
        mc.parse("≥0.666…")


@settings(max_examples=300)
@given(e=any_estimates(), lang=st.sampled_from(["en", "fr"]))
def test_approx_sign_means_a_sources_rounding(e: Estimate, lang: Any) -> None:
    """Where str() prints "≈", the interval is exactly the rounding of the figure shown
    (half a unit in its last digit): parse reads back the same estimate. Any other
    "about" (a span stated, converted or moved by round()) prints its span:
    "3.35 (1–10) × 10²⁵ FLOP", which parse reads back, holding it."""
    shown = format_estimate(e, lang=lang)
    back = parse_quietly(shown, lang)
    if "≈" in shown:
        assert e.bound is Bound.APPROX, shown
        lo, _, hi = back.interval(e.units)
        elo, _, ehi = e.interval()
        assert math.isclose(lo, elo, rel_tol=1e-9, abs_tol=1e-300), shown
        assert math.isclose(hi, ehi, rel_tol=1e-9, abs_tol=1e-300), shown
    elif e.bound is Bound.APPROX:
        assert back.bound is Bound.APPROX, shown
        assert_contains(back, e, rel=1e-9)


@pytest.mark.parametrize(
    ("e", "text"),
    [
        (E.about(3.35e25, "FLOP", low=1e25, high=1e26), "3.35 (1–10) × 10²⁵ FLOP"),
        (E.about(500, "Gparameter", low=400, high=600), "500 (400–600) B parameters"),
        (E.about(80, "GB").to("GiB"), "74.5… (69.8–79.2) GiB"),
        (E.about(650, "MUSD", low=600, high=700), "$650 (600–700) M"),
        (E.about(15000, "H100"), "≈15,000 H100"),
        (E.about(1.76, "Tparameter").to("Gparameter"), "≈1,760 B parameters"),
    ],
)
def test_an_about_over_a_stated_span_shows_it(e: Estimate, text: str) -> None:
    """Epoch's 3.35e25 FLOP with bounds 1e25–1e26 printed "≈3.35 × 10²⁵" (read:
    3.345–3.355); now its span shows, and "≈" stays for a source's rounding."""
    assert str(e) == text
    back = mc.parse(text)
    assert back.bound is Bound.APPROX
    assert_contains(back, e)
