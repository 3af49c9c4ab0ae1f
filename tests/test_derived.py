"""Derived fields: 6·N·D, tokens per parameter, weights memory, hardware
totals and training time, with their provenance and honest bounds."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import cli
from modelcompare.derived import (
    BYTES_PER_PARAMETER,
    accelerators_to_hold_from,
    chinchilla_ratio_from,
    tokens_per_parameter_from,
    training_compute_from,
    training_time_from,
    weights_memory_from,
)
from modelcompare.testing import KNOWN_KINDS, estimates, members

WriteFile = Callable[..., Path]

DERIVED_FIELDS = [f.name for f in mc.FIELDS.values() if f.derived]
HARDWARE_FIELDS = ["training_peak_compute", "training_power", "training_h100_equivalents"]


def derived_claim(model: mc.Model, field: str) -> mc.Claim:
    """The one derived claim of ``field`` (the test fails if there is none)."""
    found = [c for c in model.claims(field) if c.status is mc.Status.DERIVED]
    assert len(found) == 1, f"{model.name} {field}: {found}"
    return found[0]


def has_derived(model: mc.Model, field: str) -> bool:
    """True when ``model`` has a derived claim of ``field``."""
    return any(c.status is mc.Status.DERIVED for c in model.claims(field))


def within(e: mc.Estimate, x: float, rel: float = 1e-9) -> bool:
    """``x`` (in ``e``'s unit) lies in ``e``, give or take float rounding."""
    lo, _, hi = e.interval()
    tol = rel * max(
        abs(x), abs(lo) if math.isfinite(lo) else 0, abs(hi) if math.isfinite(hi) else 0
    )
    return lo - tol <= x <= hi + tol


def magnitude(q: object, unit: str) -> float:
    """A quantity's magnitude in ``unit``."""
    return float(q.to(unit).magnitude)  # type: ignore[attr-defined]


# ── user data files ───────────────────────────────────────────────────────────

SOURCE = """
[[source]]
id = "my-notes"
title = "My notes"
url = "https://example.org/notes"
language = "en"
kind = "other"
external = true
"""


def model_file(model_id: str, claims: list[tuple[str, str]]) -> str:
    """TOML for one model with ``(field, value)`` claims, citing a URL-only source."""
    out = SOURCE + f'\n[[model]]\nid = "{model_id}"\nname = "{model_id}"\norganization = "Acme"\n'
    for field, value in claims:
        out += (
            f'\n[[claim]]\nmodel = "{model_id}"\nfield = "{field}"\nvalue = {value}\n'
            'status = "official"\n'
            f'citations = [{{ source = "my-notes", quote = "the {field}" }}]\n'
        )
    return out


def user_model(data_file: WriteFile, claims: list[tuple[str, str]]) -> mc.Model:
    """A user model ``acme`` with these claims, in a registry with the built-in data."""
    reg = mc.load_registry(paths=[data_file(model_file("acme", claims))])
    return reg["acme"]


MOE = [
    ("architecture", '{ text = "moe" }'),
    ("parameters", '{ exact = 400, unit = "Gparameter" }'),
    ("active_parameters", '{ exact = 40, unit = "Gparameter" }'),
    ("training_tokens", '{ exact = 10, unit = "Ttoken" }'),
]


# ── the done criteria ─────────────────────────────────────────────────


def test_phi3_mini_training_compute_is_derived_from_its_quoted_claims(reg: mc.Registry) -> None:
    """Phi-3-mini: derived 6 × 3.8 B × 3.3 T ≈ 7.5 × 10²² FLOP, from the two quoted claims."""
    claim = derived_claim(reg["Phi-3-mini"], "training_compute")
    assert isinstance(claim.value, mc.Estimate)
    assert claim.value.bound is mc.Bound.EXACT
    assert claim.value.interval("FLOP")[1] == pytest.approx(7.524e22)
    assert claim.formula == "6 · N · D"
    assert claim.citations == ()
    params, tokens = claim.inputs
    assert (params.field, str(params.value)) == ("parameters", "3.8 B parameters")
    assert (tokens.field, str(tokens.value)) == ("training_tokens", "3.3 T tokens")
    assert "3,8 milliards de paramètres" in params.citations[0].quote
    assert "3,3 trillions de tokens" in tokens.citations[0].quote
    assert [s.id for s in claim.sources] == ["seed-002"]
    assert "total parameters" in (claim.note or "")


def test_phi3_mini_tokens_per_parameter_and_weights(reg: mc.Registry) -> None:
    """Phi-3-mini: ≈868 tokens per parameter and 7.6 GB of BF16 weights."""
    m = reg["Phi-3-mini"]
    tpp = m.value("tokens_per_parameter")
    assert isinstance(tpp, mc.Estimate)
    assert tpp.interval("token/parameter")[1] == pytest.approx(3.3e12 / 3.8e9)
    assert str(m.value("weights_memory")) == "7.6 GB"


@pytest.mark.parametrize("name", ["MAI-1-preview", "Grok"])
@pytest.mark.parametrize("field", HARDWARE_FIELDS)
def test_hardware_fields_exist_and_are_lower_bounds(
    reg: mc.Registry, name: str, field: str
) -> None:
    """MAI-1-preview's and Grok's hardware totals exist and are "at least" figures."""
    claim = derived_claim(reg[name], field)
    assert isinstance(claim.value, mc.Estimate)
    assert claim.value.bound is mc.Bound.AT_LEAST
    assert claim.formula
    assert any(i.field == "training_accelerators" for i in claim.inputs)


def test_grok_power_is_at_least_70_megawatts(reg: mc.Registry) -> None:
    """Grok: ≥100,000 H100 × the 700 W TDP rating gives ≥70 MW, the TDP spec among the inputs."""
    claim = derived_claim(reg["Grok"], "training_power")
    assert isinstance(claim.value, mc.Estimate)
    lo, _, hi = claim.value.interval("MW")
    assert (lo, hi) == (pytest.approx(70), math.inf)
    assert str(claim.value) == "≥70 MW"
    assert [(i.subject, i.field) for i in claim.inputs] == [
        ("grok", "training_accelerators"),
        ("h100-sxm", "tdp"),
    ]
    assert "rated" in (claim.note or "")


def test_grok_peak_and_h100_equivalents(reg: mc.Registry) -> None:
    """Grok: ≥100,000 H100 × 989.5 TFLOP/s, and ≥100,000 H100-equivalents."""
    grok = reg["Grok"]
    peak = grok.value("training_peak_compute")
    assert isinstance(peak, mc.Estimate)
    assert peak.interval("EFLOP/s")[0] == pytest.approx(98.95)
    assert str(grok.value("training_h100_equivalents")) == "≥100,000 H100"


def test_mai1_preview_unknown_gb200_count_makes_a_lower_bound(reg: mc.Registry) -> None:
    """MAI-1-preview's GB200s have no count, so its H100-equivalents are ≥ its H100s' low end."""
    claim = derived_claim(reg["MAI-1-preview"], "training_h100_equivalents")
    assert str(claim.value) == "≥14,500 H100"
    assert "GB200" in (claim.note or "")
    units = {str(i.value) for i in claim.inputs if i.field == "training_accelerators"}
    assert units == {"≈15,000 H100", "? GB200"}


def test_ratio_of_h100_equivalents_works(reg: mc.Registry) -> None:
    """ratio(Grok, MAI-1-preview, H100-equivalents) gives an honest, open-ended Estimate."""
    r = mc.ratio("Grok", "MAI-1-preview", "training_h100_equivalents")
    assert isinstance(r, mc.Estimate)
    lo, n, hi = r.interval()
    assert n == pytest.approx(100_000 / 15_000)
    # MAI-1-preview's GB200 count is unknown: its total has no top, so the ratio no floor above 0
    assert lo == 0
    assert hi == math.inf


# ── mixture of experts ────────────────────────────────────────────────────────


def test_gpt4_has_active_parameters_but_no_tokens_so_no_compute(reg: mc.Registry) -> None:
    """GPT-4 has ≈280 B active parameters but no token count: no training compute derived."""
    gpt4 = reg["GPT-4"]
    assert gpt4.value("active_parameters") is not None
    assert gpt4.claims("training_compute") == ()
    assert gpt4.value("training_compute") is None
    assert gpt4.claims("tokens_per_parameter") == ()


def test_moe_compute_uses_active_parameters(data_file: WriteFile) -> None:
    """A user MoE model's 6·N·D uses its 40 B active parameters, not its 400 B total."""
    m = user_model(data_file, MOE)
    claim = derived_claim(m, "training_compute")
    assert isinstance(claim.value, mc.Estimate)
    assert claim.value.interval("FLOP")[1] == pytest.approx(6 * 40e9 * 10e12)
    fields = [i.field for i in claim.inputs]
    assert fields == ["active_parameters", "training_tokens", "architecture"]
    assert "N = active parameters (mixture of experts)" in (claim.note or "")
    tpp = m.value("tokens_per_parameter")
    assert isinstance(tpp, mc.Estimate)
    assert tpp.interval()[1] == pytest.approx(250)


def test_moe_weights_use_total_parameters(data_file: WriteFile) -> None:
    """A mixture of experts holds every expert: weights memory counts the total, 400 B × 2 B."""
    m = user_model(data_file, MOE)
    assert str(m.value("weights_memory")) == "800 GB"
    claim = derived_claim(m, "weights_memory")
    assert "every expert" in (claim.note or "")


def test_moe_without_active_count_derives_no_compute(data_file: WriteFile) -> None:
    """A MoE with only a total count gets no compute: 6 · total · D would overstate it."""
    m = user_model(data_file, [c for c in MOE if c[0] != "active_parameters"])
    assert m.claims("training_compute") == ()
    assert m.claims("tokens_per_parameter") == ()
    assert has_derived(m, "weights_memory")


def test_stated_compute_stays_beside_the_derived_one(data_file: WriteFile) -> None:
    """A reported training compute stays its own claim beside the derived one, and is the value."""
    m = user_model(data_file, [*MOE, ("training_compute", '{ about = 2, unit = "YFLOP" }')])
    claims = m.claims("training_compute")
    assert [c.status for c in claims] == [mc.Status.OFFICIAL, mc.Status.DERIVED]
    assert claims[1].value.interval("FLOP")[1] == pytest.approx(2.4e24)  # type: ignore[union-attr]
    value = m.value("training_compute")
    assert value == mc.Estimate.about(2, "YFLOP")


def test_derived_claim_never_conflicts_with_a_source(data_file: WriteFile) -> None:
    """A reported compute far from 6·N·D is no conflict: derived claims only fill gaps."""
    text = model_file("acme", [*MOE, ("training_compute", '{ exact = 9, unit = "ZFLOP" }')])
    reg = mc.load_registry(paths=[data_file(text)])
    m = reg["acme"]
    assert m.value("training_compute") == mc.Estimate.exact(9, "ZFLOP")
    derived = [c for c in m.claims("training_compute") if c.status is mc.Status.DERIVED]
    assert derived[0].value != mc.Estimate.exact(9, "ZFLOP")
    assert reg.conflicts() == ()


# ── missing and contradicting inputs ──────────────────────────────────────────


def test_every_builtin_model_derives_without_error(reg: mc.Registry) -> None:
    """Every derived field of every built-in model is computed or absent, never an exception."""
    for m in reg:
        for field in DERIVED_FIELDS:
            for c in m.claims(field):
                assert c.status is mc.Status.DERIVED
                assert isinstance(c.value, mc.Estimate)
                assert c.value.is_known
                assert mc.FIELDS[field].check(c.value) is None
                assert c.inputs
                assert c.note
            value = m.value(field)
            assert (value is None) == (m.claims(field) == ())
            assert value is None or isinstance(value, mc.Estimate)


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("MAI-1", "training_compute"),
        ("MAI-1", "training_power"),
        ("Phi-3", "tokens_per_parameter"),
        ("Phi-3-mini", "training_peak_compute"),
        ("Phi-3-mini", "training_time_at_peak"),
        ("Grok", "weights_memory"),
        ("Grok", "training_time_at_peak"),
        ("BERT", "weights_memory"),
        ("MAI-Voice-1", "training_power"),
    ],
)
def test_missing_inputs_derive_nothing(reg: mc.Registry, name: str, field: str) -> None:
    """Where an input is missing there is no derived claim, and no guess."""
    assert reg[name].claims(field) == ()
    assert reg[name].value(field) is None


def test_contradicting_inputs_derive_nothing(data_file: WriteFile) -> None:
    """Parameter claims that contradict each other derive nothing (the conflict is reported)."""
    m = user_model(
        data_file,
        [
            ("parameters", '{ exact = 7, unit = "Gparameter" }'),
            ("parameters", '{ exact = 8, unit = "Gparameter" }'),
            ("training_tokens", '{ exact = 1, unit = "Ttoken" }'),
        ],
    )
    assert m.claims("training_compute") == ()
    assert m.claims("weights_memory") == ()
    with pytest.raises(mc.ConflictError):
        mc.weights_memory(m)


def test_no_builtin_model_has_a_training_time(reg: mc.Registry) -> None:
    """No built-in model has both a compute and a hardware count, so no training time."""
    assert all(m.claims("training_time_at_peak") == () for m in reg)
    assert mc.training_time("Phi-3-mini") is None


# ── several kinds of chip; superchips ─────────────────────────────────────────

MIXED = [
    ("training_accelerators", '{ exact = 1000, unit = "GB200" }'),
    ("training_accelerators", '{ exact = 2000, unit = "A100" }'),
]


def test_several_kinds_of_chip_add_up_per_unit(data_file: WriteFile) -> None:
    """1,000 GB200 superchips and 2,000 A100s: peaks, powers and H100-equivalents summed."""
    m = user_model(data_file, MIXED)
    peak, power, h100 = (m.value(f) for f in HARDWARE_FIELDS)
    assert isinstance(peak, mc.Estimate)
    assert isinstance(power, mc.Estimate)
    assert isinstance(h100, mc.Estimate)
    assert peak.bound is power.bound is h100.bound is mc.Bound.EXACT
    assert peak.interval("FLOP/s")[1] == pytest.approx(1000 * 5e15 + 2000 * 312e12)
    assert power.interval("W")[1] == pytest.approx(1000 * 2700 + 2000 * 400)
    assert h100.interval("H100")[1] == pytest.approx((1000 * 5e15 + 2000 * 312e12) / 989.5e12)
    note = derived_claim(m, "training_peak_compute").note or ""
    assert "per superchip of 2 GPUs" in note
    assert "2.5 PFLOP/s per GPU" in note


def test_a_kind_without_count_makes_a_lower_bound(data_file: WriteFile) -> None:
    """A chip named without a count adds an unknown, non-negative amount: the sum is ≥."""
    m = user_model(
        data_file, [*MIXED, ("training_accelerators", '{ unknown = true, unit = "B200" }')]
    )
    for field in HARDWARE_FIELDS:
        value = m.value(field)
        assert isinstance(value, mc.Estimate)
        assert value.bound is mc.Bound.AT_LEAST
    peak = m.value("training_peak_compute")
    assert isinstance(peak, mc.Estimate)
    assert peak.interval("FLOP/s")[0] == pytest.approx(1000 * 5e15 + 2000 * 312e12)


def test_a_chip_missing_from_the_catalog_makes_a_lower_bound(data_file: WriteFile) -> None:
    """An unnamed 'GPU' count has no catalog figure: it adds an unknown amount (≥)."""
    m = user_model(
        data_file,
        [
            ("training_accelerators", '{ exact = 100, unit = "H100" }'),
            ("training_accelerators", '{ exact = 50, unit = "GPU" }'),
        ],
    )
    claim = derived_claim(m, "training_power")
    assert str(claim.value) == "≥70 kW"
    assert "catalog has no tdp figure" in (claim.note or "")


def test_only_unknown_counts_derive_nothing(data_file: WriteFile) -> None:
    """Chips named without any count give no hardware totals."""
    m = user_model(data_file, [("training_accelerators", '{ unknown = true, unit = "GB200" }')])
    for field in HARDWARE_FIELDS:
        assert m.claims(field) == ()


@pytest.mark.parametrize(
    ("value", "bound"),
    [
        ('{ exact = 1000, unit = "H100" }', mc.Bound.EXACT),
        # computed from "about 1,000": the range it spans, never "≈" (a source's rounding)
        ('{ about = 1000, unit = "H100" }', mc.Bound.RANGE),
        ('{ at_least = 1000, unit = "H100" }', mc.Bound.AT_LEAST),
        ('{ at_most = 1000, unit = "H100" }', mc.Bound.AT_MOST),
        ('{ low = 1000, high = 2000, unit = "H100" }', mc.Bound.RANGE),
    ],
)
def test_count_bounds_carry_to_hardware_totals(
    data_file: WriteFile, value: str, bound: mc.Bound
) -> None:
    """The count's bound kind is the hardware totals' (an "about" count gives a range)."""
    m = user_model(data_file, [("training_accelerators", value)])
    for field in HARDWARE_FIELDS:
        v = m.value(field)
        assert isinstance(v, mc.Estimate)
        assert v.bound is bound, field


# ── training time ─────────────────────────────────────────────────────────────


def test_training_time_is_a_lower_bound(data_file: WriteFile) -> None:
    """Compute ÷ peak: the field at 100% utilization (its name says so), the function
    at 40% unless told, both "at least"; the function's claim states its utilization."""
    m = user_model(data_file, [*MOE, ("training_accelerators", '{ exact = 10000, unit = "H100" }')])
    field = m.value("training_time_at_peak")
    assert isinstance(field, mc.Estimate)
    assert field.bound is mc.Bound.AT_LEAST
    seconds = 2.4e24 / (10000 * 989.5e12)
    assert field.interval("s")[0] == pytest.approx(seconds)
    claim = mc.training_time(m)
    assert claim is not None
    assert isinstance(claim.value, mc.Estimate)
    assert claim.value.interval("s")[0] == pytest.approx(seconds / 0.4)
    fields = [i.field for i in claim.inputs]
    assert fields == ["training_compute", "training_peak_compute"]
    assert (claim.field, claim.formula) == ("training_time", "C / (P · 0.4)")
    assert "utilization 40%" in (claim.note or "")
    at_peak = mc.training_time(m, 1)
    assert at_peak is not None
    assert at_peak.value == field
    with pytest.raises(mc.UnknownFieldError, match="training_time_at_peak"):
        m.value("training_time")


def test_training_time_needs_a_bounded_peak(data_file: WriteFile) -> None:
    """An "at least" accelerator count leaves the peak without a top: no time bound."""
    m = user_model(
        data_file, [*MOE, ("training_accelerators", '{ at_least = 10000, unit = "H100" }')]
    )
    assert m.claims("training_time_at_peak") == ()
    assert mc.training_time(m, 0.5) is None


@pytest.mark.parametrize("u", [0, -0.1, 1.5, math.nan, True])
def test_training_time_rejects_bad_utilization(u: float) -> None:
    """Utilization must lie in (0, 1]."""
    with pytest.raises(ValueError, match="utilization"):
        mc.training_time("Phi-3-mini", u)


# ── public functions ──────────────────────────────────────────────────────────


@pytest.mark.parametrize("precision", list(BYTES_PER_PARAMETER))
def test_weights_memory_per_precision(precision: str) -> None:
    """Phi-3-mini's weights are 3.8 B × the precision's bytes per parameter."""
    claim = mc.weights_memory("Phi-3-mini", precision)
    assert claim is not None
    assert isinstance(claim.value, mc.Estimate)
    per = magnitude(BYTES_PER_PARAMETER[precision], "B/parameter")
    assert claim.value.interval("B")[1] == pytest.approx(3.8e9 * per)
    assert claim.status is mc.Status.DERIVED


def test_weights_memory_rejects_an_unknown_precision() -> None:
    """An unknown precision raises UnknownFieldError with suggestions."""
    with pytest.raises(mc.UnknownFieldError, match="bf16"):
        mc.weights_memory("Phi-3-mini", "bf61")


def test_weights_memory_none_without_parameters() -> None:
    """No parameter count, no weights: None."""
    assert mc.weights_memory("Grok") is None


def test_gpt4_weights_use_the_reconciled_total(reg: mc.Registry) -> None:
    """GPT-4: 1.76 T and ≥1,000 B reconcile to 1.76 T, so 3.52 TB at BF16, flagged as rumored."""
    claim = derived_claim(reg["GPT-4"], "weights_memory")
    assert str(claim.value) == "3.52 TB"
    fields = [i.field for i in claim.inputs]
    assert fields == ["parameters", "parameters", "architecture", "architecture"]
    assert "every expert" in (claim.note or "")
    assert "rumored" in (claim.note or "")


@pytest.mark.parametrize(
    ("model", "accelerator", "precision", "expected"),
    [
        ("Phi-3-mini", "H100", "bf16", "1 H100"),
        ("GPT-4", "H100", "bf16", "44 H100"),  # 3.52 TB / 80 GB = 44 exactly, not 45
        ("GPT-4", "GB200", "fp8", "5 GB200"),  # 1.76 TB / 372 GB per superchip
        ("MAI-1", "h100-pcie", "bf16", "13 H100"),  # 1 TB / 80 GB = 12.5
        ("Phi-3", "A100", "bf16", "1 A100"),  # 7.6–28 GB, all within one 80 GB A100
        ("Phi-3", "a100-sxm-40gb", "fp32", "1–2 A100"),  # 15.2–56 GB / 40 GB
    ],
)
def test_accelerators_to_hold(model: str, accelerator: str, precision: str, expected: str) -> None:
    """Whole chips whose memory the weights fill, both ends rounded up."""
    claim = mc.accelerators_to_hold(model, accelerator, precision)
    assert claim is not None
    assert str(claim.value) == expected
    assert claim.inputs[0].field == "weights_memory"
    assert claim.inputs[1].field == "memory"


def test_accelerators_to_hold_unknown_chip() -> None:
    """An accelerator the catalog lacks raises UnknownFieldError."""
    with pytest.raises(mc.UnknownFieldError):
        mc.accelerators_to_hold("Phi-3-mini", "TPUv5")


def test_chinchilla_ratio() -> None:
    """Phi-3-mini trained on ≈868 tokens per parameter: ≈43 × the compute-optimal 20."""
    claim = mc.chinchilla_ratio("Phi-3-mini")
    assert claim is not None
    assert isinstance(claim.value, mc.Estimate)
    assert claim.value.interval()[1] == pytest.approx(3.3e12 / 3.8e9 / 20)
    assert claim.inputs[0].field == "tokens_per_parameter"
    assert mc.chinchilla_ratio("GPT-4") is None


def test_functions_accept_a_model_and_a_registry(data_file: WriteFile) -> None:
    """A Model from a user registry finds its own registry; a name needs the registry."""
    m = user_model(data_file, MOE)
    assert mc.weights_memory(m) is not None
    with pytest.raises(mc.UnknownModelError):
        mc.weights_memory("acme")
    reg = mc.load_registry(paths=[data_file(model_file("acme", MOE), "again.toml")])
    claim = mc.accelerators_to_hold("acme", registry=reg)
    assert claim is not None
    assert str(claim.value) == "10 H100"


# ── properties of the arithmetic ──────────────────────────────────────────────

params = estimates(unit="Gparameter", kinds=KNOWN_KINDS)
tokens = estimates(unit="Ttoken", kinds=KNOWN_KINDS)


@given(st.data(), params, tokens)
def test_compute_contains_6nd_for_members(
    data: st.DataObject, n: mc.Estimate, d: mc.Estimate
) -> None:
    """For every n in N and d in D, 6·n·d lies in the derived compute."""
    result = training_compute_from(n, d)
    x, y = data.draw(members(n)).magnitude, data.draw(members(d)).magnitude
    expected = magnitude(
        mc.Q_(6 * x * y, "FLOP * Gparameter * Ttoken / (parameter * token)"), "FLOP"
    )
    assert within(result.to("FLOP"), expected)


@given(st.data(), tokens, params)
def test_tokens_per_parameter_contains_quotients(
    data: st.DataObject, d: mc.Estimate, n: mc.Estimate
) -> None:
    """For every d in D and n in N, d/n lies in the derived tokens per parameter."""
    result = tokens_per_parameter_from(d, n)
    x, y = data.draw(members(d)).magnitude, data.draw(members(n)).magnitude
    if y == 0:
        return
    assert within(result, magnitude(mc.Q_(x / y, "Ttoken/Gparameter"), "token/parameter"))


@given(st.data(), params, st.sampled_from(list(BYTES_PER_PARAMETER)))
def test_weights_contain_n_times_bytes(data: st.DataObject, n: mc.Estimate, precision: str) -> None:
    """For every n in N, n × bytes per parameter lies in the derived weights memory."""
    result = weights_memory_from(n, precision)
    x = data.draw(members(n)).magnitude
    per = magnitude(BYTES_PER_PARAMETER[precision], "B/parameter")
    assert within(result, x * 1e9 * per)


@given(
    st.data(),
    estimates(
        unit="GB", kinds=(mc.Bound.EXACT, mc.Bound.APPROX, mc.Bound.RANGE, mc.Bound.AT_LEAST)
    ),
    st.sampled_from([40, 80, 141, 372]),
)
def test_chips_to_hold_contain_the_ceiling_of_members(
    data: st.DataObject, w: mc.Estimate, memory: int
) -> None:
    """For every w in the weights, ⌈w ÷ memory⌉ lies in the count (both ends rounded up)."""
    per = mc.Estimate.exact(memory, "GB") / mc.Q_(1, "H100")
    result = accelerators_to_hold_from(w, per)
    x = data.draw(members(w)).magnitude
    count = math.ceil(float(f"{x / memory:.12g}"))
    lo, _, hi = result.interval("H100")
    assert lo <= count <= hi
    assert lo == math.ceil(lo)
    assert hi == math.inf or hi == math.ceil(hi)


@given(
    st.data(),
    estimates(unit="ZFLOP", kinds=(mc.Bound.EXACT, mc.Bound.APPROX, mc.Bound.RANGE)),
    estimates(unit="PFLOP/s", kinds=(mc.Bound.EXACT, mc.Bound.APPROX, mc.Bound.RANGE)),
    st.floats(0.01, 1),
)
def test_training_time_is_below_every_member_quotient(
    data: st.DataObject, c: mc.Estimate, p: mc.Estimate, u: float
) -> None:
    """For every c and p, c ÷ (p × u) is at least the derived time bound."""
    result = training_time_from(c, p, u)
    assert result.bound in (mc.Bound.AT_LEAST, mc.Bound.UNKNOWN)
    x, y = data.draw(members(c)).magnitude, data.draw(members(p)).magnitude
    if result.bound is mc.Bound.UNKNOWN or y <= 0:
        return
    days = x * 1e21 / (y * 1e15 * u) / 86400
    assert within(result, days)


@given(
    st.data(),
    estimates(unit="Gparameter", kinds=(mc.Bound.EXACT,)),
    estimates(unit="Ttoken", kinds=(mc.Bound.EXACT,)),
)
def test_compute_is_monotone(data: st.DataObject, n: mc.Estimate, d: mc.Estimate) -> None:
    """More parameters or more tokens never give less compute."""
    factor = data.draw(st.floats(1, 1000))
    n2 = mc.Estimate.exact(n.interval()[1] * factor, "Gparameter")
    d2 = mc.Estimate.exact(d.interval()[1] * factor, "Ttoken")
    base = training_compute_from(n, d)
    assert base <= training_compute_from(n2, d)
    assert base <= training_compute_from(n, d2)
    assert base <= training_compute_from(n2, d2)


@given(
    st.data(),
    st.sampled_from(list(mc.Bound)[:5]),
    estimates(unit="Ttoken", kinds=(mc.Bound.EXACT,)),
)
def test_compute_keeps_the_bound_kind(data: st.DataObject, kind: mc.Bound, d: mc.Estimate) -> None:
    """An "at least" N gives an "at least" compute (likewise every kind, with exact D;
    an "about" N gives a range: a computed figure is not a source's rounding)."""
    n = data.draw(estimates(unit="Gparameter", kinds=(kind,)))
    want = mc.Bound.RANGE if n.bound is mc.Bound.APPROX else n.bound
    assert training_compute_from(n, d).bound is want
    assert weights_memory_from(n).bound is want


def test_at_least_count_gives_at_least_power(reg: mc.Registry) -> None:
    """≥ in, ≥ out: the Grok H100 count is ≥, so are all its hardware totals."""
    grok = reg["Grok"]
    count = grok.value("training_accelerators")
    assert isinstance(count, mc.Estimate)
    assert count.bound is mc.Bound.AT_LEAST
    for field in HARDWARE_FIELDS:
        v = grok.value(field)
        assert isinstance(v, mc.Estimate)
        assert v.bound is mc.Bound.AT_LEAST


@given(
    st.sampled_from(["token", "FLOP", "B", "W", "H100", "USD"]),
    estimates(unit="Ttoken", kinds=KNOWN_KINDS),
)
def test_compute_rejects_a_wrong_n(unit: str, d: mc.Estimate) -> None:
    """N must count parameters: anything else raises UnitError."""
    with pytest.raises(mc.UnitError):
        training_compute_from(mc.Estimate.exact(1, unit), d)


@given(
    st.sampled_from(["parameter", "FLOP", "B", "W", "H100", "USD"]),
    estimates(unit="Gparameter", kinds=KNOWN_KINDS),
)
def test_compute_rejects_a_wrong_d(unit: str, n: mc.Estimate) -> None:
    """D must count tokens: anything else raises UnitError."""
    with pytest.raises(mc.UnitError):
        training_compute_from(n, mc.Estimate.exact(1, unit))


@pytest.mark.parametrize(
    "call",
    [
        lambda: tokens_per_parameter_from(
            mc.Estimate.exact(1, "parameter"), mc.Estimate.exact(1, "parameter")
        ),
        lambda: weights_memory_from(mc.Estimate.exact(1, "token")),
        lambda: chinchilla_ratio_from(mc.Estimate.exact(20, "token")),
        lambda: training_time_from(mc.Estimate.exact(1, "W"), mc.Estimate.exact(1, "FLOP/s")),
        lambda: training_time_from(mc.Estimate.exact(1, "FLOP"), mc.Estimate.exact(1, "FLOP")),
        lambda: accelerators_to_hold_from(mc.Estimate.exact(1, "GB"), mc.Estimate.exact(1, "GB")),
        lambda: accelerators_to_hold_from(
            mc.Estimate.exact(1, "token"), mc.Estimate.exact(1, "GB") / mc.Q_(1, "H100")
        ),
    ],
)
def test_wrong_dimensions_raise_unit_error(call: Callable[[], object]) -> None:
    """Every figure checks its inputs' dimensions."""
    with pytest.raises(mc.UnitError):
        call()


# ── figures a float cannot hold, and zero ───────────────────────────────────────

EXTREME_PARAMETERS = [
    '{ exact = 1e-300, unit = "parameter" }',  # 10 T tokens ÷ 1e-300 overflows
    '{ exact = 1e308, unit = "parameter" }',  # × 2 B, × 6 · 10 T tokens overflow
]


def test_a_figure_infinite_in_base_units_is_refused_at_load(data_file: WriteFile) -> None:
    """1e300 T parameters is a float, but not a finite number of parameters: the
    loader refuses it, naming the file, line, record and field."""
    text = model_file("acme", [("parameters", '{ exact = 1e300, unit = "Tparameter" }')])
    path = data_file(text)
    with pytest.raises(mc.DataFileError, match="too large") as info:
        mc.load_registry(paths=[path])
    err = info.value
    assert (err.path, err.field) == (str(path), "value")
    assert err.line is not None
    assert "1e300" in text.splitlines()[err.line - 1]
    assert err.record is not None
    assert "parameters" in err.record


@pytest.mark.parametrize("parameters", EXTREME_PARAMETERS)
def test_extreme_figures_derive_nothing_instead_of_raising(
    data_file: WriteFile, parameters: str
) -> None:
    """A model whose figures loaded but overflow the arithmetic: claims(), value(),
    compare() and `modelcompare show` work; what cannot be computed is not derived."""
    text = model_file(
        "acme",
        [("parameters", parameters), ("training_tokens", '{ exact = 10, unit = "Ttoken" }')],
    )
    path = data_file(text)
    reg = mc.load_registry(paths=[path])
    m = reg["acme"]
    claims = m.claims()
    assert [c.field for c in claims if c.status is not mc.Status.DERIVED] == [
        "parameters",
        "training_tokens",
    ]
    for c in claims:
        assert isinstance(c.value, mc.Estimate)
        lo, _, hi = c.value.interval()
        assert not math.isnan(lo), c
        assert not math.isnan(hi), c
    for field in DERIVED_FIELDS:
        value = m.value(field)
        assert value is None or (isinstance(value, mc.Estimate) and value.is_known)
        assert (value is None) == (m.claims(field) == ())
    table = mc.compare(["acme", "Phi-3-mini"], registry=reg, vs="Phi-3-mini")
    assert table.rows[0][0].text != "—"
    assert table.to_markdown().startswith("| Model | Parameters")
    out = io.StringIO()
    assert cli.main(["--data", str(path), "show", "acme"], out=out) == 0
    assert "parameters:" in out.getvalue()


def test_overflow_leaves_out_only_the_fields_it_breaks(data_file: WriteFile) -> None:
    """1e-300 parameters: 6·N·D (6 × 10⁻²⁸⁷ FLOP) is derived; tokens per parameter
    (10²⁵ ÷ 10⁻³⁰⁰) overflows and is left out."""
    m = user_model(
        data_file,
        [
            ("parameters", '{ exact = 1e-300, unit = "parameter" }'),
            ("training_tokens", '{ exact = 10, unit = "Ttoken" }'),
        ],
    )
    assert m.claims("tokens_per_parameter") == ()
    compute = derived_claim(m, "training_compute")
    assert isinstance(compute.value, mc.Estimate)
    assert compute.value.interval("FLOP")[1] == pytest.approx(6e-300 * 10e12)


def test_zero_parameters_derive_nothing_instead_of_raising() -> None:
    """A registry built in Python (no loader check) with 0 parameters: tokens per
    parameter would divide by exactly zero, so it is not derived; the rest is."""
    source = mc.Source(id="s", title="S", language="en", path="s.txt")
    claims = tuple(
        mc.Claim("zero", field, value, mc.Status.OFFICIAL, (mc.Citation(source, "q"),))
        for field, value in (
            ("parameters", mc.Estimate.exact(0, "parameter")),
            ("training_tokens", mc.Estimate.exact(10, "Ttoken")),
        )
    )
    model = mc.Model(id="zero", name="Zero", organization="O", stated_claims=claims)
    reg = mc.Registry([model], {"s": source})
    m = reg["zero"]
    assert m.claims("tokens_per_parameter") == ()
    assert m.value("tokens_per_parameter") is None
    assert m.value("weights_memory") == mc.Estimate.exact(0, "B")
    assert [c.field for c in m.claims()][:2] == ["parameters", "training_tokens"]
    table = mc.compare(["Zero"], ["parameters", "tokens_per_parameter"], registry=reg, vs="Zero")
    assert [cell.text for cell in table.rows[0]] == ["0", "—", "—", "—"]  # no ratio 0 ÷ 0


# ── work done once ────────────────────────────────────────────────────────────


def test_chip_kinds_read_the_accelerator_claims_once_per_kind(
    reg: mc.Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gathering MAI-1-preview's two kinds of chip lists its accelerator claims once,
    plus once per kind to reconcile its count (model.value), not again per kind."""
    from modelcompare import derived

    calls: list[str | None] = []
    claims = mc.Model.claims

    def counting(self: mc.Model, field: str | None = None) -> tuple[mc.Claim, ...]:
        calls.append(field)
        return claims(self, field)

    monkeypatch.setattr(mc.Model, "claims", counting)
    kinds = derived._kinds(reg, reg["MAI-1-preview"])
    assert [k.symbol for k in kinds] == ["H100", "GB200"]
    assert str(kinds[0].count.value if kinds[0].count else None) == "≈15,000 H100"
    assert kinds[1].count is None
    assert calls.count("training_accelerators") == 1 + len(kinds)


def test_a_weights_figure_reads_its_precision_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """weights_memory() and weights_memory_from() look the precision up once per figure."""
    from modelcompare import derived

    calls: list[str] = []
    lookup = derived._precision

    def counting(precision: str) -> str:
        calls.append(precision)
        return lookup(precision)

    monkeypatch.setattr(derived, "_precision", counting)
    claim = mc.weights_memory("Phi-3-mini", " INT4 ")
    assert claim is not None
    assert str(claim.value) == "1.9 GB"
    assert calls == [" INT4 "]
    calls.clear()
    assert str(weights_memory_from(mc.Estimate.exact(70, "Gparameter"), "fp8")) == "70 GB"
    assert calls == ["fp8"]
