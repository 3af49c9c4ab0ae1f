"""How numbers and estimates read: ``≈15,000 H100``, ``1.76 T parameters``.

One :class:`Scale` serves a single value and a whole table column alike:
:func:`choose_scale` picks it from the magnitudes to show (the smallest
non-zero one reads at least 1), :func:`own_scale` the one an estimate reads in
alone, and :func:`format_estimate` writes an estimate in it.

The rules
---------
* **Figures as stated.** A figure shows with every digit it has, float noise
  removed (``500.00000000000006`` reads ``500``), where it has at most
  :data:`STATED_DIGITS` significant digits or is a whole number in its unit
  (up to 15 digits): ``exact(1234567, "H100")`` reads ``1,234,567 H100``.
* **Longer figures** (results of arithmetic, such as 100,000 ÷ 15,500) show
  :data:`CUT_DIGITS` significant digits. A lower bound is rounded down and an upper bound
  up, so a shown interval always contains the true one (``≥6.45``); any other
  figure is cut, not rounded, and followed by :data:`CONTINUES` (``…``): the
  digits shown are right and more follow (``0.666…``).
* **In the unit asked.** An estimate alone reads in its own unit
  (``.to("GiB")`` reads in GiB, ``exact(5000, "s")`` in seconds, a value in
  ``Gparameter`` in ``B parameters``), mapped onto the named scales where one
  matches. Only a base unit (``parameter``, ``W``, ``FLOP``…) is rescaled to
  read best (``500e9 parameter`` reads ``500 B parameters``).
* **Past the largest named scale** (T for counts, Y for SI units), figures
  are written ``m × 10ⁿ`` with the base unit, as FLOP always are:
  ``1 × 10³⁰ parameters``.
* **Plurals**: ``1 parameter``, ``2 parameters``, ``1 hour`` (French: ``1,5 jour``).
* **"≈" is a source's rounding.** An "about" shows as ``≈`` + its figure only
  where its interval is half a unit in the figure's last digit either side
  (``≈15,000 H100``); any other (a span a source states, as Epoch's compute
  bounds, or one a conversion moved) shows its figure and then its span,
  ``3.35 (1–10) × 10²⁵ FLOP``, which :func:`~modelcompare.parse` reads back.
* **In a column**, cells that share a scale share their number of decimals
  (``decimals=`` of :func:`format_estimate`; see :func:`column_decimals`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
)
from typing import Any, Literal

from .bounds import Bound
from .bounds import Figures as Estimate  # what display reads of an Estimate
from .units import Q_, accelerator_symbol, is_accelerator, per_unit, units_label

__all__ = [
    "CONTINUES",
    "CUT_DIGITS",
    "STATED_DIGITS",
    "Scale",
    "choose_scale",
    "column_decimals",
    "format_estimate",
    "format_number",
    "own_scale",
    "shown_value",
    "states_its_digits",
]

Lang = Literal["en", "fr"]
Rounding = Literal["nearest", "down", "up"]

#: How a figure that is cut rounds: a lower bound down, an upper bound up, any
#: other figure towards zero (it is then marked :data:`CONTINUES`).
_ROUNDING = {"nearest": ROUND_DOWN, "down": ROUND_FLOOR, "up": ROUND_CEILING}
_GROUP = {"en": ",", "fr": "\u202f"}
_DECIMAL = {"en": ".", "fr": ","}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_CONTEXT = Context(prec=80)

#: Symbols of the bound kinds, the same in every language.
APPROX_SIGN, AT_LEAST_SIGN, AT_MOST_SIGN, RANGE_DASH, UNKNOWN_MARK = "≈", "≥", "≤", "–", "?"
#: After a figure whose digits were cut for display: the digits shown are right
#: and more follow (``0.666…``).
CONTINUES = "…"

#: Figures with at most this many significant digits show in full (as do whole
#: numbers in their unit); in a column they set the shared decimals.
STATED_DIGITS = 6
#: Longer figures (results of arithmetic) show this many.
CUT_DIGITS = 3
#: Whole numbers of up to this many digits show in full (``123,456,789 parameters``).
_WHOLE_DIGITS = 15
#: Beyond these magnitudes (in the chosen scale: no real figure gets there) a
#: figure shows as ``m × 10ⁿ`` rather than as hundreds of digits.
_LARGE, _SMALL = Decimal("1e21"), Decimal("1e-9")


def _round_sig(d: Decimal, sig: int, rounding: str) -> Decimal:
    exp = d.adjusted() - sig + 1
    return d.quantize(Decimal(1).scaleb(exp, _CONTEXT), rounding=rounding, context=_CONTEXT)


def to_decimal(x: float) -> Decimal:
    """``x`` as the decimal it stands for: float noise (a decimal of at most 15
    digits a few ulps away, as 0.1 + 0.2 is 0.3) removed, nothing else."""
    if x == 0:
        return Decimal(0)
    text = repr(float(x))
    if len(text) <= 15:  # at most 15 digits: the float's shortest repr has no noise
        return Decimal(text).normalize()
    exact = Decimal(text)
    # anything farther than a few ulps is real digits, which a bound must not round the wrong way
    clean = _round_sig(exact, 15, ROUND_HALF_EVEN)
    return (clean if abs(float(clean) - x) <= 4 * math.ulp(x) else exact).normalize()


def denoised(x: float) -> float:
    """``float(to_decimal(x))`` for a finite ``x``: ``x`` itself where its shortest
    repr has at most 15 significant digits (no noise to remove), with no Decimal."""
    if x == 0:
        return 0.0  # as Decimal(0) is (never -0.0)
    return x if len(repr(x)) <= 15 or _split(x) is not None else float(to_decimal(x))


def _digits(d: Decimal) -> int:
    return len(d.normalize().as_tuple().digits)


def _decimals(d: Decimal) -> int:
    """How many decimals ``d`` shows (0 for an integer)."""
    exp = d.normalize().as_tuple().exponent
    return max(0, -int(exp))


def shown_decimal(
    x: float, rounding: Rounding = "nearest", decimals: int | None = None, *, full: bool = False
) -> tuple[Decimal, bool]:
    """The decimal shown for ``x`` and whether its digits were cut (a figure
    other than a bound, which is then marked :data:`CONTINUES`); see the module doc.
    ``decimals`` asks for that many decimals (zeros added, or digits cut where
    that leaves at least :data:`CUT_DIGITS` significant ones); ``full`` shows a
    figure of up to 15 digits in full (a whole number in its unit)."""
    d = to_decimal(x)
    if d == 0:
        return (Decimal(0).quantize(Decimal(1).scaleb(-decimals)) if decimals else d), False
    if decimals is not None and _SMALL <= abs(d) < _LARGE:  # (m × 10ⁿ has no column decimals)
        step = Decimal(1).scaleb(-decimals, _CONTEXT)
        if _decimals(d) <= decimals:
            return d.quantize(step, context=_CONTEXT), False
        r = d.quantize(step, rounding=_ROUNDING[rounding], context=_CONTEXT)
        if r != 0 and r.adjusted() + decimals + 1 >= CUT_DIGITS:
            return r, rounding == "nearest"
    if _digits(d) <= (_WHOLE_DIGITS if full else STATED_DIGITS):
        return d, False
    r = _round_sig(d, CUT_DIGITS, _ROUNDING[rounding])
    return r.normalize(), rounding == "nearest" and r != d


def format_number(
    x: float,
    lang: Lang = "en",
    rounding: Rounding = "nearest",
    decimals: int | None = None,
    *,
    full: bool = False,
) -> str:
    """``15000 -> '15,000'`` (en) or ``'15 000'`` with a narrow no-break space (fr);
    see the module doc and :func:`shown_decimal` for the digits shown."""
    text = _format_number_fast(x, lang, rounding, decimals, full)
    if text is None:
        text = _format_number_decimal(x, lang, rounding, decimals, full=full)
    return text


def _split(x: float) -> tuple[bool, str, int] | None:
    """``to_decimal(x)`` as ``(negative, digits, exponent)``, ``x`` being
    ``±int(digits) × 10**exponent`` with no zero at either end of ``digits``, for a
    finite non-zero ``x`` whose shortest repr has at most 15 significant digits
    (then it is free of float noise: see :func:`to_decimal`); None for any other ``x``."""
    if not math.isfinite(x) or x == 0:
        return None
    text = repr(float(x))
    negative = text[0] == "-"
    mantissa, _, power = text.lstrip("-").partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    stripped = digits.rstrip("0")
    if len(stripped) > 15:
        return None
    exp = (int(power) if power else 0) - len(frac) + len(digits) - len(stripped)
    return negative, stripped, exp


#: The digits of the default decimal context, to which ``abs()`` of a Decimal rounds.
_FIXED_DIGITS = 28


def _fixed(negative: bool, digits: str, exp: int, lang: Lang) -> str | None:
    """``±int(digits) × 10**exp`` in fixed-point notation, as :func:`_plain` writes
    the Decimal of that coefficient and exponent (``exp`` < 0 decimals, every one shown);
    None past :data:`_FIXED_DIGITS` digits, which ``abs()`` in :func:`_plain` rounds."""
    if len(digits) > _FIXED_DIGITS:
        return None
    if exp >= 0:
        whole, frac = digits + "0" * exp, ""
    elif len(digits) > -exp:
        whole, frac = digits[:exp], digits[exp:]
    else:
        whole, frac = "0", "0" * (-exp - len(digits)) + digits
    out = f"{int(whole):,}"
    if lang != "en":
        out = out.replace(",", _GROUP[lang])
    if frac:
        out += _DECIMAL[lang] + frac
    return "-" + out if negative else out


def _cut(negative: bool, digits: str, exp: int, to: int, rounding: Rounding) -> str:
    """The digits of ``±int(digits) × 10**exp`` cut to exponent ``to`` (> ``exp``),
    rounded as :data:`_ROUNDING` says (the digits cut are never all zero)."""
    kept = int(digits) // 10 ** (to - exp)
    if (rounding == "up" and not negative) or (rounding == "down" and negative):
        kept += 1  # away from zero
    return str(kept)


def _format_number_fast(
    x: float, lang: Lang, rounding: Rounding, decimals: int | None, full: bool
) -> str | None:
    """:func:`format_number` of a figure free of float noise (:func:`_split`)
    that reads in fixed-point notation, from its digits with no Decimal; None
    for any other figure (the caller then takes the Decimal path)."""
    if decimals is not None and not 0 <= decimals <= 40:
        return None
    if x == 0:
        return "0" + (_DECIMAL[lang] + "0" * decimals if decimals else "")
    parts = _split(x)
    if parts is None:
        return None
    negative, digits, exp = parts
    top = exp + len(digits) - 1  # Decimal.adjusted()
    if not -9 <= top <= 20:  # m × 10ⁿ
        return None
    mark = CONTINUES if rounding == "nearest" else ""
    if decimals is not None:
        if -exp <= decimals:  # zeros added
            return _fixed(negative, digits + "0" * (exp + decimals), -decimals, lang)
        kept = _cut(negative, digits, exp, -decimals, rounding)
        if kept != "0" and len(kept) >= CUT_DIGITS:
            if len(kept) - 1 - decimals > 20:
                return None
            text = _fixed(negative, kept, -decimals, lang)
            return None if text is None else text + mark
    if len(digits) <= (_WHOLE_DIGITS if full else STATED_DIGITS):
        return _fixed(negative, digits, exp, lang)
    to = top - CUT_DIGITS + 1
    kept = _cut(negative, digits, exp, to, rounding)
    stripped = kept.rstrip("0")
    to += len(kept) - len(stripped)
    if to + len(stripped) - 1 > 20:
        return None
    text = _fixed(negative, stripped, to, lang)
    return None if text is None else text + mark


def _format_number_decimal(
    x: float,
    lang: Lang = "en",
    rounding: Rounding = "nearest",
    decimals: int | None = None,
    *,
    full: bool = False,
) -> str:
    """:func:`format_number` through :class:`~decimal.Decimal` (any figure)."""
    if math.isnan(x):
        return UNKNOWN_MARK
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    d, cut = shown_decimal(x, rounding, decimals, full=full)
    mark = CONTINUES if cut else ""
    if abs(d) >= _LARGE or (d != 0 and abs(d) < _SMALL):
        exp = d.adjusted()
        mantissa = _plain(d.scaleb(-exp).normalize(), lang)
        return f"{mantissa}{mark} × 10{str(exp).translate(_SUPERSCRIPT)}"
    return _plain(d, lang) + mark


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

    def attach(self, number: str, lang: Lang = "en", *, singular: bool = False) -> str:
        """``number`` with this scale's unit written around it; ``singular`` for a
        figure of one (``1 parameter``: see :func:`format_estimate`)."""
        label = (
            _SINGULAR.get(self.label, self.label) if singular and not self.prefix else self.label
        )
        if self.style == "short":
            unit = f"{self.prefix} {label}".strip()
            return f"{number} {unit}" if unit else number
        if self.style == "si":
            return f"{number} {self.prefix}{label}"
        if self.style == "sci":
            exp = f" × {self.prefix}" if self.prefix else ""
            return f"{number}{exp} {label}".rstrip()
        if self.style == "currency":  # the bound sign before the dollar: ≥$628 M
            sign = number[:1] if number[:1] in (APPROX_SIGN, AT_LEAST_SIGN, AT_MOST_SIGN) else ""
            return f"{sign}${number[len(sign) :]} {self.prefix}".rstrip()
        if self.style == "percent":
            return f"{number}\u202f%" if lang == "fr" else f"{number}%"
        return f"{number} {label}".rstrip()


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
#: Time units an estimate may be in, with their labels (English, French).
_TIME_UNITS = {
    1.0: ("s", "s"),
    60.0: ("min", "min"),
    3600.0: ("hours", "heures"),
    86400.0: ("days", "jours"),
    604800.0: ("weeks", "semaines"),
    2629800.0: ("months", "mois"),
    31557600.0: ("years", "ans"),
}
#: Labels for a figure of one.
_SINGULAR = {
    "parameters": "parameter",
    "paramètres": "paramètre",
    "tokens": "token",
    "tokens/parameter": "token/parameter",
    "tokens/paramètre": "token/paramètre",
    "bytes": "byte",
    "octets": "octet",
    "days": "day",
    "jours": "jour",
    "hours": "hour",
    "heures": "heure",
    "weeks": "week",
    "months": "month",
    "semaines": "semaine",
    "years": "year",
    "ans": "an",
}
#: Counts from 1,000 T (1,000,000 milliards in French) on read ``m × 10ⁿ``.
_PAST_SHORT = 1e15
_BINARY = [(2.0**50, "Pi"), (2.0**40, "Ti"), (2.0**30, "Gi"), (2.0**20, "Mi"), (2.0**10, "Ki")]


@per_unit
def _factor(units: Any, base: str) -> float:
    """How many ``base`` one ``units`` is (cached: pint converts slowly)."""
    return float(Q_(1, units).to(base).magnitude)


@per_unit
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


def _sci(base: str, label: str, smallest: float) -> Scale:
    """``m × 10ⁿ`` in the base unit, ``n`` read from the smallest magnitude."""
    exp = Decimal(repr(float(smallest))).adjusted()
    return Scale(base, 10.0**exp, f"10{str(exp).translate(_SUPERSCRIPT)}", label, "sci")


def choose_scale(units: Any, magnitudes: Iterable[float] = (), lang: Lang = "en") -> Scale:
    """The display scale for values of ``units`` whose magnitudes (in ``units``)
    are ``magnitudes``: the largest at which the smallest non-zero one reads ≥ 1;
    past the largest named scale (a figure of 1,000 T or more), ``m × 10ⁿ``."""
    base, label, style = _family(units)
    to_base = _factor(units, base)
    finite = [abs(m) * to_base for m in magnitudes if math.isfinite(m) and m != 0]
    smallest = min(finite) if finite else 0.0
    if lang == "fr":
        label = _FR_LABELS.get(label, label)
    if style in ("short", "currency"):
        table = _SHORT_FR if lang == "fr" and style == "short" else _SHORT
        if smallest >= _PAST_SHORT:
            return _sci(base, label or "USD", smallest)
        for factor, prefix in table:
            if smallest >= factor:
                return Scale(base, factor, prefix, label, style)
        return Scale(base, 1.0, "", label, style)
    if style == "si":
        if smallest >= 1000 * _SI[0][0]:
            return _sci(base, label, smallest)
        for factor, prefix in _SI:
            if smallest >= factor:
                return Scale(base, factor, prefix, label, style)
        if label == "B":  # a bare "500 B" would read as 500 billion beside parameter counts
            label = "octets" if lang == "fr" else "bytes"
        return Scale(base, 1.0, "", label, style)
    if style == "sci":
        if smallest >= 1e4:
            return _sci(base, label, smallest)
        return Scale(base, 1.0, "", label, style)
    if style == "time":
        for factor, en, fr in _TIME:
            if smallest >= factor:
                return Scale(base, factor, "", fr if lang == "fr" else en, "plain")
        return Scale(base, 1.0, "", "s", "plain")
    if style == "percent":
        return Scale(base, 1.0, "", "%", "percent")
    return Scale(base, 1.0, "", label, style)


def _matching(factor: float, table: Iterable[tuple[float, str]]) -> str | None:
    for f, prefix in table:
        if math.isclose(factor, f, rel_tol=1e-12):
            return prefix
    return None


def own_scale(units: Any, magnitudes: Iterable[float] = (), lang: Lang = "en") -> Scale:
    """The scale an estimate in ``units`` reads in alone: its own unit, mapped onto
    the family's named scales where one matches (``Gparameter`` reads ``B
    parameters``, ``GiB`` ``GiB``, ``s`` seconds); a base unit (``parameter``,
    ``W``…) is rescaled as :func:`choose_scale` does."""
    fixed = _own_fixed(units, lang)
    return choose_scale(units, magnitudes, lang) if fixed is None else fixed


@per_unit
def _own_fixed(units: Any, lang: Lang) -> Scale | None:
    """:func:`own_scale` of ``units`` where it does not depend on the magnitudes
    (cached per unit and language); None where :func:`choose_scale` decides."""
    base, label, style = _family(units)
    factor = _factor(units, base)
    if lang == "fr":
        label = _FR_LABELS.get(label, label)
    if style == "time":
        for f, (en, fr) in _TIME_UNITS.items():
            if math.isclose(factor, f, rel_tol=1e-12):
                return Scale(base, f, "", fr if lang == "fr" else en, "plain")
        return Scale(str(units), 1.0, "", _label(units), "plain")
    if math.isclose(factor, 1.0, rel_tol=1e-12) or style in ("count", "percent"):
        return None
    prefix: str | None = None
    if style in ("short", "currency"):
        table = _SHORT_FR if lang == "fr" and style == "short" else [*_SHORT, (1e3, "k")]
        prefix = _matching(factor, table)
        if prefix is None:  # no such named scale (French "T", "E"): the best that reads
            return None
        return Scale(base, factor, prefix, label, style)
    if style in ("si", "sci"):
        prefix = _matching(factor, _SI)
        if prefix is None and base in ("B", "B/s"):
            prefix = _matching(factor, _BINARY)
        if prefix is not None:
            return Scale(base, factor, prefix, label, "si")
    return Scale(str(units), 1.0, "", _label(units), "plain")


def _label(units: Any) -> str:
    """A unit no named scale writes, as pint reads it back: ``d*PFLOP/s``, ``mW``."""
    return f"{units:~C}" or "dimensionless"


def _half_unit(x: Decimal) -> Decimal:
    """Half a unit in the last non-zero digit of ``x`` (``15000``: 500; ``1.76``:
    0.005): what a source's "about" spans either side of the figure it states."""
    if x == 0:
        return Decimal(0)
    return Decimal(5).scaleb(int(x.normalize().as_tuple().exponent) - 1)


def shown_value(text: str, lang: Lang = "en") -> Decimal:
    """The decimal a figure :func:`format_number` wrote stands for (``15,000`` ->
    15000, ``1,5`` in French -> 1.5); its unit and ``m × 10ⁿ`` form left out."""
    mantissa, _, power = text.partition(" × 10")
    digits = mantissa.replace(_GROUP[lang], "").replace(_DECIMAL[lang], ".")
    d = Decimal(digits.lstrip("$"))
    if power:
        d = d.scaleb(int(power.translate(_FROM_SUPERSCRIPT)))
    return d


_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def _is_rounding(lo: float, shown: Decimal, hi: float) -> bool:
    """Whether ``[lo, hi]`` is the rounding of the figure ``shown`` (half a unit in
    its last non-zero digit either side, as "≈" says), within unit conversion's
    float rounding: then "≈" + the figure means the interval. A span the source
    states (Epoch's 1e25–1e26 around 3.35e25), or one that conversion or
    ``round()`` moved, is not."""
    half = _half_unit(shown)
    want_lo, want_hi = float(shown - half), float(shown + half)
    tol = float(half) * 1e-6 + 1e-300
    return math.isclose(lo, want_lo, rel_tol=1e-9, abs_tol=tol) and math.isclose(
        hi, want_hi, rel_tol=1e-9, abs_tol=tol
    )


def _figures(e: Estimate) -> list[tuple[float, Rounding]]:
    """The figures ``format_estimate`` shows for ``e`` (in ``e``'s unit), each with
    the way it rounds."""
    lo, n, hi = e._ends
    if e.bound is Bound.EXACT:
        return [(n, "nearest")]
    if e.bound is Bound.APPROX:  # its ends too where they show: not a rounding of it
        if math.isfinite(n) and _is_rounding(lo, to_decimal(n), hi):
            return [(n, "nearest")]
        return [(lo, "down"), (n, "nearest"), (hi, "up")]
    if e.bound is Bound.AT_LEAST:
        return [(lo, "down")]
    if e.bound is Bound.AT_MOST:
        return [(hi, "up")]
    if e.bound is Bound.RANGE:
        return [(lo, "down"), (hi, "up")]
    return []


def column_decimals(estimates: Iterable[Estimate], scale: Scale) -> int:
    """The decimals a column's cells share in ``scale``: as many as its figures of
    at most :data:`STATED_DIGITS` digits show, or its longer ones show with
    :data:`CUT_DIGITS` digits, whichever is more."""
    out = 0
    for e in estimates:
        factor = _factor(e.units, scale.base) / scale.factor
        for x, _ in _figures(e):
            if not math.isfinite(x) or x == 0:
                continue
            out = max(out, _figure_decimals(x * factor))
    return out


def states_its_digits(e: Estimate, scale: Scale) -> bool:
    """Whether every figure ``e`` shows has, in ``scale``, at most
    :data:`STATED_DIGITS` significant digits: then it shows them all, and a
    column's shared decimals would only pad it with zeros (``500.0`` claims a
    tenth a source that said ``500`` never gave)."""
    factor = _factor(e.units, scale.base) / scale.factor
    for x, _ in _figures(e):
        if not math.isfinite(x) or x == 0:
            continue
        parts = _split(x * factor)
        digits = len(parts[1]) if parts is not None else _digits(to_decimal(x * factor))
        if digits > STATED_DIGITS:
            return False
    return True


def _figure_decimals(x: float) -> int:
    """The decimals figure ``x`` (in its scale) asks of its column (0 for a figure
    written ``m × 10ⁿ``): :func:`_figure_decimals_decimal`, from its digits."""
    parts = _split(x)
    if parts is None:
        return _figure_decimals_decimal(x)
    _, digits, exp = parts
    if not -9 <= exp + len(digits) - 1 <= 20:
        return 0
    if len(digits) > STATED_DIGITS:  # cut to CUT_DIGITS, trailing zeros dropped
        cut = str(int(digits) // 10 ** (len(digits) - CUT_DIGITS))
        exp += len(digits) - CUT_DIGITS + len(cut) - len(cut.rstrip("0"))
    return max(0, -exp)


def _figure_decimals_decimal(x: float) -> int:
    d = to_decimal(x)
    if abs(d) >= _LARGE or abs(d) < _SMALL:
        return 0
    if _digits(d) > STATED_DIGITS:
        d = _round_sig(d, CUT_DIGITS, ROUND_DOWN)
    return _decimals(d)


def scaled(e: Estimate, scale: Scale) -> tuple[float, float, float]:
    """``(low, nominal, high)`` of ``e`` divided into ``scale``."""
    lo, n, hi = e.interval(scale.base)
    return lo / scale.factor, n / scale.factor, hi / scale.factor


def format_estimate(
    e: Estimate,
    *,
    scale: Scale | None = None,
    lang: Lang = "en",
    unit: bool = True,
    decimals: int | None = None,
) -> str:
    """``e`` as people write it: ``≈15,000 H100``, ``≥100,000 H100``,
    ``3.8–14 B parameters``; with ``unit=False`` the bare figure for a table
    cell whose column header carries the unit; with ``decimals``, that many
    decimals (a column's shared number; see the module doc)."""
    if scale is None and e.bound is Bound.UNKNOWN:
        scale = choose_scale(e.units, (), lang)  # no figure: the unit alone, "? parameters"
    if scale is None:
        scale = own_scale(e.units, [x for x, _ in _figures(e)], lang)
    to_own = _factor(e.units, scale.base) / scale.factor
    if math.isclose(to_own, 1.0, rel_tol=1e-12):
        lo, n, hi = e.interval()  # in its own unit: no conversion, no noise
    else:
        lo, n, hi = scaled(e, scale)

    def fig(x: float, rounding: Rounding, decimals: int | None = decimals) -> str:
        own = x / to_own  # a whole number in the estimate's own unit shows in full
        if rounding != "nearest":
            whole = own.is_integer()
        else:
            whole = math.isfinite(own) and denoised(own) == round(own)
        return format_number(x, lang, rounding, decimals, full=whole)

    if e.bound is Bound.EXACT:
        text, one = fig(n, "nearest"), n
    elif e.bound is Bound.APPROX:  # never padded: "≈10.0" would claim a finer rounding
        shown = fig(n, "nearest", None)
        if CONTINUES not in shown and _is_rounding(lo, shown_value(shown, lang), hi):
            text = APPROX_SIGN + shown
        else:  # a span stated, or one ≈ of its figure would misread: "33.5 (10–100)"
            low, high = fig(lo, "down", None), fig(hi, "up", None)
            text = f"{shown} ({low}{RANGE_DASH}{high})"
        one = n
    elif e.bound is Bound.AT_LEAST:
        text, one = AT_LEAST_SIGN + fig(lo, "down"), lo
    elif e.bound is Bound.AT_MOST:
        text, one = AT_MOST_SIGN + fig(hi, "up"), hi
    elif e.bound is Bound.RANGE:
        text, one = fig(lo, "down") + RANGE_DASH + fig(hi, "up"), math.nan
    else:
        text, one = UNKNOWN_MARK, math.nan
    if not unit:
        return text
    # one parameter, one hour; in French below two (1,5 jour)
    singular = abs(one) < 2 if lang == "fr" else text.lstrip("≈≥≤") in ("1", "-1")
    return scale.attach(text, lang, singular=singular)
