"""Run column work in a few threads: numpy and pyarrow release the GIL while they compute.

The calling thread works too, beside the pool's threads: each thread's allocators go on holding
memory it freed (the C library's arena, Arrow's heap), so one thread fewer holds less. Each
helper hands back what Arrow freed in it when it has no more work
(:mod:`directcall_nb.memory`); what the calling thread freed stays with its allocators, for its
next arrays, until the step that called hands it back. Handing back after each item made the
work 5–15% slower, for no less memory at the end; the calling thread handing back all it freed
after each call made a validation 10–15% slower (its next arrays were given fresh pages), for
about the same memory at the peak of validate + estimate.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from directcall_nb.memory import release_thread_freed

__all__ = ["map_in_threads", "workers"]

T = TypeVar("T")
R = TypeVar("R")

_MAX_WORKERS = 4
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


@functools.cache
def workers() -> int:
    """How many threads work, the calling one included.

    The CPUs this process may run on, at most four.
    """
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(_MAX_WORKERS, available))


def _pool() -> ThreadPoolExecutor:
    """Return this process's pool (a process forked from another does not inherit its threads)."""
    with _pools_lock:
        pid = os.getpid()
        if pid not in _pools:
            _pools[pid] = ThreadPoolExecutor(
                workers() - 1, thread_name_prefix="directcall-nb-phones"
            )
        return _pools[pid]


def map_in_threads(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[function(item) for item in items]``, shared between the calling thread and the pool.

    Each thread takes the next item not taken yet, so that one slow item does not hold the
    others back; the calling thread never waits for a helper that has not begun (so that an
    item may itself call this). An exception in any item is raised here, once every thread has
    stopped.
    """
    helpers = min(workers(), len(items)) - 1
    if helpers <= 0:
        results = [function(item) for item in items]
    else:
        found: dict[int, R] = {}
        upcoming = iter(range(len(items)))
        lock = threading.Lock()
        failed = threading.Event()

        def work() -> None:
            try:
                while not failed.is_set():
                    with lock:
                        at = next(upcoming, None)
                    if at is None:
                        return
                    found[at] = function(items[at])
            except BaseException:
                failed.set()
                raise
            finally:
                release_thread_freed()

        started = [_pool().submit(work) for _ in range(helpers)]
        try:
            work()
        finally:
            for done in started:  # a helper not begun yet (the pool busy) has nothing left to do
                done.cancel()
            errors = [done.exception() for done in started if not done.cancelled()]  # waits
        for error in errors:
            if error is not None:
                raise error
        results = [found[at] for at in range(len(items))]
    return results
