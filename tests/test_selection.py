"""Choosing, sorting and finding models: Registry.select, sort_models, search."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.selection import search, select, sort_models
from modelcompare.testing import KNOWN_KINDS, estimates

SOURCE = mc.Source(id="s", title="Source", language="en", path="s.txt")


def model(
    i: int,
    *values: mc.ClaimValue,
    field: str = "parameters",
    org: str = "Org",
    family: str | None = None,
    note: str | None = None,
    name: str | None = None,
) -> mc.Model:
    """A model ``m<i>`` with one claim on ``field`` per value."""
    claims = tuple(
        mc.Claim(f"m{i}", field, v, mc.Status.REPORTED, (mc.Citation(SOURCE, "q"),)) for v in values
    )
    return mc.Model(
        id=f"m{i}",
        name=name or f"Model {i}",
        organization=org,
        family=family,
        note=note,
        stated_claims=claims,
    )


def names(models: tuple[mc.Model, ...]) -> list[str]:
    return [m.name for m in models]


# -- select -----------------------------------------------------------------------------------
def test_select_by_organization_any_spelling(reg: mc.Registry) -> None:
    """organization matches as lookups do: case, spaces and punctuation do not matter."""
    micro = reg.select(organization="MICRO soft")
    assert micro == reg.select(organization="Microsoft")
    assert micro
    assert all(m.organization == "Microsoft" for m in micro)
    assert [m for m in reg if m.organization == "Microsoft"] == list(micro)


def test_select_filters_combine_with_and_values_with_or(reg: mc.Registry) -> None:
    """Filters combine with 'and'; several values of one filter with 'or'."""
    both = reg.select(organization=["Microsoft", "xAI"])
    assert {m.organization for m in both} == {"Microsoft", "xAI"}
    phi_mmlu = reg.select(organization="Microsoft", family="phi", has="mmlu")
    assert names(phi_mmlu) == ["Phi-3-mini", "Phi-3-small", "Phi-3-medium"]
    assert reg.select(organization="xAI", has="mmlu") == ()


def test_select_by_modality_and_status(reg: mc.Registry) -> None:
    """modality and status match the model's."""
    assert names(reg.select(modality="speech")) == ["MAI-Voice-1"]
    planned = reg.select(status="planned")
    assert planned
    assert all(m.status is mc.ModelStatus.PLANNED for m in planned)
    assert reg.select(modality="image") == ()  # a valid modality no model has


def test_select_has_counts_derived_and_unknown_counts(reg: mc.Registry) -> None:
    """has= takes derived claims and a count naming only the chip as claims."""
    assert "MAI-1" in names(reg.select(has="weights_memory"))  # derived from parameters
    assert names(reg.select(has="training_accelerators")) == ["MAI-1-preview", "Grok"]
    both = reg.select(has=["parameters", "mmlu"])
    assert names(both) == ["Phi-3-mini", "Phi-3-small", "Phi-3-medium"]


def test_select_where_and_among(reg: mc.Registry) -> None:
    """where= is any test; among= starts from the named models, in their order."""
    got = reg.select(among=["Grok", "GPT-4", "MAI-1"], where=lambda m: m.organization != "xAI")
    assert names(got) == ["GPT-4", "MAI-1"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"organization": "Microsft"},
            "no organization named 'Microsft'; did you mean 'Microsoft'",
        ),
        ({"family": "Phy"}, "no family named 'Phy'; did you mean 'Phi'"),
        ({"status": "relased"}, "no status named 'relased'; did you mean 'released'"),
        ({"modality": "speach"}, "no modality named 'speach'; did you mean 'speech'"),
        ({"has": "paramters"}, "no field named 'paramters'; did you mean 'parameters'"),
        ({"sort": "paramters"}, "no field named 'paramters'; did you mean 'parameters'"),
        ({"sort": "anounced"}, "no field named 'anounced'; did you mean 'announced'"),
    ],
)
def test_select_unknown_names_suggest(
    reg: mc.Registry, kwargs: dict[str, str], message: str
) -> None:
    """A value no model has, or a name that is no field: UnknownFieldError, with a suggestion."""
    with pytest.raises(mc.UnknownFieldError) as info:
        reg.select(**kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith(message)
    assert isinstance(info.value, KeyError)


@pytest.mark.parametrize("limit", [0, -1, True, 1.5, "2"])
def test_select_bad_limit(reg: mc.Registry, limit: object) -> None:
    """limit must be a whole number ≥ 1."""
    with pytest.raises(mc.InvalidValueError, match="limit must be a whole number"):
        reg.select(limit=limit)  # type: ignore[arg-type]


def test_select_descending_needs_sort(reg: mc.Registry) -> None:
    """descending without sort is an error, not ignored."""
    with pytest.raises(mc.InvalidValueError, match="descending needs sort"):
        reg.select(descending=True)


def test_select_limit_after_sort(reg: mc.Registry) -> None:
    """limit keeps the first N after sorting."""
    top = reg.select(sort="parameters", descending=True, limit=2)
    assert names(top) == ["GPT-4", "MAI-1"]


@settings(max_examples=40)
@given(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=8), st.data())
def test_select_is_the_filtered_subsequence(orgs: list[str], data: st.DataObject) -> None:
    """select keeps exactly the models that pass, in their order."""
    pool = [model(i, org=o) for i, o in enumerate(orgs)]
    wanted = data.draw(st.lists(st.sampled_from(sorted(set(orgs))), min_size=1, max_size=2))
    got = select(pool, organization=wanted)
    assert list(got) == [m for m in pool if m.organization in wanted]


# -- sorting -----------------------------------------------------------------------------------
def test_sort_bounds_by_nominal() -> None:
    """≥100,000 sorts as 100,000 beside ≈15,000; at one nominal, by low end then high end."""
    pool = [
        model(0, mc.Estimate.at_least(100_000, "H100"), field="training_accelerators"),
        model(1, mc.Estimate.about(15_000, "H100"), field="training_accelerators"),
        model(2, mc.Estimate.at_least(15_000, "H100"), field="training_accelerators"),
        model(3, mc.Estimate.unknown("H100"), field="training_accelerators"),
        model(4),
        model(5, mc.Estimate.at_most(20, "kH100"), field="training_accelerators"),
    ]
    up = sort_models(pool, "training_accelerators")
    assert [m.id for m in up] == ["m1", "m2", "m5", "m0", "m3", "m4"]
    down = sort_models(pool, "training_accelerators", descending=True)
    assert [m.id for m in down] == ["m0", "m5", "m2", "m1", "m3", "m4"]


def test_sort_equal_nominals_by_low_then_high_ties_stable() -> None:
    """At one nominal figure: ≤, ≈, exact, ≥ ascending; identical values keep their order."""
    e = mc.Estimate
    values = [e.at_least(15, "Gparameter"), e.exact(15, "Gparameter"), e.about(15, "Gparameter")]
    values += [e.at_most(15_000, "Mparameter"), e.exact(0.015, "Tparameter")]
    pool = [model(i, v) for i, v in enumerate(values)]
    assert [m.id for m in sort_models(pool, "parameters")] == ["m3", "m2", "m1", "m4", "m0"]
    down = sort_models(pool, "parameters", descending=True)
    assert [m.id for m in down] == ["m0", "m1", "m4", "m2", "m3"]


def test_sort_builtin_training_accelerators(reg: mc.Registry) -> None:
    """The issue's case: Grok's ≥100,000 H100 above MAI-1-preview's ≈15,000 descending."""
    got = reg.select(has="training_accelerators", sort="training_accelerators", descending=True)
    assert names(got) == ["Grok", "MAI-1-preview"]


def test_sort_converts_prefixes() -> None:
    """Values in different prefixes of one unit sort by their size, not their digits."""
    pool = [
        model(0, mc.Estimate.exact(2, "Tparameter")),
        model(1, mc.Estimate.exact(500, "Gparameter")),
        model(2, mc.Estimate.exact(900, "Mparameter")),
    ]
    assert [m.id for m in sort_models(pool, "parameters")] == ["m2", "m1", "m0"]


def test_sort_conflict_sorts_last() -> None:
    """Claims that contradict each other have no value to sort by: last."""
    pool = [
        model(0, mc.Estimate.exact(1, "Gparameter"), mc.Estimate.exact(5, "Gparameter")),
        model(1, mc.Estimate.exact(3, "Gparameter")),
    ]
    assert [m.id for m in sort_models(pool, "parameters", descending=True)] == ["m1", "m0"]


def test_sort_different_chips_is_an_error() -> None:
    """Counts of different chips do not sort against each other: UnitError, with a hint."""
    pool = [
        model(0, mc.Estimate.exact(10, "H100"), field="training_accelerators"),
        model(1, mc.Estimate.exact(10, "GB200"), field="training_accelerators"),
    ]
    with pytest.raises(mc.UnitError, match="training_h100_equivalents"):
        sort_models(pool, "training_accelerators")


def test_sort_rank_text_and_model_facts(reg: mc.Registry) -> None:
    """A rank by position, text alphabetically, name/announced by the model's facts."""
    ranks = [
        model(0, mc.Rank(3), field="lmarena_text_rank"),
        model(1, mc.Rank(1), field="lmarena_text_rank"),
        model(2),
    ]
    assert [m.id for m in sort_models(ranks, "lmarena_text_rank")] == ["m1", "m0", "m2"]
    arch = [model(0, "moe", field="architecture"), model(1, "dense", field="architecture")]
    assert [m.id for m in sort_models(arch, "architecture")] == ["m1", "m0"]
    by_name = sort_models(reg, "name")
    assert names(by_name) == sorted(names(by_name), key=str.casefold)
    dated = sort_models(reg, "announced")
    dates = [m.announced for m in dated if m.announced is not None]
    assert dates == sorted(dates)
    assert all(m.announced is None for m in dated[len(dates) :])


@settings(max_examples=60)
@given(
    st.lists(
        st.one_of(
            st.none(),
            estimates(unit="Gparameter", kinds=KNOWN_KINDS),
            estimates(unit="Tparameter", kinds=KNOWN_KINDS),
        ),
        min_size=0,
        max_size=8,
    ),
    st.booleans(),
)
def test_sort_properties(values: list[mc.Estimate | None], descending: bool) -> None:
    """Sorted by nominal (in either direction), stable on ties, missing last in order."""
    pool = [model(i, *(() if v is None else (v,))) for i, v in enumerate(values)]
    got = sort_models(pool, "parameters", descending=descending)
    assert sorted(m.id for m in got) == sorted(m.id for m in pool)  # a permutation
    nominal = {
        m.id: (None if v is None else v.interval("parameter")[1])
        for m, v in zip(pool, values, strict=True)
    }
    keys = [nominal[m.id] for m in got]
    present = [k for k in keys if k is not None]
    assert keys[: len(present)] == present  # every missing one after every present one
    assert present == sorted(present, reverse=descending)
    order = {m.id: i for i, m in enumerate(pool)}
    full = {m.id: (None if v is None else v.sort_key()) for m, v in zip(pool, values, strict=True)}
    for a, b in itertools.pairwise(got):
        ka, kb = full[a.id], full[b.id]
        if ka is not None and kb is not None and ka != kb:  # low, then high, break equal nominals
            assert (ka < kb) if not descending else (ka > kb)
        if ka == kb:  # ties (and missing ones) keep the input order
            assert order[a.id] < order[b.id]
    assert all(math.isfinite(k) for k in present)


# -- search -----------------------------------------------------------------------------------
def test_search_ranks_name_before_organization_before_note(reg: mc.Registry) -> None:
    """Best matches first: the name, then the organization, then the note."""
    found = names(reg.search("microsoft"))
    microsoft = [m.name for m in reg if m.organization == "Microsoft"]
    assert found[: len(microsoft)] == microsoft
    assert "Mistral Large" in found[len(microsoft) :]  # its note: "adopted by Microsoft"
    assert names(reg.search("mai 1 preview"))[0] == "MAI-1-preview"
    assert names(reg.search("AMI-1")) == ["MAI-1"]  # an alias
    assert names(reg.search("phone")) == ["Phi-3-mini"]  # only in a note


def test_search_several_words_each_anywhere(reg: mc.Registry) -> None:
    """Several words each appear somewhere (name, organization or note)."""
    assert names(reg.search("xai grok")) == ["Grok"]
    assert reg.search("grok zzzz") == ()


def test_search_needs_a_letter() -> None:
    """Text with no letter or digit is an error, not 'everything'."""
    with pytest.raises(mc.InvalidValueError, match="search needs text"):
        search([], " -- ")


@settings(max_examples=40)
@given(st.text(alphabet="abcxyz -", min_size=1, max_size=6))
def test_search_results_contain_every_word(text: str) -> None:
    """Every result holds every word of the query (normalised), in order of rank."""
    from modelcompare.loader import normalize

    pool = [
        model(0, name="abc"),
        model(1, name="Other", org="xyz lab"),
        model(2, name="Third", note="about abc and xyz"),
    ]
    if not normalize(text):
        with pytest.raises(mc.InvalidValueError):
            search(pool, text)
        return
    for m in search(pool, text):
        hay = [normalize(x) for x in (m.name, m.id, m.organization, m.note or "")]
        assert normalize(text) in "".join(hay) or all(
            any(normalize(w) in h for h in hay) for w in text.split() if normalize(w)
        )
