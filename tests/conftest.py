"""Shared fixtures and Hypothesis settings."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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
