"""Machine exports (CSV, JSON, DataFrame): one fixed unit per field whatever the
selection, unit strings mc.ureg reads back, every mark of a cell as a column."""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare import listing
from modelcompare.comparison import Flag

REG = mc.load_registry()
NAMES = [m.name for m in REG]
QUANTITY_FIELDS = [f.name for f in mc.FIELDS.values() if f.dimension is not None]
UNIT_IN_NAME = re.compile(r"\[(.+)\]$")


def selections() -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@settings(max_examples=25, deadline=None)
@given(
    a=selections(),
    b=selections(),
    fields=st.lists(st.sampled_from(QUANTITY_FIELDS), min_size=1, max_size=3, unique=True),
    vs=st.sampled_from([None, "MAI-1-preview", "GPT-4"]),
)
def test_export_columns_do_not_depend_on_the_models(
    a: list[str], b: list[str], fields: list[str], vs: str | None
) -> None:
    """Two selections on the same fields give the same CSV and DataFrame columns and
    the same JSON units, so exports concatenate; every unit parses with mc.ureg."""
    ca, cb = mc.compare(a, fields, vs=vs), mc.compare(b, fields, vs=vs)
    fa, fb = ca.to_frame(), cb.to_frame()
    assert list(fa.columns) == list(fb.columns)
    assert list(read_csv(ca.to_csv())[0]) == list(read_csv(cb.to_csv())[0])
    both = pd.concat([fa, fb])
    assert list(both.columns) == list(fa.columns)
    for name in fa.columns:
        if name.endswith("]"):
            assert str(both[name].dtype) == "float64", name
    ja, jb = json.loads(ca.to_json()), json.loads(cb.to_json())
    assert [c["unit"] for c in ja["columns"]] == [c["unit"] for c in jb["columns"]]
    units = {m.group(1) for name in fa.columns if (m := UNIT_IN_NAME.search(name))}
    units |= {c["unit"] for c in ja["columns"] if c["unit"]}
    units |= {cell["unit"] for row in ja["rows"] for cell in row["cells"] if cell["unit"]}
    for u in units:
        parsed = mc.ureg.parse_units(u)
        assert mc.ureg.parse_units(str(parsed)) == parsed, u


@settings(max_examples=25, deadline=None)
@given(models=selections(), field=st.sampled_from(QUANTITY_FIELDS))
def test_export_numbers_are_the_value_in_the_field_unit(models: list[str], field: str) -> None:
    """The nominal/low/high numbers are Model.value's interval in the field's own
    unit (the chip's own for accelerators), the bound kind and marks as in the cell."""
    c = mc.compare(models, [field])
    spec = mc.FIELDS[field]
    df = c.to_frame()
    per_chip = spec.dimension == "accelerator"
    suffix = "" if per_chip else f" [{spec.dimension}]"
    for model, row in zip(c.models, c.rows, strict=True):
        cell = row[0]
        got = [df.loc[model.name, f"{field} {end}{suffix}"] for end in ("low", "nominal", "high")]
        if isinstance(cell.value, mc.Estimate) and cell.value.is_known:
            unit = df.loc[model.name, f"{field} unit"] if per_chip else spec.dimension
            lo, n, hi = cell.value.interval(unit)
            for x, want in zip(got, (lo, n, hi), strict=True):
                if math.isfinite(want):
                    assert x == pytest.approx(want, rel=1e-12)
                else:
                    assert math.isnan(x)
            assert df.loc[model.name, f"{field} bound"] == cell.value.bound.value
        else:
            assert all(math.isnan(x) for x in got)
        for flag in Flag:
            assert bool(df.loc[model.name, f"{field} {flag.value}"]) is (flag in cell.flags)


def test_the_same_field_has_one_unit_whatever_the_selection() -> None:
    """The issue's case: GPT-4 alone and with Phi-3-mini give 'parameter' columns."""
    alone = mc.compare(["GPT-4"], ["parameters", "training_compute"]).to_frame()
    both = mc.compare(["GPT-4", "Phi-3-mini"], ["parameters", "training_compute"]).to_frame()
    for df in (alone, both):
        assert "parameters nominal [parameter]" in df.columns
        assert "training_compute nominal [FLOP]" in df.columns
    assert alone.loc["GPT-4", "parameters nominal [parameter]"] == 1.76e12
    assert both.loc["Phi-3-mini", "training_compute nominal [FLOP]"] == pytest.approx(7.524e22)
    doc = json.loads(mc.compare(["GPT-4", "Phi-3-mini"], ["parameters"]).to_json())
    assert doc["columns"][0]["unit"] == "parameter"
    assert {cell["unit"] for row in doc["rows"] for cell in row["cells"]} == {"parameter"}


def test_chips_with_no_count_and_marks_are_columns() -> None:
    """MAI-1-preview's '≈15,000 H100 + ? GB200' says approx, H100 and GB200 with no count."""
    c = mc.compare(["MAI-1-preview", "Grok"], ["training_accelerators"], vs="MAI-1-preview")
    df = c.to_frame()
    mai = df.loc["MAI-1-preview"]
    assert (mai["training_accelerators nominal"], mai["training_accelerators unit"]) == (
        15000,
        "H100",
    )
    assert mai["training_accelerators bound"] == "approx"
    assert mai["training_accelerators chips with no count"] == "GB200"
    assert bool(df.loc["Grok", "training_accelerators × MAI-1-preview partial"])
    (row,) = (r for r in read_csv(c.to_csv()) if r["Model"] == "Grok")
    assert row["training_accelerators × MAI-1-preview partial"] == "true"
    assert row["training_accelerators × MAI-1-preview nominal [dimensionless]"].startswith("6.66")
    cells = json.loads(c.to_json())["rows"][0]["cells"]
    assert cells[0]["chips_with_no_count"] == ["GB200"]
    assert cells[0]["display"] == "≈15,000 H100 + ? GB200"


def test_units_can_be_asked_for() -> None:
    """units={'parameters': 'Gparameter'} gives that unit in CSV, JSON and pandas."""
    c = mc.compare(["GPT-4", "Phi-3-mini"], ["parameters", "training_accelerators"])
    df = c.to_frame(units={"parameters": "Gparameter"})
    assert df["parameters nominal [Gparameter]"].tolist() == [1760.0, 3.8]
    assert df.attrs["units"]["parameters"] == "Gparameter"
    (row, _) = read_csv(c.to_csv(units={"parameters": "Tparameter"}))
    assert row["parameters nominal [Tparameter]"] == "1.76"
    doc = json.loads(c.to_json(units={"parameters": "Mparameter"}))
    assert doc["rows"][1]["cells"][0]["nominal"] == 3800
    chips = mc.compare(["MAI-1-preview"], ["training_accelerators"])
    kdf = chips.to_frame(units={"training_accelerators": "kH100"})
    assert kdf.loc["MAI-1-preview", "training_accelerators nominal"] == 15
    assert kdf.loc["MAI-1-preview", "training_accelerators unit"] == "kH100"


@pytest.mark.parametrize(
    ("units", "error", "message"),
    [
        ({"paramters": "Gparameter"}, mc.UnknownFieldError, "paramters"),
        ({"parameters": "GB"}, mc.UnitError, "not a unit of 'parameters'"),
        ({"training_accelerators": "W"}, mc.UnitError, "not a count of one kind of chip"),
        ({"parameters": "furlong"}, mc.UnitError, "unknown unit"),
    ],
)
def test_bad_units_are_clear_errors(units: dict[str, str], error: type, message: str) -> None:
    """A field not compared, or a unit of another dimension, is a clear error."""
    c = mc.compare(["GPT-4"], ["parameters", "training_accelerators"])
    for export in (c.to_frame, c.to_csv, c.to_json):
        with pytest.raises(error, match=message):
            export(units=units)


def test_human_formats_keep_readable_scales() -> None:
    """Markdown still shows one readable scale per column; CSV text is each figure's
    own, with its unit."""
    c = mc.compare(["GPT-4", "Phi-3-mini"], ["parameters"])
    assert "Parameters (B)" in c.to_markdown()
    assert "| 1,760 " in c.to_markdown()
    texts = [r["parameters"] for r in read_csv(c.to_csv())]
    assert texts == ["1.76 T parameters", "3.8 B parameters"]


def _one_figure_registry(value: mc.Estimate, field: str = "training_power") -> mc.Registry:
    """A registry of one model whose one claim on ``field`` is ``value``."""
    src = mc.Source(id="src", title="S", language="en", path="s.txt")
    claim = mc.Claim(
        subject="m",
        field=field,
        value=value,
        status=mc.Status.REPORTED,
        citations=(mc.Citation(src, "q"),),
    )
    model = mc.Model(id="m", name="M", organization="Org", stated_claims=(claim,))
    return mc.Registry([model], {src.id: src})


#: Figures of up to 17 significant digits, as a source's cell may state them.
LONG_FIGURES = st.floats(1.0, 1e20, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(x=LONG_FIGURES, y=LONG_FIGURES, exact=st.booleans())
def test_every_machine_format_writes_floats_that_read_back_the_same(
    x: float, y: float, exact: bool
) -> None:
    """A figure in its field's own unit comes out of every machine format (compare's
    CSV, JSON and DataFrame; show's JSON and CSV) as a number that reads back (csv,
    json, pandas) to that same float: every digit of a stated figure is kept, as
    ``19944368.12599428`` (a 15-digit format wrote ``19944368.1259943``)."""
    lo, hi = min(x, y), max(x, y)
    value = mc.Estimate.exact(x, "W") if exact else mc.Estimate.between(lo, hi, "W")
    want = [x, x, x] if exact else [lo, value.interval()[1], hi]
    reg = _one_figure_registry(value)
    c = mc.compare(["m"], ["training_power"], registry=reg)
    names = [f"training_power {end} [W]" for end in ("low", "nominal", "high")]
    row = read_csv(c.to_csv())[0]
    assert [float(row[n]) for n in names] == want
    frame = pd.read_csv(io.StringIO(c.to_csv().removeprefix("\ufeff")))
    assert [frame.loc[0, n] for n in names] == want
    assert [c.to_frame().loc["M", n] for n in names] == want
    cell = json.loads(c.to_json())["rows"][0]["cells"][0]
    assert [cell[k] for k in ("low", "nominal", "high")] == want
    model = reg.get("m")
    shown = json.loads(listing.to_json(listing.model_record(model)))
    fig = shown["fields"]["training_power"]["value"]
    assert [fig[k] for k in ("low", "nominal", "high")] == want
    columns = ["low", "nominal", "high"]
    (line,) = read_csv(listing.to_csv(listing.claim_rows(model), columns))
    assert [float(line[k]) for k in columns] == want


def test_epoch_power_keeps_every_digit_in_every_format() -> None:
    """The review's case: Epoch's '19944368.12599428' W for GPT-4 is that float in
    compare's CSV and show's JSON, as in compare's JSON (all three agreed on 15 digits
    only in JSON before)."""
    value = mc.Estimate.exact(19944368.12599428, "W")
    reg = _one_figure_registry(value)
    c = mc.compare(["m"], ["training_power"], registry=reg)
    assert "19944368.12599428" in c.to_csv()
    assert (
        "1.2345678901234568e+17"
        in mc.compare(
            ["m"],
            ["training_power"],
            registry=_one_figure_registry(mc.Estimate.exact(123456789012345678, "W")),
        ).to_csv()
    )
    record = listing.model_record(reg.get("m"))
    assert record["fields"]["training_power"]["value"]["nominal"] == 19944368.12599428


@settings(max_examples=40, deadline=None)
@given(
    models=selections(),
    fields=st.lists(st.sampled_from(QUANTITY_FIELDS), min_size=1, max_size=3, unique=True),
    lang=st.sampled_from(["en", "fr"]),
)
@example(models=["GPT-4", "Phi-3-mini"], fields=["parameters"], lang="en")
@example(models=["MAI-1-preview", "Grok", "GPT-4"], fields=["training_power"], lang="fr")
def test_a_models_text_is_the_same_whatever_else_is_selected(
    models: list[str], fields: list[str], lang: str
) -> None:
    """The CSV text columns and JSON's display are each figure as it reads alone, never
    the column's shared scale or decimals: a model's row text compared with others is
    its text compared alone (GPT-4 read '1,760 B parameters' beside Phi-3-mini)."""
    together = mc.compare(models, fields, lang=lang)
    rows = read_csv(together.to_csv())
    doc = json.loads(together.to_json())
    for name, row, jrow in zip(models, rows, doc["rows"], strict=True):
        alone = mc.compare([name], fields, lang=lang)
        (own,) = read_csv(alone.to_csv())
        (jown,) = json.loads(alone.to_json())["rows"]
        for field in fields:
            assert row[field] == own[field], (name, field)
        assert [c["display"] for c in jrow["cells"]] == [c["display"] for c in jown["cells"]]


def test_the_reviews_text_column_case() -> None:
    """GPT-4's parameters read '1.76 T parameters' alone and beside Phi-3-mini, and
    each value's text is its own str() (in English)."""
    for names in (["GPT-4"], ["GPT-4", "Phi-3-mini"]):
        c = mc.compare(names, ["parameters"])
        assert read_csv(c.to_csv())[0]["parameters"] == "1.76 T parameters"
        cell = json.loads(c.to_json())["rows"][0]["cells"][0]
        assert cell["display"] == "1.76 T parameters" == str(c.rows[0][0].value)
