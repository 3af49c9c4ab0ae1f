"""Reading quantities the way sources write them: :func:`parse`, :func:`find_quantities`.

>>> import modelcompare as mc
>>> str(mc.parse("plus de 100 000 puces H100", lang="fr"))
'≥100,000 H100'
>>> mc.parse("about 500 billion parameters") == mc.Estimate.about(500, "Gparameter")
True
>>> [str(e) for _, _, e in mc.find_quantities("3,8 à 14 milliards de paramètres", "fr")]
['3.8–14 B parameters']

What is read
------------
A quantity is an optional qualifier, a figure (or two, for a range), an
optional scale and an optional unit, in that order:

* qualifiers: ``about``, ``around``, ``roughly``, ``approximately``,
  ``some``, ``close to``, ``an estimated``, ``~``, ``≈``, ``environ``,
  ``près de``, ``quelque``, ``à peu près`` (about); ``more than``, ``over``,
  ``at least``, ``just over``, ``>``, ``≥``, ``plus de``, ``au moins``, a
  ``+`` after the figure (at least); ``up to``, ``at most``, ``less than``,
  ``under``, ``nearly``, ``almost``, ``just under``, ``not quite``, ``<``,
  ``≤``, ``moins de``, ``jusqu'à``, ``au plus``, ``presque``, ``quasiment``
  (at most: "nearly 500" is below 500); ``X to Y``, ``X–Y``, ``from X to Y``,
  ``between X and Y``, ``de X à Y``, ``entre X et Y`` (a range); a trailing
  ``environ`` / ``or so`` (about). "About" spans half a unit in the last
  digit as stated (see :mod:`modelcompare.estimate`).
* figures: ``15,000`` or ``15 000`` (space, U+00A0 or U+202F groups),
  ``1.76`` (``en``) or ``1,76`` (``fr``), ``2.1e25``, ``2.1 × 10^25``,
  ``7.5 × 10²²``, a figure the display cut (``0.666…``: the figure goes on,
  read as the range from the digits shown to the next digit up, 0.666–0.667),
  and a few number words before a unit or scale
  (``one``, ``a single``, ``a billion``, ``un``, ``une seule``, ``deux``…).
  In English a comma groups exactly three digits (``1,76`` is an error); in
  French the comma is the decimal separator and a point between digits is an
  error (``4.5`` in a French text could be either).
* scales: ``k``, ``M``, ``B``, ``G``, ``T``, ``bn``, ``thousand``,
  ``million``, ``billion``, ``trillion``, ``mille``, ``milliard``, ``Md``.
  The figure keeps the stated scale as a unit prefix (``500 billion
  parameters`` is 500 ``Gparameter``). A single-letter scale written apart
  from the figure counts only before a unit or with a currency
  (``280 B de paramètres``, ``$650 M``); a lone ``500 B`` is an error, as it
  could be 500 bytes.
* units: ``parameters``/``paramètres``/``params``, ``tokens``/``jetons``,
  accelerators (``H100``, ``H-100``, ``Nvidia H100 GPUs``, ``puces NVIDIA
  GB200``…, any chip ``units.txt`` defines; ``GPU`` or ``carte graphique``
  with no chip named is the unit ``GPU``), ``FLOP``/``FLOPs`` (a count) and
  ``FLOP/s``/``FLOPS`` (a rate), ``%``/``percent``/``pour cent``, ``$``/
  ``USD``/``dollars (américains)``, bytes (``GB``, ``TB``, ``GiB``, and in
  French ``Go``, ``To``, ``octets``; ``GB/s``; a memory kind after them is
  read and left out: ``80GB of HBM3``, ``141 Go de HBM3e``), ``W``/``kW``/
  ``MW``/``watts``, ``Wh``, ``J``, ``tokens/parameter``, and times (``s``,
  ``min``, ``h``, ``days``, ``weeks``, ``months`` (a twelfth of a year),
  ``years``, ``jours``, ``mois``, ``ans``…).
* ``? GB200`` and ``$?`` (how :func:`~modelcompare.display.format_estimate`
  writes an unknown figure) and a chip named with no figure (``puces NVIDIA GB200``)
  read as :meth:`Estimate.unknown <modelcompare.Estimate.unknown>`.

French billion and trillion
---------------------------
In French, ``billion`` is 10^12 and ``trillion`` 10^18 (the long scale),
but translated press often keeps the English sense (``3,3 trillions de
tokens`` for 3.3 × 10^12). ``scale="long"`` or ``scale="short"`` chooses; by
default French text is read in the long scale *and* an
:class:`AmbiguousScaleWarning` names both readings. English text is read in
the short scale (no warning) unless ``scale="long"``. ``milliard``, ``B``,
``bn`` and ``T`` are never ambiguous.

Anything else raises :class:`~modelcompare.ParseError`, saying what could not
be read and where (and, for French read as English, that ``lang="fr"``
reads it); :func:`parse` never returns a number it did not read. A negative
count (``-5 H100``: chips, parameters, tokens, FLOP, bytes) is refused, as
data files refuse it, unless ``allow_negative=True``.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from .errors import ParseError
from .estimate import Bound, Estimate
from .units import Q_, accelerator_symbol, is_accelerator, unit

if TYPE_CHECKING:
    from .display import Lang

__all__ = ["AmbiguousScaleWarning", "FoundQuantity", "find_quantities", "parse"]

ScaleReading = Literal["long", "short"]


class AmbiguousScaleWarning(UserWarning):
    """A French ``billion``/``trillion`` was read in the long scale without ``scale=``.

    ``long`` and ``short`` hold the two readings (``short`` is None if that
    reading fails); pass ``scale="long"`` or ``scale="short"`` to choose.
    """

    def __init__(
        self, message: str, *, text: str, position: int, long: Estimate, short: Estimate | None
    ) -> None:
        super().__init__(message)
        self.text = text
        self.position = position
        self.long = long
        self.short = short


class FoundQuantity(NamedTuple):
    """A quantity :func:`find_quantities` found: ``text[start:end]`` reads as ``estimate``."""

    start: int
    end: int
    estimate: Estimate


# -- tokens ---------------------------------------------------------------------------------
_SPACES = " \u00a0\u202f\u2009"
_WS = r"\s*"
_WORD_CHAR = r"\w"
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS + "⁺⁻−", "0123456789+--")


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled, once (compiling on first use keeps ``import modelcompare`` fast)."""
    return re.compile(pattern)


def _power(name: str) -> str:
    """The exponent after a 10 (``^25``, ``^(-3)``, ``²⁵``): group ``name`` or ``name_sup``."""
    caret = rf"\^\s*\(?(?P<{name}>[+\-−]?[0-9]{{1,4}})\)?"
    raised = rf"(?P<{name}_sup>[⁺⁻]?[{_SUPERSCRIPTS}]{{1,4}})"
    return rf"(?:{caret}|{raised})(?![0-9{_SUPERSCRIPTS}])"


_NUMBER = {
    "en": (
        rf"(?P<int>[0-9]{{1,3}}(?P<g>[,{_SPACES}])[0-9]{{3}}(?:(?P=g)[0-9]{{3}})*(?![0-9])"
        r"|[0-9]+)(?:\.(?P<frac>[0-9]+))?"
    ),
    "fr": (
        rf"(?P<int>[0-9]{{1,3}}(?P<g>[{_SPACES}])[0-9]{{3}}(?:(?P=g)[0-9]{{3}})*(?![0-9])"
        r"|[0-9]+)(?:,(?P<frac>[0-9]+))?"
    ),
}
_E_NOTATION = r"[eE](?P<e>[+\-−]?[0-9]{1,4})(?![0-9])"
_POWER = "10" + _power("p")
_TIMES_POWER = r"\s*[×x*·⋅]\s*10" + _power("p")
_NUMBER_WORDS = {
    "en": r"(?i:(?P<w>a\s+single|one|two|three|four|five|six|seven|eight|nine|ten|an?))(?!\w)",
    "fr": r"(?i:(?P<w>une?\s+seule?|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix))(?!\w)",
}
_EN_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_FR_WORDS = ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"]
_WORD_VALUES = {
    **dict.fromkeys(["a single", "one", "a", "an", "un", "une", "un seul", "une seule"], 1),
    **{w: i for i, w in enumerate(_EN_WORDS, 2)},
    **{w: i for i, w in enumerate(_FR_WORDS, 2)},
}

_DE = r"(?:de\s+|d['’]\s*)"
_QUALIFIERS = {
    "en": (
        r"(?i:(?P<about>(?:about|around|roughly|approximately|approx\.|circa|some|close\s+to"
        r"|an\s+estimated)\s+)"
        r"|(?P<at_least>(?:(?:more|greater)\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of"
        r"|no\s+(?:less|fewer)\s+than|not\s+less\s+than|just\s+(?:over|above))\s+)"
        r"|(?P<at_most>(?:up\s+to|at\s+most|(?:less|fewer)\s+than|under|no\s+more\s+than"
        r"|not\s+more\s+than|nearly|almost|just\s+(?:under|below)|not\s+quite)\s+)"
        r"|(?P<between>between\s+)|(?P<from>from\s+))"
        r"|(?P<about_s>(?:~=|≈|~|∼)\s*)|(?P<at_least_s>(?:≥|>=|>)\s*)|(?P<at_most_s>(?:≤|<=|<)\s*)"
    ),
    "fr": (
        rf"(?i:(?P<about>(?:environ\s+|près\s+{_DE}|quelque\s+|à\s+peu\s+près\s+"
        rf"|approximativement\s+|autour\s+{_DE}|aux\s+alentours\s+{_DE}|de\s+l['’]ordre\s+{_DE}))"
        rf"|(?P<at_least>(?:plus\s+{_DE}|au\s+moins\s+|au\s+minimum\s+|pas\s+moins\s+{_DE}))"
        rf"|(?P<at_most>(?:moins\s+{_DE}|jusqu['’]\s*à\s+|au\s+plus\s+|au\s+maximum\s+"
        rf"|pas\s+plus\s+{_DE}|presque\s+|quasiment\s+))"
        r"|(?P<between>entre\s+)|(?P<from>de\s+))"
        r"|(?P<about_s>(?:~=|≈|~|∼)\s*)|(?P<at_least_s>(?:≥|>=|>)\s*)|(?P<at_most_s>(?:≤|<=|<)\s*)"
    ),
}
_POSTFIX_ABOUT = {
    "en": r"\s+(?i:or\s+so)(?!\w)",
    "fr": r"\s+(?i:environ)(?!\w)",
}
_RANGE_WORD = {
    "en": r"\s+(?i:(?P<to>to)|(?P<and>and))\s+",
    "fr": r"\s+(?i:(?P<to>à)|(?P<and>et))\s+",
}
_RANGE_DASH = r"\s*[–—]\s*|-(?=[0-9$])"
_LIST_NEXT = {
    "en": r"\s*(?:,|(?i:and|or)(?!\w))\s*",
    "fr": r"\s*(?:,|(?i:et|ou)(?!\w))\s*",
}

# scale exponents; billion/trillion words are (short, long)
_SCALE = (
    r"(?P<letter>k|K|M|B|G|T)(?!\w)|(?P<abbr>bn|mn|tn|Mds|Md|Mrds|Mrd)(?!\w)"
    r"|(?i:(?P<word>thousands?|millions?|milliards?|billions?|trillions?|mille))(?!\w)"
)
_SCALE_EXP = {
    "k": 3, "K": 3, "thousand": 3, "mille": 3,
    "M": 6, "mn": 6, "million": 6,
    "B": 9, "G": 9, "bn": 9, "Md": 9, "Mds": 9, "Mrd": 9, "Mrds": 9, "milliard": 9,
    "T": 12, "tn": 12,
}  # fmt: skip
_AMBIGUOUS_SCALE = {"billion": (9, 12), "trillion": (12, 18)}
_PREFIXES = {3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E", 21: "Z", 24: "Y"}
_SYMBOL_PREFIX = {"": 0, "k": 3, "K": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
                  "Z": 21, "Y": 24}  # fmt: skip

_CURRENCY_PREFIX = r"US\$|\$"
_FR_OF = r"\s*" + _DE
_NON_SPACE = r"\S+"
_WRITTEN_NUMBER = r"[0-9][0-9.,]*"
_SI_UNIT = r"(?P<p>[kKMGTPEZY]?)(?P<u>FLOP/s|FLOPS|FLOPs|FLOP|B/s|Wh|W|J|B)(?!\w)"
_BINARY_UNIT = r"(?P<p>[KMGTP]i)(?P<u>B/s|B)(?!\w)"
_OCTETS = r"(?P<p>[kKMGTP])(?P<i>i?)o(?P<s>/s)?(?!\w)"
_WORD_UNITS: list[tuple[str, str, bool]] = [  # (pattern, unit, takes a prefix)
    (r"(?i:tokens?\s*/\s*param(?:eter|[eè]tre)|tokens?\s+par\s+param[eè]tre)(?!\w)",
     "token/parameter", False),
    (r"(?i:param(?:eters?|[eè]tres?|s)?)(?!\w)", "parameter", True),
    (r"(?i:tokens?|jetons?)(?!\w)", "token", True),
    (r"(?i:bytes?|octets?)(?!\w)", "B", True),
    (r"(?i:watts?)(?!\w)", "W", True),
    (r"%|(?i:percent|per\s+cent|pour\s*cent)(?!\w)", "percent", False),
    (r"US\$|\$(?:\s*US(?!\w))?|(?:USD|(?i:dollars?(?:\s+am[ée]ricains?|\s+US)?))(?!\w)",
     "USD", True),
    (r"(?i:seconds?|secondes?|sec|s)(?!\w)", "s", False),
    (r"(?i:minutes?|min)(?!\w)", "min", False),
    (r"(?i:hours?|heures?|h)(?!\w)", "h", False),
    (r"(?i:days?|jours?)(?!\w)", "day", False),
    (r"(?i:weeks?|semaines?)(?!\w)", "week", False),
    (r"(?i:months?|mois)(?!\w)", "month", False),
    (r"(?i:years?|ans?|années?)(?!\w)", "year", False),
]  # fmt: skip
#: What may follow an amount of memory: ``80GB of HBM3``, ``141 Go de HBM3e``.
_MEMORY_KIND = (
    r"\s+(?:(?i:of|de|d['’])\s*)?(?:(?:HBM|GDDR|LPDDR)[0-9]*[A-Za-z]?"
    r"|(?i:memory|RAM|VRAM|mémoire)(?!\w))"
)
#: After a figure whose digits were cut for display (``0.666…``).
_CONTINUES = r"…|\.\.\.(?!\.)"
#: Dimensions whose figures count things: never negative (as in data files).
_COUNT_DIMENSIONS = ("[parameter]", "[token]", "[compute]", "[information]", "[accelerator_")
_FOREIGN_UNIT = _DE + r"?(?i:euros?|livres?|pounds?|yens?|yuans?|roubles?)(?!\w)"
_COUNTER = (
    r"(?i:(?P<gpu>GPUs?|graphics\s+cards?|cartes?\s+graphiques?|processeurs?\s+graphiques?)"
    r"|(?P<other>superchips?|chips?|cards?|puces?|cartes?|accelerators?|acc[ée]l[ée]rateurs?))"
    r"(?!\w)"
)
_VENDOR = r"(?i:nvidia)(?!\w)"
_CHIP = r"(?P<letters>[A-Za-z]{1,3})-?(?P<digits>[0-9]{2,4})s?(?!\w)"

_PREFIXABLE = {"parameter", "token", "FLOP", "FLOP/s", "B", "B/s", "W", "Wh", "J", "USD"}


@lru_cache(maxsize=512)
def _chip(name: str) -> bool:
    """True when ``name`` is an accelerator unit of the registry, unprefixed (``H100``)."""
    try:
        q = Q_(1, unit(name))
        return name != "GPU" and is_accelerator(q) and accelerator_symbol(q) == name
    except Exception:  # pint's parser can fail in many ways on a made-up name
        return False


@dataclass(frozen=True, slots=True)
class _Unit:
    base: str  # the pint unit without the prefix read from the text
    exp: int = 0  # the decimal prefix read with it (GB: 9)
    prefixable: bool = False


@dataclass(slots=True)
class _Figure:
    start: int
    end: int
    number: Decimal
    sci: int | None = None  # "× 10^n"
    scale: int | None = None  # "billion", "k", "Md"…
    unit: _Unit | None = None
    unit_from_prefix: bool = False  # "$650": the unit came before the number
    plus: bool = False  # "100,000+"
    cut: bool = False  # "74.5…": the digits shown, and more follow
    ambiguous: list[tuple[int, str]] = field(default_factory=list)


class _Fail(Exception):
    """A definite failure at ``pos`` (parse reports it; find skips the candidate)."""

    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(pos, reason)
        self.pos = pos
        self.reason = reason


def _is_word(ch: str) -> bool:
    return bool(_rx(_WORD_CHAR).match(ch))


def _exponent(m: re.Match[str], name: str) -> int:
    text = m.group(name) if m.group(name) is not None else m.group(name + "_sup")
    return int(text.translate(_FROM_SUPERSCRIPT))


class _Reader:
    """One reading of ``text``. In ``whole`` mode (:func:`parse`) a failure raises
    :class:`_Fail` with its reason; otherwise (:func:`find_quantities`) it returns None."""

    def __init__(
        self,
        text: str,
        lang: Lang,
        scale: ScaleReading | None,
        default_unit: str | None,
        *,
        whole: bool,
        allow_negative: bool = False,
    ) -> None:
        self.text = text
        self.allow_negative = allow_negative
        self.lang: Lang = lang
        self.scale_given = scale
        self.scale = scale if scale is not None else ("long" if lang == "fr" else "short")
        self.default_unit = default_unit
        self.default = _default_unit(default_unit)
        self.whole = whole

    # -- helpers ----------------------------------------------------------------------
    def ws(self, p: int) -> int:
        m = _rx(_WS).match(self.text, p)
        return m.end() if m else p

    def no(self, pos: int, reason: str) -> None:
        """Give up on this reading: raise in ``whole`` mode, else return None."""
        if self.whole:
            raise _Fail(pos, reason)

    def snippet(self, p: int) -> str:
        m = _rx(_NON_SPACE).match(self.text, self.ws(p))
        return m.group() if m else ""

    def probe(self, p: int) -> _Figure | None:
        """The figure at ``p`` if there is one, without raising."""
        whole, self.whole = self.whole, False
        try:
            return self.figure(p)
        except _Fail:
            return None
        finally:
            self.whole = whole

    # -- units ------------------------------------------------------------------------
    def accelerator(self, p: int, *, need_chip: bool = False) -> tuple[_Unit, int] | None:
        """``GPU NVIDIA H100``, ``puces Nvidia H-100``, ``H100 GPUs``, ``carte graphique GPU``."""
        t, q, end, gpu = self.text, p, -1, False
        while m := _rx(_COUNTER).match(t, q):
            gpu = gpu or m.group("gpu") is not None
            end, q = m.end(), self.ws(m.end())
        if m := _rx(_VENDOR).match(t, q):
            q = self.ws(m.end())
            if gpu:
                end = m.end()
        m = _rx(_CHIP).match(t, q)
        if m and _chip(name := m.group("letters").upper() + m.group("digits")):
            end = m.end()
            if c := _rx(_COUNTER).match(t, self.ws(end)):
                end = c.end()
            return _Unit(name, 0, True), end
        if gpu and not need_chip:
            return _Unit("GPU", 0, True), end
        return None

    def unit(self, p: int) -> tuple[_Unit, int] | None:
        """The unit at ``p`` (after white space, or a hyphen as in ``500B-parameter``)."""
        t = self.text
        hyphen = t.startswith("-", p) and p + 1 < len(t) and t[p + 1].isalpha()
        q = p + 1 if hyphen else self.ws(p)
        if found := self.accelerator(q):
            return found
        if (m := _rx(_SI_UNIT).match(t, q)) and (m.group("p") or m.group("u") != "B"):
            # a bare B is a scale (billion), never a byte; FLOPS is a rate, FLOPs a count
            name = {"FLOPS": "FLOP/s", "FLOPs": "FLOP"}.get(m.group("u"), m.group("u"))
            return _Unit(name, _SYMBOL_PREFIX[m.group("p")], True), m.end()
        if m := _rx(_BINARY_UNIT).match(t, q):
            return _Unit(m.group("p") + m.group("u")), m.end()
        if self.lang == "fr" and (m := _rx(_OCTETS).match(t, q)):
            per_s = "/s" if m.group("s") else ""
            if m.group("i"):
                return _Unit(m.group("p").upper() + "iB" + per_s), m.end()
            return _Unit("B" + per_s, _SYMBOL_PREFIX[m.group("p")], True), m.end()
        for pattern, name, prefixable in _WORD_UNITS:
            if m := _rx(pattern).match(t, q):
                return _Unit(name, 0, prefixable), m.end()
        return None

    def unit_after_scale(self, p: int) -> tuple[_Unit, int] | None:
        """The unit after a scale: ``milliards de paramètres``, ``B-parameter``, ``M$``."""
        if (
            self.lang == "fr"
            and (m := _rx(_FR_OF).match(self.text, p))
            and (found := self.unit(m.end()))
        ):
            return found
        return self.unit(p)

    def foreign_currency(self, start: int, end: int) -> bool:
        """A currency other than the dollar stands around the figure (``€500``, ``500 euros``)."""
        t, i = self.text, start - 1
        while i >= 0 and t[i].isspace():
            i -= 1
        if i >= 0 and unicodedata.category(t[i]) == "Sc" and t[i] != "$":
            return True
        after = self.ws(end)
        if after < len(t) and unicodedata.category(t[after]) == "Sc" and t[after] != "$":
            return True
        return _rx(_FOREIGN_UNIT).match(t, after) is not None

    # -- figures ----------------------------------------------------------------------
    def number(self, p: int) -> tuple[Decimal, int, str | None, bool] | None:
        """The number at ``p``: ``(value, end, number word or None, cut)``; ``cut``
        where a ``…`` follows its digits (the figure goes on: see :meth:`build`)."""
        t = self.text
        cut = False
        if m := _rx(_POWER).match(t, p):
            return Decimal(1).scaleb(_exponent(m, "p")), m.end(), None, cut
        if m := _rx(_NUMBER[self.lang]).match(t, p):
            end = m.end()
            if c := _rx(_CONTINUES).match(t, end):  # "0.666…": the digits shown, and more
                end, cut = c.end(), True
            elif end + 1 < len(t) and t[end] in ".," and t[end + 1] in "0123456789":
                if self.lang == "en" and t[end] == ",":
                    why = "in English a comma groups exactly three digits ('15,000')"
                elif self.lang == "fr" and t[end] == ".":
                    why = "in French the decimal separator is the comma ('1,76')"
                else:
                    why = "a second separator follows the number"
                written = _rx(_WRITTEN_NUMBER).match(t, p)
                raise _Fail(end, f"{written.group() if written else t[p:end]!r}: {why}")
            digits = re.sub(r"[^0-9]", "", m.group("int"))
            value = Decimal(digits + ("." + m.group("frac") if m.group("frac") else ""))
            if e := _rx(_E_NOTATION).match(t, end):
                value = value.scaleb(int(e.group("e").replace("−", "-")))
                end = e.end()
            return value, end, None, cut
        if m := _rx(_NUMBER_WORDS[self.lang]).match(t, p):
            word = " ".join(m.group("w").lower().split())
            return Decimal(_WORD_VALUES[word]), m.end(), word, cut
        return None

    def scale_at(self, p: int) -> re.Match[str] | None:
        """A scale after the number: ``500B``, ``1,76 T``, ``70-billion``."""
        if m := _rx(_SCALE).match(self.text, self.ws(p)):
            return m
        if self.text.startswith("-", p):
            return _rx(_SCALE).match(self.text, p + 1)
        return None

    def figure(self, p: int, *, dollars: bool = False) -> _Figure | None:
        """A signed number with its multiplier, scale and unit: ``$650 millions``,
        ``1,76 T de paramètres``, ``15 000 GPU NVIDIA H100``, ``2.1 × 10²⁵ FLOP``
        (``dollars``: the upper end of a range that began with ``$``)."""
        t, start = self.text, p
        cur = _rx(_CURRENCY_PREFIX).match(t, p)
        if cur:
            p = self.ws(cur.end())
        negative = p < len(t) and t[p] in "-−"
        if negative:
            p += 1
        got = self.number(p)
        if got is None:
            self.no(p, "expected a number")
            return None
        value, p, word, cut = got
        fig = _Figure(start, p, -value if negative else value, cut=cut)
        if word is None and t.startswith("+", p) and not t[p + 1 : p + 2].isdigit():
            fig.plus, p = True, p + 1
        if word is None and (m := _rx(_TIMES_POWER).match(t, p)):
            fig.sci, p = _exponent(m, "p"), m.end()
        if found := self.unit(p):
            fig.unit, p = found
            if fig.unit.base.endswith("B") and (m := _rx(_MEMORY_KIND).match(t, p)):
                p = m.end()  # "80GB of HBM3"
        elif s := self.scale_at(p):
            after = self.unit_after_scale(s.end())
            letter = s.group("letter")
            if letter and s.start() > p and after is None and cur is None and not dollars:
                # a capital letter apart from the figure, with no unit after it
                if self.whole and letter == "B":
                    number = t[start:p].strip()
                    raise _Fail(
                        s.start(),
                        f"'B' after {number!r} could be billion or byte: write '{number}B' or "
                        f"'{number} billion' for a count, '{number} bytes' for bytes",
                    )
                if not self.whole:  # "in 2019 M. Scott …"
                    s = None
            if s is not None:
                fig.scale, p = self.scale_exp(s, fig), s.end()
                if after is not None:
                    fig.unit, p = after
        if word is not None:
            needs = "a scale" if word in ("a", "an") else "a unit or a scale"
            if fig.scale is None and (word in ("a", "an") or fig.unit is None):
                self.no(start, f"the number word {word!r} needs {needs} after it")
                return None
        if cur is not None:
            if fig.unit is not None:
                self.no(p, f"'$' before the number and {t[cur.end() : p]!r} after it")
                return None
            fig.unit, fig.unit_from_prefix = _Unit("USD", 0, True), True
        if fig.unit is None and self.foreign_currency(start, p):
            self.no(
                self.ws(p), "a currency other than the dollar, which modelcompare does not read"
            )
            return None
        fig.end = p
        return fig

    def scale_exp(self, s: re.Match[str], fig: _Figure) -> int:
        token = s.group("letter") or s.group("abbr") or s.group("word").lower().rstrip("s")
        if token in _AMBIGUOUS_SCALE:
            short, long = _AMBIGUOUS_SCALE[token]
            if self.lang == "fr" and self.scale_given is None:
                fig.ambiguous.append((s.start(), s.group()))
            return long if self.scale == "long" else short
        return _SCALE_EXP[token]

    # -- quantities -------------------------------------------------------------------
    def quantity(self, p: int) -> tuple[Estimate, int, list[tuple[int, str]]] | None:
        """The quantity starting at ``p``: ``(estimate, end, ambiguous scale words)``."""
        t = self.text
        kind: str | None = None
        if m := _rx(_QUALIFIERS[self.lang]).match(t, p):
            kind = (m.lastgroup or "").removesuffix("_s")
            p = m.end()
        if kind is None and t.startswith("?", p):
            return self.unknown(p)
        cur = _rx(_CURRENCY_PREFIX).match(t, p) if kind is None else None
        if cur and t.startswith("?", q := self.ws(cur.end())):  # "$?": dollars, no figure
            return Estimate.unknown("USD"), q + 1, []
        if kind is None and (found := self.accelerator(p, need_chip=True)):
            return Estimate.unknown(found[0].base), found[1], []  # "puces NVIDIA GB200"
        f1 = self.figure(p)
        if f1 is None:
            return None
        f2 = None
        sep = _rx(_RANGE_DASH).match(t, f1.end)
        if sep is None and (m := _rx(_RANGE_WORD[self.lang]).match(t, f1.end)):
            sep = m if m.group("to") or kind == "between" else None  # "and" only after "between"
        if sep:
            if kind in (None, "between", "from"):
                f2 = self.figure(sep.end(), dollars=f1.unit_from_prefix)
            elif self.probe(sep.end()) is not None:
                raise _Fail(sep.start(), "a qualifier before a range ('about 3 to 5') is not read")
        if kind in ("between", "from") and f2 is None:
            word = {"en": {"between": "and", "from": "to"}, "fr": {"between": "et", "from": "à"}}
            self.no(f1.end, f"expected {word[self.lang][kind]!r} and the range's upper end")
            return None
        if f1.plus or (f2 is not None and f2.plus):
            if kind is not None or f2 is not None:
                self.no(f1.end, "a '+' after a figure that already has a qualifier")
                return None
            kind = "at_least"
        end = (f2 or f1).end
        if kind is None and f2 is None and (m := _rx(_POSTFIX_ABOUT[self.lang]).match(t, end)):
            kind, end = "about", m.end()
        if not self.whole:
            if end < len(t) and _is_word(t[end - 1]) and _is_word(t[end]):
                return None  # glued to a word: "8x7B", "13e place"
            if f2 is None and self.shares_scale(f1, end):
                return None  # the 3 of "3 et 5 milliards" is 3 billion, not 3
        if f2 is not None:
            try:
                estimate = self.build_range(f1, f2)
            except _Fail:
                if self.whole or kind is not None:
                    raise
                # not a range after all ("3 GPU à 2 000 $"): the first figure alone
                return self.build(None, f1), f1.end, f1.ambiguous
            return estimate, end, f1.ambiguous + f2.ambiguous
        return self.build(kind, f1), end, f1.ambiguous

    def unknown(self, p: int) -> tuple[Estimate, int, list[tuple[int, str]]] | None:
        """``? GB200``: a unit with no figure (a lone ``?`` only in :func:`parse`)."""
        if found := self.unit(p + 1):
            u, end = found
            try:
                return Estimate.unknown(_express(Decimal(0), 0, u)[0]), end, []
            except (ValueError, TypeError) as exc:
                raise _Fail(p, f"cannot make a quantity of it ({exc})") from None
        if self.whole:
            return Estimate.unknown(self.default_unit or "dimensionless"), p + 1, []
        return None

    def shares_scale(self, f: _Figure, end: int) -> bool:
        """True when a bare figure is followed by a list item with a scale or a unit."""
        if f.scale is not None or f.unit is not None or f.sci is not None:
            return False
        m = _rx(_LIST_NEXT[self.lang]).match(self.text, end)
        if not m or m.end() == end:
            return False
        nxt = self.probe(m.end())
        return nxt is not None and (nxt.scale is not None or nxt.unit is not None)

    def build(self, kind: str | None, f: _Figure) -> Estimate:
        """The estimate of one figure with its qualifier."""
        make = {
            None: Estimate.exact,
            "about": Estimate.about,
            "at_least": Estimate.at_least,
            "at_most": Estimate.at_most,
        }[kind]
        if f.cut:
            return self.build_cut(kind, f)
        try:
            name, mag = _express(f.number.scaleb(f.sci or 0), f.scale or 0, f.unit or self.default)
            estimate = make(_float(mag, f.start), name)
        except (ValueError, ArithmeticError, TypeError) as exc:
            raise _Fail(f.start, f"cannot make a quantity of it ({exc})") from None
        return self.counted(estimate, f.start)

    def build_cut(self, kind: str | None, f: _Figure) -> Estimate:
        """A figure whose digits the display cut (``74.5… GiB``: the figure goes on):
        the range from the digits shown to the next digit up, away from zero
        (``74.5…`` is 74.5–74.6, ``-0.666…`` is -0.667 to -0.666; a whole number's
        zeros after its first three digits may stand for digits cut, ``10,100…`` is
        10,100–10,200), with the
        digits shown as its nominal value. Never an exact figure, which would leave
        out the true one. ``≈74.5…`` (about a figure that goes on) is "about" that
        range widened by the most a source's rounding of the figure can span, half
        a unit in a digit after the shown ones (74.495–74.605); any other
        qualifier is refused (the display writes none before a cut figure)."""
        if kind not in (None, "about"):
            raise _Fail(f.start, "a qualifier other than 'about' before a cut figure ('…')")
        shown = f.number.scaleb(f.sci or 0)
        exp = int(shown.as_tuple().exponent)
        if exp >= 0 and shown != 0:  # "10,100…": zeros after its first three digits were cut
            exp = max(exp, shown.adjusted() - 2)
        step = Decimal(1).scaleb(exp)  # "74.5": 0.1; "150…": 1; "10,100…": 100
        lo, hi = (shown, shown + step) if shown >= 0 else (shown - step, shown)
        if kind == "about":
            lo, hi = lo - step / 20, hi + step / 20
        try:
            unit = f.unit or self.default
            name, lo_mag = _express(lo, f.scale or 0, unit)
            _, hi_mag = _express(hi, f.scale or 0, unit)
            _, mag = _express(shown, f.scale or 0, unit)
            low, high, nominal = (_float(x, f.start) for x in (lo_mag, hi_mag, mag))
            if kind == "about":
                estimate = Estimate.about(nominal, name, low=low, high=high)
            else:
                estimate = Estimate.between(low, high, name, nominal=nominal)
        except (ValueError, ArithmeticError, TypeError) as exc:
            raise _Fail(f.start, f"cannot make a quantity of it ({exc})") from None
        return self.counted(estimate, f.start)

    def counted(self, e: Estimate, pos: int) -> Estimate:
        """``e``, unless it is a negative count (of chips, parameters, tokens, FLOP or
        bytes), which no source states and data files refuse; ``allow_negative``
        reads one (a difference, as ``a - b`` prints it)."""
        if self.allow_negative or not any(x < 0 for x in e.interval() if math.isfinite(x)):
            return e
        dims = str(e.dimensionality)
        if any(d in dims for d in _COUNT_DIMENSIONS):
            raise _Fail(
                pos,
                f"a count cannot be negative ({e}), as in data files; "
                "pass allow_negative=True to read a difference",
            )
        return e

    def build_range(self, f1: _Figure, f2: _Figure) -> Estimate:
        """The estimate of ``f1`` to ``f2``; the first end shares the second's scale
        and unit when it states none (``3,8 à 14 milliards``, ``$3–5 billion``)."""
        u1, u2 = f1.unit, f2.unit
        if u2 is None and u1 is not None:
            if not f1.unit_from_prefix:
                raise _Fail(f2.end, "the range's upper end has no unit")
            u2 = u1
        if (
            u1 is not None
            and u2 is not None
            and (u1.base, u1.prefixable)
            != (
                u2.base,
                u2.prefixable,
            )
        ):
            raise _Fail(f2.start, "the two ends of the range have different units")
        u = u2 or self.default
        own = u.exp if u else 0
        if f1.scale is None and f1.sci is None and (u1 is None or f1.unit_from_prefix):
            e1, sci1 = (f2.scale or 0) + own, f2.sci or 0
        else:
            e1, sci1 = (f1.scale or 0) + (u1.exp if u1 else own), f1.sci or 0
        e2 = (f2.scale or 0) + own
        e = min(e1, e2)
        try:
            lo = f1.number.scaleb(sci1 + e1 - e)
            hi = f2.number.scaleb((f2.sci or 0) + e2 - e)
            if lo > hi:
                raise _Fail(f1.start, "the range's low end is above its high end")
            base = _Unit(u.base, 0, u.prefixable) if u else None
            name, lo_mag = _express(lo, e, base)
            _, hi_mag = _express(hi, e, base)
            estimate = Estimate.between(_float(lo_mag, f1.start), _float(hi_mag, f2.start), name)
        except (ValueError, ArithmeticError, TypeError) as exc:
            raise _Fail(f1.start, f"cannot make a quantity of it ({exc})") from None
        return self.counted(estimate, f1.start)


def _express(value: Decimal, exp: int, u: _Unit | None) -> tuple[str, Decimal]:
    """``value × 10^exp`` in ``u`` (plus its own prefix) as ``(unit name, magnitude)``,
    keeping the stated scale as a prefix where the unit takes one (500 ``Gparameter``)."""
    if u is None:
        return "dimensionless", value.scaleb(exp)
    total = exp + u.exp
    if u.prefixable and total in _PREFIXES:
        return _PREFIXES[total] + u.base, value
    return u.base, value.scaleb(total)


def _float(d: Decimal, pos: int) -> float:
    x = float(d)
    if not math.isfinite(x) or (x == 0 and d != 0):
        raise _Fail(pos, f"the figure {d} is out of range")
    return x


def _default_unit(name: str | None) -> _Unit | None:
    if name is None:
        return None
    unit(name)  # UnitError if unknown
    return _Unit(name, 0, name in _PREFIXABLE or name == "GPU" or _chip(name))


def _check(text: object, lang: str, scale: str | None) -> None:
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    if lang not in ("en", "fr"):
        raise ValueError(f"lang must be 'en' or 'fr' (got {lang!r})")
    if scale not in (None, "long", "short"):
        raise ValueError(f"scale must be 'long', 'short' or None (got {scale!r})")


def _ambiguity(reader: _Reader, start: int, end: int, long: Estimate,
               words: list[tuple[int, str]]) -> AmbiguousScaleWarning:  # fmt: skip
    """The warning for a French billion/trillion read in the long scale."""
    other = _Reader(
        reader.text,
        reader.lang,
        "short",
        reader.default_unit,
        whole=reader.whole,
        allow_negative=reader.allow_negative,
    )
    try:
        got = other.quantity(start)
    except _Fail:
        got = None
    short = got[0] if got else None
    position, word = words[0]
    message = (
        f"{reader.text[start:end]!r}: French {word!r} read in the long scale (billion = 10^12, "
        f"trillion = 10^18) as {long}; in the English short scale (billion = 10^9, "
        f"trillion = 10^12), which translated press often means, it is {short}. "
        "Pass scale='long' or scale='short' to choose."
    )
    return AmbiguousScaleWarning(
        message, text=reader.text, position=position, long=long, short=short
    )


def parse(
    text: str,
    lang: Lang = "en",
    *,
    scale: ScaleReading | None = None,
    default_unit: str | None = None,
    allow_negative: bool = False,
) -> Estimate:
    """Read ``text``, one quantity and nothing else, as an :class:`Estimate`.

    ``lang`` sets the number conventions and words (``"en"`` or ``"fr"``);
    ``scale`` how ``billion``/``trillion`` read (see the module doc: French
    text defaults to the long scale, with an :class:`AmbiguousScaleWarning`);
    ``default_unit`` is the unit of a figure that names none (``"8.38"`` with
    ``default_unit="mt_bench_point"``). A negative count (of chips,
    parameters, tokens, FLOP or bytes: ``-5 H100``) is refused, as in data
    files, unless ``allow_negative`` (to read a difference, as ``a - b``
    prints it). Raises :class:`ParseError` (a :class:`ValueError`) with the
    position and the reason when ``text`` is not exactly one quantity; where
    English fails on what reads as French, the message says so.

    Whatever ``str()`` prints for an :class:`Estimate`, ``parse`` reads back
    (the same bound kind, the same interval up to the display's rounding),
    ``$?`` included; a figure the display cut, ``0.666…``, reads as the range
    its digits allow, 0.666–0.667, which holds the figure; likewise
    ``format_estimate(e, lang="fr")`` with ``lang="fr"``. Two exceptions: a unit
    with no written form in prose (a compound such as ``d*PFLOP/s`` or
    ``W**2``, shown as pint writes it), and a unit shown with no label (an
    MT-bench score, ``8.38``: pass ``default_unit``).

    >>> import modelcompare as mc
    >>> str(mc.parse("environ 15 000 GPU NVIDIA H100", lang="fr"))
    '≈15,000 H100'
    >>> str(mc.parse("3.3 trillion tokens"))
    '3.3 T tokens'
    >>> str(mc.parse("500 billion parameters or so")), str(mc.parse("nearly 500 billion"))
    ('≈500 B parameters', '≤500,000,000,000')
    >>> str(mc.parse("80GB of HBM3")), str(mc.parse("3 months")), str(mc.parse("$?"))
    ('80 GB', '3 months', '$?')
    >>> mc.parse("1,76 T parameters")
    Traceback (most recent call last):
    ...
    modelcompare.errors.ParseError: cannot read '1,76 T parameters' at position 1:
    '1,76': in English a comma groups exactly three digits ('15,000'); as French it reads
    1.76 T parameters: pass lang='fr' (--lang fr on the command line)
    """
    _check(text, lang, scale)
    if "(" in text and (m := _rx(_AROUND).match(text)):
        return _around(m, lang, scale, default_unit, allow_negative)
    reader = _Reader(text, lang, scale, default_unit, whole=True, allow_negative=allow_negative)
    start = reader.ws(0)
    if start == len(text):
        raise ParseError(text, start, "no quantity: the text is empty")
    try:
        got = reader.quantity(start)
        if got is None:
            raise _Fail(start, "expected a number, a qualifier such as 'about', or '?'")
    except _Fail as f:
        reason = f.reason + _as_french(text, lang, scale, default_unit, allow_negative)
        raise ParseError(text, f.pos, reason) from None
    estimate, end, words = got
    rest = reader.ws(end)
    if rest < len(text):
        what = reader.snippet(rest)
        hint = _as_french(text, lang, scale, default_unit, allow_negative)
        raise ParseError(
            text,
            rest,
            f"unexpected {what!r}: not a unit, scale or qualifier modelcompare reads{hint}",
        )
    if words:
        warnings.warn(_ambiguity(reader, start, end, estimate, words), stacklevel=2)
    return estimate


#: How the display writes an "about" whose span is not its figure's rounding:
#: the figure, then its span in parentheses, then the scale and unit they share
#: (``3.35 (1–10) × 10²⁵ FLOP``, ``$500 (400–600) M``, ``69 (60–70)%``).
_AROUND_FIGURE = r"[-−]?[0-9][0-9.,\u00a0\u202f]*(?:…|\.\.\.)?(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"
_AROUND = (
    rf"\s*(?P<pre>(?:US)?\$\s*)?(?P<n>{_AROUND_FIGURE})"
    rf"\s+\((?P<lo>{_AROUND_FIGURE})\s*[–—]\s*(?P<hi>{_AROUND_FIGURE})\)"
    r"(?P<rest>[^()]*)$"
)


def _around(
    m: re.Match[str],
    lang: Lang,
    scale: ScaleReading | None,
    default_unit: str | None,
    allow_negative: bool,
) -> Estimate:
    """``3.35 (1–10) × 10²⁵ FLOP``: about the figure, over the span in parentheses
    (a span a source states, or one that is not the figure's rounding), read as
    the figure and the range each with the scale and unit after them."""
    pre, rest = m.group("pre") or "", m.group("rest")

    def read(figure: str) -> Estimate:
        return parse(
            pre + figure + rest,
            lang,
            scale=scale,
            default_unit=default_unit,
            allow_negative=allow_negative,
        )

    span = read(f"{m.group('lo')}–{m.group('hi')}")
    figure = read(m.group("n"))
    if span.bound is not Bound.RANGE or figure.dimensionality != span.dimensionality:
        raise ParseError(m.string, m.start("lo"), "expected the figure's span in parentheses")
    lo, _, hi = span.interval()
    n = min(max(figure.interval(span.units)[1], lo), hi)
    return Estimate.about(n, span.units, low=lo, high=hi)


def _as_french(
    text: str, lang: str, scale: ScaleReading | None, default_unit: str | None, negative: bool
) -> str:
    """Where English failed on ``text``: a hint that it reads as French (``lang="fr"``,
    ``--lang fr`` on the command line), else nothing."""
    if lang != "en":
        return ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = parse(text, "fr", scale=scale, default_unit=default_unit, allow_negative=negative)
    except ParseError:
        return ""
    return f"; as French it reads {got}: pass lang='fr' (--lang fr on the command line)"


def _can_start(text: str, i: int) -> bool:
    """A quantity may start at ``i``: not inside a word (``GPT-4``, ``8x7B``, ``3.5``)."""
    if text[i].isspace():
        return False
    if i == 0:
        return True
    before = text[i - 1]
    if _is_word(before):
        return False
    return not (before in ".,-−/^" and i >= 2 and _is_word(text[i - 2]))


def find_quantities(
    text: str,
    lang: Lang = "en",
    *,
    scale: ScaleReading | None = None,
    default_unit: str | None = None,
    allow_negative: bool = False,
) -> list[FoundQuantity]:
    """The quantities in running text, left to right, as :class:`FoundQuantity`
    ``(start, end, estimate)`` triples (``text[start:end]`` is what was read).

    It reads what :func:`parse` reads. A figure with no unit it knows is
    dimensionless, or in ``default_unit`` if given (pass one only when the
    text's bare figures count that unit); a chip named with no figure is an
    unknown estimate. What cannot be read is skipped, never guessed: numbers
    inside names (``GPT-4``, ``8x7B``, ``13e``), a figure whose scale a later
    list item carries (the ``3`` of ``3 et 5 milliards``), figures in other
    currencies than the dollar, ambiguous separators (``1,76`` in English), a
    capital letter apart from the figure with no unit after it (``2019 M.``).
    Warns like :func:`parse` on French ``billion``/``trillion``.

    >>> import modelcompare as mc
    >>> quote = "formé sur environ 15 000 GPU NVIDIA H100, aux côtés de puces NVIDIA GB200"
    >>> [(quote[a:b], str(e)) for a, b, e in mc.find_quantities(quote, "fr")]
    [('environ 15 000 GPU NVIDIA H100', '≈15,000 H100'), ('puces NVIDIA GB200', '? GB200')]
    """
    _check(text, lang, scale)
    reader = _Reader(text, lang, scale, default_unit, whole=False, allow_negative=allow_negative)
    found: list[FoundQuantity] = []
    i = 0
    while i < len(text):
        if _can_start(text, i):
            try:
                got = reader.quantity(i)
            except _Fail:
                got = None
            if got is not None:
                estimate, end, words = got
                found.append(FoundQuantity(i, end, estimate))
                if words:
                    warnings.warn(_ambiguity(reader, i, end, estimate, words), stacklevel=2)
                i = max(end, i + 1)
                continue
        i += 1
    return found
