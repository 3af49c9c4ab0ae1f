"""The unit registry's on-disk cache is only an optimisation: a cache file that is
corrupt, truncated, empty or unwritable never stops a command."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

import pytest

import modelcompare as mc
from conftest import Run
from modelcompare import units


def _pickles(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def _assert_works(run: Run, cache: Path) -> None:
    """--version and a real command succeed, with the right figure."""
    done = run("--version", cache=str(cache))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"modelcompare {mc.__version__}"
    done = run("compare", "MAI-1-preview", "--fields", "training_power", cache=str(cache))
    assert done.returncode == 0, done.stderr
    assert "| MAI-1-preview | ≥10.15 ‡" in done.stdout
    assert "Training power (MW)" in done.stdout


def _corrupt(kind: str, path: Path) -> None:
    blob = path.read_bytes()
    if kind == "junk":
        path.write_bytes(b"x\n")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":  # what a full disk left behind
        path.write_bytes(blob[: len(blob) // 2])
    elif kind == "flipped":  # one bit in the middle: it may still unpickle, to a wrong value
        mid = len(blob) // 2
        path.write_bytes(blob[:mid] + bytes([blob[mid] ^ 0x01]) + blob[mid + 1 :])
    elif kind == "folder":
        path.unlink()
        path.mkdir()
    else:  # pragma: no cover
        raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["junk", "empty", "truncated", "flipped", "folder"])
def test_a_broken_cache_is_rebuilt(run_cli: Run, tmp_path: Path, kind: str) -> None:
    """A corrupt, empty, truncated or bit-flipped cache file (or a folder in its place)
    is ignored, the registry rebuilt from units.txt and the file replaced."""
    cache = tmp_path / "cache"
    assert run_cli("--version", cache=str(cache)).returncode == 0
    first = _pickles(cache)
    assert len(first) >= 1
    for path in first:
        _corrupt(kind, path)
    _assert_works(run_cli, cache)
    if kind != "folder":  # each file is replaced by a whole, checked cache again
        assert _pickles(cache) == first
        for path in first:
            blob = path.read_bytes()
            assert hashlib.sha256(blob[32:]).digest() == blob[:32]
            pickle.loads(blob[32:])
    assert not list(cache.glob("*.tmp")), "no temporary file is left behind"


def test_a_cache_folder_that_cannot_be_made(run_cli: Run, tmp_path: Path) -> None:
    """MODELCOMPARE_CACHE_DIR naming a file (so no folder can be made) costs only time."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    _assert_works(run_cli, blocker / "cache")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_an_empty_cache_variable_means_no_override(run_cli: Run, tmp_path: Path) -> None:
    """MODELCOMPARE_CACHE_DIR="" uses the user cache folder, not the current directory."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    done = run_cli("--version", cache="", cwd=cwd)
    assert done.returncode == 0, done.stderr
    assert list(cwd.iterdir()) == []
    assert _pickles(tmp_path / "xdg" / "modelcompare")


def test_old_pint_pickles_are_not_read(tmp_path: Path) -> None:
    """The cache files have a name of their own, so pint's plain pickles of older
    versions (no checksum) are never read, nor overwritten for them."""
    cache = units._disk_cache(str(tmp_path))
    units._UnitRegistry(filename=str(_definitions()), disk_cache=cache)
    assert _pickles(tmp_path)
    assert all(p.name.endswith(".checked.pickle") for p in _pickles(tmp_path))


def _definitions() -> Path:
    return Path(str(units.files("modelcompare") / "units.txt"))


def _registry(folder: Path) -> Any:
    cache = units._disk_cache(str(folder))
    return units._UnitRegistry(
        filename=str(_definitions()),
        disk_cache=cache,
        autoconvert_offset_to_baseunit=False,
        on_redefinition="raise",
    )


def test_a_full_disk_leaves_no_partial_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half-way (a full disk) leaves no cache file, partial or
    temporary, and the registry still works; the next run writes a whole cache."""
    from test_files import FullDisk

    real_fdopen = os.fdopen
    monkeypatch.setattr(units.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    reg = _registry(tmp_path)
    assert reg.Quantity(1, "MW").to("W").magnitude == 1e6
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    reg = _registry(tmp_path)
    assert reg.Quantity(1, "MW").to("W").magnitude == 1e6
    written = _pickles(tmp_path)
    assert written
    # and what was written is read back: a cache hit gives the same registry
    before = {p: p.stat().st_mtime_ns for p in written}
    reg = _registry(tmp_path)
    assert reg.Quantity(3, "Tparameter").to("parameter").magnitude == 3e12
    assert {p: p.stat().st_mtime_ns for p in _pickles(tmp_path)} == before


def test_a_failed_rename_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the final rename fails, the temporary file is removed and the registry works."""

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(units.os, "replace", refuse)
    reg = _registry(tmp_path)
    assert reg.Quantity(2, "kW").to("W").magnitude == 2000
    assert list(tmp_path.iterdir()) == []


def test_interrupting_a_cache_write_propagates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the cache is written interrupts (and cleans up), it is not swallowed."""

    def interrupt(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(units.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _registry(tmp_path)
    assert list(tmp_path.iterdir()) == []
