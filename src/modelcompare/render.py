"""Renderers: a :class:`~modelcompare.comparison.Comparison` as Markdown, LaTeX,
HTML, CSV or JSON (and a pandas DataFrame).

The formats are a named registry, :data:`RENDERERS` (name -> :class:`Format`),
each with one escape function; :data:`FORMATS` lists their names.

Every string a user can set (model names, notes, source titles and paths, the
title) comes out as that same text, never as markup. Where a format cannot
hold a character as it is, the change is fixed and documented:

Markdown (GitHub-flavoured pipe table)
    ``\\ ` * _ [ ] ~ | $`` are backslash-escaped (``_`` not inside a word),
    ``& < >`` written as entities, line breaks (LF, CR, CRLF) as ``<br>``;
    white space at either end as numeric character references (parsers strip
    it), and a leading ``-``, ``+``, ``#`` or ``1.`` is escaped (it would start
    a list or a heading). Control characters other than tab and line breaks
    become U+FFFD (CommonMark does so for NUL). GitHub's ``:emoji:``
    shortcodes are not escaped.
HTML
    ``& < > "`` escaped (:func:`html.escape`), line breaks as ``<br>`` (as
    spaces in a page's ``<title>``), control characters other than tab and
    line breaks as U+FFFD. A source cited by its URL (an external one, or one
    with no file) is a link, ``<a href="…">`` with the URL escaped, for
    ``http``/``https`` URLs only; a path is shown in ``<code>``.
LaTeX (pdflatex)
    ``& % $ # _ { } ~ ^ \\`` and ``< > | " ` [ ] *`` are written as commands
    or braced (no text can reach ``\\input`` or ``\\write18``, end a row or
    start an optional argument); ``--``, ``''`` and ``,,`` are kept from
    becoming ligatures. ``≈ ≥ ≤ ≠ − – — × ÷ ± · … ∞ → ← ° µ † ‡ § ¶``, typographic
    quotes, guillemets, superscript digits and no-break spaces become LaTeX
    commands; accented Latin letters pass through (pdflatex reads UTF-8 since
    2018); any other character (CJK, emoji, control characters…) is shown as
    ``\\texttt{U+XXXX}``. Line breaks and tabs become spaces and runs of white
    space collapse, as TeX does; ``'`` prints as a typographic apostrophe.
    A source's path or URL (in ``\\texttt``) may break across lines after
    ``/ _ - ? & = #`` (``\\allowbreak{}``, which prints nothing).
CSV (RFC 4180)
    UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends.
    A text cell starting with ``= + - @``, tab or CR is prefixed with ``'``
    against formula injection (OWASP); numbers are in separate numeric
    columns, never neutralised. CSV has no footer: each row's ``sources``
    column holds its numbered sources as text, ``[1] title, date, path``.
JSON
    Verbatim (``ensure_ascii=False``); keys in a fixed order.

Every claim side by side (``compare(..., claims="each")``)
    A cell is several :class:`~modelcompare.comparison.Piece` s, each a claim's
    figure with its own marks and source numbers, written one after the other
    with their separators (``" / "``, ``" + "`` between kinds of chip), with
    the escapes above. Markdown and plain text:
    ``1,760 † [2] / ≥1,000 † [3]``; LaTeX: each piece's marks and numbers in
    their own ``\\textsuperscript``; HTML: in their own ``<sup>``. CSV and
    :func:`to_frame`: the text column holds the pieces with their marks and
    numbers as plain text shows them (``1,760 † [2] / ≥1,000 † [3]``); the
    flags and sources columns hold those of all the pieces; the number columns
    hold the value the claims agree on, NaN (empty) where they contradict.
    JSON: each cell also has ``pieces``, a list of objects (display, separator,
    marks, flags, bound, nominal/low/high in the piece's unit or null, unit,
    statuses, source numbers, and ``claims``, the 0-based positions of the
    piece's claims in the cell's ``claims``). Without ``claims="each"`` the
    output is as above, unchanged, and JSON cells have no ``pieces``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ModelCompareError
from .estimate import Estimate

if TYPE_CHECKING:
    import pandas

    from .comparison import Cell, Column, Comparison, Piece
    from .records import ClaimValue, Source

__all__ = [
    "FORMATS",
    "RENDERERS",
    "Format",
    "UnknownFormatError",
    "escape_csv",
    "escape_html",
    "escape_json",
    "escape_latex",
    "escape_markdown",
    "render",
    "to_frame",
]


class UnknownFormatError(ModelCompareError, ValueError):
    """No renderer has this name; ``choices`` lists those there are."""

    name: str
    choices: tuple[str, ...]

    def __init__(self, name: str, choices: Sequence[str]) -> None:
        super().__init__(name=name, choices=tuple(choices))

    def __str__(self) -> str:
        return f"unknown format {self.name!r}; choose one of {', '.join(self.choices)}"


_LINE_BREAK = re.compile(r"\r\n?|\n")


def _controls_replaced(text: str) -> str:
    """Control characters other than tab, LF and CR replaced by U+FFFD."""
    return "".join(
        "\ufffd" if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" else ch for ch in text
    )


# -- shared pieces --------------------------------------------------------------------------
def _source_parts(source: Source) -> list[str]:
    """A source's title and date (``2024-05 (inferred)``) as a footnote lists them;
    the path or URL follows, in each format's markup."""
    parts = [source.title]
    if source.date is not None:
        inferred = " (inferred)" if source.date_basis == "inferred" else ""
        parts.append(f"{source.date}{inferred}")
    return parts


def _source_text(source: Source) -> str:
    """``title, 2024-05 (inferred), seeds/001.txt``."""
    return ", ".join([*_source_parts(source), source.where])


def _rows(c: Comparison) -> Iterator[tuple[str, tuple[Cell, ...]]]:
    for model, cells in zip(c.models, c.rows, strict=True):
        yield model.name, cells


# -- Markdown -------------------------------------------------------------------------------
_MD_ESCAPED = frozenset("\\`*_[]~|$")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_BLOCK_START = re.compile(r"(?:[-+]|#{1,6}|\d{1,9}[.)])(?=[ \t]|$)")


def escape_markdown(text: str) -> str:
    """``text`` as inline GitHub-flavoured Markdown that reads back as ``text``
    (see the module doc for the fixed changes: line breaks as ``<br>`` …)."""
    text = _LINE_BREAK.sub("\n", _controls_replaced(text))
    out = []
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append("<br>")
        elif ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch == "_" and text[i - 1 : i].isalnum() and text[i + 1 : i + 2].isalnum():
            out.append(ch)  # inside a word (``snake_case``): never emphasis
        elif ch in _MD_ESCAPED:
            out.append("\\" + ch)
        else:
            out.append(ch)
    body = "".join(out)
    start = len(body) - len(body.lstrip())
    core = body.strip()
    m = _MD_BLOCK_START.match(core)
    if m:  # would start a list item or a heading: escape the marker's last character
        i = m.end() - 1
        core = core[:i] + "\\" + core[i:]
    return _char_refs(body[:start]) + core + _char_refs(body[start + len(core) :])


def _char_refs(text: str) -> str:
    return "".join(f"&#x{ord(ch):X};" for ch in text)


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(c: Comparison, *, notes: bool = False) -> str:
    """A GitHub-flavoured Markdown pipe table, the legend and the numbered sources."""
    e = escape_markdown
    lines = []
    if c.title:
        lines += [f"**{e(c.title)}**", ""]
    lines.append(_md_row(["Model", *(e(col.header) for col in c.columns)]))
    lines.append(_md_row([":---", *("---:" if col.numeric else ":---" for col in c.columns)]))
    for name, cells in _rows(c):
        lines.append(_md_row([e(name), *(e(cell.display) for cell in cells)]))
    if c.legend:
        lines += ["", *(f"- {e(str(entry))}" for entry in c.legend)]
    if c.sources:
        lines += ["", "Sources:", ""]
        lines += [f"{n}. {e(_source_text(s))}" for n, s in enumerate(c.sources, 1)]
    if notes and c.notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {e(f'{note.about}: {note.text}')}" for note in c.notes]
    return "\n".join(lines) + "\n"


# -- LaTeX ----------------------------------------------------------------------------------
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


def _latex_piece(piece: Piece) -> str:
    """A piece of a cell: separator, text, and its marks and source numbers in
    their own superscript."""
    e = escape_latex
    suffix = f"\\textsuperscript{{{e(piece.suffix)}}}" if piece.suffix else ""
    return e(piece.separator) + e(piece.text) + suffix


_LATEX_DOCUMENT = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\IfFileExists{lmodern.sty}{\usepackage[T1]{fontenc}\usepackage{lmodern}}{}
\usepackage{booktabs}
\usepackage{graphicx}
\usepackage[%s]{geometry}
\begin{document}
"""
#: The text width of a portrait page in points (US letter with 2 cm margins, as the
#: standalone document has; an A4 or letter article's is 345 to 500): a table
#: estimated wider has its long headers broken onto several lines, and in the
#: standalone document goes on a landscape page.
_PAGE_WIDTH = 500.0
#: The fragment's first line.
_LATEX_HEAD = (
    "% modelcompare table for pdflatex; needs \\usepackage{booktabs}; "
    "with \\usepackage{graphicx} a table wider than the line is scaled down to fit"
)
#: Shows the tabular saved in box 0: scaled down to the line width where it is wider
#: and graphicx is loaded (never enlarged), else at its natural width.
_LATEX_FIT = (
    r"\noindent\ifdefined\resizebox\ifdim\wd0>\linewidth"
    r"\resizebox{\linewidth}{!}{\box0}\else\box0\fi\else\box0\fi"
)
#: Where a path or URL may break: after these characters.
_PATH_BREAKS = re.compile(r"(?<=[/_?&=#-])")


def _latex_path(text: str) -> str:
    """A path or URL for ``\\texttt``: escaped, and breakable after ``/ _ - ? & = #``
    (``\\allowbreak{}``), since typewriter type never hyphenates."""
    return r"\allowbreak{}".join(escape_latex(part) for part in _PATH_BREAKS.split(text) if part)


def _chars(cell: Cell) -> float:
    """A cell's width in characters of the body font (a superscript's count 0.7)."""
    return sum(len(p.separator + p.text) + 0.7 * len(p.suffix) for p in cell.pieces)


_WHITE = re.compile(r"[ \t\r\n]+")


def _header_lines(c: Comparison, j: int, *, wrap: bool) -> list[str]:
    """Column ``j``'s header; with ``wrap``, broken at spaces into lines no wider
    than its widest cell (or its longest word), so that a long header over short
    figures does not widen the table."""
    header = c.columns[j].header
    if not wrap:
        return [header]
    words = [w for w in _WHITE.split(header) if w]
    limit = max([*(_chars(row[j]) for row in c.rows), *map(len, words), 1])
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines if len(lines) > 1 else [header]


def _latex_header(c: Comparison, j: int, *, wrap: bool) -> str:
    """A header cell: one line, or a stack of lines aligned as the column."""
    lines = _header_lines(c, j, wrap=wrap)
    if len(lines) == 1:
        return escape_latex(lines[0])
    align = "r" if c.columns[j].numeric else "l"
    stacked = r" \\ ".join(map(escape_latex, lines))
    return f"\\begin{{tabular}}[b]{{@{{}}{align}@{{}}}}{stacked}\\end{{tabular}}"


def _latex_width(c: Comparison, *, wrap: bool) -> float:
    """A rough natural width of the table in points (10 pt Computer Modern: about
    5 pt a character; 12 pt of padding a column)."""
    widths = [float(max(len(name) for name in ("Model", *(m.name for m in c.models))))]
    for j in range(len(c.columns)):
        lines = _header_lines(c, j, wrap=wrap)
        widths.append(max([*map(len, lines), *(_chars(row[j]) for row in c.rows)]))
    return 5.0 * sum(widths) + 12.0 * len(widths)


def render_latex(
    c: Comparison, *, standalone: bool = False, notes: bool = False, fit: bool = True
) -> str:
    """A booktabs ``tabular`` with the legend and the numbered sources as lists.

    The fragment needs ``\\usepackage{booktabs}`` and pdflatex from 2018 or
    later (UTF-8 input by default). A wide table: with ``fit`` (the default),
    a table wider than ``\\linewidth`` is scaled down to it where the document
    loads ``graphicx`` (``\\usepackage{graphicx}``; it is never enlarged), and
    keeps its natural width where it does not, so the fragment still compiles
    with booktabs alone; ``fit=False`` never scales. Other ways to fit one: a
    landscape page (``\\usepackage{pdflscape}`` and the ``landscape``
    environment), or ``\\small`` / a smaller ``\\tabcolsep`` before it. A table
    estimated wider than a page (about 500 pt) has its long headers broken onto
    several lines (a stacked ``tabular``). Paths and URLs in the sources may
    break after ``/`` and the like; the legend is a ``description`` list, so a
    long mark (``× MAI-1-preview``) stays on the page.

    ``standalone`` wraps it in a document that compiles with TeX Live's base and
    recommended LaTeX packages (T1 fonts with Latin Modern where ``lmodern`` is
    installed) and fits the page: graphicx is loaded (so with ``fit`` a wide
    table is scaled down to the line), and a table estimated wider than a
    portrait page goes on a landscape one.
    """
    e = escape_latex
    lines = [_LATEX_HEAD]
    if c.title:
        lines.append(f"\\noindent\\textbf{{{e(c.title)}}}\\par\\medskip")
    spec = "l" + "".join("r" if col.numeric else "l" for col in c.columns)
    begin = f"\\begin{{tabular}}{{{spec}}}"
    lines += [f"\\setbox0=\\hbox{{{begin}" if fit else f"\\noindent{begin}", r"\toprule"]
    wrap = _latex_width(c, wrap=False) > _PAGE_WIDTH  # a wide table: long headers on 2+ lines
    headers = [_latex_header(c, j, wrap=wrap) for j in range(len(c.columns))]
    lines.append(" & ".join(["Model", *headers]) + r" \\")
    lines.append(r"\midrule")
    for name, cells in _rows(c):
        row = [e(name)]
        for cell in cells:
            row.append("".join(_latex_piece(piece) for piece in cell.pieces))
        lines.append(" & ".join(row) + r" \\")
    lines.append(r"\bottomrule")
    lines += [r"\end{tabular}}%", _LATEX_FIT] if fit else [r"\end{tabular}"]

    def items(labelled: Sequence[tuple[str, str]], env: str = "itemize") -> list[str]:
        # ragged right: a line may end short before a long path rather than run out
        body = [f"\\item[{{{label}}}] {text}" for label, text in labelled]
        return [f"\\begin{{{env}}}\\small\\raggedright", *body, f"\\end{{{env}}}"]

    if c.legend:  # a description list, so a long mark (``× MAI-1-preview``) stays on the page
        legend = [(f"\\mdseries {e(entry.mark)}", e(entry.meaning)) for entry in c.legend]
        lines += items(legend, "description")
    if c.sources:
        lines.append(r"\noindent Sources:")
        lines += items(
            [
                (
                    e(f"[{n}]"),
                    ", ".join([*map(e, _source_parts(s)), f"\\texttt{{{_latex_path(s.where)}}}"]),
                )
                for n, s in enumerate(c.sources, 1)
            ]
        )
    if notes and c.notes:
        lines.append(r"\noindent Notes:")
        lines += items([(r"\textbullet", e(f"{note.about}: {note.text}")) for note in c.notes])
    text = "\n".join(lines) + "\n"
    if not standalone:
        return text
    page = "landscape, margin=2cm" if _latex_width(c, wrap=wrap) > _PAGE_WIDTH else "margin=2cm"
    return _LATEX_DOCUMENT % page + text + "\\end{document}\n"


# -- HTML -----------------------------------------------------------------------------------
def escape_html(text: str) -> str:
    """``text`` as HTML character data (or a double-quoted attribute value):
    ``& < > "`` escaped, line breaks as ``<br>``, control characters as U+FFFD."""
    escaped = html.escape(_controls_replaced(text), quote=False).replace('"', "&quot;")
    return _LINE_BREAK.sub("<br>", escaped)


def _html_piece(piece: Piece) -> str:
    """A piece of a cell: separator, text, and its marks and source numbers in
    their own ``<sup>``."""
    e = escape_html
    suffix = f" <sup>{e(piece.suffix)}</sup>" if piece.suffix else ""
    return f"{e(piece.separator)}{e(piece.text)}{suffix}"


_HTML_STYLE = """body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table.modelcompare { border-collapse: collapse; }
table.modelcompare caption { font-weight: bold; text-align: left; padding: 0.4em 0; }
table.modelcompare th, table.modelcompare td { padding: 0.3em 0.8em; text-align: left; }
table.modelcompare thead th { border-bottom: 2px solid #222; }
table.modelcompare tbody tr { border-bottom: 1px solid #ccc; }
table.modelcompare .num { text-align: right; font-variant-numeric: tabular-nums; }
.modelcompare-legend, .modelcompare-sources, .modelcompare-notes { font-size: 0.9em; }"""


#: The URLs the sources list links to: web addresses only.
_WEB_URL = re.compile(r"https?://", re.IGNORECASE)


def render_html(c: Comparison, *, standalone: bool = False, notes: bool = False) -> str:
    """An HTML ``<table>`` (``<thead>``/``<tbody>``, header cells with ``scope``),
    the legend as a ``<ul>`` and the numbered sources as an ``<ol>``: each source's
    URL, where the footnote gives one (a source with no file, an external one),
    as a link (``http``/``https`` only), else its path in ``<code>``."""
    e = escape_html
    num = ' class="num"'
    lines = ['<table class="modelcompare">']
    if c.title:
        lines.append(f"<caption>{e(c.title)}</caption>")
    head = "".join(
        f'<th scope="col"{num if col.numeric else ""}>{e(col.header)}</th>' for col in c.columns
    )
    lines += ["<thead>", f'<tr><th scope="col">Model</th>{head}</tr>', "</thead>", "<tbody>"]
    for name, cells in _rows(c):
        tds = []
        for col, cell in zip(c.columns, cells, strict=True):
            pieces = "".join(_html_piece(piece) for piece in cell.pieces)
            tds.append(f"<td{num if col.numeric else ''}>{pieces}</td>")
        lines.append(f'<tr><th scope="row">{e(name)}</th>{"".join(tds)}</tr>')
    lines += ["</tbody>", "</table>"]
    if c.legend:
        lines.append('<ul class="modelcompare-legend">')
        lines += [f"<li>{e(str(entry))}</li>" for entry in c.legend]
        lines.append("</ul>")
    if c.sources:
        lines += ["<p>Sources:</p>", '<ol class="modelcompare-sources">']
        for s in c.sources:
            if s.where == s.url and _WEB_URL.match(s.url):
                where = f'<a href="{e(s.url)}">{e(s.url)}</a>'
            else:
                where = f"<code>{e(s.where)}</code>"
            lines.append(f"<li>{', '.join([*map(e, _source_parts(s)), where])}</li>")
        lines.append("</ol>")
    if notes and c.notes:
        lines += ["<p>Notes:</p>", '<ul class="modelcompare-notes">']
        lines += [f"<li>{e(f'{note.about}: {note.text}')}</li>" for note in c.notes]
        lines.append("</ul>")
    body = "\n".join(lines) + "\n"
    if not standalone:
        return body
    title = e(_LINE_BREAK.sub(" ", c.title)) if c.title else "Model comparison"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{_HTML_STYLE}\n</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )


# -- flat tables: CSV and pandas ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Flat:
    """One column of the flat (one value per cell) form of a comparison."""

    name: str
    values: list[str] | list[float]
    numeric: bool = False


def _flat(c: Comparison, *, notes: bool) -> list[_Flat]:
    """The comparison as flat columns: per table column its text (with
    ``claims="each"``, the pieces with their marks and source numbers), its
    numbers (``nominal``/``low``/``high`` with the unit in brackets), its chip
    (where each cell has its own unit), its flags and its source numbers; then
    each row's sources as text (and notes)."""
    each = c.claims_mode == "each"
    out: list[_Flat] = []
    for j, col in enumerate(c.columns):
        cells = [row[j] for row in c.rows]
        out.append(_Flat(col.key, [cell.display if each else cell.text for cell in cells]))
        if col.numeric:
            unit = f" [{col.number_unit}]" if col.number_unit else ""
            for end in ("nominal", "low", "high"):
                values = [float(getattr(cell, end)) for cell in cells]
                out.append(_Flat(f"{col.key} {end}{unit}", values, numeric=True))
        if col.per_cell_unit:
            out.append(_Flat(f"{col.key} unit", [cell.unit for cell in cells]))
        out.append(_Flat(f"{col.key} flags", ["; ".join(cell.flags) for cell in cells]))
        out.append(
            _Flat(f"{col.key} sources", [", ".join(map(str, cell.sources)) for cell in cells])
        )
    cited = []
    for row in c.rows:
        numbers = sorted({n for cell in row for n in cell.sources})
        cited.append("\n".join(f"[{n}] {_source_text(c.sources[n - 1])}" for n in numbers))
    out.append(_Flat("sources", cited))
    if notes:
        text = [
            "\n".join(f"{n.about}: {n.text}" for n in c.notes if n.model is model)
            for model in c.models
        ]
        out.append(_Flat("notes", text))
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_csv(text: str) -> str:
    """A text cell neutralised against spreadsheet formula injection (OWASP):
    ``'`` before a leading ``= + - @``, tab or CR. The :mod:`csv` module quotes."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_number(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.15g}"


def render_csv(c: Comparison, *, notes: bool = False) -> str:
    """RFC 4180 CSV, UTF-8 with a byte-order mark: a ``Model`` column, then per
    column its text, numbers, flags and source numbers, then the row's sources."""
    flat = _flat(c, notes=notes)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([escape_csv(h) for h in ["Model", *(f.name for f in flat)]])
    for i, model in enumerate(c.models):
        row = [escape_csv(model.name)]
        for f in flat:
            value = f.values[i]
            row.append(_csv_number(value) if isinstance(value, float) else escape_csv(str(value)))
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()


def to_frame(c: Comparison) -> pandas.DataFrame:
    """A DataFrame indexed by model name: per column its display text (``str``),
    its numbers as ``float64`` (``parameters low [B parameters]``; NaN where
    unbounded or missing), flags and source numbers; then each row's sources.
    ``df.attrs`` holds the title, the legend, the sources and each column's unit."""
    import pandas as pd

    data: dict[str, Any] = {}
    for f in _flat(c, notes=False):
        data[f.name] = pd.Series(f.values, dtype="float64" if f.numeric else "str")
    df = pd.DataFrame(data)
    df.index = pd.Index([m.name for m in c.models], name="Model")
    df.attrs = {
        "title": c.title,
        "legend": {entry.mark: entry.meaning for entry in c.legend},
        "sources": [_source_text(s) for s in c.sources],
        "units": {col.key: col.number_unit for col in c.columns if col.number_unit},
    }
    return df


# -- JSON -----------------------------------------------------------------------------------
def escape_json(text: str) -> str:
    """``text`` as a JSON string literal (non-ASCII kept as it is)."""
    return json.dumps(text, ensure_ascii=False)


def _json_number(x: float) -> float | None:
    return None if math.isnan(x) else x


def _json_numbers(
    value: ClaimValue | None, low: float, nominal: float, high: float
) -> dict[str, Any]:
    """The bound and the numbers of a cell or a piece (null where NaN)."""
    return {
        "bound": value.bound.value if isinstance(value, Estimate) else None,
        "nominal": _json_number(nominal),
        "low": _json_number(low),
        "high": _json_number(high),
    }


def _json_piece(piece: Piece, position: dict[int, int]) -> dict[str, Any]:
    """A piece of a cell (``claims="each"``); its ``claims`` are their positions in
    the cell's (``position``: claim's ``id()`` -> index)."""
    return {
        **_json_figure(piece),
        "separator": piece.separator,
        "claims": [position[id(claim)] for claim in piece.claims],
    }


def _json_figure(part: Cell | Piece) -> dict[str, Any]:
    """What a cell and a piece of a cell both say: text, marks, numbers, status, sources."""
    return {
        "display": part.text,
        "marks": [f.mark for f in part.flags],
        "flags": [f.value for f in part.flags],
        **_json_numbers(part.value, part.low, part.nominal, part.high),
        "unit": part.unit,
        "status": list(dict.fromkeys(claim.status.value for claim in part.claims)),
        "sources": list(part.sources),
    }


def _source_numbers(c: Comparison) -> dict[str, int]:
    """Each cited source's number, by source id."""
    return {s.id: n for n, s in enumerate(c.sources, 1)}


def _json_cell(
    c: Comparison, col: Column, cell: Cell, notes: bool, number: Mapping[str, int]
) -> dict[str, Any]:
    """A cell; ``number`` is :func:`_source_numbers` of the table (computed once)."""
    claims = []
    for claim in cell.claims:
        entry: dict[str, Any] = {
            "value": str(claim.value),
            "status": claim.status.value,
            "as_of": None if claim.as_of is None else str(claim.as_of),
            "sources": [number[s.id] for s in claim.sources],
            "quotes": [{"source": number[q.source.id], "quote": q.quote} for q in claim.citations],
        }
        if claim.formula is not None:
            entry["formula"] = claim.formula
        if notes and claim.note is not None:
            entry["note"] = claim.note
        claims.append(entry)
    out = {"column": col.key, **_json_figure(cell)}
    if c.claims_mode == "each":
        position = {id(claim): i for i, claim in enumerate(cell.claims)}
        out["pieces"] = [_json_piece(piece, position) for piece in cell.pieces]
    out["claims"] = claims
    return out


def render_json(c: Comparison, *, notes: bool = False) -> str:
    """The whole comparison as a JSON document: title, reference model, columns,
    one row per model (id, name, organization, status, cells: display text,
    marks, flags, bound, nominal/low/high in the cell's unit or null, unit,
    statuses, source numbers, with ``claims="each"`` the pieces, the claims
    with their quotes), the numbered sources and the legend. ``notes=True``
    adds the models' and claims' notes."""
    rows = []
    number = _source_numbers(c)
    for model, cells in zip(c.models, c.rows, strict=True):
        entry: dict[str, Any] = {
            "id": model.id,
            "name": model.name,
            "organization": model.organization,
            "status": model.status.value,
        }
        if notes and model.note is not None:
            entry["note"] = model.note
        entry["cells"] = [
            _json_cell(c, col, cell, notes, number)
            for col, cell in zip(c.columns, cells, strict=True)
        ]
        rows.append(entry)
    doc = {
        "title": c.title,
        "vs": None if c.vs is None else c.vs.name,
        "columns": [
            {
                "key": col.key,
                "field": col.field.name,
                "header": col.header,
                "kind": col.kind.value,
                "unit": col.number_unit,
            }
            for col in c.columns
        ],
        "rows": rows,
        "sources": [
            {
                "number": n,
                "id": s.id,
                "title": s.title,
                "date": None if s.date is None else str(s.date),
                "date_basis": s.date_basis,
                "path": s.path,
                "url": s.url,
            }
            for n, s in enumerate(c.sources, 1)
        ],
        "legend": [{"mark": entry.mark, "meaning": entry.meaning} for entry in c.legend],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# -- the registry ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Format:
    """A named output format: its renderer, its escape function, its options."""

    name: str
    render: Callable[..., str]
    escape: Callable[[str], str]
    options: tuple[str, ...]
    """The keyword options :attr:`render` takes."""


#: Every output format, by name.
RENDERERS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("markdown", render_markdown, escape_markdown, ("notes",)),
        Format("latex", render_latex, escape_latex, ("standalone", "notes", "fit")),
        Format("html", render_html, escape_html, ("standalone", "notes")),
        Format("csv", render_csv, escape_csv, ("notes",)),
        Format("json", render_json, escape_json, ("notes",)),
    )
}

#: The names of the output formats (the CLI's ``--format`` choices).
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def render(comparison: Comparison, fmt: str, **options: Any) -> str:
    """``comparison`` in format ``fmt``; :class:`UnknownFormatError` (a
    :class:`ValueError`) listing the formats if there is none of that name,
    :class:`TypeError` naming the options if one is not the format's."""
    try:
        spec = RENDERERS[fmt]
    except KeyError:
        raise UnknownFormatError(str(fmt), FORMATS) from None
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        raise TypeError(
            f"the {fmt} format takes no option {unknown[0]!r} "
            f"(its options: {', '.join(spec.options)})"
        )
    return spec.render(comparison, **options)
