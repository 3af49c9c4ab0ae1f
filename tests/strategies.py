"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import strategies as st

import modelcompare as mc

#: Units of several dimensions, each with its prefixed variants.
UNITS_BY_DIMENSION: dict[str, list[str]] = {
    "parameter": ["parameter", "kparameter", "Mparameter", "Gparameter", "Tparameter"],
    "token": ["token", "Mtoken", "Gtoken", "Ttoken"],
    "FLOP": ["FLOP", "GFLOP", "PFLOP", "EFLOP", "ZFLOP"],
    "B": ["B", "kB", "MB", "GB", "TB", "KiB", "MiB", "GiB"],
    "W": ["W", "kW", "MW", "GW"],
    "H100": ["H100", "kH100"],
    "GB200": ["GB200", "kGB200"],
    "USD": ["USD", "kUSD", "MUSD", "GUSD"],
}


@st.composite
def stated_numbers(draw: st.DrawFn, max_digits: int = 4) -> float:
    """Positive numbers as sources state them: at most ``max_digits`` significant
    digits, from 0.001 to 10^15 (``15000``, ``1.76``, ``3.8``)."""
    mantissa = draw(st.integers(1, 10**max_digits - 1))
    exponent = draw(st.integers(-3, 12))
    return float(Decimal(mantissa).scaleb(exponent))


def finite_floats(bound: float = 1e9) -> st.SearchStrategy[float]:
    """Finite floats in ``[-bound, bound]``."""
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


def units(dimension: str = "parameter") -> st.SearchStrategy[str]:
    """A unit of the given dimension."""
    return st.sampled_from(UNITS_BY_DIMENSION[dimension])


@st.composite
def estimates(
    draw: st.DrawFn,
    unit: str | None = None,
    *,
    signed: bool = False,
    kinds: tuple[mc.Bound, ...] = (
        mc.Bound.EXACT,
        mc.Bound.APPROX,
        mc.Bound.AT_LEAST,
        mc.Bound.AT_MOST,
        mc.Bound.RANGE,
    ),
) -> mc.Estimate:
    """An Estimate of any bound kind, with stated-like numbers (negative too if ``signed``)."""
    u = unit if unit is not None else draw(units(draw(st.sampled_from(list(UNITS_BY_DIMENSION)))))
    kind = draw(st.sampled_from(kinds))

    def num() -> float:
        x = draw(stated_numbers())
        return -x if signed and draw(st.booleans()) else x

    if kind is mc.Bound.EXACT:
        return mc.Estimate.exact(num(), u)
    if kind is mc.Bound.APPROX:
        return mc.Estimate.about(num(), u)
    if kind is mc.Bound.AT_LEAST:
        return mc.Estimate.at_least(num(), u)
    if kind is mc.Bound.AT_MOST:
        return mc.Estimate.at_most(num(), u)
    a, b = sorted((num(), num()))
    if a == b:
        b = a * 2 if a > 0 else a + 1
    return mc.Estimate.between(a, b, u)


@st.composite
def members(draw: st.DrawFn, e: mc.Estimate) -> float:
    """A magnitude (in ``e``'s unit) inside ``e``'s interval; unbounded ends are
    explored up to 10^6 × the nominal value away."""
    lo, n, hi = e.interval()
    span = max(abs(n), 1.0) * 1e6
    lo = n - span if math.isinf(lo) else lo
    hi = n + span if math.isinf(hi) else hi
    return draw(st.one_of(st.just(lo), st.just(hi), st.floats(lo, hi)))


#: Text that users may put in any cell: markup of every format, control
#: characters, and the characters a spreadsheet reads as a formula.
HOSTILE = [
    "R&D | <b>50%</b> \\input{x}",
    "\\write18{rm -rf /}",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "a|b",
    "`code`",
    "*em* _em_ ~~del~~",
    "[link](http://x)",
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "line\nbreak",
    "100% $5 #1 _x_ {y} ~z ^w",
    "\\",
    "\\\\",
    "{}",
    "}",
    "≈ ≥ ≤ − – ×",
    "«guillemets» l’apostrophe",
    "  leading and trailing  ",
    "",
]

#: Arbitrary text, weighted towards the hostile characters above.
hostile_text: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("|\\<>&\"'`*_~[]()#%$^{}=+-@\t\r\n ≈≥≤−–")),
            st.characters(codec="utf-8", exclude_categories=("Cs",)),
        ),
        max_size=40,
    ),
)
