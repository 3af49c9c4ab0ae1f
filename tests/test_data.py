"""The built-in data says what its sources say: statuses read from the sentence,
no duplicate claims, notes that rest on the sources (issue 12)."""

from __future__ import annotations

from collections import Counter

import pytest

import modelcompare as mc
from modelcompare.cli import EXIT_OK, main


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
