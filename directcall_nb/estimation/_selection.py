"""Which rows, and their counts: the first of a mask, rows repeated outside, counts as shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from directcall_nb.estimation._estimate import Estimate

__all__ = ["RepeatCheck", "at_least_int32", "first_positions"]

BoolArray = npt.NDArray[np.bool_]
Counts = npt.NDArray[np.signedinteger[Any]]


def first_positions(mask: BoolArray, count: int) -> npt.NDArray[np.intp]:
    """Return the positions of the first ``count`` true values, reading no more than needed."""
    found: list[npt.NDArray[np.intp]] = []
    have, start, step = 0, 0, 4096
    while have < count and start < len(mask):
        chunk = np.flatnonzero(mask[start : start + step]) + start
        found.append(chunk)
        have += len(chunk)
        start, step = start + step, step * 4
    return np.concatenate(found)[:count] if found else np.zeros(0, dtype=np.intp)


class RepeatCheck(Protocol):
    """Finds the rows that repeat a row outside the frame estimated (same phone, same text).

    What makes the rows of one partition of a Dask frame ``duplicate`` when an earlier
    partition has the same phone and text; called once, with the rows that would be sent.
    """

    def __call__(self, estimate: Estimate, candidates: BoolArray) -> BoolArray:
        """Return, per row, whether it is one of ``candidates`` and repeats an outside row."""


def at_least_int32(
    values: npt.NDArray[np.signedinteger[Any]],
) -> npt.NDArray[np.signedinteger[Any]]:
    """Return counts as the per-row table shows them: int32 (int64 when they need it)."""
    return values.astype(np.promote_types(values.dtype, np.int32), copy=False)
