"""The answers of the Arrow phone columns answered lately, found again while they are in use.

An analyst validates a column, keeps the result, and estimates a campaign on the same frame:
the estimator would read the whole column a second time, to the same answers. `remember` notes
the answers of a column whose text is Arrow data, and `recall` gives them back for the same
column, so that validating and estimating share one set of answers (and one copy of the
normalised phones).

Why the answers recalled are always the column's:

* A column is recognised by its Arrow array (the very object, not its contents). Arrow data
  never changes in place: pandas replaces the array of an Arrow-backed column when a cell is
  set, so a column that was edited is another column. Columns of Python objects, which can be
  edited in place, are never remembered.
* An entry lives only while both that array and the answers' phones are alive: it holds them
  weakly (the phones are the ones the validation result shows, or an estimator reads), and is
  forgotten as soon as either goes. Nothing here keeps a column or its phones in memory.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from directcall_nb.frames import arrow_data

__all__ = ["Remembered", "recall", "remember"]

#: The most columns remembered at once (an analyst works on a few frames).
_MOST_COLUMNS = 4


class Remembered(NamedTuple):
    """A column's answers, as the fields of `directcall_nb.phones.PhoneAnswers`."""

    phone: pa.ChunkedArray
    valid: npt.NDArray[np.bool_]
    line_type: pa.ChunkedArray
    reason: pa.ChunkedArray


@dataclass(frozen=True, eq=False)
class _Entry:
    """What is remembered of one column's answers: the phones held weakly, the rest kept."""

    column: weakref.ref[pa.ChunkedArray]
    phone: weakref.ref[pa.ChunkedArray]
    valid: npt.NDArray[np.bool_]
    line_type: pa.ChunkedArray
    reason: pa.ChunkedArray


_entries: OrderedDict[tuple[int, bool], _Entry] = OrderedDict()
_lock = threading.RLock()  # a weak reference's callback may run while it is held


def _forget(key: tuple[int, bool], entry_id: int) -> None:
    with _lock:
        entry = _entries.get(key)
        if entry is not None and id(entry) == entry_id:
            del _entries[key]


def remember(series: pd.Series, allow_international: bool, answers: Remembered) -> None:
    """Note ``answers`` as those of ``series`` while the column and ``answers.phone`` live.

    Parameters
    ----------
    series : Series
        The column answered; only an Arrow-backed one is remembered.
    allow_international : bool
        As the answers were given.
    answers : Remembered
        The column's answers.
    """
    data = arrow_data(series)
    if data is None or len(data) != len(answers.valid):
        return
    key = (id(data), allow_international)
    holder: list[int] = []

    def gone(_: object) -> None:
        if holder:
            _forget(key, holder[0])

    valid = answers.valid.view()
    valid.flags.writeable = False
    entry = _Entry(
        weakref.ref(data, gone), weakref.ref(answers.phone, gone), valid, answers.line_type,
        answers.reason,
    )  # fmt: skip
    holder.append(id(entry))
    with _lock:
        _entries[key] = entry
        _entries.move_to_end(key)
        while len(_entries) > _MOST_COLUMNS:
            _entries.popitem(last=False)


def recall(series: pd.Series, allow_international: bool) -> Remembered | None:
    """Return the answers remembered for ``series`` (None when there are none).

    Parameters
    ----------
    series : Series
        The column to answer.
    allow_international : bool
        As the answers must be given.
    """
    data = arrow_data(series)
    if data is None:
        return None
    with _lock:
        entry = _entries.get((id(data), allow_international))
    if entry is None or entry.column() is not data:
        return None
    phone = entry.phone()
    if phone is None:
        return None
    return Remembered(phone, entry.valid, entry.line_type, entry.reason)
