"""Output files are written atomically: a failed write leaves the old file (or
none), never a half-written one, and the error names the file."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcompare import cli, files
from modelcompare.files import write_all_atomically, write_atomically

OLD = "the old table\n"


class FullDisk:
    """A file object whose write stores the first 4 KB, then fails as a full disk does."""

    def __init__(self, fo: Any) -> None:
        self.fo = fo

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fo.close()

    def write(self, data: bytes) -> int:
        self.fo.write(data[:4096])
        raise OSError(28, "No space left on device")

    def flush(self) -> None:  # pragma: no cover - write fails first
        self.fo.flush()

    def fileno(self) -> int:  # pragma: no cover
        return int(self.fo.fileno())


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write through modelcompare.files fails half-way with ENOSPC."""
    real = os.fdopen
    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: FullDisk(real(fd, mode)))


def _left(folder: Path) -> dict[str, str]:
    """What each file of ``folder`` holds (a PNG's bytes as Latin-1 text)."""
    return {
        p.name: p.read_bytes().decode("latin-1" if p.suffix == ".png" else "utf-8")
        for p in sorted(folder.iterdir())
    }


def test_a_write_replaces_the_file_whole(tmp_path: Path) -> None:
    """The new text replaces the old, and no temporary file is left."""
    target = tmp_path / "t.md"
    target.write_text(OLD, encoding="utf-8")
    write_atomically(target, "new ✓\n")
    assert _left(tmp_path) == {"t.md": "new ✓\n"}
    write_atomically(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"


def test_a_full_disk_leaves_the_old_file(tmp_path: Path, full_disk: None) -> None:
    """A write that fails half-way keeps the old file and removes the temporary one;
    the OSError names the target."""
    target = tmp_path / "t.md"
    target.write_text(OLD, encoding="utf-8")
    with pytest.raises(OSError, match="No space left") as info:
        write_atomically(target, "x" * 100_000)
    assert info.value.filename == str(target)
    assert _left(tmp_path) == {"t.md": OLD}


def test_a_failed_new_file_leaves_nothing(tmp_path: Path, full_disk: None) -> None:
    """Where there was no file, a failed write leaves none (not a 0-byte one)."""
    with pytest.raises(OSError, match="No space left"):
        write_atomically(tmp_path / "new.tex", "x" * 100_000)
    assert _left(tmp_path) == {}


def test_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    """A missing folder, or a folder where the file should be: OSError naming the file."""
    with pytest.raises(FileNotFoundError) as info:
        write_atomically(tmp_path / "no" / "such" / "t.md", "x")
    assert info.value.filename == str(tmp_path / "no" / "such" / "t.md")
    (tmp_path / "dir.md").mkdir()
    with pytest.raises(IsADirectoryError) as info:
        write_atomically(tmp_path / "dir.md", "x")
    assert info.value.filename == str(tmp_path / "dir.md")
    assert _left(tmp_path / "dir.md") == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.md"]


def test_several_files_change_together_or_not_at_all(tmp_path: Path) -> None:
    """When one of several files cannot be written, none of them changes."""
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(OLD, encoding="utf-8")
    b.write_text(OLD, encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        write_all_atomically([(a, "new a"), (tmp_path / "missing" / "c.md", "c"), (b, "new b")])
    assert _left(tmp_path) == {"a.md": OLD, "b.md": OLD}


def test_an_existing_files_permissions_are_kept(tmp_path: Path) -> None:
    """Replacing a file keeps its mode; a new file gets the usual mode under the umask."""
    target = tmp_path / "t.md"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    write_atomically(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "n.md", "new")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "n.md").stat().st_mode) == 0o644


def test_ctrl_c_while_writing_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt during the rename propagates; the old file stays, nothing is left over."""
    target = tmp_path / "t.md"
    target.write_text(OLD, encoding="utf-8")

    def interrupt(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new")
    assert _left(tmp_path) == {"t.md": OLD}


@settings(max_examples=25)
@given(st.binary(max_size=20_000), st.integers(0, 20_000))
def test_any_failure_point_leaves_old_or_new(data: bytes, cut: int) -> None:
    """Wherever the write fails, the target holds the old bytes, never a mix."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "t.bin"
        target.write_bytes(b"old")
        real = os.fdopen

        class Cut(FullDisk):
            def write(self, blob: bytes) -> int:
                self.fo.write(blob[:cut])
                if cut < len(blob):
                    raise OSError(28, "No space left on device")
                return len(blob)

        files.os.fdopen = lambda fd, mode: Cut(real(fd, mode))  # type: ignore[assignment]
        try:
            try:
                write_atomically(target, data)
            except OSError:
                assert target.read_bytes() == b"old"
            else:
                assert target.read_bytes() == data
        finally:
            files.os.fdopen = real
        assert [p.name for p in Path(folder).iterdir()] == ["t.bin"]


# ── the command line ──────────────────────────────────────────────────────────────────


def _main(*argv: str) -> tuple[int, str, str]:
    out = io.StringIO()
    import contextlib

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(list(argv), out=out)
    return code, out.getvalue(), err.getvalue()


def test_compare_output_on_a_full_disk(tmp_path: Path, full_disk: None) -> None:
    """`compare -o` on a full disk exits 6 naming the file; the old file survives."""
    target = tmp_path / "t.md"
    target.write_text(OLD, encoding="utf-8")
    code, _, err = _main("compare", "Grok", "-o", str(target))
    assert code == cli.EXIT_IO
    assert f"cannot write {target}: No space left on device" in err
    assert _left(tmp_path) == {"t.md": OLD}
    code, _, err = _main("compare", "Grok", "-o", str(tmp_path / "new.md"))
    assert code == cli.EXIT_IO
    assert str(tmp_path / "new.md") in err
    assert _left(tmp_path) == {"t.md": OLD}


def test_tables_out_on_a_full_disk(tmp_path: Path, full_disk: None) -> None:
    """`tables --out` on a full disk exits 6 naming a file, and leaves the folder as it was
    (no 0-byte training-hardware.tex)."""
    out = tmp_path / "tables"
    out.mkdir()
    (out / "training-hardware.tex").write_text(OLD, encoding="utf-8")
    code, _, err = _main("tables", "--out", str(out))
    assert code == cli.EXIT_IO
    assert f"cannot write {out}" in err
    assert _left(out) == {"training-hardware.tex": OLD}


def test_tables_out_writes_every_table(tmp_path: Path) -> None:
    """Without a fault, `tables --out` writes each table whole, with no temporary files."""
    out = tmp_path / "tables"
    code, text, _ = _main("tables", "--out", str(out))
    assert code == 0
    written = _left(out)
    assert written
    assert all(name.endswith((".md", ".tex", ".svg", ".png")) for name in written)
    assert all(body.strip() for body in written.values())
    assert sorted(f"wrote {out / n}" for n in written) == sorted(text.splitlines())
