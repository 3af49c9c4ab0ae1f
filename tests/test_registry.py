"""The registry: lookups, claims, reconciliation, conflicts, and the built-in data."""

from __future__ import annotations

import pickle
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from conftest import ROOT
from modelcompare.loader import normalize

WriteFile = Callable[..., Path]


# -- lookups ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["MAI-1-preview", "mai-1-preview", "mai 1 preview", "MAI_1_PREVIEW", " Mai-1-Preview "]
)
def test_lookup_is_forgiving(reg: mc.Registry, name: str) -> None:
    """Case, spaces and punctuation do not matter."""
    assert reg[name].id == "mai-1-preview"


def test_lookup_by_alias(reg: mc.Registry) -> None:
    """Aliases find their model: 001's mistranslation AMI-1 is MAI-1."""
    assert reg["AMI-1"].name == "MAI-1"


def test_get_returns_default(reg: mc.Registry) -> None:
    """get() returns None (or the default) for an unknown name."""
    assert reg.get("nope") is None
    assert reg.get("nope", reg["GPT-4"]) is reg["GPT-4"]
    assert "GPT-4" in reg
    assert "nope" not in reg


def test_unknown_model_suggests(reg: mc.Registry) -> None:
    """A typo raises UnknownModelError, a KeyError whose message suggests the model."""
    with pytest.raises(mc.UnknownModelError) as info:
        reg["MAI-1-preveiw"]
    err = info.value
    assert isinstance(err, KeyError)
    assert isinstance(err, LookupError)
    assert str(err) == "no model named 'MAI-1-preveiw'; did you mean 'MAI-1-preview'?"
    assert err.suggestions[0] == "MAI-1-preview"
    assert str(pickle.loads(pickle.dumps(err))) == str(err)


def test_unknown_model_without_suggestion(reg: mc.Registry) -> None:
    """Nothing close: the message says so plainly."""
    with pytest.raises(mc.UnknownModelError, match=r"^no model named 'zzzzzzzz'$"):
        reg["zzzzzzzz"]


@given(st.text(max_size=30))
def test_lookup_never_raises_anything_else(name: str) -> None:
    """Any text either finds the model one of whose names it spells (case, spaces and
    punctuation aside), or raises UnknownModelError suggesting real model names."""
    from modelcompare.loader import normalize

    reg = mc.load_registry()
    key = normalize(name)
    if key in {normalize(x) for m in reg for x in (m.id, m.name, *m.aliases)}:
        found = reg[name]
        assert reg.get(name) is found
        assert key in {normalize(x) for x in (found.id, found.name, *found.aliases)}
        return
    with pytest.raises(mc.UnknownModelError) as info:
        reg[name]
    assert reg.get(name) is None
    assert info.value.name == name
    assert set(info.value.suggestions) <= {m.name for m in reg}


def test_iteration_and_len(reg: mc.Registry) -> None:
    """Iterating gives every model once; len counts them."""
    models = list(reg)
    assert len(models) == len(reg) >= 20
    assert len({m.id for m in models}) == len(models)


REQUIRED_MODELS = [
    "MAI-1",
    "MAI-1-preview",
    "MAI-Voice-1",
    "GPT-4",
    "GPT-3.5",
    "Phi-3-mini",
    "Phi-3-small",
    "Phi-3-medium",
    "Llama 3",
    "Grok",
    "Mixtral 8x7B",
    "Mistral Large",
    "Mistral Small",
    "Claude 3",
    "Gemini Ultra",
    "Meta 70B model",
    "Mistral 70B model",
]


@pytest.mark.parametrize("name", REQUIRED_MODELS)
def test_every_model_of_the_articles_is_there(reg: mc.Registry, name: str) -> None:
    """The models the articles name are in the registry, each with a source."""
    model = reg[name]
    assert model.sources


# -- claims and values -----------------------------------------------------------------------
def test_conflicting_claims_are_kept_side_by_side(reg: mc.Registry) -> None:
    """MAI-1's three parameter claims (>500 B, 500 B, ≈500 B) are all kept."""
    claims = reg["MAI-1"].claims("parameters")
    assert sorted(str(c.value) for c in claims) == [
        "500 B parameters",
        "≈500 B parameters",
        "≥500 B parameters",
    ]
    assert {c.status for c in claims} == {mc.Status.RUMORED, mc.Status.REPORTED}


def test_value_is_the_intersection(reg: mc.Registry) -> None:
    """GPT-4: 1.76 T and >1,000 B agree on 1.76 T; MAI-1's claims on 500 B."""
    assert str(reg["GPT-4"].value("parameters")) == "1.76 T parameters"
    assert str(reg["MAI-1"].value("parameters")) == "500 B parameters"
    assert str(reg["GPT-4"].value("active_parameters")) == "≈280 B parameters"


def test_value_of_missing_field_is_none(reg: mc.Registry) -> None:
    """A field with no claim has no value."""
    assert reg["Claude 3"].value("parameters") is None


def test_unknown_field_suggests(reg: mc.Registry) -> None:
    """A misspelt field raises UnknownFieldError with the right name."""
    with pytest.raises(mc.UnknownFieldError, match="did you mean 'parameters'"):
        reg["GPT-4"].value("paramters")


def test_accelerators_of_several_kinds(reg: mc.Registry) -> None:
    """MAI-1-preview has an H100 count and an uncounted GB200 cluster; value() gives the count."""
    claims = reg["MAI-1-preview"].claims("training_accelerators")
    assert {str(c.value) for c in claims} == {"≈15,000 H100", "? GB200"}
    assert str(reg["MAI-1-preview"].value("training_accelerators")) == "≈15,000 H100"
    assert str(reg["MAI-1-preview"].value("training_accelerators", unit="GB200")) == "? GB200"


def test_each_claim_carries_source_and_quote(reg: mc.Registry) -> None:
    """A claim's citation leads to the seed file and the verbatim quote."""
    (claim,) = list(reg["Grok"].claims("training_accelerators"))
    cite = claim.citations[0]
    assert cite.source.path == "seeds/004_0207edb4e130b79e.txt"
    assert cite.quote in cite.source.text()
    assert claim.status is mc.Status.REPORTED


def test_rank_is_ordinal(reg: mc.Registry) -> None:
    """The LMArena rank is a Rank, shown #13, not a quantity."""
    rank = reg["MAI-1-preview"].value("lmarena_text_rank")
    assert rank == mc.Rank(13)
    assert str(rank) == "#13"


def test_architecture(reg: mc.Registry) -> None:
    """GPT-4 is a mixture of experts by two sources; MAI-1's architecture is unknown."""
    assert reg["GPT-4"].architecture == "moe"
    assert reg["MAI-1"].architecture is None


def test_ratio(reg: mc.Registry) -> None:
    """Grok used at least ~6.5× the H100s of MAI-1-preview, with no upper bound."""
    r = mc.ratio("Grok", "MAI-1-preview", "training_accelerators")
    assert r.bound is mc.Bound.AT_LEAST
    assert r.high is None
    assert r.low is not None
    assert r.low.magnitude == pytest.approx(100000 / 15500)
    assert str(r) == "≥6.45"


def test_ratio_of_different_chips_is_refused(data_file: WriteFile) -> None:
    """H100s over GB200s is a UnitError that points at H100-equivalents."""
    text = """
[[model]]
id = "gb-model"
name = "GB model"
organization = "X"
mentions = [{ source = "seed-003", quote = "puces NVIDIA GB200" }]

[[claim]]
model = "gb-model"
field = "training_accelerators"
value = { exact = 100, unit = "GB200" }
status = "rumored"
citations = [{ source = "seed-003", quote = "puces NVIDIA GB200" }]
"""
    reg = mc.load_registry(paths=[data_file(text)])
    with pytest.raises(mc.UnitError, match="training_h100_equivalents"):
        reg.ratio("Grok", "GB model", "training_accelerators")


def test_ratio_without_figure(reg: mc.Registry) -> None:
    """A ratio with a model that has no figure raises NoValueError naming the model."""
    with pytest.raises(
        mc.NoValueError, match=r"^Claude 3 has no figure for 'training_accelerators'$"
    ):
        mc.ratio("Claude 3", "Grok", "training_accelerators")


def test_ratio_of_a_model_to_itself_is_one(reg: mc.Registry) -> None:
    """x / x is exactly 1, although interval arithmetic alone would give ≥0 for a lower bound."""
    assert reg.ratio("Grok", "grok", "training_accelerators") == mc.Estimate.exact(1)


def test_ratio_of_a_text_field_is_refused(reg: mc.Registry) -> None:
    """Text and rank fields have no ratio: NoValueError says which kind of field it is."""
    with pytest.raises(mc.NoValueError, match="no ratio of category field 'architecture'"):
        reg.ratio("GPT-4", "MAI-1", "architecture")


def test_value_in_a_unit(reg: mc.Registry) -> None:
    """value(unit=) converts; a unit of another dimension or no unit at all is a UnitError."""
    value = reg["GPT-4"].value("parameters", unit="Gparameter")
    assert isinstance(value, mc.Estimate)
    assert (value.nominal.magnitude, str(value.units)) == (pytest.approx(1760), "gigaparameter")
    with pytest.raises(mc.UnitError, match="'H100' is not a unit of 'parameters'"):
        reg["GPT-4"].value("parameters", unit="H100")
    with pytest.raises(mc.UnitError, match="unknown unit 'bogus'"):
        reg["GPT-4"].value("parameters", unit="bogus")


def test_field_names_must_be_text(reg: mc.Registry) -> None:
    """A field that is not a string is an UnknownFieldError, not an AttributeError."""
    with pytest.raises(mc.UnknownFieldError):
        reg["GPT-4"].value(5)  # type: ignore[arg-type]


def test_load_registry_takes_one_path_as_text(data_file: WriteFile) -> None:
    """load_registry(paths="file.toml") reads that file, not its characters."""
    path = data_file(CONTRADICTION)
    assert len(mc.load_registry(paths=str(path)).conflicts()) == 1


def test_validate_reports_a_source_that_is_not_utf8(data_file: WriteFile, tmp_path: Path) -> None:
    """A source text that is not UTF-8 is a validate() problem, not a UnicodeDecodeError."""
    (tmp_path / "latin1.txt").write_bytes("Acme a 70 milliards de paramètres".encode("latin-1"))
    path = data_file(
        """
[[source]]
id = "latin1"
title = "Latin-1"
path = "latin1.txt"
language = "fr"
external = true

[[claim]]
model = "grok"
field = "parameters"
value = { exact = 70, unit = "Gparameter" }
status = "rumored"
citations = [{ source = "latin1", quote = "70 milliards" }]
"""
    )
    (problem,) = mc.load_registry(paths=[path]).validate()
    assert "no readable UTF-8 text" in problem.message


def test_a_failed_derivation_is_not_cached_as_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """If deriving a field raises, a later call tries again instead of returning no claims."""
    import modelcompare.derived as derived

    reg = mc.load_registry(paths=[])
    reg = mc.Registry(list(reg), reg.sources, reg.accelerators)
    calls = []

    def boom(registry: mc.Registry, model: mc.Model, field: str) -> tuple[mc.Claim, ...]:
        calls.append(field)
        raise RuntimeError("boom")

    monkeypatch.setattr(derived, "derive", boom)
    for _ in range(2):
        with pytest.raises(RuntimeError):
            reg["Phi-3-mini"].claims("training_compute")
    assert calls == ["training_compute", "training_compute"]


# -- conflicts -------------------------------------------------------------------------------
CONTRADICTION = """
[[claim]]
model = "mai-1"
field = "parameters"
value = { exact = 300, unit = "Gparameter" }
status = "rumored"
citations = [{ source = "seed-000", quote = "MAI-1" }]
"""


def test_builtin_data_has_no_contradiction(reg: mc.Registry) -> None:
    """The seeds disagree, but no two built-in claims exclude each other."""
    assert reg.conflicts() == ()


def test_contradictions_are_listed_and_refused(data_file: WriteFile) -> None:
    """A claim of 300 B against >500 B is listed as a conflict, and value() refuses to merge."""
    reg = mc.load_registry(paths=[data_file(CONTRADICTION)])
    (conflict,) = reg.conflicts()
    assert conflict.model.name == "MAI-1"
    assert conflict.field == "parameters"
    assert len(conflict.pairs) == 3
    assert all("300 B" in str(a.value) or "300 B" in str(b.value) for a, b in conflict.pairs)
    with pytest.raises(mc.ConflictError, match=r"MAI-1: the claims on 'parameters' contradict"):
        reg["MAI-1"].value("parameters")
    assert "300 B parameters vs" in str(conflict) or "vs 300 B parameters" in str(conflict)


# -- validation of the built-in data ---------------------------------------------------------
def test_builtin_data_validates(reg: mc.Registry) -> None:
    """Every quote stands verbatim in its source, every value has its field's dimension."""
    assert reg.validate() == []


def test_validate_finds_a_quote_not_in_the_source(data_file: WriteFile) -> None:
    """A quote that is not in the source is reported with the record and the field."""
    text = CONTRADICTION.replace('quote = "MAI-1"', 'quote = "MAI-1 a 300 milliards"').replace(
        "300", "600", 1
    )
    reg = mc.load_registry(paths=[data_file(text)])
    (problem,) = reg.validate()
    assert problem.field == "citations"
    assert "MAI-1 a 300 milliards" in problem.message
    assert problem.record == "claim #1 (mai-1, parameters)"


def test_every_claim_has_a_citation_and_a_date(reg: mc.Registry) -> None:
    """Every stated claim cites at least one source; every source with a date has a basis."""
    for claim in reg.claims():
        if claim.status is not mc.Status.DERIVED:
            assert claim.citations, claim
    for source in reg.sources.values():
        if source.date is not None and not source.external:
            assert source.date_basis in ("stated", "inferred")


def test_names_are_unique_after_normalisation(reg: mc.Registry) -> None:
    """No two models share an id, name or alias once case and punctuation are dropped."""
    seen: dict[str, str] = {}
    for m in reg:
        for label in {normalize(x) for x in (m.id, m.name, *m.aliases)}:
            assert seen.setdefault(label, m.id) == m.id


def test_seeds_are_verbatim() -> None:
    """seeds/ holds the five articles byte for byte, and the index lists each one."""
    shared = ROOT.parent / "shared" / "seeds"
    ours = sorted((ROOT / "seeds").glob("*.txt"))
    assert len(ours) == 5
    if shared.is_dir():
        for path in ours:
            assert path.read_bytes() == (shared / path.name).read_bytes()
    index = tomllib.loads((ROOT / "seeds" / "index.toml").read_text(encoding="utf-8"))
    assert sorted(s["path"] for s in index["source"]) == [f"seeds/{p.name}" for p in ours]
    assert {s["language"] for s in index["source"]} == {"fr"}


def test_seed_dates(reg: mc.Registry) -> None:
    """Two seeds state 2024-05; the others' dates are inferred, with the evidence noted."""
    dates = {s.id: (str(s.date), s.date_basis) for s in reg.sources.values() if not s.external}
    assert dates["seed-000"] == ("2024-05", "stated")
    assert dates["seed-002"] == ("2024-05", "stated")
    for sid in ("seed-001", "seed-003", "seed-004"):
        assert dates[sid][1] == "inferred"
        assert reg.source(sid).date_note


def test_partial_dates() -> None:
    """Dates to the year, month or day parse, print and order; impossible ones are refused."""
    assert str(mc.PartialDate.parse("2024-05")) == "2024-05"
    assert mc.PartialDate.parse("2024") < mc.PartialDate.parse("2024-05")
    for bad in ("2024-13", "2024-02-30", "24-05", "May 2024"):
        with pytest.raises(ValueError, match=r"date|month|out of range"):
            mc.PartialDate.parse(bad)


def test_issue_api_example(reg: mc.Registry) -> None:
    """The public API of the core issue works as written there."""
    m = reg["MAI-1-preview"]
    assert (m.id, m.name, m.organization) == ("mai-1-preview", "MAI-1-preview", "Microsoft")
    assert isinstance(m.aliases, tuple)
    (claim, *_) = m.claims("training_accelerators")
    assert isinstance(claim.value, mc.Estimate)
    assert claim.citations[0].source.path.startswith("seeds/")
    assert all(isinstance(c, mc.Claim) for c in m.claims())


def _accelerator_by_scan(reg: mc.Registry, name: str) -> mc.Accelerator | None:
    """What Registry.accelerator finds, by reading the catalog in order (the oracle)."""
    key = normalize(name)
    for a in reg.accelerators:
        if normalize(a.id) == key or normalize(a.name) == key:
            return a
    units = [a for a in reg.accelerators if normalize(a.unit) == key]
    return next((a for a in units if a.default), units[0]) if units else None


@settings(max_examples=200)
@given(st.data())
def test_an_accelerator_is_found_as_a_scan_of_the_catalog_finds_it(data: st.DataObject) -> None:
    """The catalog's index gives, for any id, name or unit (however written) and any
    other text, the entry a scan of the catalog in order gives, or the same error."""
    reg = mc.load_registry()
    known = [x for a in reg.accelerators for x in (a.id, a.name, a.unit, *a.aliases)]
    name = data.draw(
        st.one_of(
            st.sampled_from(known),
            st.sampled_from(known).map(lambda x: x.upper().replace("-", " ")),
            st.text(max_size=12),
        )
    )
    expected = _accelerator_by_scan(reg, name)
    if expected is None:
        with pytest.raises(mc.UnknownFieldError):
            reg.accelerator(name)
    else:
        assert reg.accelerator(name) is expected


def test_a_name_that_begins_another_suggests_it(data_file: Callable[[str], Path]) -> None:
    """A name typed without its parenthesis (Epoch AI's ``ERNIE 4.5 (文心大模型4.5)``)
    is suggested first, before names spelled alike."""
    text = "".join(
        f'[[model]]\nid = "{i}"\nname = "{name}"\norganization = "Baidu"\n\n'
        for i, name in (
            ("e40", "ERNIE 4.0"),
            ("e45", "ERNIE 4.5 (文心大模型4.5)"),
            ("e35", "ERNIE 3.5"),
        )
    )
    reg = mc.load_registry(paths=[data_file(text)], builtin=False)
    with pytest.raises(mc.UnknownModelError) as info:
        reg["ERNIE 4.5"]
    assert info.value.suggestions[0] == "ERNIE 4.5 (文心大模型4.5)"
    assert "ERNIE 4.5 (文心大模型4.5)" not in reg.suggest("ER")  # too short to be a beginning


def test_an_ambiguous_name_is_a_key_error_that_pickles() -> None:
    """Two models named alike (a name each has exactly, and one neither has): the
    exact one is found, the other raises AmbiguousModelError, a KeyError naming
    both ids, from ``get`` as from ``[]``; ``in`` is true; it pickles."""
    src = mc.Source(id="s", title="t", language="en", url="https://a.example")
    reg = mc.Registry(
        [
            mc.Model(id="calm", name="CALM", organization="NVIDIA"),
            mc.Model(id="calm-line-9", name="CaLM", organization="Oxford"),
        ],
        {"s": src},
    )
    assert reg["CaLM"].organization == "Oxford"
    assert reg["CALM"].organization == "NVIDIA"
    assert reg["calm-line-9"].name == "CaLM"
    for lookup in (reg.__getitem__, reg.get):
        with pytest.raises(mc.AmbiguousModelError) as info:
            lookup("Calm")
    err = info.value
    assert isinstance(err, KeyError)
    assert str(err) == (
        "'Calm' names 2 models: 'calm' (CALM, NVIDIA) and 'calm-line-9' (CaLM, Oxford); "
        "name one by its id"
    )
    assert str(pickle.loads(pickle.dumps(err))) == str(err)
    assert "Calm" in reg
    assert "nope" not in reg
