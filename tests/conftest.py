"""Shared fixtures and Hypothesis settings."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# the caches a test run writes (units, registries) go to a folder of its own, not the user's
if "MODELCOMPARE_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="modelcompare-test-cache-")
    os.environ["MODELCOMPARE_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

import modelcompare as mc

# pint makes each example slowish: no per-example deadline; more examples in CI.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def reg() -> mc.Registry:
    """The built-in registry."""
    return mc.load_registry()


@pytest.fixture
def data_file(tmp_path: Path) -> Callable[[str], Path]:
    """Write a user data file (TOML text) into a temp folder and return its path."""

    def write(text: str, name: str = "user.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


Main = Callable[..., tuple[int, str, str]]
"""``run(*args)``: ``modelcompare.cli.main(args)`` in this process: (exit code, stdout, stderr)."""


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Main:
    """Call the command line's main() and return (exit code, stdout, stderr)."""
    from modelcompare.cli import main

    def call(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


Run = Callable[..., subprocess.CompletedProcess[str]]
"""``run_cli(*args, cache=FOLDER)``: ``python -m modelcompare ARGS`` in a fresh process."""


@pytest.fixture
def run_cli(tmp_path: Path) -> Run:
    """Run ``python -m modelcompare ARGS`` in a fresh process, with the cache in ``cache``."""

    def run(
        *args: str, cache: str | None, cwd: Path = tmp_path
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MODELCOMPARE_")}
        env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")  # the default user cache folder
        if cache is not None:
            env["MODELCOMPARE_CACHE_DIR"] = cache
        return subprocess.run(
            [sys.executable, "-m", "modelcompare", *args],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run
