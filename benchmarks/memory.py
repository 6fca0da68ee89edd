"""The peak resident memory of a block of code, above the memory before it (Linux).

`PeakMemory` reads the process's resident memory before the block, then its highest point
during it: from the kernel's high-water mark, reset at the start where the kernel allows it
(``/proc/self/clear_refs``), and from a thread sampling the resident memory every millisecond
otherwise (and besides). `release_unused` first hands back to the system what Python's, the C
library's and Arrow's allocators keep but no longer use, so that it is not counted as in use.
`watch_peak` and `watched_peak` measure the same way between two calls rather than over a block:
what a benchmark runs, through ``client.run``, on each Dask worker.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from types import TracebackType

import pyarrow as pa

__all__ = ["PeakMemory", "release_unused", "resident_bytes", "watch_peak", "watched_peak"]

_PAGE = 4096


def resident_bytes() -> int:
    """Return the process's resident memory now, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE


def _high_water_bytes() -> int | None:
    """Return the kernel's peak resident memory of the process (VmHWM), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


def _reset_high_water() -> bool:
    """Reset the kernel's peak resident memory to the current one; False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def release_unused() -> None:
    """Collect garbage and hand memory kept but unused by the allocators back to the system."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    if name:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
        if trim is not None:
            trim(0)


class PeakMemory:
    """The highest resident memory during a ``with`` block, above the memory at its start.

    Parameters
    ----------
    interval : float, default 0.001
        Seconds between two samples of the resident memory.

    Attributes
    ----------
    extra_bytes : int
        The peak minus the resident memory when the block began (set when it ends).
    start_bytes : int
        The resident memory when the block began.
    peak_bytes : int
        The highest resident memory during the block (set when it ends).
    """

    def __init__(self, interval: float = 0.001) -> None:
        self.extra_bytes = self.start_bytes = self.peak_bytes = 0
        self._interval = interval
        self._peak = 0
        self._reset = False
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(self._interval):
            self._peak = max(self._peak, resident_bytes())

    def __enter__(self) -> PeakMemory:
        self.start_bytes = self._peak = resident_bytes()
        self._reset = _reset_high_water()
        self._sampler.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done.set()
        self._sampler.join()
        peak = max(self._peak, resident_bytes())
        high_water = _high_water_bytes() if self._reset else None
        if high_water is not None:
            peak = max(peak, high_water)
        self.peak_bytes = peak
        self.extra_bytes = peak - self.start_bytes


#: The measure `watch_peak` started in this process, until `watched_peak` ends it.
_WATCHED: list[PeakMemory] = []


def watch_peak(interval: float = 0.01) -> None:
    """Start measuring this process's peak resident memory, until `watched_peak` is called."""
    watched = PeakMemory(interval)
    watched.__enter__()
    _WATCHED.append(watched)


def watched_peak() -> tuple[int, int]:
    """End the measure `watch_peak` started; return the resident bytes at its start and at peak."""
    watched = _WATCHED.pop()
    watched.__exit__(None, None, None)
    return watched.start_bytes, watched.peak_bytes
