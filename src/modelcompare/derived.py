"""Derived fields: figures computed on demand from a model's claims and the
hardware catalog, each a :class:`~modelcompare.Claim` with ``status="derived"``,
a ``formula``, the ``inputs`` it used (model claims and catalog spec claims,
whose citations hold the quotes) and a ``note`` stating its basis.

>>> import modelcompare as mc
>>> reg = mc.load_registry()
>>> claim = reg["Phi-3-mini"].claims("training_compute")[0]
>>> str(claim.value), claim.formula
('7.524 × 10²² FLOP', '6 · N · D')
>>> [str(i.value) for i in claim.inputs]
['3.8 B parameters', '3.3 T tokens']

The fields (see :data:`~modelcompare.FIELDS`):

``training_compute``
    6 · N · D (Kaplan et al. 2020), N the active parameters of a mixture of
    experts, the total otherwise; D the training tokens. A reported figure
    stays its own claim beside the derived one.
``tokens_per_parameter``
    D / N, with the same N (compare :func:`chinchilla_ratio`).
``weights_memory``
    N × 2 bytes (BF16), N the *total* parameters: every expert is held in
    memory. Other precisions: :func:`weights_memory`.
``training_peak_compute``, ``training_power``, ``training_h100_equivalents``
    summed over the kinds of chip the model was trained on: count × dense BF16
    peak, count × rated TDP, count × (dense BF16 peak ÷ the H100's), each per
    unit of the catalog's default variant of that chip (a GB200 unit is a
    superchip of 2 GPUs). A kind named without a count (or missing from the
    catalog) adds an unknown, non-negative amount: the sum is a lower bound.
``training_time_at_peak``
    a lower bound: training compute ÷ peak compute, i.e. at 100% utilization,
    as the name says. :func:`training_time` gives the bound at another
    utilization (0.4 unless told), as its own claim (field ``training_time``,
    with the utilization in its formula and note). For a fine-tuned model (a
    ``base_model`` claim), whose training compute may include its base model's
    training on other hardware, the compute is ``finetune_compute`` (formula
    ``C_ft / P``); with no fine-tuning compute (or zero), nothing is derived.

Bounds propagate through :class:`~modelcompare.Estimate` arithmetic (an
"at least" input gives an "at least" result). Where an input is missing, or
the claims on an input contradict each other, nothing is derived; nor where
the arithmetic has no answer: a division by an input that is exactly zero
(:class:`~modelcompare.DivisionByZeroError`) or a result too large for a float
(:class:`~modelcompare.InvalidValueError`). :func:`derive` never raises for
data that loaded; the public functions (:func:`weights_memory` …) do raise
those errors, since they are asked for one figure.

The TDP in ``training_power``
-----------------------------
The catalog words some TDPs as ceilings ("at most 700 W" for the H100 SXM,
configurable downwards). Multiplying an "at least" count by an "at most"
power bounds nothing, so ``training_power`` is defined as the *rated*
accelerator power: count × each chip's TDP rating, the top of its spec
interval (700 W for the H100 SXM). A chip draws at most its TDP, so the real
draw of those chips is at most the figure for a given count; host CPUs,
networking and cooling are not counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .errors import ConflictError, InvalidValueError, UnitError, UnknownFieldError
from .estimate import Bound, Estimate, _classify, _from_interval, _mul
from .model import Model
from .reconcile import inputs_rest_on_rumors
from .records import Claim, PartialDate, Status
from .units import (
    Q_,
    accelerator_symbol,
    base_units,
    dimensionality,
    factor,
    is_accelerator,
    per_unit_pair,
    units_label,
)
from .units import unit as parse_unit

if TYPE_CHECKING:
    from .records import Accelerator


class Catalog(Protocol):
    """What a derivation reads besides the model: the hardware catalog of the
    registry the model is in (:class:`~modelcompare.Registry` is one)."""

    def accelerator(self, name: str) -> Accelerator:
        """The catalog entry for a chip's id or unit; UnknownFieldError if none."""
        ...


__all__ = [
    "BYTES_PER_PARAMETER",
    "CHINCHILLA_TOKENS_PER_PARAMETER",
    "FLOP_PER_PARAMETER_TOKEN",
    "REFERENCE_ACCELERATOR",
    "Catalog",
    "Precision",
    "accelerators_to_hold_from",
    "accelerators_to_hold_of",
    "check_utilization",
    "chinchilla_ratio_from",
    "chinchilla_ratio_of",
    "derive",
    "tokens_per_parameter_from",
    "training_compute_from",
    "training_time_from",
    "training_time_of",
    "weights_memory_from",
    "weights_of",
]

#: Training FLOP per parameter per token: 2 for the forward pass, 4 for the
#: backward pass (Kaplan et al. 2020, "Scaling Laws for Neural Language
#: Models", arXiv:2001.08361, section 2.1; attention and embedding FLOPs neglected).
FLOP_PER_PARAMETER_TOKEN: Any = Q_(6, "FLOP/(parameter*token)")

#: Tokens per parameter of compute-optimal training: about 20 (Hoffmann et al.
#: 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
#: the "Chinchilla" paper: 70 B parameters trained on 1.4 T tokens; its
#: table 3 estimates roughly 20 tokens per parameter at every size). A rule of
#: thumb, taken here as the reference value 20.
CHINCHILLA_TOKENS_PER_PARAMETER: Any = Q_(20, "token/parameter")

#: The precisions :func:`weights_memory` knows.
Precision = Literal["fp32", "fp16", "bf16", "fp8", "int8", "int4"]

#: Bytes per parameter of each precision (INT4: two parameters per byte,
#: before any quantization scales).
BYTES_PER_PARAMETER: Mapping[str, Any] = {
    "fp32": Q_(4, "B/parameter"),
    "fp16": Q_(2, "B/parameter"),
    "bf16": Q_(2, "B/parameter"),
    "fp8": Q_(1, "B/parameter"),
    "int8": Q_(1, "B/parameter"),
    "int4": Q_(0.5, "B/parameter"),
}

_PRECISION_NAMES = {
    "fp32": "FP32",
    "fp16": "FP16",
    "bf16": "BF16",
    "fp8": "FP8",
    "int8": "INT8",
    "int4": "INT4",
}

#: The chip whose dense BF16 peak ``training_h100_equivalents`` counts in.
REFERENCE_ACCELERATOR = "H100"


# ── figures from estimates (pure, unit-checked) ──────────────────────────────────


def _need_dim(e: Estimate, unit: str, what: str) -> None:
    want = dimensionality(parse_unit(unit))
    if dimensionality(e.units) != want:
        raise UnitError(
            f"{what} must be a quantity of {want} such as {unit!r} "
            f"(got {units_label(e.units)}, {e.dimensionality or 'dimensionless'})"
        )


def training_compute_from(parameters: Estimate, tokens: Estimate) -> Estimate:
    """6 · N · D in FLOP (see :data:`FLOP_PER_PARAMETER_TOKEN`), bounded honestly.

    >>> from modelcompare import Estimate
    >>> str(training_compute_from(Estimate.exact(3.8, "Gparameter"), Estimate.exact(3.3, "Ttoken")))
    '7.524 × 10²² FLOP'
    >>> str(training_compute_from(Estimate.at_least(1, "Tparameter"), Estimate.exact(10, "Ttoken")))
    '≥6 × 10²⁵ FLOP'

    :class:`UnitError` unless ``parameters`` counts parameters and ``tokens`` tokens.
    """
    _need_dim(parameters, "parameter", "N")
    _need_dim(tokens, "token", "D")
    fast = _compute_fast(parameters, tokens)
    if fast is not None:
        return fast
    result: Estimate = (parameters * tokens * FLOP_PER_PARAMETER_TOKEN).to("FLOP")
    return result


_Ends = tuple[float, float, float]


@per_unit_pair
def _compute_factors(n_units: Any, d_units: Any) -> tuple[float, float, float]:
    """The factors 6 · N · D needs, per pair of units of N and D: the base factors
    of N·D and of N·D·(FLOP per parameter-token), and how many FLOP one of the latter is."""
    nd = n_units * d_units
    ndf = nd * FLOP_PER_PARAMETER_TOKEN.units
    flop = factor(ndf, parse_unit("FLOP"))
    return factor(nd, base_units(nd)), factor(ndf, base_units(ndf)), flop


def _product(a: _Ends, b: _Ends, base: float) -> tuple[Bound, _Ends] | None:
    """The bound kind and the ends of the Estimate that ``a * b`` builds (for
    factors whose product is not dimensionless), from the floats as
    :class:`Estimate` computes them; None where building it could raise (an
    overflow, a figure not finite in base units: the caller takes the slow path)."""
    alo, an, ahi = a
    blo, bn, bhi = b
    try:
        ends = [_mul(x, y) for x in (alo, ahi) for y in (blo, bhi)]
        n = _mul(an, bn) if math.isfinite(an) and math.isfinite(bn) else math.nan
    except InvalidValueError:
        return None
    lo, hi = min(ends), max(ends)
    kind = _classify(lo, hi, False)
    if kind is Bound.EXACT:
        n = lo
    elif math.isfinite(n) and not lo <= n <= hi:
        n = min(max(n, lo), hi)
    if (lo != -math.inf and not math.isfinite(lo)) or (hi != math.inf and not math.isfinite(hi)):
        return None
    for x in (lo, n, hi):
        if math.isfinite(x) and not math.isfinite(x * base):
            return None
    return kind, (lo, n, hi)


#: 6 FLOP per parameter per token, as the Estimate arithmetic makes of it.
_SIX = (6.0, 6.0, 6.0)


def _compute_fast(parameters: Estimate, tokens: Estimate) -> Estimate | None:
    """``(parameters * tokens * FLOP_PER_PARAMETER_TOKEN).to("FLOP")``, the same
    Estimate, without building the two products in between (their pint units
    and quantities); None where that could raise (then the slow path says why)."""
    base_nd, base_ndf, to_flop = _compute_factors(parameters._unit, tokens._unit)
    nd = _product(parameters._ends, tokens._ends, base_nd)
    if nd is None:
        return None
    ndf = _product(nd[1], _SIX, base_ndf)
    if ndf is None:
        return None
    kind, (lo, n, hi) = ndf
    if to_flop != 1.0:
        lo, n, hi = lo * to_flop, n * to_flop, hi * to_flop
    return _from_interval(lo, n, hi, parse_unit("FLOP"), kind, keep_bound=True)


def tokens_per_parameter_from(tokens: Estimate, parameters: Estimate) -> Estimate:
    """D / N in tokens per parameter.

    >>> from modelcompare import Estimate
    >>> d, n = Estimate.exact(3.3, "Ttoken"), Estimate.exact(3.8, "Gparameter")
    >>> str(tokens_per_parameter_from(d, n))
    '868… tokens/parameter'
    """
    _need_dim(tokens, "token", "D")
    _need_dim(parameters, "parameter", "N")
    return (tokens / parameters).to("token/parameter")


def chinchilla_ratio_from(tokens_per_parameter: Estimate) -> Estimate:
    """Tokens per parameter over the compute-optimal ~20
    (:data:`CHINCHILLA_TOKENS_PER_PARAMETER`): a pure number, 1 at compute-optimal.

    >>> from modelcompare import Estimate
    >>> str(chinchilla_ratio_from(Estimate.about(40, "token/parameter")))
    '1.75–2.25'
    """
    _need_dim(tokens_per_parameter, "token/parameter", "tokens per parameter")
    result: Estimate = (tokens_per_parameter / CHINCHILLA_TOKENS_PER_PARAMETER).to("dimensionless")
    return result


def _precision(precision: str) -> str:
    """The key of ``precision`` in :data:`BYTES_PER_PARAMETER` (``" BF16 "`` -> ``bf16``);
    :class:`UnknownFieldError` with suggestions for one it does not know."""
    key = precision.strip().lower() if isinstance(precision, str) else precision
    if key not in BYTES_PER_PARAMETER:
        import difflib

        close = difflib.get_close_matches(str(key), list(BYTES_PER_PARAMETER), n=3, cutoff=0.5)
        raise UnknownFieldError(str(precision), close or list(BYTES_PER_PARAMETER), "precision")
    return key


def _weights_bytes(parameters: Estimate, per: Any) -> Estimate:
    """N × ``per`` (bytes per parameter), in bytes."""
    _need_dim(parameters, "parameter", "N")
    result: Estimate = (parameters * per).to("B")
    return result


def weights_memory_from(parameters: Estimate, precision: Precision | str = "bf16") -> Estimate:
    """N × bytes per parameter (:data:`BYTES_PER_PARAMETER`), in bytes.

    >>> from modelcompare import Estimate
    >>> str(weights_memory_from(Estimate.exact(70, "Gparameter"), "int4"))
    '35 GB'

    :class:`UnknownFieldError` for a precision it does not know.
    """
    return _weights_bytes(parameters, BYTES_PER_PARAMETER[_precision(precision)])


def _ceil(x: float) -> float:
    """The ceiling of ``x`` after rounding to 12 significant digits, so that
    float noise (``44.00000000000001``) does not add a whole chip."""
    if not math.isfinite(x) or x == 0:
        return x
    return float(math.ceil(float(f"{x:.12g}")))


def accelerators_to_hold_from(weights: Estimate, memory_per_unit: Estimate) -> Estimate:
    """How many units' memory ``weights`` fill: ⌈weights ÷ memory per unit⌉,
    the low and high ends each rounded up (so the interval stays sound).

    ``memory_per_unit`` is bytes per chip (``80 GB/H100``); the result counts
    that chip.

    >>> from modelcompare import Estimate, Q_
    >>> per_h100 = Estimate.exact(80, "GB") / Q_(1, "H100")
    >>> str(accelerators_to_hold_from(Estimate.exact(140, "GB"), per_h100))
    '2 H100'
    >>> str(accelerators_to_hold_from(Estimate.between(100, 300, "GB"), per_h100))
    '2–4 H100'
    """
    _need_dim(weights, "B", "the weights")
    count = weights / memory_per_unit
    if not _is_accelerator_count(count):
        raise UnitError(
            "memory_per_unit must be bytes per accelerator such as 80 GB/H100 "
            f"(got {units_label(memory_per_unit.units)})"
        )
    count = count.to(accelerator_symbol(Q_(1, count.units)))
    lo, n, hi = (_ceil(x) for x in count.interval())
    # the bound kind follows the rounded ends (exact where they meet); n is clipped into them
    return _from_interval(lo, n, hi, count.units, Bound.RANGE)


def _is_accelerator_count(e: Estimate) -> bool:
    return bool(is_accelerator(Q_(1, e.units)))


def check_utilization(utilization: float) -> float:
    if (
        isinstance(utilization, bool)
        or not isinstance(utilization, int | float)
        or not 0 < utilization <= 1
    ):
        raise ValueError(f"utilization must be a number in (0, 1] (got {utilization!r})")
    return float(utilization)


def training_time_from(compute: Estimate, peak: Estimate, utilization: float = 1.0) -> Estimate:
    """A lower bound on training time in days: compute ÷ (peak × utilization).

    Hardware sustaining at most ``utilization`` of its peak needs at least
    that long, so the result is "at least" the smallest such quotient: the
    low end of the compute over the high end of the peak. Where that is not
    a positive finite figure (an "at most" compute, or an "at least" peak),
    the result is :meth:`Estimate.unknown`. The nominal is the quotient of the
    nominal values.

    >>> from modelcompare import Estimate
    >>> c, p = Estimate.exact(1e25, "FLOP"), Estimate.exact(10, "EFLOP/s")
    >>> str(training_time_from(c, p)), str(training_time_from(c, p, 0.4))
    ('≥11.5 days', '≥28.9 days')

    :class:`ValueError` unless ``0 < utilization <= 1``.
    """
    u = check_utilization(utilization)
    _need_dim(compute, "FLOP", "the compute")
    _need_dim(peak, "FLOP/s", "the peak compute")
    q = (compute / (peak * u)).to("day")
    lo, n, _ = q.interval()
    if not (math.isfinite(lo) and lo > 0):
        return Estimate.unknown("day")
    return _from_interval(lo, n if math.isfinite(n) else lo, math.inf, q.units, Bound.AT_LEAST)


# ── gathering inputs ───────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Input:
    """A reconciled value and the claims it was reconciled from."""

    value: Estimate
    claims: tuple[Claim, ...]


def _quantity(model: Model, field: str, unit: str | None = None) -> _Input | None:
    """The value of ``field`` (of ``unit``'s kind) with its claims, or None where
    there is no figure. :class:`ConflictError` where the claims contradict."""
    every = model.claims(field)
    # a lone claim's value is the value (as Model.value gives it)
    value = every[0].value if unit is None and len(every) == 1 else model.value(field, unit)
    if not isinstance(value, Estimate) or not value.is_known:
        return None
    claims = tuple(
        c
        for c in every
        if isinstance(c.value, Estimate)
        and dimensionality(c.value.units) == dimensionality(value.units)
    )
    return _Input(value, claims)


@dataclass(frozen=True, slots=True)
class _N:
    """The parameter count compute and tokens-per-parameter use."""

    value: Estimate
    claims: tuple[Claim, ...]
    """The parameter claims."""
    architecture: tuple[Claim, ...]
    """The architecture claims that chose them."""
    basis: str


def _n_and_d(model: Model) -> tuple[_N, _Input] | None:
    """N (see :func:`_compute_parameters`) and D (training tokens), or None
    where either is missing."""
    n = _compute_parameters(model)
    d = _quantity(model, "training_tokens")
    return None if n is None or d is None else (n, d)


def _compute_parameters(model: Model) -> _N | None:
    """N for 6·N·D: the active parameters where a value is given, else the total
    unless a source says mixture of experts (then total would overstate it)."""
    arch = model.value("architecture")
    arch_claims = model.claims("architecture")
    active = _quantity(model, "active_parameters")
    if active is not None:
        why = "mixture of experts" if arch == "moe" else "parameters used per token"
        return _N(active.value, active.claims, arch_claims, f"active parameters ({why})")
    if arch == "moe":
        return None
    total = _quantity(model, "parameters")
    if total is None:
        return None
    why = "dense" if arch == "dense" else "no source gives the architecture: counted as dense"
    return _N(total.value, total.claims, arch_claims, f"total parameters ({why})")


def _leaves(claims: Iterable[Claim]) -> Iterable[Claim]:
    for c in claims:
        if c.status is Status.DERIVED:
            yield from _leaves(c.inputs)
        else:
            yield c


def _make(
    model: Model,
    field: str,
    value: Estimate,
    formula: str,
    inputs: Sequence[Claim],
    note: str,
) -> Claim | None:
    """The derived claim, or None where the value bounds nothing."""
    lo, _, hi = value.interval()
    if not value.is_known or (math.isinf(lo) and math.isinf(hi)):
        return None
    inputs = list({id(c): c for c in inputs}.values())  # each claim once, in order
    leaves = list(_leaves(inputs))
    if inputs_rest_on_rumors(inputs):
        note += " Rests on rumored claims (see the inputs)."
    dates = [c.as_of for c in leaves if c.as_of is not None]
    as_of: PartialDate | None = max(dates, key=str) if dates else None
    return Claim(
        subject=model.id,
        field=field,
        value=value,
        status=Status.DERIVED,
        as_of=as_of,
        note=note,
        formula=formula,
        inputs=tuple(inputs),
    )


# ── model fields ─────────────────────────────────────────────────────────────


def _training_compute(registry: Catalog, model: Model) -> Claim | None:
    nd = _n_and_d(model)
    if nd is None:
        return None
    n, d = nd
    value = training_compute_from(n.value, d.value)
    note = (
        "About 6 FLOP per parameter per token for a forward and backward pass "
        "(Kaplan et al. 2020; attention and embedding FLOPs neglected). "
        f"N = {n.basis}, {n.value}; D = training tokens, {d.value}."
    )
    inputs = [*n.claims, *d.claims, *n.architecture]
    return _make(model, "training_compute", value, "6 · N · D", inputs, note)


def _tokens_per_parameter(registry: Catalog, model: Model) -> Claim | None:
    nd = _n_and_d(model)
    if nd is None:
        return None
    n, d = nd
    value = tokens_per_parameter_from(d.value, n.value)
    note = (
        f"D = training tokens, {d.value}; N = {n.basis}, {n.value}. "
        "Compute-optimal training (Hoffmann et al. 2022, Chinchilla) is about "
        "20 tokens per parameter."
    )
    inputs = [*d.claims, *n.claims, *n.architecture]
    return _make(model, "tokens_per_parameter", value, "D / N", inputs, note)


def _weights(model: Model, precision: str) -> Claim | None:
    key = _precision(precision)
    per = BYTES_PER_PARAMETER[key]
    total = _quantity(model, "parameters")
    if total is None:
        return None
    value = _weights_bytes(total.value, per)
    name = _PRECISION_NAMES[key]
    try:
        moe = model.value("architecture") == "moe"
    except ConflictError:
        moe = False
    inputs = total.claims + (model.claims("architecture") if moe else ())
    held = " (a mixture of experts: every expert is held in memory)" if moe else ""
    note = (
        f"N = total parameters, {total.value}{held}, × {per.magnitude:g} B per parameter "
        f"({name}). The weights alone: no KV cache, activations or optimizer state."
    )
    return _make(model, "weights_memory", value, f"N · {per.magnitude:g} B ({name})", inputs, note)


def _weights_memory(registry: Catalog, model: Model) -> Claim | None:
    return _weights(model, "bf16")


@dataclass(frozen=True, slots=True)
class _Kind:
    """One kind of chip a model was trained on."""

    symbol: str
    count: _Input | None
    """None where the sources name the chip without a count."""
    claims: tuple[Claim, ...]
    accelerator: Accelerator | None
    """The catalog's default variant, or None where the catalog has none."""


def _kinds(registry: Catalog, model: Model) -> list[_Kind]:
    """The kinds of chip of ``model``'s training accelerators, in order of first
    appearance, each with its claims and its count (one pass over the claims)."""
    by_symbol: dict[str, list[Claim]] = {}
    for c in model.claims("training_accelerators"):
        if isinstance(c.value, Estimate):
            by_symbol.setdefault(accelerator_symbol(Q_(1, c.value.units)), []).append(c)
    out = []
    for sym, claims in by_symbol.items():
        value = model.value("training_accelerators", sym)
        known = isinstance(value, Estimate) and value.is_known
        count = _Input(value, tuple(claims)) if isinstance(value, Estimate) and known else None
        out.append(_Kind(sym, count, tuple(claims), _catalog(registry, sym)))
    return out


def _catalog(registry: Catalog, symbol: str) -> Accelerator | None:
    try:
        return registry.accelerator(symbol)
    except UnknownFieldError:
        return None


def _per_unit_text(accel: Accelerator, figure: Estimate, spec: str) -> str:
    """'H100: 989.5 TFLOP/s dense BF16 peak per GPU (NVIDIA H100 SXM5 80 GB, h100-sxm, …)'."""
    if accel.form_factor == "superchip" or accel.gpus_per_unit > 1:
        per_gpu = figure / accel.gpus_per_unit
        unit = f"per {accel.form_factor} of {accel.gpus_per_unit} GPUs, i.e. {per_gpu} per GPU"
    else:
        unit = "per chip" if accel.form_factor == "chip" else "per GPU"
    which = f"the catalog's default {accel.unit} variant" if accel.default else "catalog variant"
    return f"{accel.unit}: {figure} {spec} {unit} ({accel.name}, {accel.id}, {which})"


def _hardware_sum(
    registry: Catalog,
    model: Model,
    field: str,
    target: str,
    per_unit: Callable[[_Kind], tuple[Estimate, tuple[Claim, ...], str] | None],
    formula: str,
    basis: str,
    spec_field: str,
) -> Claim | None:
    """Σ over kinds of chip of count × a per-unit figure (in ``target`` units).

    ``per_unit(kind)`` gives the figure per unit of that chip (an Estimate of
    ``target`` per chip), the catalog claims it rests on and a line saying so;
    None where the catalog has no figure. A kind without a count or without a
    figure adds an unknown, non-negative amount: the sum becomes "at least".
    """
    kinds = _kinds(registry, model)
    total: Estimate | None = None
    inputs: list[Claim] = []
    lines: list[str] = []
    open_ended: list[str] = []
    for kind in kinds:
        inputs.extend(kind.claims)
        figure = per_unit(kind) if kind.accelerator is not None else None
        if kind.count is None:
            open_ended.append(f"{kind.symbol}: used, but no source gives how many")
            continue
        if figure is None:
            open_ended.append(
                f"{kind.symbol}: {kind.count.value}, but the catalog has no {spec_field} "
                "figure for it"
            )
            continue
        per, spec_claims, line = figure
        part = (kind.count.value * per).to(target)
        total = part if total is None else total + part
        inputs.extend(spec_claims)
        lines.append(line)
    if total is None:
        return None
    if open_ended:
        total = total + Estimate.at_least(0, target)
    note = basis + " " + "; ".join(lines) + "."
    if open_ended:
        note += " " + "; ".join(open_ended) + ": the sum is a lower bound."
    return _make(model, field, total, formula, inputs, note)


def _spec_per_unit(kind: _Kind, spec_field: str) -> tuple[Estimate, Claim] | None:
    accel = kind.accelerator
    assert accel is not None
    spec = accel.spec(spec_field)
    if spec is None or not isinstance(spec.value, Estimate) or not spec.value.is_known:
        return None
    return spec.value, spec


def _training_peak_compute(registry: Catalog, model: Model) -> Claim | None:
    def per_unit(kind: _Kind) -> tuple[Estimate, tuple[Claim, ...], str] | None:
        found = _spec_per_unit(kind, "bf16_dense")
        if found is None:
            return None
        figure, spec = found
        assert kind.accelerator is not None
        line = _per_unit_text(kind.accelerator, figure, "dense BF16 peak")
        return figure / Q_(1, kind.symbol), (spec,), line

    return _hardware_sum(
        registry,
        model,
        "training_peak_compute",
        "FLOP/s",
        per_unit,
        "Σ count · dense BF16 peak per unit",
        "Training accelerators × the dense BF16 Tensor Core peak per unit.",
        "bf16_dense",
    )


def _rated(tdp: Estimate) -> Estimate | None:
    """A TDP as its rating: the top of the spec interval (``≤700 W`` → 700 W)."""
    _, _, hi = tdp.interval()
    return Estimate.exact(hi, tdp.units) if math.isfinite(hi) else None


def _training_power(registry: Catalog, model: Model) -> Claim | None:
    def per_unit(kind: _Kind) -> tuple[Estimate, tuple[Claim, ...], str] | None:
        found = _spec_per_unit(kind, "tdp")
        if found is None:
            return None
        stated, spec = found
        rated = _rated(stated)
        if rated is None:
            return None
        assert kind.accelerator is not None
        line = _per_unit_text(kind.accelerator, rated, "TDP")
        if stated.bound is not Bound.EXACT:
            line += f" (stated as {stated}: taken at its rated maximum)"
        return rated / Q_(1, kind.symbol), (spec,), line

    return _hardware_sum(
        registry,
        model,
        "training_power",
        "W",
        per_unit,
        "Σ count · TDP per unit",
        "Rated power of the training accelerators: count × each unit's TDP rating. "
        "A chip draws at most its TDP; host CPUs, networking and cooling are not counted.",
        "tdp",
    )


def _training_h100_equivalents(registry: Catalog, model: Model) -> Claim | None:
    ref_accel = _catalog(registry, REFERENCE_ACCELERATOR)
    if ref_accel is None:
        return None
    ref_spec = ref_accel.spec("bf16_dense")
    if ref_spec is None or not isinstance(ref_spec.value, Estimate) or not ref_spec.value.is_known:
        return None
    ref = ref_spec.value / Q_(1, REFERENCE_ACCELERATOR)
    ref_line = _per_unit_text(ref_accel, ref_spec.value, "dense BF16 peak")

    def per_unit(kind: _Kind) -> tuple[Estimate, tuple[Claim, ...], str] | None:
        if kind.symbol == REFERENCE_ACCELERATOR:
            one = Estimate.exact(1, f"{REFERENCE_ACCELERATOR}/{kind.symbol}")
            return one, (), f"{kind.symbol}: 1 each (by definition)"
        found = _spec_per_unit(kind, "bf16_dense")
        if found is None:
            return None
        figure, spec = found
        assert kind.accelerator is not None
        ratio = (figure / Q_(1, kind.symbol)) / ref
        line = _per_unit_text(kind.accelerator, figure, "dense BF16 peak")
        each = ratio.to(f"{REFERENCE_ACCELERATOR}/{kind.symbol}")
        return each, (spec, ref_spec), f"{line}, i.e. {each.interval()[1]:.3g} H100 each"

    return _hardware_sum(
        registry,
        model,
        "training_h100_equivalents",
        REFERENCE_ACCELERATOR,
        per_unit,
        "Σ count · (dense BF16 peak per unit ÷ H100 dense BF16 peak)",
        f"Training accelerators counted in H100s by dense BF16 peak; {ref_line}.",
        "bf16_dense",
    )


@dataclass(frozen=True, slots=True)
class _RunCompute:
    """The compute of the training run the training accelerators did."""

    compute: _Input
    what: str
    """``training compute`` or ``fine-tuning compute``."""
    why: tuple[Claim, ...]
    """The claims that chose it (a fine-tune's base model)."""
    because: str
    """What the note says of the choice (empty: nothing)."""


def _run_compute(model: Model) -> _RunCompute | None:
    """The compute the training accelerators did: the training compute; for a
    fine-tuned model (a source names its base model), whose training compute may
    include the base model's training on hardware not listed, only the
    fine-tuning compute, or None where no source gives it (or gives zero: no
    fine-tuning run). Dividing a total that includes pretraining by the
    fine-tuning hardware's peak would give a "lower bound" above the true time."""
    base = model.claims("base_model")
    if not base:
        compute = _quantity(model, "training_compute")
        return None if compute is None else _RunCompute(compute, "training compute", (), "")
    tuned = _quantity(model, "finetune_compute")
    if tuned is None or not tuned.value.interval()[2] > 0:
        return None
    names = "; ".join(dict.fromkeys(str(c.value) for c in base))
    because = (
        f" The model is fine-tuned from {names} (base_model): its training compute may "
        "include the base model's training, which the training accelerators listed did "
        "not run, so the fine-tuning compute alone is used."
    )
    return _RunCompute(tuned, "fine-tuning compute", base, because)


def _time(model: Model, utilization: float, field: str = "training_time") -> Claim | None:
    u = check_utilization(utilization)
    run = _run_compute(model)
    peak = _quantity(model, "training_peak_compute")
    if run is None or peak is None:
        return None
    compute = run.compute
    value = training_time_from(compute.value, peak.value, u)
    note = (
        f"A lower bound: {run.what} ({compute.value}) ÷ (peak compute "
        f"({peak.value}) × utilization {u:.0%}); hardware sustaining at most "
        f"{u:.0%} of its peak needs at least this long.{run.because}"
    )
    c = "C" if not run.why else "C_ft"
    formula = f"{c} / P" if u == 1 else f"{c} / (P · {u:g})"
    inputs = [*compute.claims, *run.why, *peak.claims]
    return _make(model, field, value, formula, inputs, note)


def _training_time_at_peak(registry: Catalog, model: Model) -> Claim | None:
    return _time(model, 1.0, "training_time_at_peak")


_DERIVERS: dict[str, Callable[[Catalog, Model], Claim | None]] = {
    "training_compute": _training_compute,
    "tokens_per_parameter": _tokens_per_parameter,
    "weights_memory": _weights_memory,
    "training_peak_compute": _training_peak_compute,
    "training_power": _training_power,
    "training_h100_equivalents": _training_h100_equivalents,
    "training_time_at_peak": _training_time_at_peak,
}


def derive(registry: Catalog, model: Model, field: str) -> tuple[Claim, ...]:
    """The derived claims of ``field`` for ``model``: one, or none where an input
    is missing, its claims contradict each other, or the arithmetic has no
    answer (see the module doc). Never raises for data that loaded."""
    fn = _DERIVERS.get(field)
    if fn is None:
        return ()
    try:
        claim = fn(registry, model)
    except ConflictError:
        return ()
    except (ArithmeticError, ValueError):
        # DivisionByZeroError (a ZeroDivisionError) for an input that is exactly
        # zero; InvalidValueError (a ValueError) for a result a float cannot hold
        # (1e308 parameters × 2 B, 10 T tokens ÷ 1e-300 parameters); OverflowError
        # from unit conversion. No figure is better than a wrong one.
        return ()
    return () if claim is None else (claim,)


# ── public functions on models ─────────────────────────────────────────────────


def weights_of(model: Model, precision: Precision | str = "bf16") -> Claim | None:
    """The memory the weights of ``model`` take at ``precision``, as a derived
    claim (see :func:`modelcompare.weights_memory`, which looks the model up)."""
    return _weights(model, precision)


def accelerators_to_hold_of(
    model: Model, accel: Accelerator, precision: Precision | str = "bf16"
) -> Claim | None:
    """How many units of the catalog entry ``accel`` the weights of ``model`` fill
    (see :func:`modelcompare.accelerators_to_hold`)."""
    weights = _weights(model, precision)
    if weights is None:
        return None
    assert isinstance(weights.value, Estimate)
    found = accel.spec("memory")
    if found is None or not isinstance(found.value, Estimate) or not found.value.is_known:
        return None
    memory = found.value
    value = accelerators_to_hold_from(weights.value, memory / Q_(1, accel.unit))
    per = _per_unit_text(accel, memory, "memory")
    note = (
        f"Weights {weights.value} ({weights.formula}) in whole units of accelerator memory: {per}. "
        "The weights alone: no KV cache, activations or optimizer state."
    )
    return _make(
        model, "accelerators_to_hold", value, "⌈weights ÷ memory per unit⌉", [weights, found], note
    )


def training_time_of(model: Model, utilization: float = 0.4) -> Claim | None:
    """The training-time lower bound of ``model`` at ``utilization`` (see
    :func:`modelcompare.training_time`)."""
    return _time(model, check_utilization(utilization))


def chinchilla_ratio_of(model: Model) -> Claim | None:
    """The tokens per parameter of ``model`` over Chinchilla's ~20 (see
    :func:`modelcompare.chinchilla_ratio`)."""
    tpp = _quantity(model, "tokens_per_parameter")
    if tpp is None:
        return None
    value = chinchilla_ratio_from(tpp.value)
    note = (
        f"Tokens per parameter ({tpp.value}) ÷ 20, the compute-optimal ratio of "
        "Hoffmann et al. 2022 (Chinchilla: 70 B parameters, 1.4 T tokens)."
    )
    return _make(model, "chinchilla_ratio", value, "(D / N) ÷ 20", tpp.claims, note)
