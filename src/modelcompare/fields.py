"""The fields a claim can be about, and what each one's values must be."""

from __future__ import annotations

import difflib
import functools
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .errors import UnknownFieldError
from .estimate import Estimate as _Estimate
from .units import Q_, factor, is_accelerator, units_label
from .units import unit as parse_unit

__all__ = ["ACCELERATOR_FIELDS", "FIELDS", "FieldKind", "FieldSpec", "get_field"]


class FieldKind(StrEnum):
    """What a field's values are."""

    QUANTITY = "quantity"  #: an Estimate
    RANK = "rank"  #: a Rank (ordinal)
    CATEGORY = "category"  #: one of ``choices``; two different ones contradict each other
    TEXT = "text"  #: a description in the data's words; several add up
    RELATION = "relation"  #: other models, by id (a :class:`~modelcompare.Related`); several add up


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field: its name, label, kind and (for quantities) its dimension.

    ``dimension`` is a unit whose dimension values must share (``parameter``),
    or ``"accelerator"`` for a count of any one kind of chip. Quantities must be
    positive, and within ``bounds`` (inclusive, in ``dimension``) where given.
    """

    name: str
    label: str
    kind: FieldKind
    description: str
    dimension: str | None = None
    choices: tuple[str, ...] = ()
    derived: bool = False
    stated: bool = True
    bounds: tuple[float, float] | None = None
    zero: bool = False
    """Zero is a figure of this field (a model trained on no datapoints), not only
    positive quantities."""

    @property
    def accumulates(self) -> bool:
        """True for text and relation fields: their claims add up (every description,
        every related model) rather than compete for one value."""
        return self.kind in (FieldKind.TEXT, FieldKind.RELATION)

    def accepts(self, unit: str) -> bool:
        """True when ``unit`` measures this field (any chip, for accelerator counts);
        :class:`UnitError` if ``unit`` is not a unit at all."""
        q = Q_(1, parse_unit(unit))
        if self.kind is not FieldKind.QUANTITY:
            return False
        if self.dimension == "accelerator":
            return is_accelerator(q)
        return bool(q.dimensionality == Q_(1, self.dimension).dimensionality)

    def check(self, value: Any) -> str | None:
        """None if ``value`` suits this field, else what was expected and got."""
        if self.kind is FieldKind.QUANTITY and type(value) is _Estimate:  # the usual case
            assert self.dimension is not None
            problem, f = _unit_verdict(self.dimension, value.units)
            if problem is not None:
                return problem
            lo, n, hi = value._ends
            return self._range_problem(value, (lo * f, n * f, hi * f) if f != 1.0 else (lo, n, hi))
        from .estimate import Estimate
        from .records import Rank, Related

        if self.kind is FieldKind.RANK:
            return None if isinstance(value, Rank) else f"expected a rank (got {value!r})"
        if self.kind is FieldKind.RELATION:
            if isinstance(value, Related):
                return None
            return f'expected models, as {{ models = ["gpt-4"] }} (got {value!r})'
        if self.kind in (FieldKind.CATEGORY, FieldKind.TEXT):
            if not isinstance(value, str) or not value.strip():
                return f'expected text, as {{ text = "…" }} (got {value!r})'
            if self.choices and value not in self.choices:
                return f"expected one of {', '.join(self.choices)} (got {value!r})"
            return None
        if not isinstance(value, Estimate):
            return f"expected a quantity (got {value!r})"
        assert self.dimension is not None
        problem = _dimension_problem(self.dimension, value.units)
        if problem is not None:
            return problem
        return self._check_range(value)

    def _check_range(self, value: Any) -> str | None:
        """None if every figure of ``value`` is positive and within ``bounds``."""
        unit = None if self.dimension == "accelerator" else self.dimension
        return self._range_problem(value, value.interval(unit))

    def _range_problem(self, value: Any, interval: tuple[float, float, float]) -> str | None:
        """:meth:`_check_range` of ``value``, given its interval in ``dimension``."""
        figures = [x for x in interval if math.isfinite(x)]
        if not figures:
            return None
        least, most = min(figures), max(figures)
        if self.zero and least < 0:
            return f"{self.name!r} must be zero or positive (got {value})"
        if not self.zero and least <= 0 and (self.bounds is None or self.bounds[0] > 0):
            return f"{self.name!r} must be positive (got {value})"
        if self.bounds is not None:
            lo, hi = self.bounds
            if not (lo <= least and most <= hi):
                span = f"{lo:g} and {hi:g} {self.dimension}"
                return f"{self.name!r} must lie between {span} (got {value})"
        return None


@functools.lru_cache(maxsize=4096)
def _unit_verdict(dimension: str, units: Any) -> tuple[str | None, float]:
    """:func:`_dimension_problem`, and the factor from ``units`` to ``dimension`` (1
    for a count of chips: they are checked in their own unit), cached per unit."""
    problem = _dimension_problem(dimension, units)
    if problem is not None or dimension == "accelerator":
        return problem, 1.0
    return None, factor(units, parse_unit(dimension))


@functools.lru_cache(maxsize=4096)
def _dimension_problem(dimension: str, units: Any) -> str | None:
    """None if a value in ``units`` measures ``dimension`` (``"accelerator"``: any
    chip), else what was expected and got; cached per unit, as it depends on nothing
    else."""
    q = Q_(1, units)
    if dimension == "accelerator":
        if is_accelerator(q):
            return None
        return f"must be a count of accelerators such as H100 or GB200 (got {units_label(units)})"
    want = Q_(1, dimension).dimensionality
    if q.dimensionality != want:
        return (
            f"must be a quantity of {want or 'dimensionless'} such as {dimension!r} "
            f"(got {units_label(units)}, {q.dimensionality or 'dimensionless'})"
        )
    return None


def _q(name: str, label: str, dimension: str, description: str, **kw: Any) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.QUANTITY, description, dimension, **kw)


_ALL = [
    _q("parameters", "Parameters", "parameter", "total parameter count"),
    _q(
        "active_parameters",
        "Active parameters",
        "parameter",
        "parameters used per token (mixture of experts)",
    ),
    _q("training_tokens", "Training tokens", "token", "tokens seen in training"),
    _q(
        "training_datapoints",
        "Training datapoints",
        "datapoint",
        "training set size in datapoints of a kind the source does not state as tokens",
        zero=True,
    ),
    _q(
        "training_accelerators",
        "Training accelerators",
        "accelerator",
        "accelerators used for training, one claim per kind of chip",
    ),
    _q(
        "inference_accelerators",
        "Inference accelerators",
        "accelerator",
        "accelerators the model runs on",
    ),
    _q(
        "training_compute",
        "Training compute",
        "FLOP",
        "training compute; also derived as 6·N·D (N: active parameters of a mixture of experts)",
        derived=True,
    ),
    _q(
        "finetune_compute",
        "Fine-tuning compute",
        "FLOP",
        "compute of the fine-tuning run alone (a fine-tuned model's training_compute may "
        "include its base model's training); zero: no fine-tuning",
        zero=True,
    ),
    _q(
        "training_duration",
        "Training duration (stated)",
        "day",
        "training time as a source states it (not the derived lower bound training_time_at_peak)",
    ),
    _q(
        "hardware_utilization",
        "Hardware utilization",
        "percent",
        "share of the accelerators' peak the training run achieved, as a source states it",
        bounds=(0.0, 100.0),
    ),
    _q(
        "training_cost_usd2023",
        "Training compute cost (2023 USD)",
        "USD",
        "cost of the training compute in US dollars of 2023",
    ),
    _q("mmlu", "MMLU", "percent", "MMLU accuracy", bounds=(0.0, 100.0)),
    _q("mt_bench", "MT-bench", "mt_bench_point", "MT-bench score (1–10)", bounds=(1.0, 10.0)),
    FieldSpec(
        "lmarena_text_rank",
        "LMArena text rank",
        FieldKind.RANK,
        "position on the LMArena text leaderboard",
    ),
    FieldSpec(
        "architecture",
        "Architecture",
        FieldKind.CATEGORY,
        "dense or mixture of experts",
        choices=("dense", "moe"),
    ),
    _q(
        "tokens_per_parameter",
        "Tokens per parameter",
        "token/parameter",
        "training tokens per parameter (compute-optimal ≈ 20)",
        derived=True,
        stated=False,
    ),
    _q(
        "weights_memory",
        "Weights memory",
        "B",
        "bytes of the weights at BF16: total parameters × 2 B",
        derived=True,
        stated=False,
    ),
    _q(
        "training_peak_compute",
        "Training peak compute",
        "FLOP/s",
        "accelerator count × dense BF16 peak",
        derived=True,
        stated=False,
    ),
    _q(
        "training_power",
        "Training power",
        "W",
        "power draw of training; derived as accelerator count × rated TDP (accelerators only)",
        derived=True,
    ),
    _q(
        "training_h100_equivalents",
        "Training H100-equivalents",
        "H100",
        "training accelerators in H100s by dense BF16 peak (≥ where a count is unknown)",
        derived=True,
        stated=False,
    ),
    _q(
        "training_time_at_peak",
        "Training time at peak",
        "day",
        "lower bound on training time at 100% utilization: compute ÷ dense BF16 peak compute "
        "(modelcompare.training_time takes other utilizations)",
        derived=True,
        stated=False,
    ),
    FieldSpec(
        "license",
        "Licence",
        FieldKind.CATEGORY,
        "how the model is published: open source or proprietary",
        choices=("open source", "proprietary"),
    ),
    FieldSpec(
        "release",
        "Release",
        FieldKind.TEXT,
        "how and where the model is, or may be, made available",
    ),
    FieldSpec(
        "provenance",
        "Provenance",
        FieldKind.TEXT,
        "who built the model, and from what",
    ),
    FieldSpec(
        "base_model",
        "Base model",
        FieldKind.TEXT,
        "the model it was fine-tuned from, as the source names it",
    ),
    FieldSpec(
        "description",
        "Description",
        FieldKind.TEXT,
        "what the model is, as a source describes it",
    ),
    FieldSpec(
        "development",
        "Development",
        FieldKind.TEXT,
        "where the model's development stands",
    ),
    FieldSpec(
        "training_data",
        "Training data",
        FieldKind.TEXT,
        "what the model was trained on",
    ),
    FieldSpec(
        "alignment",
        "Alignment",
        FieldKind.TEXT,
        "what the model is aligned or tuned for",
    ),
    FieldSpec(
        "rival_of",
        "Rival of",
        FieldKind.RELATION,
        "models a source sets it against (rivals, competitors)",
    ),
    FieldSpec(
        "same_class_as",
        "Same class as",
        FieldKind.RELATION,
        "models a source puts in its category or league",
    ),
]

#: Every field a model's claim can be about, by name.
FIELDS: dict[str, FieldSpec] = {f.name: f for f in _ALL}

#: The fields of an accelerator's spec sheet.
ACCELERATOR_FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in [
        _q("bf16_dense", "BF16 dense peak", "FLOP/s", "dense BF16 tensor peak, per unit"),
        _q("fp8_dense", "FP8 dense peak", "FLOP/s", "dense FP8 tensor peak, per unit"),
        _q("memory", "Memory", "B", "accelerator memory, per unit"),
        _q("memory_bandwidth", "Memory bandwidth", "B/s", "memory bandwidth, per unit"),
        _q("tdp", "TDP", "W", "thermal design power, per unit"),
    ]
}


def get_field(name: str, fields: dict[str, FieldSpec] | None = None) -> FieldSpec:
    """The field called ``name``; :class:`UnknownFieldError` with suggestions if none."""
    table = FIELDS if fields is None else fields
    if not isinstance(name, str):
        raise UnknownFieldError(repr(name), [])
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return table[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.5)
        raise UnknownFieldError(name, close) from None
