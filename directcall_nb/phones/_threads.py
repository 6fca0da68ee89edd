"""Run column work in a few threads: numpy and pyarrow release the GIL while they compute.

Each piece of work ends by handing back to the system the memory Arrow freed in its thread,
and the whole work by handing back all it freed (:mod:`directcall_nb.memory`): each thread's
allocators would otherwise go on holding what its largest pieces needed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from directcall_nb.memory import release_freed, release_thread_freed

__all__ = ["map_in_threads", "workers"]

T = TypeVar("T")
R = TypeVar("R")

_MAX_WORKERS = 4
_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


@functools.cache
def workers() -> int:
    """How many threads to use: the CPUs this process may run on, at most four."""
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
            _pools[pid] = ThreadPoolExecutor(workers(), thread_name_prefix="directcall-nb-phones")
        return _pools[pid]


def map_in_threads(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[function(item) for item in items]``, spread over the pool when there is more than one.

    After each item, the thread that ran it hands back what Arrow freed there; at the end, all
    that was freed is handed back.
    """

    def run(item: T) -> R:
        result = function(item)
        release_thread_freed()
        return result

    if workers() == 1 or len(items) <= 1:
        results = [run(item) for item in items]
    else:
        results = list(_pool().map(run, items))
    release_freed()
    return results
