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
from modelcompare.cli import EXIT_DATA, EXIT_PIPE, main
from modelcompare.errors import MAX_PROBLEMS

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
    "training_accelerators, inference_accelerators, training_compute, training_duration, "
    "hardware_utilization, training_cost_usd2023, mmlu, mt_bench, lmarena_text_rank, "
    "architecture, tokens_per_parameter, weights_memory, training_peak_compute, training_power, "
    "training_h100_equivalents, training_time_at_peak, license, release, provenance, "
    "description, development, training_data, alignment, rival_of, same_class_as "
    "(did you mean 'parameters'?)",
    "ten.toml:34: claim #1 (acme-1, paramters): field 'status': 'status' must be one of "
    "rumored, reported, official (got 'confirmed')",
    "ten.toml:40: claim #2 (acme-1, training_accelerators): field 'value': unknown unit 'H-100'; "
    "did you mean 'H100'?",
    "ten.toml:44: claim #3 (acme-1, parameters): field 'citations': cites unknown source 'note' "
    "(did you mean 'notes'?)",
    "ten.toml:51: claim #4 (acme-9, parameters): field 'model': no model with id 'acme-9' "
    "(did you mean 'acme-1'?)",
    "ten.toml:63: claim #5 (acme-1, parameters): field 'citations': a claim needs at least one "
    "citation",
    "ten.toml:75: claim #7 (acme-1, training_accelerators): field 'value': unknown unit 'TPU'; "
    'if it is a kind of chip, it must be declared before claims count it: see "A new kind of '
    'chip" in docs/data-format.md',
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
    """`validate FILE` and any command with --data print one line per problem, exit 4."""
    for argv in (["validate", str(ten)], ["--data", str(ten), "list"]):
        assert main(argv) == EXIT_DATA
        out, err = capsys.readouterr()
        assert out == ""
        assert err.splitlines() == [
            *(f"modelcompare: error: {line}" for line in TEN_LINES),
            "modelcompare: 10 problems; nothing was loaded",
        ]


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
    (lambda t: t.replace('source = "notes"', 'source = "nope"'), "citations", 1),
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
    assert status in ("status=4", f"status={EXIT_PIPE}")


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_main_says_the_output_was_cut() -> None:
    """main() with a stream that raises BrokenPipeError returns EXIT_PIPE."""
    assert main(["fields"], out=_Closed()) == EXIT_PIPE
