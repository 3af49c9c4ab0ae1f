"""Reconciling claims that agree, and finding those that do not.

The rule: a quantity field's value is the **intersection** of its claims'
intervals, the narrowest interval consistent with every claim. Its nominal
value is that of the narrowest claim (clipped into the intersection). Claims
whose intervals do not meet contradict each other: :meth:`Model.value`
raises :class:`ConflictError`, and :func:`conflicts` lists them. Derived
claims count only where no source states the field.

Accelerator counts of different chips are different dimensions: a model
trained on H100s and GB200s has one claim per kind; the value is that of the
kind with a figure (the first such kind in the data), or the ``unit`` asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .errors import ConflictError, UnitError
from .estimate import Bound, Estimate, Ordering, _classify, _close, _from_interval
from .fields import FIELDS, FieldKind, FieldSpec, get_field
from .records import Status
from .units import base_units, dimension_key, factor, per_unit, unit_text, units_label
from .units import unit as parse_unit

if TYPE_CHECKING:
    from .records import Claim, ClaimValue


class ModelLike(Protocol):
    """What reconciling reads of a model (a :class:`~modelcompare.Model` has it)."""

    @property
    def id(self) -> str:
        """Its id."""

    @property
    def name(self) -> str:
        """Its name."""

    @property
    def stated_claims(self) -> tuple[Claim, ...]:
        """The claims the data files make."""

    def claims(self, field: str | None = None) -> tuple[Claim, ...]:
        """Every claim about it (on ``field``), derived ones included."""
        ...


__all__ = [
    "Conflict",
    "Discrepancy",
    "ModelLike",
    "accumulate",
    "conflicts",
    "disagree",
    "discrepancies",
    "disjoint",
    "inputs_rest_on_rumors",
    "intersect",
    "is_rumored",
    "needs",
    "reconcile",
    "rests_on",
]


def rests_on(claims: Sequence[Claim]) -> tuple[Claim, ...]:
    """The claims a value rests on: the stated ones where there are any; derived
    ones only fill a gap, where no source states the field (as
    :meth:`Model.value <modelcompare.Model.value>` reconciles them)."""
    return tuple(c for c in claims if c.status is not Status.DERIVED) or tuple(claims)


def needs(claims: Sequence[Claim], value: ClaimValue, kind: Callable[[Claim], bool]) -> bool:
    """True when ``value``, reconciled from ``claims``, needs the claims of ``kind``:
    without them it would be missing or wider (or, for a text or relation field,
    say less)."""
    others = [c.value for c in claims if not kind(c)]
    if len(others) == len(claims):
        return False
    if not others:
        return True
    if isinstance(value, Estimate):
        return intersect([o for o in others if isinstance(o, Estimate)]) != value
    spec = FIELDS.get(claims[0].field)
    if spec is not None and spec.accumulates:  # a description or a model only they give
        return _said(claims) != _said([c for c in claims if not kind(c)])
    return False


def _said(claims: Sequence[Claim]) -> set[str]:
    """What claims of a text or relation field say: every text, every model id."""
    from .records import Related

    out: set[str] = set()
    for c in claims:
        out |= set(c.value.ids) if isinstance(c.value, Related) else {str(c.value)}
    return out


def is_rumored(claim: Claim) -> bool:
    """A rumor; or a derived figure computed from an input value that rests on
    rumors (:func:`inputs_rest_on_rumors`): the rule a cell's † follows, so that a
    derived figure is marked exactly when the value it is computed from is."""
    if claim.status is Status.RUMORED:
        return True
    return claim.status is Status.DERIVED and inputs_rest_on_rumors(claim.inputs)


def inputs_rest_on_rumors(inputs: Sequence[Claim]) -> bool:
    """Whether any value a derivation computes from ``inputs`` rests on rumors.

    The inputs are the claims of each value it used (every claim of that field
    and kind of unit, of the model or a catalog entry); each value is reconciled
    from them as :meth:`Model.value <modelcompare.Model.value>` does (stated
    claims first, see :func:`rests_on`), and rests on rumors when it
    :func:`needs` the rumored ones (:func:`is_rumored`): a rumored ≥500 B beside
    a reported 500 B leaves the value 500 B, resting on the report alone."""
    groups: dict[tuple[str, str, str], list[Claim]] = {}
    for c in inputs:
        dim = dimension_key(c.value.units) if isinstance(c.value, Estimate) else ""
        groups.setdefault((c.subject, c.field, dim), []).append(c)
    for group in groups.values():
        pool = rests_on(group)
        if not any(map(is_rumored, pool)):
            continue
        value: ClaimValue | None
        if all(isinstance(c.value, Estimate) for c in pool):
            value = intersect([c.value for c in pool])  # type: ignore[misc]
        elif _accumulates(pool):
            value = accumulate(pool)
        else:
            value = pool[0].value
        if value is None or needs(pool, value, is_rumored):
            return True
    return False


def intersect(estimates: Sequence[Estimate]) -> Estimate | None:
    """The narrowest estimate consistent with all of ``estimates`` (same
    dimension), or None where they do not overlap. Unknown ones add nothing."""
    known = [e for e in estimates if e.is_known]
    if not known:
        return estimates[0] if estimates else None
    if len(known) == 1:
        return known[0]
    units = known[0].units
    ivals = [e.interval(units) for e in known]
    lo = max(i[0] for i in ivals)
    hi = min(i[2] for i in ivals)
    if lo > hi and not _close(lo, hi):  # touching ends count, as for ==
        return None
    hi = max(hi, lo)
    narrowest = min(range(len(known)), key=lambda k: ivals[k][2] - ivals[k][0])
    nominal = min(max(ivals[narrowest][1], lo), hi)
    approx = any(
        e.bound is Bound.APPROX and i[0] == lo and i[2] == hi
        for e, i in zip(known, ivals, strict=True)
    )
    kind = _classify(lo, hi, approx)
    return _from_interval(lo, nominal, hi, units, kind, keep_bound=True)


def _groups(claims: Sequence[Claim], unit: str | None) -> list[list[Claim]]:
    groups: dict[str, list[Claim]] = {}
    for c in claims:
        assert isinstance(c.value, Estimate)
        groups.setdefault(dimension_key(c.value.units), []).append(c)
    out = list(groups.values())
    if unit is not None:
        want = dimension_key(parse_unit(unit))
        out = [g for g in out if dimension_key(g[0].value.units) == want]  # type: ignore[union-attr]
    return out


def reconcile(
    model: ModelLike, claims: Sequence[Claim], field: str, unit: str | None = None
) -> ClaimValue | None:
    """The value of ``field`` the ``claims`` agree on (see the module doc)."""
    if not claims:
        return None
    spec = get_field(field)
    if spec.accumulates:
        return accumulate(claims)
    if spec.kind is not FieldKind.QUANTITY:
        values = list(dict.fromkeys(c.value for c in claims))
        if len(values) > 1:
            raise ConflictError(model.name, spec.name, [_describe(c) for c in claims])
        return values[0]
    if unit is not None and not _accepts(spec, unit):
        raise UnitError(f"{unit!r} is not a unit of {spec.name!r}")
    groups = _groups(claims, unit)
    if not groups:
        return None
    counted = [g for g in groups if any(c.value.is_known for c in g)]  # type: ignore[union-attr]
    group = (counted or groups)[0]
    result = intersect([c.value for c in group])  # type: ignore[misc]
    if result is None:
        raise ConflictError(model.name, spec.name, [_describe(c) for c in group])
    if unit is not None and unit_text(result.units) != unit:  # (already in it: as it is)
        result = result.to(unit)
    return result


_ACCEPTS: dict[tuple[FieldKind, str | None, str], bool] = {}


def _accepts(spec: FieldSpec, unit: str) -> bool:
    """``spec.accepts(unit)``, cached per kind of field and unit (an error is not)."""
    key = (spec.kind, spec.dimension, unit)
    found = _ACCEPTS.get(key)
    if found is None:
        found = _ACCEPTS[key] = spec.accepts(unit)
    return found


def accumulate(claims: Sequence[Claim]) -> ClaimValue | None:
    """What the claims of a text or relation field say together: every model they
    relate to (a :class:`~modelcompare.Related`, in order of first appearance), or
    every distinct text, joined by ``"; "``. None for no claims."""
    from .records import Related

    if not claims:
        return None
    related = [c.value for c in claims if isinstance(c.value, Related)]
    if related:
        named: dict[str, str] = {}
        for r in related:
            for i, n in zip(r.ids, r.names or r.ids, strict=True):
                named.setdefault(i, n)
        return Related(tuple(named), tuple(named.values()))
    return "; ".join(dict.fromkeys(str(c.value) for c in claims))


def _accumulates(claims: Sequence[Claim]) -> bool:
    """True when the claims are on a text or relation field (they add up)."""
    spec = FIELDS.get(claims[0].field) if claims else None
    return spec is not None and spec.accumulates


def _describe(c: Claim) -> str:
    cited = ", ".join(s.id for s in c.sources)
    return f"{c.value} ({c.status.value}, {cited})"


@dataclass(frozen=True, slots=True)
class Conflict:
    """Claims on one field of one model that cannot all be true."""

    model: ModelLike
    field: str
    claims: tuple[Claim, ...]
    """Every claim of that field (and kind of unit)."""
    pairs: tuple[tuple[Claim, Claim], ...]
    """The pairs of claims that contradict each other."""

    def __str__(self) -> str:
        listed = "; ".join(f"{a.value} vs {b.value}" for a, b in self.pairs)
        return f"{self.model.name} {self.field}: {listed}"

    def __repr__(self) -> str:
        """One line: model, field, the contradicting values (the claims are attributes)."""
        listed = "; ".join(f"{a.value} vs {b.value}" for a, b in self.pairs)
        return f"<Conflict {self.model.id} {self.field}: {listed}>"


def disjoint(a: Claim, b: Claim) -> bool:
    """True when two claims cannot both be true (their intervals do not meet, or
    their categories differ; descriptions and relations never do)."""
    if _accumulates([a]):
        return False
    if isinstance(a.value, Estimate) and isinstance(b.value, Estimate):
        return intersect([a.value, b.value]) is None
    return a.value != b.value


def conflicts(models: Sequence[ModelLike]) -> tuple[Conflict, ...]:
    """Every set of stated claims that contradict each other, model by model, field by
    field (derived claims are estimates beside the sources, not sources)."""
    out: list[Conflict] = []
    for m in models:
        by_field: dict[str, list[Claim]] = {}
        for c in m.stated_claims:
            by_field.setdefault(c.field, []).append(c)
        for name, claims in by_field.items():
            spec = get_field(name)
            groups = _groups(claims, None) if spec.kind is FieldKind.QUANTITY else [claims]
            for g in groups:
                pairs = tuple((a, b) for i, a in enumerate(g) for b in g[i + 1 :] if disjoint(a, b))
                if pairs:
                    out.append(Conflict(m, name, tuple(g), pairs))
    return tuple(out)


def disagree(claims: Sequence[Claim]) -> bool:
    """True when the claims a value rests on state different values (consistent or
    not): the stated claims where there are any, as in :meth:`Model.value`."""
    if len(claims) < 2:  # (one claim states one value)
        return False
    if _accumulates(claims):  # descriptions and relations add up: they never differ
        return False
    known = [
        c.value for c in rests_on(claims) if not isinstance(c.value, Estimate) or _known(c.value)
    ]
    # more than one distinct value, as a set of them would count: one differs from the first
    return any(not same_value(known[0], v) for v in known[1:])


def _known(e: Estimate) -> bool:
    """``e.is_known``, from its floats (a nominal value is finite or NaN)."""
    return math.isfinite(e._ends[1])


@per_unit
def _base_of(u: Any) -> tuple[str, float]:
    """The label of ``u``'s base units and how many of them one ``u`` is."""
    base = base_units(u)
    return units_label(base), factor(u, base)


def same_value(a: Any, b: Any) -> bool:
    """``b in {a}``: ``a == b`` (for estimates, as :meth:`Estimate.__eq__` says,
    from their floats and cached unit factors, with no pint work per value)."""
    if a is b:
        return True
    if not (isinstance(a, Estimate) and isinstance(b, Estimate)):
        return bool(a == b)
    if a.bound is not b.bound:
        return False
    (ua, fa), (ub, fb) = _base_of(a._unit), _base_of(b._unit)
    if ua != ub:
        return False
    ea = a._ends if fa == 1.0 else tuple(x * fa for x in a._ends)
    eb = b._ends if fb == 1.0 else tuple(x * fb for x in b._ends)
    return all(map(_close, ea, eb))


#: Stated fields a derived field estimates, where the names differ: modelcompare's
#: training_time_at_peak is a lower bound on the stated training_duration.
_STATED_FOR = {"training_time_at_peak": "training_duration"}


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """A figure modelcompare derives that a source's stated figure contradicts:
    their intervals do not meet (the derived one is certainly lower or higher)."""

    model: ModelLike
    field: str
    derived: Claim
    stated: Claim
    derived_is: str
    """``"lower"`` or ``"higher"``: where the derived interval lies."""

    def __str__(self) -> str:
        sources = ", ".join(s.title for s in self.stated.sources)
        inputs = ", ".join(sorted({s.title for s in self.derived.sources})) or "the catalog"
        return (
            f"{self.model.name} {self.field}: derived {self.derived.value} "
            f"({self.derived.formula}; from {inputs}) is {self.derived_is} than stated "
            f"{self.stated.value} ({self.stated.field}; {sources})"
        )


def discrepancies(models: Sequence[ModelLike]) -> tuple[Discrepancy, ...]:
    """Every derived claim that a stated claim on the same quantity contradicts."""
    from .records import Status

    out: list[Discrepancy] = []
    for m in models:
        for spec in FIELDS.values():
            if not spec.derived:
                continue
            derived = [c for c in m.claims(spec.name) if c.status is Status.DERIVED]
            if not derived:
                continue
            stated_field = _STATED_FOR.get(spec.name, spec.name)
            stated = [c for c in m.stated_claims if c.field == stated_field]
            for d in derived:
                for s in stated:
                    if not (isinstance(d.value, Estimate) and isinstance(s.value, Estimate)):
                        continue
                    if d.value.dimensionality != s.value.dimensionality:
                        continue  # counts of different chips: not the same quantity
                    if not (d.value.is_known and s.value.is_known):
                        continue
                    order = d.value.compare(s.value)
                    if order is Ordering.LESS or order is Ordering.GREATER:
                        side = "lower" if order is Ordering.LESS else "higher"
                        out.append(Discrepancy(m, spec.name, d, s, side))
    return tuple(out)
