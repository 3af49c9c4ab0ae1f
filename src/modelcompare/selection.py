"""Choosing, sorting and finding models: :func:`select`, :func:`sort_models`, :func:`search`.

:meth:`Registry.select <modelcompare.Registry.select>` and
:meth:`Registry.search <modelcompare.Registry.search>` call these over the
registry's models; the command line's ``--org``, ``--has``, ``--sort`` … too.

Choosing
--------
Every filter given must hold (they combine with *and*); a filter given
several values holds when any of them does (``organization=["Microsoft",
"OpenAI"]``). Names are matched as the registry looks models up: case, spaces
and punctuation do not matter. A value that no model has (``organization=
"Microsft"``) raises :class:`~modelcompare.UnknownFieldError` with
suggestions rather than choosing nothing; a valid combination that no model
satisfies gives an empty tuple.

``has=FIELD``
    The model has at least one claim on the field, stated or derived: its
    cell in a comparison is not ``—``. A count that names only the chip
    (MAI-1-preview's ``? GB200``) is a claim: the table shows it.

Sorting
-------
By a field's value, **by the nominal figure** (in base units, so prefixes
do not matter): the figure the source states, whatever its qualifier. So
``≥100,000`` sorts as 100,000 and ``≈15,000`` as 15,000: in ascending order
``≈15,000`` comes first. A bound says nothing of how much more (or less), so
it is not moved. A range sorts by its nominal (its midpoint unless the
source gives one).

* **Equal nominal figures** are ordered by the low end, then the high end
  (:meth:`Estimate.sort_key <modelcompare.Estimate.sort_key>`): ascending,
  ``≤15,000`` (no low end), then ``≈15,000`` (14,500), then ``15,000``, then
  ``≥15,000`` (15,000, no high end); descending, the reverse.
* **Ties** (the same figures and bounds) **keep the order they came in**, in
  either direction: the sort is stable.
* **Missing values sort last**, in either direction, in the order they came
  in: no claim on the field, a figure the source does not give (``?``), or
  claims that contradict each other (there is no one value to sort by).
* A rank sorts by position (``#1`` first in ascending order); text fields
  (``architecture``) alphabetically, case folded.
* Besides the fields, ``name``, ``organization``, ``family`` and
  ``announced`` (the date; a date known to the month sorts before the days
  of that month) sort by the model's own facts.
* An accelerator count sorts by the number of chips only where every value
  counts the same kind of chip; otherwise :class:`~modelcompare.UnitError`
  (sort by ``training_h100_equivalents`` instead).

>>> import modelcompare as mc
>>> reg = mc.load_registry()
>>> [m.name for m in reg.select(organization="microsoft", family="Phi", has="mmlu")]
['Phi-3-mini', 'Phi-3-small', 'Phi-3-medium']
>>> chips = reg.select(has="training_accelerators", sort="training_accelerators")
>>> [(m.name, str(m.value("training_accelerators"))) for m in chips]
[('MAI-1-preview', '≈15,000 H100'), ('Grok', '≥100,000 H100')]
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from .errors import ConflictError, InvalidValueError, UnitError, UnknownFieldError
from .estimate import Estimate
from .fields import FIELDS, FieldKind, get_field
from .loader import normalize as _key
from .model import Model
from .records import MODALITIES, ModelStatus, Rank
from .units import units_label

__all__ = ["MODEL_SORT_KEYS", "search", "select", "sort_models"]

#: What :func:`sort_models` can sort by besides the fields: the model's own facts.
MODEL_SORT_KEYS: tuple[str, ...] = ("name", "organization", "family", "announced")


class _Named(Protocol):
    """What :func:`search` looks in: a :class:`Model` or its :class:`ModelSummary`."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def organization(self) -> str: ...
    @property
    def note(self) -> str | None: ...


_N = TypeVar("_N", bound=_Named)


def _values(value: str | Iterable[str] | None) -> list[str] | None:
    """A filter's values as a list (a single string is one value); None for no filter."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    out = list(value)
    for v in out:
        if not isinstance(v, str):
            raise InvalidValueError(f"a filter's values must be text (got {v!r})")
    return out


def _matcher(
    kind: str, wanted: list[str] | None, known: Iterable[str]
) -> Callable[[str | None], bool] | None:
    """A test of a model's ``kind`` (organization, family…) against ``wanted``;
    :class:`UnknownFieldError` for a wanted value no model has."""
    if wanted is None:
        return None
    choices = list(dict.fromkeys(known))
    by_key = {_key(c): c for c in choices}
    keys = set()
    for w in wanted:
        k = _key(w)
        if k not in by_key:
            close = difflib.get_close_matches(k, list(by_key), n=3, cutoff=0.5)
            raise UnknownFieldError(w, [by_key[c] for c in close], kind=kind)
        keys.add(k)
    return lambda v: v is not None and _key(v) in keys


def select(
    models: Iterable[Model],
    *,
    organization: str | Iterable[str] | None = None,
    family: str | Iterable[str] | None = None,
    modality: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    has: str | Iterable[str] | None = None,
    where: Callable[[Model], bool] | None = None,
    sort: str | None = None,
    descending: bool = False,
    limit: int | None = None,
) -> tuple[Model, ...]:
    """The ``models`` that pass every filter given, in their order (or sorted by
    ``sort``, see :func:`sort_models`), the first ``limit`` of them if given.

    ``organization``, ``family``, ``modality`` and ``status`` match the model's
    (any of several values); ``has`` names fields the model must have a claim
    on (every one of them); ``where`` is any test of a :class:`Model`. A value
    that none of ``models`` has raises :class:`~modelcompare.UnknownFieldError`
    with suggestions (for ``has``, a name that is not a field does).
    """
    pool = tuple(models)
    tests: list[Callable[[Model], bool]] = []
    org = _matcher("organization", _values(organization), (m.organization for m in pool))
    if org is not None:
        tests.append(lambda m: org(m.organization))
    fam = _matcher("family", _values(family), (m.family for m in pool if m.family))
    if fam is not None:
        tests.append(lambda m: fam(m.family))
    mod = _matcher("modality", _values(modality), MODALITIES)
    if mod is not None:
        tests.append(lambda m: mod(m.modality))
    stat = _matcher("status", _values(status), (s.value for s in ModelStatus))
    if stat is not None:
        tests.append(lambda m: stat(m.status.value))
    for name in _values(has) or []:
        tests.append(_has(get_field(name).name))
    if where is not None:
        if not callable(where):
            raise InvalidValueError(f"where must be a function of a Model (got {where!r})")
        tests.append(lambda m: bool(where(m)))
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidValueError(f"limit must be a whole number ≥ 1 (got {limit!r})")
    chosen = tuple(m for m in pool if all(t(m) for t in tests))
    if sort is not None:
        chosen = sort_models(chosen, sort, descending=descending)
    elif descending:
        raise InvalidValueError("descending needs sort: the field to sort by")
    return chosen[:limit] if limit is not None else chosen


def _has(field: str) -> Callable[[Model], bool]:
    return lambda m: bool(m.claims(field))


# -- sorting ----------------------------------------------------------------------------------
def _sort_field_error(name: str) -> UnknownFieldError:
    choices = [*FIELDS, *MODEL_SORT_KEYS]
    key = name.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(name, str) else ""
    close = difflib.get_close_matches(key, choices, n=3, cutoff=0.5)
    return UnknownFieldError(str(name), close)


def _model_key(m: Model, by: str) -> Any:
    if by == "announced":
        return m.announced
    value = getattr(m, by)
    return None if value is None else value.casefold()


def _field_key(m: Model, field: str) -> Any:
    """What ``m`` sorts by on ``field``: an Estimate, a Rank, text, or None (last)."""
    try:
        value = m.value(field)
    except ConflictError:
        return None
    if isinstance(value, Estimate) and not value.is_known:
        return None
    return value


def sort_models(models: Iterable[Model], by: str, *, descending: bool = False) -> tuple[Model, ...]:
    """``models`` sorted by the field (or model fact) ``by``: by nominal figure,
    ties in the order given, missing values last (see the module doc).

    :class:`~modelcompare.UnknownFieldError` with suggestions for a name that
    is neither a field nor one of :data:`MODEL_SORT_KEYS`.
    """
    pool = tuple(models)
    by_key = by.strip().lower() if isinstance(by, str) else by
    keys: list[Any]
    if by_key in MODEL_SORT_KEYS:
        keys = [_model_key(m, by_key) for m in pool]
    else:
        try:
            spec = get_field(by)
        except UnknownFieldError:
            raise _sort_field_error(by) from None
        keys = [_field_key(m, spec.name) for m in pool]
        if spec.kind is FieldKind.QUANTITY:
            keys = _nominals(keys, spec.dimension, spec.name)
        elif spec.kind is FieldKind.RELATION:
            keys = [str(k).casefold() if k is not None else None for k in keys]
        elif spec.kind in (FieldKind.CATEGORY, FieldKind.TEXT):
            keys = [k.casefold() if isinstance(k, str) else None for k in keys]
        else:
            keys = [k.position if isinstance(k, Rank) else None for k in keys]
    present = [(k, m) for k, m in zip(keys, pool, strict=True) if k is not None]
    absent = [m for k, m in zip(keys, pool, strict=True) if k is None]
    # sorted() is stable with reverse=True too: equal keys keep the order given
    ordered = sorted(present, key=lambda km: km[0], reverse=descending)
    return tuple(m for _, m in ordered) + tuple(absent)


def _nominals(values: Sequence[Any], dimension: str | None, field: str) -> list[Any]:
    """Each estimate's :meth:`Estimate.sort_key <modelcompare.Estimate.sort_key>`
    (nominal in base units, then low end, then high end); None where not an estimate."""
    estimates = [v for v in values if isinstance(v, Estimate)]
    if dimension == "accelerator" and estimates:
        first = estimates[0]
        for e in estimates[1:]:
            if e.dimensionality != first.dimensionality:
                raise UnitError(
                    f"cannot sort by {field!r}: the models count different chips "
                    f"({units_label(first.units)} and {units_label(e.units)}); "
                    "sort by 'training_h100_equivalents' instead"
                )
    return [v.sort_key() if isinstance(v, Estimate) else None for v in values]


# -- finding --------------------------------------------------------------------------------
def search(models: Iterable[_N], text: str) -> tuple[_N, ...]:
    """The models (or their summaries) whose name, aliases, id, organization or note contain
    ``text`` (case, accents, spaces and punctuation do not matter; several
    words must each appear, anywhere among those). Best matches first: the
    name or an alias equal to ``text``, then containing it, then the
    organization, then the note, then words found apart; ties in the order given.

    :class:`~modelcompare.InvalidValueError` for text with no letter or digit.
    """
    query = _key(text) if isinstance(text, str) else ""
    words = [w for w in (_key(x) for x in text.split()) if w] if isinstance(text, str) else []
    if not query:
        raise InvalidValueError(f"search needs text with a letter or a digit (got {text!r})")
    ranked: list[tuple[int, int, _N]] = []
    for i, m in enumerate(models):
        names = [_key(x) for x in (m.name, m.id, *m.aliases)]
        places = [_key(m.organization), _key(m.note or "")]
        if query in names:
            rank = 0
        elif any(query in n for n in names):
            rank = 1
        elif query in places[0]:
            rank = 2
        elif query in places[1]:
            rank = 3
        elif len(words) > 1 and all(any(w in p for p in (*names, *places)) for w in words):
            rank = 4
        else:
            continue
        ranked.append((rank, i, m))
    return tuple(m for _, _, m in sorted(ranked, key=lambda t: (t[0], t[1])))
