"""Estimate: bound kinds, the span of "about", sound interval arithmetic, order, text."""

from __future__ import annotations

import math
import operator
import pickle
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import Bound, Estimate, Ordering
from modelcompare.testing import KNOWN_KINDS, estimates, members, stated_numbers, units

E = Estimate
OPS: dict[str, Callable[[object, object], object]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
#: Float rounding in unit conversion and endpoint products: relative slack.
REL = 1e-9


def within(x: float, lo: float, hi: float) -> bool:
    """x in [lo, hi], allowing float rounding of the ends."""
    slack_lo = abs(lo) * REL if math.isfinite(lo) else 0.0
    slack_hi = abs(hi) * REL if math.isfinite(hi) else 0.0
    return lo - slack_lo <= x <= hi + slack_hi


# -- construction and the span of "about" --------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "low", "high"),
    [
        (15000, "H100", 14500, 15500),
        (280, "Gparameter", 275, 285),
        (500, "Gparameter", 450, 550),
        (1.76, "Tparameter", 1.755, 1.765),
        (3.3, "Ttoken", 3.25, 3.35),
        (100000, "H100", 50000, 150000),
    ],
)
def test_about_spans_half_a_unit_in_the_last_digit(
    value: float, unit: str, low: float, high: float
) -> None:
    """≈x spans half a unit in the last non-zero digit of x as stated."""
    e = E.about(value, unit)
    lo, n, hi = e.interval()
    assert (lo, n, hi) == pytest.approx((low, value, high))
    assert e.bound is Bound.APPROX


def test_about_span_does_not_depend_on_the_prefix() -> None:
    """≈280 B parameters and ≈280e9 parameters are the same estimate."""
    assert E.about(280, "Gparameter") == E.about(280e9, "parameter")


def test_about_bounds_can_be_given() -> None:
    """Explicit low/high override the default span."""
    e = E.about(15000, "H100", low=14000, high=16000)
    assert e.interval() == (14000, 15000, 16000)


@pytest.mark.parametrize(
    ("make", "bound", "low", "high"),
    [
        (lambda: E.exact(7, "Gparameter"), Bound.EXACT, 7, 7),
        (lambda: E.at_least(100000, "H100"), Bound.AT_LEAST, 100000, None),
        (lambda: E.at_most(14, "Gparameter"), Bound.AT_MOST, None, 14),
        (lambda: E.between(3.8, 14, "Gparameter"), Bound.RANGE, 3.8, 14),
        (lambda: E.unknown("GB200"), Bound.UNKNOWN, None, None),
    ],
)
def test_constructors_set_bound_and_ends(
    make: Callable[[], Estimate], bound: Bound, low: float | None, high: float | None
) -> None:
    """Each constructor gives its bound kind, with None for an unbounded end."""
    e = make()
    assert e.bound is bound
    assert (e.low.magnitude if e.low is not None else None) == low
    assert (e.high.magnitude if e.high is not None else None) == high


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: E.between(14, 3.8, "Gparameter"), "above high"),
        (lambda: E(mc.Q_(5, "H100"), "range", low=6, high=7), "outside"),
        (lambda: E(mc.Q_(5, "H100"), "roughly"), "bound must be one of"),
        (lambda: E(5, "exact"), "must be a Quantity"),
        (lambda: E.exact(math.inf, "H100"), "finite"),
        (lambda: E(mc.Q_(5, "H100"), "range", low=1), "needs both low and high"),
    ],
)
def test_invalid_estimates_are_refused(make: Callable[[], Estimate], message: str) -> None:
    """An inconsistent estimate raises an error that says what is wrong."""
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_wrong_dimension_end_is_unit_error() -> None:
    """A low end in another dimension raises UnitError."""
    with pytest.raises(mc.UnitError):
        E.about(15000, "H100", low=mc.Q_(1, "GB200"))


# -- text ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("e", "text"),
    [
        (E.about(15000, "H100"), "≈15,000 H100"),
        (E.at_least(100000, "H100"), "≥100,000 H100"),
        (E.between(3.8, 14, "Gparameter"), "3.8–14 B parameters"),
        (E.exact(1.76, "Tparameter"), "1.76 T parameters"),
        (E.exact(500e9, "parameter"), "500 B parameters"),
        (E.about(280, "Gparameter"), "≈280 B parameters"),
        (E.at_most(14, "Gparameter"), "≤14 B parameters"),
        (E.exact(3.3, "Ttoken"), "3.3 T tokens"),
        (E.exact(69, "percent"), "69%"),
        (E.exact(8.38, "mt_bench_point"), "8.38"),
        (E.unknown("GB200"), "? GB200"),
        (E.exact(1, "GPU"), "1 GPU"),
        (E.exact(80, "GB"), "80 GB"),
        (E.exact(989.5, "TFLOP/s"), "989.5 TFLOP/s"),
        (E.about(2.1e25, "FLOP"), "≈2.1 × 10²⁵ FLOP"),
        (E.exact(650e6, "USD"), "$650 M"),
        (E.exact(700, "W") * 100000, "70 MW"),
    ],
)
def test_str_reads_as_people_write(e: Estimate, text: str) -> None:
    """str() gives the qualifier, the figure without float noise, and the unit."""
    assert str(e) == text


@given(estimates(kinds=KNOWN_KINDS))
def test_str_starts_with_the_qualifier(e: Estimate) -> None:
    """Every bound kind has its own mark: ≈, ≥, ≤, a dash for ranges, none for exact."""
    text = str(e)
    first = text.lstrip("$")
    expected = {Bound.APPROX: "≈", Bound.AT_LEAST: "≥", Bound.AT_MOST: "≤"}
    if e.bound in expected:
        assert first.startswith(expected[e.bound])
    elif e.bound is Bound.RANGE:
        assert "–" in text
    else:
        assert first[0].isdigit()
    assert "e+" not in text
    binary = "bibyte" in str(e.units)  # 11 KiB shows as 11.264 kB: more digits, not noise
    if e.bound in (Bound.EXACT, Bound.APPROX) and "×" not in text and not binary:
        # stated numbers have at most 4 significant digits: float noise would add more
        figure = "".join(ch for ch in text.split(" ")[0] if ch.isdigit()).strip("0")
        assert len(figure) <= 4, text


@given(st.floats(1e-3, 1e15), units("parameter"))
def test_lower_bounds_never_shown_above_the_truth(x: float, unit: str) -> None:
    """Rounding for display moves a lower bound down and an upper bound up, never inward."""
    from modelcompare.display import choose_scale, scaled, shown_decimal

    lo_e, hi_e = E.at_least(x, unit), E.at_most(x, unit)
    scale = choose_scale(lo_e.units, [x])
    shown_lo = float(shown_decimal(scaled(lo_e, scale)[0], "down")[0])
    shown_hi = float(shown_decimal(scaled(hi_e, scale)[2], "up")[0])
    true = scaled(lo_e, scale)[0]
    assert shown_lo <= true * (1 + 1e-12)
    assert shown_hi >= true * (1 - 1e-12)


# -- arithmetic: soundness -------------------------------------------------------------------
@st.composite
def same_dimension_pairs(draw: st.DrawFn) -> tuple[Estimate, Estimate]:
    """Two estimates of one dimension, in possibly different prefixed units."""
    dim = draw(st.sampled_from(["parameter", "H100", "W", "B"]))
    return draw(estimates(unit=draw(units(dim)), kinds=KNOWN_KINDS, signed=True)), draw(
        estimates(unit=draw(units(dim)), kinds=KNOWN_KINDS, signed=True)
    )


@given(same_dimension_pairs(), st.sampled_from(["+", "-"]), st.data())
def test_addition_and_subtraction_are_sound(
    pair: tuple[Estimate, Estimate], op: str, data: st.DataObject
) -> None:
    """For every x in A and y in B, x ± y lies in A ± B."""
    a, b = pair
    result = OPS[op](a, b)
    assert isinstance(result, Estimate)
    x = data.draw(members(a)).magnitude
    y = data.draw(members(b)).magnitude
    value = OPS[op](mc.Q_(x, a.units), mc.Q_(y, b.units))
    lo, _, hi = result.interval()
    assert within(value.to(result.units).magnitude, lo, hi)  # type: ignore[attr-defined]


@given(
    estimates(kinds=KNOWN_KINDS, signed=True),
    estimates(kinds=KNOWN_KINDS, signed=True),
    st.sampled_from(["*", "/"]),
    st.data(),
)
def test_multiplication_and_division_are_sound(
    a: Estimate, b: Estimate, op: str, data: st.DataObject
) -> None:
    """For every x in A and y in B (y ≠ 0), x * y and x / y lie in A * B and A / B."""
    result = OPS[op](a, b)
    assert isinstance(result, Estimate)
    x = data.draw(members(a)).magnitude
    y = data.draw(members(b)).magnitude
    assume(op == "*" or y != 0)
    value = OPS[op](mc.Q_(x, a.units), mc.Q_(y, b.units))
    lo, _, hi = result.interval()
    assert within(value.to(result.units).magnitude, lo, hi)  # type: ignore[attr-defined]


@given(estimates(signed=True), estimates(signed=True), st.sampled_from(["*", "/"]))
def test_a_product_or_quotient_is_in_pints_unit_for_it(a: Estimate, b: Estimate, op: str) -> None:
    """The unit of A * B and A / B is pint's product (quotient) of theirs, asked of
    pint afresh each time (the library caches it per pair), or plain numbers
    where that is dimensionless (but percent), whatever was computed before."""
    try:
        result = OPS[op](a, b)
    except mc.DivisionByZeroError:
        return
    units = a.units * b.units if op == "*" else a.units / b.units
    if mc.Q_(1, units).dimensionless and str(units) != "percent":
        assert result.units == mc.ureg.dimensionless
    else:
        assert result.units == units
        assert str(result.units) == str(units)


@given(estimates(kinds=KNOWN_KINDS, signed=True), st.floats(-1e6, 1e6, allow_nan=False), st.data())
def test_operations_with_plain_numbers_are_sound(
    e: Estimate, k: float, data: st.DataObject
) -> None:
    """Scaling by a plain number keeps every member inside the result."""
    x = data.draw(members(e)).magnitude
    result = e * k
    lo, _, hi = result.interval()
    assert within(x * k, lo, hi)
    assert (k * e) == result


@given(estimates(kinds=KNOWN_KINDS), estimates(kinds=KNOWN_KINDS))
def test_bound_kinds_propagate(a: Estimate, b: Estimate) -> None:
    """A finite result stays finite; a lower bound times a positive stays a lower bound."""
    result = a * b
    if a.bound is Bound.AT_LEAST and b.bound in (Bound.EXACT, Bound.APPROX, Bound.RANGE):
        assert result.bound is Bound.AT_LEAST
    if a.bound in (Bound.EXACT, Bound.APPROX, Bound.RANGE) and b.bound in (
        Bound.EXACT,
        Bound.APPROX,
        Bound.RANGE,
    ):
        assert result.low is not None
        assert result.high is not None


def test_ratio_of_lower_bound_to_about_is_a_lower_bound() -> None:
    """≥100,000 H100 / ≈15,000 H100 is at least 100,000 / 15,500, with no upper bound."""
    r = E.at_least(100000, "H100") / E.about(15000, "H100")
    assert r.bound is Bound.AT_LEAST
    assert r.high is None
    assert r.low is not None
    assert r.low.magnitude == pytest.approx(100000 / 15500)
    assert r.dimensionality == mc.ureg.dimensionless.dimensionality
    assert str(r) == "≥6.45"


def test_chips_of_different_kinds_do_not_add() -> None:
    """H100 + GB200 raises UnitError naming both."""
    with pytest.raises(mc.UnitError, match=r"H100.*GB200"):
        E.about(15000, "H100") + E.exact(1, "GB200")


def test_division_by_exact_zero() -> None:
    """Dividing by an estimate that is exactly zero raises ZeroDivisionError."""
    with pytest.raises(ZeroDivisionError):
        E.exact(1, "H100") / E.exact(0, "H100")


def test_division_by_interval_containing_zero_is_unbounded() -> None:
    """1 / [-1, 1] could be anything: the result has no bounds."""
    r = E.exact(1, "H100") / E.between(-1, 1, "H100")
    assert r.bound is Bound.UNKNOWN


def test_unknown_propagates() -> None:
    """Adding a figure to an unknown count gives an unknown count."""
    r = E.unknown("GB200") + E.exact(5, "GB200")
    assert r.bound is Bound.UNKNOWN
    assert not r.is_known
    assert str(r) == "? GB200"


@pytest.mark.parametrize("op", ["*", "/", "+", "-"])
def test_quantity_on_the_left_gives_an_estimate(op: str) -> None:
    """Quantity ∘ Estimate is an Estimate (pint defers to Estimate), never a Quantity of one."""
    e = E.about(15000, "H100")
    result = OPS[op](mc.Q_(2, "H100"), e)
    assert isinstance(result, Estimate)
    assert result == OPS[op](E.exact(2, "H100"), e)


def test_non_numbers_are_not_operands() -> None:
    """An Estimate does not add to a string."""
    with pytest.raises(TypeError):
        E.exact(1, "H100") + "x"  # type: ignore[operator]


# -- order -------------------------------------------------------------------------------------
@given(same_dimension_pairs(), st.data())
def test_compare_is_certain(pair: tuple[Estimate, Estimate], data: st.DataObject) -> None:
    """LESS means every member of A is below every member of B; GREATER the converse."""
    a, b = pair
    order = a.compare(b)
    x = mc.Q_(data.draw(members(a)).magnitude, a.units)
    y = mc.Q_(data.draw(members(b)).magnitude, b.units)
    if order is Ordering.LESS:
        assert x.to(b.units).magnitude <= y.magnitude * (1 + REL) + 1e-300
        assert b.compare(a) is Ordering.GREATER
        assert a < b
        assert not a > b
    elif order is Ordering.GREATER:
        assert b.compare(a) is Ordering.LESS
        assert a > b
    elif order is Ordering.EQUAL:
        assert a == b


def test_compare_cannot_tell_overlapping() -> None:
    """Overlapping intervals compare as CANNOT_TELL, and neither < nor > holds."""
    a, b = E.about(500, "Gparameter"), E.at_least(500, "Gparameter")
    assert a.compare(b) is Ordering.CANNOT_TELL
    assert not a < b
    assert not a > b
    assert E.at_least(100000, "H100") > E.about(15000, "H100")
    assert E.at_least(100000, "H100") >= E.about(15, "kH100")
    assert E.about(15000, "H100") <= E.at_least(100000, "H100")


def test_compare_across_dimensions_is_unit_error() -> None:
    """Comparing H100s with parameters raises UnitError."""
    with pytest.raises(mc.UnitError):
        E.exact(1, "H100").compare(E.exact(1, "parameter"))


# -- equality, hashing, conversion, pickling ---------------------------------------------------
@given(estimates(kinds=KNOWN_KINDS), st.data())
def test_equal_across_units_and_hash_agrees(e: Estimate, data: st.DataObject) -> None:
    """The same estimate in another prefix (any unit of its dimension) is equal and
    hashes equal."""
    other_unit = data.draw(units(str(e.units)))
    converted = e.to(other_unit)
    assert converted == e
    assert hash(converted) == hash(e)
    assert converted.bound is e.bound


@given(estimates(kinds=KNOWN_KINDS))
def test_pickle_round_trip(e: Estimate) -> None:
    """Estimates survive pickling."""
    assert pickle.loads(pickle.dumps(e)) == e


@given(estimates(kinds=KNOWN_KINDS), stated_numbers())
def test_contains_agrees_with_interval(e: Estimate, x: float) -> None:
    """contains(x) is lo <= x <= hi."""
    lo, _, hi = e.interval()
    assert e.contains(mc.Q_(x, e.units)) == (lo <= x <= hi)


def test_repr_shows_interval() -> None:
    """repr() shows the bound kind and both ends."""
    assert repr(E.about(15000, "H100")) == (
        "<Estimate ≈15,000 H100 (approx: [14500, 15500] H100, nominal 15000)>"
    )


def test_equal_figures_in_other_prefixes_are_not_ordered() -> None:
    """3.3 T and 3,300 G tokens are equal, so neither is certainly less (== and < agree)."""
    a, b = E.exact(3.3, "Ttoken"), E.exact(3300, "Gtoken")
    assert a == b
    assert a.compare(b) is Ordering.EQUAL
    assert not a < b
    assert not a > b
    assert a <= b
    assert a >= b


def test_overflow_is_an_error_not_infinity() -> None:
    """A result too large for a float raises InvalidValueError instead of becoming unbounded."""
    with pytest.raises(mc.InvalidValueError, match="too large"):
        E.exact(1e308, "H100") * 10
    with pytest.raises(mc.InvalidValueError, match="too large"):
        E.exact(1, "H100") / E.exact(1e-320, "H100")


def test_about_over_a_lower_bound_is_a_range_not_about() -> None:
    """≈15,000 / ≥100,000 spans 0–0.155: shown as a range, never as '≈0.15'."""
    r = E.about(15000, "H100") / E.at_least(100000, "H100")
    assert r.bound is Bound.RANGE
    assert str(r) == "0–0.155"


def test_invalid_estimate_errors_are_in_the_tree() -> None:
    """Invalid estimates and division by exact zero raise modelcompare's errors."""
    with pytest.raises(mc.InvalidValueError):
        E.between(5, 3, "H100")
    with pytest.raises(mc.DivisionByZeroError):
        E.exact(1, "H100") / 0
