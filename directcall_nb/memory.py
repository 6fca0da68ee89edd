"""Memory a column-sized computation freed, handed back to the system when it ends.

NumPy's allocator (the C library's) and Arrow's keep what was freed, for later use, and each
thread keeps its own: after measuring a long column the process would go on holding several
times the memory its answers take. `release_freed` gives that memory back before and after
each such step of an estimate, so that each step starts from what is really in use. A
validation's temporary arrays stay with the calling thread's allocators, for its next arrays
(handing them back at once made the next validation 10–15% slower), until an estimate's first
step hands them back; the threads that helped it hand back theirs (`release_thread_freed`).

What a step returns and keeps, a column of answers, is written in `lasting_pool`, in blocks of
their own: a block that outlives the step's temporary arrays would otherwise hold on to the
pages it shares with them in Arrow's default pool.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

import pyarrow as pa

__all__ = ["lasting_pool", "release_freed", "release_thread_freed"]


def lasting_pool() -> pa.MemoryPool:
    """Return the Arrow memory pool for the columns a computation returns and keeps.

    The C library's allocator (Arrow's system pool): each long block is its own, given back
    whole when freed. Arrow's default pool (mimalloc) serves the temporary arrays, which it
    reuses quickly; a lasting block placed among them keeps their pages resident after they
    are freed (about 15 bytes a row, at the peak of validate + estimate on 1,000,000 rows).
    The user's choice of default pool is left as it is.
    """
    return pa.system_memory_pool()


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Return the C library's ``malloc_trim`` (glibc), or None where there is none."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] | None = getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None
    return trim


def release_thread_freed() -> None:
    """Hand back to the system what Arrow's pool keeps, freed, for the calling thread.

    Quick: what a thread of column work runs after each piece. Its arrays' pages would
    otherwise stay with the thread until it frees some more.
    """
    pa.default_memory_pool().release_unused()


def release_freed() -> None:
    """Hand back to the system the memory freed but kept by the allocators.

    Arrow's pool gives back what was freed in the calling thread, and the C library what was
    freed in any thread (all its arenas, which takes longer). Nothing in use is touched, and no
    allocator setting changes: only pages the allocators hold free are given back.
    """
    release_thread_freed()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
