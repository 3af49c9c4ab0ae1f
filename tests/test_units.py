"""The package's unit registry: dimensions, conversions, pickling."""

from __future__ import annotations

import math
import pickle

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.testing import stated_numbers
from modelcompare.units import is_accelerator, to_unit
from strategies import UNITS_BY_DIMENSION

DIMENSIONS = sorted(UNITS_BY_DIMENSION)


def test_registry_is_the_application_registry() -> None:
    """modelcompare.ureg is pint's application registry, so quantities pickle."""
    assert pint.get_application_registry().get() is mc.ureg
    q = mc.Q_(15000, "H100")
    assert pickle.loads(pickle.dumps(q)) == q


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1 H100", "1 GB200"),
        ("1 H100", "1 GPU"),
        ("80 GB", "3 parameter"),
        ("1 parameter", "1 token"),
        ("1 FLOP", "1 FLOP/s"),
        ("1 W", "1 J"),
        ("1 USD", "1 parameter"),
        ("69 percent", "8 mt_bench_point"),
    ],
)
def test_different_dimensions_do_not_add(a: str, b: str) -> None:
    """Quantities of different dimensions refuse to add (chips, bytes, parameters…)."""
    with pytest.raises(pint.DimensionalityError):
        mc.Q_(a) + mc.Q_(b)


def test_bytes_are_a_dimension() -> None:
    """Unlike pint's default registry, bytes are not dimensionless: 80 GB + 3 fails."""
    with pytest.raises(pint.DimensionalityError):
        mc.Q_(80, "GB") + 3
    assert mc.Q_(1, "GiB").to("B").magnitude == 2**30


def test_to_unit_wraps_pint_errors() -> None:
    """to_unit raises modelcompare's UnitError (a TypeError) naming both dimensions."""
    with pytest.raises(mc.UnitError, match=r"GB.*\[information\].*parameter") as info:
        to_unit(mc.Q_(80, "GB"), "parameter")
    assert isinstance(info.value, TypeError)


def test_unknown_unit_is_unit_error() -> None:
    """An unknown unit name gives UnitError, not pint's UndefinedUnitError."""
    with pytest.raises(mc.UnitError, match="H-100"):
        mc.Estimate.exact(1, "H-100")


@pytest.mark.parametrize("name", ["H100", "H200", "A100", "B200", "GB200", "GPU"])
def test_each_accelerator_is_its_own_dimension(name: str) -> None:
    """Every accelerator unit is a count of one kind of chip."""
    q = mc.Q_(1, name)
    assert is_accelerator(q)
    assert not is_accelerator(mc.Q_(1, "parameter"))


@given(
    st.sampled_from(DIMENSIONS).flatmap(
        lambda d: st.tuples(
            st.sampled_from(UNITS_BY_DIMENSION[d]), st.sampled_from(UNITS_BY_DIMENSION[d])
        )
    ),
    stated_numbers(),
)
def test_conversion_round_trip(units: tuple[str, str], x: float) -> None:
    """Converting to another unit of the same dimension and back returns x within a few ulp."""
    a, b = units
    back = mc.Q_(x, a).to(b).to(a).magnitude
    assert math.isclose(back, x, rel_tol=4 * 2**-52)


@given(
    st.sampled_from(DIMENSIONS).flatmap(
        lambda d: st.lists(st.sampled_from(UNITS_BY_DIMENSION[d]), min_size=3, max_size=3)
    ),
    stated_numbers(),
)
def test_conversion_path_independent(units: list[str], x: float) -> None:
    """a -> b -> c gives the same as a -> c, within a few ulp."""
    a, b, c = units
    via = mc.Q_(x, a).to(b).to(c).magnitude
    direct = mc.Q_(x, a).to(c).magnitude
    assert math.isclose(via, direct, rel_tol=4 * 2**-52)


@given(st.sampled_from(DIMENSIONS), st.sampled_from(DIMENSIONS), stated_numbers())
def test_conversion_across_dimensions_fails(d1: str, d2: str, x: float) -> None:
    """Conversion between units of different dimensions always raises UnitError."""
    if d1 == d2:
        return
    with pytest.raises(mc.UnitError):
        to_unit(mc.Q_(x, UNITS_BY_DIMENSION[d1][0]), UNITS_BY_DIMENSION[d2][0])


def test_prefixed_chips_parse_as_chips() -> None:
    """GB200 is the superchip, not giga-B200."""
    assert str(mc.Q_(1, "GB200").dimensionality) == "[accelerator_GB200]"
    assert str(mc.Q_(1, "GB").dimensionality) == "[information]"
