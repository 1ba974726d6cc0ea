"""Spread CPU-bound work over forked processes, in order, with Ctrl-C left to the parent.

Forked, not spawned: the processes inherit what the parent already built
(registries, settings, the model) without copying it through pickles; only
each share's items go out and its results come back.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Sequence

_TASK: tuple = ()  # (function, items): set before the pool forks, inherited by its processes


def usable_workers(wanted: int, items: int, threshold: int) -> int:
    """How many processes to use: 1 when forking is unavailable or the work too small to pay for them."""
    if wanted <= 1 or items < threshold or not hasattr(os, "fork"):
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
    import multiprocessing  # only here: a warm build never starts a pool, and the import costs it 8 ms

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


class Forked:
    """``function(*args)`` computed in a forked process while this one goes on; ``result()`` waits for it.

    For work that only reads files (never this process's state as it
    changes) and whose result is small: it comes back pickled, through a
    pipe.  ``result()`` is None when the process could not be started or
    failed in any way: the caller then does the work itself, so a failure
    costs time, never the build.  Call ``result()`` or ``cancel()`` once.
    """

    def __init__(self, function: Callable, *args):
        self._pid: int | None = None
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            _run_forked(read, write, function, args)  # never returns
        os.close(write)
        self._pid, self._read = pid, read

    def result(self, patience: float = 120.0):
        """The result, or None (after ``patience`` seconds, the process is stopped: a process forked
        while another thread held a lock it needs could wait for ever)."""
        if self._pid is None:
            return None
        chunks, deadline = [], time.monotonic() + patience
        while True:
            ready, _, _ = select.select([self._read], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                self.cancel()
                return None
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(self._read)
        status = os.waitpid(self._pid, 0)[1]
        self._pid = None
        data = b"".join(chunks)
        return pickle.loads(data) if status == 0 and data else None  # noqa: S301 (our own fork's bytes)

    def cancel(self) -> None:
        """Stop the process if its result was not taken (a failed build, Ctrl-C)."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.close(self._read)
        os.waitpid(self._pid, 0)
        self._pid = None


def _run_forked(read: int, write: int, function: Callable, args: tuple) -> None:
    """In the forked process: compute, send, and leave at once, whatever happens; an exception must
    never climb into the parent's code, which this process is a copy of."""
    code = 1
    try:
        os.close(read)
        ignore_interrupts()
        data = pickle.dumps(function(*args), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # noqa: BLE001, S110 — reported as a missing result
        pass
    finally:
        os._exit(code)


def ignore_interrupts() -> None:
    # Ctrl-C is the parent's to handle: it stops the pool itself, with SIGTERM, which must
    # end a worker at once (not raise in it, as the parent's own SIGTERM handler would).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def default_workers() -> int:
    """One process per core, at most four: the work is CPU-bound."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, cores))
