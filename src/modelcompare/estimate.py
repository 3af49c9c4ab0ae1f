"""Values with honest uncertainty: :class:`Estimate`.

An estimate is a pint quantity with a *bound kind* (exact, about, at least,
at most, a range, unknown) and the interval ``[low, high]`` it stands for.
Arithmetic propagates intervals soundly: for every ``x`` in ``a`` and ``y``
in ``b``, ``x + y`` lies in ``a + b`` (likewise ``- * /``).

The span of "about"
-------------------
A source's "about 15,000" is read as half a unit in the last non-zero digit
of the number as stated: ``≈15,000`` spans 14,500–15,500, ``≈280 B`` spans
275–285 B, ``≈500 B`` spans 450–550 B. Give ``low``/``high`` to override.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn, cast

import pint
import pint.compat

from .bounds import Bound, Ordering
from .errors import DivisionByZeroError, InvalidValueError, UnitError
from .units import Q_, base_units, factor, per_unit_pair, quantity, to_unit, units_label, ureg
from .units import unit as unit_of

__all__ = ["Bound", "Estimate", "Ordering"]

_INF = math.inf


def _stated_half_unit(magnitude: float) -> float:
    """Half a unit in the last non-zero digit of ``magnitude`` as written (its
    shortest repr: ``15000.0`` → 500, ``1.76`` → 0.005, ``1e+22`` → 5e21)."""
    if magnitude == 0 or not math.isfinite(magnitude):
        return 0.0
    digits, _, power = repr(float(magnitude)).partition("e")
    whole, _, fraction = digits.partition(".")
    fraction = fraction.rstrip("0")
    exponent = -len(fraction) if fraction else len(whole) - len(whole.rstrip("0"))
    if power:
        exponent += int(power)
    return 0.5 * 10.0**exponent


def _close(a: float, b: float) -> bool:
    """Equal within 1e-9 relative (NaN equals NaN: both unknown)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=1e-9)


def _above(a: float, b: float) -> bool:
    """``a > b`` by more than the tolerance of ``==`` (unit conversion rounds)."""
    return a > b and not _close(a, b)


def _finite_in_finite_out(x: float, *operands: float) -> float:
    """``x``, unless finite operands gave an infinite result (float overflow)."""
    if math.isinf(x) and all(map(math.isfinite, operands)):
        raise InvalidValueError("the result is too large for a float (it overflows)")
    return x


def _mul(a: float, b: float) -> float:
    """Product on the extended reals with 0 × ±inf = 0 (interval arithmetic's rule)."""
    if a == 0 or b == 0:
        return 0.0
    return _finite_in_finite_out(a * b, a, b)


def _add(a: float, b: float) -> float:
    return _finite_in_finite_out(a + b, a, b)


def _sub(a: float, b: float) -> float:
    return _finite_in_finite_out(a - b, a, b)


@dataclass(frozen=True, slots=True, eq=False, init=False)
class Estimate:
    """A quantity with a bound kind and the interval it stands for.

    Build one with :meth:`exact`, :meth:`about`, :meth:`at_least`,
    :meth:`at_most`, :meth:`between` or :meth:`unknown`:

    >>> import modelcompare as mc
    >>> gpus = mc.Estimate.about(15000, "H100")
    >>> str(gpus), gpus.low.magnitude, gpus.high.magnitude
    ('≈15,000 H100', 14500.0, 15500.0)
    >>> str(mc.Estimate.at_least(100000, "H100") / gpus)
    '≥6.45'
    """

    bound: Bound
    _ends: tuple[float, float, float] = field(repr=False)
    """``(low, nominal, high)`` as floats in the nominal's unit (±inf where unbounded),
    computed once: what comparisons, conversions and arithmetic use."""
    _unit: Any = field(repr=False)
    """The nominal's unit (a pint Unit), kept: pint builds a new Unit object on every access."""
    _mags: tuple[Any, Any, Any] = field(repr=False)
    """``(low, nominal, high)`` magnitudes as the quantities hold them (an int stays an
    int; None for an unbounded end), from which :attr:`nominal`, :attr:`low` and
    :attr:`high` are built on first use: making an Estimate makes no pint Quantity."""
    _text: str | None = field(repr=False)
    """``str(self)``, computed on first use (an Estimate is immutable)."""
    _q: tuple[Any, Any, Any] | None = field(repr=False)
    """``(low, nominal, high)`` as Quantities, built on first use."""

    def __init__(
        self, nominal: Any, bound: Bound | str, low: Any | None = None, high: Any | None = None
    ) -> None:
        if type(bound) is not Bound:
            try:
                bound = Bound(bound)
            except ValueError:
                raise InvalidValueError(
                    f"bound must be one of {', '.join(b.value for b in Bound)} (got {bound!r})"
                ) from None
        if not isinstance(nominal, ureg.Quantity):
            raise UnitError(f"an Estimate's nominal must be a Quantity (got {nominal!r})")
        u = nominal.units
        lo, hi = _as_units(low, u), _as_units(high, u)
        _init(
            self,
            bound,
            u,
            nominal.magnitude,
            None if lo is None else lo.magnitude,
            None if hi is None else hi.magnitude,
        )

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def exact(cls, value: Any, unit: str | Any | None = None) -> Estimate:
        """A value stated with no qualifier: ``Estimate.exact(1.76, "Tparameter")``."""
        u = _plain_unit(unit, value)
        if u is None:
            return cls(quantity(value, unit), Bound.EXACT)
        return _estimate(Bound.EXACT, u, value, cls=cls)

    @classmethod
    def about(
        cls, value: Any, unit: str | Any | None = None, *, low: Any = None, high: Any = None
    ) -> Estimate:
        """ "About" a value; spans half a unit in its last non-zero digit unless
        ``low``/``high`` (numbers in ``unit``, or quantities) are given."""
        u = _plain_unit(unit, value, low, high)
        if u is None:
            q = quantity(value, unit)
            return cls(q, Bound.APPROX, _end(low, q), _end(high, q))
        return _estimate(Bound.APPROX, u, value, low, high, cls=cls)

    @classmethod
    def at_least(cls, value: Any, unit: str | Any | None = None) -> Estimate:
        """ "More than", "at least": ``Estimate.at_least(100_000, "H100")``."""
        u = _plain_unit(unit, value)
        if u is None:
            return cls(quantity(value, unit), Bound.AT_LEAST)
        return _estimate(Bound.AT_LEAST, u, value, cls=cls)

    @classmethod
    def at_most(cls, value: Any, unit: str | Any | None = None) -> Estimate:
        """ "Up to", "at most"."""
        u = _plain_unit(unit, value)
        if u is None:
            return cls(quantity(value, unit), Bound.AT_MOST)
        return _estimate(Bound.AT_MOST, u, value, cls=cls)

    @classmethod
    def between(
        cls, low: Any, high: Any, unit: str | Any | None = None, *, nominal: Any = None
    ) -> Estimate:
        """ "From low to high"; the nominal value defaults to the midpoint."""
        u = _plain_unit(unit, low, high, nominal)
        if u is not None:
            mid = low / 2 + high / 2 if nominal is None else nominal  # no overflow
            return _estimate(Bound.RANGE, u, mid, low, high, cls=cls)
        lo = quantity(low, unit)
        hi = to_unit(quantity(high, unit), lo.units)
        if nominal is None:
            mid = Q_(lo.magnitude / 2 + hi.magnitude / 2, lo.units)  # no overflow
        else:
            mid = to_unit(quantity(nominal, unit), lo.units)
        return cls(mid, Bound.RANGE, lo, hi)

    @classmethod
    def unknown(cls, unit: str | Any) -> Estimate:
        """A unit with no figure: the source names the chip but not how many."""
        u = _plain_unit(unit, math.nan)
        if u is None:
            return cls(quantity(math.nan, unit), Bound.UNKNOWN)
        return _estimate(Bound.UNKNOWN, u, math.nan, cls=cls)

    # -- quantities, built on first use ----------------------------------------------------
    def _quantities(self) -> tuple[Any, Any, Any]:
        q = self._q
        if q is None:
            lo, n, hi = self._mags
            u = self._unit
            q = (None if lo is None else Q_(lo, u), Q_(n, u), None if hi is None else Q_(hi, u))
            object.__setattr__(self, "_q", q)
        return q

    @property
    def nominal(self) -> Any:
        """The central value as stated (a pint Quantity; NaN where no figure is known)."""
        return self._quantities()[1]

    @property
    def low(self) -> Any | None:
        """The lower end, a Quantity in the nominal's unit, or None where unbounded."""
        return self._quantities()[0]

    @property
    def high(self) -> Any | None:
        """The upper end, a Quantity in the nominal's unit, or None where unbounded."""
        return self._quantities()[2]

    def __getstate__(self) -> tuple[Any, ...]:
        # the figures and the unit; quantities are rebuilt on use
        return (self.bound, self._ends, self._unit, self._mags, self._text)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        bound, ends, unit, mags, text = state
        for name, value in (
            ("bound", bound),
            ("_ends", ends),
            ("_unit", unit),
            ("_mags", mags),
            ("_text", text),
            ("_q", None),
        ):
            object.__setattr__(self, name, value)

    # -- views ----------------------------------------------------------------------------
    @property
    def units(self) -> Any:
        """The unit of the nominal value."""
        return self._unit

    @property
    def dimensionality(self) -> Any:
        """The pint dimensionality (``[parameter]``, ``[accelerator_H100]`` …)."""
        return _dimensionality(self._unit)

    @property
    def is_known(self) -> bool:
        """False for :meth:`unknown` estimates (no figure at all)."""
        return math.isfinite(self._ends[1])

    def interval(self, unit: str | Any | None = None) -> tuple[float, float, float]:
        """``(low, nominal, high)`` as floats in ``unit`` (default: the nominal's),
        with ``-inf``/``inf`` for unbounded ends."""
        if unit is None:
            return self._ends
        f = factor(self.units, unit_of(unit))
        if f == 1.0:
            return self._ends
        lo, n, hi = self._ends
        return lo * f, n * f, hi * f  # ±inf stays ±inf: the factor is positive

    def to(self, unit: str | Any) -> Estimate:
        """The same estimate in another unit of the same dimension."""
        lo, n, hi = self.interval(unit)
        return _from_interval(lo, n, hi, _units_of(unit), self.bound, keep_bound=True)

    def contains(self, value: Any) -> bool:
        """True when ``value`` (a quantity or number) lies in ``[low, high]``."""
        v = float(to_unit(quantity(value), self.units).magnitude)
        lo, _, hi = self.interval()
        return lo <= v <= hi

    def compare(self, other: Estimate | Any) -> Ordering:
        """Certainly less, certainly greater, equal (both exact), or cannot tell."""
        o = _coerce(other)
        if o is None:
            raise TypeError(f"cannot compare an Estimate with {other!r}")
        (alo, _, ahi), (blo, _, bhi) = _aligned(self, o, "compare")
        if _above(alo, bhi):
            return Ordering.GREATER
        if _above(blo, ahi):
            return Ordering.LESS
        if _close(alo, ahi) and _close(blo, bhi) and _close(alo, blo):
            return Ordering.EQUAL
        return Ordering.CANNOT_TELL

    def __lt__(self, other: Estimate | Any) -> bool:
        """Certainly less: ``high < other.low``."""
        return self.compare(other) is Ordering.LESS

    def __gt__(self, other: Estimate | Any) -> bool:
        """Certainly greater: ``low > other.high``."""
        return self.compare(other) is Ordering.GREATER

    def __le__(self, other: Estimate | Any) -> bool:
        """Certainly less or equal: ``high <= other.low``."""
        (_, _, ahi), (blo, _, _) = _aligned(self, _require(other), "compare")
        return not _above(ahi, blo)

    def __ge__(self, other: Estimate | Any) -> bool:
        """Certainly greater or equal: ``low >= other.high``."""
        (alo, _, _), (_, _, bhi) = _aligned(self, _require(other), "compare")
        return not _above(bhi, alo)

    # -- equality ---------------------------------------------------------------------------
    def _base(self) -> tuple[str, tuple[float, float, float]]:
        base = base_units(self.units)
        return units_label(base), self.interval(base)

    def __eq__(self, other: object) -> bool:
        """Same bound kind, dimension and interval (ends within 1e-9 relative: unit
        conversion rounds), whatever the units: ``≈15 kH100 == ≈15,000 H100``."""
        if not isinstance(other, Estimate):
            return NotImplemented
        (ua, a), (ub, b) = self._base(), other._base()
        return self.bound is other.bound and ua == ub and all(map(_close, a, b))

    def __hash__(self) -> int:
        # coarse on purpose: equal estimates must hash equal, and equality is within a tolerance
        return hash((self.bound, self._base()[0]))

    # -- arithmetic -------------------------------------------------------------------------
    def __add__(self, other: Any) -> Estimate:
        return _binary(self, other, "+")

    def __radd__(self, other: Any) -> Estimate:
        return _binary(other, self, "+")

    def __sub__(self, other: Any) -> Estimate:
        return _binary(self, other, "-")

    def __rsub__(self, other: Any) -> Estimate:
        return _binary(other, self, "-")

    def __mul__(self, other: Any) -> Estimate:
        return _binary(self, other, "*")

    def __rmul__(self, other: Any) -> Estimate:
        return _binary(other, self, "*")

    def __truediv__(self, other: Any) -> Estimate:
        return _binary(self, other, "/")

    def __rtruediv__(self, other: Any) -> Estimate:
        return _binary(other, self, "/")

    def __neg__(self) -> Estimate:
        """The same estimate of the opposite sign (``-≈500`` is ``≈-500``)."""
        lo, n, hi = self.interval()
        kind = _MIRRORED.get(self.bound, self.bound)
        return _from_interval(-hi, -n, -lo, self.units, kind, keep_bound=True)

    def __pos__(self) -> Estimate:
        return self

    def __abs__(self) -> Estimate:
        """``|x|`` for every ``x`` in the interval: the same estimate where it does not
        straddle zero (its sign flipped if negative), else ``[0, max(|low|, |high|)]``."""
        lo, n, hi = self.interval()
        if lo >= 0 or (not self.is_known and lo == -_INF and hi == _INF):
            return self
        if hi <= 0:
            return -self
        top = max(-lo, hi)
        kind = _classify(0.0, top, False)
        return _from_interval(0.0, abs(n), top, self.units, kind, keep_bound=True)

    def __pow__(self, exponent: int) -> Estimate:
        """An integer power, sound like the other operations: ``x ** n`` lies in
        ``e ** n`` for every ``x`` in ``e`` (``[-2, 3] ** 2`` is ``[0, 9]``); units
        are raised too. :class:`TypeError` for other exponents."""
        if isinstance(exponent, bool) or not isinstance(exponent, int):
            raise TypeError(f"an Estimate's power must be an integer (got {exponent!r})")
        if exponent == 0:
            return Estimate.exact(1)
        if exponent < 0:
            return Estimate.exact(1) / self**-exponent
        lo, n, hi = self.interval()
        units = self.units**exponent

        def power(x: float) -> float:
            try:
                return _finite_in_finite_out(x**exponent, x)
            except OverflowError:
                raise InvalidValueError(
                    "the result is too large for a float (it overflows)"
                ) from None

        ends = [power(lo), power(hi)]
        plo, phi = min(ends), max(ends)
        if exponent % 2 == 0 and lo < 0 < hi:
            plo = 0.0
        pn = power(n) if math.isfinite(n) else math.nan
        if self.bound is Bound.EXACT:
            return Estimate(Q_(plo, units), Bound.EXACT)
        return _from_interval(plo, pn, phi, units, _classify(plo, phi, False), keep_bound=True)

    def __float__(self) -> float:
        """The value of an exact, dimensionless estimate (a ratio, a percentage as
        a fraction); :class:`InvalidValueError` for any other."""
        if self.bound is not Bound.EXACT:
            raise InvalidValueError(
                f"float() needs an exact value, and {self} is {self.bound.value}: "
                "use interval() for its ends"
            )
        if self.dimensionality:
            raise InvalidValueError(
                f"float() needs a dimensionless value, and {self} is in "
                f"{units_label(self.units)}: use interval(unit)[1] for its figure in a unit"
            )
        factor = float(Q_(1, self.units).to(ureg.dimensionless).magnitude)
        n = self._ends[1]
        # dividing by 100 is exact where multiplying by 0.01 is not (69% is 0.69)
        return n * factor if factor >= 1 else n / (1 / factor)

    def __round__(self, ndigits: int | None = None) -> Estimate:
        """The estimate with its figures rounded to ``ndigits`` decimals in its own
        unit (default 0): the nominal to nearest, the low end down and the high end
        up, so the rounded interval still contains the original one. An exact value
        rounds to the exact rounded value, as ``round()`` of a float does.

        "≈" is a source's rounding, never arithmetic's: an "about" whose ends
        round to other ends is the range they span (``round(≈15,000, -4)`` is
        ``10,000–20,000``, not a "≈20,000" that would read 15,000–25,000); one
        whose ends are already on the grid is itself."""
        digits = 0 if ndigits is None else ndigits
        lo, n, hi = self.interval()
        scale = 10.0**digits

        def rnd(x: float, how: Callable[[float], float]) -> float:
            return x if not math.isfinite(x) else how(x * scale) / scale

        if self.bound is Bound.EXACT:
            return Estimate(Q_(round(n, digits), self.units), Bound.EXACT)
        rn = round(n, digits) if math.isfinite(n) else n
        rlo, rhi = rnd(lo, math.floor), rnd(hi, math.ceil)
        if n in (lo, hi) and self.bound in _MIRRORED:  # "at least 3": the figure is the bound
            rn = rlo if n == lo else rhi
        if self.bound is Bound.APPROX:
            if (rlo, rn, rhi) == (lo, n, hi):
                return self
            return _from_interval(rlo, rn, rhi, self.units, Bound.RANGE, keep_bound=True)
        return _from_interval(rlo, rn, rhi, self.units, self.bound, keep_bound=True)

    def sort_key(self) -> tuple[str, bool, float, float, float]:
        """A total order for sorting (``sorted(es, key=Estimate.sort_key)``): by
        dimension, then nominal value in base units (unknown ones last), then low
        end, then high end. ``<`` stays "certainly less", which is only partial."""
        base, (lo, n, hi) = self._base()
        unknown = math.isnan(n)
        return base, unknown, 0.0 if unknown else n, lo, hi

    # -- text ---------------------------------------------------------------------------------
    def __str__(self) -> str:
        text = self._text
        if text is None:
            from .display import format_estimate

            text = format_estimate(self)
            object.__setattr__(self, "_text", text)
        return text

    def __repr__(self) -> str:
        lo, n, hi = self.interval()
        u = units_label(self.units)
        return f"<Estimate {self} ({self.bound.value}: [{lo:g}, {hi:g}] {u}, nominal {n:g})>"


# -- helpers -----------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1024)
def _base_factor(units: Any) -> float:
    """How many base units one of ``units`` is (``Eparameter``: 1e18)."""
    return factor(units, base_units(units))


def _check_finite_in_base(units: Any, *figures: Any) -> None:
    """:class:`InvalidValueError` unless every figure (a magnitude in ``units``, or
    None) is finite in base units too: ``1e308 Eparameter`` is a float, but as
    parameters it is infinite, and two such values would compare equal."""
    factor = _base_factor(units)
    for x in (float(f) for f in figures if f is not None):
        if not math.isnan(x) and not math.isfinite(x * factor):  # NaN: no figure
            raise InvalidValueError(
                f"{x!r} {units_label(units)} is too large: it is not a finite number of "
                f"{units_label(Q_(1, units).to_base_units().units)}"
            )


def _init(e: Estimate, bound: Bound, u: Any, nominal: Any, low: Any, high: Any) -> None:
    """Check and set the fields of ``e``: the Estimate of the magnitudes ``nominal``,
    ``low`` and ``high`` (None: not given) in the pint unit ``u``, bounded by ``bound``.
    Every Estimate is made here, by the constructor or without a Quantity."""
    n = float(nominal)
    lo, hi = low, high
    if bound is Bound.EXACT:
        if not math.isfinite(n):
            raise InvalidValueError("an exact Estimate needs a finite value")
        lo = hi = n
    elif bound is Bound.APPROX:
        half = _stated_half_unit(n)
        lo = lo if lo is not None else n - half
        hi = hi if hi is not None else n + half
    elif bound is Bound.AT_LEAST:
        lo, hi = (lo if lo is not None else n), None
    elif bound is Bound.AT_MOST:
        lo, hi = None, (hi if hi is not None else n)
    elif bound is Bound.RANGE:
        if lo is None or hi is None:
            raise InvalidValueError("a range Estimate needs both low and high")
    else:
        lo = hi = None
    flo = -_INF if lo is None else float(lo)
    if lo is not None and not math.isfinite(flo):
        raise InvalidValueError(f"low must be finite or None (got {lo!r})")
    fhi = _INF if hi is None else float(hi)
    if hi is not None and not math.isfinite(fhi):
        raise InvalidValueError(f"high must be finite or None (got {hi!r})")
    f = _base_factor(u)
    if not (
        math.isfinite(n * f)
        and (lo is None or math.isfinite(flo * f))
        and (hi is None or math.isfinite(fhi * f))
    ):
        _check_finite_in_base(u, n, lo, hi)  # says what is wrong, if anything (NaN: no figure)
    if lo is not None and hi is not None and lo > hi:
        raise InvalidValueError(f"low ({lo}) is above high ({hi})")
    outside = (lo is not None and n < lo) or (hi is not None and n > hi)
    if math.isfinite(n) and outside:
        raise InvalidValueError(f"the nominal value {n} lies outside [low, high]")
    object.__setattr__(e, "bound", bound)
    object.__setattr__(e, "_ends", (flo, n, fhi))
    object.__setattr__(e, "_unit", u)
    object.__setattr__(e, "_mags", (lo, nominal, hi))
    object.__setattr__(e, "_text", None)
    object.__setattr__(e, "_q", None)


def _estimate(
    bound: Bound,
    u: Any,
    nominal: Any,
    low: Any = None,
    high: Any = None,
    *,
    cls: type[Estimate] | None = None,
) -> Estimate:
    """``Estimate(Q_(nominal, u), bound, Q_(low, u), Q_(high, u))`` (None ends as
    None), made without building a Quantity: the magnitudes are numbers in the
    pint Unit ``u``. The same checks, the same errors."""
    e = object.__new__(Estimate if cls is None else cls)
    _init(e, bound, u, nominal, low, high)
    return e


def _exact(u: Any, x: float, base: float | None = None) -> Estimate:
    """``Estimate.exact(x, u)`` for a finite float ``x`` and a pint Unit ``u`` (of
    ``base`` base units, if known), in fewer steps: the same fields (its three ends
    one tuple), the same error for a figure that is not finite in base units."""
    if not math.isfinite(x * (_base_factor(u) if base is None else base)):
        _check_finite_in_base(u, x)
    e = object.__new__(Estimate)
    ends = (x, x, x)
    object.__setattr__(e, "bound", Bound.EXACT)
    object.__setattr__(e, "_ends", ends)
    object.__setattr__(e, "_unit", u)
    object.__setattr__(e, "_mags", ends)
    object.__setattr__(e, "_text", None)
    object.__setattr__(e, "_q", None)
    return e


def _plain(x: Any) -> bool:
    """A plain number (not a bool, not a Quantity): what the fast constructors take."""
    return isinstance(x, int | float) and not isinstance(x, bool)


def _plain_unit(unit: Any, value: Any, *optional: Any) -> Any | None:
    """The pint Unit of ``unit`` where ``value`` is a plain number, each of
    ``optional`` None or one, and ``unit`` a unit's text, a Unit or None
    (dimensionless): the constructors then need no Quantity. None otherwise (they
    take the general path). :class:`UnitError` for an unknown unit, as
    :func:`~modelcompare.units.quantity` raises."""
    if not _plain(value) or not all(x is None or _plain(x) for x in optional):
        return None
    if unit is None:
        return _DIMENSIONLESS
    if isinstance(unit, str):
        return unit_of(unit)
    return unit if isinstance(unit, ureg.Unit) else None


_DIMENSIONLESS = ureg.dimensionless


@functools.lru_cache(maxsize=4096)
def _dimensionality(units: Any) -> Any:
    """The dimensionality of ``units``, cached per unit."""
    return Q_(1, units).dimensionality


def _units_of(unit: str | Any) -> Any:
    return unit_of(unit)  # parsed once per text


def _end(value: Any, like: Any) -> Any:
    return _as_units(value, like.units)


def _as_units(value: Any, units: Any) -> Any:
    """``value`` in ``units``: a number is taken to be in them, a quantity converted."""
    if value is None:
        return None
    if isinstance(value, ureg.Quantity):
        return to_unit(value, units)
    return quantity(value, units)


def _aligned(
    a: Estimate, b: Estimate, op: str
) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Both intervals in ``a``'s unit; :class:`UnitError` when the dimensions differ."""
    if not _same_dim(a, b):
        _mismatch(a, b, op)
    return a.interval(), b.interval(a.units)


def _coerce(x: Any) -> Estimate | None:
    if isinstance(x, Estimate):
        return x
    if isinstance(x, ureg.Quantity):
        return Estimate(x, Bound.EXACT)
    if isinstance(x, int | float) and not isinstance(x, bool):
        return _estimate(Bound.EXACT, _DIMENSIONLESS, x)
    if isinstance(x, pint.Quantity):
        raise UnitError(
            "this quantity belongs to another pint registry; build it with modelcompare.Q_"
        )
    return None


def _require(x: Any) -> Estimate:
    e = _coerce(x)
    if e is None:
        raise TypeError(f"expected an Estimate, a Quantity or a number, got {x!r}")
    return e


def _same_dim(a: Estimate, b: Estimate) -> bool:
    return bool(a.dimensionality == b.dimensionality)


def _mismatch(a: Estimate, b: Estimate, op: str) -> NoReturn:
    raise UnitError(
        f"cannot {op} {units_label(a.units)} ({a.dimensionality or 'dimensionless'}) "
        f"and {units_label(b.units)} ({b.dimensionality or 'dimensionless'})"
    )


def _classify(lo: float, hi: float, approx: bool) -> Bound:
    if lo == -_INF and hi == _INF:
        return Bound.UNKNOWN
    if lo == -_INF:
        return Bound.AT_MOST
    if hi == _INF:
        return Bound.AT_LEAST
    if lo == hi:
        return Bound.EXACT
    return Bound.APPROX if approx else Bound.RANGE


def _from_interval(
    lo: float, n: float, hi: float, units: Any, bound: Bound, *, keep_bound: bool = False
) -> Estimate:
    kind = bound if keep_bound else _classify(lo, hi, bound is Bound.APPROX)
    low = None if lo == -_INF else lo
    high = None if hi == _INF else hi
    if kind is Bound.EXACT:
        low = high = None
        n = lo
    elif math.isfinite(n) and not lo <= n <= hi:
        n = min(max(n, lo), hi)
    if isinstance(units, ureg.Unit):
        return _estimate(kind, units, n, low, high)
    return Estimate(
        Q_(n, units),
        kind,
        None if low is None else Q_(low, units),
        None if high is None else Q_(high, units),
    )


#: The bound kind of ``-x``: a lower bound becomes an upper bound and back.
_MIRRORED = {Bound.AT_LEAST: Bound.AT_MOST, Bound.AT_MOST: Bound.AT_LEAST}

_OPS: dict[str, Callable[[float, float], float]] = {"+": _add, "-": _sub, "*": _mul}


def _binary(left: Any, right: Any, op: str) -> Estimate:
    a, b = _coerce(left), _coerce(right)
    if a is None or b is None:
        return NotImplemented  # type: ignore[no-any-return]
    # "≈" means "as rounded by a source": a result of arithmetic is never "about"
    # (its interval is not half a unit in its last digit), it is the range it spans
    if op in "+-":
        units = a.units
        (alo, an, ahi), (blo, bn, bhi) = _aligned(a, b, "add" if op == "+" else "subtract")
        if op == "+":
            lo, hi = _add(alo, blo), _add(ahi, bhi)
        else:
            lo, hi = _sub(alo, bhi), _sub(ahi, blo)
        n = _OPS[op](an, bn)
    else:
        alo, an, ahi = a.interval()
        blo, bn, bhi = b.interval()
        units, plain = _product_units(a.units, b.units, op)
        if op == "/":
            if blo == bhi == 0:
                raise DivisionByZeroError()
            blo, bhi = _reciprocal(blo, bhi)
            bn = _finite_in_finite_out(1 / bn, bn) if bn != 0 else math.nan
        ends = [_mul(x, y) for x in (alo, ahi) for y in (blo, bhi)]
        lo, hi = min(ends), max(ends)
        n = _mul(an, bn) if math.isfinite(an) and math.isfinite(bn) else math.nan
        bound = _classify(lo, hi, False)
        result = _from_interval(lo, n, hi, units, bound, keep_bound=True)
        return result.to(_DIMENSIONLESS) if plain else result
    bound = _classify(lo, hi, False)
    result = _from_interval(lo, n, hi, units, bound, keep_bound=True)
    if result.dimensionality == ureg.dimensionless.dimensionality and str(units) != "percent":
        result = result.to(ureg.dimensionless)
    return result


@per_unit_pair
def _product_units(ua: Any, ub: Any, op: str) -> tuple[Any, bool]:
    """The unit of a product (``op`` ``*``) or a quotient (``/``) of values in
    ``ua`` and ``ub``, and whether it is a dimensionless one other than
    ``percent`` (the result is then put in plain numbers), cached per pair of
    units: pint's unit arithmetic costs tens of microseconds an operation."""
    units = ua * ub if op == "*" else ua / ub
    plain = Q_(1, units).dimensionality == _DIMENSIONLESS.dimensionality
    return units, plain and str(units) != "percent"


# pint treats unknown objects as magnitudes: ``Q_(6, "FLOP") * estimate`` would
# wrap the Estimate inside a Quantity. As an "upcast type", pint defers to us.
_upcast = cast("dict[str, type | None]", pint.compat.upcast_type_map)
_upcast[f"{Estimate.__module__}.{Estimate.__qualname__}"] = Estimate


def _reciprocal(lo: float, hi: float) -> tuple[float, float]:
    """1 / [lo, hi] on the extended reals (the caller rules out [0, 0])."""

    def inv(x: float) -> float:
        return 0.0 if math.isinf(x) else _finite_in_finite_out(1 / x, x)

    if lo > 0 or hi < 0:
        return inv(hi), inv(lo)
    if lo == 0:
        return inv(hi), _INF
    if hi == 0:
        return -_INF, inv(lo)
    return -_INF, _INF
