"""Text as pdflatex sets it: :func:`escape_latex` (every character printed as
itself, nothing read as a command) and :func:`breakable` (break points in long
runs), which the booktabs tables (:mod:`.latex`) and the paper floats
(:mod:`.latex_paper`) both write with; see :mod:`.latex` for the rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["breakable", "escape_latex"]

_GUILLEMET = r"{\fontencoding{T1}\selectfont\guillemot%s}"
_LATEX_MAP = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"{\ttfamily\char34}",
    "`": r"\textasciigrave{}",
    "[": "{[}",
    "]": "{]}",
    "*": "{*}",
    "\t": " ",
    "\n": " ",
    "\r": " ",
    "≈": r"\ensuremath{\approx}",
    "≥": r"\ensuremath{\geq}",
    "≤": r"\ensuremath{\leq}",
    "≠": r"\ensuremath{\neq}",
    "−": r"\ensuremath{-}",
    "–": "--",
    "—": "---",
    "×": r"\ensuremath{\times}",
    "÷": r"\ensuremath{\div}",
    "±": r"\ensuremath{\pm}",
    "·": r"\ensuremath{\cdot}",
    "¬": r"\ensuremath{\neg}",
    "…": r"\dots{}",
    "∞": r"\ensuremath{\infty}",
    "→": r"\ensuremath{\rightarrow}",
    "←": r"\ensuremath{\leftarrow}",
    "°": r"\ensuremath{^\circ}",
    "µ": r"\ensuremath{\mu}",
    "μ": r"\ensuremath{\mu}",
    "†": r"\ensuremath{\dagger}",
    "‡": r"\ensuremath{\ddagger}",
    "§": r"\S{}",
    "¶": r"\P{}",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "«": _GUILLEMET % "left",
    "»": _GUILLEMET % "right",
    "\u00a0": "~",
    "\u00ad": r"\-",
    "\u2009": r"\,",
    "\u202f": r"\,",
    **{ch: rf"\textsuperscript{{{d}}}" for ch, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True)},
    "⁻": r"\textsuperscript{\ensuremath{-}}",
}
#: Non-ASCII characters pdflatex sets as they are, with no package (OT1): accented
#: Latin letters and a few symbols (found by compiling each one).
_LATEX_PASS = frozenset(
    "".join(
        chr(cp)
        for cp in range(0xC0, 0x180)
        if unicodedata.category(chr(cp)).startswith("L")
        and chr(cp) not in "ÐÞðþĄąĐđĘęĦħĮįĸĿŀŉŊŋŦŧŲųſ"
    )
    + "ªº¡¿¢£¤¥¦¨©®¯´¸¼½¾€™ƒǄǅǆǇǈǉǊǋǌǍǎǏǐǑǒǓǔǢǣǦǧǨǩǰǴǵȘșȚțȲȳȷ"
)
#: Pairs of characters TeX's fonts join into one glyph (``--`` is an en dash).
_LIGATURES = frozenset({("-", "-"), ("`", "`"), ("'", "'"), ("!", "`"), ("?", "`"), (",", ",")})


def escape_latex(text: str) -> str:
    """``text`` as LaTeX text-mode source for pdflatex that prints as ``text``
    (see the module doc: what cannot be set is shown as ``U+XXXX``)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        piece = _LATEX_MAP.get(ch)
        if piece is None:
            settable = " " <= ch <= "~" or ch in _LATEX_PASS
            piece = ch if settable else rf"\texttt{{U+{ord(ch):04X}}}"
        if out and (out[-1][-1], piece[0]) in _LIGATURES:
            out.append("{}")
        out.append(piece)
    if out and out[-1][-1] in "-`',":  # whatever follows must not join it
        out.append("{}")
    return "".join(out)


#: Runs of more than this many characters with no space get a break point
#: (``\\allowbreak{}``, which prints nothing) every :data:`_BREAK_EVERY` characters.
_LONG_WORD = 20
_BREAK_EVERY = 10
_WORDS = re.compile(r"(\s+)")


def breakable(
    text: str,
    escape: Callable[[str], str] = escape_latex,
    *,
    long_word: int = _LONG_WORD,
    every: int = _BREAK_EVERY,
) -> str:
    """``text`` through ``escape``, with a break point (``\\allowbreak{}``, which
    prints nothing) every ``every`` characters of a run with no space longer than
    ``long_word`` (a URL, a hostile name), so that it can wrap; a letter is never
    split from its combining marks."""
    out = []
    for word in _WORDS.split(unicodedata.normalize("NFC", text)):
        if len(word) <= long_word or word.isspace():
            out.append(escape(word))
            continue
        chunks: list[str] = []
        for ch in word:
            if chunks and (len(chunks[-1]) < every or unicodedata.combining(ch)):
                chunks[-1] += ch
            else:
                chunks.append(ch)
        out.append(r"\allowbreak{}".join(map(escape, chunks)))
    return "".join(out)
