"""Spread CPU-bound work over forked processes, in order, with Ctrl-C left to the parent.

Forked, not spawned: the processes inherit what the parent already built
(registries, settings, the model) without copying it through pickles; only
each share's items go out and its results come back.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence

_TASK: tuple = ()  # (function, items): set before the pool forks, inherited by its processes


def usable_workers(wanted: int, items: int, threshold: int) -> int:
    """How many processes to use: 1 when forking is unavailable or the work too small to pay for them."""
    if wanted <= 1 or items < threshold or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return wanted


def forked_map(function: Callable, items: Sequence, workers: int) -> list:
    """``[function(item) for item in items]``, computed in ``workers`` forked processes.

    Exceptions in a process are raised here, in the parent; the pool is
    stopped at once on any failure or on Ctrl-C.
    """
    global _TASK
    if workers <= 1:
        return [function(item) for item in items]
    _TASK = (function, items)
    size = -(-len(items) // (workers * 4))  # a few shares per process, so that an uneven share evens out
    shares = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=ignore_interrupts)
    try:
        results = [result for share in pool.imap(_run_share, shares) for result in share]
        pool.close()
        return results
    finally:
        pool.terminate()
        pool.join()
        _TASK = ()


def _run_share(indices: range) -> list:
    function, items = _TASK
    return [function(items[index]) for index in indices]


def ignore_interrupts() -> None:
    # Ctrl-C is the parent's to handle: it stops the pool itself, with SIGTERM, which must
    # end a worker at once (not raise in it, as the parent's own SIGTERM handler would).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def default_workers() -> int:
    """One process per core, at most four: the work is CPU-bound."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, cores))
