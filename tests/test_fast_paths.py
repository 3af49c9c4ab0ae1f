"""Property tests pinning the fast paths of display, units, reconcile and the
renderers to the slow ones they stand in for: the same text, the same numbers,
the same answers, for random figures, units and estimates."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import Estimate
from modelcompare.display import (
    _figure_decimals,
    _figure_decimals_decimal,
    _format_number_decimal,
    _format_number_fast,
    denoised,
    format_number,
    to_decimal,
)
from modelcompare.reconcile import same_value
from modelcompare.testing import (
    KNOWN_KINDS,
    estimates,
    hostile_text,
    registries,
    stated_numbers,
    unit_names,
)
from modelcompare.units import (
    Q_,
    base_units,
    chip_symbol,
    dimension_key,
    factor,
    is_accelerator,
    unit_text,
    units_label,
    ureg,
)

LANGS = st.sampled_from(["en", "fr"])
ROUNDINGS = st.sampled_from(["nearest", "down", "up"])
DECIMALS = st.one_of(st.none(), st.integers(0, 45))


def _signed(s: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    return st.one_of(s, s.map(lambda x: -x))


#: Figures of every shape: as stated, results of arithmetic (long, noisy), huge,
#: tiny, whole, near a rounding carry (9.995, 999,999.5), zero.
FIGURES = st.one_of(
    _signed(stated_numbers(max_digits=8, min_exponent=-12, max_exponent=22)),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e22, max_value=1e22, allow_nan=False),
    st.integers(-(10**17), 10**17).map(float),
    st.tuples(st.integers(1, 9), st.integers(1, 16), st.integers(-12, 20)).map(
        lambda t: float(f"{t[0]}{'9' * t[1]}e{t[2]}")
    ),
    st.tuples(st.integers(1, 10**6), st.integers(1, 10**6)).map(lambda t: t[0] / t[1]),
    st.sampled_from([0.0, -0.0, 0.1 + 0.2, 500.00000000000006, 9.995, 999999.5, 1e21, 9.99e20]),
)


@given(x=FIGURES, lang=LANGS, rounding=ROUNDINGS, decimals=DECIMALS, full=st.booleans())
@settings(max_examples=600)
def test_fast_format_number_writes_what_decimal_writes(
    x: float, lang: Any, rounding: Any, decimals: int | None, full: bool
) -> None:
    """Where the digit-string path writes a figure, it writes the Decimal path's text."""
    fast = _format_number_fast(x, lang, rounding, decimals, full)
    slow = _format_number_decimal(x, lang, rounding, decimals, full=full)
    if fast is not None:
        assert fast == slow
    assert format_number(x, lang, rounding, decimals, full=full) == slow


@given(
    x=_signed(stated_numbers(max_digits=6, min_exponent=-9, max_exponent=14)),
    lang=LANGS,
    rounding=ROUNDINGS,
    decimals=st.one_of(st.none(), st.integers(0, 8)),
)
def test_stated_figures_take_the_fast_path(
    x: float, lang: Any, rounding: Any, decimals: int | None
) -> None:
    """A figure as sources state it (few digits, no noise) never needs Decimal."""
    assert _format_number_fast(x, lang, rounding, decimals, False) is not None


@given(x=FIGURES.filter(lambda v: v != 0))
@settings(max_examples=400)
def test_figure_decimals_agree(x: float) -> None:
    """A column's shared decimals are the same from digits as through Decimal."""
    assert _figure_decimals(x) == _figure_decimals_decimal(x)


@given(x=FIGURES)
def test_denoised_is_to_decimal_as_a_float(x: float) -> None:
    """denoised(x) is float(to_decimal(x)), bit for bit."""
    d = denoised(x)
    assert d == float(to_decimal(x))
    assert math.copysign(1, d) == math.copysign(1, float(to_decimal(x)))


ALL_UNITS = st.sampled_from(unit_names())


@given(a=ALL_UNITS, b=ALL_UNITS)
def test_per_unit_caches_answer_as_pint_does(a: str, b: str) -> None:
    """The caches keyed by a unit's container give pint's answer for a fresh Unit
    object of that unit (each Quantity's ``units`` is a new one)."""
    ua, ub = Q_(1, a).units, Q_(1, b).units  # fresh objects, shared containers
    assert dimension_key(ua) == str(Q_(1, a).dimensionality)
    assert units_label(ua) == (f"{ua:~}" or "dimensionless")
    assert unit_text(ua) == str(ua)
    assert base_units(ua) == Q_(1.0, a).to_base_units().units
    q = Q_(1, a)
    assert chip_symbol(ua) == (mc.units.accelerator_symbol(q) if is_accelerator(q) else None)
    if Q_(1, a).dimensionality == Q_(1, b).dimensionality:
        assert factor(ua, ub) == float(Q_(1.0, a).to(b).magnitude)
    else:
        with pytest.raises(mc.UnitError):
            factor(ua, ub)


def test_per_unit_caches_tell_equal_units_apart_from_others() -> None:
    """Units built separately (a product, a quotient) hit the entry of the equal
    unit and never that of another."""
    g = ureg.parse_units("Gparameter")
    product = (g * ureg.parse_units("token")) / ureg.parse_units("token")
    assert product == g
    assert product._units is not g._units
    assert factor(product, ureg.parse_units("parameter")) == 1e9
    assert units_label(product) == units_label(g)
    assert dimension_key(ureg.parse_units("Ttoken")) == "[token]"


def _set_count(values: list[Any]) -> int:
    return len(set(values))


@given(
    values=st.lists(
        st.one_of(
            estimates(),
            estimates(unit=["parameter", "Gparameter", "Tparameter"]),
            estimates(unit=["H100", "kH100"]),
        ),
        min_size=1,
        max_size=4,
    ),
    twins=st.lists(st.integers(0, 3), max_size=3),
)
def test_same_value_is_set_membership(values: list[Estimate], twins: list[int]) -> None:
    """same_value(a, b) says what ``b in {a}`` says (Estimate equality, within its
    tolerance, whatever the units), and counting distinct values with it agrees with
    a set; converted twins (≈15 kH100, ≈15,000 H100) count once."""
    for i in twins:
        e = values[i % len(values)]
        base = mc.units.base_units(e.units)
        values.append(e.to(base))
    for a in values:
        for b in values:
            assert same_value(a, b) == (b in {a})
    first = values[0]
    differs = any(not same_value(first, v) for v in values[1:])
    assert differs == (_set_count(values) > 1)


def test_same_value_on_text_and_mixed_values() -> None:
    """Texts compare as texts; an estimate never equals a text."""
    assert same_value("moe", "moe")
    assert not same_value("moe", "dense")
    assert not same_value(Estimate.exact(1), "1")


def _same_estimate(a: Estimate, b: Estimate) -> None:
    """Bit for bit the same Estimate: bound, unit, ends (NaN where NaN), text."""
    assert a.bound is b.bound
    assert str(a.units) == str(b.units)
    for x, y in zip(a._ends, b._ends, strict=True):
        assert (math.isnan(x) and math.isnan(y)) or (
            x == y and math.copysign(1, x) == math.copysign(1, y)
        )
    assert (a.low is None) == (b.low is None)
    assert (a.high is None) == (b.high is None)
    assert str(a) == str(b)


def _slow_compute(n: Estimate, d: Estimate) -> Estimate:
    from modelcompare.derived import FLOP_PER_PARAMETER_TOKEN

    result: Estimate = (n * d * FLOP_PER_PARAMETER_TOKEN).to("FLOP")
    return result


def _same_compute(n: Estimate, d: Estimate) -> None:
    """6 · N · D from floats gives the Estimate the Estimate arithmetic gives, or
    raises the same error."""
    from modelcompare.derived import training_compute_from

    try:
        slow = _slow_compute(n, d)
    except mc.InvalidValueError as exc:
        with pytest.raises(type(exc), match=re.escape(str(exc))):
            training_compute_from(n, d)
        return
    _same_estimate(training_compute_from(n, d), slow)


@given(
    n=st.one_of(
        estimates(field="parameters", kinds=KNOWN_KINDS),
        estimates("parameter", kinds=KNOWN_KINDS, signed=True),
    ),
    d=st.one_of(
        estimates(field="training_tokens", kinds=KNOWN_KINDS),
        estimates("token", kinds=KNOWN_KINDS, signed=True),
    ),
)
@settings(max_examples=300)
def test_training_compute_from_builds_what_the_arithmetic_builds(n: Estimate, d: Estimate) -> None:
    """6 · N · D from floats and cached factors is the Estimate the Estimate
    arithmetic gives, or the same error."""
    _same_compute(n, d)


@pytest.mark.parametrize(
    ("n", "d"),
    [
        (Estimate.exact(1e280, "Eparameter"), Estimate.exact(1e10, "Ttoken")),
        (Estimate.at_least(1e290, "parameter"), Estimate.about(1e20, "token")),
        (Estimate.between(1e150, 1e160, "Tparameter"), Estimate.at_most(1e150, "Ttoken")),
        (Estimate.exact(0, "parameter"), Estimate.at_least(5, "Ttoken")),
        (Estimate.at_most(5, "Gparameter"), Estimate.at_least(3, "token")),
    ],
)
def test_training_compute_from_at_the_edges(n: Estimate, d: Estimate) -> None:
    """Overflow, zero and unbounded inputs: the same result or the same error."""
    _same_compute(n, d)


@given(
    n=estimates(field="parameters", kinds=KNOWN_KINDS),
    d=estimates(field="training_tokens", kinds=KNOWN_KINDS),
)
def test_training_compute_of_stated_figures_takes_the_fast_path(n: Estimate, d: Estimate) -> None:
    """Figures a source states never need the two intermediate products built."""
    from modelcompare.derived import _compute_fast

    assert _compute_fast(n, d) is not None


JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and ±inf too: json.dumps refuses them, and so must dumps
    hostile_text(),
    st.text(),
)
JSON_DOCS = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(
            st.one_of(st.text(max_size=6), hostile_text(max_size=6)), inner, max_size=4
        ),
        st.dictionaries(st.integers(-3, 3), inner, max_size=2),
    ),
    max_leaves=30,
)


@given(doc=JSON_DOCS)
@settings(max_examples=400)
def test_json_dumps_writes_what_the_standard_library_writes(doc: Any) -> None:
    """render.json.dumps gives json.dumps(indent=2, ensure_ascii=False,
    allow_nan=False)'s text, or raises its error."""
    from modelcompare.render.json import dumps

    try:
        want = json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            dumps(doc)
        return
    assert dumps(doc) == want


def test_json_dumps_of_other_types_is_the_standard_librarys() -> None:
    """Enums, subclasses and non-string keys are left to json.dumps."""
    from modelcompare.render.json import dumps

    for doc in [{"k": mc.Bound.EXACT}, {mc.Bound.EXACT: 1}, {1.5: [True]}, [mc.Bound.RANGE, "x"]]:
        assert dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)


@given(
    reg=registries(max_models=3, conflicts=True),
    each=st.booleans(),
    notes=st.booleans(),
    lang=LANGS,
)
@settings(max_examples=60, deadline=None)
def test_json_rows_written_one_by_one_are_the_whole_documents_text(
    reg: Any, each: bool, notes: bool, lang: Any
) -> None:
    """to_json writes each row as it builds it: the text is the document's as
    json.dumps writes it whole, byte for byte."""
    from modelcompare.render.export import check_units
    from modelcompare.render.json import _render_json

    c = mc.compare(list(reg), registry=reg, claims="each" if each else "value", lang=lang)
    text = c.to_json(notes=notes)
    assert text == _render_json(c, notes, check_units(c, None), written=False)
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


@given(reg=registries(max_models=3, conflicts=True))
@settings(max_examples=60, deadline=None)
def test_a_cell_of_one_claim_is_what_reconciling_it_gives(reg: Any) -> None:
    """compare() takes a lone claim's value and marks as they are: the same value,
    parts and flags as reconciling it (Model.value) gives. A cell of the default
    mode reconciles the claims its value rests on (stated ones, where a source
    states a derived field), one of claims="each" every claim."""
    from modelcompare.comparison import _draft, _reconciled_draft

    for model in reg:
        for spec in mc.FIELDS.values():
            claims = model.claims(spec.name)
            if not claims:
                continue
            stated = tuple(c for c in claims if c.status is not mc.Status.DERIVED)
            for each in (False, True):
                basis = stated or claims if spec.derived and not each else claims
                fast = _draft(model, spec, each=each)
                slow = _reconciled_draft(model, spec, basis)
                assert fast.flags == slow.flags
                assert [p.claims for p in fast.parts] == [p.claims for p in slow.parts]
                assert [p.shown for p in fast.parts] == [p.shown for p in slow.parts]
                assert fast.value == slow.value
                if len(basis) == 1 and not spec.accumulates:
                    assert fast.value is basis[0].value
                    if not each:
                        assert same_value(model.value(spec.name), fast.value)


@given(reg=registries(max_models=3, conflicts=True))
@settings(max_examples=40, deadline=None)
def test_derivations_take_a_lone_claims_value_as_model_value_gives_it(reg: Any) -> None:
    """The inputs derived figures gather (value and claims) are Model.value's."""
    from modelcompare.derived import _quantity

    for model in reg:
        for spec in mc.FIELDS.values():
            if spec.kind is not mc.FieldKind.QUANTITY:
                continue
            try:
                value = model.value(spec.name)
            except mc.ConflictError:
                with pytest.raises(mc.ConflictError):
                    _quantity(model, spec.name)
                continue
            got = _quantity(model, spec.name)
            if not isinstance(value, Estimate) or not value.is_known:
                assert got is None
                continue
            assert got is not None
            assert got.value == value
            assert str(got.value) == str(value)
