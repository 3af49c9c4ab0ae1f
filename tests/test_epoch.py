"""Reading Epoch AI's CSV exports: real rows, every column mapping, hostile cells."""

from __future__ import annotations

import csv
import functools
import io
import math
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from conftest import Main
from modelcompare.cli import main
from modelcompare.loader import expanded, normalize
from modelcompare.readers import read_file, reader_for
from modelcompare.readers.epoch import CORE_COLUMNS, detect
from modelcompare.testing import hostile_text
from strategies import (
    EPOCH_FIGURE_COLUMNS,
    EPOCH_OTHER_COLUMNS,
    epoch_names,
    epoch_numbers,
    hostile_cells,
)

FIXTURES = Path(__file__).parent / "fixtures" / "epoch"
NOTABLE = FIXTURES / "notable_ai_models.csv"
ALL = FIXTURES / "all_ai_models.csv"
NOTABLE_2026 = FIXTURES / "notable_ai_models_2026.csv"

#: The unit each figure column is read in, and the factor from the cell to it.
UNITS = {
    "Parameters": ("parameters", "parameter", 1.0),
    "Training compute (FLOP)": ("training_compute", "FLOP", 1.0),
    "Training dataset size (datapoints)": ("training_datapoints", "datapoint", 1.0),
    "Training dataset size (total)": ("training_datapoints", "datapoint", 1.0),
    "Training time (hours)": ("training_duration", "h", 1.0),
    "Training power draw (W)": ("training_power", "W", 1.0),
    "Training compute cost (2023 USD)": ("training_cost_usd2023", "USD", 1.0),
    "Hardware utilization": ("hardware_utilization", "percent", 100.0),
    "Hardware utilization (MFU)": ("hardware_utilization", "percent", 100.0),
    "Finetune compute (FLOP)": ("finetune_compute", "FLOP", 1.0),
}


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Each record of a CSV with the line it starts on."""
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    header = next(reader)
    out, start = [], reader.line_num + 1
    for cells in reader:
        out.append((start, dict(zip(header, cells, strict=True))))
        start = reader.line_num + 1
    return out


def _epoch_claims(model: mc.Model, source_id: str) -> list[mc.Claim]:
    return [c for c in model.stated_claims if any(x.source.id == source_id for x in c.citations)]


@pytest.mark.parametrize("path", [NOTABLE, ALL, NOTABLE_2026], ids=lambda p: p.name)
def test_real_rows_read_back_exactly(path: Path) -> None:
    """Every row of a real export loads, and each figure cell is one claim whose
    quote is the cell, located at the row's line and column, with the cell's value."""
    reg = mc.load_registry(paths=[path])
    ds = "epoch-" + path.stem.lower()
    assert reg.sources[ds].kind == "dataset"
    assert reg.sources[ds].external
    rows = _rows(path)
    assert rows
    for line, row in rows:
        model = reg[row["Model"]]
        claims = _epoch_claims(model, ds)
        by_column = {}
        for c in claims:
            for cite in c.citations:
                if cite.locator is not None and cite.locator.line == line:
                    by_column.setdefault(cite.locator.column, []).append((c, cite))
        for column, (field, unit, scale) in UNITS.items():
            cell = row.get(column, "").strip()
            if not cell:
                assert column not in by_column, f"{row['Model']}: empty {column} gave a claim"
                continue
            ((claim, cite),) = by_column[column]
            assert cite.quote == cell
            assert cite.locator == mc.Locator(line, row["Model"], column)
            assert claim.field == field
            assert claim.confidence == (row["Confidence"].strip() or None)
            assert isinstance(claim.value, mc.Estimate)
            assert claim.value.nominal.to(unit).magnitude == pytest.approx(float(cell) * scale)
        hardware = row.get("Training hardware", "").strip()
        if hardware:
            kinds = {_kind_of(n) for n in hardware.split(",")}
            hw_claims = by_column["Training hardware"]
            assert len(hw_claims) == len(kinds)  # one claim per kind of chip
            assert {cite.quote for _, cite in hw_claims} == {hardware}
    assert reg.validate() == []


@functools.cache
def _catalog_names() -> dict[str, mc.Accelerator]:
    """The catalog entry of each hardware name or alias (normalised), as the loader
    resolves it: the first entry that has it."""
    by_name: dict[str, mc.Accelerator] = {}
    for a in mc.load_registry().accelerators:
        for label in (*a.aliases, a.name):
            by_name.setdefault(normalize(label), a)
    return by_name


def _kind_of(name: str) -> str:
    """The kind of chip a hardware name counts as: its catalog entry's unit, or the
    name itself (a name no entry has is a kind of its own)."""
    accel = _catalog_names().get(normalize(name))
    return name.strip() if accel is None else accel.unit


def test_gpt4_seed_and_epoch_side_by_side() -> None:
    """GPT-4's rumoured parameter count (seeds) stands beside Epoch's compute."""
    reg = mc.load_registry(paths=[NOTABLE])
    gpt4 = reg["GPT-4"]
    assert gpt4.id == "gpt-4"
    params = gpt4.claims("parameters")
    assert {c.status for c in params} == {mc.Status.RUMORED}
    (compute,) = [c for c in gpt4.claims("training_compute") if c.status is not mc.Status.DERIVED]
    assert str(compute.value) == "2.1 × 10²⁵ FLOP"
    assert compute.confidence == "Speculative"
    assert compute.citations[0].locator is not None
    assert compute.citations[0].locator.record == "GPT-4"
    primary = compute.citations[1].source
    assert primary.url == "https://arxiv.org/abs/2303.08774"
    assert primary.external
    assert compute.citations[1].quote == "GPT-4 Technical Report"


def test_different_models_stay_different() -> None:
    """Llama 3.1-405B is a model of its own, not the seeds' planned Llama 3."""
    reg = mc.load_registry(paths=[NOTABLE])
    llama31, llama3 = reg["Llama 3.1-405B"], reg["Llama 3"]
    assert llama31.id != llama3.id
    assert llama31.organization == "Meta AI"
    assert str(llama31.announced) == "2024-07-23"
    assert llama31.status is mc.ModelStatus.RELEASED
    assert llama3.status is mc.ModelStatus.PLANNED


def test_epoch_aliases_join_builtin_models() -> None:
    """Epoch's 'Microsoft MAI-1' and 'Gemini 1.0 Ultra' add claims to the built-in models."""
    reg = mc.load_registry(paths=[ALL, NOTABLE])
    mai = reg["Microsoft MAI-1"]
    assert mai.id == "mai-1"
    (epoch,) = _epoch_claims(mai, "epoch-all_ai_models")
    assert epoch.confidence == "Unverified"
    assert str(epoch.value) == "500 B parameters"
    assert reg["Gemini 1.0 Ultra"].id == "gemini-ultra"


def test_compute_bounds() -> None:
    """Both bounds: the range around the figure; one bound: kept in the note, not
    used; bounds without a figure: the bound itself."""
    reg = mc.load_registry(paths=[ALL])
    (grok3,) = [c for c in reg["Grok-3"].stated_claims if c.field == "training_compute"]
    assert isinstance(grok3.value, mc.Estimate)
    low, nominal, high = grok3.value.interval("FLOP")
    assert (low, nominal, high) == (2.1e26, 4.64e26, 1.1300000000000001e27)
    # Epoch's span is not a rounding of 4.64e26: it shows, never as "≈4.64" (4.635–4.645)
    assert str(grok3.value) == "4.64 (2.1–11.3) × 10²⁶ FLOP"
    assert mc.parse(str(grok3.value)).contains(mc.Q_(1.1e27, "FLOP"))
    table = mc.compare(["Grok-3"], ["training_compute"], registry=reg).to_markdown()
    assert "| 4.64 (2.1–11.3) " in table
    assert "≈:" not in table  # no "≈" legend: nothing in it is a rounding
    assert "- a (b–c): about a, somewhere from b to c" in table
    (grok2,) = [c for c in reg["Grok-2"].stated_claims if c.field == "training_compute"]
    assert grok2.value.bound is mc.Bound.EXACT  # type: ignore[union-attr]
    assert grok2.note is not None
    assert "lower bound 2.1e+25" in grok2.note
    (grok15,) = [c for c in reg["Grok-1.5"].stated_claims if c.field == "training_compute"]
    assert str(grok15.value) == "≥2.90000000001 × 10²⁴ FLOP"  # Epoch's cell: 2.90000000001e+24
    assert grok15.citations[0].locator is not None
    assert grok15.citations[0].locator.column == "Training compute lower bound"


def test_several_kinds_of_chip_with_one_quantity() -> None:
    """ERNIE 3.0 Titan names V100s and Ascend 910s with one total: one claim per kind,
    no count, the total in the note."""
    reg = mc.load_registry(paths=[NOTABLE])
    claims = reg["ERNIE 3.0 Titan"].claims("training_accelerators")
    assert sorted(str(c.value) for c in claims) == ["? Ascend910", "? V100"]
    for c in claims:
        assert c.note is not None
        assert "1920 in all" in c.note
        assert [x.quote for x in c.citations[:2]] == [
            "NVIDIA Tesla V100 DGXS 32 GB,Huawei Ascend 910",
            "1920.0",
        ]


def test_a100_variants_are_told_apart() -> None:
    """GPT-4's 'A100 SXM4 40 GB' counts as A100 and names the 40 GB catalog entry."""
    reg = mc.load_registry(paths=[NOTABLE])
    (claim,) = [c for c in reg["GPT-4"].stated_claims if c.field == "training_accelerators"]
    assert str(claim.value) == "25,000 A100"
    assert claim.note is not None
    assert "a100-sxm-40gb" in claim.note


def test_empty_row_loads_with_no_claim() -> None:
    """A row with no figure (Grok-2 mini) is a model with a mention and no claim."""
    reg = mc.load_registry(paths=[ALL])
    m = reg["Grok-2 mini"]
    assert m.stated_claims == ()
    assert m.mentions[0].locator == mc.Locator(_line(ALL, "Grok-2 mini"), "Grok-2 mini", "Model")
    assert m.status is mc.ModelStatus.RELEASED


def _line(path: Path, name: str) -> int:
    return next(line for line, row in _rows(path) if row["Model"] == name)


def test_zero_datapoints_is_a_figure() -> None:
    """FunSearch's 0.0 datapoints is zero, not an empty cell."""
    reg = mc.load_registry(paths=[NOTABLE])
    (c,) = reg["FunSearch"].claims("training_datapoints")
    assert str(c.value) == "0 datapoints"


def test_dataset_source_date_and_licence() -> None:
    """The export's date: as given, else the newest 'Last modified'; CC BY 4.0."""
    reg = mc.load_registry(paths=[ALL])
    src = reg.sources["epoch-all_ai_models"]
    assert str(src.date) == "2025-02-20"
    assert src.date_basis == "inferred"
    assert src.license is not None
    assert "CC BY 4.0" in src.license
    assert "Epoch AI" in src.license
    assert "CC BY 4.0" in src.title
    reg = mc.load_registry(paths=[NOTABLE], date="2025-06-05")
    src = reg.sources["epoch-notable_ai_models"]
    assert str(src.date) == "2025-06-05"
    assert src.date_basis == "stated"
    assert src.url == "https://epoch.ai/data/notable_ai_models.csv"


def test_validate_checks_quotes_by_locator(tmp_path: Path) -> None:
    """A cell changed after loading is reported at its row and column."""
    path = tmp_path / "notable_ai_models.csv"
    path.write_text(NOTABLE.read_text(encoding="utf-8"), encoding="utf-8")
    reg = mc.load_registry(paths=[path])
    assert reg.validate() == []
    path.write_text(
        path.read_text(encoding="utf-8").replace("2.1e+25", "2.2e+25"), encoding="utf-8"
    )
    problems = reg.validate()
    assert len(problems) == 1
    assert "line 2 (GPT-4), column 'Training compute (FLOP)'" in problems[0].message
    assert "'2.2e+25'" in problems[0].message


def test_other_csv_is_refused(tmp_path: Path) -> None:
    """A CSV that is not an Epoch export: an error naming the columns expected."""
    path = tmp_path / "prices.csv"
    path.write_text("name,price\nfoo,3\n", encoding="utf-8")
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[path])
    assert err.value.line == 1
    for column in ("Model", *CORE_COLUMNS):
        assert repr(column) in str(err.value)


def test_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    """An export saved without the .csv ending is still read as one."""
    path = tmp_path / "download"
    path.write_text(NOTABLE.read_text(encoding="utf-8"), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert detect(text)
    assert reader_for(path, text).name == "epoch"
    assert "GPT-4" in mc.load_registry(paths=[path])
    assert not detect('[[model]]\nid = "x"\n')


def test_every_bad_row_is_reported(tmp_path: Path) -> None:
    """Two bad rows: both reported, each at its line; the good rows are not the error."""
    path = tmp_path / "notable_ai_models.csv"
    text = NOTABLE.read_text(encoding="utf-8")
    path.write_text(text.replace("16384.0", "lots").replace("4.64e+26", "-1"), encoding="utf-8")
    data = expanded(read_file(path))
    assert [(p.line, p.field) for p in data.problems] == [
        (3, "Hardware quantity"),
        (4, "Training compute (FLOP)"),
    ]
    assert {m.name for m, _ in data.matched_models} >= {"GPT-4", "Grok-2"}
    assert "Llama 3.1-405B" not in {m.name for m, _ in data.matched_models}


def test_bad_cell_is_located(tmp_path: Path) -> None:
    """A cell that is not a number names the file, line, model and column."""
    path = tmp_path / "notable_ai_models.csv"
    path.write_text(
        NOTABLE.read_text(encoding="utf-8").replace("16384.0", "lots"), encoding="utf-8"
    )
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[path])
    e = err.value
    assert (e.line, e.record, e.field) == (3, "row 'Llama 3.1-405B'", "Hardware quantity")
    assert str(e).startswith(f"{path}:3:")


# -- property tests ---------------------------------------------------------------------------


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(header)
        for row in rows:
            w.writerow([row.get(h, "") for h in header])


@st.composite
def _exports(draw: st.DrawFn) -> tuple[list[str], list[dict[str, str]]]:
    """A header (Model, four core columns, some figure and unknown columns, any
    order) and rows of figure cells, empty or not."""
    figures = draw(st.lists(st.sampled_from(EPOCH_FIGURE_COLUMNS), unique=True))
    core = draw(st.lists(st.sampled_from(CORE_COLUMNS), min_size=4, unique=True))
    extra = draw(st.lists(st.sampled_from([*EPOCH_OTHER_COLUMNS, "Frontier model", "Zzz"])))
    header = list(dict.fromkeys(["Model", *core, *figures, *extra]))
    random.Random(draw(st.integers())).shuffle(header)
    names = draw(st.lists(epoch_names(), min_size=1, max_size=4, unique_by=normalize))
    rows = []
    for name in names:
        row = {"Model": name}
        for col in header:
            if col in EPOCH_FIGURE_COLUMNS:
                row[col] = draw(st.one_of(st.just(""), epoch_numbers()))
            elif col in ("Abstract", "Notability criteria notes", "Zzz"):
                row[col] = draw(st.text(max_size=30))
        if "Confidence" in header:
            row["Confidence"] = draw(
                st.sampled_from(["", "Confident", "Likely", "Speculative", "Unknown", "Wrong"])
            )
        rows.append(row)
    return header, rows


@settings(max_examples=40)
@given(_exports())
def test_any_export_reads_back(
    tmp_path_factory: pytest.TempPathFactory, export: tuple[list[str], list[dict[str, str]]]
) -> None:
    """Any header order, missing and unknown columns, empty cells: every row is a
    model, every non-empty figure cell exactly one claim with its value, and no
    empty cell a claim; any Confidence level is kept as given."""
    header, rows = export
    path = tmp_path_factory.mktemp("epoch") / "export.csv"
    _write(path, header, rows)
    reg = mc.load_registry(paths=[path], builtin=False)
    assert len(reg) == len(rows)
    for row in rows:
        model = reg[row["Model"]]
        assert model.name == row["Model"]
        by_column = {c.citations[0].locator.column: c for c in model.stated_claims}  # type: ignore[union-attr]
        for col in EPOCH_FIGURE_COLUMNS:
            cell = row.get(col, "")
            if not cell:
                assert col not in by_column
                continue
            claim = by_column[col]
            field, unit, _ = UNITS[col]
            assert claim.field == field
            assert claim.citations[0].quote == cell
            assert isinstance(claim.value, mc.Estimate)
            assert claim.value.nominal.to(unit).magnitude == pytest.approx(float(cell))
            assert claim.confidence == (row.get("Confidence") or None)
    assert reg.validate() == []


@settings(max_examples=40)
@given(
    st.sampled_from(EPOCH_FIGURE_COLUMNS),
    hostile_cells(),
    epoch_names(),
    st.integers(0, 3),
)
def test_hostile_cells_are_located_errors(
    tmp_path_factory: pytest.TempPathFactory, column: str, cell: str, name: str, before: int
) -> None:
    """A figure cell that is not a positive number (text, NaN, ∞, negative, a comma):
    a DataFileError at that row's line, with the model and the column; never a claim."""
    header = ["Model", "Organization", "Publication date", "Domain", "Confidence", column]
    rows = [{"Model": f"filler {i}"} for i in range(before)]
    rows.append({"Model": name, column: cell})
    path = tmp_path_factory.mktemp("epoch") / "export.csv"
    _write(path, header, rows)
    if column == "Training dataset size (datapoints)" and cell.strip() == "0":
        reg = mc.load_registry(paths=[path], builtin=False)
        assert str(reg[name].stated_claims[0].value) == "0 datapoints"
        return
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[path], builtin=False)
    assert len(err.value.problems) == 1
    assert err.value.line == before + 2
    assert err.value.field == column
    assert err.value.record == f"row {name!r}"


def _hardware_export(path: Path, link: str, quantity: str, before: int) -> None:
    """An export of ``before`` filler rows, then 'Acme Q' with ``link`` and ``quantity``."""
    header = ["Model", "Organization", "Publication date", "Domain", "Confidence", "Link"]
    header += ["Reference", "Training hardware", "Hardware quantity"]
    rows = [{"Model": f"filler {i}"} for i in range(before)]
    rows.append(
        {
            "Model": "Acme Q",
            "Link": link,
            "Reference": "Acme report",
            "Training hardware": "NVIDIA H100 SXM5 80GB",
            "Hardware quantity": quantity,
        }
    )
    _write(path, header, rows)


@settings(max_examples=40)
@given(
    st.one_of(
        st.floats(0.001, 1e15).filter(lambda x: not x.is_integer()).map(repr),
        st.sampled_from(["12.5", "0.5", "1.000001", "2.5e0", "3.75e+1"]),
    ),
    st.integers(0, 3),
)
def test_a_fractional_chip_count_is_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, quantity: str, before: int
) -> None:
    """A 'Hardware quantity' that is not a whole number (12.5) is no count of chips:
    a DataFileError at the row's line and column, never a claim; 512.0 is 512."""
    path = tmp_path_factory.mktemp("epoch") / "export.csv"
    _hardware_export(path, "https://example.org/q", quantity, before)
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[path], builtin=False)
    assert len(err.value.problems) == 1
    e = err.value
    assert (e.line, e.record, e.field) == (before + 2, "row 'Acme Q'", "Hardware quantity")
    assert "whole number" in str(e)
    _hardware_export(path, "https://example.org/q", f"{math.floor(float(quantity)) + 1}.0", before)
    (claim,) = mc.load_registry(paths=[path])["Acme Q"].claims("training_accelerators")
    assert str(claim.value) == str(mc.Estimate.exact(math.floor(float(quantity)) + 1, "H100"))


@settings(max_examples=40)
@given(
    st.one_of(
        st.sampled_from(
            ["javascript:alert(1)", "ftp://a.example/x", "www.example.org", "https://"]
        ),
        hostile_text(max_size=30),
    ).filter(lambda t: t.strip() != "" and re.search(r"https?://[^\s,;]", t) is None),
    st.booleans(),
    st.integers(0, 3),
)
def test_a_link_with_no_url_is_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, link: str, reference: bool, before: int
) -> None:
    """A 'Link' cell holding text but no http(s) URL (javascript:alert(1)) is a
    DataFileError at the row's line and column with a suggestion, as a URL with no
    host is (with or without a Reference): the row's source is never dropped unsaid."""
    path = tmp_path_factory.mktemp("epoch") / "export.csv"
    _hardware_export(path, link, "8.0", before)
    if not reference:
        text = path.read_text(encoding="utf-8").replace("Acme report", "")
        path.write_text(text, encoding="utf-8")
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[path], builtin=False)
    assert len(err.value.problems) == 1
    e = err.value
    assert (e.line, e.record, e.field) == (before + 2, "row 'Acme Q'", "Link")
    assert e.suggestion


@settings(max_examples=25)
@given(st.permutations(list(range(6))))
def test_column_order_does_not_matter(
    tmp_path_factory: pytest.TempPathFactory, order: list[int]
) -> None:
    """The same real rows with their columns shuffled give the same claims."""
    reader = csv.reader(io.StringIO(NOTABLE.read_text(encoding="utf-8"), newline=""))
    header, *rows = list(reader)
    perm = list(range(len(header)))
    random.Random(sum(i * v for i, v in enumerate(order))).shuffle(perm)
    path = tmp_path_factory.mktemp("epoch") / "notable_ai_models.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        for r in [header, *rows]:
            w.writerow([r[i] for i in perm])

    def summary(p: Path) -> set[tuple[str, str, str, str]]:
        reg = mc.load_registry(paths=[p], builtin=False)
        return {
            (m.name, c.field, str(c.value), c.citations[0].quote)
            for m in reg
            for c in m.stated_claims
        }

    assert summary(path) == summary(NOTABLE)


def test_cli_compare_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    """The README scenario: seed and Epoch figures side by side, each cell sourced."""
    out = io.StringIO()
    code = main(
        [
            "--data",
            str(NOTABLE),
            "compare",
            "GPT-4",
            "Llama 3.1-405B",
            "Grok-3",
            "MAI-1-preview",
            "--fields",
            "parameters,training_compute,training_accelerators,training_power",
        ],
        out,
    )
    assert code == 0
    lines = out.getvalue().splitlines()
    assert lines[2] == (
        "| GPT-4 | 1,760 † § \\[1, 2\\] | 2.1 \\[3, 4\\] | 25,000 A100 \\[3, 4\\] "
        "| 19.94… \\[3, 4\\] |"  # Epoch's stated figure: not the spec sheet of a derivation
    )
    assert lines[3].startswith("| Llama 3.1-405B | 405 \\[3, 5\\] | 3.8 \\[3, 5\\] | 16,384 H100")
    assert "3. Epoch AI, Notable AI Models (notable_ai_models.csv), CC BY 4.0" in out.getvalue()


def test_cli_check_lists_discrepancies() -> None:
    """`check` lists GPT-4's derived power (count × TDP) against Epoch's stated draw."""
    out = io.StringIO()
    assert main(["--data", str(NOTABLE), "check"], out) == 1
    text = out.getvalue()
    assert "GPT-4: training_power\n  derived 10 MW" in text
    assert "stated  19.9… MW" in text
    assert "line 2 (GPT-4), column 'Training power draw (W)': '19944368.12599428'" in text


def test_discrepancies_have_both_values_and_sources() -> None:
    """Each discrepancy has a derived claim and a stated one whose intervals do not meet."""
    reg = mc.load_registry(paths=[NOTABLE])
    found = reg.discrepancies()
    assert found
    for d in found:
        assert d.derived.status is mc.Status.DERIVED
        assert d.stated.status is not mc.Status.DERIVED
        assert isinstance(d.derived.value, mc.Estimate)
        assert isinstance(d.stated.value, mc.Estimate)
        lo_d, _, hi_d = d.derived.value.interval()
        lo_s, _, hi_s = d.stated.value.to(d.derived.value.units).interval()
        assert hi_d < lo_s or hi_s < lo_d
        assert d.stated.sources
    gpt4 = [d for d in found if d.model.id == "gpt-4"]
    assert [d.field for d in gpt4] == ["training_power"]
    assert mc.load_registry().discrepancies() == ()


def test_hours_are_a_stated_duration_not_the_derived_bound() -> None:
    """'Training time (hours)' is training_duration; training_time_at_peak stays the
    derived bound."""
    reg = mc.load_registry(paths=[NOTABLE])
    (stated,) = reg["Llama 3.1-405B"].claims("training_duration")
    assert stated.value.nominal.to("h").magnitude == 2142.0  # type: ignore[union-attr]
    assert all(
        c.status is mc.Status.DERIVED for c in reg["Llama 3.1-405B"].claims("training_time_at_peak")
    )


def test_stated_duration_below_the_derived_bound_is_a_discrepancy(
    data_file: Callable[[str], Path],
) -> None:
    """A stated training_duration shorter than compute ÷ peak (a lower bound) is listed."""
    extra = data_file(
        """
[[source]]
id = "memo"
title = "A memo"
url = "https://example.org/memo"
language = "en"
kind = "web"
external = true

[[claim]]
model = "llama-3.1-405b"
field = "training_duration"
value = { exact = 1, unit = "day" }
status = "reported"
citations = [{ source = "memo", quote = "one day" }]
"""
    )
    reg = mc.load_registry(paths=[NOTABLE, extra])
    found = [d for d in reg.discrepancies() if d.field == "training_time_at_peak"]
    assert [(d.model.name, d.derived_is, str(d.stated.value)) for d in found] == [
        ("Llama 3.1-405B", "higher", "1 day")
    ]


def _chip_names() -> dict[str, dict[str, str]]:
    """The catalog's hardware names, by the unit each is counted as: name → entry id
    (each name as the loader resolves it: the first entry that has it)."""
    by_name = _catalog_names()
    out: dict[str, dict[str, str]] = {}
    for a in mc.load_registry().accelerators:
        for label in (*a.aliases, a.name):
            if by_name[normalize(label)] is a and "," not in label:
                out.setdefault(a.unit, {})[label] = a.id
    return out


_CHIPS = _chip_names()
_VARIANT_UNITS = sorted(u for u, names in _CHIPS.items() if len(names) >= 2)


@st.composite
def _hardware_cells(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[str]]:
    """Hardware names of one to three kinds of chip, each kind by one or more of its
    catalog names (variants: ``A100 SXM4 40 GB`` and ``80 GB``), in any order: the
    ``(unit, name)`` pairs and the kinds, in order of first appearance."""
    units = draw(st.lists(st.sampled_from(sorted(_CHIPS)), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        units[0] = draw(st.sampled_from(_VARIANT_UNITS))
        units = list(dict.fromkeys(units))
    pairs = []
    for u in units:
        names = sorted(_CHIPS[u])
        pairs += [(u, n) for n in draw(st.lists(st.sampled_from(names), min_size=1, unique=True))]
    pairs = draw(st.permutations(pairs))
    return pairs, list(dict.fromkeys(u for u, _ in pairs))


@settings(max_examples=40, deadline=None)
@given(_hardware_cells(), st.one_of(st.none(), st.integers(1, 10**6)))
def test_names_of_one_kind_of_chip_keep_the_count(
    tmp_path_factory: pytest.TempPathFactory,
    hardware: tuple[list[tuple[str, str]], list[str]],
    quantity: int | None,
) -> None:
    """A row's hardware names are counted by kind of chip: names that are all one
    kind (variants such as 'NVIDIA A100 SXM4 40 GB,NVIDIA A100 SXM4 80 GB') are one
    claim with the row's count, its note naming each variant and catalog entry;
    names of several kinds are one claim per kind without a count, the total in
    the note; and the export validates."""
    pairs, kinds = hardware
    cell = ",".join(n for _, n in pairs)
    header = ["Model", "Organization", "Publication date", "Domain", "Confidence", "Link"]
    header += ["Reference", "Training hardware", "Hardware quantity"]
    row = {"Model": "Acme Chip Test", "Training hardware": cell, "Confidence": "Likely"}
    row |= {"Link": "https://example.org/acme", "Reference": "Acme report"}
    row["Hardware quantity"] = "" if quantity is None else f"{quantity}.0"
    path = tmp_path_factory.mktemp("epoch") / "export.csv"
    _write(path, header, [row])
    reg = mc.load_registry(paths=[path])
    claims = reg["Acme Chip Test"].claims("training_accelerators")
    assert [c.value.units for c in claims] == [mc.ureg.Unit(u) for u in kinds]  # type: ignore[union-attr]
    for claim, unit in zip(claims, kinds, strict=True):
        assert claim.note is not None
        for u, name in pairs:
            said = f"{name!r} is counted as {unit} ("
            assert (said in claim.note) is (u == unit)
            if u == unit:
                assert f"catalog entry {_CHIPS[u][name]})" in claim.note
        quotes = [c.quote for c in claim.citations]
        assert quotes[0] == cell
        assert (f"{quantity}.0" in quotes) is (quantity is not None)
        if quantity is not None and len(kinds) == 1:
            assert str(claim.value) == str(mc.Estimate.exact(quantity, unit))
        else:
            assert isinstance(claim.value, mc.Estimate)
            assert not claim.value.is_known
            assert ("in all" in claim.note) is (quantity is not None)
            assert quantity is None or f"{quantity:g} in all" in claim.note
    assert reg.validate() == []


def test_variants_of_one_chip_keep_the_count() -> None:
    """Luminous-supreme's 'NVIDIA A100 SXM4 40 GB,NVIDIA A100 SXM4 80 GB' with 512:
    512 A100 (its power derived from it), and the export validates."""
    reg = mc.load_registry(paths=[ALL])
    (claim,) = reg["Luminous-supreme"].claims("training_accelerators")
    assert str(claim.value) == "512 A100"
    assert claim.note is not None
    assert "a100-sxm-40gb" in claim.note
    assert "a100-sxm-80gb" in claim.note
    assert [c.quote for c in claim.citations[:2]] == [
        "NVIDIA A100 SXM4 40 GB,NVIDIA A100 SXM4 80 GB",
        "512.0",
    ]
    assert reg["Luminous-supreme"].value("training_power") is not None
    assert reg.validate() == []


# -- names: rows that are different models stay different models ------------------------------

NAMES = FIXTURES / "names" / "all_ai_models.csv"


def _row_model(reg: mc.Registry, path: Path, line: int) -> mc.Model:
    """The one model an export's row at ``line`` made or joined (found by the locators
    of its name, which a model the row makes mentions, and of its figures)."""
    (found,) = [
        m
        for m in reg
        if any(
            c.locator is not None and c.locator.line == line and c.source.file == path.resolve()
            for c in (*m.mentions, *(c for claim in m.stated_claims for c in claim.citations))
        )
    ]
    return found


def test_names_that_differ_by_plus_or_case_or_repeat_are_different_models() -> None:
    """Real rows of all_ai_models.csv: 'Command R' is not 'Command R+', 'PointNet' not
    'PointNet++', Oxford's 'CaLM' not NVIDIA's 'CALM', and its two 'SigLIP's (400 M
    and 6.3 B parameters) are two models: every row loads, each figure on its own
    row's model; the name both SigLIPs have is ambiguous, each id is not."""
    reg = mc.load_registry(paths=[NAMES])
    assert len(reg) == len(mc.load_registry()) + 10
    assert str(reg["Command R"].value("parameters")) == "35 B parameters"
    assert str(reg["Command R+"].value("parameters")) == "104 B parameters"
    assert reg["CaLM"].organization == "University of Oxford"
    assert str(reg["CaLM"].value("parameters")) == "86 M parameters"
    assert reg["CALM"].organization.startswith("NVIDIA")
    assert not reg["CALM"].claims("parameters")
    for name in ("DeepLabV3", "DeepLabV3+", "PointNet", "PointNet++"):
        assert reg[name].name == name
    with pytest.raises(mc.AmbiguousModelError) as err:
        reg["SigLIP"]
    ids = [mid for mid, _, _ in err.value.candidates]
    assert len(ids) == 2
    assert "name one by its id" in str(err.value)
    assert sorted(str(reg[i].value("parameters")) for i in ids) == [
        "400 M parameters",
        "6.3 B parameters",
    ]
    assert reg["calm"].name == "CALM"  # its id
    with pytest.raises(mc.AmbiguousModelError):
        reg["Calm"]  # no model has this very name
    assert "SigLIP" in reg
    assert "siglip" in reg
    assert reg.validate() == []


def test_a_lookup_names_the_models_a_name_is_ambiguous_between(run: Main) -> None:
    code, out, err = run("--data", str(NAMES), "compare", "SigLIP", "--fields", "parameters")
    assert code == 3
    assert not out
    assert "'SigLIP' names 2 models: 'siglip' (SigLIP, Google DeepMind) and 'siglip-line-" in err


_CLASHING = st.sampled_from(["Acme", "ACME", "acme", "Acme+", "Acme++", "A.C.M.E", "Bolt", "bolt+"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_CLASHING, st.integers(1, 10**6)), min_size=1, max_size=7))
def test_every_row_is_its_own_model_whatever_its_name(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, int]]
) -> None:
    """Rows whose names repeat, or differ only in case, punctuation or '+': each row
    is a model of its own holding exactly its own figures, named as its row; a
    lookup by a name gives the one model of that name or key, else raises
    AmbiguousModelError listing every model it could mean, never another's."""
    header = ["Model", "Organization", "Publication date", "Domain", "Parameters"]
    path = tmp_path_factory.mktemp("epoch") / "export.csv"
    _write(path, header, [{"Model": n, "Parameters": f"{p}e6"} for n, p in rows])
    reg = mc.load_registry(paths=[path], builtin=False)
    assert len(reg) == len(rows)
    for line, (name, params) in enumerate(rows, start=2):
        model = _row_model(reg, path, line)
        assert model.name == name
        (claim,) = model.stated_claims
        assert claim.citations[0].quote == f"{params}e6"
    for name, _ in rows:
        same_key = [m for m in reg if normalize(name) in {normalize(x) for x in (m.id, m.name)}]
        exact = [m for m in same_key if name in (m.id, m.name)]
        if len(same_key) == 1 or len(exact) == 1:
            assert reg[name] is (exact or same_key)[0]
        else:
            with pytest.raises(mc.AmbiguousModelError) as err:
                reg[name]
            assert {c[0] for c in err.value.candidates} == {m.id for m in same_key}


def test_a_row_joins_the_loaded_model_of_its_very_name_first(tmp_path: Path) -> None:
    """Two rows of one export that both match GPT-4 ('gpt 4' first): the row named
    exactly 'GPT-4' joins it and the other stays a model of its own (one model
    never takes two rows of a file)."""
    path = tmp_path / "export.csv"
    header = ["Model", "Organization", "Publication date", "Domain", "Parameters"]
    rows = [{"Model": "gpt 4", "Parameters": "1e9"}, {"Model": "GPT-4", "Parameters": "2e12"}]
    _write(path, header, rows)
    reg = mc.load_registry(paths=[path])
    assert reg["GPT-4"].id == "gpt-4"
    assert _row_model(reg, path, 3).id == "gpt-4"
    other = _row_model(reg, path, 2)
    assert other.id != "gpt-4"
    assert other.name == "gpt 4"
    assert str(other.value("parameters")) == "1 B parameters"


def test_a_joining_row_dates_a_loaded_model_that_has_no_date() -> None:
    """The seeds do not date GPT-4; Epoch's row does: the merged model takes the
    row's Publication date, saying where it comes from (so a timeline shows it)."""
    assert mc.load_registry()["GPT-4"].announced is None
    gpt4 = mc.load_registry(paths=[NOTABLE])["GPT-4"]
    assert str(gpt4.announced) == "2023-03-15"
    assert gpt4.announced_basis == "stated"
    assert gpt4.announced_note is not None
    assert gpt4.announced_note.startswith("Epoch AI's 'Publication date' (notable_ai_models.csv")


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    """The same export by two paths (or a built-in file given again): read once,
    with one warning, not every record reported as a duplicate of itself."""
    again = tmp_path / "link.csv"
    again.symlink_to(NOTABLE.resolve())
    with pytest.warns(mc.DataFileWarning, match="given twice"):
        reg = mc.load_registry(paths=[NOTABLE, again])
    assert len(reg) == len(mc.load_registry(paths=[NOTABLE]))
    problems = mc.validate_files([NOTABLE, NOTABLE], include_warnings=True)
    assert [p.severity for p in problems if "given twice" in p.message] == ["warning"]
    assert not [p for p in problems if p.severity == "error"]


def test_fine_tuned_rows_time_the_fine_tuning_run() -> None:
    """LLaVA's and U-PaLM's Training compute includes their base model's pretraining:
    it stays as stated, the base model and the fine-tuning compute are claims of their
    own, and the time at peak divides the fine-tuning compute alone (a lower bound
    below the stated hours), or nothing (Flamingo: no fine-tuning compute); GPT-4,
    Llama 3.1-405B and Grok-3 keep theirs."""
    reg = mc.load_registry(paths=[NOTABLE])
    for name, base, tuned in [
        ("LLaVA", "Vicuna-13B v0", 4.9e19),
        ("U-PaLM (540B)", "PaLM (540B)", 4e21),
    ]:
        m = reg[name]
        assert [c.value for c in m.claims("base_model")] == [base]
        (ft,) = m.claims("finetune_compute")
        assert ft.value.nominal.to("FLOP").magnitude == tuned  # type: ignore[union-attr]
        (total,) = m.claims("training_compute")
        assert total.note is not None
        assert f"base model ({base})" in total.note
        (time,) = m.claims("training_time_at_peak")
        assert time.formula == "C_ft / P"
        assert ft in time.inputs
        assert total not in time.inputs
        (stated,) = m.claims("training_duration")
        assert isinstance(time.value, mc.Estimate)
        assert isinstance(stated.value, mc.Estimate)
        assert time.value.interval("h")[0] <= stated.value.interval("h")[0]  # never above
        (peak,) = m.claims("training_peak_compute")
        assert isinstance(peak.value, mc.Estimate)
        assert time.value.interval("s")[0] == pytest.approx(
            tuned / peak.value.interval("FLOP/s")[2]
        )
    assert reg["Flamingo"].claims("training_time_at_peak") == ()
    assert reg["Flamingo"].claims("training_compute")  # the total is kept as stated
    assert str(reg["FunSearch"].claims("finetune_compute")[0].value) == "0 FLOP"
    assert not [d for d in reg.discrepancies() if d.field == "training_time_at_peak"]
    shown = {
        n: str(reg[n].claims("training_time_at_peak")[0].value)
        for n in ("GPT-4", "Llama 3.1-405B", "Grok-3")
    }
    assert shown == {"GPT-4": "≥31.1 days", "Llama 3.1-405B": "≥27.1 days", "Grok-3": "≥54.2 days"}
    assert reg.validate() == []


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(st.none(), st.sampled_from(["Vicuna-13B v0", "PaLM 2", "Some base, v2"])),
    st.one_of(st.none(), epoch_numbers()),
    st.one_of(st.none(), st.just("0.0"), epoch_numbers()),
    st.integers(1, 100_000),
)
def test_time_at_peak_never_times_a_base_models_pretraining(
    tmp_path_factory: pytest.TempPathFactory,
    base: str | None,
    compute: str | None,
    tuned: str | None,
    chips: int,
) -> None:
    """Any row: where it names a base model, the time at peak is the fine-tuning
    compute ÷ the chips' peak (none without a positive one), never the total
    compute ÷ it; otherwise the total compute ÷ it. The total is kept as stated."""
    header = ["Model", "Organization", "Publication date", "Domain", "Confidence", "Link"]
    header += ["Reference", "Training hardware", "Hardware quantity", "Training compute (FLOP)"]
    header += ["Base model", "Finetune compute (FLOP)"]
    row = {"Model": "Acme FT", "Training hardware": "NVIDIA H100 SXM5 80GB"}
    row["Hardware quantity"] = f"{chips}.0"
    row["Training compute (FLOP)"] = compute or ""
    row["Base model"] = base or ""
    row["Finetune compute (FLOP)"] = tuned or ""
    path = tmp_path_factory.mktemp("epoch") / "export.csv"
    _write(path, header, [row])
    reg = mc.load_registry(paths=[path])
    m = reg["Acme FT"]
    used = (tuned if tuned and float(tuned) > 0 else None) if base else compute
    times = m.claims("training_time_at_peak")
    if compute is not None:
        (total,) = m.claims("training_compute")
        assert total.citations[0].quote == compute
    if used is None:
        assert times == ()
        return
    (time,) = times
    (peak,) = m.claims("training_peak_compute")
    assert isinstance(time.value, mc.Estimate)
    assert isinstance(peak.value, mc.Estimate)
    expected = float(used) / peak.value.interval("FLOP/s")[2]
    assert time.value.interval("s")[0] == pytest.approx(expected, rel=1e-9)
    assert time.formula == ("C_ft / P" if base else "C / P")
    assert reg.validate() == []
