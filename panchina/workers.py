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
        try:
            read, write = os.pipe()
        except OSError:
            return
        # Ctrl-C or SIGTERM arriving during the fork would be raised inside Python's after-fork hooks,
        # which only print it, and the build would go on: held back until the two processes are apart,
        # it reaches this one's own code.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
        try:
            pid = os.fork()
        except OSError:  # no process to spare (a container's limit)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(read)
            os.close(write)
            return
        if pid == 0:
            _run_forked(read, write, function, args, held)  # never returns
        os.close(write)
        self._pid, self._read = pid, read
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a signal held meanwhile is raised here
        except BaseException:
            self.cancel()
            raise

    def result(self, patience: float = 120.0):
        """The result, or None.  After ``patience`` seconds the process is stopped: one forked while
        another thread held a lock it needs could wait for ever."""
        if self._pid is None:
            return None
        try:
            data = self._received(patience)
        except BaseException:
            self.cancel()
            raise
        if data is None:
            self.cancel()
            return None
        self._reap()
        try:
            return pickle.loads(data)  # noqa: S301 (our own fork's bytes)
        except Exception:  # noqa: BLE001 — cut short: the process was killed while it wrote
            return None

    def cancel(self) -> None:
        """Stop the process if its result was not taken (a failed build, Ctrl-C, no patience left)."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)  # it only reads: nothing is left half done; a stopped one ends too
        except ProcessLookupError:
            pass
        self._reap()

    def _received(self, patience: float) -> bytes | None:
        chunks, deadline = [], time.monotonic() + patience
        waiting = select.poll()  # not select.select: a descriptor above 1023 is out of its range
        waiting.register(self._read, select.POLLIN)
        while True:
            if not waiting.poll(max(0.0, deadline - time.monotonic()) * 1000):
                return None
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    def _reap(self) -> None:
        pid, self._pid = self._pid, None
        os.close(self._read)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # reaped already: whoever started the build ignores SIGCHLD
            pass


_INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


def _run_forked(read: int, write: int, function: Callable, args: tuple, held: set) -> None:
    """In the forked process: compute, send, and leave at once, whatever happens; an exception must
    never climb into the parent's code, which this process is a copy of."""
    code = 1
    try:
        ignore_interrupts()
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(read)
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
