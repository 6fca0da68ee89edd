"""Rows of a chunked Arrow column, read chunk by chunk.

Arrow's own ``take`` of a chunked text column first joins every chunk into one array: a copy of
the whole column to read a few of its rows. Columns read from files come in many chunks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pyarrow as pa

__all__ = ["take_rows"]


def take_rows(column: pa.ChunkedArray, positions: npt.NDArray[np.int64]) -> pa.Array:
    """Return ``column.take(positions)``, read chunk by chunk (no copy of the column).

    Parameters
    ----------
    column : pyarrow.ChunkedArray
    positions : numpy.ndarray of int
        Rows of the whole column, in any order, repeated or not.
    """
    bounds = np.cumsum([0, *(len(chunk) for chunk in column.chunks)], dtype=np.int64)
    chunk_of = np.searchsorted(bounds, positions, side="right") - 1
    order = np.argsort(chunk_of, kind="stable")
    found = [
        column.chunk(int(k)).take(pa.array(positions[order[at]] - bounds[k]))
        for k, at in _runs(chunk_of[order])
    ]
    if not found:
        return pa.array([], column.type)
    gathered = pa.concat_arrays(found)  # the rows in chunk order: put them back in given order
    back = np.empty(len(order), dtype=np.int64)
    back[order] = np.arange(len(order))
    return gathered.take(pa.array(back))


def _runs(sorted_keys: npt.NDArray[np.intp]) -> Iterator[tuple[int, slice]]:
    """Yield each distinct key of a sorted array with the slice of its places."""
    if len(sorted_keys) == 0:
        return
    starts = np.flatnonzero(np.diff(sorted_keys)) + 1
    edges = [0, *starts.tolist(), len(sorted_keys)]
    for begin, end in itertools.pairwise(edges):
        yield int(sorted_keys[begin]), slice(begin, end)
