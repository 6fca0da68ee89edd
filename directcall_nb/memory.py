"""Memory a column-sized computation freed, handed back to the system when it ends.

NumPy's allocator (the C library's) and Arrow's keep what was freed, for later use, and each
thread keeps its own: after validating or measuring a long column the process would go on
holding several times the memory its answers take. `release_freed` gives that memory back at
the end of each such step, so that the next step starts from what is really in use.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

import pyarrow as pa

__all__ = ["release_freed", "release_thread_freed"]


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
