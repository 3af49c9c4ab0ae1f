"""Markdown: a GitHub-flavoured pipe table, its legend and numbered sources.

Markdown (GitHub-flavoured pipe table)
    ``\\ ` * _ [ ] ~ | $`` are backslash-escaped (``_`` not inside a word),
    ``& < >`` written as entities, line breaks (LF, CR, CRLF) as ``<br>``;
    white space at either end as numeric character references (parsers strip
    it), and a leading ``-``, ``+``, ``#`` or ``1.`` is escaped (it would start
    a list or a heading). Control characters other than tab and line breaks
    become U+FFFD (CommonMark does so for NUL). Nothing becomes a link as
    GitHub renders it (cmark-gfm's autolink extension): the ``:`` of
    ``scheme://`` and the ``.`` of ``www.`` are backslash-escaped, and every
    ``@`` is followed by an empty comment ``<!---->``, so the visible and copied
    text is unchanged (no invisible character is added). GitHub's ``:emoji:``
    shortcodes are not escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._common import (
    _LINE_BREAK,
    _controls_replaced,
    _link_target,
    _rows,
    _source_parts,
    _word,
)

if TYPE_CHECKING:
    from modelcompare.records import Source
    from modelcompare.table import Table


_MD_ESCAPED = frozenset("\\`*_[]~|$")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_BLOCK_START = re.compile(r"(?:[-+]|#{1,6}|\d{1,9}[.)])(?=[ \t]|$)")
#: What GitHub's autolink extension would turn into a link, and how each is kept
#: text: the ``:`` of ``scheme://`` and the ``.`` of ``www.`` backslash-escaped
#: (a literal character to CommonMark, so the visible and copied text is the
#: same), and ``@`` followed by an empty HTML comment, which splits the text
#: where an e-mail address would be found and renders as nothing.
_MD_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])://|(?i:(?<![A-Za-z0-9])www)\.|@")
_MD_AUTOLINK_SAFE = {"://": "\\://", ".": "\\.", "@": "@<!---->"}


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
    body = _MD_AUTOLINK.sub(_unlinked, "".join(out))
    start = len(body) - len(body.lstrip())
    core = body.strip()
    m = _MD_BLOCK_START.match(core)
    if m:  # would start a list item or a heading: escape the marker's last character
        i = m.end() - 1
        core = core[:i] + "\\" + core[i:]
    return _char_refs(body[:start]) + core + _char_refs(body[start + len(core) :])


def _unlinked(m: re.Match[str]) -> str:
    found = m.group(0)
    if found in _MD_AUTOLINK_SAFE:
        return _MD_AUTOLINK_SAFE[found]
    return found[:-1] + _MD_AUTOLINK_SAFE["."]  # ``www.``


def _char_refs(text: str) -> str:
    return "".join(f"&#x{ord(ch):X};" for ch in text)


def _md_source(source: Source, lang: str = "en") -> str:
    """A footnote: title, date, and the path as text or the URL as a CommonMark
    autolink (``<https://…>``, which takes the URL as it is: no escapes)."""
    url = _link_target(source)
    where = f"<{url}>" if url is not None else escape_markdown(source.where)
    return ", ".join([*map(escape_markdown, _source_parts(source, lang)), where])


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(
    c: Table, *, notes: bool = False, legend: bool = True, sources: bool = True
) -> str:
    """A GitHub-flavoured Markdown pipe table, the legend and the numbered sources
    (``legend=False`` / ``sources=False`` leave them out: the cells keep their marks
    and source numbers, for a legend or a list printed elsewhere)."""
    e = escape_markdown
    lines = []
    if c.title:
        lines += [f"**{e(c.title)}**", ""]
    lines.append(_md_row([e(_word(c, "Model")), *(e(col.header) for col in c.columns)]))
    lines.append(_md_row([":---", *("---:" if col.numeric else ":---" for col in c.columns)]))
    for name, cells in _rows(c):
        lines.append(_md_row([e(name), *(e(cell.display) for cell in cells)]))
    if legend and c.legend:
        lines += ["", *(f"- {e(str(entry))}" for entry in c.legend)]
    if sources and c.sources:
        lines += ["", e(_word(c, "Sources:")), ""]
        lines += [f"{n}. {_md_source(s, c.lang)}" for n, s in enumerate(c.sources, 1)]
    if notes and c.notes:
        lines += ["", e(_word(c, "Notes:")), ""]
        lines += [f"- {e(f'{note.about}: {note.text}')}" for note in c.notes]
    return "\n".join(lines) + "\n"
