"""An export's rows are made into records when first asked for (see
``modelcompare.deferred``): a registry loaded so is, record for record and in
order, the registry of the same files merged whole; its errors are the same
errors; a row is reported when the file loads, never later."""

from __future__ import annotations

import csv
import itertools
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.deferred import LazySources
from modelcompare.loader import LazyModel, build, normalize
from modelcompare.readers import read_file
from modelcompare.readers.epoch import _keys_and_slugs, _slug
from modelcompare.registry import Registry, _parse_cached, builtin_files
from strategies import hostile_cells
from test_epoch_fast import _NUMBER_COLUMNS, _rows, _same, _write_export

FIXTURES = Path(__file__).parent / "fixtures" / "epoch"
EXPORTS = sorted(FIXTURES.glob("*.csv"))


def _eager(paths: list[Path], builtin: bool = True) -> Registry:
    """The registry of ``paths`` (and the built-in data) merged whole, every row made."""
    files = [*(_parse_cached(p) for p in builtin_files())] if builtin else []
    return Registry._of_built(build([*files, *(read_file(p) for p in paths)]))


def _outcome(load: Any) -> tuple[str, Any]:
    try:
        return "ok", load()
    except mc.DataFileError as exc:
        return "error", str(exc)


def _assert_same_registry(lazy: Registry, eager: Registry) -> None:
    assert len(lazy) == len(eager)
    assert [m.id for m in lazy.summaries()] == [m.id for m in eager.summaries()]
    for a, b in zip(lazy, eager, strict=True):
        assert _same(replace(a, derive=None), replace(b, derive=None)), (a.id, b.id)
        assert a.derive is not None
        assert a.derive.__self__ is lazy  # type: ignore[attr-defined]
    assert list(lazy.sources) == list(eager.sources)
    assert dict(lazy.sources) == dict(eager.sources)
    assert lazy.accelerators == eager.accelerators
    assert lazy._index == eager._index
    assert lazy._ambiguous == eager._ambiguous


def _assert_same_load(paths: list[Path], builtin: bool = True) -> None:
    lazy = _outcome(lambda: mc.load_registry(paths=paths, builtin=builtin))
    eager = _outcome(lambda: _eager(paths, builtin))
    assert lazy[0] == eager[0], (lazy, eager)
    if lazy[0] == "ok":
        _assert_same_registry(lazy[1], eager[1])
    else:
        assert lazy[1] == eager[1]


@st.composite
def _odd_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    """Rows of every column the reader reads, some cells odd: a number with spaces
    or a sign, a figure that is wrong (negative, NaN, text), dates and links of
    every kind; several rows of one name."""
    rows = draw(_rows())
    odd = st.one_of(
        hostile_cells(),
        st.sampled_from([" 5 ", "\u20035", "+7", "-0", "0", "1e400", "1e", ".", "1_000", "٣"]),
    )
    for row in rows:
        for column in draw(st.lists(st.sampled_from(_NUMBER_COLUMNS), max_size=2)):
            row[column] = draw(odd)
        if draw(st.booleans()):
            row["Publication date"] = draw(
                st.sampled_from(["2024-02-30", "2023-13", " 2024-05-16", "1899", "2024-02-29"])
            )
        if draw(st.booleans()):
            row["Link"] = draw(
                st.sampled_from(
                    [
                        "HTTPS://A.EXAMPLE/x",
                        "https://a.example/x\nhttps://b.example",
                        "https://a.example/<x>",
                        'https://a"b',
                        "https:// x https://b.example/y",
                        "see https://a.example/x, and more",
                        "no link here",
                        "https://",
                    ]
                )
            )
    if rows and draw(st.booleans()):
        rows.append(dict(rows[0]))  # a second row of one name: another model
    return rows


@settings(max_examples=60, deadline=None)
@given(_odd_rows(), st.booleans())
def test_a_lazily_loaded_export_is_the_export_merged_whole(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]], builtin: bool
) -> None:
    """Random rows, odd cells among them: the same models (ids, names, claims, their
    citations and origins), sources in the same order, chips, name index; or the same
    error, naming the same rows."""
    _assert_same_load([_write_export(tmp_path_factory, rows)], builtin)


@settings(max_examples=20, deadline=None)
@given(_rows(), _rows())
def test_two_exports_join_each_other_as_when_merged_whole(
    tmp_path_factory: pytest.TempPathFactory, a: list[dict[str, str]], b: list[dict[str, str]]
) -> None:
    """The second export's rows join the first's models of their names (made then)."""
    b = [*b, *(dict(r) for r in a[:2])]
    _assert_same_load([_write_export(tmp_path_factory, a), _write_export(tmp_path_factory, b)])


def test_the_real_exports_load_lazily_as_merged_whole() -> None:
    for path in EXPORTS:
        _assert_same_load([path])
    _assert_same_load(EXPORTS)


def test_a_model_left_for_later_is_made_only_when_asked_for() -> None:
    path = FIXTURES / "notable_ai_models.csv"
    reg = mc.load_registry(paths=[path])
    waiting = len(reg._later)
    assert waiting > 0
    assert isinstance(reg.sources, LazySources)
    llama = reg["Llama 3.1-405B"]
    assert len(reg._later) == waiting - 1
    assert llama.claims("parameters")
    stated = llama.stated_claims
    assert all(c.citations[0].source is reg.sources[c.citations[0].source.id] for c in stated)
    primary = [c.source for claim in stated for c in claim.citations[1:]]
    assert primary
    assert all(reg.sources[s.id] is s for s in primary)
    assert reg["GPT-4"].claims("training_compute")  # joined when the file loaded


def test_records_of_other_files_that_name_a_row_make_it_when_the_files_load(
    tmp_path: Path,
) -> None:
    """A claim of an export's model, a relation to one, and a citation of a row's own
    source, in a TOML file: merged as when every row is made."""
    path = FIXTURES / "notable_ai_models.csv"
    reg = mc.load_registry(paths=[path])
    row = reg["Llama 3.1-405B"]
    primary = next(c.source.id for claim in row.stated_claims for c in claim.citations[1:])
    extra = tmp_path / "extra.toml"
    extra.write_text(
        f"""
[[source]]
id = "memo"
title = "A memo"
url = "https://example.org/memo"
language = "en"
kind = "web"
external = true

[[claim]]
model = "{row.id}"
field = "training_duration"
value = {{ exact = 1, unit = "day" }}
status = "reported"
citations = [{{ source = "memo", quote = "one day" }}]

[[claim]]
model = "mai-1"
field = "parameters"
value = {{ exact = 5e9, unit = "parameter" }}
status = "reported"
citations = [{{ source = "{primary}", quote = "Llama" }}]
""",
        encoding="utf-8",
    )
    _assert_same_load([path, extra])
    _assert_same_load([extra, path])
    loaded = mc.load_registry(paths=[path, extra])
    assert [str(c.value) for c in loaded[row.id].claims("training_duration")][-1] == "1 day"


def test_a_row_of_a_model_asked_for_by_many_threads_is_made_once() -> None:
    reg = mc.load_registry(paths=[FIXTURES / "notable_ai_models.csv"])
    names = [m.name for m in reg.summaries()][-40:]
    got: list[list[Any]] = [[] for _ in range(8)]

    def ask(n: int) -> None:
        got[n] = [reg[name] for name in names]

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(all(a is b for a, b in zip(g, got[0], strict=True)) for g in got)


def test_a_lazily_loaded_registry_pickles_whole() -> None:
    import pickle

    reg = mc.load_registry(paths=[FIXTURES / "notable_ai_models.csv"])
    again = pickle.loads(pickle.dumps(reg))
    assert type(again.sources) is dict
    assert not again._later
    assert [m.id for m in again] == [m.id for m in reg]


def test_a_bad_row_is_reported_when_the_file_loads(tmp_path: Path) -> None:
    """A cell no column check clears is read with its row: its problem is raised by
    load_registry, with the row's line and column, as when every row is made."""
    rows = list(csv.reader((FIXTURES / "notable_ai_models.csv").open(encoding="utf-8")))
    at = rows[0].index("Parameters")
    rows[2][at] = "-3"
    path = tmp_path / "notable_ai_models.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(mc.DataFileError) as caught:
        mc.load_registry(paths=[path])
    assert (caught.value.problems[0].line, caught.value.problems[0].field) == (3, "Parameters")
    _assert_same_load([path])


@given(st.lists(st.one_of(st.text(max_size=12), st.text("aB+ -._9\x00é", max_size=6)), max_size=8))
def test_keys_and_slugs_of_names_are_each_names_own(names: list[str]) -> None:
    """The names' keys and slugs, found for all of them at once, are each one's."""
    keys, slugs, slug_keys = _keys_and_slugs(names)
    assert keys == [normalize(n) for n in names]
    assert slugs == [_slug(n) for n in names]
    assert slug_keys == [normalize(_slug(n)) for n in names]


def test_lazy_models_are_not_models() -> None:
    """What the merge leaves for later never reaches a user: the registry's models are Models."""
    reg = mc.load_registry(paths=[FIXTURES / "all_ai_models.csv"])
    assert not any(isinstance(m, LazyModel) for m in itertools.chain(reg, reg.select()))


_ODD_CELLS = [
    *((column, value) for column in _NUMBER_COLUMNS for value in ("0", "0.0", "1e400", "-0", "x")),
    *(("Hardware quantity", v) for v in ("1.5", " 8 ", "8.0", "+8")),
    *(("Hardware utilization", v) for v in ("1.5", "1", "0", "0.5")),
    *(("Training power draw (W)", v) for v in ("0", "1e306")),
    *(("Training time (hours)", v) for v in ("1e306", "1e300")),
    ("Training compute lower bound", "1e30"),  # above the row's upper bound
    *(
        ("Publication date", v)
        for v in ("2024-02-30", "2024-02-29", "2023-02-29", "2024-13", "1899", " 2024 ", "24")
    ),
    *(
        ("Link", v)
        for v in (
            "HTTPS://A.EXAMPLE/x",
            "https://a.example/<x>",
            "https:// x https://b.example/y",
            "x https://a.example/y;z",
            "https://",
            "no link",
            "https://a.example/\x7f",
        )
    ),
]


@pytest.mark.parametrize(("column", "value"), _ODD_CELLS)
def test_each_check_a_row_can_fail_is_made_when_the_file_loads(
    tmp_path: Path, column: str, value: str
) -> None:
    """Each cell a row's reading refuses or takes: the lazy load and the whole merge
    agree (the same error, or the same records), wherever the cell is."""
    rows = list(csv.reader((FIXTURES / "notable_ai_models.csv").open(encoding="utf-8")))
    for name in (column, "Training compute upper bound"):
        if name not in rows[0]:
            rows[0].append(name)
    for row in rows[1:]:
        while len(row) < len(rows[0]):
            row.append("")
    rows[2][rows[0].index("Training compute upper bound")] = "1e26"
    rows[2][rows[0].index(column)] = value
    path = tmp_path / "notable_ai_models.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    _assert_same_load([path])


@pytest.mark.parametrize("cells", [1, 2, 5])
def test_an_export_whose_rows_are_all_shorter_than_its_header_loads(
    tmp_path: Path, cells: int
) -> None:
    # (every row's missing cells are empty: a crash, IndexError, before this test)
    header = [
        "Model",
        "Organization",
        "Domain",
        "Publication date",
        "Parameters",
        "Training compute (FLOP)",
        "Link",
    ]
    path = tmp_path / "short.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerow(["Acme-1", "Acme", "Language", "2024-05-01", "7e9"][:cells])
        w.writerow(["Acme-2", "Acme", "Language", "2024-06-01", "8e9"][:cells])
    reg = mc.load_registry(paths=[path])
    assert {"Acme-1", "Acme-2"} <= {m.name for m in reg}
    params = reg["Acme-2"].claims("parameters")
    assert len(params) == (1 if cells >= 5 else 0)
    _assert_same_load([path])


@pytest.mark.parametrize(
    "names",
    [
        ["ß", "SS"],  # the first one's id is its line ('ß' has no ASCII slug), its key 'ss'
        ["SS", "ß"],
        ["Acme", "Acme", "acme-line-3"],  # a name twice, then the second one's id
        ["Command R+", "Command R", "command-r"],
        ["A.B", "AB"],  # two slugs of one key
    ],
)
def test_rows_whose_names_and_ids_meet_are_merged_as_one_at_a_time(
    tmp_path: Path, names: list[str]
) -> None:
    """Where a row's id, or its key, is another row's name or id, the merge's steps
    for all the rows at once give way to the steps a row at a time: the same
    models, ids and name index as the merge of the rows made whole."""
    path = tmp_path / "notable_ai_models.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Model", "Organization", "Domain", "Publication date", "Parameters"])
        for n, name in enumerate(names):
            w.writerow([name, "Acme", "Language", "2024-05-01", f"{n + 1}e9"])
    _assert_same_load([path], builtin=False)
    reg = mc.load_registry(paths=[path], builtin=False)
    assert len({m.id for m in reg}) == len(names)


def test_a_row_whose_id_is_another_files_models_name_takes_another_id(tmp_path: Path) -> None:
    """The row 'Acme+' at line 3 has the id acme-line-3 ('acme' is not its name: its
    key keeps the '+'), whose key is that of a model a data file loaded before it
    names 'Acme Line 3': the row takes another id, as the merge a row at a time
    gives it."""
    toml = tmp_path / "mine.toml"
    toml.write_text(
        '[[model]]\nid = "acme-l3"\nname = "Acme Line 3"\norganization = "Acme"\n'
        'status = "released"\n',
        encoding="utf-8",
    )
    path = tmp_path / "notable_ai_models.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Model", "Organization", "Domain", "Publication date", "Parameters"])
        w.writerow(["Acme-1", "Acme", "Language", "2024-05-01", "7e9"])
        w.writerow(["Acme+", "Acme", "Language", "2024-05-01", "5e11"])
    _assert_same_load([toml, path])
    reg = mc.load_registry(paths=[toml, path])
    assert reg["Acme+"].id not in ("acme-line-3", "acme-l3")
    assert reg["Acme Line 3"].id == "acme-l3"
