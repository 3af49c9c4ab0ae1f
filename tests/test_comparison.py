"""compare() and the Comparison it builds: rows, columns, cells, marks, sources."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.comparison import MISSING, ColumnKind, Comparison, Flag, compare
from modelcompare.testing import stated_numbers
from test_display_rules import digits_of

#: A user data file: a model whose claims contradict each other, one trained
#: on GB200s only, two known only by lower bounds, one only by an upper bound, and
#: one trained on counted H100s and GB200s.
USER_DATA = """
[[source]]
id = "user-notes"
title = "My notes"
path = "notes.txt"
date = "2025-01"
date_basis = "stated"
language = "en"
kind = "other"
external = true

[[model]]
id = "conflicted"
name = "Conflicted"
organization = "Lab"

[[model]]
id = "gb-only"
name = "GB only"
organization = "Lab"

[[model]]
id = "big-one"
name = "Big one"
organization = "Lab"

[[model]]
id = "big-two"
name = "Big two"
organization = "Lab"

[[model]]
id = "small"
name = "Small"
organization = "Lab"

[[model]]
id = "mixed"
name = "Mixed"
organization = "Lab"

[[claim]]
model = "mixed"
field = "training_accelerators"
value = { exact = 2000, unit = "H100" }
status = "official"
citations = [{ source = "user-notes", quote = "2000 H100" }]

[[claim]]
model = "mixed"
field = "training_accelerators"
value = { exact = 500, unit = "GB200" }
status = "official"
citations = [{ source = "user-notes", quote = "500 GB200" }]

[[claim]]
model = "conflicted"
field = "parameters"
value = { exact = 500, unit = "Gparameter" }
status = "reported"
citations = [{ source = "user-notes", quote = "500 B" }]

[[claim]]
model = "conflicted"
field = "parameters"
value = { at_least = 600, unit = "Gparameter" }
status = "rumored"
citations = [{ source = "user-notes", quote = "more than 600 B" }]

[[claim]]
model = "conflicted"
field = "architecture"
value = { text = "dense" }
status = "reported"
citations = [{ source = "user-notes", quote = "dense" }]

[[claim]]
model = "conflicted"
field = "architecture"
value = { text = "moe" }
status = "reported"
citations = [{ source = "user-notes", quote = "moe" }]

[[claim]]
model = "gb-only"
field = "training_accelerators"
value = { exact = 1000, unit = "GB200" }
status = "official"
citations = [{ source = "user-notes", quote = "1000 GB200" }]

[[claim]]
model = "big-one"
field = "parameters"
value = { at_least = 100, unit = "Gparameter" }
status = "reported"
citations = [{ source = "user-notes", quote = "more than 100 B" }]

[[claim]]
model = "big-two"
field = "parameters"
value = { at_least = 200, unit = "Gparameter" }
status = "reported"
citations = [{ source = "user-notes", quote = "more than 200 B" }]

[[claim]]
model = "small"
field = "parameters"
value = { at_most = 50, unit = "Gparameter" }
status = "reported"
citations = [{ source = "user-notes", quote = "at most 50 B" }]
"""


@pytest.fixture
def user_reg(tmp_path: Path, data_file: Callable[[str], Path]) -> mc.Registry:
    """The built-in registry plus USER_DATA."""
    (tmp_path / "notes.txt").write_text(
        "500 B, more than 600 B, dense, moe, 1000 GB200, more than 100 B, more than 200 B, "
        "at most 50 B, 2000 H100, 500 GB200",
        encoding="utf-8",
    )
    return mc.load_registry(paths=[data_file(USER_DATA)])


def texts(c: Comparison) -> list[list[str]]:
    """The cells' texts, row by row."""
    return [[cell.text for cell in row] for row in c.rows]


# -- rows and columns -----------------------------------------------------------------------
def test_rows_and_columns_follow_the_arguments(reg: mc.Registry) -> None:
    """Models are rows and fields columns, in the order given; headers carry the unit."""
    c = compare(["Phi-3-mini", "Phi-3-medium"], ["mmlu", "parameters"], registry=reg)
    assert [m.name for m in c.models] == ["Phi-3-mini", "Phi-3-medium"]
    assert [col.key for col in c.columns] == ["mmlu", "parameters"]
    assert [col.header for col in c.columns] == ["MMLU (%)", "Parameters (B)"]
    assert texts(c) == [["69", "3.8"], ["78", "14"]]  # stated: each its own digits, no padding


def test_fields_none_takes_every_field_with_a_claim_in_fields_order(reg: mc.Registry) -> None:
    """Without fields, the columns are the fields (derived ones included) that at
    least one model has a claim on, in FIELDS order, but for text and relation fields."""
    models = [reg["MAI-1-preview"], reg["Grok"]]
    c = compare(models, registry=reg)
    expected = [
        f
        for f, spec in mc.FIELDS.items()
        if not spec.accumulates and any(m.claims(f) for m in models)
    ]
    assert [col.key for col in c.columns] == expected
    assert "training_accelerators" in expected
    assert "parameters" not in expected


def test_names_aliases_and_model_objects_are_accepted(reg: mc.Registry) -> None:
    """Rows can be named by id, name, alias (forgivingly) or given as Model objects."""
    c = compare(["mai 1 preview", reg["gpt-4"], "AMI-1"], ["parameters"], registry=reg)
    assert [m.id for m in c.models] == ["mai-1-preview", "gpt-4", "mai-1"]


def test_a_single_name_is_one_row(reg: mc.Registry) -> None:
    """A lone name is one model, not an iterable of characters."""
    assert [m.name for m in compare("GPT-4", ["parameters"], registry=reg).models] == ["GPT-4"]


def test_the_builtin_registry_is_the_default() -> None:
    """Without a registry, compare() uses the built-in data."""
    assert compare(["Grok"], ["training_accelerators"]).rows[0][0].text == "≥100,000 H100"


def test_unknown_model_raises_with_a_suggestion(reg: mc.Registry) -> None:
    """An unknown name raises UnknownModelError suggesting the right name."""
    with pytest.raises(mc.UnknownModelError, match="did you mean 'GPT-4'") as info:
        compare(["GTP-4"], registry=reg)
    assert "GPT-4" in info.value.suggestions


def test_unknown_field_raises_with_a_suggestion(reg: mc.Registry) -> None:
    """An unknown field raises UnknownFieldError suggesting the right one."""
    with pytest.raises(mc.UnknownFieldError, match="parameters") as info:
        compare(["GPT-4"], ["paramters"], registry=reg)
    assert "parameters" in info.value.suggestions
    assert info.value.name == "paramters"


def test_no_model_is_an_error(reg: mc.Registry) -> None:
    """A comparison needs at least one row: InvalidValueError, a ValueError and a
    ModelCompareError."""
    with pytest.raises(mc.InvalidValueError, match="at least one model") as info:
        compare([], registry=reg)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, mc.ModelCompareError)


def test_a_single_field_name_is_one_column(reg: mc.Registry) -> None:
    """A lone field name is one field, not an iterable of characters, as for models."""
    c = compare(["GPT-4"], "parameters", registry=reg)
    assert [col.key for col in c.columns] == ["parameters"]
    assert texts(c) == [["1.76"]]


def test_repeated_fields_give_one_column(reg: mc.Registry) -> None:
    """A field named twice (in two spellings) is one column."""
    c = compare(["GPT-4"], ["parameters", "Parameters"], registry=reg)
    assert [col.key for col in c.columns] == ["parameters"]


# -- cells ----------------------------------------------------------------------------------
def test_a_column_has_one_scale_read_from_its_smallest_value(reg: mc.Registry) -> None:
    """3.8 B and 1.76 T share one scale, the one at which the smallest reads ≥ 1: B."""
    c = compare(["Phi-3-mini", "GPT-4"], ["parameters"], registry=reg)
    assert c.columns[0].header == "Parameters (B)"
    assert c.columns[0].number_unit == "B parameters"
    assert texts(c) == [["3.8"], ["1,760"]]
    gpt4 = c.rows[1][0]
    assert (gpt4.low, gpt4.nominal, gpt4.high, gpt4.unit) == (1760, 1760, 1760, "B parameters")


def test_qualifiers_are_shown(reg: mc.Registry) -> None:
    """≈, ≥ and ranges appear in the cells, and the numbers keep the interval."""
    c = compare(["GPT-4", "Phi-3", "Grok"], ["active_parameters", "parameters"], registry=reg)
    assert texts(c)[0][0] == "≈280"
    assert texts(c)[1][1] == "3.8–14"
    phi3 = c.rows[1][1]
    assert (phi3.low, phi3.high) == (3.8, 14)
    grok = compare(["Grok"], ["training_accelerators"], registry=reg).rows[0][0]
    assert grok.text == "≥100,000 H100"
    assert grok.low == 100_000
    assert math.isnan(grok.high)


def test_compatible_claims_that_differ_are_marked(reg: mc.Registry) -> None:
    """GPT-4's 1.76 T and >1,000 B agree on 1.76 T: sources differ, and both are rumors."""
    cell = compare(["GPT-4"], ["parameters"], registry=reg).rows[0][0]
    assert cell.text == "1.76"
    assert cell.flags == (Flag.RUMORED, Flag.SOURCES_DIFFER)
    assert cell.marks == "† §"
    assert len(cell.claims) == 2


def test_a_value_reported_without_the_rumor_is_not_rumored(reg: mc.Registry) -> None:
    """MAI-1's 500 B is reported by two sources; the rumored ≥500 B adds nothing, so no †."""
    cell = compare(["MAI-1"], ["parameters"], registry=reg).rows[0][0]
    assert cell.text == "500"
    assert cell.flags == (Flag.SOURCES_DIFFER,)
    weights = compare(["MAI-1"], ["weights_memory"], registry=reg).rows[0][0]
    assert weights.flags == (Flag.DERIVED,)  # 500 B × 2 B: no more a rumor than the 500 B


def test_derived_values_are_marked_and_rumors_carry_through(reg: mc.Registry) -> None:
    """A derived value is marked ‡, and † too when it is derived from a rumor."""
    c = compare(["Phi-3-mini", "GPT-4"], ["training_compute", "weights_memory"], registry=reg)
    assert Flag.DERIVED in c.rows[0][0].flags
    assert Flag.RUMORED not in c.rows[0][0].flags
    assert set(c.rows[1][1].flags) == {Flag.DERIVED, Flag.RUMORED}


def test_every_kind_of_chip_is_shown(reg: mc.Registry) -> None:
    """MAI-1-preview's H100 count and its GB200s without a count both appear;
    the numbers are the H100 count's, with their unit."""
    c = compare(["MAI-1-preview"], ["training_accelerators"], registry=reg)
    cell = c.rows[0][0]
    assert cell.text == "≈15,000 H100 + ? GB200"
    assert (cell.low, cell.nominal, cell.high, cell.unit) == (14_500, 15_000, 15_500, "H100")
    assert c.columns[0].per_cell_unit
    assert c.columns[0].header == "Training accelerators"


def test_contradicting_claims_are_all_shown_with_the_conflict_mark(user_reg: mc.Registry) -> None:
    """Claims that contradict each other appear side by side, marked !, with no numbers."""
    c = compare(["Conflicted"], ["parameters", "architecture"], registry=user_reg)
    quantity, text = c.rows[0]
    assert quantity.text == "500 / ≥600"
    assert quantity.flags == (Flag.RUMORED, Flag.CONFLICT)
    assert quantity.value is None
    assert math.isnan(quantity.nominal)
    assert text.text == "dense / moe"
    assert text.flags == (Flag.CONFLICT,)
    assert "!" in [entry.mark for entry in c.legend]


def test_a_missing_value_is_one_mark(reg: mc.Registry) -> None:
    """A model with no claim on a field shows — and cites nothing."""
    cell = compare(["Grok"], ["parameters"], registry=reg).rows[0][0]
    assert cell.text == MISSING == "—"
    assert cell.missing
    assert cell.sources == ()
    assert cell.display == "—"


def test_ranks_and_text_fields(reg: mc.Registry) -> None:
    """Rank and text columns show their values as written, with no unit."""
    c = compare(["MAI-1-preview", "GPT-4"], ["lmarena_text_rank", "architecture"], registry=reg)
    assert [col.kind for col in c.columns] == [ColumnKind.RANK, ColumnKind.TEXT]
    assert texts(c) == [["#13", "—"], ["—", "moe"]]
    assert not any(col.numeric for col in c.columns)


# -- sources, legend, notes -----------------------------------------------------------------
def test_sources_are_numbered_in_order_of_first_appearance(reg: mc.Registry) -> None:
    """Sources are numbered row by row, left to right, and each cell lists its numbers."""
    c = compare(
        ["MAI-1-preview", "Grok", "GPT-4"], ["training_accelerators", "parameters"], registry=reg
    )
    assert [s.id for s in c.sources] == ["seed-003", "seed-004", "seed-001", "seed-002"]
    assert [[cell.sources for cell in row] for row in c.rows] == [
        [(1, 2), ()],
        [(2,), ()],
        [(), (3, 4)],
    ]
    assert c.rows[0][0].display == "≈15,000 H100 + ? GB200 [1, 2]"
    assert c.rows[2][1].display == "1.76 † § [3, 4]"


def test_the_legend_explains_only_the_marks_used(reg: mc.Registry) -> None:
    """The legend lists the qualifiers and marks the table uses, nothing else."""
    plain = compare(["Phi-3-mini", "Phi-3-medium"], ["parameters"], registry=reg)
    assert plain.legend == ()
    c = compare(["GPT-4", "Grok"], ["parameters"], registry=reg)
    assert [entry.mark for entry in c.legend] == ["—", "†", "§"]
    assert str(c.legend[1]).startswith("†: rumored")


def test_notes_are_collected_from_models_and_claims(reg: mc.Registry) -> None:
    """Notes come from the rows' models and from the claims behind the cells."""
    c = compare(["MAI-1-preview"], ["training_accelerators"], registry=reg)
    abouts = [n.about for n in c.notes]
    assert abouts[0] == "MAI-1-preview"
    assert abouts.count("MAI-1-preview, Training accelerators") == 3  # official, reported, GB200


# -- ratios (vs=) ---------------------------------------------------------------------------
def test_ratio_columns_divide_by_the_reference(reg: mc.Registry) -> None:
    """vs= adds "× <ref>" after each quantity column: Grok over MAI-1-preview is ≥6.45,
    the reference over itself exactly 1; the ratio cites both sides' sources."""
    c = compare(
        ["MAI-1-preview", "Grok"],
        ["training_accelerators", "lmarena_text_rank"],
        vs="MAI-1-preview",
        registry=reg,
    )
    assert [col.header for col in c.columns] == [
        "Training accelerators",
        "× MAI-1-preview",
        "LMArena text rank",
    ]
    assert c.columns[1].kind is ColumnKind.RATIO
    assert [row[1].text for row in c.rows] == ["1.00", "≥6.45"]
    assert c.rows[1][1].sources == (1, 2)
    assert c.vs is not None
    assert c.vs.name == "MAI-1-preview"
    assert c.legend[-1].mark == "× MAI-1-preview"


def test_ratio_with_a_reference_outside_the_rows(reg: mc.Registry) -> None:
    """The reference need not be a row; its sources are cited and numbered."""
    c = compare(["Phi-3-medium"], ["parameters"], vs="Phi-3-mini", registry=reg)
    assert texts(c) == [["14", "3.68…"]]  # 14 ÷ 3.8 = 3.684…: cut, and marked


def test_ratios_that_cannot_be_computed_are_missing(
    user_reg: mc.Registry, reg: mc.Registry
) -> None:
    """No ratio (—) across different chips, for a conflict or for a missing value;
    the legend says what — means in a ratio column."""
    chips = compare(["GB only", "Grok"], ["training_accelerators"], vs="Grok", registry=user_reg)
    assert [row[1].text for row in chips.rows] == [MISSING, "1"]
    legend = {entry.mark: entry.meaning for entry in chips.legend}
    assert legend[MISSING] == (
        "in a × Grok column, no ratio can be taken (a figure is missing, the two count "
        "different chips, the claims contradict each other, or the reference's figure is zero)"
    )
    conflict = compare(["Conflicted", "Grok"], ["parameters"], vs="GPT-4", registry=user_reg)
    assert [row[1].text for row in conflict.rows] == [MISSING, MISSING]
    no_ref = compare(["GPT-4"], ["parameters"], vs="Grok", registry=reg)
    assert texts(no_ref) == [["1.76", MISSING]]
    both = compare(["Grok", "GPT-4"], ["parameters"], vs="GPT-4", registry=reg)
    legend = {entry.mark: entry.meaning for entry in both.legend}
    assert legend[MISSING].startswith("no figure reported; in a × GPT-4 column, no ratio")


def test_a_ratio_the_figures_do_not_bound_is_shown_not_missing(
    user_reg: mc.Registry, reg: mc.Registry
) -> None:
    """≥100 B over ≥200 B is ≥0, shown as such (not —), with its numbers, and the legend
    says the figures cannot tell which is larger; Grok over MAI-1-preview in
    H100-equivalents is ≥0, as modelcompare.ratio says."""
    lower = compare(["Big one"], ["parameters"], vs="Big two", registry=user_reg)
    assert texts(lower) == [["≥100", "≥0"]]
    cell = lower.rows[0][1]
    assert not cell.missing
    assert (cell.low, cell.nominal) == (0, 0.5)
    assert math.isnan(cell.high)
    legend = {entry.mark: entry.meaning for entry in lower.legend}
    assert MISSING not in legend
    assert legend["≥0 in a × column"] == (
        "the figures do not bound the ratio: either model's value may be the larger "
        "(as where both are only lower bounds)"
    )
    assert legend["≥"] == "at least (more than)"
    field = "training_h100_equivalents"
    h100 = compare(["Grok", "MAI-1-preview"], [field], vs="MAI-1-preview", registry=reg)
    assert texts(h100) == [["≥100,000", "≥0"], ["≥14,500", "1"]]
    assert h100.rows[0][1].text == str(mc.ratio("Grok", "MAI-1-preview", field))
    assert h100.rows[0][1].flags == (Flag.DERIVED,)


def test_a_ratio_with_no_bound_at_all_is_explained(user_reg: mc.Registry) -> None:
    """≥100 B over ≤50 B (a reference reaching down to zero) bounds nothing: shown ?,
    explained as a ratio, not as "a figure the source does not give"."""
    c = compare(["Big one"], ["parameters"], vs="Small", registry=user_reg)
    assert texts(c) == [["≥100", "?"]]
    legend = {entry.mark: entry.meaning for entry in c.legend}
    assert legend["? in a × column"].startswith("the figures do not bound the ratio")
    assert "?" not in legend
    assert MISSING not in legend


def test_a_ratio_over_one_kind_of_chip_of_several_is_marked(reg: mc.Registry) -> None:
    """MAI-1-preview names ≈15,000 H100 and GB200s with no count: Grok's ratio to it
    compares H100 counts only, so it is marked * and the legend says what it leaves
    out; the reference's own 1 is not marked; the same the other way round."""
    c = compare(
        ["MAI-1-preview", "Grok"], ["training_accelerators"], vs="MAI-1-preview", registry=reg
    )
    own, grok = (row[1] for row in c.rows)
    assert (own.text, own.flags) == ("1.00", ())
    assert (grok.text, grok.flags, grok.display) == ("≥6.45", (Flag.PARTIAL,), "≥6.45 * [1, 2]")
    legend = {entry.mark: entry.meaning for entry in c.legend}
    assert legend["*"] == (
        "partial ratio: it compares H100 counts only; MAI-1-preview also names GB200 with no count"
    )
    back = compare(["Grok", "MAI-1-preview"], ["training_accelerators"], vs="Grok", registry=reg)
    assert [(row[1].text, row[1].flags) for row in back.rows] == [
        ("1.000", ()),
        ("0.000–0.155", (Flag.PARTIAL,)),
    ]
    full = compare(["Grok"], ["training_accelerators", "training_power"], vs="Grok", registry=reg)
    assert not any(Flag.PARTIAL in cell.flags for row in full.rows for cell in row)
    assert "*" not in {entry.mark for entry in full.legend}


def test_public_names_and_repr(reg: mc.Registry) -> None:
    """compare, Comparison and FORMATS are exported; a Comparison's repr is short."""
    assert {"compare", "Comparison", "FORMATS", "UnknownFormatError"} <= set(mc.__all__)
    c = mc.compare(["GPT-4", "Grok"], ["parameters"], registry=reg)
    assert isinstance(c, mc.Comparison)
    assert repr(c) == "<Comparison of GPT-4, Grok on parameters>"


# -- every claim side by side (claims="each") ----------------------------------------------
#: A user data file: a stated training compute for Phi-3-mini that contradicts the
#: derived 6·N·D, and a model whose claims read best in different scales.
EACH_DATA = """
[[source]]
id = "user-notes"
title = "My notes"
path = "notes.txt"
language = "en"
kind = "other"
external = true

[[claim]]
model = "phi-3-mini"
field = "training_compute"
value = { about = 1, unit = "ZFLOP" }
status = "reported"
citations = [{ source = "user-notes", quote = "about 1 ZFLOP" }]

[[model]]
id = "two-scales"
name = "Two scales"
organization = "Lab"

[[claim]]
model = "two-scales"
field = "parameters"
value = { exact = 2, unit = "Tparameter" }
status = "official"
citations = [{ source = "user-notes", quote = "2 T" }]

[[claim]]
model = "two-scales"
field = "parameters"
value = { at_least = 500, unit = "Gparameter" }
status = "reported"
citations = [{ source = "user-notes", quote = "more than 500 B" }]
"""


def displays(c: Comparison) -> list[list[str]]:
    """The cells as plain text shows them (pieces with their marks and numbers), row by row."""
    return [[cell.display for cell in row] for row in c.rows]


def test_default_cells_are_one_piece_equal_to_the_cell(reg: mc.Registry) -> None:
    """By default every cell is one piece with the cell's text, flags, sources and numbers."""
    c = compare(["MAI-1", "GPT-4", "Grok"], ["parameters", "architecture"], registry=reg)
    assert c.claims_mode == "value"
    for cell in (cell for row in c.rows for cell in row):
        (piece,) = cell.pieces
        assert (piece.text, piece.flags, piece.sources, piece.separator) == (
            cell.text,
            cell.flags,
            cell.sources,
            "",
        )
        assert (piece.value, piece.claims, piece.unit) == (cell.value, cell.claims, cell.unit)
        assert piece.display == cell.display == f"{cell.text} {cell.suffix}".strip()


def test_each_claim_shows_every_claim_with_its_own_marks_and_sources(reg: mc.Registry) -> None:
    """claims="each": MAI-1's and GPT-4's parameter claims side by side, each with its
    own marks and source numbers, in the column's one scale (B), without §."""
    c = compare(["MAI-1", "GPT-4"], ["parameters"], registry=reg, claims="each")
    assert c.claims_mode == "each"
    assert c.columns[0].header == "Parameters (B)"
    assert displays(c) == [
        ["≥500 † [1] / 500 [2] / ≈500 [3]"],
        ["1,760 † [2] / ≥1,000 † [3]"],
    ]
    mai, gpt4 = (row[0] for row in c.rows)
    assert [p.separator for p in mai.pieces] == ["", " / ", " / "]
    assert gpt4.text == "1,760 / ≥1,000"
    # a cell's flags are its value's (what its numbers are), as in value mode; each
    # piece keeps its own: MAI-1's 500 B is not rumored, its ≥500 B claim is
    assert gpt4.flags == (Flag.RUMORED, Flag.SOURCES_DIFFER)
    assert mai.flags == (Flag.SOURCES_DIFFER,)
    assert Flag.RUMORED in mai.pieces[0].flags
    assert gpt4.sources == (2, 3)
    assert [(p.low, p.nominal) for p in gpt4.pieces] == [(1760, 1760), (1000, 1000)]
    assert math.isnan(gpt4.pieces[1].high)
    assert {p.unit for p in gpt4.pieces} == {"B parameters"}
    assert [p.claims[0].status for p in gpt4.pieces] == [mc.Status.RUMORED, mc.Status.RUMORED]


SECOND_500B = """
[[claim]]
model = "mai-1"
field = "parameters"
value = { exact = 500, unit = "Gparameter" }
status = "reported"
as_of = "2024-05"
note = "a second claim with the same figure, status and source, quoting it elsewhere"
citations = [{ source = "seed-001", quote = "MAI-1 devrait être le plus grand modèle" }]
"""


def test_each_claim_shows_claims_with_the_same_figure_and_sources_once(
    data_file: Callable[[str], Path],
) -> None:
    """Two 500 B claims on MAI-1 quoting the same article are one piece holding both claims."""
    reg = mc.load_registry(paths=[data_file(SECOND_500B)])
    cell = compare(["MAI-1"], ["parameters"], registry=reg, claims="each").rows[0][0]
    assert [p.text for p in cell.pieces] == ["≥500", "500", "≈500"]
    assert [len(p.claims) for p in cell.pieces] == [1, 2, 1]
    assert len(cell.claims) == 4
    assert (
        cell.pieces[1].claims[0].citations[0].quote != cell.pieces[1].claims[1].citations[0].quote
    )


def test_each_claim_keeps_the_reconciled_value_and_numbers(reg: mc.Registry) -> None:
    """The cell's value and numbers are still the value the claims agree on."""
    each = compare(["GPT-4"], ["parameters"], registry=reg, claims="each").rows[0][0]
    value = compare(["GPT-4"], ["parameters"], registry=reg).rows[0][0]
    assert each.value == value.value
    assert (each.low, each.nominal, each.high, each.unit) == (1.76, 1.76, 1.76, "T parameters")
    assert each.claims == value.claims


def test_each_claim_marks_the_pieces_that_contradict(user_reg: mc.Registry) -> None:
    """Contradicting claims each get !, quantity and text alike; the cell has no value
    and no numbers; the legend says what ! means for a piece."""
    c = compare(["Conflicted"], ["parameters", "architecture"], registry=user_reg, claims="each")
    assert displays(c) == [["500 ! [1] / ≥600 † ! [1]", "dense ! [1] / moe ! [1]"]]
    quantity = c.rows[0][0]
    assert quantity.flags == (Flag.RUMORED, Flag.CONFLICT)
    assert quantity.value is None
    assert math.isnan(quantity.nominal)
    assert [p.nominal for p in quantity.pieces] == [500, 600]
    legend = {entry.mark: entry.meaning for entry in c.legend}
    assert legend["!"] == "conflict (the figure contradicts another figure in the same cell)"
    assert legend["†"] == "rumored (the figure rests on claims the sources report as rumors)"
    assert "§" not in legend


def test_each_claim_agreeing_pieces_are_not_marked(reg: mc.Registry) -> None:
    """GPT-4's architecture: two rumored claims of moe from two articles: two
    pieces, neither marked !; compatible figures (≥500 and 500) are not ! either."""
    c = compare(["GPT-4", "MAI-1"], ["architecture", "parameters"], registry=reg, claims="each")
    assert c.rows[0][0].display == "moe † [1] / moe † [2]"
    assert not any(Flag.CONFLICT in p.flags for row in c.rows for cell in row for p in cell.pieces)


def test_each_claim_joins_kinds_of_chip_with_a_plus(reg: mc.Registry) -> None:
    """An accelerator cell: claims on different chips joined by " + ", each piece with
    its own unit and numbers; the cell's numbers are the H100 count's."""
    cell = compare(["MAI-1-preview"], ["training_accelerators"], registry=reg, claims="each").rows[
        0
    ][0]
    assert cell.display == "≈15,000 H100 [1] / ≈15,000 H100 [2] + ? GB200 [1]"
    assert [p.separator for p in cell.pieces] == ["", " / ", " + "]
    assert [p.unit for p in cell.pieces] == ["H100", "H100", "GB200"]
    assert [p.claims[0].status for p in cell.pieces[:2]] == [mc.Status.OFFICIAL, mc.Status.REPORTED]
    assert (cell.nominal, cell.unit) == (15_000, "H100")
    assert math.isnan(cell.pieces[2].nominal)


def test_each_claim_puts_derived_claims_last(
    reg: mc.Registry, data_file: Callable[[str], Path], tmp_path: Path
) -> None:
    """A stated training compute comes before the derived 6·N·D, which is marked ‡;
    the two contradict, so both are marked !."""
    (tmp_path / "notes.txt").write_text("about 1 ZFLOP, 2 T, more than 500 B", encoding="utf-8")
    user = mc.load_registry(paths=[data_file(EACH_DATA)])
    c = compare(["Phi-3-mini"], ["training_compute"], registry=user, claims="each")
    assert displays(c) == [["≈10 ! [1] / 752.4 ‡ ! [2]"]]
    assert [p.claims[0].status for p in c.rows[0][0].pieces] == [
        mc.Status.REPORTED,
        mc.Status.DERIVED,
    ]
    derived_only = compare(["Phi-3-mini"], ["training_compute"], registry=reg, claims="each")
    assert displays(derived_only) == [["7.524 ‡ [1]"]]


def test_each_claim_reads_the_column_scale_from_every_piece(
    data_file: Callable[[str], Path], tmp_path: Path
) -> None:
    """The column's one scale is read from every piece: 2 T and ≥500 B show in B,
    though the value they agree on (2 T) alone would show in T."""
    (tmp_path / "notes.txt").write_text("about 1 ZFLOP, 2 T, more than 500 B", encoding="utf-8")
    user = mc.load_registry(paths=[data_file(EACH_DATA)])
    value = compare(["Two scales"], ["parameters"], registry=user)
    assert (value.columns[0].header, texts(value)) == ("Parameters (T)", [["2"]])
    each = compare(["Two scales"], ["parameters"], registry=user, claims="each")
    assert (each.columns[0].header, texts(each)) == ("Parameters (B)", [["2,000 / ≥500"]])
    assert each.rows[0][0].nominal == 2000


def test_each_claim_ratio_columns_are_one_piece(reg: mc.Registry) -> None:
    """With vs=, ratio cells are the ratio of the agreed values, one piece, as by default."""
    kwargs = {"vs": "MAI-1-preview", "registry": reg}
    each = compare(["MAI-1-preview", "Grok"], ["training_accelerators"], **kwargs, claims="each")
    value = compare(["MAI-1-preview", "Grok"], ["training_accelerators"], **kwargs)
    assert [row[1] for row in each.rows] == [row[1] for row in value.rows]
    assert [len(row[1].pieces) for row in each.rows] == [1, 1]


def test_each_claim_legend_explains_the_pieces(reg: mc.Registry) -> None:
    """The legend explains "a / b" where a cell has several pieces, and only then."""
    c = compare(["MAI-1", "Grok"], ["parameters"], registry=reg, claims="each")
    assert [entry.mark for entry in c.legend] == ["a / b", "≈", "≥", "—", "†"]
    assert c.legend[0].meaning.startswith("each claim's own figure, marks and sources")
    single = compare(["Phi-3-mini"], ["parameters"], registry=reg, claims="each")
    assert single.legend == ()
    assert displays(single) == [["3.8 [1]"]]


def test_each_claim_numbers_sources_as_the_default(reg: mc.Registry) -> None:
    """Sources are numbered as in the default mode, and the notes are the same."""
    models, fields = ["MAI-1-preview", "GPT-4", "MAI-1"], ["training_accelerators", "parameters"]
    each = compare(models, fields, registry=reg, claims="each")
    value = compare(models, fields, registry=reg)
    assert each.sources == value.sources
    assert each.notes == value.notes
    assert [[c.sources for c in row] for row in each.rows] == [
        [c.sources for c in row] for row in value.rows
    ]


def test_claims_must_be_value_or_each(reg: mc.Registry) -> None:
    """Any other claims= raises InvalidValueError (a ValueError) naming the choices."""
    with pytest.raises(mc.InvalidValueError, match="'value', 'each'") as info:
        compare(["GPT-4"], ["parameters"], registry=reg, claims="all")  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)


def test_derived_figure_beside_a_stated_one_is_not_sources_differ(tmp_path: Path) -> None:
    """A derived 6·N·D beside a reported compute does not mark the value as 'sources differ'."""
    path = tmp_path / "compute.toml"
    path.write_text(
        """
[[claim]]
model = "phi-3-mini"
field = "training_compute"
value = { about = 1, unit = "ZFLOP" }
status = "rumored"
citations = [{ source = "seed-002", quote = "Phi-3-mini" }]
""",
        encoding="utf-8",
    )
    reg = mc.load_registry(paths=[path])
    (cell,) = mc.compare(["Phi-3-mini"], ["training_compute"], registry=reg).rows[0]
    assert Flag.SOURCES_DIFFER not in cell.flags
    assert cell.value == mc.Estimate.about(1, "ZFLOP")


def test_each_claim_conflict_marks_agree_with_the_registry_conflicts(
    user_reg: mc.Registry,
) -> None:
    """The pieces marked ! are exactly the claims registry.conflicts() pairs up: the
    table and the registry use one test of "cannot both be true"."""
    models = ["Conflicted", "MAI-1", "GPT-4"]
    c = compare(models, ["parameters", "architecture"], registry=user_reg, claims="each")
    paired = {
        id(claim)
        for conflict in user_reg.conflicts()
        if conflict.model.name in models
        for pair in conflict.pairs
        for claim in pair
    }
    assert paired
    pieces = [p for row in c.rows for cell in row for p in cell.pieces]
    marked = [p for p in pieces if Flag.CONFLICT in p.flags]
    assert len(marked) == 4
    for p in pieces:
        assert (Flag.CONFLICT in p.flags) == any(id(claim) in paired for claim in p.claims)


def test_a_partial_ratio_names_what_each_side_leaves_out(user_reg: mc.Registry) -> None:
    """Mixed (2,000 H100 + 500 GB200) over MAI-1-preview: H100 over H100, marked *, the
    legend naming both sides' other chips, counted or not."""
    field = "training_accelerators"
    c = compare(["Mixed"], [field], vs="MAI-1-preview", registry=user_reg)
    (cell,) = (row[1] for row in c.rows)
    # computed from "about" figures: the range, never "≈" (which is a source's rounding)
    assert (cell.text, cell.flags) == ("0.129–0.138", (Flag.PARTIAL,))
    assert (round(cell.low, 4), round(cell.high, 4)) == (0.129, 0.1379)
    legend = {entry.mark: entry.meaning for entry in c.legend}
    assert legend["*"] == (
        "partial ratio: it compares H100 counts only; MAI-1-preview also names GB200 with "
        "no count; Mixed also names 500 GB200"
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(stated_numbers(4, min_exponent=6, max_exponent=11), min_size=2, max_size=4))
def test_stated_figures_keep_their_own_digits_in_a_column(numbers: list[float]) -> None:
    """However many decimals the other cells of its column show, a stated figure
    shows exactly its own digits: no zero is added after them (``500``, not
    ``500.0``, beside ``3.8``), and none of them is dropped."""
    src = mc.Source(id="src", title="S", language="en", path="s.txt")
    models = [
        mc.Model(
            id=f"m{i}",
            name=f"M{i}",
            organization="Org",
            stated_claims=(
                mc.Claim(
                    subject=f"m{i}",
                    field="parameters",
                    value=mc.Estimate.exact(n, "parameter"),
                    status=mc.Status.REPORTED,
                    citations=(mc.Citation(src, "q"),),
                ),
            ),
        )
        for i, n in enumerate(numbers)
    ]
    reg = mc.Registry(models, {src.id: src})
    c = compare([m.id for m in models], ["parameters"], registry=reg)
    scale = c.columns[0].scale
    assert scale is not None
    for n, (cell,) in zip(numbers, c.rows, strict=True):
        shown = cell.text.split(" ")[0]
        assert "…" not in shown
        expected = mc.Estimate.exact(n, "parameter")
        assert digits_of(shown) == digits_of(repr(n / scale.factor).split("e")[0]), (n, shown)
        assert not re.search(r"\.\d*0$", shown), shown  # no padding zero after the point
        assert cell.value == expected


POWER_DATA = """
[[source]]
id = "count"
title = "A count"
path = "count.txt"
language = "en"
kind = "other"

[[source]]
id = "power"
title = "A power figure"
path = "power.txt"
language = "en"
kind = "other"

[[model]]
id = "powered"
name = "Powered"
organization = "Lab"

[[claim]]
model = "powered"
field = "training_accelerators"
value = { exact = 1000, unit = "H100" }
status = "official"
citations = [{ source = "count", quote = "1000 H100" }]

[[claim]]
model = "powered"
field = "training_power"
value = { exact = 5, unit = "MW" }
status = "official"
citations = [{ source = "power", quote = "5 MW" }]
"""


@pytest.mark.parametrize("fmt", ["value", "each"])
def test_a_stated_figure_cites_only_its_own_sources_not_the_derivations(
    tmp_path: Path, fmt: str
) -> None:
    """Where a source states a derived field (a stated power draw beside the one
    modelcompare derives from the chips' TDP), the cell shows the stated figure and
    cites only the claims it rests on; ``claims="each"`` shows and cites both."""
    (tmp_path / "count.txt").write_text("1000 H100\n", encoding="utf-8")
    (tmp_path / "power.txt").write_text("5 MW\n", encoding="utf-8")
    path = tmp_path / "power.toml"
    path.write_text(POWER_DATA, encoding="utf-8")
    reg = mc.load_registry(paths=[path])
    statuses = {c.status for c in reg["powered"].claims("training_power")}
    assert statuses == {mc.Status.OFFICIAL, mc.Status.DERIVED}  # both exist
    table = mc.compare(["powered"], ["training_power"], registry=reg, claims=fmt)  # type: ignore[arg-type]
    cell = table.rows[0][0]
    cited = {table.sources[n - 1].id for n in cell.sources}
    if fmt == "value":
        assert cell.text == "5"
        assert cited == {"power"}
        assert {c.status for c in cell.claims} == {mc.Status.OFFICIAL}
        assert [s.id for s in table.sources] == ["power"]
    else:
        assert "‡" in cell.display  # the derived figure, marked, beside the stated one
        assert {"power", "count"} <= cited
        assert len(cited) > 2  # and the chip's TDP specs


# ── a derived figure is rumored exactly when its inputs' values are ───────────

_RUMOR_SOURCE = mc.Source(id="rumor-notes", title="Notes", language="en", path="notes.txt")


@st.composite
def _claims_on(draw: st.DrawFn, field: str, unit: str) -> list[mc.Claim]:
    """One to three claims on ``field`` (rumored, reported or official), each an
    exact figure, an about, a bound or a range over a few nearby values."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        a, b = sorted(draw(st.lists(st.sampled_from([400, 500, 600]), min_size=2, max_size=2)))
        value = draw(
            st.sampled_from(
                [
                    mc.Estimate.exact(a, unit),
                    mc.Estimate.about(a, unit),
                    mc.Estimate.at_least(a, unit),
                    mc.Estimate.at_most(b, unit),
                    mc.Estimate.between(a, b, unit) if a < b else mc.Estimate.exact(b, unit),
                ]
            )
        )
        status = draw(st.sampled_from([mc.Status.RUMORED, mc.Status.REPORTED, mc.Status.OFFICIAL]))
        cite = mc.Citation(_RUMOR_SOURCE, f"{field} {len(out)}")
        out.append(mc.Claim("acme", field, value, status, (cite,)))
    return out


@settings(max_examples=60, deadline=None)
@given(_claims_on("parameters", "Gparameter"), _claims_on("training_tokens", "Gtoken"))
def test_a_derived_cell_is_rumored_exactly_when_its_inputs_cells_are(
    params: list[mc.Claim], tokens: list[mc.Claim]
) -> None:
    """The † of a derived cell follows the cells of the values it is computed from,
    by their own rule (a value rests on rumors where it needs the rumored claims):
    weights memory (N × 2 B) as the parameters, 6·N·D and D/N as either input."""
    model = mc.Model(id="acme", name="Acme", organization="Acme", stated_claims=(*params, *tokens))
    reg = mc.Registry([model], {_RUMOR_SOURCE.id: _RUMOR_SOURCE})
    fields = ["parameters", "training_tokens", "weights_memory", "training_compute"]
    fields.append("tokens_per_parameter")
    row = compare(["Acme"], fields, registry=reg).rows[0]
    n, d, weights, compute, ratio = ((Flag.RUMORED in c.flags, c.value) for c in row)
    if weights[1] is not None:
        assert weights[0] is n[0]
    for derived in (compute, ratio):
        if derived[1] is not None:
            assert derived[0] is (n[0] or d[0])
    expected = {"weights_memory": n[0], "training_compute": n[0] or d[0]}
    expected["tokens_per_parameter"] = n[0] or d[0]
    for field, rumored in expected.items():
        for claim in reg["Acme"].claims(field):  # the derived claim's note says the same
            assert claim.note is not None
            assert ("Rests on rumored claims" in claim.note) is rumored
