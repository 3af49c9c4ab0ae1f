"""User data files: the format loads, merges with the built-in data, and every
mistake gives a DataFileError naming the file, line, record and field."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.loader import parse_file
from modelcompare.records import Related
from modelcompare.registry import builtin_files
from outcomes import assert_valid_file, assert_valid_model, load_or_located

WriteFile = Callable[..., Path]

SOURCE = """
[[source]]
id = "my-notes"
title = "My notes"
path = "notes.txt"
language = "en"
kind = "other"
external = true
"""

NOTES = "Acme-1 has about 70 billion parameters and was trained on 2,048 H100 GPUs.\n"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A source text file beside the user's data file."""
    path = tmp_path / "notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    return path


#: A good claim of Acme-1's parameters, as GOOD has it.
PARAMETERS = """
[[claim]]
model = "acme-1"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "official"
citations = [{ source = "my-notes", quote = "about 70 billion parameters" }]
"""

GOOD = (
    SOURCE
    + """
[[model]]
id = "acme-1"
name = "Acme-1"
aliases = ["Acme One"]
organization = "Acme"
status = "released"
"""
    + PARAMETERS
    + """
[[claim]]
model = "acme-1"
field = "training_accelerators"
value = { exact = 2048, unit = "H100" }
status = "official"
citations = [{ source = "my-notes", quote = "2,048 H100 GPUs" }]

[[claim]]
model = "gpt-4"
field = "training_tokens"
value = { about = 13, unit = "Ttoken" }
status = "rumored"
note = "a user's own addition to a built-in model"
citations = [{ source = "my-notes", quote = "Acme-1", no_figure = "the notes name the model only" }]
"""
)


def test_user_file_adds_models_sources_and_claims(data_file: WriteFile, notes: Path) -> None:
    """A user file adds a model, a source, and claims on its own and built-in models."""
    reg = mc.load_registry(paths=[data_file(GOOD)])
    builtin = mc.load_registry()
    assert len(reg) == len(builtin) + 1
    acme = reg["acme one"]
    assert acme.name == "Acme-1"
    assert str(acme.value("parameters")) == "≈70 B parameters"
    assert str(acme.value("training_accelerators")) == "2,048 H100"
    (claim,) = acme.claims("parameters")
    assert claim.citations[0].source.file == notes.resolve()
    assert str(reg["GPT-4"].value("training_tokens")) == "≈13 T tokens"
    assert reg.validate() == []
    assert builtin["GPT-4"].claims("training_tokens") == ()


def test_builtin_registry_is_cached() -> None:
    """load_registry() with no paths reads the data once and returns the same object."""
    assert mc.load_registry() is mc.load_registry()


def test_error_is_located_and_exact(data_file: WriteFile, notes: Path) -> None:
    """The message names the file, the line, the record, the field and a suggestion."""
    path = data_file(GOOD.replace('unit = "H100"', 'unit = "H-100"'))
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    err = info.value
    assert str(err) == (
        f"{path}:27: claim #2 (acme-1, training_accelerators): field 'value': "
        "unknown unit 'H-100'; did you mean 'H100'?"
    )
    assert (err.path, err.line, err.field) == (str(path), 27, "value")
    assert isinstance(err, ValueError)
    assert isinstance(err, mc.ModelCompareError)


BAD_CASES: list[tuple[str, str, str, str]] = [
    # (what to replace in GOOD, with what, expected field or None, message fragment)
    (
        'organization = "Acme"',
        'organisation = "Acme"',
        "organisation",
        "did you mean 'organization'",
    ),
    ('field = "parameters"', 'field = "paramters"', "field", "did you mean 'parameters'"),
    (
        'unit = "Gparameter"',
        'unit = "GB"',
        "value",
        "'parameters' must be a quantity of [parameter]",
    ),
    (
        'source = "my-notes", quote = "about',
        'source = "my-note", quote = "about',
        "citations",
        "did you mean 'my-notes'",
    ),
    (
        'status = "official"\ncitations = [{ source = "my-notes", quote = "about',
        'status = "derived"\ncitations = [{ source = "my-notes", quote = "about',
        "status",
        "computed by modelcompare",
    ),
    ('field = "parameters"', 'field = "tokens_per_parameter"', "field", "derived by modelcompare"),
    (
        'model = "acme-1"\nfield = "parameters"',
        'model = "acme-2"\nfield = "parameters"',
        "model",
        "did you mean 'acme-1'",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { about = 70, at_least = 60, unit = "Gparameter" }',
        "value",
        "exactly one of",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { low = 70, unit = "Gparameter" }',
        "value",
        "needs both low and high",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        "value = { about = 70 }",
        "value",
        "needs a unit",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { about = "70", unit = "Gparameter" }',
        "value",
        "must be a finite number",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { about = nan, unit = "Gparameter" }',
        "value",
        "must be a finite number",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        "value = { rank = 0 }",
        "value",
        "a rank must be a whole number ≥ 1",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        "value = { rank = 2 }",
        "value",
        "expected a quantity",
    ),
    ('value = { about = 70, unit = "Gparameter" }', "value = 70", "value", "is a table"),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { about = 70, unit = "Gparameter", approx = true }',
        "value",
        "unknown key",
    ),
    ('status = "released"', 'status = "shipped"', "status", "must be one of"),
    ('aliases = ["Acme One"]', 'aliases = ["GPT 4"]', "aliases", "also a name of model 'gpt-4'"),
    ('name = "Acme-1"', 'name = "GPT4"', "name", "also a name of model 'gpt-4'"),
    ('name = "Acme-1"', 'name = "+++"', "name", "has no letters or digits"),
    ('id = "acme-1"', 'id = "Acme 1"', "id", "lowercase slug"),
    ('path = "notes.txt"', 'path = "nowhere.txt"', "path", "no such file"),
    ('language = "en"', 'language = "english"', "language", "two-letter"),
    (
        'citations = [{ source = "my-notes", quote = "about 70 billion parameters" }]',
        "citations = []",
        "citations",
        "at least one citation",
    ),
    (
        'citations = [{ source = "my-notes", quote = "about 70 billion parameters" }]',
        'citations = [{ source = "my-notes" }]',
        "citations",
        "each citation is",
    ),
    (
        'status = "official"\ncitations = [{ source = "my-notes", quote = "about',
        'status = "official"\nas_of = "2024-13"\n'
        'citations = [{ source = "my-notes", quote = "about',
        "as_of",
        "month 13",
    ),
    ('id = "acme-1"', 'id = "mai-1"', "id", "with model = 'mai-1'"),
    (
        'status = "official"\ncitations = [{ source = "my-notes", quote = "about',
        'status = "offical"\ncitations = [{ source = "my-notes", quote = "about',
        "status",
        "did you mean 'official'",
    ),
    (
        'status = "official"\ncitations = [{ source = "my-notes", quote = "about',
        'status = "official"\nnote = 5\ncitations = [{ source = "my-notes", quote = "about',
        "note",
        "'note' must be non-empty text",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { at_least = 70, high = 80, unit = "Gparameter" }',
        "value",
        "'high' does not go with 'at_least'",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { exact = 70, of = 3, unit = "Gparameter" }',
        "value",
        "'of' does not go with",
    ),
    (
        'value = { about = 70, unit = "Gparameter" }',
        'value = { exact = 0, unit = "Gparameter" }',
        "value",
        "'parameters' must be positive",
    ),
    (
        'value = { exact = 2048, unit = "H100" }',
        'value = { exact = -2048, unit = "H100" }',
        "value",
        "'training_accelerators' must be positive",
    ),
    (
        'field = "parameters"\nvalue = { about = 70, unit = "Gparameter" }',
        'field = "mmlu"\nvalue = { exact = 815, unit = "percent" }',
        "value",
        "'mmlu' must lie between 0 and 100 percent",
    ),
    ('path = "notes.txt"', 'path = "notes\\u0000.txt"', "path", "not a usable file path"),
    ('path = "notes.txt"', 'path = "."', "path", "is a folder, not a file"),
]


@pytest.mark.parametrize(("old", "new", "field", "fragment"), BAD_CASES)
def test_bad_input_is_located(
    data_file: WriteFile, notes: Path, old: str, new: str, field: str, fragment: str
) -> None:
    """Each mistake raises DataFileError naming file, line, record and field, with the cause."""
    assert old in GOOD
    path = data_file(GOOD.replace(old, new, 1))
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    err = info.value
    assert err.path == str(path)
    assert err.field == field
    assert err.line is not None
    assert err.record is not None
    assert fragment in str(err)
    assert str(path) in str(err)


def test_line_points_at_the_bad_key(data_file: WriteFile, notes: Path) -> None:
    """The reported line is the line of the offending key."""
    text = GOOD.replace('field = "parameters"', 'field = "paramters"', 1)
    path = data_file(text)
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    assert info.value.line is not None
    assert text.splitlines()[info.value.line - 1].startswith('field = "paramters"')


def test_invalid_toml_names_line_and_column(data_file: WriteFile) -> None:
    """A TOML syntax error is a DataFileError with the line and column, not tomllib's error."""
    path = data_file('[[model]]\nid = "x"\nname = "X\n')
    with pytest.raises(mc.DataFileError, match=r"user\.toml:3: invalid TOML, column \d+") as info:
        mc.load_registry(paths=[path])
    assert info.value.__cause__ is None or not isinstance(info.value.__cause__, KeyError)


def test_unknown_table_is_suggested(data_file: WriteFile) -> None:
    """A misspelt table name is named, with the right one suggested."""
    path = data_file('[[models]]\nid = "x"\n')
    with pytest.raises(mc.DataFileError, match="did you mean 'model'") as info:
        mc.load_registry(paths=[path])
    assert info.value.line == 1


def test_missing_file(tmp_path: Path) -> None:
    """A file that does not exist is a DataFileError naming it."""
    with pytest.raises(mc.DataFileError, match="no such file"):
        mc.load_registry(paths=[tmp_path / "missing.toml"])


def test_not_utf8(tmp_path: Path) -> None:
    """A file that is not UTF-8 is a DataFileError."""
    path = tmp_path / "latin1.toml"
    path.write_bytes('[[model]]\nname = "é"\n'.encode("latin-1"))
    with pytest.raises(mc.DataFileError, match="not UTF-8"):
        mc.load_registry(paths=[path])


def test_failed_load_leaves_nothing_half_loaded(data_file: WriteFile, notes: Path) -> None:
    """After a bad file, the built-in registry is intact and nothing of the file remains."""
    before = mc.load_registry()
    bad = data_file(GOOD.replace('field = "parameters"', 'field = "paramters"'))
    with pytest.raises(mc.DataFileError):
        mc.load_registry(paths=[bad])
    after = mc.load_registry()
    assert after is before
    assert after.get("acme-1") is None


def test_duplicate_source_across_files(data_file: WriteFile, notes: Path) -> None:
    """The same source id in two files names both files."""
    first = data_file(SOURCE, "a.toml")
    second = data_file(SOURCE, "b.toml")
    with pytest.raises(mc.DataFileError, match=r"b\.toml.*duplicate source id.*a\.toml"):
        mc.load_registry(paths=[first, second])


def test_root_key_resolves_paths(tmp_path: Path, notes: Path) -> None:
    """root = ".." makes a file's source paths relative to its parent folder (which
    needs allow_paths_outside: it leads out of the file's own folder)."""
    sub = tmp_path / "data"
    sub.mkdir()
    path = sub / "user.toml"
    path.write_text('root = ".."\n' + SOURCE, encoding="utf-8")
    reg = mc.load_registry(paths=[path], allow_paths_outside=True)
    assert reg.source("my-notes").file == notes.resolve()
    with pytest.raises(mc.DataFileError, match=r"'root' '\.\.' leads outside") as info:
        mc.load_registry(paths=[path])
    assert len(info.value.problems) == 1, "no second error for the path under a refused root"


def test_data_file_error_pickles() -> None:
    """DataFileError keeps its fields through pickling."""
    err = mc.DataFileError(
        "x.toml", "bad", line=3, record="model 'a'", field="id", suggestion="did you mean 'b'?"
    )
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) == "x.toml:3: model 'a': field 'id': bad (did you mean 'b'?)"


@settings(max_examples=150)
@given(st.text(max_size=300))
def test_arbitrary_text_only_raises_data_file_error(text: str) -> None:
    """Whatever a file holds, loading it gives valid records or a DataFileError that
    locates each problem in that file, nothing else."""
    path = Path("fuzz.toml")
    outcome = load_or_located([path], lambda: parse_file(path, text), names=path)
    if not isinstance(outcome, mc.DataFileError):
        assert_valid_file(outcome)


TOML_PIECES = st.sampled_from(
    [
        "[[model]]",
        "[[claim]]",
        "[[source]]",
        "[[accelerator]]",
        "[[accelerator.spec]]",
        'id = "a"',
        'name = "A"',
        'organization = "O"',
        'model = "a"',
        'field = "parameters"',
        'value = { about = 5, unit = "Gparameter" }',
        'value = { exact = 1, unit = "H100" }',
        'value = { low = 2, high = 1, unit = "token" }',
        'value = { unknown = true, unit = "GB" }',
        "value = { rank = 2, of = 1 }",
        'value = { text = "moe" }',
        'status = "rumored"',
        'citations = [{ source = "s", quote = "q" }]',
        'title = "T"',
        'language = "fr"',
        'url = "https://x"',
        'path = "../../etc/passwd"',
        'unit = "H100"',
        'vendor = "V"',
        'date = "2024-02-30"',
        'aliases = ["A"]',
        'mentions = [{ source = "s", quote = "q" }]',
        "root = 5",
        'field = "bf16_dense"',
        'value = { exact = 1, unit = "TFLOP/s" }',
    ]
)


@settings(max_examples=300)
@given(st.lists(TOML_PIECES, max_size=25))
def test_arbitrary_records_only_raise_data_file_error(pieces: list[str]) -> None:
    """Records assembled at random load into valid records, or give a DataFileError
    locating each problem in the file, never another exception."""
    from modelcompare.loader import build

    path = Path("fuzz.toml")
    text = "\n".join(pieces)
    outcome = load_or_located([path], lambda: build([parse_file(path, text)]), names=path)
    if not isinstance(outcome, mc.DataFileError):
        for model in outcome.models:
            assert_valid_model(model)
            for claim in model.stated_claims:
                assert isinstance(claim.value, mc.Estimate | mc.Rank | str | Related)
        assert all(isinstance(s, mc.Source) for s in outcome.sources.values())


def test_two_default_variants_of_one_chip(data_file: WriteFile) -> None:
    """A second default accelerator for H100 is refused, naming the built-in one's file."""
    path = data_file(
        """
[[accelerator]]
id = "my-h100"
unit = "H100"
name = "My H100"
vendor = "NVIDIA"
default = true
"""
    )
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    builtin = mc.load_registry().accelerator("h100-sxm")
    assert builtin.default
    where = str(next(p for p in builtin_files() if p.name == "accelerators.toml"))
    assert str(info.value) == (
        f"{path}:2: accelerator 'my-h100': field 'default': a second default accelerator "
        f"for unit 'H100' (the first is 'h100-sxm' in {where}) "
        "(set default = false on one of them)"
    )
    assert info.value.suggestion == "set default = false on one of them"


# ── one pass finds every mistake of a record ─────────────────────────────────────────────

#: Mistakes that do not depend on one another, by the field each is in: the line
#: of a good [[model]] or [[claim]] each replaces (None: the key is left out).
_MODEL_MISTAKES = {
    "id": ('id = "acme-1"', 'id = "Acme 1"'),
    "name": ('name = "Acme-1"', None),
    "organization": ('organization = "Acme"', None),
    "status": ('status = "released"', 'status = "releasd"'),
    "modality": ('modality = "text"', 'modality = "txt"'),
}
_CLAIM_MISTAKES = {
    "status": ('status = "official"', None),
    "value": ('value = { about = 70, unit = "Gparameter" }', "value = 70"),
    "citations": (
        'citations = [{ source = "my-notes", quote = "about 70 billion parameters" }]',
        "citations = []",
    ),
    "field": ('field = "parameters"', 'field = "paramters"'),
}


def _record_text(base: str, mistakes: dict[str, tuple[str, str | None]], chosen: list[str]) -> str:
    for key in chosen:
        good, bad = mistakes[key]
        assert good in base
        base = base.replace(good, bad if bad is not None else "", 1)
    return base


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(_MODEL_MISTAKES)), unique=True),
    st.lists(st.sampled_from(sorted(_CLAIM_MISTAKES)), unique=True),
)
def test_one_pass_finds_every_mistake_of_a_record(
    tmp_path_factory: pytest.TempPathFactory, in_model: list[str], in_claim: list[str]
) -> None:
    """A model and a claim with any set of independent mistakes (a bad id, status
    or modality, a missing name or organization; a missing status, a bare number
    as value, no citation, an unknown field): one load reports each of them, in
    its own field, and nothing else."""
    folder = tmp_path_factory.mktemp("data")
    (folder / "notes.txt").write_text(NOTES, encoding="utf-8")
    model = """
[[model]]
id = "acme-1"
name = "Acme-1"
organization = "Acme"
status = "released"
modality = "text"
"""
    claim = PARAMETERS
    text = (
        SOURCE
        + _record_text(model, _MODEL_MISTAKES, in_model)
        + _record_text(claim, _CLAIM_MISTAKES, in_claim)
    )
    path = folder / "data.toml"
    path.write_text(text, encoding="utf-8")
    if not in_model and not in_claim:
        mc.load_registry(paths=[path], builtin=False)
        return
    with pytest.raises(mc.DataFileError) as err:
        mc.load_registry(paths=[path], builtin=False)
    got = sorted((p.record.split(" ")[0], p.field) for p in err.value.problems)
    want = sorted([*(("model", f) for f in in_model), *(("claim", f) for f in in_claim)])
    assert got == want, [str(p) for p in err.value.problems]
