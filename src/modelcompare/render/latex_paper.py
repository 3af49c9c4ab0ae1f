"""LaTeX that fits a paper: ``render_latex(c, layout="column" | "page")``.

The default LaTeX output (:mod:`.latex`) is a bare ``tabular`` at its natural
width. A paper needs a float that fits its column or its page, a caption and
a label, and the legend and sources as table notes under the tabular. These
layouts give that, without ever scaling the table:

``layout="column"``
    A ``table`` float for one column of a two-column article (``\\columnwidth``,
    about 220–250 pt): a ``tabularx`` exactly ``\\linewidth`` wide whose columns
    wrap (long headers break onto several lines), set in ``\\footnotesize``, or
    ``\\scriptsize`` where the longest words would not fit otherwise. A table
    whose longest words cannot fit a column even so raises
    :class:`~modelcompare.InvalidValueError` naming ``layout="page"``.
``layout="page"``
    A ``table*`` float (the full width of a two-column page; in a one-column
    document, the text width), sized for 340 pt so that it also fits a
    one-column article's text; a table whose longest words do not fit goes on
    its own rotated page (``sidewaystable``, ``\\usepackage{rotating}``).

Both: ``\\caption`` from the title and ``\\label{tab:<slug of the title>}``
(``label=`` sets another; no title, no caption). The legend, the sources (and
with ``notes`` the notes) are ``threeparttable`` notes under the tabular, as
wide as it is. Figures are aligned as siunitx aligns them, with no package:
marks and source numbers hang in a gutter of the column's widest (so the
figures' right ends line up), and in a column of plain numbers the decimal
points line up (``3.8`` over ``14``, padded with invisible digits). The
fragment's first line lists the packages it needs:
``\\usepackage{booktabs,tabularx,threeparttable}`` (and ``rotating`` for a
sideways table). With ``standalone`` the document is a two-column article
(column) or a one-column one (page) that loads them.

``engine="xelatex"`` or ``"lualatex"``: the text is kept as it is (CJK, Greek,
emoji, any script) rather than shown as ``U+XXXX``; the fragment needs
``\\usepackage{fontspec}``, and sets CJK text in Noto Serif CJK SC (Debian's
``fonts-noto-cjk``), which it loads itself (``\\modelcompareCJK``), unless the
document defines ``\\modelcompareCJK`` first. ``engine="pdflatex"`` (the
default) keeps :func:`~modelcompare.render.escape_latex`'s fallback.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from modelcompare.errors import InvalidValueError

from ._common import _rows, _source_parts, _word
from .latex_text import _LATEX_MAP, _LIGATURES, breakable, escape_latex

if TYPE_CHECKING:
    from modelcompare.table import Cell, Table

__all__ = ["ENGINES", "LAYOUTS", "escape_latex_unicode", "render_latex_paper"]

Layout = Literal["column", "page"]
Engine = Literal["pdflatex", "xelatex", "lualatex"]
#: The values of ``layout``.
LAYOUTS: tuple[Layout, ...] = ("column", "page")
#: The values of ``engine``.
ENGINES: tuple[Engine, ...] = ("pdflatex", "xelatex", "lualatex")

#: The widths (pt) each layout is sized for: a two-column article's column
#: (A4: 221 pt; letter: 229 pt; IEEE: 252 pt), and a one-column article's text
#: (345 pt; a two-column page's full width is wider, 453 pt or more).
_TARGET = {"column": 215.0, "page": 340.0}
#: The height a float may take (pt): a letter page's text is 592 pt high, an A4 one's 636.
_FLOAT_HEIGHT = 540.0
#: The sideways page's width (pt): a portrait page's text height, less a margin.
_SIDEWAYS = 520.0
#: Font sizes tried, largest first: (command, points).
_SIZES = (("\\footnotesize", 8.0), ("\\scriptsize", 7.0))
#: Widths of characters in em (Computer Modern, rounded up: digits are 0.5 em,
#: most lowercase letters 0.5 or less, capitals up to 0.75 and more for M and W).
_NARROW, _WIDE = frozenset("ijlt.,:;'!|()[]"), frozenset("MWmw@%≈≥≤×÷±∞†‡§")


def _em(text: str) -> float:
    """A rough width of ``text`` in em of its font (a little over, on purpose)."""
    width = 0.0
    for ch in text:
        if ch.isspace():
            width += 0.35
        elif ch in _NARROW:
            width += 0.3
        elif ch in _WIDE:
            width += 0.9
        elif ch.isupper():
            width += 0.75
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        else:
            width += 0.55
    return width


#: Horizontal padding of a column (2 × \tabcolsep of 3 pt).
_PAD = 6.0
_TABCOLSEP = "3pt"
#: A run of this many characters with no space gets a break point every
#: :data:`_BREAK_EVERY` characters (a URL, a hostile name).
_LONG_WORD, _BREAK_EVERY = 16, 8
_SPACES = re.compile(r"(\s+)")
#: A figure whose decimals can be aligned: a bound sign or a range, then a number.
_FIGURE = re.compile(r"^(?:[≈≥≤]?[\d,.\u202f]+[–-])?[≈≥≤]?[\d,\u202f]*\d(?:[.,](\d+))?$")


# -- text for xelatex / lualatex ----------------------------------------------------------------
def _is_cjk(ch: str) -> bool:
    """True for the characters the CJK font sets (ideographs, kana, hangul, CJK
    punctuation, full-width forms)."""
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


def _is_emoji(ch: str) -> bool:
    """True for pictographs and emoji (and the joiners and selectors inside them)."""
    cp = ord(ch)
    return 0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or cp in (0x200D, 0xFE0F)


def _is_latin(ch: str) -> bool:
    """True for what Latin Modern sets: Latin letters, their accents, punctuation."""
    cp = ord(ch)
    return cp < 0x250 or 0x1E00 <= cp <= 0x1EFF or 0x2000 <= cp <= 0x206F or 0x300 <= cp <= 0x36F


def _script(ch: str) -> str:
    """The font family a character needs besides the main font: ``CJK``,
    ``Emoji``, ``Other`` (Greek, Cyrillic, Hebrew, Arabic…) or none."""
    if _is_cjk(ch):
        return "CJK"
    if _is_emoji(ch):
        return "Emoji"
    return "" if _is_latin(ch) or unicodedata.combining(ch) else "Other"


def escape_latex_unicode(text: str) -> str:
    """``text`` as LaTeX source for xelatex or lualatex that prints as ``text``:
    TeX's special characters escaped as :func:`~modelcompare.render.escape_latex`
    escapes them, every other character kept as it is, runs of CJK text in
    ``{\\modelcompareCJK …}``, of emoji in ``{\\modelcompareEmoji …}`` and of
    other scripts (Greek, Cyrillic…) in ``{\\modelcompareOther …}`` (:data:`FONTS`);
    control characters (but tab and line breaks, which become spaces) shown as
    ``U+XXXX``."""
    out: list[str] = []
    run = ""
    for ch in unicodedata.normalize("NFC", text):
        piece = _LATEX_MAP.get(ch)
        if piece is None:
            control = unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
            piece = rf"\texttt{{U+{ord(ch):04X}}}" if control else ch
        script = _script(ch) if piece == ch else ""
        if script != run:
            if run:
                out.append("}")
            if script:
                out.append(f"{{\\modelcompare{script} ")
            run = script
        if out and out[-1] and (out[-1][-1], piece[0]) in _LIGATURES:
            out.append("{}")
        out.append(piece)
    if run:
        out.append("}")
    if out and out[-1] and out[-1][-1] in "-`',":
        out.append("{}")
    return "".join(out)


#: The fonts of the scripts the main font (Latin Modern) lacks, loaded where the
#: document has not defined them, for the whole document (a caption is written
#: to the list of tables); a font that is not installed is no error
#: (fontspec's ``\\IfFontExistsTF``): its text is set in the main font.
FONTS = {"CJK": "Noto Serif CJK SC", "Emoji": "Symbola", "Other": "DejaVu Serif"}
_FONTS = "\n".join(
    f"\\ifdefined\\modelcompare{name}\\else\\IfFontExistsTF{{{font}}}"
    f"{{\\newfontfamily\\modelcompare{name}{{{font}}}}}{{\\let\\modelcompare{name}\\relax}}"
    f"\\global\\let\\modelcompare{name}\\modelcompare{name}\\fi"
    for name, font in FONTS.items()
)


# -- measuring -----------------------------------------------------------------------------------
_FALLBACK = re.compile(r"(\\texttt\{U\+[0-9A-F]+\})")


def _shown_pdflatex(text: str) -> str:
    """``text`` as pdflatex prints it: what it cannot set as ``U+XXXX``, each
    followed by a place to break (as :func:`_breakable` writes it)."""
    out = []
    for ch in text:
        escaped = escape_latex(ch)
        out.append(f" U+{ord(ch):04X} " if escaped.startswith("\\texttt{U+") else ch)
    return "".join(out)


def _words(text: str) -> list[str]:
    """The pieces of ``text`` a line cannot break inside (long runs broken every
    :data:`_BREAK_EVERY` characters, as :func:`_breakable` writes them)."""
    out = []
    for word in text.split():
        if len(word) > _LONG_WORD:
            out += [word[i : i + _BREAK_EVERY] for i in range(0, len(word), _BREAK_EVERY)]
        else:
            out.append(word)
    return out


def _breakable(text: str, escape: Callable[[str], str]) -> str:
    """``text`` escaped, with a break point every :data:`_BREAK_EVERY` characters
    in a run longer than :data:`_LONG_WORD` (``\\allowbreak{}`` prints nothing)."""
    out = breakable(text, escape, long_word=_LONG_WORD, every=_BREAK_EVERY)
    return _FALLBACK.sub(r"\1\\allowbreak{}", out)


@dataclass(frozen=True, slots=True)
class _Width:
    """What one column needs, in characters: its natural width and its longest word."""

    natural: float
    least: float


def _cell_width(cell: Cell, gutter: float, shown: Callable[[str], str]) -> _Width:
    """A cell's natural width and longest unbreakable piece; the marks of its
    last piece hang in a gutter of ``gutter`` characters, glued to its last word."""
    text = shown("".join(p.separator + p.text for p in cell.pieces))
    words = _words(text) or [""]
    extra = sum(0.7 * _em(p.suffix) + (0.5 if p.suffix else 0) for p in cell.pieces[:-1])
    last = _em(words[-1]) + gutter
    if "–" in cell.pieces[-1].text and _FIGURE.match(cell.pieces[-1].text):
        last += 0.5  # a range is set unbroken (an \mbox), its aligning phantom with it
    natural = _em(text) + extra + gutter
    return _Width(natural, max([*(_em(w) for w in words[:-1]), last, 0.5]))


def _header_width(header: str, shown: Callable[[str], str]) -> _Width:
    header = shown(header)
    return _Width(_em(header), max([_em(w) for w in _words(header)] or [0.5]))


# -- the layout --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Plan:
    """How the table is set: its float, its font size, and its columns in groups
    (each group a tabular of its own under the one caption, the model column
    first in each), with each column's share of the width."""

    env: str
    size: str
    groups: tuple[tuple[int, ...], ...]
    """The table's columns in each group: 0 is the model column, j the ``j - 1``-th."""
    factors: tuple[tuple[float, ...], ...]


def _groups(
    widths: Sequence[_Width], chars: float, pad: float, keep: Sequence[bool]
) -> list[list[int]] | None:
    """The columns 1… in groups, each of which fits ``chars`` characters beside the
    model column (0) at its longest words; None where one column alone does not.
    ``pad`` is a column's padding in characters; ``keep[j]`` keeps column ``j``
    in the group of the column before it (a ratio column beside its field's)."""
    units: list[list[int]] = []
    for j in range(1, len(widths)):
        if units and keep[j]:
            units[-1].append(j)
        else:
            units.append([j])

    def least(cols: Sequence[int]) -> float:
        return sum(widths[j].least for j in (0, *cols)) + pad * (len(cols) + 1)

    groups: list[list[int]] = []
    for unit in units:
        if groups and least([*groups[-1], *unit]) <= chars:
            groups[-1] += unit
        elif least(unit) <= chars:
            groups.append(list(unit))
        else:
            return None
    return groups or [[]]


def _shares(widths: Sequence[_Width], cols: Sequence[int], chars: float) -> tuple[float, ...]:
    """The ``\\hsize`` factors of the columns ``cols`` (with the model column 0):
    each its natural width where all fit, else its longest word plus a share of
    the rest by what it lacks; they sum to the number of columns."""
    chosen = [widths[j] for j in (0, *cols)]
    n = len(chosen)
    least = sum(w.least for w in chosen)
    natural = sum(w.natural for w in chosen)
    if natural <= chars:
        shares = [w.natural for w in chosen]
    else:
        spare = max(chars - least, 0.0)
        lacking = sum(w.natural - w.least for w in chosen) or 1.0
        shares = [w.least + spare * (w.natural - w.least) / lacking for w in chosen]
    total = sum(shares) or 1.0
    factors = [round(n * s / total, 4) for s in shares]
    factors[-1] = round(n - sum(factors[:-1]), 4)  # they must sum to n exactly
    return tuple(factors)


def _plan(widths: Sequence[_Width], layout: Layout, keep: Sequence[bool]) -> _Plan:
    """The float, the font size and the groups of columns: the fewest groups
    (then the larger font) that fit the layout's width; for the page layout, a
    sideways page where that holds the table in fewer groups."""
    envs = [("table" if layout == "column" else "table*", _TARGET[layout])]
    if layout == "page":
        envs.append(("sidewaystable", _SIDEWAYS))
    best: tuple[int, int, _Plan] | None = None
    for rank, (env, target) in enumerate(envs):
        for size, points in _SIZES:
            char = points  # widths are in em; an em is the font size
            pad = _PAD / char
            chars = target / char + pad  # the outer columns have no outer padding
            groups = _groups(widths, chars, pad, keep)
            if groups is None:
                continue
            avail = [chars - pad * (len(g) + 1) for g in groups]
            plan = _Plan(
                env,
                size,
                tuple((0, *g) for g in groups),
                tuple(_shares(widths, g, a) for g, a in zip(groups, avail, strict=True)),
            )
            key = (len(groups), rank)
            if best is None or key < best[:2]:
                best = (*key, plan)
    if best is None:
        where = "one column" if layout == "column" else "a page, even sideways"
        hint = "; use layout='page' (--layout page)" if layout == "column" else ""
        raise InvalidValueError(
            f"this table does not fit {where}: a model name or one column's longest "
            f"words alone are too wide, even in \\scriptsize{hint}"
        )
    return best[2]


def _decimals(text: str) -> int | None:
    """The number of decimals of a figure that is a plain number (``≈3.8``,
    ``3.8–14``: 1), None for other text (units, several figures, ``—``)."""
    m = _FIGURE.match(text)
    if m is None:
        return None
    return len(m.group(1) or "")


def _slug(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]


_PREAMBLE = {
    "pdflatex": (
        "\\usepackage[utf8]{inputenc}\n"
        "\\IfFileExists{lmodern.sty}{\\usepackage[T1]{fontenc}\\usepackage{lmodern}}{}\n"
    ),
    "xelatex": "\\usepackage{fontspec}\n",
    "lualatex": "\\usepackage{fontspec}\n",
}


def render_latex_paper(
    c: Table,
    *,
    layout: Layout = "column",
    engine: Engine = "pdflatex",
    standalone: bool = False,
    notes: bool = False,
    legend: bool = True,
    sources: bool = True,
    label: str | None = None,
) -> str:
    """The comparison as a float that fits a paper's column or page (see the
    module doc); :class:`~modelcompare.InvalidValueError` for a layout or an
    engine that is not one of :data:`LAYOUTS` / :data:`ENGINES`, or a table that
    cannot fit."""
    from modelcompare.table import ColumnKind

    if layout not in LAYOUTS:
        raise InvalidValueError(f"layout must be one of {', '.join(LAYOUTS)} (got {layout!r})")
    if engine not in ENGINES:
        raise InvalidValueError(f"engine must be one of {', '.join(ENGINES)} (got {engine!r})")
    e = escape_latex if engine == "pdflatex" else escape_latex_unicode
    shown: Callable[[str], str] = _shown_pdflatex if engine == "pdflatex" else str
    columns = c.columns
    widest = [
        max((row[j].pieces[-1].suffix for row in c.rows), key=len) for j in range(len(columns))
    ]
    decimals: list[int | None] = []
    for j, col in enumerate(columns):
        found = [_decimals(row[j].text) for row in c.rows if not row[j].missing]
        aligned = col.numeric and bool(found) and all(d is not None for d in found)
        decimals.append(max(d or 0 for d in found) if aligned else None)
    model = _word(c, "Model")
    names = [shown(n) for n in (model, *c.row_names)]
    widths = [
        _Width(
            max(map(_em, names)),
            max(_em(w) for n in names for w in _words(n) or [""]),
        )
    ]
    for j, col in enumerate(columns):
        gutter = 0.7 * _em(widest[j]) + 0.5 * ((decimals[j] or 0) + (1 if decimals[j] else 0))
        cells = [_cell_width(row[j], gutter, shown) for row in c.rows]
        head = _header_width(col.header, shown)
        widths.append(
            _Width(
                max([head.natural, *(w.natural for w in cells)]),
                max([head.least, *(w.least for w in cells)]),
            )
        )
    keep = [False, *(col.kind is ColumnKind.RATIO for col in columns)]
    plan = _plan(widths, layout, keep)

    def spec(j: int, factor: float) -> str:
        align = "\\raggedleft" if j > 0 and columns[j - 1].numeric else "\\raggedright"
        return f">{{\\hsize={factor}\\hsize\\linewidth=\\hsize{align}\\arraybackslash}}X"

    def figure(cell: Cell, j: int) -> str:
        out = []
        last = len(cell.pieces) - 1
        for i, piece in enumerate(cell.pieces):
            # a figure never breaks across lines (TeX may break after the dash of 3.8--14)
            ranged = "–" in piece.text and _FIGURE.match(piece.text)
            body = f"\\mbox{{{e(piece.text)}}}" if ranged else None
            text = e(piece.separator) + (body or _breakable(piece.text, e))
            places = decimals[j]
            if places is not None and i == last and not cell.missing:
                have = _decimals(piece.text) or 0
                pad = ("." if have == 0 else "") + "0" * (places - have) if places > have else ""
                text += f"\\phantom{{{pad}}}" if pad else ""
            if i == last and widest[j]:  # the marks hang in the column's gutter
                hang = f"\\rlap{{{e(piece.suffix)}}}\\phantom{{{e(widest[j])}}}"
                text += f"\\textsuperscript{{{hang}}}"
            elif piece.suffix:
                text += f"\\textsuperscript{{{e(piece.suffix)}}}"
            out.append(text)
        return "".join(out)

    packages = ["booktabs", "tabularx", "threeparttable"]
    if plan.env == "sidewaystable":
        packages.append("rotating")
    needs = f"\\usepackage{{{','.join(packages)}}}"
    if engine != "pdflatex":
        needs += (
            ", \\usepackage{fontspec}; sets CJK text in Noto Serif CJK SC, emoji in "
            "Symbola, other scripts in DejaVu Serif, where installed"
        )
    items: list[str] = []
    item_text: list[str] = []  # what each note says, to measure its height
    if legend and c.legend:
        items += [f"\\item[] {e(x.mark)}: {_breakable(x.meaning, e)}" for x in c.legend]
        item_text += [str(x) for x in c.legend]
    if sources and c.sources:
        for n, s in enumerate(c.sources, 1):
            parts = [*(_breakable(p, e) for p in _source_parts(s, c.lang)), _path(s.where, e)]
            items.append(f"\\item[] {e(f'[{n}]')} {', '.join(parts)}")
            item_text.append(f"[{n}] {', '.join([*_source_parts(s, c.lang), s.where])}")
    if notes and c.notes:
        items += [f"\\item[] {_breakable(f'{x.about}: {x.text}', e)}" for x in c.notes]
        item_text += [f"{x.about}: {x.text}" for x in c.notes]

    size = dict(_SIZES)[plan.size]
    line_em = _SIDEWAYS / size if plan.env == "sidewaystable" else _TARGET[layout] / size
    skip = 1.25 * size  # the baseline skip of the size, in points

    def group_height(group: Sequence[int], factors: Sequence[float]) -> float:
        unit = (line_em - (_PAD / size) * (len(group) - 1)) / len(group)
        cols = [widths[j] for j in group]
        lines_of = [
            max(1, math.ceil(w.natural / max(f * unit, 0.5)))
            for w, f in zip(cols, factors, strict=True)
        ]
        head = max(
            1,
            *(
                math.ceil(_em(shown(columns[j - 1].header)) / max(f * unit, 0.5))
                for j, f in zip(group[1:], factors[1:], strict=True)
            ),
        )
        body = max(lines_of)  # every row at the tallest cell's height, to be safe
        return (head + body * len(c.rows)) * skip + 24.0

    heights = [group_height(g, f) for g, f in zip(plan.groups, plan.factors, strict=True)]
    item_heights = [(math.ceil(_em(shown(t)) / line_em) + 0.3) * skip for t in item_text]
    floats: list[list[int]] = [[]]  # the groups of each float
    used = 0.0
    for k, h in enumerate(heights):
        if floats[-1] and used + h > _FLOAT_HEIGHT:
            floats.append([])
            used = 0.0
        floats[-1].append(k)
        used += h + 10.0
    # the notes: under the last tabular as far as they fit, the rest in floats of their own
    placed: list[list[str]] = [[] for _ in floats]
    for item, h in zip(items, item_heights, strict=True):
        if placed[-1] and used + h > _FLOAT_HEIGHT:
            floats.append([])
            placed.append([])
            used = 0.0
        placed[-1].append(item)
        used += h

    lines = [f"% modelcompare table ({layout} layout, {engine}); needs {needs}"]
    if engine != "pdflatex":
        lines.append(_FONTS)
    slug = label
    if slug is None and c.title and _slug(c.title):
        slug = f"tab:{_slug(c.title)}"
    for f, ks in enumerate(floats):
        lines.append(f"\\begin{{{plan.env}}}" + ("" if plan.env == "sidewaystable" else "[tbp]"))
        lines += ["\\centering", plan.size, f"\\setlength{{\\tabcolsep}}{{{_TABCOLSEP}}}"]
        lines.append("\\begin{threeparttable}" if ks else "\\begin{minipage}{\\linewidth}")
        if c.title and f == 0:
            lines.append(f"\\caption{{{_breakable(c.title, e)}}}")
            if slug:
                lines.append(f"\\label{{{e(slug)}}}")
        elif c.title:  # the same table number, continued
            more = f"{_breakable(c.title, e)} {e(_word(c, '(continued)'))}"
            lines.append(f"\\addtocounter{{table}}{{-1}}\\caption{{{more}}}")
        elif slug and f == 0:
            lines.append(f"\\label{{{e(slug)}}}")
        if not ks:  # notes that did not fit under the table, in a float of their own
            lines.append("\\raggedright")
            lines += [x.replace("\\item[] ", "", 1) + "\\par" for x in placed[f]]
            lines += ["\\end{minipage}", f"\\end{{{plan.env}}}"]
            continue
        for i, k in enumerate(ks):
            group, factors = plan.groups[k], plan.factors[k]
            if i:
                lines.append("\\par\\medskip")
            cols = "".join(spec(j, x) for j, x in zip(group, factors, strict=True))
            lines += [f"\\begin{{tabularx}}{{\\linewidth}}{{@{{}}{cols}@{{}}}}", "\\toprule"]
            heads = [e(model), *(_breakable(columns[j - 1].header, e) for j in group[1:])]
            lines += [" & ".join(heads) + " \\\\", "\\midrule"]
            for name, row_cells in _rows(c):
                row = [_breakable(name, e), *(figure(row_cells[j - 1], j - 1) for j in group[1:])]
                lines.append(" & ".join(row) + " \\\\")
            lines += ["\\bottomrule", "\\end{tabularx}"]
        if placed[f]:
            lines += ["\\begin{tablenotes}[flushleft]", "\\raggedright", *placed[f]]
            lines.append("\\end{tablenotes}")
        lines += ["\\end{threeparttable}", f"\\end{{{plan.env}}}"]
    text = "\n".join(lines) + "\n"
    if not standalone:
        return text
    klass = "[twocolumn]{article}" if layout == "column" else "{article}"
    doc = f"\\documentclass{klass}\n{_PREAMBLE[engine]}\\usepackage{{{','.join(packages)}}}\n"
    return doc + "\\begin{document}\n" + text + "\\end{document}\n"


#: Where a path or URL may break: after these characters.
_PATH_BREAKS = re.compile(r"(?<=[/_?&=#.-])")


def _path(text: str, escape: Callable[[str], str]) -> str:
    """A path or URL in ``\\texttt``, breakable after ``/ _ - ? & = # .`` and every
    :data:`_BREAK_EVERY` characters of a longer run."""
    parts = []
    for part in _PATH_BREAKS.split(text):
        if part:
            parts += [part[i : i + _BREAK_EVERY] for i in range(0, len(part), _BREAK_EVERY)]
    return "\\texttt{" + r"\allowbreak{}".join(map(escape, parts)) + "}"
