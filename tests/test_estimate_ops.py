"""Estimate's number protocol (float, abs, round, powers, sorting), its equality
rules, reconciliation's pinned rules, and the one-line reprs of the records."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import Bound, Estimate
from modelcompare.errors import InvalidValueError, UnitError
from modelcompare.estimate import _close
from modelcompare.reconcile import intersect
from modelcompare.testing import KNOWN_KINDS, assert_contains, estimates, members
from strategies import READABLE_UNITS

E = Estimate
REL = 1e-9


def within(x: float, lo: float, hi: float) -> bool:
    """x in [lo, hi], allowing float rounding of the ends."""
    slack_lo = abs(lo) * REL if math.isfinite(lo) else 0.0
    slack_hi = abs(hi) * REL if math.isfinite(hi) else 0.0
    return lo - slack_lo <= x <= hi + slack_hi


# -- float, abs, round, powers -----------------------------------------------------------------
def test_float_of_an_exact_dimensionless_value() -> None:
    """float() gives the number of an exact dimensionless estimate (69% is 0.69)."""
    assert float(E.exact(2.5)) == 2.5
    assert float(E.exact(69, "percent")) == 0.69
    assert float(E.exact(80, "GB") / E.exact(40, "GB")) == 2.0


@pytest.mark.parametrize(
    ("e", "message"),
    [
        (E.about(3), "needs an exact value"),
        (E.at_least(3), "needs an exact value"),
        (E.unknown("dimensionless"), "needs an exact value"),
        (E.exact(5, "W"), "needs a dimensionless value"),
    ],
)
def test_float_refuses_what_is_not_one_number(e: Estimate, message: str) -> None:
    """float() of a bound, a range or a quantity with a unit is a clear error."""
    with pytest.raises(mc.InvalidValueError, match=message):
        float(e)


@given(e=estimates(kinds=KNOWN_KINDS, signed=True), data=st.data())
def test_abs_and_neg_are_sound(e: Estimate, data: st.DataObject) -> None:
    """For every x in e, |x| lies in abs(e) and -x in -e."""
    x = data.draw(members(e)).magnitude
    alo, _, ahi = abs(e).interval()
    nlo, _, nhi = (-e).interval()
    assert within(abs(x), alo, ahi)
    assert within(-x, nlo, nhi)


def test_neg_mirrors_the_bound_kind() -> None:
    """-(≥5) is ≤-5, -(≈500) is ≈-500 (the same stated span), and --e is e."""
    assert -E.at_least(5, "H100") == E.at_most(-5, "H100")
    assert -E.about(500, "Gparameter") == E.about(-500, "Gparameter")
    assert str(-E.about(500, "Gparameter")) == "≈-500 B parameters"
    e = E.between(-2, 3, "W")
    assert -e.__neg__() == e
    assert abs(e) == E.between(0, 3, "W", nominal=0.5)
    assert abs(E.at_most(-4, "W")) == E.at_least(4, "W")


@given(e=estimates(kinds=KNOWN_KINDS, signed=True), n=st.integers(-3, 4), data=st.data())
@settings(max_examples=60)
def test_integer_powers_are_sound(e: Estimate, n: int, data: st.DataObject) -> None:
    """For every x in e, x ** n lies in e ** n (where x ** n is defined)."""
    x = data.draw(members(e)).magnitude
    try:
        p = e**n
    except (mc.DivisionByZeroError, mc.InvalidValueError):
        return  # 1 / [0, 0], or a power too large for a float
    if x == 0 and n < 0:
        return
    try:
        xn = x**n
    except OverflowError:
        return
    # read in e's unit raised to n (a dimensionless unit such as % may come back
    # simplified: (1 %) ** -1 is 100, not 1 / %)
    lo, _, hi = p.interval(e.units**n) if n else p.interval()
    assert within(xn, lo, hi)
    assert p.dimensionality == (e.units**n).dimensionality or n == 0


def test_powers_by_example() -> None:
    """Squares of a range straddling zero start at zero; units are raised."""
    assert E.between(-2, 3, "W") ** 2 == E.between(0, 9, "W**2", nominal=0.25)
    assert E.exact(3, "W") ** 2 == E.exact(9, "W**2")
    assert E.exact(4) ** -1 == E.exact(0.25)
    assert E.exact(7, "H100") ** 0 == E.exact(1)
    with pytest.raises(TypeError, match="integer"):
        E.exact(2) ** 0.5  # type: ignore[operator]


def test_round_keeps_the_interval_inside() -> None:
    """round() rounds the nominal to nearest and the ends outward."""
    r = round(E.between(1.234, 5.678, "W"), 1)
    assert r.interval() == pytest.approx((1.2, 3.5, 5.7))
    assert round(E.exact(2.345, "W"), 1) == E.exact(2.3, "W")
    assert round(E.at_least(-1.25, "W")) == E.at_least(-2, "W")
    # "≈" is a source's rounding: an about whose ends move is the range they span
    assert round(E.about(15000.4, "H100")) == E.between(15000, 15001, "H100", nominal=15000)
    assert round(E.about(15000, "H100"), -2) == E.about(15000, "H100")  # ends on the grid


def test_round_of_an_about_prints_its_interval() -> None:
    """The review's case: round(≈15,000 H100, -4) is 10,000–20,000, not '≈20,000'
    (which reads 15,000–25,000 and leaves out 14,500–15,000)."""
    r = round(E.about(15000, "H100"), -4)
    assert str(r) == "10,000–20,000 H100"
    assert r.interval() == (10000.0, 20000.0, 20000.0)
    assert mc.parse(str(r)).interval()[::2] == r.interval()[::2]


@settings(max_examples=300)
@given(
    e=st.sampled_from(READABLE_UNITS).flatmap(
        lambda u: estimates(unit=u, kinds=KNOWN_KINDS, signed=True)
    ),
    digits=st.integers(-6, 6),
)
def test_round_prints_what_its_interval_is(e: Estimate, digits: int) -> None:
    """Whatever the estimate and digits, round()'s printed form means its interval:
    parse(str(r)) holds all of r, and where r prints "≈" (a source's rounding) it
    is the about it reads as, exactly; an "about" stays one only if nothing moved."""
    r = round(e, digits)
    shown = str(r)
    back = mc.parse(shown, allow_negative=True)
    assert_contains(back, r)
    if "≈" in shown:
        assert back == r, shown
    if r.bound is Bound.APPROX:
        assert r == e


@given(e=estimates(kinds=KNOWN_KINDS, signed=True), digits=st.integers(-2, 3))
def test_round_contains_the_original(e: Estimate, digits: int) -> None:
    """The rounded interval contains the original one (except an exact value,
    which rounds to its rounded value as a float does)."""
    r = round(e, digits)
    lo, _, hi = e.interval()
    rlo, _, rhi = r.interval()
    if e.bound is Bound.EXACT:
        assert r.bound is Bound.EXACT
        return
    assert rlo <= lo + abs(lo) * REL if math.isfinite(lo) else rlo == lo
    assert rhi >= hi - abs(hi) * REL if math.isfinite(hi) else rhi == hi


# -- sorting and order -------------------------------------------------------------------------
def test_sort_key_is_total_and_documented() -> None:
    """sorted(key=Estimate.sort_key) orders by nominal, then ends; unknown last."""
    es = [E.about(4, "W"), E.exact(5, "W"), E.at_least(1, "W"), E.unknown("W"), E.exact(3, "kW")]
    ordered = sorted(es, key=E.sort_key)
    assert [str(e) for e in ordered] == ["≥1 W", "≈4 W", "5 W", "3 kW", "? W"]
    # same nominal: the lower low end first
    assert sorted([E.exact(4, "W"), E.about(4, "W")], key=E.sort_key)[0].bound is Bound.APPROX


@given(st.lists(estimates(unit="Gparameter", kinds=KNOWN_KINDS), max_size=6))
def test_sort_key_orders_by_nominal(es: list[Estimate]) -> None:
    """Sorting by the key puts nominal values (in base units) in order."""
    nominals = [e.interval("parameter")[1] for e in sorted(es, key=E.sort_key)]
    assert nominals == sorted(nominals)


def test_less_than_still_means_certainly_less() -> None:
    """`<` is certain: ≈4 and 5 overlap nowhere, so ≈4 < 5; ≥1 is not < 5."""
    assert E.about(4, "W") < E.exact(5, "W")
    assert not E.at_least(1, "W") < E.exact(5, "W")
    assert not E.exact(5, "W") < E.at_least(1, "W")


# -- equality -----------------------------------------------------------------------------------
def test_equality_considers_the_bound_kind() -> None:
    """≈500 B and 450–550 B have the same interval but are different statements."""
    assert E.about(500, "Gparameter") != E.between(450, 550, "Gparameter")
    assert E.at_least(5, "W") != E.between(5, 5, "W")


def test_close_tolerance_is_one_in_a_billion() -> None:
    """Equality forgives unit-conversion rounding (1e-9 relative), nothing coarser."""
    assert _close(1000.0, 1000.0 * (1 + 1e-12))
    assert not _close(1000.0, 1000.5)
    assert not _close(1000.0, 1000.0 * (1 + 1e-8))
    assert E.exact(1000, "W") != E.exact(1000.5, "W")
    assert E.exact(1000, "W") == E.exact(1, "kW")
    assert E.exact(1000, "W").compare(E.exact(1000.5, "W")) is mc.Ordering.LESS


def test_negative_bounds_round_outward() -> None:
    """A negative lower bound rounds down (away from zero), an upper bound up."""
    assert str(E.at_least(-1.2345678, "Gparameter")).startswith("≥-1.24")
    assert str(E.at_most(-1.2345678, "Gparameter")).startswith("≤-1.23")


# -- reconciliation -----------------------------------------------------------------------------
def test_intersection_takes_the_nominal_of_the_narrowest() -> None:
    """Of ≈500 B (450–550) and 400–1000 B, the nominal is ≈500's, not the range's 700."""
    got = intersect([E.between(400, 1000, "Gparameter"), E.about(500, "Gparameter")])
    assert got is not None
    assert got.interval() == pytest.approx((450, 500, 550))
    got = intersect([E.between(0, 100, "W", nominal=10), E.between(40, 60, "W", nominal=55)])
    assert got is not None
    assert got.interval()[1] == pytest.approx(55)


def test_intersection_keeps_about() -> None:
    """≈500 B with ≥400 B is still ≈500 B: the lower bound adds nothing."""
    got = intersect([E.about(500, "Gparameter"), E.at_least(400, "Gparameter")])
    assert got == E.about(500, "Gparameter")
    assert str(got) == "≈500 B parameters"


def test_ends_touching_within_float_noise_do_not_conflict() -> None:
    """≥0.1+0.2 and ≤0.3 meet (at 0.3): no conflict, the value is 0.3."""
    got = intersect([E.at_least(0.1 + 0.2, "W"), E.at_most(0.3, "W")])
    assert got is not None
    assert got.bound is Bound.EXACT
    assert str(got) == "0.3 W"
    assert intersect([E.at_least(0.31, "W"), E.at_most(0.3, "W")]) is None


# -- reprs and the public namespace ---------------------------------------------------------------
def test_records_have_one_line_reprs() -> None:
    """repr() of a model, a claim and a conflict is one short line with the essentials."""
    reg = mc.load_registry()
    m = reg["MAI-1-preview"]
    want = "<Model mai-1-preview ('MAI-1-preview'; 'Microsoft', preview, 10 stated claims)>"
    assert repr(m) == want
    claim = m.claims("training_accelerators")[0]
    assert repr(claim) == (
        "<Claim mai-1-preview training_accelerators = ≈15,000 H100 (official; seed-003)>"
    )
    for obj in [*reg, *reg.claims(), *reg.accelerators, *reg.sources.values()]:
        text = repr(obj)
        assert "\n" not in text
        assert len(text) < 300, text


def test_conflict_repr_is_one_line() -> None:
    """A conflict's repr names the model, the field and the contradicting values."""
    source = mc.Source(id="s", title="T", language="en", url="https://example.com")
    cite = (mc.Citation(source, "q"),)
    claims = tuple(
        mc.Claim("m", "parameters", v, mc.Status.REPORTED, cite)
        for v in (E.exact(500, "Gparameter"), E.at_least(600, "Gparameter"))
    )
    model = mc.Model(id="m", name="M", organization="O", stated_claims=claims)
    (conflict,) = mc.Registry([model], {"s": source}).conflicts()
    assert repr(conflict) == "<Conflict m parameters: 500 B parameters vs ≥600 B parameters>"


def test_dir_is_the_public_api() -> None:
    """dir(modelcompare) lists __all__ and the module's standard attributes only."""
    names = set(dir(mc))
    assert set(mc.__all__) <= names
    extra = names - set(mc.__all__)
    assert all(n.startswith("__") and n.endswith("__") for n in extra), extra
    for leaked in ("Any", "TYPE_CHECKING", "annotations", "importlib", "display"):
        assert leaked not in names


def _reference(nominal: Any, bound: Bound, low: Any = None, high: Any = None) -> Any:
    """What the constructor built before an Estimate kept its figures as numbers
    (its code as it was, on pint Quantities): ``(bound, ends, (low, nominal, high))``,
    or the exception it raised, as ``(type, message)``."""
    from modelcompare.estimate import _as_units, _stated_half_unit
    from modelcompare.units import Q_, factor, units_label

    try:
        u = nominal.units
        lo, hi = _as_units(low, u), _as_units(high, u)
        n = float(nominal.magnitude)
        if bound is Bound.EXACT:
            if not math.isfinite(n):
                raise InvalidValueError("an exact Estimate needs a finite value")
            lo = hi = Q_(n, u)
        elif bound is Bound.APPROX:
            half = _stated_half_unit(n)
            lo = lo if lo is not None else Q_(n - half, u)
            hi = hi if hi is not None else Q_(n + half, u)
        elif bound is Bound.AT_LEAST:
            lo, hi = (lo if lo is not None else Q_(n, u)), None
        elif bound is Bound.AT_MOST:
            lo, hi = None, (hi if hi is not None else Q_(n, u))
        elif bound is Bound.RANGE:
            if lo is None or hi is None:
                raise InvalidValueError("a range Estimate needs both low and high")
        else:
            lo = hi = None
        for name, end in (("low", lo), ("high", hi)):
            if end is not None and not math.isfinite(float(end.magnitude)):
                raise InvalidValueError(f"{name} must be finite or None (got {end.magnitude!r})")
        base = Q_(1.0, u).to_base_units().units
        f = factor(u, base)
        for x in (n, *(float(e.magnitude) for e in (lo, hi) if e is not None)):
            if not math.isnan(x) and not math.isfinite(x * f):
                raise InvalidValueError(
                    f"{x!r} {units_label(u)} is too large: it is not a finite number of "
                    f"{units_label(Q_(1, u).to_base_units().units)}"
                )
        if lo is not None and hi is not None and lo.magnitude > hi.magnitude:
            raise InvalidValueError(f"low ({lo.magnitude}) is above high ({hi.magnitude})")
        outside = (lo is not None and n < lo.magnitude) or (hi is not None and n > hi.magnitude)
        if math.isfinite(n) and outside:
            raise InvalidValueError(f"the nominal value {n} lies outside [low, high]")
    except (InvalidValueError, UnitError) as exc:
        return type(exc), str(exc)
    ends = (
        -math.inf if lo is None else float(lo.magnitude),
        n,
        math.inf if hi is None else float(hi.magnitude),
    )
    mags = tuple(None if q is None else q.magnitude for q in (lo, nominal, hi))
    return bound, ends, mags


def _made(make: Any) -> Any:
    """``make()`` as :func:`_reference` describes an Estimate, with its quantities."""
    try:
        e = make()
    except (InvalidValueError, UnitError) as exc:
        return type(exc), str(exc)
    quantities = (e.low, e.nominal, e.high)
    for q in quantities:
        assert q is None or q.units == e.units
    return e.bound, e.interval(), tuple(None if q is None else q.magnitude for q in quantities)


def _same(a: Any, b: Any) -> bool:
    """Equal descriptions, figures compared by repr (NaN, -0.0 and int/float told apart)."""
    return repr(a) == repr(b)


_FIGURES = (
    st.floats(width=64)
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.sampled_from([0, 0.0, -0.0, 1, 2.5, 1e300, 1.7e308, math.inf, -math.inf, math.nan])
)
_UNITS = st.sampled_from(
    ["Gparameter", "parameter", "Eparameter", "H100", "kH100", "FLOP", "dimensionless", "%"]
)


@settings(max_examples=300, deadline=None)
@given(
    lo=_FIGURES | st.none(),
    n=_FIGURES,
    hi=_FIGURES | st.none(),
    unit=_UNITS,
    kind=st.sampled_from(list(Bound)),
)
def test_construction_without_quantities_builds_what_quantities_built(
    lo: Any, n: Any, hi: Any, unit: str, kind: Bound
) -> None:
    """An Estimate made from numbers (no pint Quantity) is the one the constructor
    made from Quantities before: same bound, ends and magnitudes (an int stays an
    int), or the same error."""
    from modelcompare.estimate import _estimate
    from modelcompare.units import Q_, ureg

    u = ureg.Unit(unit)

    def q(x: Any) -> Any:
        return None if x is None else Q_(x, u)

    want = _reference(Q_(n, u), kind, q(lo), q(hi))
    assert _same(_made(lambda: _estimate(kind, u, n, lo, hi)), want)
    assert _same(_made(lambda: Estimate(Q_(n, u), kind, q(lo), q(hi))), want)


@settings(max_examples=300, deadline=None)
@given(
    lo=_FIGURES | st.none() | st.just(True),
    n=_FIGURES | st.just(True),
    hi=_FIGURES | st.none(),
    unit=_UNITS | st.none() | st.just("no_such_unit"),
)
def test_public_constructors_build_what_quantities_built(
    lo: Any, n: Any, hi: Any, unit: str | None
) -> None:
    """exact, about, at_least, at_most, between and unknown, given numbers, build
    what they built through Quantities before (same figures, same errors)."""
    from modelcompare.estimate import _end
    from modelcompare.units import Q_, quantity, to_unit

    def ref(build: Any) -> Any:
        try:
            return _reference(*build())
        except (InvalidValueError, UnitError) as exc:
            return type(exc), str(exc)

    def about() -> Any:
        q = quantity(n, unit)
        return q, Bound.APPROX, _end(lo, q), _end(hi, q)

    def between() -> Any:
        low = quantity(lo, unit)
        high = to_unit(quantity(hi, unit), low.units)
        return Q_(low.magnitude / 2 + high.magnitude / 2, low.units), Bound.RANGE, low, high

    cases = [
        (lambda: E.exact(n, unit), lambda: (quantity(n, unit), Bound.EXACT)),
        (lambda: E.at_least(n, unit), lambda: (quantity(n, unit), Bound.AT_LEAST)),
        (lambda: E.at_most(n, unit), lambda: (quantity(n, unit), Bound.AT_MOST)),
        (lambda: E.unknown(unit), lambda: (quantity(math.nan, unit), Bound.UNKNOWN)),
        (lambda: E.about(n, unit, low=lo, high=hi), about),
    ]
    if lo is not None and hi is not None:
        cases.append((lambda: E.between(lo, hi, unit), between))
    for fast, slow in cases:
        assert _same(_made(fast), ref(slow))


@given(estimates())
def test_pickle_keeps_figures_bound_and_text(e: Estimate) -> None:
    """A pickled Estimate comes back equal, with the same bound, ends, text and quantities."""
    import pickle

    text = str(e)
    back = pickle.loads(pickle.dumps(e))
    assert back == e
    assert back.bound is e.bound
    assert repr(back.interval()) == repr(e.interval())
    assert str(back) == text
    assert back.units == e.units
    assert _same(_made(lambda: back), _made(lambda: e))
    fresh = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(e))))
    assert str(fresh) == text
    assert fresh == e


@given(
    st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(-(10**15), 10**15)
    | st.sampled_from([1e22, 1.5e-05, 280.0, 15000, 1.76, 5e-324, 1.7976931348623157e308, -0.0])
)
def test_half_unit_is_read_from_the_figure_as_decimal_reads_it(x: float) -> None:
    """The span of "about" read from a figure's digits as text is the one
    :mod:`decimal` reads (the last non-zero digit of its shortest repr)."""
    from decimal import Decimal

    from modelcompare.estimate import _stated_half_unit

    want = 0.0
    if x != 0 and math.isfinite(x):
        exponent = Decimal(repr(float(x))).normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        want = 0.5 * 10.0**exponent
    assert repr(_stated_half_unit(x)) == repr(want)
