"""Test-only helpers on top of :mod:`modelcompare.testing`: the tests take the public
strategies (estimates, members, units, stated_numbers, hostile_text …) from there."""

from __future__ import annotations

from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.testing import KNOWN_KINDS, estimates, hostile_text, unit_names

#: A few dimensions, each named by one of its units, with all their units (prefixed too).
UNITS_BY_DIMENSION: dict[str, tuple[str, ...]] = {
    d: unit_names(d) for d in ("parameter", "token", "FLOP", "B", "W", "H100", "GB200", "USD")
}


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
    "parameter", "kparameter", "Mparameter", "Gparameter", "Tparameter",
    "token", "Mtoken", "Gtoken", "Ttoken",
    "FLOP", "GFLOP", "PFLOP", "EFLOP", "ZFLOP",
    "FLOP/s", "TFLOP/s", "PFLOP/s",
    "W", "kW", "MW", "GW",
    "H100", "kH100", "GB200", "kGB200", "A100", "H200", "B200", "GPU",
    "USD", "kUSD", "MUSD", "GUSD",
    "percent",
    "dimensionless",
]  # fmt: skip


def readable_estimates() -> st.SearchStrategy[mc.Estimate]:
    """Estimates whose display ``parse`` reads back exactly: any unit of
    ``READABLE_UNITS``, or decimal bytes (``500 bytes``, ``80 GB``)."""
    return st.one_of(
        st.sampled_from(READABLE_UNITS).flatmap(lambda u: estimates(unit=u, kinds=KNOWN_KINDS)),
        st.sampled_from(["B", "kB", "MB", "GB", "TB"]).flatmap(
            lambda u: estimates(unit=u, kinds=KNOWN_KINDS)
        ),
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
    hostile_text(),
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
