"""The package's one pint unit registry, built from ``units.txt``.

``ureg`` is registered as pint's application registry, so quantities made
here pickle and unpickle. Conversions go through :func:`to_unit`, which turns
pint's errors into :class:`~modelcompare.errors.UnitError`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import threading
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import pint

from .errors import UnitError
from .files import write_atomically

__all__ = [
    "Q_",
    "Quantity",
    "Unit",
    "define_accelerator",
    "quantity",
    "to_unit",
    "unit",
    "ureg",
]

Quantity: TypeAlias = pint.Quantity
Unit: TypeAlias = pint.Unit


def _cache_folder() -> str | None:
    """Where pint may cache the parsed definitions (``MODELCOMPARE_CACHE_DIR``, an
    empty value meaning no override; ``MODELCOMPARE_NO_CACHE=1`` turns caching off)."""
    if os.environ.get("MODELCOMPARE_NO_CACHE"):
        return None
    folder = os.environ.get("MODELCOMPARE_CACHE_DIR")
    if not folder:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("modelcompare", appauthor=False)
    return folder


#: Each cache file starts with the SHA-256 of the pickle that follows it.
_DIGEST = hashlib.sha256().digest_size


def _disk_cache(folder: str) -> Any:
    """Pint's disk cache for ``folder``, made safe: files are checksummed and written
    atomically, and a file that cannot be read (truncated, corrupted, from another
    version) counts as absent, so it is rebuilt from units.txt and replaced. A cache
    that cannot be written only costs start-up time."""
    from pint.delegates import build_disk_cache_class

    base: Any = build_disk_cache_class(float)

    class SafeDiskCache(base):  # type: ignore[misc]
        def cache_path_for(self, header: Any) -> Path:
            # a name of its own: pint's plain pickles (no checksum) never collide with ours
            return Path(self.cache_folder) / f"{self.cache_stem_for(header)}.checked.pickle"

        def rawload(self, header: Any, cache_path: Path | None = None) -> Any:
            path = self.cache_path_for(header) if cache_path is None else cache_path
            try:
                if not header.is_valid(path):
                    return None
                blob = path.read_bytes()
                digest, payload = blob[:_DIGEST], blob[_DIGEST:]
                if hashlib.sha256(payload).digest() != digest:
                    return None
                return pickle.loads(payload)
            except Exception:  # any failure to read: rebuild (a cache is an optimisation)
                return None

        def rawsave(self, header: Any, converted: Any, cache_path: Path | None = None) -> Path:
            path = self.cache_path_for(header) if cache_path is None else cache_path
            try:
                payload = pickle.dumps(converted, protocol=pickle.HIGHEST_PROTOCOL)
                write_atomically(path, hashlib.sha256(payload).digest() + payload)
            except (OSError, pickle.PicklingError, TypeError, AttributeError):
                pass  # a full disk or a read-only folder: run without a cache
            return path

    return SafeDiskCache(folder)


_PintRegistry: Any = pint.UnitRegistry


class _UnitRegistry(_PintRegistry):  # type: ignore[misc]
    """pint's registry, reading and writing its cache through :func:`_disk_cache`."""

    def __init__(self, *, disk_cache: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if disk_cache is not None:  # before pint reads units.txt (after __init__)
            self._diskcache = disk_cache
            parser: Any = self._def_parser
            parser._diskcache = disk_cache


def _build_registry() -> Any:
    """The registry from units.txt, through an on-disk cache where one can be used."""
    definitions = str(files("modelcompare") / "units.txt")
    kwargs: dict[str, Any] = {"autoconvert_offset_to_baseunit": False, "on_redefinition": "raise"}
    folder = _cache_folder()
    cache = None
    if folder is not None:
        with contextlib.suppress(OSError):  # an unwritable cache only costs start-up time
            cache = _disk_cache(folder)  # makes the folder
    if cache is not None:
        try:
            return _UnitRegistry(filename=definitions, disk_cache=cache, **kwargs)
        except Exception:  # whatever a cache did, units.txt alone decides
            pass
    return _UnitRegistry(filename=definitions, **kwargs)


ureg: Any = _build_registry()
pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]
Q_ = ureg.Quantity

#: The dimension names of accelerator units (``[accelerator_H100]`` …).
ACCELERATOR_PREFIX = "[accelerator_"


def unit(name: str | Any) -> Any:
    """Return the registry's unit for ``name``; :class:`UnitError` if unknown."""
    if not isinstance(name, str):
        return name
    return _parse_unit(name)


#: The longest unit text read (``TFLOP/s``, ``FLOP/(parameter*token)``): pint's
#: parsing takes time quadratic in the length, so longer text never reaches it.
MAX_UNIT_TEXT = 64

_UNIT_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<power>\*\*|\^)|(?P<op>[*/])"
    r"|(?P<open>\()|(?P<close>\))|(?P<int>[-+]?[0-9]+))"
)


def unit_text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a unit, or None; checked before pint reads it.

    A unit is at most :data:`MAX_UNIT_TEXT` characters of names (``Gparameter``,
    ``H100``) joined by ``*``, ``/`` or spaces, with parentheses and whole-number
    powers (``s**-1``, ``m^2``); no numbers as factors (``1/0`` is no unit). Whether
    each name is known is for pint to say.
    """
    if len(text) > MAX_UNIT_TEXT:
        return f"a unit is at most {MAX_UNIT_TEXT} characters (got {len(text):,})"
    pos, depth, want_operand, after_power = 0, 0, True, False
    end = len(text.rstrip())
    while pos < end:
        m = _UNIT_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            return f"unexpected {text[pos:].strip()[:1]!r} in the unit {text!r}"
        kind, token = m.lastgroup, m.group(m.lastgroup or 0)
        pos = m.end()
        if after_power:
            if kind != "int" or not 0 < abs(int(token)) < 100:
                return f"a power in a unit is a whole number from -99 to 99, not 0 ({text!r})"
            after_power = False
            continue
        if kind == "int":
            return f"a unit has no numbers as factors ({text!r})"
        if kind in ("name", "open"):
            if not want_operand and text[m.start()] not in " \t":  # "kW h" multiplies
                return f"unexpected {token!r} in the unit {text!r}"
            depth += kind == "open"
            want_operand = kind == "open"
        elif want_operand:  # an operator, a power or ")" where a name belongs
            return f"a unit name is missing before {token!r} in {text!r}"
        elif kind == "close":
            depth -= 1
            if depth < 0:
                return f"unbalanced ')' in the unit {text!r}"
        elif kind == "power":
            after_power = True
        else:
            want_operand = True
    if want_operand or after_power:
        return f"the unit {text!r} is incomplete" if text.strip() else "a unit cannot be empty"
    if depth:
        return f"unbalanced '(' in the unit {text!r}"
    return None


@functools.lru_cache(maxsize=512)
def _parse_unit(name: str) -> Any:
    """Parse a unit name once (pint re-parses each time it is asked)."""
    problem = unit_text_problem(name)
    if problem is not None:
        raise UnitError(problem)
    try:
        parsed = ureg.parse_units(name)
    except Exception as exc:  # TokenError, ZeroDivisionError, KeyError …: not a unit
        raise UnitError(f"unknown unit {name!r}") from exc
    if any(unit_name.find(_DECLARED) > 0 for unit_name in parsed._units):
        # a prefix joined to a declared chip: 'TPU' is no tera-'PU'
        raise UnitError(f"unknown unit {name!r}")
    return parsed


#: How pint names a declared chip's unit (see _chip_definition): such a unit takes no
#: prefix, so that declaring a chip never gives a meaning to text that had none (a
#: chip 'PU' would read 'TPU' as 10¹² PUs). The chips of units.txt take them: 15 kH100.
_DECLARED = "accelerator_"


def quantity(value: float | int | Any, unit_name: str | Any | None = None) -> Any:
    """A :class:`Quantity` from a number and a unit (or a quantity as it is)."""
    if isinstance(value, ureg.Quantity):
        if unit_name is not None:
            return to_unit(value, unit_name)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnitError(f"expected a number or a quantity, got {value!r}")
    return Q_(value, unit(unit_name) if unit_name is not None else ureg.dimensionless)


def to_unit(q: Any, target: str | Any) -> Any:
    """Convert ``q`` to ``target``, raising :class:`UnitError` on a dimension mismatch."""
    target_unit = unit(target)
    try:
        return q.to(target_unit)
    except pint.errors.DimensionalityError as exc:
        raise UnitError(
            f"cannot convert {units_label(q.units)} ({dimension_label(q)}) "
            f"to {units_label(target_unit)} ({dimension_label(Q_(1, target_unit))})"
        ) from exc


#: The most entries a per-unit cache keeps (it is emptied when full).
_PER_UNIT_LIMIT = 4096
_PintUnit: Any = ureg.Unit


def _key(u: Any) -> Any:
    """What a per-unit cache is keyed by: a Unit's ``UnitsContainer``, which pint
    shares between every Unit of one parsed unit (so a lookup is a hash and an
    identity test, where ``Unit.__eq__`` costs microseconds); anything else as it is."""
    return u._units if type(u) is _PintUnit else u


_Cached = TypeVar("_Cached")


def per_unit(fn: Callable[..., _Cached]) -> Callable[..., _Cached]:
    """``fn(u, *args)`` of a unit ``u`` (and hashable ``args``), cached per unit
    (see :func:`_key`) and arguments; an error is not cached."""
    cache: dict[Any, _Cached] = {}

    @functools.wraps(fn)
    def cached(u: Any, *args: Any) -> _Cached:
        k = (_key(u), *args) if args else _key(u)
        try:
            return cache[k]
        except KeyError:
            pass
        except TypeError:  # unhashable: not a unit pint reads; let fn say so
            return fn(u, *args)
        out = fn(u, *args)
        if len(cache) >= _PER_UNIT_LIMIT:
            cache.clear()
        cache[k] = out
        return out

    cached.cache_clear = cache.clear  # type: ignore[attr-defined]
    return cached


def per_unit_pair(fn: Callable[..., _Cached]) -> Callable[..., _Cached]:
    """``fn(a, b, *args)`` of two units (and hashable ``args``), cached per pair of
    units (each keyed as :func:`per_unit` keys one) and arguments; an error is not
    cached."""
    cache: dict[Any, _Cached] = {}

    @functools.wraps(fn)
    def cached(a: Any, b: Any, *args: Any) -> _Cached:
        k = (_key(a), _key(b), *args) if args else (_key(a), _key(b))
        try:
            return cache[k]
        except KeyError:
            pass
        except TypeError:  # unhashable: not a unit pint reads; let fn say so
            return fn(a, b, *args)
        out = fn(a, b, *args)
        if len(cache) >= _PER_UNIT_LIMIT:
            cache.clear()
        cache[k] = out
        return out

    cached.cache_clear = cache.clear  # type: ignore[attr-defined]
    return cached


@per_unit_pair
def factor(source: Any, target: Any) -> float:
    """How many ``target`` one ``source`` is, as a float (``factor(GB, B)`` is
    1e9), cached per pair of units: the units here are all multiplicative, so a
    conversion is one multiplication, and pint's per-value work is paid once per
    pair. :class:`UnitError` on a dimension mismatch, as :func:`to_unit`."""
    return float(to_unit(Q_(1.0, source), target).magnitude)


@per_unit
def base_units(u: Any) -> Any:
    """The base units of ``u`` (``parameter`` for ``Gparameter``), cached."""
    return Q_(1.0, u).to_base_units().units


@per_unit
def dimension_key(u: Any) -> str:
    """``str`` of the dimensionality of unit ``u`` (``[parameter]``, ``""`` when
    dimensionless), cached per unit: grouping values by dimension is then a
    dictionary lookup, not a pint formatting per value."""
    return str(Q_(1, u).dimensionality)


@per_unit
def dimensionality(u: Any) -> Any:
    """``Q_(1, u).dimensionality`` (pint's immutable container), cached per unit."""
    return Q_(1, u).dimensionality


@per_unit
def unit_text(u: Any) -> str:
    """``str`` of unit ``u`` (``gigaparameter``), cached per unit: the text
    :func:`unit` parses back to ``u``."""
    return str(u)


@per_unit
def chip_symbol(u: Any) -> str | None:
    """``H100`` where ``u`` counts accelerators of one kind (whatever its prefix:
    ``kH100`` too), else None; cached per unit."""
    q = Q_(1, u)
    return accelerator_symbol(q) if is_accelerator(q) else None


def dimension_label(q: Any) -> str:
    """The dimension of ``q`` as people read it: ``[parameter]``, ``dimensionless``."""
    dims = q.dimensionality
    return str(dims) if dims else "dimensionless"


@per_unit
def units_label(u: Any) -> str:
    """A unit's short symbol: ``H100``, ``Gparameter``, ``TFLOP / s`` (cached)."""
    text = f"{u:~}"
    return text or "dimensionless"


def is_accelerator(q: Any) -> bool:
    """True when ``q`` counts accelerators of one kind."""
    dims = dict(q.dimensionality)
    return (
        len(dims) == 1
        and next(iter(dims)).startswith(ACCELERATOR_PREFIX)
        and next(iter(dims.values())) == 1
    )


@functools.cache
def accelerator_units() -> tuple[str, ...]:
    """The symbols of every kind of chip: those ``units.txt`` defines (``H100``,
    ``GB200`` …) and those declared since; read from the registry's dimensions,
    one per kind (not by parsing each of its unit names)."""
    dims = ureg._dimensions
    start = len(ACCELERATOR_PREFIX)
    return tuple(sorted({d[start:-1] for d in dims if d.startswith(ACCELERATOR_PREFIX)}))


def accelerator_symbol(q: Any) -> str:
    """``H100`` for a count of H100s."""
    dim = next(iter(q.dimensionality))
    return str(dim)[len(ACCELERATOR_PREFIX) : -1]


#: What a declared chip's unit symbol may look like: ``TPUv4``, ``MI300X``, ``Ascend_910B``.
ACCELERATOR_SYMBOL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")

_define_lock = threading.Lock()


def _prefixes() -> set[str]:
    """Every prefix pint reads before a unit, by name and symbol (``kilo``, ``k``, ``Gi``…)."""
    out: set[str] = set()
    for name, d in ureg._prefixes.items():
        out.update(x for x in (name, getattr(d, "defined_symbol", None), *d.aliases) if x)
    return out


def _reads_as(text: str) -> str | None:
    """The unit name pint would read the one-word ``text`` as (a prefix, a unit's
    name, symbol or alias, and a plural ``s``), or None: pint's own split
    (``_yield_unit_triplets``, case-sensitive), done with set lookups instead of
    pint's parser, which costs a millisecond a call."""
    units, prefixes = ureg._units, ureg._prefixes
    longest = max(map(len, prefixes))
    for suffix in ureg._suffixes:
        if not text.endswith(suffix):
            continue
        core = text[: len(text) - len(suffix)]
        for k in range(min(len(core), longest) + 1):
            if core[:k] not in prefixes:
                continue
            name = core[k:]
            if suffix and len(name) == 1:
                continue
            if name in units:
                return str(units[name].name)
    return None


def _prefix_clash(symbol: str) -> str | None:
    """Why ``symbol`` cannot name a new unit without changing what other unit text
    means, or None: a prefix itself (``G``, ``Ki``), or a name that a prefix would
    join into text that already reads as a unit (``iB``: ``PiB`` would become
    peta-``iB`` instead of pebibytes, silently)."""
    prefixes = _prefixes()
    if symbol in prefixes:
        return f"{symbol!r} is a unit prefix; a declared chip needs a name of its own"
    for prefix in sorted(prefixes):
        if _reads_as(prefix + symbol) is None:
            continue
        taken = _parse_unit(prefix + symbol)
        if is_accelerator(Q_(1, taken)):
            continue  # another chip (GB300 beside B300): read as that chip, tested
        return (
            f"{symbol!r} cannot name a chip's unit: {prefix + symbol!r} already reads as "
            f"{units_label(taken)} ({dimension_label(Q_(1, taken))}), and the prefix "
            f"{prefix!r} would then read it as {prefix}-{symbol}; choose another name"
        )
    return None


def _chip_definition(symbol: str) -> Any:
    """pint's definition of the chip unit ``symbol``: what the text
    ``accelerator_X = [accelerator_X] = X`` parses to, made directly (pint's
    text parser costs about a millisecond a definition, and the built-in
    catalog declares some seventy chips at each start)."""
    try:
        from pint.facets.plain.definitions import ScaleConverter, UnitDefinition
        from pint.util import UnitsContainer
    except ImportError:  # pragma: no cover - another pint layout: its text parser
        return f"{_DECLARED}{symbol} = [{_DECLARED}{symbol}] = {symbol}"
    name = f"{_DECLARED}{symbol}"
    return UnitDefinition(name, symbol, (), ScaleConverter(1), UnitsContainer({f"[{name}]": 1}))


def _define_checked(symbol: str) -> None:
    """Define the chip ``symbol`` that :func:`define_accelerator` accepted in a
    process with the same units (a cached registry's chips): its checks are not
    run again."""
    with _define_lock:
        try:
            _parse_unit(symbol)
            return  # already a unit (of units.txt, or defined before)
        except UnitError:
            pass
        _add_chip(symbol)


def _add_chip(symbol: str) -> None:
    """Add the chip unit ``symbol`` to the registry (under ``_define_lock``, its
    checks done) and forget what the caches knew of the units before."""
    ureg.define(_chip_definition(symbol))
    _parse_unit.cache_clear()
    accelerator_units.cache_clear()


def define_accelerator(symbol: str) -> bool:
    """Make ``symbol`` count a new kind of chip, its own dimension ``[accelerator_SYMBOL]``.

    Returns True if the unit was created, False if ``symbol`` already counts a
    kind of chip. :class:`UnitError` if ``symbol`` is not a usable name or is
    already a unit of something else (``GB``, ``h``: a data file cannot redefine them).
    """
    if not isinstance(symbol, str) or not ACCELERATOR_SYMBOL.match(symbol):
        raise UnitError(
            f"{symbol!r} cannot name a chip's unit: use letters, digits and _ "
            "(starting with a letter), such as 'TPUv4' or 'MI300X'"
        )
    if symbol.lower() == "nan":  # pint reads it as a number, whatever its case
        raise UnitError(f"{symbol!r} cannot name a chip's unit: it reads as a number (NaN)")
    with _define_lock:
        try:
            existing = Q_(1, _parse_unit(symbol))
        except UnitError:
            existing = None
        if existing is not None:
            if is_accelerator(existing) and accelerator_symbol(existing) == symbol:
                return False
            raise UnitError(
                f"{symbol!r} is already a unit of {dimension_label(existing)}; "
                "a declared chip needs a name of its own"
            )
        clash = _prefix_clash(symbol)
        if clash is not None:
            raise UnitError(clash)
        _add_chip(symbol)
        created = Q_(1, _parse_unit(symbol))
        if not (is_accelerator(created) and accelerator_symbol(created) == symbol):
            raise UnitError(f"{symbol!r} could not be defined as a chip's unit")  # pragma: no cover
        return True
