"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import strategies as st

import modelcompare as mc

#: Units of several dimensions, each with its prefixed variants.
UNITS_BY_DIMENSION: dict[str, list[str]] = {
    "parameter": ["parameter", "kparameter", "Mparameter", "Gparameter", "Tparameter"],
    "token": ["token", "Mtoken", "Gtoken", "Ttoken"],
    "FLOP": ["FLOP", "GFLOP", "PFLOP", "EFLOP", "ZFLOP"],
    "B": ["B", "kB", "MB", "GB", "TB", "KiB", "MiB", "GiB"],
    "W": ["W", "kW", "MW", "GW"],
    "H100": ["H100", "kH100"],
    "GB200": ["GB200", "kGB200"],
    "USD": ["USD", "kUSD", "MUSD", "GUSD"],
}


@st.composite
def stated_numbers(draw: st.DrawFn, max_digits: int = 4) -> float:
    """Positive numbers as sources state them: at most ``max_digits`` significant
    digits, from 0.001 to 10^15 (``15000``, ``1.76``, ``3.8``)."""
    mantissa = draw(st.integers(1, 10**max_digits - 1))
    exponent = draw(st.integers(-3, 12))
    return float(Decimal(mantissa).scaleb(exponent))


def finite_floats(bound: float = 1e9) -> st.SearchStrategy[float]:
    """Finite floats in ``[-bound, bound]``."""
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


def units(dimension: str = "parameter") -> st.SearchStrategy[str]:
    """A unit of the given dimension."""
    return st.sampled_from(UNITS_BY_DIMENSION[dimension])


@st.composite
def estimates(
    draw: st.DrawFn,
    unit: str | None = None,
    *,
    signed: bool = False,
    kinds: tuple[mc.Bound, ...] = (
        mc.Bound.EXACT,
        mc.Bound.APPROX,
        mc.Bound.AT_LEAST,
        mc.Bound.AT_MOST,
        mc.Bound.RANGE,
    ),
) -> mc.Estimate:
    """An Estimate of any bound kind, with stated-like numbers (negative too if ``signed``)."""
    u = unit if unit is not None else draw(units(draw(st.sampled_from(list(UNITS_BY_DIMENSION)))))
    kind = draw(st.sampled_from(kinds))

    def num() -> float:
        x = draw(stated_numbers())
        return -x if signed and draw(st.booleans()) else x

    if kind is mc.Bound.EXACT:
        return mc.Estimate.exact(num(), u)
    if kind is mc.Bound.APPROX:
        return mc.Estimate.about(num(), u)
    if kind is mc.Bound.AT_LEAST:
        return mc.Estimate.at_least(num(), u)
    if kind is mc.Bound.AT_MOST:
        return mc.Estimate.at_most(num(), u)
    a, b = sorted((num(), num()))
    if a == b:
        b = a * 2 if a > 0 else a + 1
    return mc.Estimate.between(a, b, u)


@st.composite
def members(draw: st.DrawFn, e: mc.Estimate) -> float:
    """A magnitude (in ``e``'s unit) inside ``e``'s interval; unbounded ends are
    explored up to 10^6 × the nominal value away."""
    lo, n, hi = e.interval()
    span = max(abs(n), 1.0) * 1e6
    lo = n - span if math.isinf(lo) else lo
    hi = n + span if math.isinf(hi) else hi
    return draw(st.one_of(st.just(lo), st.just(hi), st.floats(lo, hi)))


#: Text that users may put in any cell: markup of every format, control
#: characters, and the characters a spreadsheet reads as a formula.
HOSTILE = [
    "R&D | <b>50%</b> \\input{x}",
    "\\write18{rm -rf /}",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "a|b",
    "`code`",
    "*em* _em_ ~~del~~",
    "[link](http://x)",
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "line\nbreak",
    "100% $5 #1 _x_ {y} ~z ^w",
    "\\",
    "\\\\",
    "{}",
    "}",
    "≈ ≥ ≤ − – ×",
    "«guillemets» l’apostrophe",
    "  leading and trailing  ",
    "",
]

#: Arbitrary text, weighted towards the hostile characters above.
hostile_text: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("|\\<>&\"'`*_~[]()#%$^{}=+-@\t\r\n ≈≥≤−–")),
            st.characters(codec="utf-8", exclude_categories=("Cs",)),
        ),
        max_size=40,
    ),
)


# -- user data for the comparison and renderer tests ------------------------------------------

#: Hostile text that is not blank (a model name, note or source title must not be).
nonblank_hostile_text: st.SearchStrategy[str] = hostile_text.filter(lambda s: s.strip() != "")


def user_registry(name: str, note: str, title: str) -> mc.Registry:
    """A registry of one user model called ``name`` (with ``note``), whose one
    parameter claim (with the same note) cites a source titled ``title``."""
    source = mc.Source(id="user-source", title=title, language="en", path="user.txt")
    claim = mc.Claim(
        subject="user-model",
        field="parameters",
        value=mc.Estimate.about(7, "Gparameter"),
        status=mc.Status.RUMORED,
        citations=(mc.Citation(source, "seven billion"),),
        note=note,
    )
    model = mc.Model(
        id="user-model", name=name, organization="Org", note=note, stated_claims=(claim,)
    )
    return mc.Registry([model], {source.id: source})


#: Units whose display (``format_estimate``, en and fr) ``parse`` reads back
#: exactly. Not listed: bytes shown below 1 kB (``500 B`` could be 500 billion,
#: so ``parse`` refuses it; see :func:`readable_estimates`), binary prefixes
#: (``KiB``…: shown in decimal prefixes, rounded), times (shown in days or
#: hours, rounded), and units shown with no label, such as ``mt_bench_point``
#: (``8.38`` reads back only with ``default_unit``).
READABLE_UNITS: list[str] = [
    *UNITS_BY_DIMENSION["parameter"],
    *UNITS_BY_DIMENSION["token"],
    *UNITS_BY_DIMENSION["FLOP"],
    "FLOP/s", "TFLOP/s", "PFLOP/s",
    *UNITS_BY_DIMENSION["W"],
    *UNITS_BY_DIMENSION["H100"],
    *UNITS_BY_DIMENSION["GB200"],
    "A100", "H200", "B200", "GPU",
    *UNITS_BY_DIMENSION["USD"],
    "percent",
    "dimensionless",
]  # fmt: skip


def readable_estimates() -> st.SearchStrategy[mc.Estimate]:
    """Estimates whose display ``parse`` reads back exactly: any unit of
    ``READABLE_UNITS``, or decimal bytes (``500 bytes``, ``80 GB``)."""
    return st.one_of(
        st.sampled_from(READABLE_UNITS).flatmap(lambda u: estimates(unit=u)),
        st.sampled_from(["B", "kB", "MB", "GB", "TB"]).flatmap(lambda u: estimates(unit=u)),
    )


#: Pieces of quantities as sources write them: figures in both conventions,
#: separators, qualifiers, scales, units, and a few hostile extremes.
QUANTITY_PIECES = [
    "1", "15", "000", "15,000", "15 000", "15\u202f000", "15\u00a0000", "1,76", "1.76", "2.1e25",
    "× 10^25", "10²⁵", "⁻", ",", ".", " ", "\u202f", "-", "–", "−", "+", "e", "x", "^",
    "about ", "roughly ", "more than ", "up to ", "between ", " and ", " to ", "from ",
    "environ ", "près de ", "plus de ", "moins de ", "jusqu'à ", "jusqu’à ", "au moins ",
    "entre ", " et ", "de ", " à ", "≈", "≥", "≤", "~", "<", ">", "?", "$", "US$", "€",
    "k", "M", "B", "G", "T", "bn", "Md", "billion", "trillions", "milliards", " de ", "d'",
    "parameters", "paramètres", "tokens", "GPU", "GPUs", "puces", "Nvidia ", "H100", "H-100",
    "GB200", "GB", "Go", "TB/s", "FLOP", "FLOP/s", "FLOPS", "%", "W", "kW", "dollars",
    "un ", "une seule ", "a ", "a single ", "or so", "9" * 40, "1e9999", "10^9999",
]  # fmt: skip

#: Hostile mixes of the pieces above, and arbitrary text.
quantity_text: st.SearchStrategy[str] = st.one_of(
    st.lists(st.sampled_from(QUANTITY_PIECES), max_size=12).map("".join),
    hostile_text,
    st.text(),
)


# -- Epoch AI exports -------------------------------------------------------------------------

#: The Epoch columns the reader turns into figures, and the unit each is read in.
EPOCH_FIGURE_COLUMNS = (
    "Parameters",
    "Training compute (FLOP)",
    "Training dataset size (datapoints)",
    "Training time (hours)",
    "Training power draw (W)",
    "Training compute cost (2023 USD)",
)

#: Other columns of real exports (read, or ignored as unknown to the reader).
EPOCH_OTHER_COLUMNS = (
    "Organization",
    "Publication date",
    "Domain",
    "Confidence",
    "Link",
    "Reference",
    "Abstract",
    "Notability criteria notes",
)


def epoch_numbers() -> st.SearchStrategy[str]:
    """A positive figure as Epoch writes it: ``405000000000.0``, ``2.1e+25``,
    ``2.9599999999999996e+25`` (repr of a float, or a float's ``%g``/``%e``)."""
    positive = st.floats(1e-3, 1e29, allow_nan=False, allow_infinity=False)
    return st.one_of(
        positive.map(repr),
        positive.map(lambda x: f"{x:e}"),
        st.integers(1, 10**15).map(str),
    )


def hostile_cells() -> st.SearchStrategy[str]:
    """Cells that are not a positive number: text, signs, separators, quotes,
    commas, newlines, NaN and infinities, zero (never empty or space only)."""
    return st.one_of(
        st.sampled_from(
            ["nan", "inf", "-inf", "-5", "0", "1,000", "1 000", "12B", "≈3e25", "0x10", '"', "e5"]
        ),
        st.text(min_size=1, max_size=12).filter(
            lambda t: t.strip() != "" and not _looks_numeric(t)
        ),
    )


def _looks_numeric(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", text.strip()))


def epoch_names() -> st.SearchStrategy[str]:
    """Model names: letters, digits, spaces and punctuation, with some letter or digit."""
    return st.text(
        st.characters(codec="utf-8", categories=["L", "N", "Zs", "Pd", "Po"]),
        min_size=1,
        max_size=20,
    ).filter(lambda t: any(ch.isalnum() for ch in t) and t.strip() == t)
