"""Property tests pinning the display rules: figures keep their stated digits, a
converted estimate shows in its unit, plurals, '≈' only from a source, and a
column's cells share their decimals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import Bound, Estimate
from modelcompare.display import format_estimate
from modelcompare.testing import KNOWN_KINDS, assert_contains, estimates, stated_numbers

E = Estimate
DIGITS = re.compile(r"[0-9]")


def digits_of(text: str) -> str:
    """The significant digits a figure shows (no separators, no leading or trailing zeros)."""
    figure = text.split(" × ")[0].split(" ")[0]
    return "".join(DIGITS.findall(figure)).strip("0")


@given(n=st.integers(1, 10**15 - 1), unit=st.sampled_from(["H100", "GPU", "s", "USD"]))
def test_whole_numbers_keep_every_digit(n: int, unit: str) -> None:
    """A whole number in its unit (a count as stated) shows every digit: 1,234,567 H100."""
    text = str(E.exact(n, unit))
    assert digits_of(text) == str(n).strip("0"), text
    assert "…" not in text


@given(
    x=stated_numbers(max_digits=6),
    unit=st.sampled_from(["parameter", "Gparameter", "Ttoken", "GB", "W", "TFLOP/s", "H100"]),
    kind=st.sampled_from([E.exact, E.about, E.at_least, E.at_most]),
)
def test_stated_figures_keep_their_digits(x: float, unit: str, kind: Any) -> None:
    """A figure of up to six significant digits shows exactly those digits, in any scale."""
    e = kind(x, unit)
    text = format_estimate(e)
    want = "".join(ch for ch in format(Decimal(repr(x)).normalize(), "f") if ch.isdigit()).strip(
        "0"
    )
    assert digits_of(text.lstrip("≈≥≤")) == want, text


@settings(max_examples=60)
@given(
    data=st.data(),
    pair=st.sampled_from(
        [
            ("GB", "GiB", "GiB"),
            ("GiB", "GB", "GB"),
            ("Tparameter", "Gparameter", "B parameters"),
            ("Gparameter", "Mparameter", "M parameters"),
            ("MW", "kW", "kW"),
            ("day", "hour", "hours"),
            ("hour", "s", "s"),
            ("day", "week", "weeks"),
            ("PFLOP/s", "TFLOP/s", "TFLOP/s"),
            ("FLOP", "PFLOP/s*day", "d*PFLOP/s"),
        ]
    ),
)
def test_a_converted_estimate_shows_in_its_unit(data: st.DataObject, pair: tuple[str, ...]) -> None:
    """e.to(unit) reads in that unit (its label), and the same figure in it."""
    source, target, label = pair
    e = data.draw(estimates(unit=source, kinds=(Bound.EXACT, Bound.AT_LEAST, Bound.RANGE)))
    text = str(e.to(target))
    assert text.endswith((label, label.rstrip("s"))), text
    if target not in ("PFLOP/s*day",):
        back = mc.parse(text)
        # a cut figure ("0.931… GiB": it goes on) reads back as the range of its digits
        cut = e.bound is Bound.EXACT and "…" in text
        assert back.bound is (Bound.RANGE if cut else e.bound)
        assert_contains(back, e)
        if not cut:  # a cut figure's range spans its last digit ("28… GiB": 28 to 29)
            lo, _, hi = back.interval(source)
            tlo, _, thi = e.interval()
            assert lo == pytest.approx(tlo, rel=1e-2)
            assert hi == pytest.approx(thi, rel=1e-2)


def test_model_value_in_a_unit_shows_in_it() -> None:
    """m.value(field, unit=...) is honoured in what it prints."""
    gpt4 = mc.load_registry()["GPT-4"]
    assert str(gpt4.value("parameters")) == "1.76 T parameters"
    assert str(gpt4.value("parameters", unit="Gparameter")) == "1,760 B parameters"
    assert str(gpt4.value("parameters", unit="Mparameter")) == "1,760,000 M parameters"


@given(
    unit=st.sampled_from(
        [
            ("parameter", "parameter", "paramètre"),
            ("token", "token", "token"),
            ("hour", "hour", "heure"),
            ("day", "day", "jour"),
            ("week", "week", "semaine"),
            ("month", "month", "mois"),
            ("year", "year", "an"),
            ("B", "byte", "octet"),
        ]
    ),
    x=st.integers(2, 999),
)
def test_one_is_singular_more_is_plural(unit: tuple[str, str, str], x: int) -> None:
    """1 parameter, 2 parameters; French below two is singular (1,5 jour)."""
    name, en, fr = unit
    assert str(E.exact(1, name)) == f"1 {en}"
    assert str(E.exact(x, name)).endswith(("s", "mois")) or name == "B"
    assert format_estimate(E.exact(1, name), lang="fr").endswith(fr)
    assert not str(E.at_least(x, name)).endswith(f" {en}")


@given(
    a=estimates(kinds=KNOWN_KINDS),
    b=estimates(kinds=KNOWN_KINDS),
    op=st.sampled_from(["*", "/", "+", "-"]),
)
def test_arithmetic_never_wears_about(a: Estimate, b: Estimate, op: str) -> None:
    """'≈' is a source's rounding: no result of arithmetic is 'about' or shows '≈'."""
    b = b if op in "*/" else E.exact(b.interval()[1] or 1, a.units)
    try:
        ops = {
            "*": lambda: a * b,
            "/": lambda: a / b if b.interval()[0] > 0 else a,
            "+": lambda: a + b,
            "-": lambda: a - b,
        }
        r = ops[op]()
    except (mc.InvalidValueError, mc.DivisionByZeroError):
        return
    if r is a:
        return
    assert r.bound is not Bound.APPROX
    assert "≈" not in str(r)


def test_column_cells_share_decimals() -> None:
    """In one column and scale, every cell shows the same number of decimals, as
    many as its stated figures need (≥14.34 beside ≥98.95)."""
    c = mc.compare(["MAI-1-preview", "Grok"], ["training_peak_compute", "training_power"])
    for j in range(2):
        texts = [row[j].text for row in c.rows]
        decimals = {len(t.split(".")[1]) if "." in t else 0 for t in texts}
        assert len(decimals) == 1, texts
    assert [row[0].text for row in c.rows] == ["≥14.34", "≥98.95"]


def test_cut_figures_are_marked_and_explained() -> None:
    """A figure cut for display ends with '…', and the legend says what it means."""
    c = mc.compare(["Phi-3-mini"], ["tokens_per_parameter"])
    assert c.rows[0][0].text == "868…"
    legend = {e.mark: e.meaning for e in c.legend}
    assert "cut (not rounded)" in legend["a…"]
    plain = mc.compare(["Phi-3-mini"], ["parameters"])
    assert "a…" not in {e.mark for e in plain.legend}
