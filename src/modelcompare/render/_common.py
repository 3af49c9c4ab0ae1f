"""What every format's renderer shares: line breaks, control characters, the
footnote text of a source, the rows of a table."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modelcompare.records import Source
    from modelcompare.table import Cell, Table

_LINE_BREAK = re.compile(r"\r\n?|\n")


def _controls_replaced(text: str) -> str:
    """Control characters other than tab, LF and CR replaced by U+FFFD."""
    return "".join(
        "\ufffd" if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" else ch for ch in text
    )


# -- shared pieces --------------------------------------------------------------------------
def _source_parts(source: Source, lang: str = "en") -> list[str]:
    """A source's title and date (``2024-05 (inferred)``) as a footnote lists them;
    the path or URL follows, in each format's markup."""
    parts = [source.title]
    if source.date is not None:
        said = " (déduite)" if lang == "fr" else " (inferred)"
        inferred = said if source.date_basis == "inferred" else ""
        parts.append(f"{source.date}{inferred}")
    return parts


def _word(c: Table, text: str) -> str:
    """One of a renderer's own words (``Model``, ``Sources:``) in the table's language."""
    from modelcompare.i18n import word

    return word(text, c.lang)


def _source_text(source: Source) -> str:
    """``title, 2024-05 (inferred), seeds/001.txt``."""
    return ", ".join([*_source_parts(source), source.where])


def _rows(c: Table) -> Iterator[tuple[str, tuple[Cell, ...]]]:
    yield from zip(c.row_names, c.rows, strict=True)


#: A URL a source list may link to: a web address with nothing in it that could
#: end a link or an attribute (the loader refuses such URLs; this is checked again).
_LINKABLE_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+\Z", re.IGNORECASE)


def _link_target(source: Source) -> str | None:
    """The URL a footnote links to: a source cited by its web URL (an external
    one, or one with no file), else None (the path is shown as text)."""
    url = source.url
    if url is not None and source.where == url and _LINKABLE_URL.match(url):
        return url
    return None
