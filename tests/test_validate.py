"""Finding every problem of a data file at once, each at its place (issue 8)."""

from __future__ import annotations

import io
import pickle
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.cli import EXIT_DATA, EXIT_OK, EXIT_PIPE, EXIT_PROBLEMS, main
from modelcompare.errors import MAX_PROBLEMS
from modelcompare.fields import FIELDS
from modelcompare.loader import chip_hint, normalize, unit_hint
from modelcompare.units import accelerator_units

WriteFile = Callable[..., Path]

NOTES = "Acme-1 has about 70 billion parameters and was trained on 2,048 H100 GPUs.\n"

HEAD = """\
[[source]]
id = "notes"
title = "Notes"
path = "notes.txt"
language = "en"
kind = "other"

[[model]]
id = "acme-1"
name = "Acme-1"
organization = "Acme"
"""

GOOD_CLAIM = """
[[claim]]
model = "acme-1"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "official"
citations = [{ source = "notes", quote = "about 70 billion parameters" }]
"""

TEN = """\
[[source]]
id = "notes"
title = "Notes"
path = "notes.txt"
language = "en"
kind = "other"

[[source]]
id = "blog"
title = "Blog"
path = "notes.txt"
language = "en"
kind = "blog"

[[model]]
id = "acme-1"
name = "Acme-1"
organization = "Acme"

[[model]]
id = "acme-2"
name = "Acme-2"
organization = "Acme"
statsu = "released"

[[model]]
id = "acme-3"
name = "Acme-3"

[[claim]]
model = "acme-1"
field = "paramters"
value = { about = 70, unit = "Gparameter" }
status = "confirmed"
citations = [{ source = "notes", quote = "about 70 billion parameters" }]

[[claim]]
model = "acme-1"
field = "training_accelerators"
value = { exact = 2048, unit = "H-100" }
status = "official"
citations = [{ source = "notes", quote = "2,048 H100 GPUs" }]

[[claim]]
model = "acme-1"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "official"
citations = [{ source = "note", quote = "about 70 billion parameters" }]

[[claim]]
model = "acme-9"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "official"
citations = [{ source = "notes", quote = "about 70 billion parameters" }]

[[claim]]
model = "acme-1"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "official"
citations = []

[[claim]]
model = "acme-2"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "official"
citations = [{ source = "blog", quote = "about 70 billion parameters" }]

[[claim]]
model = "acme-1"
field = "training_accelerators"
value = { about = -5, unit = "TPU" }
status = "official"
citations = [{ source = "notes", quote = "2,048 H100 GPUs" }]
"""

TPU_HINT = (
    'if it is a kind of chip, declare it with an [[accelerator]] table holding unit = "TPU" '
    'and new_unit = true (see "A new kind of chip" in docs/data-format.md)'
)

#: What TEN's ten mistakes give, in the order of the file (the claim on acme-2,
#: citing the refused source 'blog', is left out without a second report).
TEN_LINES = [
    "ten.toml:13: source 'blog': field 'kind': 'kind' must be one of press, paper, datasheet, "
    "web, dataset, other (got 'blog')",
    "ten.toml:24: model #2: field 'statsu': unknown key; a model has id, name, aliases, "
    "organization, family, modality, status, announced, announced_basis, announced_note, note, "
    "mentions, outside (did you mean 'status'?)",
    "ten.toml:26: model 'acme-3': field 'organization': missing (required)",
    "ten.toml:32: claim #1 (acme-1, paramters): field 'field': unknown field 'paramters'; "
    "known: parameters, active_parameters, training_tokens, training_datapoints, "
    "training_accelerators, inference_accelerators, training_compute, finetune_compute, "
    "training_duration, hardware_utilization, training_cost_usd2023, mmlu, mt_bench, "
    "lmarena_text_rank, architecture, tokens_per_parameter, weights_memory, "
    "training_peak_compute, training_power, training_h100_equivalents, training_time_at_peak, "
    "license, release, provenance, base_model, description, development, training_data, "
    "alignment, rival_of, same_class_as "
    "(did you mean 'parameters'?)",
    "ten.toml:34: claim #1 (acme-1, paramters): field 'status': 'status' must be one of "
    "rumored, reported, official (got 'confirmed')",
    "ten.toml:40: claim #2 (acme-1, training_accelerators): field 'value': unknown unit 'H-100'; "
    "did you mean 'H100'?",
    "ten.toml:49: claim #3 (acme-1, parameters): field 'citations': cites unknown source 'note' "
    "(did you mean 'notes'?)",
    "ten.toml:51: claim #4 (acme-9, parameters): field 'model': no model with id 'acme-9' "
    "(did you mean 'acme-1'?)",
    "ten.toml:63: claim #5 (acme-1, parameters): field 'citations': a claim needs at least one "
    "citation",
    "ten.toml:75: claim #7 (acme-1, training_accelerators): field 'value': unknown unit 'TPU'; "
    + TPU_HINT,
]


@pytest.fixture
def ten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """TEN written as ten.toml in the current folder, beside its source text."""
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    (tmp_path / "ten.toml").write_text(TEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return Path("ten.toml")


def test_ten_mistakes_give_ten_located_problems(ten: Path) -> None:
    """load_registry raises one DataFileError listing all ten problems, each located."""
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[ten])
    err = info.value
    assert [str(p) for p in err.problems] == TEN_LINES
    assert err.total == 10
    assert str(err) == "10 problems in ten.toml:\n" + "\n".join(TEN_LINES)
    # the error's own place is the first problem's
    assert (err.path, err.line, err.record, err.field) == ("ten.toml", 13, "source 'blog'", "kind")


def test_ten_mistakes_on_the_command_line(ten: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Any command with --data prints one line per problem and exits 4; so does `validate
    FILE`, which adds what it finds in the records that do load (here nothing)."""
    assert main(["--data", str(ten), "list"]) == EXIT_DATA
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        *(f"modelcompare: error: {line}" for line in TEN_LINES),
        "modelcompare: 10 problems; nothing was loaded",
    ]
    assert main(["validate", str(ten)]) == EXIT_DATA
    out, err = capsys.readouterr()
    assert all(line.startswith("info: ") for line in out.splitlines())
    *lines, summary = err.splitlines()
    assert lines == [f"modelcompare: error: {line}" for line in TEN_LINES]
    n = len(mc.load_registry()) + 1
    assert summary.startswith(f"modelcompare: 10 problems; checked {n} models, ")


def test_collected_error_pickles_and_is_a_value_error(ten: Path) -> None:
    """The collected DataFileError is a ValueError, and pickles with every problem."""
    with pytest.raises(ValueError, match="10 problems") as info:
        mc.load_registry(paths=[ten])
    err = info.value
    assert isinstance(err, mc.DataFileError)
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err)
    assert [str(p) for p in back.problems] == TEN_LINES
    assert back.total == 10


def test_one_problem_is_one_line(data_file: WriteFile) -> None:
    """A single problem str()s as one located line, and is its own only problem."""
    path = data_file(HEAD.replace('kind = "other"', 'kind = "blog"'))
    (path.parent / "notes.txt").write_text(NOTES, encoding="utf-8")
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    err = info.value
    assert err.problems == (err,)
    assert err.total == 1
    assert str(err) == (
        f"{path}:6: source 'notes': field 'kind': 'kind' must be one of press, paper, datasheet, "
        "web, dataset, other (got 'blog')"
    )


def test_problems_of_several_files_are_raised_together(data_file: WriteFile) -> None:
    """Two bad files: one error listing both files' problems, in the order given."""
    a = data_file(HEAD + GOOD_CLAIM.replace("official", "oficial"), "a.toml")
    b = data_file(GOOD_CLAIM.replace("acme-1", "acme-2"), "b.toml")
    (a.parent / "notes.txt").write_text(NOTES, encoding="utf-8")
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[a, b])
    assert [(p.path, p.line, p.field) for p in info.value.problems] == [
        (str(a), 17, "status"),
        (str(b), 2, "model"),
    ]
    assert str(info.value).startswith(f"2 problems in {a}, {b}:\n")


def test_nothing_is_half_loaded(ten: Path) -> None:
    """After a refused file the built-in registry is unchanged (no record of the file leaks)."""
    before = len(mc.load_registry())
    with pytest.raises(mc.DataFileError):
        mc.load_registry(paths=[ten])
    reg = mc.load_registry()
    assert len(reg) == before
    assert "acme-1" not in reg


def test_problems_are_capped(data_file: WriteFile) -> None:
    """Past MAX_PROBLEMS, the rest are counted, not listed: one last line says how many."""
    n = MAX_PROBLEMS + 20
    path = data_file(HEAD + GOOD_CLAIM.replace("official", "oficial") * n)
    (path.parent / "notes.txt").write_text(NOTES, encoding="utf-8")
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    err = info.value
    assert len(err.problems) == MAX_PROBLEMS
    assert err.total == n
    assert err.lines()[-1] == (f"… and 20 more problems (only the first {MAX_PROBLEMS} are listed)")
    assert [p.line for p in err.problems] == [17 + 7 * k for k in range(MAX_PROBLEMS)]


#: Mistakes one claim can make: (how to spoil GOOD_CLAIM, the field named, its line in the claim).
MISTAKES = [
    (lambda t: t.replace('field = "parameters"', 'field = "paramters"'), "field", 3),
    (lambda t: t.replace('"Gparameter"', '"Gparametre"'), "value", 4),
    (lambda t: t.replace('"official"', '"oficial"'), "status", 5),
    (lambda t: t.replace('source = "notes"', 'source = "nope"'), "citations", 6),
    (lambda t: t.replace('model = "acme-1"', 'model = "acme-7"'), "model", 1),
    (lambda t: t.replace("about = 70", "about = 0"), "value", 4),
    (lambda t: t.replace("status =", "stauts ="), "stauts", 5),
]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.one_of(st.none(), st.sampled_from(range(len(MISTAKES)))), max_size=12))
def test_every_spoiled_claim_is_reported_at_its_line(
    plan: list[int | None], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Claims each with one mistake (or none), in any order: one problem per spoiled claim,
    at its own line and field, and none for the good ones."""
    folder = tmp_path_factory.mktemp("spoiled")
    (folder / "notes.txt").write_text(NOTES, encoding="utf-8")
    text, want = HEAD, []
    for k in plan:
        start = text.count("\n") + 2  # the claim's [[claim]] line
        if k is None:
            text += GOOD_CLAIM
            continue
        spoil, field, offset = MISTAKES[k]
        spoiled = spoil(GOOD_CLAIM)
        assert spoiled != GOOD_CLAIM
        text += spoiled
        want.append((start + offset - 1, field))
    path = folder / "user.toml"
    path.write_text(text, encoding="utf-8")
    if not want:
        mc.load_registry(paths=[path])
        return
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    got = [(p.line, p.field) for p in info.value.problems]
    assert got == want


# -- a closed pipe ----------------------------------------------------------------------------
def _cut(argv: list[str], cwd: Path, *, stderr_too: bool) -> tuple[int, bytes]:
    """Run the CLI with its output into a pipe whose reader has already gone."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelcompare", *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if stderr_too else subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # before the child writes: every write meets a closed pipe
    err = b"" if stderr_too else proc.communicate()[1]
    return proc.wait(timeout=60), err


def test_validate_cut_by_a_closed_pipe_is_no_success(ten: Path) -> None:
    """`validate bad.toml 2>&1 | head` whose reader is gone exits 141, not 0."""
    code, _ = _cut(["validate", str(ten)], ten.resolve().parent, stderr_too=True)
    assert code == EXIT_PIPE


def test_output_cut_by_a_closed_pipe_exits_141_quietly(tmp_path: Path) -> None:
    """`modelcompare list | head` with the reader gone: exit 141, nothing on stderr
    (no traceback, no 'Exception ignored' from Python's flush at exit)."""
    code, err = _cut(["list"], tmp_path, stderr_too=False)
    assert (code, err) == (EXIT_PIPE, b"")


def test_validate_into_head(ten: Path) -> None:
    """Through a real `| head -1`: the first problem line reaches head, and the exit
    status is a failure (4, or 141 when the pipe closed first), never 0."""
    script = (
        f"set -o pipefail; {shlex.quote(sys.executable)} -m modelcompare validate ten.toml 2>&1 "
        '| head -1; echo "status=${PIPESTATUS[0]}"'
    )
    done = subprocess.run(
        ["bash", "-c", script], cwd=ten.resolve().parent, capture_output=True, text=True, timeout=60
    )
    first, status = done.stdout.splitlines()
    assert first == f"modelcompare: error: {TEN_LINES[0]}"
    assert status in (f"status={EXIT_DATA}", f"status={EXIT_PIPE}")


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_main_says_the_output_was_cut() -> None:
    """main() with a stream that raises BrokenPipeError returns EXIT_PIPE."""
    assert main(["fields"], out=_Closed()) == EXIT_PIPE


# -- what validate checks in the records that load ---------------------------------------------
TEXT = (
    "Acme-1 has about 70 billion parameters and was trained on 2,048 H100 GPUs. "
    "Acme-1 is a dense language model, a 7B model. It ranks 13th on the arena, beside GB200 "
    "chips.\nAcme-1 est entraîné sur 3,3 trillions de tokens. Acme-1 a environ 70 milliards de "
    "paramètres.\n"
)

SOURCES = """\
[[source]]
id = "notes"
title = "Notes"
path = "notes.txt"
language = "en"
kind = "other"

[[source]]
id = "notes-fr"
title = "Notes"
path = "notes.txt"
language = "fr"
kind = "other"

[[source]]
id = "notes-de"
title = "Notizen"
path = "notes.txt"
language = "de"
kind = "other"

[[model]]
id = "acme-1"
name = "Acme-1"
organization = "Acme"
"""


def _claim(field: str, value: str, cite: str, status: str = "official") -> str:
    return (
        f'\n[[claim]]\nmodel = "acme-1"\nfield = "{field}"\nvalue = {value}\n'
        f'status = "{status}"\ncitations = [{cite}]\n'
    )


@pytest.fixture
def checked(tmp_path: Path) -> Callable[..., list[str]]:
    """Validate SOURCES plus the given claims; the problems as lines, the file as 'c.toml'."""

    def run(*claims: str, warnings: bool = False) -> list[str]:
        (tmp_path / "notes.txt").write_text(TEXT, encoding="utf-8")
        path = tmp_path / "c.toml"
        path.write_text(SOURCES + "".join(claims), encoding="utf-8")
        reg = mc.load_registry(paths=[path])
        return [
            str(p).replace(str(path), "c.toml").replace(str(tmp_path), "DIR")
            for p in reg.validate(include_warnings=warnings)
        ]

    return run


NO_FIGURE_HINT = (
    '(if the source states it without a figure, say why: no_figure = "…" in the citation)'
)
FIRST = "c.toml:32: claim #1 (acme-1"  # where the first claim's citation stands


@pytest.mark.parametrize(
    ("claim", "want"),
    [
        pytest.param(
            _claim(
                "training_compute",
                '{ exact = 1e25, unit = "FLOP" }',
                '{ source = "notes", quote = "a dense language model" }',
            ),
            f"{FIRST}, training_compute): field 'citations': the quote gives no figure for "
            f"1 × 10²⁵ FLOP {NO_FIGURE_HINT}",
            id="no-figure",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ about = 80, unit = "Gparameter" }',
                '{ source = "notes", quote = "about 70 billion parameters" }',
            ),
            f"{FIRST}, parameters): field 'citations': the quote gives ≈70 B parameters, "
            "not ≈80 B parameters",
            id="other-figure",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ exact = 70, unit = "Gparameter" }',
                '{ source = "notes", quote = "about 70 billion parameters" }',
            ),
            f"{FIRST}, parameters): field 'citations': the quote gives ≈70 B parameters, "
            "not 70 B parameters",
            id="other-bound",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ about = 70, unit = "Gparameter" }',
                '{ source = "notes", quote = "about 70 billion parameters" }',
            ),
            None,
            id="figure-stated",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ about = 70, unit = "Gparameter", low = 60, high = 80 }',
                '{ source = "notes", quote = "about 70 billion parameters" }',
            ),
            None,
            id="about-with-own-span",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ about = 70, unit = "Gparameter" }',
                '{ source = "notes-fr", quote = "environ 70 milliards de paramètres" }',
            ),
            None,
            id="french",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ exact = 7, unit = "Gparameter" }',
                '{ source = "notes", quote = "a 7B model" }',
            ),
            None,
            id="unit-unsaid",
        ),
        pytest.param(
            _claim(
                "training_tokens",
                '{ exact = 3.3, unit = "Ttoken" }',
                '{ source = "notes-fr", quote = "3,3 trillions de tokens" }',
            ),
            f"{FIRST}, training_tokens): field 'citations': the quote's billion/trillion reads as "
            "3.3 × 10¹⁸ tokens in the French long scale, not 3.3 T tokens (if the source means "
            'it in the English sense, add scale = "short" to the citation)',
            id="scale-unsaid",
        ),
        pytest.param(
            _claim(
                "training_tokens",
                '{ exact = 3.3, unit = "Ttoken" }',
                '{ source = "notes-fr", quote = "3,3 trillions de tokens", scale = "short" }',
            ),
            None,
            id="scale-short",
        ),
        pytest.param(
            _claim(
                "training_tokens",
                '{ exact = 3.3, unit = "Ttoken" }',
                '{ source = "notes-fr", quote = "3,3 trillions de tokens", scale = "long" }',
            ),
            f"{FIRST}, training_tokens): field 'citations': the quote gives 3.3 × 10¹⁸ tokens, "
            "not 3.3 T tokens",
            id="scale-long",
        ),
        pytest.param(
            _claim(
                "training_compute",
                '{ exact = 1e25, unit = "FLOP" }',
                '{ source = "notes", quote = "a dense language model", '
                'no_figure = "the figure is the sum of two others" }',
            ),
            None,
            id="no-figure-said",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ about = 70, unit = "Gparameter" }',
                '{ source = "notes", quote = "about 70 billion parameters", '
                'no_figure = "not needed" }',
            ),
            f"{FIRST}, parameters): field 'citations': the quote gives ≈70 B parameters: "
            "remove no_figure",
            id="no-figure-but-figure",
        ),
        pytest.param(
            _claim(
                "training_accelerators",
                '{ unknown = true, unit = "GB200" }',
                '{ source = "notes", quote = "beside GB200 chips" }',
            ),
            None,
            id="unknown-named",
        ),
        pytest.param(
            _claim(
                "training_accelerators",
                '{ unknown = true, unit = "H100" }',
                '{ source = "notes", quote = "trained on 2,048 H100 GPUs" }',
            ),
            f"{FIRST}, training_accelerators): field 'citations': the quote gives 2,048 H100: "
            "the value is that figure, not ? H100",
            id="unknown-but-counted",
        ),
        pytest.param(
            _claim(
                "training_accelerators",
                '{ unknown = true, unit = "GB200" }',
                '{ source = "notes", quote = "a dense language model" }',
            ),
            f"{FIRST}, training_accelerators): field 'citations': the quote does not name GB200 "
            "(? GB200 says the source names it with no figure)",
            id="unknown-not-named",
        ),
        pytest.param(
            _claim(
                "lmarena_text_rank",
                "{ rank = 13 }",
                '{ source = "notes", quote = "It ranks 13th on the arena" }',
            ),
            None,
            id="rank",
        ),
        pytest.param(
            _claim(
                "lmarena_text_rank",
                "{ rank = 12 }",
                '{ source = "notes", quote = "It ranks 13th on the arena" }',
            ),
            f"{FIRST}, lmarena_text_rank): field 'citations': the quote gives no rank 12 (as "
            f"'12e', '12th' or '#12') {NO_FIGURE_HINT}",
            id="other-rank",
        ),
        pytest.param(
            _claim(
                "architecture",
                '{ text = "dense" }',
                '{ source = "notes", quote = "a dense language model" }',
            ),
            None,
            id="category",
        ),
        pytest.param(
            _claim(
                "parameters",
                '{ about = 70, unit = "Gparameter" }',
                '{ source = "notes", quote = "about 70 billion parametres" }',
            ),
            f"{FIRST}, parameters): field 'citations': quote not found verbatim in source "
            "'notes' (DIR/notes.txt): 'about 70 billion parametres'",
            id="not-verbatim-only",
        ),
    ],
)
def test_each_quote_gives_its_claims_figure(
    checked: Callable[..., list[str]], claim: str, want: str | None
) -> None:
    """Each rule of the figure check, as validate words it (None: no problem)."""
    assert checked(claim) == ([want] if want else [])


def test_a_figure_in_a_language_with_no_reader_is_a_warning(
    checked: Callable[..., list[str]],
) -> None:
    """A quote in German is checked verbatim, and its figure is a warning, not an error."""
    claim = _claim(
        "parameters",
        '{ about = 70, unit = "Gparameter" }',
        '{ source = "notes-de", quote = "about 70 billion parameters" }',
    )
    assert checked(claim) == []
    assert checked(claim, warnings=True) == [
        f"{FIRST}, parameters): field 'citations': the figure was not checked: no reader for "
        "'de' text (only en, fr)"
    ]


def test_problems_name_the_citation_line(checked: Callable[..., list[str]]) -> None:
    """With citations on lines of their own, each problem names its citation's line."""
    claim = _claim(
        "parameters",
        '{ about = 70, unit = "Gparameter" }',
        '\n  { source = "notes", quote = "about 70 billion parameters" },'
        '\n  { source = "notes", quote = "a dense language model" },\n',
    )
    assert checked(claim) == [
        f"c.toml:34: claim #1 (acme-1, parameters): field 'citations': the quote gives no figure "
        f"for ≈70 B parameters {NO_FIGURE_HINT}"
    ]


# -- warnings: contradicting claims, files that add nothing --------------------------------------
def test_contradicting_claims_are_warnings(
    checked: Callable[..., list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two claims that cannot both hold: a located warning naming the other claim; validate
    exits 0 saying so, and 1 with --strict."""
    claims = (
        _claim(
            "parameters",
            '{ about = 70, unit = "Gparameter" }',
            '{ source = "notes", quote = "about 70 billion parameters" }',
        ),
        _claim(
            "parameters",
            '{ exact = 7, unit = "Gparameter" }',
            '{ source = "notes", quote = "a 7B model" }',
            status="rumored",
        ),
    )
    assert checked(*claims) == []
    assert checked(*claims, warnings=True) == [
        "c.toml:34: claim #2 (acme-1, parameters): field 'value': 7 B parameters contradicts "
        "≈70 B parameters of claim #1 (acme-1, parameters) (line 27)"
    ]
    path = str(tmp_path / "c.toml")
    assert main(["validate", path]) == EXIT_OK
    out, err = capsys.readouterr()
    last = out.splitlines()[-1]
    assert last.startswith(f"ok: {len(mc.load_registry()) + 1} models, ")
    assert last.endswith(" (1 warning)")
    assert err == (
        f"modelcompare: warning: {path}:34: claim #2 (acme-1, parameters): field 'value': "
        "7 B parameters contradicts ≈70 B parameters of claim #1 (acme-1, parameters) "
        "(line 27)\n"
    )
    assert main(["validate", "--strict", path]) == EXIT_PROBLEMS
    _, err = capsys.readouterr()
    n = len(mc.load_registry()) + 1
    assert err.splitlines()[-1].startswith(
        f"modelcompare: 1 warning (--strict); checked {n} models"
    )


@pytest.mark.parametrize("text", ["", "\n\n", "# my models, to do\n", 'root = "."\n'])
def test_a_file_that_adds_nothing_says_so(
    data_file: WriteFile, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """An empty or comment-only file: a warning from load_registry, from `--data FILE list`
    and from `validate FILE` (exit 0, 'ok' with the warning counted), never a silent ok."""
    path = data_file(text, "empty.toml")
    message = (
        f"{path}: adds nothing: no [[source]], [[model]], [[claim]] or [[accelerator]] table "
        "(the file is empty, or only comments)"
    )
    with pytest.warns(mc.DataFileWarning) as caught:
        reg = mc.load_registry(paths=[path])
    assert [str(w.message) for w in caught] == [message]
    assert len(reg) == len(mc.load_registry())
    assert main(["--data", str(path), "sources"]) == EXIT_OK
    assert capsys.readouterr().err == f"modelcompare: warning: {message}\n"
    assert main(["validate", str(path)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == f"modelcompare: warning: {message}\n"
    assert out.splitlines()[-1].endswith(" accelerators (1 warning)")


def test_a_file_of_records_adds_something(
    data_file: WriteFile, recwarn: pytest.WarningsRecorder
) -> None:
    """A file with a record gives no 'adds nothing' warning."""
    path = data_file(HEAD)
    (path.parent / "notes.txt").write_text(NOTES, encoding="utf-8")
    mc.load_registry(paths=[path])
    assert not [w for w in recwarn if issubclass(w.category, mc.DataFileWarning)]


# -- unknown units: hints within the field's dimension, and how to add a chip -----------------
@pytest.mark.parametrize(
    ("field", "unit", "hint"),
    [
        ("training_accelerators", "QX9000", TPU_HINT.replace('"TPU"', '"QX9000"')),
        ("training_accelerators", "TPU", TPU_HINT),
        (
            "training_accelerators",
            "TPU v9",
            "if it is a kind of chip, declare it with an [[accelerator]] table holding a unit "
            'such as "TPUv4" and new_unit = true (see "A new kind of chip" in docs/data-format.md)',
        ),
        ("training_accelerators", "H-100", "did you mean 'H100'?"),
        ("training_accelerators", "h100s", "did you mean 'H100'?"),
        ("training_accelerators", "NVIDIA GB200", "did you mean 'GB200'?"),
        ("parameters", "Gparametre", "did you mean 'Gparameter'?"),
        (
            "parameters",
            "H-100",
            "'parameters' is counted in parameter, Mparameter, Gparameter, Tparameter",
        ),
        ("training_tokens", "Ttokenz", "did you mean 'Ttoken'?"),
    ],
)
def test_unknown_unit_hints(data_file: WriteFile, field: str, unit: str, hint: str) -> None:
    """An unknown unit's hint stays within the field's dimension: a chip only for its own
    spellings (TPU is no GPU), else how to declare a kind of chip; golden messages."""
    path = data_file(
        f'[[claim]]\nmodel = "grok"\nfield = "{field}"\nvalue = {{ exact = 5, unit = "{unit}" }}\n'
        'status = "rumored"\ncitations = [{ source = "seed-004", quote = "Grok" }]\n'
    )
    with pytest.raises(mc.DataFileError) as info:
        mc.load_registry(paths=[path])
    assert str(info.value) == (
        f"{path}:4: claim #1 (grok, {field}): field 'value': unknown unit {unit!r}; {hint}"
    )


@settings(max_examples=60)
@given(word=st.text(st.sampled_from("ABCDGHIMPTUX0123456789-_ s"), min_size=1, max_size=8))
def test_a_chip_is_suggested_only_for_its_own_spelling(word: str) -> None:
    """unit_hint suggests a chip only when the word is that chip written another way (case,
    punctuation, a plural), and for a quantity field never a unit of another dimension."""
    hint = unit_hint(word, FIELDS["training_accelerators"])
    if hint.startswith("did you mean"):
        chip = hint.split("'")[1]
        assert chip in accelerator_units()  # as now declared (tests declare chips too)
        key = normalize(chip)
        forms = {normalize(word), *(normalize(t) for t in word.split())}
        assert any(f in (key, key + "s") for f in forms)
    else:
        assert hint == chip_hint(word)
    other = unit_hint(word, FIELDS["parameters"])
    if other.startswith("did you mean"):
        suggested = other.split("'")[1]
        assert FIELDS["parameters"].accepts(suggested)


# -- duplicate claims (issue 12) ------------------------------------------------------------------
_SEVENTY = '{ about = 70, unit = "Gparameter" }'
_QUOTE = '{ source = "notes", quote = "about 70 billion parameters" }'


def test_two_identical_claims_are_one_problem(checked: Callable[..., list[str]]) -> None:
    """Two claims identical in field, value, status and sources: the second is refused,
    naming the first, even when they quote different sentences of the source."""
    other = '{ source = "notes", quote = "Acme-1 has about 70 billion parameters" }'
    assert checked(
        _claim("parameters", _SEVENTY, _QUOTE), _claim("parameters", _SEVENTY, other)
    ) == [
        "c.toml:34: claim #2 (acme-1, parameters): field 'citations': the same claim as "
        "claim #1 (acme-1, parameters) (line 27): same field, value, status and sources "
        "(merge them: one claim citing both quotes)"
    ]


@pytest.mark.parametrize(
    "second",
    [
        _claim("parameters", _SEVENTY, _QUOTE, status="rumored"),
        _claim(
            "parameters",
            _SEVENTY,
            '{ source = "notes-fr", quote = "environ 70 milliards de paramètres" }',
        ),
        _claim("parameters", '{ about = 70, unit = "Gparameter", low = 60, high = 80 }', _QUOTE),
    ],
    ids=["other-status", "other-source", "other-value"],
)
def test_claims_that_differ_are_no_duplicates(
    checked: Callable[..., list[str]], second: str
) -> None:
    """A claim that differs in status, sources or value from another is no duplicate."""
    assert checked(_claim("parameters", _SEVENTY, _QUOTE), second) == []


def test_builtin_data_validates_with_every_check(reg: mc.Registry) -> None:
    """The built-in data has no problem and no warning, figures and duplicates included."""
    assert reg.validate(include_warnings=True) == []


def test_the_chip_hint_is_true(data_file: WriteFile) -> None:
    """Doing what the hint says (an [[accelerator]] with the unit and new_unit = true)
    makes the refused claim load, counted in its own kind of chip."""
    claim = (
        '[[claim]]\nmodel = "grok"\nfield = "training_accelerators"\n'
        'value = { exact = 5, unit = "QX9001" }\nstatus = "rumored"\n'
        'citations = [{ source = "seed-004", quote = "Grok" }]\n'
    )
    with pytest.raises(mc.DataFileError, match='holding unit = "QX9001" and new_unit = true'):
        mc.load_registry(paths=[data_file(claim, "before.toml")])
    declared = (
        '[[accelerator]]\nid = "qx-9001"\nunit = "QX9001"\nnew_unit = true\n'
        'name = "QX 9001"\nvendor = "QX"\n\n'
    )
    reg = mc.load_registry(paths=[data_file(declared + claim, "after.toml")])
    assert "5 QX9001" in [str(c.value) for c in reg["grok"].claims("training_accelerators")]
