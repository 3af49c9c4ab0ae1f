"""The registry cache: a repeat load of unchanged files reads a compiled registry
that is the same registry, and any change to what the load read makes it stale."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import modelcompare as mc
from conftest import Run
from modelcompare import regcache
from modelcompare.listing import model_summary
from modelcompare.testing import estimates, registries, write_data_file

DATA = """
[[source]]
id = "note"
title = "My note"
path = "note.txt"
language = "en"
kind = "other"

[[model]]
id = "acme-1"
name = "Acme 1"
organization = "Acme"

[[claim]]
model = "acme-1"
field = "parameters"
value = { about = 70, unit = "Gparameter" }
status = "reported"
citations = [{ source = "note", quote = "Acme 1 has about 70 billion parameters" }]

[[claim]]
model = "acme-1"
field = "training_tokens"
value = { exact = 15, unit = "Ttoken" }
status = "official"
citations = [{ source = "note", quote = "trained on 15 trillion tokens" }]
"""
TEXT = "Acme 1 has about 70 billion parameters, trained on 15 trillion tokens.\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MODELCOMPARE_CACHE_DIR", str(folder))
    monkeypatch.delenv("MODELCOMPARE_NO_CACHE", raising=False)
    return folder / "registry"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "note.txt").write_text(TEXT, encoding="utf-8")
    path = folder / "data.toml"
    path.write_text(DATA, encoding="utf-8")
    return path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.registry.pickle")) if folder.is_dir() else []


def snapshot(reg: mc.Registry) -> list[object]:
    """Everything a reader of the registry sees: records, claims (derived ones
    too), their values' intervals, citations and where they are written."""
    out: list[object] = [sorted(reg.sources), [a.unit for a in reg.accelerators], reg.files]
    out.append(reg.summaries())
    for m in reg:
        out.append((repr(m), m.aliases, m.announced, m.origin))
        for c in m.claims():
            v = c.value
            ends = repr(v.interval()) if isinstance(v, mc.Estimate) else None  # NaN: unknown
            cites = [(x.source.id, x.source.file, x.quote, x.locator) for x in c.citations]
            out.append((str(c), c.status, ends, cites, c.origin))
    return out


def _load(path: Path, **options: object) -> mc.Registry:
    return mc.load_registry(paths=[path], cache=True, **options)  # type: ignore[arg-type]


def test_a_repeat_load_reads_the_cache_and_gives_the_same_registry(cache: Path, data: Path) -> None:
    first = _load(data)
    assert len(_entries(cache)) == 1
    again = _load(data)
    assert again is not first
    assert snapshot(again) == snapshot(first)
    assert snapshot(again) == snapshot(mc.load_registry(paths=[data]))
    # derived figures are derived again, from the cached claims
    assert str(again.ratio("acme-1", "acme-1", "training_compute")) != ""
    assert again["acme-1"].value("training_compute") is not None


def test_without_cache_nothing_is_written(cache: Path, data: Path) -> None:
    mc.load_registry(paths=[data])
    assert _entries(cache) == []


def test_no_cache_environment_turns_it_off(
    cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELCOMPARE_NO_CACHE", "1")
    _load(data)
    assert _entries(cache) == []


def test_an_edited_data_file_is_read_again(cache: Path, data: Path) -> None:
    _load(data)
    data.write_text(DATA.replace("about = 70", "about = 80"), encoding="utf-8")
    assert str(_load(data)["acme-1"].value("parameters")) == "≈80 B parameters"


def test_an_edited_source_text_makes_the_entry_stale(cache: Path, data: Path) -> None:
    _load(data)
    note = data.parent / "note.txt"
    note.write_text(TEXT + "More.\n", encoding="utf-8")
    os.utime(note, ns=(1, 1))  # a new time and size
    before = _entries(cache)[0].stat().st_mtime_ns
    _load(data)
    assert _entries(cache)[0].stat().st_mtime_ns != before  # loaded and stored again


def test_a_deleted_source_text_is_reported_not_read_from_the_cache(cache: Path, data: Path) -> None:
    _load(data)
    (data.parent / "note.txt").unlink()
    with pytest.raises(mc.DataFileError, match="no such file"):
        _load(data)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_a_retargeted_symlink_makes_the_entry_stale(cache: Path, data: Path) -> None:
    folder = data.parent
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT, encoding="utf-8")
    os.utime(folder / "b.txt", ns=(5, 5))
    os.utime(folder / "a.txt", ns=(5, 5))  # same size, same time: only the link differs
    (folder / "link.txt").symlink_to("a.txt")
    data.write_text(DATA.replace('path = "note.txt"', 'path = "link.txt"'), encoding="utf-8")
    assert _load(data).source("note").file == (folder / "a.txt").resolve()
    (folder / "link.txt").unlink()
    (folder / "link.txt").symlink_to("b.txt")
    assert _load(data).source("note").file == (folder / "b.txt").resolve()


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-100],  # truncated
        lambda b: b[:40] + bytes([b[40] ^ 1]) + b[41:],  # a flipped bit
        lambda b: b"",  # empty
        lambda b: b"junk" * 50,
    ],
    ids=["truncated", "bit-flip", "empty", "junk"],
)
def test_a_damaged_entry_is_ignored_and_replaced(cache: Path, data: Path, damage: object) -> None:
    expected = snapshot(_load(data))
    (entry,) = _entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert snapshot(_load(data)) == expected
    assert regcache.load(entry.name.split(".")[0]) is not None  # rewritten whole


def test_a_folder_in_place_of_an_entry_or_an_unwritable_cache_costs_only_time(
    cache: Path, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = snapshot(_load(data))
    (entry,) = _entries(cache)
    entry.unlink()
    entry.mkdir()
    assert snapshot(_load(data)) == expected
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("MODELCOMPARE_CACHE_DIR", str(blocked))
    assert snapshot(_load(data)) == expected


def test_a_full_disk_leaves_no_entry(
    cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelcompare import files
    from test_files import FullDisk

    real = os.fdopen
    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: FullDisk(real(fd, mode)))
    assert len(_load(data)) >= 1
    assert _entries(cache) == []
    assert not list(cache.parent.rglob("*.tmp"))


def test_options_are_part_of_the_key(cache: Path, data: Path) -> None:
    _load(data)
    _load(data, allow_paths_outside=True)
    mc.load_registry(paths=[data], builtin=False, cache=True)
    assert len(_entries(cache)) == 3


def test_a_file_with_problems_is_never_cached(cache: Path, data: Path) -> None:
    data.write_text(DATA.replace('"Gparameter"', '"Gparameterz"'), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(mc.DataFileError, match="unknown unit"):
            _load(data)
    assert _entries(cache) == []


def test_warnings_are_given_again_on_a_hit(cache: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _load(empty)
        assert [str(w.message) for w in caught if w.category is mc.DataFileWarning] == [
            f"{empty}: adds nothing: no [[source]], [[model]], [[claim]] or [[accelerator]] "
            "table (the file is empty, or only comments)"
        ]


def test_old_entries_are_pruned(cache: Path, data: Path) -> None:
    for n in range(regcache.MAX_ENTRIES + 3):
        data.write_text(DATA.replace("about = 70", f"about = {70 + n}"), encoding="utf-8")
        _load(data)
    assert len(_entries(cache)) == regcache.MAX_ENTRIES


CHIP = """
[[source]]
id = "chip-note"
title = "Chip note"
url = "https://example.org/chip"
language = "en"
kind = "web"
external = true

[[accelerator]]
id = "zeta-z9"
unit = "ZetaZ9"
new_unit = true
name = "Zeta Z9"
vendor = "Zeta"

[[model]]
id = "zeta-model"
name = "Zeta Model"
organization = "Zeta"

[[claim]]
model = "zeta-model"
field = "training_accelerators"
value = { about = 2000, unit = "ZetaZ9" }
status = "reported"
citations = [{ source = "chip-note", quote = "about 2,000 Zeta Z9 chips" }]
"""


def test_a_declared_chip_works_in_a_new_process_from_the_cache(
    run_cli: Run, tmp_path: Path
) -> None:
    """The chips a cached registry counts are defined before it is read back."""
    path = tmp_path / "chip.toml"
    path.write_text(CHIP, encoding="utf-8")
    args = ("--data", str(path), "compare", "zeta-model", "--fields", "training_accelerators")
    first = run_cli(*args, cache=str(tmp_path / "c"))
    assert first.returncode == 0, first.stderr
    assert _entries(tmp_path / "c" / "registry")
    second = run_cli(*args, cache=str(tmp_path / "c"))
    assert second.returncode == 0, second.stderr
    assert "≈2,000 ZetaZ9" in second.stdout
    assert second.stdout == first.stdout
    fresh = run_cli("--no-cache", *args, cache=str(tmp_path / "d"))
    assert fresh.stdout == first.stdout
    assert _entries(tmp_path / "d" / "registry") == []


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(registries(max_models=3, max_claims=3), st.booleans())
def test_any_registry_reads_back_the_same(
    tmp_path_factory: pytest.TempPathFactory, reg: mc.Registry, builtin: bool
) -> None:
    """Whatever a data file holds (hostile text included), the registry read
    from the cache is the registry the file gives."""
    folder = tmp_path_factory.mktemp("any")
    path = write_data_file(reg, folder)
    old = os.environ.get("MODELCOMPARE_CACHE_DIR")
    os.environ["MODELCOMPARE_CACHE_DIR"] = str(folder / "cache")
    try:
        fresh = mc.load_registry(paths=[path], builtin=builtin, cache=True)
        cached = mc.load_registry(paths=[path], builtin=builtin, cache=True)
        searched = mc.load_registry(paths=[path], builtin=builtin, cache=True)
    finally:
        if old is None:
            del os.environ["MODELCOMPARE_CACHE_DIR"]
        else:
            os.environ["MODELCOMPARE_CACHE_DIR"] = old
    assert _entries(folder / "cache" / "registry")
    assert snapshot(cached) == snapshot(fresh)
    for m in reg:  # search reads the cached summaries, then decodes the models found
        if any(ch.isalnum() for ch in m.name):
            found = [x.id for x in searched.search(m.name)]
            assert found == [x.id for x in fresh.search(m.name)]
            assert m.id in found
    assert searched._all is None  # searched through the summaries
    ids = [m.id for m in fresh if m.id in {x.id for x in reg}]
    assert mc.compare(ids, registry=cached).to_markdown() == (
        mc.compare(ids, registry=fresh).to_markdown()
    )


def _values(reg: mc.Registry) -> Iterator[mc.Estimate]:
    for m in reg:
        for c in m.claims():
            if isinstance(c.value, mc.Estimate):
                yield c.value


def test_estimates_read_back_equal_with_their_units(cache: Path, data: Path) -> None:
    fresh = list(_values(_load(data)))
    cached = list(_values(_load(data)))
    assert len(cached) == len(fresh) > 10
    for a, b in zip(fresh, cached, strict=True):
        assert a == b
        assert str(a) == str(b)
        assert a.bound is b.bound
        assert a.units == b.units
        assert repr(a.interval()) == repr(b.interval())


def test_a_cached_registry_decodes_only_the_models_asked_for(cache: Path, data: Path) -> None:
    _load(data)
    reg = _load(data)
    assert reg._store.count(None) == len(reg)  # nothing decoded yet
    model = reg["Acme 1"]
    assert reg._store.count(None) == len(reg) - 1
    assert reg["acme-1"] is model
    assert model.claims("parameters")[0].citations[0].source is reg.source("note")
    assert [m.id for m in reg][-1] == "acme-1"  # iterating decodes the rest, in order
    assert None not in reg._store


def test_list_and_search_of_a_cached_registry_decode_only_the_models_found(
    cache: Path, data: Path, run_cli: Run
) -> None:
    """``list`` reads the models' summaries, not the models; ``search`` decodes
    the models it finds; both give what a fresh registry gives."""
    fresh = mc.load_registry(paths=[data])
    _load(data)
    reg = _load(data)
    assert reg.summaries() == fresh.summaries() == tuple(m.summary() for m in fresh)
    assert [model_summary(s) for s in reg.summaries()] == [model_summary(m) for m in fresh]
    assert reg._store.count(None) == len(reg)  # no model decoded
    assert [m.id for m in reg.search("acme")] == [m.id for m in fresh.search("acme")] == ["acme-1"]
    assert reg._store.count(None) == len(reg) - 1
    where = str(cache.parent)
    run_cli("--data", str(data), "list", cache=where)
    listed = run_cli("--data", str(data), "list", cache=where)  # from the cache
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == run_cli("--no-cache", "--data", str(data), "list", cache=where).stdout
    assert "Acme 1" in listed.stdout


def test_threads_decoding_one_cached_model_get_the_same_object(cache: Path, data: Path) -> None:
    import sys as _sys
    import threading

    _load(data)
    reg = _load(data)
    got: list[object] = []
    old = _sys.getswitchinterval()
    _sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=lambda: got.append(reg["acme-1"])) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        _sys.setswitchinterval(old)
    assert len(got) == 16
    assert all(m is got[0] for m in got)


@settings(max_examples=50)
@given(estimates())
def test_an_estimate_is_cached_as_its_figures(e: mc.Estimate) -> None:
    """What the cache keeps of an Estimate is its own pickled state (its figures and
    unit), the same whether or not its quantities were built, and it reads back equal."""
    before = regcache.dumps(e)
    _ = (e.nominal, e.low, e.high)
    assert regcache.dumps(e) == before
    back = regcache.loads(before)
    assert back == e
    assert str(back) == str(e)
    assert repr(back.interval()) == repr(e.interval())


def test_a_damaged_model_is_an_error_naming_the_entry_never_a_wrong_figure(
    cache: Path, data: Path
) -> None:
    """A model whose bytes no longer match their digest (changed on disk after the
    head was read) fails with an error naming the entry, which is removed; the next
    load reads the files again."""
    first = _load(data)
    expected = snapshot(first)
    (entry,) = _entries(cache)
    written = entry.read_bytes()
    after = len(regcache.dumps(first.summaries()))  # the summaries are written last
    for at, read in ((-(after + 20), list), (-20, mc.Registry.summaries)):
        blob = bytearray(written)
        blob[at] ^= 0x01  # inside the last model written, then inside the summaries
        entry.write_bytes(bytes(blob))
        reg = _load(data)
        with pytest.raises(mc.DataFileError) as err:
            read(reg)
        assert err.value.path == str(entry)
        assert "damaged" in str(err.value)
        assert "--no-cache" in str(err.value)
        assert not entry.exists()
        assert snapshot(_load(data)) == expected


def test_an_entry_with_bytes_added_is_ignored(cache: Path, data: Path) -> None:
    expected = snapshot(_load(data))
    (entry,) = _entries(cache)
    entry.write_bytes(entry.read_bytes() + b"more")
    assert snapshot(_load(data)) == expected
    assert regcache.load(entry.name.split(".")[0]) is not None  # rewritten whole


def test_an_edit_that_keeps_the_size_and_restores_the_time_is_still_seen(
    cache: Path, data: Path
) -> None:
    """The remembered key of a file is keyed by its stat with the change time, which
    an edit always sets: same size, same modification time, new content, new key."""
    _load(data)
    before = os.stat(data)
    data.write_text(DATA.replace("about = 70", "about = 90"), encoding="utf-8")
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(data).st_size == before.st_size
    assert str(_load(data)["acme-1"].value("parameters")) == "≈90 B parameters"


def test_a_damaged_remembered_key_is_ignored(cache: Path, data: Path) -> None:
    expected = snapshot(_load(data))
    for remembered in cache.glob("*.key"):
        remembered.write_text("junk", encoding="ascii")
    assert snapshot(_load(data)) == expected


# ── a hit re-resolves every consulted path, each folder once ────────────────────────────

_PARTS = st.sampled_from(["a", "b", "d", "ln", "lnd", "dangling", "loop", "abs", ".", "..", ""])


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paths=st.lists(st.lists(_PARTS, min_size=1, max_size=4), min_size=1, max_size=6))
def test_a_consulted_path_resolves_as_realpath_does(
    tmp_path_factory: pytest.TempPathFactory, paths: list[list[str]]
) -> None:
    """``_resolved`` (one folder resolution per folder, one ``lstat`` per path)
    gives what ``os.path.realpath`` and a ``stat`` give, through files, folders,
    symlinks to each, dangling links, loops and ``.``/``..``, with the folders'
    memo shared across paths as a hit shares it."""
    root = tmp_path_factory.mktemp("tree")
    for folder in (root, root / "d"):
        folder.mkdir(exist_ok=True)
        (folder / "a").write_text("a", encoding="utf-8")
        (folder / "b").mkdir(exist_ok=True)
        for name, target in [
            ("ln", "a"),
            ("lnd", "b"),
            ("dangling", "nowhere"),
            ("loop", "loop"),
            ("abs", str(root / "d")),
        ]:
            if not (folder / name).is_symlink():
                (folder / name).symlink_to(target)
    folders: dict[str, str] = {}
    for parts in paths:
        written = os.path.join(str(root), *parts)
        real = os.path.realpath(written)
        assert regcache._resolved(written, folders) == (real, regcache._stat(real))
