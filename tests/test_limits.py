"""Figures a float can hold but base units cannot: refused everywhere."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import modelcompare as mc
from strategies import UNITS_BY_DIMENSION

ALL_UNITS = sorted({u for us in UNITS_BY_DIMENSION.values() for u in us})
CONSTRUCTORS = {
    "exact": lambda x, u: mc.Estimate.exact(x, u),
    "about": lambda x, u: mc.Estimate.about(x, u),
    "at_least": lambda x, u: mc.Estimate.at_least(x, u),
    "at_most": lambda x, u: mc.Estimate.at_most(x, u),
    "between": lambda x, u: mc.Estimate.between(x / 2, x, u),
}


def test_values_infinite_in_base_units_are_refused() -> None:
    """1e300 E parameters is 1e318 parameters, not a float: InvalidValueError, so
    two such values can never compare equal by both being infinite."""
    for make in CONSTRUCTORS.values():
        with pytest.raises(mc.InvalidValueError, match="too large"):
            make(1e300, "Eparameter")
    with pytest.raises(mc.InvalidValueError, match="too large"):
        mc.Estimate.about(5, "Eparameter", high=1e301)
    assert mc.Estimate.exact(1e289, "Eparameter") != mc.Estimate.exact(1e290, "Eparameter")
    assert math.isfinite(mc.Estimate.between(1e308, 1.7e308, "parameter").nominal.magnitude)


@given(
    st.sampled_from(sorted(CONSTRUCTORS)),
    st.sampled_from(ALL_UNITS),
    st.floats(min_value=1e-300, max_value=1.7e308),
)
def test_every_estimate_is_finite_in_base_units(kind: str, unit: str, x: float) -> None:
    """Any constructor and unit: refused, or every end finite in base units."""
    if not math.isfinite(x * mc.Q_(1, unit).to_base_units().magnitude):
        with pytest.raises(mc.InvalidValueError, match="too large"):
            CONSTRUCTORS[kind](x, unit)
        return
    e = CONSTRUCTORS[kind](x, unit)
    base = mc.Q_(1, unit).to_base_units()
    lo, n, hi = e.interval(base.units)
    assert math.isfinite(n)
    assert all(math.isfinite(end) or end in (-math.inf, math.inf) for end in (lo, hi))
    for end in (e.low, e.high):
        if end is not None:
            assert math.isfinite(end.to_base_units().magnitude)
