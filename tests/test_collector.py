"""The collector pause: nested and concurrent pauses restore the collector as it was."""

from __future__ import annotations

import gc
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcompare as mc
from modelcompare.collector import collector_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_a_pause_restores_the_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
            with collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(KeyError), collector_paused():  # an error inside still restores it
            raise KeyError("x")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=8))
def test_threads_pausing_at_once_leave_it_running(depths: list[int]) -> None:
    """However threads nest and overlap their pauses, the collector runs after."""
    assert gc.isenabled()
    barrier = threading.Barrier(len(depths))

    def work(depth: int) -> None:
        barrier.wait()
        with collector_paused():
            for _ in range(depth):
                with collector_paused():
                    pass

    threads = [threading.Thread(target=work, args=(d,)) for d in depths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_compare_and_load_leave_the_collector_running() -> None:
    assert gc.isenabled()
    mc.compare(["MAI-1-preview", "Grok"], ["training_accelerators"]).to_markdown()
    assert gc.isenabled()
    with pytest.raises(mc.UnknownModelError):
        mc.compare(["no such model"], ["parameters"])
    assert gc.isenabled()
