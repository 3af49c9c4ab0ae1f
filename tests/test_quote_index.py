"""validate looks quotes up in a source by an index of its words once the source
is cited often: the lookup says exactly what ``quote in text`` says, and checking
many quotes against one large source stays linear."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from modelcompare.validation import _Quotes

#: Text made of few distinct characters, so that words, prefixes and partial
#: words repeat: letters, digits, "_" (a \\w character that is no letter), spaces,
#: punctuation and a letter that is not ASCII.
ALPHABET = "ab1 _.-é"


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(ALPHABET, max_size=80),
    quotes=st.lists(st.text(ALPHABET, min_size=1, max_size=12), max_size=5),
    spans=st.lists(st.tuples(st.integers(0, 80), st.integers(1, 15)), max_size=5),
)
def test_the_word_index_finds_what_a_search_finds(
    text: str, quotes: list[str], spans: list[tuple[int, int]]
) -> None:
    """Random quotes, and pieces of the text cut anywhere (mid-word included)."""
    index = _Quotes(text)
    pieces = [text[a : a + n] for a, n in spans if text[a : a + n]]
    for quote in [*quotes, *pieces]:
        assert index.found(quote) == (quote in text), quote
        assert (quote in index) == (quote in text), quote


def test_many_quotes_of_one_large_source_stay_linear() -> None:
    """10,000 quotes against a 10,000-line text: after a few searches, the others
    are found (or not) by the index, not by 10,000 searches of the text."""
    lines = [f"Bench Model {i}: about {i % 900 + 1} billion parameters" for i in range(10_000)]
    text = " ".join(lines)
    quotes = _Quotes(text)
    start = time.perf_counter()
    assert all(q in quotes for q in lines)
    assert "Bench Model 10000: about 1 billion parameters" not in quotes
    assert "Model 5: about 6 billion" in quotes
    assert "odel 5: about 6 billio" in quotes  # cut mid-word at both ends
    assert "Model 5: about 7 billion" not in quotes
    assert quotes._words is not None  # looked up in the index, not searched for
    assert time.perf_counter() - start < 10.0  # a hang guard on a loaded machine
