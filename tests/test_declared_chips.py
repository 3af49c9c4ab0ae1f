"""Chips declared in data files: a new unit, its own dimension, with or without specs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.units import ACCELERATOR_SYMBOL, accelerator_units, define_accelerator

CHIP = """
[[source]]
id = "my-note"
title = "My notes"
url = "https://example.org/notes"
language = "en"
kind = "web"
external = true

[[accelerator]]
id = "acme-x1"
unit = "AcmeX1"
new_unit = true
name = "Acme X1"
vendor = "Acme"
aliases = ["ACME X-1"]

[[model]]
id = "acme-lm"
name = "Acme LM"
organization = "Acme"

[[claim]]
model = "acme-lm"
field = "training_accelerators"
value = { exact = 512, unit = "AcmeX1" }
status = "official"
citations = [{ source = "my-note", quote = "512 X1" }]
"""


def test_declared_chip_is_its_own_dimension(data_file: Callable[[str], Path]) -> None:
    """A [[accelerator]] with new_unit = true makes a unit that adds to nothing else."""
    reg = mc.load_registry(paths=[data_file(CHIP)])
    value = reg["Acme LM"].value("training_accelerators")
    assert str(value) == "512 AcmeX1"
    with pytest.raises(mc.UnitError):
        reg.ratio("Acme LM", "MAI-1-preview", "training_accelerators")
    with pytest.raises(mc.UnitError):
        mc.Estimate.exact(1, "AcmeX1") + mc.Estimate.exact(1, "H100")
    assert reg.accelerator("ACME X-1").id == "acme-x1"


def test_derived_figure_says_which_spec_is_missing(data_file: Callable[[str], Path]) -> None:
    """A chip without specs: derived power says the catalog has no figure for it."""
    reg = mc.load_registry(paths=[data_file(CHIP.replace("acme-x1", "acme-x2"))])
    assert reg["Acme LM"].claims("training_power") == ()
    mixed = (
        CHIP
        + """
[[claim]]
model = "acme-lm"
field = "training_accelerators"
value = { exact = 8, unit = "H100" }
status = "official"
citations = [{ source = "my-note", quote = "8 H100" }]
"""
    )
    reg = mc.load_registry(paths=[data_file(mixed.replace("acme-x1", "acme-x3"))])
    (power,) = reg["Acme LM"].claims("training_power")
    assert power.note is not None
    assert "AcmeX1: 512 AcmeX1, but the catalog has no tdp figure for it" in power.note
    assert str(power.value).startswith("≥")


def test_unknown_unit_without_new_unit_is_refused(data_file: Callable[[str], Path]) -> None:
    """A typo is not a new chip: without new_unit the unit must exist, with a hint."""
    text = CHIP.replace("new_unit = true\n", "").replace("AcmeX1", "AcmeZ9")
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[data_file(text)])
    assert err.value.field == "unit"
    assert "new_unit = true" in str(err.value)


@pytest.mark.parametrize("unit", ["GB", "h", "kH100", "9X", "a b", "", "iB", "r", "G", "Ki"])
def test_new_unit_cannot_shadow_a_unit(data_file: Callable[[str], Path], unit: str) -> None:
    """A declared chip cannot take the name of another unit, nor a malformed name, nor a
    prefix, nor a name a prefix would join into another unit's text ('iB': 'PiB' would
    silently read as peta-iB chips, 'r': 'yr' as yocto-r)."""
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[data_file(CHIP.replace('"AcmeX1"', f'"{unit}"', 1))])
    assert err.value.field == "unit"
    assert str(mc.parse("3 PiB")) == "3 PiB"
    assert mc.Q_(1, "yr").dimensionality == mc.Q_(1, "day").dimensionality


#: Well-formed chip symbols that no other test writes as a unit, prefixed or not: a
#: chip defined here stays defined for the whole session, and a chip 'PU' (or 'TPU')
#: would make another test's unknown unit 'TPU' read as tera-PU.
_SESSION_SYMBOLS = st.from_regex(ACCELERATOR_SYMBOL, fullmatch=True).map(lambda s: f"Hyp{s}"[:64])


@settings(max_examples=30)
@given(_SESSION_SYMBOLS)
def test_define_accelerator_is_idempotent_or_refuses(symbol: str) -> None:
    """Any well-formed symbol either becomes (or already is) a chip of its own, or is
    refused because it is another unit's name or reads as a number; defining it
    twice changes nothing, and a refusal leaves the units as they were. (Symbols
    that are units already are refused: test_new_unit_cannot_shadow_a_unit.)"""
    try:
        define_accelerator(symbol)
    except mc.UnitError as exc:
        assert symbol not in accelerator_units()
        for chip in accelerator_units():  # every chip still reads as itself
            assert str(mc.Q_(1, chip).dimensionality) == f"[accelerator_{chip}]"
        if "prefix" in str(exc) or "number" in str(exc):
            return  # a prefix, a name a prefix would join into another unit's text, NaN
        q = mc.Q_(1, symbol)
        assert not (
            len(q.dimensionality) == 1 and str(q.dimensionality) == f"[accelerator_{symbol}]"
        )
        return
    assert define_accelerator(symbol) is False
    assert str(mc.Q_(1, symbol).dimensionality) == f"[accelerator_{symbol}]"
    assert symbol in accelerator_units()
    for prefix in ("k", "M", "T", "Ki", "da"):  # a declared chip takes no prefix
        with pytest.raises(mc.UnitError, match="unknown unit"):
            mc.Estimate.exact(1, prefix + symbol)


@pytest.mark.parametrize("symbol", ["nan", "NaN", "NAN", "nAn"])
def test_a_chip_named_nan_is_refused_and_harms_nothing(symbol: str) -> None:
    """pint reads ``nan`` in any case as a number: such a chip is refused before it
    is defined, and the other units (and the list of chips) work as before."""
    with pytest.raises(mc.UnitError, match="reads as a number"):
        define_accelerator(symbol)
    assert "H100" in accelerator_units()
    assert symbol not in accelerator_units()
    assert str(mc.parse("3 H100")) == "3 H100"


def test_every_epoch_hardware_name_has_a_kind() -> None:
    """Each hardware name of Epoch's 2025 exports maps to a catalog or declared kind
    (no name is dropped, none declared on the fly)."""
    reg = mc.load_registry()
    names = {n for a in reg.accelerators for n in (a.name, *a.aliases)}
    from modelcompare.loader import normalize

    keys = {normalize(n) for n in names}
    missing = [n for n in EPOCH_HARDWARE if normalize(n) not in keys]
    assert missing == []
    by = {normalize(n): a for a in reg.accelerators for n in (*a.aliases, a.name)}
    assert by[normalize("NVIDIA A100 SXM4 40 GB")].id == "a100-sxm-40gb"
    assert by[normalize("NVIDIA A100 SXM4 80 GB")].id == "a100-sxm-80gb"
    assert by[normalize("NVIDIA A100 PCIe")].unit == "A100_PCIe"
    assert by[normalize("NVIDIA H100 SXM5 80GB")].unit == "H100"


#: Every distinct "Training hardware" name in Epoch's notable, all and large-scale
#: exports of 2025 (public copies; see tests/fixtures/epoch/README.md), and of 2026.
EPOCH_HARDWARE = """AMD Radeon Instinct MI250X|Amazon Trainium1|Cerebras CS-2|Google TPU v1
|Google TPU v2|Google TPU v3|Google TPU v4|Google TPU v5e|Google TPU v5p|Google TPU v6e
|Google TPU v6e Trillium
|Huawei Ascend 910|Huawei Ascend 910B|Intel Core 2 Quad Q9450|Intel Core i5-11600K
|Intel Pentium 4 2.40|Intel Pentium 4 HT 630|NVIDIA A10 PCIe|NVIDIA A100|NVIDIA A100 PCIe
|NVIDIA A100 SXM4 40 GB|NVIDIA A100 SXM4 80 GB|NVIDIA A10G|NVIDIA A40 PCIe|NVIDIA A800
|NVIDIA A800 PCIe 40 GB|NVIDIA A800 SXM|NVIDIA GTX Titan Black|NVIDIA GeForce GTX 1080
|NVIDIA GeForce GTX 1080 Ti|NVIDIA GeForce GTX 280|NVIDIA GeForce GTX 285|NVIDIA GeForce GTX 480
|NVIDIA GeForce GTX 580|NVIDIA GeForce GTX 590|NVIDIA GeForce GTX 780|NVIDIA GeForce GTX 980
|NVIDIA GeForce GTX TITAN|NVIDIA GeForce GTX TITAN X|NVIDIA GeForce RTX 2080 Ti
|NVIDIA GeForce RTX 2080 Ti 11GB|NVIDIA GeForce RTX 3060|NVIDIA GeForce RTX 3080
|NVIDIA GeForce RTX 3090|NVIDIA GeForce RTX 3090 Ti|NVIDIA GeForce RTX 4060 Ti
|NVIDIA GeForce RTX 4090|NVIDIA H100 SXM5 80GB|NVIDIA H800 SXM5|NVIDIA M40|NVIDIA P100
|NVIDIA P40|NVIDIA Quadro GP100|NVIDIA Quadro K4000|NVIDIA Quadro K6000|NVIDIA Quadro P600
|NVIDIA Quadro RTX 4000|NVIDIA Quadro RTX 5000|NVIDIA Quadro RTX 6000|NVIDIA Quadro RTX 8000
|NVIDIA RTX A1000|NVIDIA RTX A5000|NVIDIA RTX A6000|NVIDIA TITAN Xp|NVIDIA Tesla C2075
|NVIDIA Tesla K20X|NVIDIA Tesla K20c|NVIDIA Tesla K20m|NVIDIA Tesla K40c|NVIDIA Tesla K40m
|NVIDIA Tesla K40s|NVIDIA Tesla K40t|NVIDIA Tesla K80|NVIDIA Tesla P100 PCIe 16GB
|NVIDIA Tesla V100 DGXS 16 GB|NVIDIA Tesla V100 DGXS 32 GB|NVIDIA Tesla V100 PCIe 16 GB
|NVIDIA Tesla V100 PCIe 32 GB|NVIDIA Tesla V100 SXM2|NVIDIA Tesla V100S PCIe 32 GB|NVIDIA Titan V
|NVIDIA V100|NVIDIA GB200|NVIDIA GB300 (Blackwell Ultra)|NVIDIA B300 (Blackwell Ultra)
|Huawei Ascend 910C""".replace("\n", "").split("|")


def test_catalog_chips_with_sourced_specs() -> None:
    """TPU v4, TPU v5p and MI300X are catalog kinds with quoted specs; a TPU has no
    tdp (Google gives measured power only), so its derived power is not invented."""
    reg = mc.load_registry()
    v4, v5p, mi = reg.accelerator("TPUv4"), reg.accelerator("TPUv5p"), reg.accelerator("MI300X")
    assert str(v4.spec("bf16_dense").value) == "275 TFLOP/s"  # type: ignore[union-attr]
    assert v4.spec("tdp") is None
    assert str(v5p.spec("bf16_dense").value) == "459 TFLOP/s"  # type: ignore[union-attr]
    assert str(mi.spec("tdp").value) == "750 W"  # type: ignore[union-attr]
    assert v4.form_factor == "chip"
    assert reg.validate() == []


def test_gemini_ultra_peak_from_tpu_v4() -> None:
    """Epoch's 57,000 TPU v4 for Gemini 1.0 Ultra give a derived peak of 57,000 × 275
    TFLOP/s, per chip, and no derived power (no tdp) beside Epoch's stated draw."""
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "epoch" / "notable_ai_models.csv"
    reg = mc.load_registry(paths=[path])
    m = reg["Gemini 1.0 Ultra"]
    (peak,) = m.claims("training_peak_compute")
    assert peak.value.nominal.to("FLOP/s").magnitude == pytest.approx(57000 * 275e12)  # type: ignore[union-attr]
    assert "per chip" in (peak.note or "")
    assert [c.status for c in m.claims("training_power")] == [mc.Status.REPORTED]


def _pint_reads(text: str) -> bool:
    """Whether pint's own parser reads ``text`` as a unit (the oracle of ``_reads_as``)."""
    try:
        mc.ureg.parse_units(text)
    except Exception:
        return False
    return True


_NAMES = sorted(mc.ureg._units) + sorted(set(mc.ureg._prefixes) - {""})


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from(_NAMES) | st.sampled_from(["s", "i", "B", "X", "1", "_"]), max_size=4)
    .map("".join)
    .filter(lambda t: bool(ACCELERATOR_SYMBOL.match(t)))
)
@example("H100s")  # a plural
@example("PiB")  # a prefix and a symbol
@example("kH100")
@example("Hs")  # a one-letter name takes no plural s
@example("iB")
def test_prefix_split_agrees_with_pint(text: str) -> None:
    """The set-lookup split the chip check uses reads a word as a unit exactly when
    pint's parser does (words built from units, prefixes and a plural s)."""
    from modelcompare.units import _reads_as

    assert (_reads_as(text) is not None) == _pint_reads(text)


@settings(max_examples=50)
@given(st.from_regex(ACCELERATOR_SYMBOL, fullmatch=True))
def test_chip_definition_is_what_pint_parses(symbol: str) -> None:
    """The definition a declared chip gets is the one pint's parser makes of its text."""
    from modelcompare.units import _chip_definition

    made = _chip_definition(symbol)
    parser = mc.ureg._def_parser
    text = f"accelerator_{symbol} = [accelerator_{symbol}] = {symbol}"
    (parsed,) = list(parser.iter_parsed_project(parser.parse_string(text)))
    for attr in ("name", "defined_symbol", "aliases", "converter", "reference"):
        assert getattr(made, attr) == getattr(parsed, attr)


@pytest.mark.parametrize("prefix", ["T", "k", "M", "G", "P", "Ki", "m", "da"])
def test_a_declared_chip_takes_no_prefix(data_file: Callable[[str], Path], prefix: str) -> None:
    """Declaring a chip gives no meaning to text that had none: with a chip 'Zpu'
    declared, 'TZpu' is still an unknown unit (read with a prefix it would be
    10¹² Zpu, silently: a chip 'PU' made 'TPU' so), named with its file and line,
    while the chips of units.txt keep their prefixes (15 kH100 is 15,000 H100)."""
    text = CHIP.replace('unit = "AcmeX1"', 'unit = "Zpu"', 1).replace(
        'value = { exact = 512, unit = "AcmeX1" }',
        f'value = {{ exact = 5000, unit = "{prefix}Zpu" }}',
    )
    with pytest.raises(mc.DataFileError) as caught:
        mc.load_registry(paths=[data_file(text)])
    message = str(caught.value)
    assert f"unknown unit '{prefix}Zpu'" in message
    assert ".toml:" in message  # its file and line
    assert str(mc.Estimate.exact(1, "Zpu")) == "1 Zpu"
    assert str(mc.Estimate.exact(15, "kH100")) == "15,000 H100"
    with pytest.raises(mc.UnitError, match="unknown unit"):
        mc.Estimate.exact(1, f"{prefix}Zpu")
