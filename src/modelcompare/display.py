"""How numbers and estimates read: ``≈15,000 H100``, ``1.76 T parameters``.

One :class:`Scale` serves a single value and a whole table column alike:
:func:`choose_scale` picks it from the magnitudes to show (the smallest
non-zero one reads at least 1), and :func:`format_estimate` writes an
estimate in it.

Numbers are shown as stated: float noise (a few ulps off a decimal of at most
15 digits) is removed (``500.00000000000006`` reads ``500``), and figures with
more than six significant digits (results of arithmetic) are cut to three,
rounding lower bounds down and upper bounds up so that a shown interval always
contains the true one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any, Literal

from .units import Q_, accelerator_symbol, is_accelerator, units_label

if TYPE_CHECKING:
    from .estimate import Estimate

__all__ = ["Scale", "choose_scale", "format_estimate", "format_number"]

Lang = Literal["en", "fr"]
Rounding = Literal["nearest", "down", "up"]

_ROUNDING = {"nearest": ROUND_HALF_EVEN, "down": ROUND_FLOOR, "up": ROUND_CEILING}
_GROUP = {"en": ",", "fr": "\u202f"}
_DECIMAL = {"en": ".", "fr": ","}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

#: Symbols of the bound kinds, the same in every language.
APPROX_SIGN, AT_LEAST_SIGN, AT_MOST_SIGN, RANGE_DASH, UNKNOWN_MARK = "≈", "≥", "≤", "–", "?"


#: Figures with at most this many significant digits show as stated; more
#: (results of arithmetic, such as 14,500 × 989.5) are cut to three.
STATED_DIGITS = 6
#: Beyond these magnitudes (in the chosen scale: no real figure gets there) a
#: figure shows as ``m × 10ⁿ`` rather than as hundreds of digits.
_LARGE, _SMALL = Decimal("1e21"), Decimal("1e-9")


def _round_sig(d: Decimal, sig: int, rounding: str) -> Decimal:
    exp = d.adjusted() - sig + 1
    return d.quantize(Decimal(1).scaleb(exp), rounding=rounding)


def to_decimal(x: float, rounding: Rounding = "nearest") -> Decimal:
    """``x`` as the decimal people should see (noise removed; see the module doc)."""
    if x == 0:
        return Decimal(0)
    exact = Decimal(repr(float(x)))
    # float noise: a decimal of at most 15 digits a few ulps away (0.1 + 0.2 is 0.3);
    # anything farther is real digits, which a bound must not round the wrong way
    clean = _round_sig(exact, 15, ROUND_HALF_EVEN)
    d = (clean if abs(float(clean) - x) <= 4 * math.ulp(x) else exact).normalize()
    if len(d.as_tuple().digits) > STATED_DIGITS:
        d = _round_sig(d, 3, _ROUNDING[rounding]).normalize()
    return d


def format_number(x: float, lang: Lang = "en", rounding: Rounding = "nearest") -> str:
    """``15000 -> '15,000'`` (en) or ``'15 000'`` with a narrow no-break space (fr)."""
    if math.isnan(x):
        return UNKNOWN_MARK
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    d = to_decimal(x, rounding)
    if abs(d) >= _LARGE or (d != 0 and abs(d) < _SMALL):
        exp = d.adjusted()
        mantissa = _plain(d.scaleb(-exp).normalize(), lang)
        return f"{mantissa} × 10{str(exp).translate(_SUPERSCRIPT)}"
    return _plain(d, lang)


def _plain(d: Decimal, lang: Lang) -> str:
    """``d`` in fixed-point notation with the language's separators."""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = _GROUP[lang].join(groups)
    if frac:
        out += _DECIMAL[lang] + frac
    return ("-" if d < 0 else "") + out


@dataclass(frozen=True, slots=True)
class Scale:
    """A display unit: magnitudes in ``base`` are divided by ``factor``.

    ``style`` says how the unit is written: ``short`` (``500 B parameters``),
    ``si`` (``80 GB``), ``count`` (``15,000 H100``), ``sci`` (``7.5 × 10²² FLOP``),
    ``percent`` (``69%``), ``currency`` (``$650 M``) or ``plain``.
    """

    base: str
    factor: float
    prefix: str
    label: str
    style: str

    @property
    def header(self) -> str:
        """The unit as a column header shows it: ``B parameters``, ``TFLOP/s``, ``%``."""
        if self.style == "short":
            return f"{self.prefix} {self.label}".strip()
        if self.style == "si":
            return f"{self.prefix}{self.label}"
        if self.style == "sci":
            return f"× {self.prefix} {self.label}".strip() if self.prefix else self.label
        if self.style == "currency":
            return f"$ {self.prefix}".strip() if self.prefix else "$"
        if self.style == "percent":
            return "%"
        return self.label

    def attach(self, number: str, lang: Lang = "en") -> str:
        """``number`` with this scale's unit written around it."""
        if self.style == "short":
            unit = f"{self.prefix} {self.label}".strip()
            return f"{number} {unit}" if unit else number
        if self.style == "si":
            return f"{number} {self.prefix}{self.label}"
        if self.style == "sci":
            exp = f" × {self.prefix}" if self.prefix else ""
            return f"{number}{exp} {self.label}".rstrip()
        if self.style == "currency":  # the bound sign before the dollar: ≥$628 M
            sign = number[:1] if number[:1] in (APPROX_SIGN, AT_LEAST_SIGN, AT_MOST_SIGN) else ""
            return f"{sign}${number[len(sign) :]} {self.prefix}".rstrip()
        if self.style == "percent":
            return f"{number}\u202f%" if lang == "fr" else f"{number}%"
        return f"{number} {self.label}".rstrip()


_SHORT = [(1e12, "T"), (1e9, "B"), (1e6, "M")]
_SHORT_FR = [(1e9, "milliards de"), (1e6, "millions de")]
_SI = [
    (1e24, "Y"),
    (1e21, "Z"),
    (1e18, "E"),
    (1e15, "P"),
    (1e12, "T"),
    (1e9, "G"),
    (1e6, "M"),
    (1e3, "k"),
]

# dimensionality -> (base unit, label, style); labels are English, _FR_LABELS translates
_FAMILIES: dict[frozenset[tuple[str, int]], tuple[str, str, str]] = {
    frozenset({("[parameter]", 1)}): ("parameter", "parameters", "short"),
    frozenset({("[token]", 1)}): ("token", "tokens", "short"),
    frozenset({("[currency]", 1)}): ("USD", "", "currency"),
    frozenset({("[compute]", 1)}): ("FLOP", "FLOP", "sci"),
    frozenset({("[compute]", 1), ("[time]", -1)}): ("FLOP/s", "FLOP/s", "si"),
    frozenset({("[information]", 1)}): ("B", "B", "si"),
    frozenset({("[information]", 1), ("[time]", -1)}): ("B/s", "B/s", "si"),
    frozenset({("[mass]", 1), ("[length]", 2), ("[time]", -3)}): ("W", "W", "si"),
    frozenset({("[mass]", 1), ("[length]", 2), ("[time]", -2)}): ("Wh", "Wh", "si"),
    frozenset({("[mt_bench]", 1)}): ("mt_bench_point", "", "plain"),
    frozenset({("[token]", 1), ("[parameter]", -1)}): (
        "token/parameter",
        "tokens/parameter",
        "plain",
    ),
}
_FR_LABELS = {
    "parameters": "paramètres",
    "tokens": "tokens",
    "tokens/parameter": "tokens/paramètre",
}
_TIME = [(86400.0, "days", "jours"), (3600.0, "hours", "heures"), (1.0, "s", "s")]


def _family(units: Any) -> tuple[str, str, str]:
    q = Q_(1, units)
    if is_accelerator(q):
        sym = accelerator_symbol(q)
        return sym, sym, "count"
    dims = frozenset((str(k), int(v)) for k, v in dict(q.dimensionality).items())
    if not dims:
        if str(units) == "percent":
            return "percent", "%", "percent"
        return "dimensionless", "", "plain"
    if dims == frozenset({("[time]", 1)}):
        return "s", "s", "time"
    return _FAMILIES.get(dims, (str(units), units_label(units), "plain"))


def choose_scale(units: Any, magnitudes: Iterable[float] = (), lang: Lang = "en") -> Scale:
    """The display scale for values of ``units`` whose magnitudes (in ``units``)
    are ``magnitudes``: the largest at which the smallest non-zero one reads ≥ 1."""
    base, label, style = _family(units)
    to_base = float(Q_(1, units).to(base).magnitude)
    finite = [abs(m) * to_base for m in magnitudes if math.isfinite(m) and m != 0]
    smallest = min(finite) if finite else 0.0
    if lang == "fr":
        label = _FR_LABELS.get(label, label)
    if style in ("short", "currency"):
        table = _SHORT_FR if lang == "fr" and style == "short" else _SHORT
        for factor, prefix in table:
            if smallest >= factor:
                return Scale(base, factor, prefix, label, style)
        return Scale(base, 1.0, "", label, style)
    if style == "si":
        for factor, prefix in _SI:
            if smallest >= factor:
                return Scale(base, factor, prefix, label, style)
        if label == "B":  # a bare "500 B" would read as 500 billion beside parameter counts
            label = "octets" if lang == "fr" else "bytes"
        return Scale(base, 1.0, "", label, style)
    if style == "sci":
        if smallest >= 1e4:
            exp = math.floor(math.log10(smallest))
            return Scale(base, 10.0**exp, f"10{str(exp).translate(_SUPERSCRIPT)}", label, style)
        return Scale(base, 1.0, "", label, style)
    if style == "time":
        for factor, en, fr in _TIME:
            if smallest >= factor:
                return Scale(base, factor, "", fr if lang == "fr" else en, "plain")
        return Scale(base, 1.0, "", "s", "plain")
    if style == "percent":
        return Scale(base, 1.0, "", "%", "percent")
    return Scale(base, 1.0, "", label, style)


def scaled(e: Estimate, scale: Scale) -> tuple[float, float, float]:
    """``(low, nominal, high)`` of ``e`` divided into ``scale``."""
    lo, n, hi = e.interval(scale.base)
    return lo / scale.factor, n / scale.factor, hi / scale.factor


def format_estimate(
    e: Estimate, *, scale: Scale | None = None, lang: Lang = "en", unit: bool = True
) -> str:
    """``e`` as people write it: ``≈15,000 H100``, ``≥100,000 H100``,
    ``3.8–14 B parameters``; with ``unit=False`` the bare figure for a table
    cell whose column header carries the unit."""
    from .estimate import Bound

    if scale is None:
        lo, n, hi = e.interval()
        scale = choose_scale(e.units, [v for v in (lo, n, hi) if math.isfinite(v)], lang)
    lo, n, hi = scaled(e, scale)
    if e.bound is Bound.EXACT:
        text = format_number(n, lang)
    elif e.bound is Bound.APPROX:
        text = APPROX_SIGN + format_number(n, lang)
    elif e.bound is Bound.AT_LEAST:
        text = AT_LEAST_SIGN + format_number(lo, lang, "down")
    elif e.bound is Bound.AT_MOST:
        text = AT_MOST_SIGN + format_number(hi, lang, "up")
    elif e.bound is Bound.RANGE:
        text = format_number(lo, lang, "down") + RANGE_DASH + format_number(hi, lang, "up")
    else:
        text = UNKNOWN_MARK
    if not unit:
        return text
    return scale.attach(text, lang)
