"""Text for a terminal: escapes for control characters, and the column tables
that ``list``, ``search``, ``sources`` and ``fields`` print."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tabulate import tabulate

from modelcompare.terminal import clip, display_width, printable, text_table

#: Text a terminal shows one column a character: printable, not wide, not combining.
narrow = st.text(
    st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S", "Zs"),
    ).filter(lambda ch: unicodedata.east_asian_width(ch) not in ("W", "F", "A")),
    max_size=12,
).map(printable)
any_text = st.text(max_size=12)


def _table(n_columns: int, cells: st.SearchStrategy[str]) -> st.SearchStrategy[list[list[str]]]:
    return st.lists(st.lists(cells, min_size=n_columns, max_size=n_columns), max_size=8)


@given(st.integers(1, 5).flatmap(lambda n: _table(n, narrow)))
def test_a_table_of_narrow_text_is_tabulates_simple_format(rows: list[list[str]]) -> None:
    """For text a terminal shows one column a character, the table is exactly
    what tabulate's ``simple`` format gives (the oracle), every row kept."""
    headers = [f"h{i}" for i in range(len(rows[0]))] if rows else ["h0"]
    got = text_table(rows, headers)
    assert got == tabulate(rows, headers, tablefmt="simple", disable_numparse=True)
    assert len(got.split("\n")) == len(rows) + 2


def _at_columns(line: str, start: int, stop: int | None) -> str:
    """The text of ``line`` shown between the terminal columns ``start`` and ``stop``."""
    out, column = [], 0
    for ch in line:
        if start <= column and (stop is None or column < stop):
            out.append(ch)
        column += display_width(ch)
    return "".join(out)


@given(
    st.integers(1, 4).flatmap(
        lambda n: _table(n, st.text(st.sampled_from("a東中é\u0301ｱ한 x"), max_size=6))
    )
)
def test_columns_line_up_as_a_terminal_shows_them(rows: list[list[str]]) -> None:
    """Wide characters take two columns and combining marks none: each cell
    shows in its column's place (under its dashes) on every line."""
    headers = [f"col{i}" for i in range(len(rows[0]))] if rows else ["col0"]
    lines = text_table(rows, headers).split("\n")
    dashes = lines[1]
    starts = [i for i, ch in enumerate(dashes) if ch == "-" and (i == 0 or dashes[i - 1] == " ")]
    assert len(starts) == len(headers)
    for line, row in zip(lines[2:], rows, strict=True):
        for i, cell in enumerate(row):
            stop = starts[i + 1] if i + 1 < len(starts) else None
            assert _at_columns(line, starts[i], stop).strip() == cell.strip()


def test_display_width_of_wide_and_combining_text() -> None:
    assert display_width("abc") == 3
    assert display_width("東京") == 4
    assert display_width("e\u0301") == 1  # e + combining acute
    assert display_width("\u200b") == 0  # zero-width space (a format character)
    assert display_width("") == 0


@given(any_text)
def test_printable_text_obeys_nothing_and_keeps_what_shows(text: str) -> None:
    shown = printable(text)
    assert shown.isprintable()
    if text.isprintable():
        assert shown == text
    assert shown.count("\\x") >= sum(not ch.isprintable() for ch in text)


def test_control_characters_are_shown_as_escapes() -> None:
    assert printable("a\x1b[31mred\x07\n") == "a\\x1b[31mred\\x07\\x0a"


def test_a_row_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="row 2 has 1 cells for 2 columns"):
        text_table([["a", "b"], ["c"]], ["x", "y"])


@given(any_text.map(printable), st.integers(2, 30))
def test_clipped_text_fits_and_says_it_was_cut(text: str, width: int) -> None:
    """A clipped text fits its width; one that was cut ends in ``…`` after a
    prefix of the text, and one that fits comes back whole."""
    clipped = clip(text, width)
    assert display_width(clipped) <= width
    if display_width(text) <= width:
        assert clipped == text
    else:
        assert clipped.endswith("…")
        assert text.startswith(clipped[:-1])


def test_a_long_organization_is_clipped_in_list_but_whole_in_json(tmp_path: Path) -> None:
    from modelcompare.cli import main

    org = "Lab " * 30
    data = tmp_path / "d.toml"
    data.write_text(
        '[[model]]\nid = "m"\nname = "M"\norganization = "' + org.strip() + '"\n',
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["--no-cache", "--data", str(data), "list"], out) == 0
    line = next(x for x in out.getvalue().splitlines() if x.startswith("M "))
    assert "Lab Lab" in line
    assert "…" in line
    out = io.StringIO()
    assert main(["--no-cache", "--data", str(data), "list", "--format", "json"], out) == 0
    assert org.strip() in out.getvalue()
