"""The built-in data says what its sources say: statuses read from the sentence,
no duplicate claims, notes that rest on the sources (issue 12)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.cli import EXIT_OK, main
from modelcompare.comparison import Comparison, Flag
from modelcompare.testing import hostile_text
from test_render_hostile import (
    latex_normalized,
    latex_prints,
    lines_normalized,
    neutralised,
    read_csv,
    read_html,
    read_markdown,
)


def show(capsys: pytest.CaptureFixture[str], name: str) -> list[str]:
    """The lines `modelcompare show NAME` prints."""
    assert main(["show", name]) == EXIT_OK
    return capsys.readouterr().out.splitlines()


def block(lines: list[str], field: str) -> list[str]:
    """The lines of one field's section of `show` (up to the next blank line)."""
    start = lines.index(next(x for x in lines if x.startswith(f"{field}: ")))
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


# -- statuses ---------------------------------------------------------------------------------
def test_show_llama_3_gives_its_400_b_as_rumored(capsys: pytest.CaptureFixture[str]) -> None:
    """« devrait avoir 400 milliards » is a conditional: `show Llama-3` says rumored,
    and the model itself stays planned."""
    lines = show(capsys, "Llama-3")
    assert lines[1].startswith("  status planned ·")
    assert block(lines, "parameters") == [
        "parameters: 400 B parameters",
        "  400 B parameters   rumored, as of 2024-05",
        "    note: « devrait avoir » is a conditional: the size is what the model is expected "
        "to have, not a fact stated, so the claim is rumoured (the model's own status, planned, "
        "rests on « prévu par Meta »).",
        "    [seed-001] «Le modèle Llama 3 prévu par Meta devrait avoir 400 milliards de "
        "paramètres.»",
        "        Selon un rapport de The Information, Microsoft travaille sur un LLM à paramètre "
        "500B appelé MAI-1 qui pourrait s'attaquer à GPT-4 et à Google. Gemini modèles — "
        "seeds/001_4022a1ddfa93b453.txt",
    ]


def test_show_mai_1_preview_sets_the_official_and_reported_h100_side_by_side(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """seed-003 attributes ≈15,000 H100 to Microsoft, seed-004 only states it: two claims,
    official and reported, shown one after the other and said to agree."""
    section = block(show(capsys, "MAI-1-preview"), "training_accelerators")
    assert section[:2] == [
        "training_accelerators: ≈15,000 H100",
        "  2 claims agree on ≈15,000 H100 (official, reported)",
    ]
    heads = [x for x in section if x.startswith("  ") and not x.startswith("    ")]
    assert heads[1:] == [
        "  ≈15,000 H100   official, as of 2025-08",
        "  ≈15,000 H100   reported, as of 2025-08",
        "  ? GB200   official, as of 2025-08",
    ]
    official = section.index(heads[1])
    reported = section.index(heads[2])
    assert any("[seed-003] «Microsoft a déclaré" in x for x in section[official:reported])
    assert any("[seed-004] «Quant à MAI-1-preview" in x for x in section[reported:])


def test_mai_1_preview_h100_claims_agree_but_keep_their_status(reg: mc.Registry) -> None:
    """The two H100 claims have the same value, each status cites its own article only."""
    h100 = [c for c in reg["MAI-1-preview"].stated_claims if str(c.value) == "≈15,000 H100"]
    assert [(c.status, [s.id for s in c.sources]) for c in h100] == [
        (mc.Status.OFFICIAL, ["seed-003"]),
        (mc.Status.REPORTED, ["seed-004"]),
    ]
    assert h100[0].value == h100[1].value
    assert str(reg["MAI-1-preview"].value("training_accelerators")) == "≈15,000 H100"


def test_one_sentence_one_rumour_for_gpt_4(reg: mc.Registry) -> None:
    """Every claim quoting seed-001's « Le modèle GPT-4 aurait 1,76 T … » sentence is rumored:
    the 1.76 T, the mixture of experts and the 280 B active."""
    from_sentence = [
        c
        for c in reg["GPT-4"].stated_claims
        if any(q.quote.startswith("Le modèle GPT-4 aurait") for q in c.citations)
    ]
    assert sorted(c.field for c in from_sentence) == [
        "active_parameters",
        "architecture",
        "parameters",
    ]
    assert {c.status for c in from_sentence} == {mc.Status.RUMORED}


def test_show_says_when_claims_differ_but_are_compatible(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """MAI-1's ≥500 B, 500 B and ≈500 B are compatible but not the same figure."""
    section = block(show(capsys, "MAI-1"), "parameters")
    assert section[1] == "  3 claims differ but are compatible (rumored, reported)"


# -- duplicates -------------------------------------------------------------------------------
def _identity(claim: mc.Claim) -> tuple[object, ...]:
    return (
        claim.subject,
        claim.field,
        claim.value,
        claim.status,
        tuple(sorted(s.id for s in claim.sources)),
    )


def test_no_two_builtin_claims_are_identical(reg: mc.Registry) -> None:
    """No two claims share model, field, value, status and sources (they would be one
    claim with two citations)."""
    counts = Counter(_identity(c) for m in reg for c in m.stated_claims)
    assert [k for k, n in counts.items() if n > 1] == []


def test_mai_1_500_b_from_seed_001_is_one_claim_with_two_citations(reg: mc.Registry) -> None:
    """The title's « LLM à paramètre 500B » and « Avec 500 milliards de paramètres » are
    two citations of one claim."""
    (claim,) = [
        c for c in reg["MAI-1"].claims("parameters") if [s.id for s in c.sources] == ["seed-001"]
    ]
    assert (str(claim.value), claim.status) == ("500 B parameters", mc.Status.REPORTED)
    assert [q.quote[:30] for q in claim.citations] == [
        "Selon un rapport de The Inform",
        "Avec 500 milliards de paramètr",
    ]


# -- notes say only what the sources say -------------------------------------------------------
_GUILLEMETS = re.compile(r"«\s*(.+?)\s*»")


def _fragments(note: str) -> list[str]:
    """The French text a note quotes between « », split where it elides (…)."""
    return [
        part.strip()
        for quoted in _GUILLEMETS.findall(note)
        for part in quoted.split("…")
        if part.strip()
    ]


def _folded(source: mc.Source) -> str:
    return " ".join(source.text().split())


def _notes(reg: mc.Registry) -> list[tuple[str, str, tuple[mc.Source, ...]]]:
    """Every note of the built-in data, with the sources it may quote: its record's own
    (for a claim, its model's too), and the outside ones it cites."""
    out = []
    for m in reg:
        own = (*m.sources, *(c.source for c in m.outside))
        for text in (m.note, m.announced_note):
            if text:
                out.append((f"model {m.id}", text, own))
        for c in m.stated_claims:
            if c.note:
                out.append((f"claim {m.id} {c.field}", c.note, (*c.sources, *own)))
    for s in reg.sources.values():
        if s.date_note:
            out.append((f"source {s.id}", s.date_note, (s, *(c.source for c in s.outside))))
    return out


def test_every_french_fragment_a_note_quotes_stands_in_its_sources(reg: mc.Registry) -> None:
    """What a note quotes « like this » is verbatim in one of its record's sources."""
    checked = 0
    for record, note, sources in _notes(reg):
        texts = [_folded(s) for s in sources if s.file is not None]
        for fragment in _fragments(note):
            checked += 1
            assert any(" ".join(fragment.split()) in t for t in texts), (record, fragment)
    assert checked > 40


@pytest.mark.parametrize(
    "said",
    [
        "OpenAI has not",  # no source says what OpenAI confirmed or published
        "per token",  # the text says « lors de l'inférence »
        "technical report",  # no article mentions Phi-3's
        "later in May 2024",  # no source says when Phi-3-small/medium were released
        "already released",  # no source speaks of smaller Llama 3 models
        "(available on Azure)",  # only Mistral Small is
        "made available",  # « a confirmé cette semaine la disponibilité »
        "late April",  # « depuis une semaine » in an article of May 2024
        "Chatbot Arena",  # the seeds say LMSYS
        "(2024)",  # seed-001 gives no year
        "(March 2024)",
        "translation slip",
        "positions change over time",
    ],
)
def test_no_note_says_what_no_source_says(reg: mc.Registry, said: str) -> None:
    """The phrases issue 12 found in notes, stating facts no source gives, are gone."""
    assert [record for record, note, _ in _notes(reg) if said in note] == []


def test_no_model_is_called_multimodal(reg: mc.Registry) -> None:
    """The articles call GPT-4, Claude 3 and Gemini Ultra only « LLM »: modality text."""
    assert [m.id for m in reg if m.modality == "multimodal"] == []
    assert {reg[n].modality for n in ("GPT-4", "Claude 3", "Gemini Ultra")} == {"text"}


# -- dates: stated or inferred, and from where -------------------------------------------------
def test_every_announced_date_says_how_it_is_known(reg: mc.Registry) -> None:
    """Each built-in announced date has a basis; an inferred one a note; one that rests on
    knowledge from outside the seeds quotes an outside source."""
    dated = [m for m in reg if m.announced is not None]
    assert dated
    for m in dated:
        assert m.announced_basis in ("stated", "inferred"), m.id
        if m.announced_basis == "inferred":
            assert m.announced_note, m.id
        if "outside" in (m.announced_note or ""):
            assert m.outside, m.id
            assert all(c.source.external for c in m.outside), m.id


def test_the_2025_dates_rest_on_a_quoted_outside_source(reg: mc.Registry) -> None:
    """MAI-1-preview's and MAI-Voice-1's 2025-08, and seed-003's and seed-004's, rest on
    Semafor's article of 28 August 2025, quoted."""
    for record in (reg["MAI-1-preview"], reg["MAI-Voice-1"], reg.source("seed-003")):
        assert [c.source.id for c in record.outside][:1] == ["semafor-2025-08-28"]
    assert reg.source("seed-004").outside
    assert reg.source("semafor-2025-08-28").date == mc.PartialDate(2025, 8, 28)


def test_seed_001_date_note_rests_on_the_seeds_only(reg: mc.Registry) -> None:
    """seed-001's date is inferred from the seeds, not from Build's outside date."""
    source = reg.source("seed-001")
    assert source.date_basis == "inferred"
    assert not source.outside
    assert "2024" not in " ".join(_fragments(source.date_note or ""))


def test_validate_lists_what_rests_on_outside_knowledge(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`validate` prints an info line per inferred date, saying which rest on outside sources."""
    assert main(["validate"]) == EXIT_OK
    info = [x for x in capsys.readouterr().out.splitlines() if x.startswith("info: ")]
    outside = sorted(x.split(":")[1].strip() for x in info if "from outside knowledge" in x)
    assert outside == [
        "model 'mai-1-preview'",
        "model 'mai-voice-1'",
        "source 'seed-003'",
        "source 'seed-004'",
    ]
    assert (
        "info: model 'phi-3-mini': field 'announced': 2024-04 is inferred, with no outside "
        "source quoted (see announced_note)" in info
    )
    assert any(
        x.startswith("info: source 'seed-001': field 'date': 2024-05 is inferred") for x in info
    )
    assert (
        "info: accelerator 'h100-sxm': field 'released': 2022-09 is quoted from no source "
        "(its note says how it is known)" in info
    )


# -- missing models and mentions ---------------------------------------------------------------
def test_turing_is_in_the_registry(reg: mc.Registry) -> None:
    """Kevin Scott's « le projet Turing explorait ce domaine depuis plus de deux ans »."""
    turing = reg["Turing"]
    assert (turing.organization, turing.status) == ("Microsoft", mc.ModelStatus.ANNOUNCED)
    assert reg["projet Turing"] is turing
    (mention,) = turing.mentions
    assert mention.source.id == "seed-000"
    assert "le projet Turing explorait ce domaine depuis plus de deux ans" in mention.quote


def test_mentions_are_filed_on_the_model_they_speak_of(reg: mc.Registry) -> None:
    """seed-003 is about MAI-1-preview, so its « créer MAI-1 » is a mention of it; seed-001's
    « Phi-3 Mini » sentence is about the family, whose claim it is."""

    def quotes(name: str) -> list[str]:
        return [c.quote for c in reg[name].mentions]

    strategy = "La stratégie de Microsoft pour créer MAI-1"
    assert not any(q.startswith(strategy) for q in quotes("MAI-1"))
    assert any(q.startswith(strategy) for q in quotes("MAI-1-preview"))
    assert [c.source.id for c in reg["Phi-3-mini"].mentions] == ["seed-002", "seed-002"]
    assert reg["Phi-3"].claims("parameters")[0].citations[0].source.id == "seed-001"


def test_the_build_mention_is_whole(reg: mc.Registry) -> None:
    """seed-001's « Aucune date de sortie … » mention runs to the end of the sentence, Build."""
    assert (
        "Aucune date de sortie n'a été annoncée, mais nous pourrions avoir un aperçu de MAI-1 le "
        "16 mai, lors de la conférence Build de Microsoft destinée aux développeurs."
        in quotes_of(reg, "MAI-1")
    )


def test_gpt_4_5_is_mentioned_where_altman_denies_it(reg: mc.Registry) -> None:
    """seed-000's « mais pas de GPT 4.5 ou GPT 5 » is a mention of GPT-4.5 too."""
    assert "mais pas de GPT 4.5 ou GPT 5" in quotes_of(reg, "GPT-4.5")


def quotes_of(reg: mc.Registry, name: str) -> list[str]:
    """The quotes of a model's mentions."""
    return [c.quote for c in reg[name].mentions]


def test_phi_3_small_and_medium_are_announced_not_planned(reg: mc.Registry) -> None:
    """« entraînés pour 4,8T tokens », results in the present tense: not planned; no source
    says they are released."""
    for name in ("Phi-3-small", "Phi-3-medium"):
        m = reg[name]
        assert m.status is mc.ModelStatus.ANNOUNCED
        assert m.announced_basis == "inferred"


# -- the data format: announced_basis, announced_note, outside ---------------------------------
USER_MODEL = """
[[model]]
id = "acme-1"
name = "Acme-1"
organization = "Acme"
mentions = [{{ source = "seed-004", quote = "Grok de xAI" }}]
{extra}
"""


def _load(data_file: Callable[[str], Path], extra: str) -> mc.Registry:
    return mc.load_registry(paths=[data_file(USER_MODEL.format(extra=extra))])


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            'announced = "2025"\nannounced_basis = "guessed"',
            "announced_basis",
            "'announced_basis' must be 'stated' or 'inferred' (got 'guessed')",
        ),
        (
            'announced = "2025"\nannounced_basis = "inferred"',
            "announced_note",
            "'announced_note' is required where the date is inferred: say how it was reached",
        ),
        (
            'announced_basis = "stated"',
            "announced_basis",
            "'announced_basis' and 'announced_note' need a date in 'announced'",
        ),
        (
            'outside = [{ source = "semafor-2025-0828", quote = "On Thursday" }]',
            "outside",
            "cites unknown source 'semafor-2025-0828'",
        ),
    ],
)
def test_a_bad_date_basis_or_outside_citation_is_a_located_error(
    data_file: Callable[[str], Path], extra: str, field: str, message: str
) -> None:
    """Each mistake names the file, the model and the field."""
    with pytest.raises(mc.DataFileError) as info:
        _load(data_file, extra)
    err = info.value
    assert message in str(err)
    assert "acme-1" in str(err)
    assert f"'{field}'" in str(err)


def test_an_outside_quote_is_checked_and_reported(data_file: Callable[[str], Path]) -> None:
    """A model's outside quotes are checked verbatim like any; its note is listed as resting
    on outside knowledge."""
    good = _load(
        data_file,
        'outside = [{ source = "semafor-2025-08-28", quote = "Microsoft unveiled MAI-Voice-1" }]',
    )
    assert good.validate() == []
    notices = [str(n) for n in good.outside_knowledge() if n.record == "model 'acme-1'"]
    assert notices == [
        "model 'acme-1': field 'note': rests on outside knowledge: "
        "[semafor-2025-08-28] «Microsoft unveiled MAI-Voice-1»"
    ]
    bad = _load(
        data_file,
        'outside = [{ source = "semafor-2025-08-28", quote = "Microsoft unveiled MAI-Voice-2" }]',
    )
    (problem,) = bad.validate()
    assert (problem.record, problem.field) == ("model 'acme-1'", "outside")
    assert "quote not found verbatim in source 'semafor-2025-08-28' (" in problem.message


def test_an_announced_date_without_a_basis_is_listed(data_file: Callable[[str], Path]) -> None:
    """A user model's announced date with no basis gets an info line asking for one."""
    reg = _load(data_file, 'announced = "2025-01"')
    assert [str(n) for n in reg.outside_knowledge() if n.record == "model 'acme-1'"] == [
        "model 'acme-1': field 'announced': 2025-01 has no announced_basis: say whether a "
        "source states it or it is inferred"
    ]


@given(
    dated=st.booleans(),
    basis=st.sampled_from([None, "stated", "inferred", "Stated", ""]),
    note=st.sampled_from([None, "", "  ", "from seed-002's « le mois dernier »"]),
)
def test_a_model_date_basis_is_accepted_exactly_when_it_makes_sense(
    dated: bool, basis: str | None, note: str | None
) -> None:
    """Model(announced, announced_basis, announced_note): a basis or note needs a date; the
    basis is stated or inferred; an inferred date needs a note; a note is real text."""
    ok = (basis is None and note is None) or (
        dated
        and basis in ("stated", "inferred")
        and (note is not None or basis == "stated")
        and (note is None or note.strip() != "")
    )
    date = mc.PartialDate(2024, 4) if dated else None

    def make() -> mc.Model:
        return mc.Model(
            id="m", name="M", organization="O", announced=date, announced_basis=basis,
            announced_note=note,
        )  # fmt: skip

    if ok:
        assert make().announced_basis == basis
    else:
        with pytest.raises(ValueError, match="announced"):
            make()


# -- facts that are not figures: text, category and relation fields ----------------------------
def test_show_gives_phi_3_mini_facts_beyond_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """Phi-3-mini's licence, training data, alignment and rivals show as fields."""
    lines = show(capsys, "Phi-3-mini")
    assert "license: open source" in lines
    assert (
        "training_data: heavily filtered web data and synthetic data: an enlarged version of "
        "the data set used for Phi-2" in lines
    )
    assert "alignment: aligned for robustness, safety and chat format" in lines
    assert block(lines, "rival_of")[:2] == [
        "rival_of: Mixtral 8x7B, GPT-3.5",
        "  Mixtral 8x7B, GPT-3.5   official, as of 2024-05",
    ]


def test_show_lists_the_relations_of_other_models(capsys: pytest.CaptureFixture[str]) -> None:
    """Mixtral 8x7B has no relation claim of its own; show names Phi-3-mini's."""
    lines = show(capsys, "Mixtral 8x7B")
    start = lines.index("named by other models' claims:")
    assert lines[start + 1 :] == [
        "  Phi-3-mini rival_of: Mixtral 8x7B, GPT-3.5   official [seed-002]"
    ]


def test_the_missing_facts_are_there(reg: mc.Registry) -> None:
    """Issue 12's missing facts, each a claim of the right field and status."""

    def claim(name: str, field: str, text: str) -> mc.Claim:
        (found,) = [c for c in reg[name].claims(field) if text in str(c.value)]
        return found

    build = claim("MAI-1", "release", "Build")
    assert build.status is mc.Status.RUMORED
    assert [c.source.id for c in build.citations] == ["seed-001", "seed-002"]
    assert claim("MAI-1", "provenance", "not the continuation").status is mc.Status.RUMORED
    assert claim("MAI-1", "development", "being finalized").status is mc.Status.RUMORED
    form = claim("MAI-1-preview", "release", "online form")
    assert "via un formulaire en ligne" in form.citations[0].quote
    voice = claim("MAI-Voice-1", "provenance", "first speech synthesis model")
    assert "tout premier modèle de synthèse vocale créé entièrement" in voice.citations[0].quote
    assert claim("gpt2-chatbot", "description", "experimental").status is mc.Status.RUMORED
    assert str(reg["Phi-3-mini"].value("license")) == "open source"
    rivals = reg["Phi-3-mini"].value("rival_of")
    assert isinstance(rivals, mc.Related)
    assert rivals.ids == ("mixtral-8x7b", "gpt-3.5")


def test_relations_add_up_and_never_conflict(reg: mc.Registry) -> None:
    """MAI-1's three same_class_as claims give every model they name, once, in order;
    the value rests on a rumour for Claude 3 and Gemini Ultra, so the cell is marked †."""
    value = reg["MAI-1"].value("same_class_as")
    assert isinstance(value, mc.Related)
    assert value.ids == ("claude-3", "gpt-4", "gemini-ultra")
    assert str(value) == "Claude 3, GPT-4, Gemini Ultra"
    assert not [c for c in reg.conflicts() if c.field == "same_class_as"]
    cell = mc.compare(["MAI-1"], ["same_class_as"], registry=reg).rows[0][0]
    assert cell.display == "Claude 3, GPT-4, Gemini Ultra † [1, 2, 3]"


def test_texts_add_up_in_the_order_of_the_data(reg: mc.Registry) -> None:
    """MAI-1-preview's three release claims are its release value, joined by "; ", with
    no 'sources differ' mark: descriptions do not compete."""
    cell = mc.compare(["MAI-1-preview"], ["release"], registry=reg).rows[0][0]
    assert cell.text == (
        "public test on LMArena; early access for developers, on request via an online form "
        "provided by Microsoft; a gradual roll-out to some Copilot text features, in the "
        "coming weeks (planned)"
    )
    assert cell.flags == ()


RELATED_USER = """
[[model]]
id = "acme-1"
name = "Acme-1"
organization = "Acme"

[[claim]]
model = "acme-1"
field = "{field}"
value = {value}
status = "reported"
citations = [{{ source = "seed-004", quote = "Grok de xAI" }}]
"""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rival_of", '{ models = ["grk"] }', "no model with id 'grk' (did you mean 'grok'?)"),
        ("rival_of", '{ models = ["acme-1"] }', "a model is not related to itself ('acme-1')"),
        ("rival_of", "{ models = [] }", 'a relation value is { models = ["model-id", …] }'),
        ("rival_of", '{ models = "grok" }', 'a relation value is { models = ["model-id", …] }'),
        ("rival_of", '{ models = ["grok", "grok"] }', "a relation names each model once"),
        ("rival_of", '{ models = ["Grok"] }', "a relation names models by id, such as 'gpt-4'"),
        ("rival_of", '{ text = "Grok" }', 'expected models, as { models = ["gpt-4"] }'),
        ("release", '{ models = ["grok"] }', 'expected text, as { text = "…" }'),
        ("release", '{ text = " " }', 'expected text, as { text = "…" }'),
        ("license", '{ text = "free" }', "expected one of open source, proprietary (got 'free')"),
    ],
)
def test_a_bad_relation_or_text_value_is_a_located_error(
    data_file: Callable[[str], Path], field: str, value: str, message: str
) -> None:
    """Relations name loaded models by id, other than the claim's own; text is text."""
    path = data_file(RELATED_USER.format(field=field, value=value))
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    assert message in str(info.value)
    assert f"(acme-1, {field})" in str(info.value)
    assert "field 'value'" in str(info.value)


ids = st.sampled_from(["grok", "gpt-4", "gpt-3.5", "claude-3", "mixtral-8x7b"])


@given(
    claims=st.lists(
        st.tuples(
            st.lists(ids, min_size=1, max_size=4, unique=True),
            st.sampled_from([mc.Status.RUMORED, mc.Status.REPORTED, mc.Status.OFFICIAL]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_a_relation_value_is_the_union_of_its_claims(
    reg: mc.Registry, claims: list[tuple[list[str], mc.Status]]
) -> None:
    """Any relation claims: the value names every model once, in order of first
    appearance; no two claims conflict; rumored (†) exactly where some model is named
    only by rumoured claims."""
    from modelcompare.reconcile import disjoint

    source = reg.source("seed-004")
    made = tuple(
        mc.Claim("acme", "rival_of", mc.Related(tuple(t)), s, (mc.Citation(source, "Grok de xAI"),))
        for t, s in claims
    )
    model = mc.Model(id="acme", name="Acme", organization="Acme", stated_claims=made)
    value = model.value("rival_of")
    assert isinstance(value, mc.Related)
    assert value.ids == tuple(dict.fromkeys(i for t, _ in claims for i in t))
    assert not any(disjoint(a, b) for a in made for b in made)
    user = mc.Registry([model, *reg], reg.sources)
    cell = mc.compare(["acme"], ["rival_of"], registry=user).rows[0][0]
    stated = {i for t, s in claims if s is not mc.Status.RUMORED for i in t}
    assert (Flag.RUMORED in cell.flags) == (set(value.ids) != stated)


def _text_comparison(text: str, name: str) -> Comparison:
    """A user model whose description is ``text``, the rival of a model called ``name``."""
    source = mc.Source(id="user-source", title="T", language="en", path="user.txt")
    cite = (mc.Citation(source, "q"),)
    other = mc.Model(id="other", name=name, organization="O", mentions=cite)
    claims = (
        mc.Claim("user-model", "description", text, mc.Status.REPORTED, cite),
        mc.Claim(
            "user-model", "rival_of", mc.Related(("other",), (name,)), mc.Status.REPORTED, cite
        ),
    )
    model = mc.Model(id="user-model", name="U", organization="O", stated_claims=claims)
    reg = mc.Registry([model, other], {source.id: source})
    return mc.compare(["user-model"], ["description", "rival_of"], registry=reg)


@settings(max_examples=60)
@given(text=hostile_text(allow_blank=False), name=hostile_text(allow_blank=False))
def test_text_and_relation_cells_come_out_as_themselves(text: str, name: str) -> None:
    """A hostile description and a hostile related model's name read back as themselves
    from Markdown, HTML, CSV, JSON and LaTeX: each format's escaper handles text cells."""
    c = _text_comparison(text, name)
    t, n = lines_normalized(text), lines_normalized(name)
    md = read_markdown(c.to_markdown())["rows"][1]
    assert md[1:] == [f"{t} [1]", f"{n} [1]"]
    html = read_html(c.to_html())
    assert html.rows[1][1:] == [f"{t} ", f"{n} "]  # the space before each <sup>
    (row,) = read_csv(c.to_csv())
    assert (row["description"], row["rival_of"]) == (neutralised(text), neutralised(name))
    assert (row["description sources"], row["rival_of sources"]) == ("1", "1")
    cells = json.loads(c.to_json())["rows"][0]["cells"]
    assert [cell["display"] for cell in cells] == [text, name]
    body = c.to_latex().splitlines()
    row_tex = body[body.index(r"\midrule") + 1].removesuffix(r" \\")
    sup = r"\textsuperscript{{[}1{]}}"
    shown = [cell.removesuffix(sup) for cell in row_tex.split(" & ")[1:]]
    assert [latex_prints(x) for x in shown] == [latex_normalized(text), latex_normalized(name)]


def test_a_default_table_shows_figures_and_categories_not_prose(reg: mc.Registry) -> None:
    """compare(fields=None) leaves out text and relation fields; named, they are columns."""
    default = [c.key for c in mc.compare(["Phi-3-mini", "MAI-1"], registry=reg).columns]
    assert "license" in default
    assert not {"training_data", "alignment", "rival_of", "release"} & set(default)
    named = mc.compare(["Phi-3-mini"], ["training_data", "rival_of"], registry=reg)
    assert [c.kind for c in named.columns] == ["text", "text"]
    assert named.rows[0][1].display == "Mixtral 8x7B, GPT-3.5 [1]"


def test_show_json_gives_how_the_date_is_known(capsys: pytest.CaptureFixture[str]) -> None:
    """show --format json: the announced date's basis, note and outside quotes."""
    assert main(["show", "MAI-1-preview", "--format", "json"]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert (doc["announced"], doc["announced_basis"]) == ("2025-08", "inferred")
    assert doc["outside"][0]["source"] == "semafor-2025-08-28"
    assert doc["fields"]["rival_of"]["value"] == {"text": "Grok", "models": ["grok"]}
