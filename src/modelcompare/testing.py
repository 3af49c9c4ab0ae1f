"""Hypothesis strategies and assertions for testing code that uses modelcompare.

Code that turns GPU counts into power, parameters into memory or FLOP into
GPU-days can be tried on every kind of value the registry holds::

    from hypothesis import given
    from modelcompare.testing import assert_sound, estimates

    @given(estimates(field="training_accelerators"))
    def test_power_is_sound(chips):
        assert_sound(training_megawatts, chips)

Strategies (each documents what it never generates):

- :func:`quantities`: pint quantities in the package's units, prefixed
  (``Gparameter``, ``kH100``, ``TFLOP/s``, ``GiB``), by dimension or by field;
- :func:`estimates`: :class:`~modelcompare.Estimate` s of every bound kind;
- :func:`members`: quantities inside an estimate's interval, its ends included;
- :func:`claims`, :func:`models`, :func:`registries`: records that pass the
  loader's checks and :meth:`Registry.validate <modelcompare.Registry.validate>`,
  their quotes standing verbatim in their sources' texts (temporary files);
- :func:`hostile_text`: text that breaks Markdown, LaTeX, HTML and CSV;
- :func:`stated_numbers`, :func:`units`: the numbers and units above.

Assertions, whose messages say what failed with units: :func:`assert_contains`,
:func:`assert_sound`, :func:`assert_same_quantity`. :func:`write_data_file`
writes a registry as a data file that :func:`~modelcompare.load_registry` reads back.

This module alone imports Hypothesis: install it with
``pip install 'modelcompare[testing]'`` (without it, importing this module
raises :class:`~modelcompare.MissingDependencyError`).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import itertools
import json
import math
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import InvalidValueError, MissingDependencyError, UnitError

try:
    from hypothesis import assume
    from hypothesis import strategies as st
except ImportError as _exc:  # pragma: no cover - tested in a subprocess
    if (_exc.name or "").partition(".")[0] != "hypothesis":
        raise
    raise MissingDependencyError(
        "hypothesis", "testing", "the strategies of modelcompare.testing"
    ) from None

from .estimate import Bound, Estimate
from .fields import FIELDS, FieldKind, FieldSpec, get_field
from .loader import normalize
from .model import Model
from .records import (
    MODALITIES,
    SOURCE_KINDS,
    Citation,
    Claim,
    ModelStatus,
    PartialDate,
    Rank,
    Related,
    Source,
    Status,
)
from .registry import Registry
from .units import Q_, units_label, ureg

__all__ = [
    "ALL_KINDS",
    "HOSTILE_TEXTS",
    "KNOWN_KINDS",
    "assert_contains",
    "assert_same_quantity",
    "assert_sound",
    "claims",
    "estimates",
    "hostile_text",
    "members",
    "models",
    "quantities",
    "registries",
    "stated_numbers",
    "unit_names",
    "units",
    "write_data_file",
]

#: Every bound kind, in the order strategies shrink towards (simplest first).
ALL_KINDS: tuple[Bound, ...] = (
    Bound.EXACT,
    Bound.APPROX,
    Bound.AT_LEAST,
    Bound.AT_MOST,
    Bound.RANGE,
    Bound.UNKNOWN,
)
#: The bound kinds with a figure (every kind but ``unknown``).
KNOWN_KINDS: tuple[Bound, ...] = ALL_KINDS[:-1]

# -- units -------------------------------------------------------------------------------------
#: The units strategies draw from, each dimension's base unit first (it shrinks to it).
_UNITS: tuple[str, ...] = (
    *("parameter", "kparameter", "Mparameter", "Gparameter", "Tparameter"),
    *("token", "ktoken", "Mtoken", "Gtoken", "Ttoken"),
    *("FLOP", "GFLOP", "TFLOP", "PFLOP", "EFLOP", "ZFLOP"),
    *("FLOP/s", "GFLOP/s", "TFLOP/s", "PFLOP/s", "EFLOP/s"),
    *("B", "kB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB"),
    *("B/s", "GB/s", "TB/s"),
    *("W", "kW", "MW", "GW"),
    *("J", "Wh", "kWh", "MWh", "GWh"),
    *("s", "min", "h", "day"),
    *("USD", "kUSD", "MUSD", "GUSD"),
    *("dimensionless", "percent"),
    "mt_bench_point",
)


@functools.cache
def _accelerator_units() -> tuple[str, ...]:
    """The chips ``units.txt`` defines, H100 first, each also in thousands
    (``kH100``). Not the chips data files declare when they load (Epoch's
    ``TPUv4`` …): a file loaded alone would refuse a count of those."""
    import re
    from importlib.resources import files

    text = (files("modelcompare") / "units.txt").read_text(encoding="utf-8")
    found = re.findall(r"^\s*\w+\s*=\s*\[accelerator_(\w+)\]", text, flags=re.MULTILINE)
    chips = sorted(set(found), key=lambda c: (c != "H100", c))
    return (*chips, *(f"k{c}" for c in chips))


def _dims(unit: str) -> Any:
    return Q_(1, _parse(unit)).dimensionality


def _units_for(dimension: str) -> tuple[str, ...]:
    """The units of ``dimension``: ``"[parameter]"``, ``"[compute] / [time]"``,
    ``"dimensionless"``, ``"accelerator"`` (any chip) or a unit (``"GB"``: its dimension)."""
    if dimension == "accelerator":
        return _accelerator_units()
    try:
        if dimension.startswith("[") or dimension == "dimensionless":
            want = ureg.get_dimensionality(dimension if dimension != "dimensionless" else "")
        else:
            want = _dims(dimension)
    except UnitError:
        raise
    except Exception as exc:
        raise UnitError(f"unknown dimension {dimension!r}: {exc}") from None
    found = tuple(u for u in (*_UNITS, *_accelerator_units()) if _dims(u) == want)
    if found:
        return found
    if not dimension.startswith("["):
        return (dimension,)  # a unit of a dimension the table lacks: itself
    raise UnitError(
        f"no unit of dimension {dimension!r}; give unit= or a dimension such as "
        "'[parameter]', '[compute] / [time]', 'accelerator'"
    )


def _quantity_field(name: str) -> FieldSpec:
    spec = get_field(name)
    if spec.kind is not FieldKind.QUANTITY:
        raise InvalidValueError(
            f"{spec.name!r} is a {spec.kind.value} field, not a quantity; "
            "claims(field=...) draws its values"
        )
    return spec


def _choose_units(
    dimension: str | None, field: str | None, unit: str | Sequence[str] | None
) -> tuple[tuple[str, ...], FieldSpec | None]:
    """The units to draw from, and the field whose range applies (if any)."""
    spec = _quantity_field(field) if field is not None else None
    if unit is not None:
        chosen = (unit,) if isinstance(unit, str) else tuple(unit)
        if not chosen:
            raise InvalidValueError("unit= needs at least one unit")
        for u in chosen:
            Q_(1, _parse(u))  # UnitError for an unknown unit
            if spec is not None and not spec.accepts(u):
                raise UnitError(f"{spec.name!r} does not take {u!r}")
        return chosen, spec
    if spec is not None:
        if dimension is not None:
            raise InvalidValueError("give field= or dimension=, not both")
        assert spec.dimension is not None
        if spec.bounds is not None:
            return (spec.dimension,), spec  # a score: in the unit its bounds are stated in
        return _units_for(spec.dimension), spec
    if dimension is not None:
        return _units_for(dimension), None
    return (*_UNITS, *_accelerator_units()), None


def _parse(u: str) -> Any:
    from .units import unit as parse_unit

    return parse_unit(u)


def unit_names(dimension: str | None = None, *, field: str | None = None) -> tuple[str, ...]:
    """The unit names :func:`units` draws from: those of ``dimension``
    (``"[parameter]"``, ``"[compute] / [time]"``, ``"dimensionless"``,
    ``"accelerator"`` for any chip, or a unit name standing for its dimension),
    or of ``field`` (a score: the unit its bounds are in), or every unit,
    prefixed ones included, each dimension's base unit first.

    >>> from modelcompare.testing import unit_names
    >>> unit_names("[information]")
    ('B', 'kB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB')
    >>> unit_names(field="training_accelerators")[:3], unit_names("GB200")
    (('H100', 'A100', 'B200'), ('GB200', 'kGB200'))
    """
    return _choose_units(dimension, field, None)[0]


def units(dimension: str | None = None, *, field: str | None = None) -> st.SearchStrategy[str]:
    """Unit names of ``dimension`` or of ``field`` (see :func:`unit_names`),
    prefixed ones included (``Gparameter``, ``kH100``, ``TFLOP/s``, ``GiB`` and
    ``GB``); any unit when neither is given. Shrinks towards the base unit."""
    return st.sampled_from(unit_names(dimension, field=field))


# -- numbers -----------------------------------------------------------------------------------
def stated_numbers(
    max_digits: int = 4, min_exponent: int = -3, max_exponent: int = 12
) -> st.SearchStrategy[float]:
    """Positive numbers as sources state them: at most ``max_digits``
    significant digits, times 10^``min_exponent`` to 10^``max_exponent``
    (``15000``, ``1.76``, ``0.003``). Never zero, negative, NaN or infinite;
    shrinks towards 1."""
    if max_digits < 1 or min_exponent > max_exponent:
        raise InvalidValueError("stated_numbers needs max_digits ≥ 1 and min ≤ max exponent")
    return st.builds(
        lambda mantissa, exponent: float(Decimal(mantissa).scaleb(exponent)),
        st.integers(1, 10**max_digits - 1),
        st.integers(min_exponent, max_exponent),
    )


def _bounded_numbers(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Numbers with at most two decimals in ``[lo, hi]`` (a score: ``69``, ``8.38``)."""
    return st.integers(math.ceil(lo * 100), math.floor(hi * 100)).map(
        lambda k: float(Decimal(k).scaleb(-2))
    )


def _numbers(spec: FieldSpec | None, signed: bool) -> st.SearchStrategy[float]:
    if spec is not None and spec.bounds is not None:
        base = _bounded_numbers(*spec.bounds)
    else:
        base = stated_numbers()
    if not signed:
        return base
    # zero is left out: "≈0" spans nothing, and compare() calls it EQUAL to an exact 0
    # that == does not (a question for Estimate, not for these strategies)
    return st.one_of(base, base.map(lambda x: -x))


def quantities(
    dimension: str | None = None,
    *,
    field: str | None = None,
    unit: str | Sequence[str] | None = None,
    signed: bool = False,
) -> st.SearchStrategy[Any]:
    """Quantities (``mc.Q_``) of ``dimension`` or of ``field``, in any of its
    units (:func:`units`) or in ``unit`` (a name or several).

    Magnitudes are :func:`stated_numbers` (10^-3 to 10^16 in the drawn unit,
    so 10^-3 parameters to 10^28 with ``Tparameter``); a field with bounds
    (``mmlu``: 0–100 %, ``mt_bench``: 1–10) draws within them, in its unit.
    Positive (no field takes zero or less; a score may be 0 %) unless
    ``signed=True``, which draws negative figures too; never NaN or infinite,
    never a value ``field`` refuses.
    """
    chosen, spec = _choose_units(dimension, field, unit)
    return st.builds(lambda u, x: Q_(x, _parse(u)), st.sampled_from(chosen), _numbers(spec, signed))


# -- estimates ---------------------------------------------------------------------------------
def estimates(
    dimension: str | None = None,
    *,
    field: str | None = None,
    unit: str | Sequence[str] | None = None,
    kinds: Sequence[Bound | str] = ALL_KINDS,
    signed: bool = False,
) -> st.SearchStrategy[Estimate]:
    """Estimates of each bound kind in ``kinds`` (default: all six), of
    ``dimension``, of ``field`` or in ``unit``, as :func:`quantities` draws them.

    ``exact``, ``at_least`` and ``at_most`` hold one stated number; ``approx``
    (:meth:`Estimate.about`) spans half a unit in the last digit of its number
    as stated (``≈15,000`` is 14,500–15,500); ``range`` holds two different
    numbers (nominal: the midpoint); ``unknown`` a unit with no figure.
    Never an Estimate its constructors refuse, nor one ``field`` refuses (with
    ``signed=False``, the default, every figure is positive). Shrinks towards
    an exact 1 in the base unit.
    """
    chosen_kinds = tuple(Bound(k) for k in kinds)
    if not chosen_kinds:
        raise InvalidValueError("kinds= needs at least one bound kind")
    chosen, spec = _choose_units(dimension, field, unit)
    return _estimates(chosen, chosen_kinds, spec, signed)


@st.composite
def _estimates(
    draw: st.DrawFn,
    chosen: tuple[str, ...],
    kinds: tuple[Bound, ...],
    spec: FieldSpec | None,
    signed: bool,
) -> Estimate:
    u = draw(st.sampled_from(chosen))
    kind = draw(st.sampled_from(kinds))
    numbers = _numbers(spec, signed)
    # st.builds, so that Hypothesis shows a falsifying example as the call that
    # makes it (about(1.0, 'H100'))
    if kind is Bound.UNKNOWN:
        return draw(st.builds(Estimate.unknown, st.just(u)))
    if kind is Bound.RANGE:
        low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2, unique=True)))
        e = draw(st.builds(Estimate.between, st.just(low), st.just(high), st.just(u)))
    else:
        make: dict[Bound, Callable[[float, str], Estimate]] = {
            Bound.EXACT: Estimate.exact,
            Bound.APPROX: Estimate.about,
            Bound.AT_LEAST: Estimate.at_least,
            Bound.AT_MOST: Estimate.at_most,
        }
        e = draw(st.builds(make[kind], numbers, st.just(u)))
    if spec is not None:
        # a span that crosses a score's bounds (≈100 %: 50–150 %) is refused
        assume(spec.check(e) is None)
    return e


@st.composite
def members(draw: st.DrawFn, estimate: Estimate, *, span: float = 1e6) -> Any:
    """Quantities (in ``estimate``'s unit) inside its interval: its finite ends,
    its nominal value and points between. An unbounded end is explored up to
    ``span`` × the nominal value (or the other end, or 1) away; an unknown
    estimate draws from ``[-span, span]``. Shrinks towards the low end."""
    lo, hi = _sample_range(estimate, span)
    _, n, _ = estimate.interval()
    ends = [x for x in (lo, hi, n) if math.isfinite(x)]
    x = draw(st.one_of(st.sampled_from(ends), st.floats(lo, hi)))
    return Q_(x, estimate.units)


def _sample_range(e: Estimate, span: float, positive: bool = False) -> tuple[float, float]:
    """The finite range points of ``e`` are drawn from (open ends cut at ``span``)."""
    lo, n, hi = e.interval()
    scale = max([abs(x) for x in (lo, n, hi) if math.isfinite(x)] + [1.0]) * span
    if math.isinf(lo):
        lo = 0.0 if positive else (hi if math.isfinite(hi) else 0.0) - scale
    if math.isinf(hi):
        hi = (lo if math.isfinite(lo) else 0.0) + scale
    return lo, hi


# -- hostile text ------------------------------------------------------------------------------
#: Text that breaks a format when it is not escaped: Markdown tables and
#: emphasis, LaTeX commands and specials, HTML tags and entities, CSV
#: separators and spreadsheet formulas, control characters, line breaks,
#: Unicode that encoders and fonts trip on, and blank text.
HOSTILE_TEXTS: tuple[str, ...] = (
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
    "[x] *y*",
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "line\nbreak",
    "100% $5 #1 _x_ {y} ~z ^w",
    "a--b ''",
    "\\",
    "\\\\",
    "{}",
    "}",
    '"quoted", and a comma',
    "≈ ≥ ≤ − – ×",
    "«guillemets» l’apostrophe",
    "é ç Ø ß",
    "日本 😀",
    "  leading and trailing  ",
    "",
)

_HOSTILE_CHARS = list("|\\<>&\"'`*_~[]()#%$^{}=+-@,;\t\r\n ≈≥≤−–«»’")


def hostile_text(*, allow_blank: bool = True, max_size: int = 40) -> st.SearchStrategy[str]:
    """Text users may put in any cell (a model's name, a note, a title): the
    :data:`HOSTILE_TEXTS`, and any text weighted towards their characters.
    Never a lone surrogate (it cannot be written as UTF-8); with
    ``allow_blank=False`` never empty or white space only."""
    text = st.one_of(
        st.sampled_from(HOSTILE_TEXTS),
        st.text(
            alphabet=st.one_of(
                st.sampled_from(_HOSTILE_CHARS),
                st.characters(codec="utf-8", exclude_categories=["Cs"]),
            ),
            max_size=max_size,
        ),
    )
    return text if allow_blank else text.filter(lambda s: s.strip() != "")


# -- records -----------------------------------------------------------------------------------
_WORDS = ("Acme", "Nova", "Orbit", "Delta", "Lumen", "Atlas", "Mira", "Kite", "Zephyr")


def _plain_names() -> st.SearchStrategy[str]:
    """Names as organizations write them: ``Nova-7``, ``Atlas 2 mini``."""
    return st.builds(
        lambda w, n, tail: f"{w}-{n}{tail}",
        st.sampled_from(_WORDS),
        st.integers(1, 99),
        st.sampled_from(["", " mini", " Pro", "-preview", " (beta)"]),
    )


def _texts(hostile: bool) -> st.SearchStrategy[str]:
    """Non-blank text: plain names, and hostile text too unless ``hostile=False``."""
    plain = _plain_names()
    return st.one_of(plain, hostile_text(allow_blank=False)) if hostile else plain


def _named(hostile: bool) -> st.SearchStrategy[str]:
    """A name: non-blank text with a letter or digit (a lookup key)."""
    return _texts(hostile).filter(lambda s: normalize(s) != "")


_SLUG = st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,11}\Z")

_DATES = st.builds(
    lambda y, m, d: PartialDate(y, m, d if m is not None else None),
    st.integers(1990, 2030),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 28),
)


def _field_values(
    spec: FieldSpec, hostile: bool, others: Sequence[tuple[str, str]] = ()
) -> st.SearchStrategy[Any]:
    """The values a stated claim on ``spec`` may hold (a relation: to ``others``,
    the ids and names of the registry's other models)."""
    if spec.kind is FieldKind.RANK:
        return st.integers(1, 500).flatmap(
            lambda p: st.builds(Rank, st.just(p), st.none() | st.integers(p, 1000))
        )
    if spec.kind is FieldKind.RELATION:
        return st.lists(st.sampled_from(list(others)), min_size=1, unique=True).map(
            lambda pairs: Related(tuple(i for i, _ in pairs), tuple(n for _, n in pairs))
        )
    if spec.kind in (FieldKind.CATEGORY, FieldKind.TEXT):
        return st.sampled_from(spec.choices) if spec.choices else _texts(hostile)
    return estimates(field=spec.name)


def _stated_fields(fields: Sequence[str] | None) -> tuple[str, ...]:
    if fields is None:
        return tuple(f.name for f in FIELDS.values() if f.stated)
    names = tuple(get_field(f).name for f in fields)
    for n in names:
        if not FIELDS[n].stated:
            raise InvalidValueError(f"{n!r} is derived by modelcompare: no claim states it")
    if not names:
        raise InvalidValueError("fields= needs at least one field")
    return names


@dataclass
class _SourceDraft:
    """A source whose text is written once every quote citing it is known."""

    id: str
    kwargs: dict[str, Any]
    filler: str
    quotes: list[str] = field(default_factory=list)


@dataclass
class _CiteDraft:
    source: int
    quote: str


@dataclass
class _ClaimDraft:
    field: str
    value: Any
    status: Status
    cites: list[_CiteDraft]
    as_of: PartialDate | None
    note: str | None


@dataclass
class _ModelDraft:
    kwargs: dict[str, Any]
    mentions: list[_CiteDraft]
    claims: list[_ClaimDraft]


@st.composite
def _source_drafts(draw: st.DrawFn, n: int, hostile: bool) -> list[_SourceDraft]:
    ids = draw(st.lists(_SLUG, min_size=n, max_size=n, unique=True))
    out = []
    for sid in ids:
        kwargs: dict[str, Any] = {
            "title": draw(_texts(hostile)),
            "language": draw(st.sampled_from(["en", "fr", "de", "zh"])),
            "kind": draw(st.sampled_from(SOURCE_KINDS)),
            "path": f"{sid}.txt",
            "external": draw(st.booleans()),
        }
        if draw(st.booleans()):
            kwargs["url"] = f"https://example.com/{sid}"
        if draw(st.booleans()):
            kwargs["date"] = draw(_DATES)
            kwargs["date_basis"] = draw(st.sampled_from(["stated", "inferred"]))
        if draw(st.booleans()):
            kwargs["publisher"] = draw(_texts(hostile))
        out.append(_SourceDraft(sid, kwargs, draw(hostile_text())))
    return out


@st.composite
def _cite_drafts(draw: st.DrawFn, n_sources: int, min_size: int, hostile: bool) -> list[_CiteDraft]:
    return draw(
        st.lists(
            st.builds(_CiteDraft, st.integers(0, n_sources - 1), _texts(hostile)),
            min_size=min_size,
            max_size=2,
        )
    )


@st.composite
def _claim_drafts(
    draw: st.DrawFn,
    fields: tuple[str, ...],
    others: Sequence[tuple[str, str]],
    n_sources: int,
    min_size: int,
    max_size: int,
    conflicts: bool,
    hostile: bool,
) -> list[_ClaimDraft]:
    names = draw(
        st.lists(
            st.sampled_from(fields),
            min_size=min_size,
            max_size=max_size,
            unique=not conflicts,
        )
    )
    out = []
    for name in names:
        out.append(
            _ClaimDraft(
                name,
                draw(_field_values(FIELDS[name], hostile, others)),
                draw(st.sampled_from([Status.REPORTED, Status.RUMORED, Status.OFFICIAL])),
                draw(_cite_drafts(n_sources, 1, hostile)),
                draw(st.none() | _DATES),
                draw(st.none() | _texts(hostile)),
            )
        )
    # two claims identical in field, value, status and sources are one claim (validate)
    keys = [(c.field, c.status, frozenset(x.source for x in c.cites)) for c in out]
    assume(
        not any(
            keys[i] == keys[j]
            and type(out[i].value) is type(out[j].value)
            and out[i].value == out[j].value
            for i in range(len(out))
            for j in range(i)
        )
    )
    return out


@st.composite
def _model_drafts(
    draw: st.DrawFn,
    n: int,
    n_sources: int,
    fields: tuple[str, ...],
    min_claims: int,
    max_claims: int,
    conflicts: bool,
    hostile: bool,
) -> list[_ModelDraft]:
    ids = draw(st.lists(_SLUG, min_size=n, max_size=n, unique_by=normalize))
    names = draw(st.lists(_named(hostile), min_size=n, max_size=n, unique_by=normalize))
    taken: dict[str, int] = {}
    for i, label in (*enumerate(ids), *enumerate(names)):
        key = normalize(label)
        assume(taken.setdefault(key, i) == i)  # one model's id is not another's name
    out = []
    for i, (mid, name) in enumerate(zip(ids, names, strict=True)):
        aliases = [
            a
            for a in draw(st.lists(_named(hostile), max_size=2))
            if taken.get(normalize(a), i) == i
        ]
        for a in aliases:
            taken[normalize(a)] = i
        kwargs: dict[str, Any] = {
            "id": mid,
            "name": name,
            "organization": draw(_texts(hostile)),
            "modality": draw(st.sampled_from(MODALITIES)),
            "status": draw(st.sampled_from(list(ModelStatus))),
            "aliases": tuple(aliases),
        }
        for key, strategy in (("family", _texts(hostile)), ("announced", _DATES)):
            if draw(st.booleans()):
                kwargs[key] = draw(strategy)
        if draw(st.booleans()):
            kwargs["note"] = draw(_texts(hostile))
        # a relation names other models: none where there is only one
        others = [(o, n) for j, (o, n) in enumerate(zip(ids, names, strict=True)) if j != i]
        usable = tuple(f for f in fields if others or FIELDS[f].kind is not FieldKind.RELATION)
        if not usable:
            raise InvalidValueError("a relation field needs registries of two models or more")
        claim_list = draw(
            _claim_drafts(
                usable,
                others,
                n_sources,
                min_claims,
                min(max_claims, len(usable)) if not conflicts else max_claims,
                conflicts,
                hostile,
            )
        )
        # a model needs a claim or a mention that cites a source
        mentions = draw(_cite_drafts(n_sources, 0 if claim_list else 1, hostile))
        out.append(_ModelDraft(kwargs, mentions, claim_list))
    return out


_folder: list[Path] = []


def _text_folder() -> Path:
    """The temporary folder the sources' texts are written to (removed at exit)."""
    if not _folder:
        path = Path(tempfile.mkdtemp(prefix="modelcompare-testing-"))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        _folder.append(path)
    return _folder[0]


def _write_text(text: str) -> Path:
    """A file holding ``text``, named by its digest (written once)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    path = _text_folder() / f"{digest}.txt"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as f:
            f.write(text)
        tmp.replace(path)
    return path


def _build(sources: list[_SourceDraft], drafts: list[_ModelDraft]) -> Registry:
    for d in drafts:
        for c in [*d.mentions, *(c for claim in d.claims for c in claim.cites)]:
            sources[c.source].quotes.append(c.quote)
    built: list[Source] = []
    for s in sources:
        # the quotes stand verbatim in the text, each on its own line
        text = "\n".join([s.filler, *s.quotes, ""])
        built.append(Source(id=s.id, **s.kwargs, file=_write_text(text)))

    def cite(c: _CiteDraft, figure: bool = False) -> Citation:
        # a drawn quote is text, not the claim's figure: it says so (validate checks figures)
        return Citation(built[c.source], c.quote, no_figure=_DRAWN if figure else None)

    models = []
    for d in drafts:
        stated = tuple(
            Claim(
                subject=d.kwargs["id"],
                field=c.field,
                value=c.value,
                status=c.status,
                citations=tuple(cite(x, figure=True) for x in c.cites),
                as_of=c.as_of,
                note=c.note,
            )
            for c in d.claims
        )
        models.append(
            Model(**d.kwargs, mentions=tuple(map(cite, d.mentions)), stated_claims=stated)
        )
    return Registry(models, {s.id: s for s in built})


def registries(
    *,
    min_models: int = 1,
    max_models: int = 3,
    max_sources: int = 3,
    fields: Sequence[str] | None = None,
    min_claims: int = 0,
    max_claims: int = 4,
    conflicts: bool = False,
    hostile: bool = True,
) -> st.SearchStrategy[Registry]:
    """Small registries that the loader would accept and that pass
    :meth:`Registry.validate <modelcompare.Registry.validate>`.

    ``min_models`` to ``max_models`` models, each with ``min_claims`` to
    ``max_claims`` stated claims on ``fields`` (default: every field a file may
    state), values from :func:`estimates` (by field), ranks and categories, and
    citations of 1 to ``max_sources`` sources. A model with no claim has a
    mention. Every quote stands verbatim in its source's text, a file in a
    temporary folder (removed when the process exits). Ids, names and aliases
    are unique after normalisation; names, notes and titles are plain or (with
    ``hostile=True``, the default) :func:`hostile_text`. A model holds at most
    one claim per field unless ``conflicts=True`` (then its claims may
    contradict: ``value()`` raises :class:`~modelcompare.ConflictError`). No
    hardware catalog, so no derived figures that need one.
    """
    if not 0 <= min_models <= max_models or max_sources < 1 or not 0 <= min_claims <= max_claims:
        raise InvalidValueError("registries needs 0 ≤ min ≤ max models and claims, ≥ 1 source")
    names = _stated_fields(fields)
    if not conflicts:
        max_claims = min(max_claims, len(names))
        if min_claims > max_claims:
            raise InvalidValueError(
                f"min_claims={min_claims} needs conflicts=True: only {len(names)} fields"
            )
    return _registries(min_models, max_models, max_sources, names, min_claims, max_claims,
                       conflicts, hostile)  # fmt: skip


@st.composite
def _registries(
    draw: st.DrawFn,
    min_models: int,
    max_models: int,
    max_sources: int,
    names: tuple[str, ...],
    min_claims: int,
    max_claims: int,
    conflicts: bool,
    hostile: bool,
) -> Registry:
    n_sources = draw(st.integers(1, max_sources))
    sources = draw(_source_drafts(n_sources, hostile))
    n_models = draw(st.integers(min_models, max_models))
    drafts = draw(
        _model_drafts(n_models, n_sources, names, min_claims, max_claims, conflicts, hostile)
    )
    return _build(sources, drafts)


def models(
    *,
    fields: Sequence[str] | None = None,
    min_claims: int = 0,
    max_claims: int = 4,
    conflicts: bool = False,
    hostile: bool = True,
) -> st.SearchStrategy[Model]:
    """Models as a :func:`registries` registry holds them (with their sources,
    quotes standing in their texts, and derived claims from that registry)."""
    return registries(
        min_models=1,
        max_models=1,
        fields=fields,
        min_claims=min_claims,
        max_claims=max_claims,
        conflicts=conflicts,
        hostile=hostile,
    ).map(lambda reg: next(iter(reg)))


def claims(field: str | None = None, *, hostile: bool = True) -> st.SearchStrategy[Claim]:
    """Stated claims (on ``field``, or any field a file may state) as a
    :func:`registries` registry holds them: a value the field accepts (a
    relation names another model of that registry), a status (rumored,
    reported or official, never derived), one or two citations whose quotes
    stand in their sources' texts."""
    fields = None if field is None else [field]
    relation = field is not None and get_field(field).kind is FieldKind.RELATION
    n = 2 if relation else 1
    return registries(
        min_models=n, max_models=n, fields=fields, min_claims=1, max_claims=1, hostile=hostile
    ).map(lambda reg: next(iter(reg)).stated_claims[0])


# -- data files ---------------------------------------------------------------------------------
def _toml(value: Any) -> str:
    """``value`` (text, number, bool, date, list) as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"{value!r} cannot be written in a data file")
        return repr(value)
    if isinstance(value, PartialDate):
        return _toml(str(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_toml, value)) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")  # pragma: no cover


def _unit_text(u: Any) -> str:
    """How a data file names unit ``u``: its symbol (``kH100``, ``TFLOP / s``) where
    the loader reads that back as ``u``, else its full name (``percent`` for ``%``)."""
    from .units import unit_text_problem

    short = units_label(u)
    if unit_text_problem(short) is None and _parse(short) == u:
        return short
    return str(u)


def _value_toml(value: Any) -> str:
    if isinstance(value, Rank):
        of = f", of = {value.of}" if value.of is not None else ""
        return f"{{ rank = {value.position}{of} }}"
    if isinstance(value, str):
        return f"{{ text = {_toml(value)} }}"
    if isinstance(value, Related):
        return f"{{ models = {_toml(value.ids)} }}"
    assert isinstance(value, Estimate)
    u = _toml(_unit_text(value.units))
    lo, n, hi = value.interval()
    b = value.bound
    if b is Bound.RANGE and not math.isclose(n, (lo + hi) / 2, rel_tol=1e-12):
        raise InvalidValueError(
            f"a range's nominal value is its midpoint in a data file (got {value!r})"
        )
    if b is Bound.EXACT:
        form = f"exact = {_toml(n)}"
    elif b is Bound.APPROX:
        form = f"about = {_toml(n)}, low = {_toml(lo)}, high = {_toml(hi)}"
    elif b is Bound.AT_LEAST:
        form = f"at_least = {_toml(lo)}"
    elif b is Bound.AT_MOST:
        form = f"at_most = {_toml(hi)}"
    elif b is Bound.RANGE:
        form = f"low = {_toml(lo)}, high = {_toml(hi)}"
    else:
        form = "unknown = true"
    return f"{{ {form}, unit = {u} }}"


def _cites_toml(cites: Sequence[Citation]) -> str:
    def item(c: Citation) -> str:
        extra = f", no_figure = {_toml(c.no_figure)}" if c.no_figure is not None else ""
        extra += f", scale = {_toml(c.scale)}" if c.scale is not None else ""
        return f"{{ source = {_toml(c.source.id)}, quote = {_toml(c.quote)}{extra} }}"

    return "[" + ", ".join(item(c) for c in cites) + "]"


#: What a drawn claim's citations say of their quotes (see validate's figure check).
_DRAWN = "a drawn quote: text that does not state the figure"


def write_data_file(registry: Registry, folder: str | Path, name: str = "data.toml") -> Path:
    """Write ``registry``'s sources and models into ``folder`` as a data file
    (``docs/data-format.md``), each source's text at its ``path`` beside it, and
    return the file's path: ``load_registry([path], builtin=False)`` reads back
    the same sources, models and claims. Derived claims are not written (the
    loader derives them again); neither is the hardware catalog."""
    folder = Path(folder)
    out: list[str] = []
    for s in registry.sources.values():
        if s.path is None or s.file is None:
            raise InvalidValueError(f"source {s.id!r} has no text file to write")
        target = (folder / s.path).resolve()
        if not target.is_relative_to(folder.resolve()):
            raise InvalidValueError(f"source {s.id!r}: path {s.path!r} leaves {folder}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(s.file.read_bytes())
        out.append("[[source]]")
        for key in ("id", "title", "path", "url", "date", "date_basis", "date_note"):
            if getattr(s, key) is not None:
                out.append(f"{key} = {_toml(getattr(s, key))}")
        for key in ("language", "publisher", "kind", "external"):
            if getattr(s, key) is not None:
                out.append(f"{key} = {_toml(getattr(s, key))}")
        out.append("")
    for m in registry:
        out.append("[[model]]")
        for key in ("id", "name", "organization", "family", "modality", "announced", "note"):
            if getattr(m, key) is not None:
                out.append(f"{key} = {_toml(getattr(m, key))}")
        out.append(f"status = {_toml(m.status.value)}")
        out.append(f"aliases = {_toml(m.aliases)}")
        if m.mentions:
            out.append(f"mentions = {_cites_toml(m.mentions)}")
        out.append("")
        for c in m.stated_claims:
            out.append("[[claim]]")
            out.append(f"model = {_toml(m.id)}")
            out.append(f"field = {_toml(c.field)}")
            out.append(f"value = {_value_toml(c.value)}")
            out.append(f"status = {_toml(c.status.value)}")
            if c.as_of is not None:
                out.append(f"as_of = {_toml(c.as_of)}")
            if c.note is not None:
                out.append(f"note = {_toml(c.note)}")
            out.append(f"citations = {_cites_toml(c.citations)}")
            out.append("")
    path = folder / name
    path.write_text("\n".join(out), encoding="utf-8")
    return path


# -- assertions ----------------------------------------------------------------------------------
def _num(x: float) -> str:
    """``x`` short where that is exact (``0.00035``), in full where it is not."""
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    short = f"{x:.6g}"
    return short if float(short) == x else repr(x)


def _as_estimate(x: Any, what: str) -> Estimate:
    if isinstance(x, Estimate):
        return x
    if isinstance(x, ureg.Quantity):
        return Estimate(x, Bound.EXACT)
    if isinstance(x, int | float) and not isinstance(x, bool):
        return Estimate.exact(x)
    raise TypeError(f"{what} must be an Estimate, a Quantity or a number (got {x!r})")


def _described(e: Estimate, unit: Any = None) -> str:
    """``≈15,000 H100 ([14500, 15500] H100)``: the estimate as modelcompare shows
    it and its interval (in ``unit``, default its own); an exact one as its number."""
    u = e.units if unit is None else unit
    lo, n, hi = e.interval(u)
    label = units_label(u)
    if e.bound is Bound.EXACT:
        return f"{_num(n)} {label}"
    return f"{e} ([{_num(lo)}, {_num(hi)}] {label})"


def _close(a: float, b: float, rel: float) -> bool:
    return a == b or (math.isfinite(a) and math.isfinite(b) and math.isclose(a, b, rel_tol=rel))


def _containment_problem(outer: Estimate, inner: Estimate, rel: float) -> str | None:
    """None when ``inner``'s interval lies in ``outer``'s, else why not."""
    if outer.dimensionality != inner.dimensionality:
        return (
            f"{units_label(inner.units)} ({inner.dimensionality or 'dimensionless'}) is not a "
            f"quantity of {units_label(outer.units)} ({outer.dimensionality or 'dimensionless'})"
        )
    olo, _, ohi = outer.interval()
    ilo, _, ihi = inner.interval(outer.units)
    u = units_label(outer.units)
    if ilo < olo and not _close(ilo, olo, rel):
        return f"{_num(ilo)} {u} is below its low end, {_num(olo)} {u}"
    if ihi > ohi and not _close(ihi, ohi, rel):
        return f"{_num(ihi)} {u} is above its high end, {_num(ohi)} {u}"
    return None


def assert_contains(outer: Estimate, inner: Estimate | Any, *, rel: float = 1e-9) -> None:
    """Assert that ``inner`` (an Estimate, a Quantity or a number) lies within
    ``outer``'s interval, in any unit of its dimension, ends within ``rel``
    (relative: unit conversion rounds). An unbounded end contains everything
    on its side; an unknown estimate contains every value.

    >>> import modelcompare as mc
    >>> from modelcompare.testing import assert_contains
    >>> assert_contains(mc.Estimate.about(15, "kH100"), mc.Q_(14_600, "H100"))
    >>> assert_contains(mc.Estimate.about(15_000, "H100"), mc.Estimate.between(14, 16, "kH100"))
    Traceback (most recent call last):
    ...
    AssertionError: ≈15,000 H100 ([14500, 15500] H100) does not contain
    14,000–16,000 H100 ([14000, 16000] H100): 14000 H100 is below its low end, 14500 H100
    """
    o = _as_estimate(outer, "outer")
    i = _as_estimate(inner, "inner")
    problem = _containment_problem(o, i, rel)
    if problem is not None:
        shown = _described(i, o.units if i.dimensionality == o.dimensionality else None)
        raise AssertionError(f"{_described(o)} does not contain {shown}: {problem}")


def _points(e: Estimate, positive: bool) -> list[float]:
    """Points of ``e``'s interval: its finite ends, its nominal value, three points
    between, and for an open end points up to 10^6 × its scale away."""
    lo, n, hi = e.interval()
    a, b = _sample_range(e, 1e6, positive)
    inner = [a + (b - a) * t for t in (0.25, 0.5, 0.75)]
    far = []
    if math.isinf(hi):
        far += [a + (b - a) * t for t in (1e-6, 1e-3)]
    if math.isinf(lo):
        far += [b - (b - a) * t for t in (1e-6, 1e-3)]
    pts = [x for x in (lo, hi, n) if math.isfinite(x)] + inner + far + [a, b]
    if positive:
        pts = [x for x in pts if x > 0]
    return sorted(set(pts))


def _name(f: Callable[..., Any]) -> str:
    return str(getattr(f, "__qualname__", None) or repr(f))


def assert_sound(
    f: Callable[..., Any],
    *estimates: Estimate,
    rel: float = 1e-9,
    positive: bool = False,
    undefined: type[BaseException] | tuple[type[BaseException], ...] = (),
) -> None:
    """Assert that ``f`` bounds its result soundly: for points of the inputs'
    intervals, ``f(*points)`` lies within ``f(*estimates)`` (the property
    modelcompare promises for ``+ - * /``).

    Each input is sampled at its finite ends, its nominal value and points
    between; an unbounded end (``≥``, ``≤``, unknown) out to 10^6 × its scale.
    Every combination is tried for up to three inputs (the ends of each, then
    each input alone, for more). Points are passed to ``f`` as exact Estimates
    in the input's unit; ``f`` may return an Estimate or a Quantity. With
    ``positive=True`` only points above 0 are tried (counts, sizes). Points
    where ``f`` raises ``undefined`` are skipped (``f`` is not defined there:
    ``ZeroDivisionError`` for ``/``); any other error propagates, with a note
    saying at which point. Ends within ``rel`` (relative) count as contained.

    >>> import modelcompare as mc
    >>> from modelcompare.testing import assert_sound
    >>> def power(n):
    ...     return (n * mc.Q_(700, "W / H100")).to("MW")
    >>> assert_sound(power, mc.Estimate.about(15_000, "H100"))
    >>> def restated(n):  # wrong: "≈" with the span of the result's own digits
    ...     p = power(n)
    ...     return mc.Estimate.about(p.nominal.magnitude, "MW") if n.bound == "approx" else p
    >>> assert_sound(restated, mc.Estimate.about(15_000, "H100"))
    Traceback (most recent call last):
    ...
    AssertionError: restated is not sound: at n = 14500 H100 (in ≈15,000 H100) it gives
    10.15 MW, outside its result for the estimates, ≈10.5 MW ([10.45, 10.55] MW):
    10.15 MW is below its low end, 10.45 MW
    """
    if not estimates:
        raise InvalidValueError("assert_sound needs at least one Estimate")
    inputs = [_as_estimate(e, "each input") for e in estimates]
    result = _as_estimate(f(*inputs), f"{_name(f)}'s result")
    grids = [_points(e, positive) for e in inputs]
    if len(inputs) <= 3:
        combos: Sequence[Sequence[float]] = list(itertools.product(*grids))
    else:
        ends = [[g[0], g[-1]] for g in grids]
        centre = [g[len(g) // 2] for g in grids]
        combos = list(itertools.product(*ends)) + [
            [*centre[:i], x, *centre[i + 1 :]] for i, g in enumerate(grids) for x in g
        ]
    for combo in combos:
        args = [Estimate.exact(x, e.units) for x, e in zip(combo, inputs, strict=True)]
        at = ", ".join(
            f"{_arg(f, i)} = {_num(x)} {units_label(e.units)} (in {e})"
            for i, (x, e) in enumerate(zip(combo, inputs, strict=True))
        )
        try:
            got = _as_estimate(f(*args), f"{_name(f)}'s result")
        except undefined:
            continue
        except Exception as exc:
            exc.add_note(f"assert_sound: {_name(f)} raised this at {at}")
            raise
        problem = _containment_problem(result, got, rel)
        if problem is not None:
            raise AssertionError(
                f"{_name(f)} is not sound: at {at} it gives {_described(got)}, "
                f"outside its result for the estimates, {_described(result)}: {problem}"
            )


def _arg(f: Callable[..., Any], i: int) -> str:
    """The name of ``f``'s ``i``-th parameter, or ``input i+1``."""
    code = getattr(f, "__code__", None)
    if code is not None and i < code.co_argcount:
        return str(code.co_varnames[i])
    return f"input {i + 1}"


def assert_same_quantity(a: Estimate | Any, b: Estimate | Any, *, rel: float = 1e-9) -> None:
    """Assert that ``a`` and ``b`` (Estimates, Quantities or numbers) are the
    same quantity in any units of one dimension: the same bound kind and each
    of low, nominal and high equal within ``rel`` (relative).

    >>> import modelcompare as mc
    >>> from modelcompare.testing import assert_same_quantity
    >>> assert_same_quantity(mc.Q_(2, "kH100"), mc.Q_(2000, "H100"))
    >>> assert_same_quantity(mc.Q_(2, "kH100"), mc.Q_(2100, "H100"))
    Traceback (most recent call last):
    ...
    AssertionError: 2 kH100 and 2100 H100 are not the same quantity: value 2 kH100 and
    2.1 kH100 differ by 0.0476 relative (allowed: 1e-09)
    """
    ea, eb = _as_estimate(a, "a"), _as_estimate(b, "b")
    what = f"{_described(ea)} and {_described(eb)} are not the same quantity"
    if ea.dimensionality != eb.dimensionality:
        raise AssertionError(
            f"{what}: {units_label(ea.units)} is {ea.dimensionality or 'dimensionless'}, "
            f"{units_label(eb.units)} is {eb.dimensionality or 'dimensionless'}"
        )
    if ea.bound is not eb.bound:
        raise AssertionError(f"{what}: one is {ea.bound.value}, the other {eb.bound.value}")
    u = units_label(ea.units)
    both_exact = ea.bound is Bound.EXACT
    (alo, an, ahi), (blo, bn, bhi) = ea.interval(), eb.interval(ea.units)
    ends = [("value" if both_exact else "nominal", an, bn), ("low", alo, blo), ("high", ahi, bhi)]
    for label, x, y in ends:
        if math.isnan(x) and math.isnan(y):
            continue
        if not _close(x, y, rel):
            diff = abs(x - y) / max(abs(x), abs(y))
            raise AssertionError(
                f"{what}: {label} {_num(x)} {u} and {_num(y)} {u} differ by "
                f"{diff:.3g} relative (allowed: {rel:g})"
            )
