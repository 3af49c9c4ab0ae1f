"""A registry is read-mostly shared state: threads that share one get the same
tables as one thread alone."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest

import modelcompare as mc
from modelcompare.tables import render_tables

THREADS = 16


def _fresh(base: mc.Registry) -> mc.Registry:
    """A registry with the built-in records and nothing derived yet."""
    return mc.Registry(list(base), base.sources, base.accelerators, base.files)


def _values(reg: mc.Registry) -> list[str]:
    """Every model's value of every field, as text (derived fields included)."""
    out = []
    for m in reg:
        for name in mc.FIELDS:
            try:
                out.append(f"{m.id} {name} {m.value(name)}")
            except mc.ConflictError:
                out.append(f"{m.id} {name} conflict")
    return out


def _tables(reg: mc.Registry) -> list[tuple[str, str | bytes]]:
    return list(render_tables(reg, charts=False))  # charts: test_plot's thread test


@pytest.fixture
def tiny_switch_interval() -> Iterator[None]:
    """Threads switch as often as CPython allows, to bring races out."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def _hammer(reg: mc.Registry, work: Callable[[mc.Registry], object]) -> list[object]:
    """Run ``work(reg)`` in THREADS threads started together; return their results."""
    start = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(reg)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors
    return results


def _power(reg: mc.Registry) -> str:
    return str(reg["MAI-1-preview"].value("training_power"))


@pytest.mark.parametrize("work", [_values, _tables, _power], ids=["values", "tables", "power"])
def test_threads_sharing_a_registry_see_what_one_thread_sees(
    reg: mc.Registry, tiny_switch_interval: None, work: Callable[[mc.Registry], object]
) -> None:
    """16 threads deriving and rendering on one fresh registry all get exactly the
    values and tables one thread gets (no '—' where a derived figure belongs)."""
    expected = work(_fresh(reg))
    for _ in range(3):
        assert _hammer(_fresh(reg), work) == [expected] * THREADS


def test_training_power_is_derived_in_every_thread(
    reg: mc.Registry, tiny_switch_interval: None
) -> None:
    """The figure the race used to lose: MAI-1-preview's ≥10.15 MW."""
    results = _hammer(_fresh(reg), _power)
    assert results == ["≥10.15 MW"] * THREADS


def test_a_failed_derivation_is_retried(reg: mc.Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error while deriving is not cached as "nothing derived": the next call retries."""
    import modelcompare.derived as derived

    fresh = _fresh(reg)
    real = derived.derive
    calls = []

    def flaky(registry: mc.Registry, model: mc.Model, field: str) -> tuple[mc.Claim, ...]:
        calls.append(field)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(registry, model, field)

    monkeypatch.setattr(derived, "derive", flaky)
    with pytest.raises(KeyboardInterrupt):
        fresh["MAI-1-preview"].claims("training_power")
    assert str(fresh["MAI-1-preview"].value("training_power")) == "≥10.15 MW"
