"""The UI thread's garbage collection (ui/collector.py) walks the whole heap only as often as
CPython itself would: once the oldest generation grew by a quarter since its last full walk."""

from __future__ import annotations

import gc

from lehrer_licenses.ui.collector import collect_if_due

BATCH = 2 * gc.get_threshold()[0]  # container objects per step: over generation 0's threshold


def _full_collections(steps: int, keep: list | None) -> int:
    """The full collections among ``steps`` due collections; each step makes BATCH new objects,
    dropped after it or, with ``keep``, kept."""
    seen: list[int] = []

    def record(phase, info):
        if phase == "start" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(record)
    try:
        for _step in range(steps):
            batch = [[index] for index in range(BATCH)]
            collect_if_due()
            if keep is not None:
                keep.append(batch)
            del batch
    finally:
        gc.callbacks.remove(record)
    return len(seen)


def test_the_whole_heap_is_walked_only_once_the_oldest_generation_grew_by_a_quarter():
    assert not gc.isenabled()  # the app's (and these tests') collector is installed
    _young, middle, oldest = gc.get_threshold()
    # By the thresholds alone, a full collection every (middle + 1) * (oldest + 1) steps.
    steps = 3 * (middle + 1) * (oldest + 1)
    gc.collect()  # the size the oldest generation is measured against
    # Garbage that dies young never reaches the oldest generation.
    assert _full_collections(steps, None) == 0
    # Objects that live on: a full collection once they are a quarter of the oldest generation.
    kept: list = []
    grown = len(gc.get_objects(2)) // 4 // BATCH + 1
    assert _full_collections(grown + steps, kept) >= 1
    assert len(kept) == grown + steps
