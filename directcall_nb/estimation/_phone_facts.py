"""A phone column normalised once, and what every estimate reads of it, row by row."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.arrow_rows import take_rows
from directcall_nb.estimation._reasons import Reason
from directcall_nb.vocabulary import Channel

__all__ = ["SMS_LINE_TYPES", "PhoneFacts"]

#: Line types that can receive an SMS.
SMS_LINE_TYPES = ("mobile", "fixed_line_or_mobile")

BoolArray = npt.NDArray[np.bool_]


def _codes(column: pa.ChunkedArray) -> tuple[npt.NDArray[np.int32], pa.Array]:
    """Each row's value as an index into the distinct values (-1: null), and those values."""
    encoded = pc.dictionary_encode(column)
    dictionary = encoded.chunk(0).dictionary if encoded.num_chunks else pa.array([], column.type)
    indices = pa.chunked_array([chunk.indices for chunk in encoded.chunks], pa.int32())
    codes = np.asarray(indices.fill_null(-1).to_numpy(), dtype=np.int32)
    return codes, dictionary


def _dictionary_codes(column: pa.ChunkedArray) -> tuple[npt.NDArray[np.int32], pa.Array]:
    """Each row of a dictionary column as an index into its distinct values (-1: null)."""
    unified = column.unify_dictionaries()
    if unified.num_chunks == 0:
        return np.zeros(0, dtype=np.int32), pa.array([], column.type.value_type)
    codes = np.empty(len(unified), dtype=np.int32)
    start = 0
    for chunk in unified.chunks:  # after unifying, the chunks share one dictionary
        codes[start : start + len(chunk)] = chunk.indices.fill_null(-1).to_numpy()
        start += len(chunk)
    merged, distinct = _codes(pa.chunked_array([unified.chunk(0).dictionary]))  # equal texts
    return np.append(merged, np.int32(-1))[codes], distinct


class PhoneFacts:
    """A phone column normalised once, and the per-row arrays every estimate reads.

    The answers stay Arrow arrays (no Python string per row); `frame` is built from them, without
    copying, only when asked for.

    Parameters
    ----------
    column : Series
        The phone numbers as given.
    allow_international : bool
        Accept valid numbers of other countries.
    """

    def __init__(self, column: pd.Series, *, allow_international: bool) -> None:
        from directcall_nb.phones import phone_answers

        self.column = column
        self.allow_international = allow_international
        self.answers = phone_answers(column, allow_international=allow_international)
        self.valid: BoolArray = self.answers.valid
        codes, names = self.line_types
        sms_codes = [k for k, name in enumerate(names) if name in SMS_LINE_TYPES]
        self.sms_capable: BoolArray = np.isin(codes, sms_codes)
        self._eligible: dict[str, BoolArray] = {}

    def __len__(self) -> int:
        return len(self.valid)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The answers as `directcall_nb.normalize_phones` gives them, indexed like the column."""
        return self.answers.frame(self.column.index)

    def phones_at(self, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.object_]:
        """Return the normalised phones of the rows at ``positions`` (None where not valid)."""
        taken = take_rows(self.answers.phone, np.asarray(positions, dtype=np.int64))
        return np.asarray(taken.to_numpy(zero_copy_only=False), dtype=object)

    @cached_property
    def reasons(self) -> tuple[npt.NDArray[np.intp], list[Reason]]:
        """Each invalid row's reason as an index into the distinct reasons (-1: valid).

        A reason keeps one of the values it explains, to write it again in another language
        (equal English reasons are written alike in Portuguese too: same sentence, same fields).
        """
        codes32, distinct = _dictionary_codes(self.answers.reason)
        codes = np.where(self.valid, -1, codes32).astype(np.intp)
        first = np.full(len(distinct), -1, dtype=np.intp)
        rows = np.flatnonzero(codes >= 0)
        first[codes[rows[::-1]]] = rows[::-1]  # the first row of each reason
        kept = np.flatnonzero(first >= 0)
        renumber = np.full(len(distinct) + 1, -1, dtype=np.intp)  # the last place stands for -1
        renumber[kept] = np.arange(len(kept))
        return renumber[codes], [
            Reason(
                "phone",
                detail=str(distinct[k]),
                value=self.column.iloc[first[k]],
                allow_international=self.allow_international,
            )
            for k in kept.tolist()
        ]

    def eligible(self, channel: Channel) -> BoolArray:
        """Return the rows whose number can receive the channel: valid, and a mobile for SMS."""
        if channel not in self._eligible:
            self._eligible[channel] = (
                self.valid & self.sms_capable if channel == "sms" else self.valid
            )
        return self._eligible[channel]

    @cached_property
    def line_types(self) -> tuple[npt.NDArray[np.int8], list[str]]:
        """Each row's line type as an index into the line types' names (-1: none)."""
        column = self.answers.line_type.unify_dictionaries()
        if column.num_chunks == 0:
            return np.zeros(0, dtype=np.int8), []
        names = [str(name) for name in column.chunk(0).dictionary.to_pylist()]
        codes = np.empty(len(column), dtype=np.int8)
        start = 0
        for chunk in column.chunks:  # one dictionary for all chunks: their indices are codes
            codes[start : start + len(chunk)] = chunk.indices.fill_null(-1).to_numpy()
            start += len(chunk)
        return codes, names

    @cached_property
    def shared(self) -> BoolArray:
        """Rows whose valid phone appears more than once: the only possible duplicates.

        The phones, strings of digits, are compared as numbers tagged with their length (so
        that a leading ``00`` still counts), sorted: 8 bytes a valid row, the numbers of a slice
        of rows at a time besides, where hashing the strings would take several times that.
        Longer numbers than that allows are hashed.
        """
        repeated = _repeated_keys(self.answers.phone, self.valid)
        if repeated is None:
            codes, distinct = _codes(self.answers.phone)
            codes = np.where(self.valid, codes, -1)
            counts = np.bincount(codes[codes >= 0], minlength=len(distinct))
            return (codes >= 0) & (np.append(counts, 0)[codes] > 1)
        if len(repeated) == 0:
            return np.zeros(len(self.valid), dtype=bool)
        return _among(self.answers.phone, self.valid, repeated)


#: The most digits a phone may have to be compared as a number (10**17 * 32 < 2**63).
_NUMERIC_DIGITS = 17
#: Rows keyed and looked up at a time (so that the arrays of a slice of rows stay small).
_LOOKUP_ROWS = 1 << 16


def _slices(phone: pa.ChunkedArray) -> Iterator[tuple[int, pa.Array]]:
    """Yield the phones a slice of rows at a time, each with the position of its first row."""
    start = 0
    for chunk in phone.chunks:
        for offset in range(0, len(chunk), _LOOKUP_ROWS):
            yield start + offset, chunk.slice(offset, _LOOKUP_ROWS)
        start += len(chunk)


def _slice_keys(phones: pa.Array) -> npt.NDArray[np.int64] | None:
    """Each phone as one number, its digits times 32 plus its length (null: 0).

    None when a phone is too long for that, or not only digits.
    """
    lengths = pc.utf8_length(phones)
    longest = pc.max(lengths).as_py()
    if longest is None:
        return np.zeros(len(phones), dtype=np.int64)
    if longest > _NUMERIC_DIGITS:
        return None
    try:
        numbers = pc.cast(phones, pa.int64())
    except pa.ArrowInvalid:  # not digits only
        return None
    keys = np.asarray(numbers.fill_null(0).to_numpy(), dtype=np.int64) * 32
    keys += lengths.fill_null(0).to_numpy()
    return keys


def _repeated_keys(phone: pa.ChunkedArray, valid: BoolArray) -> npt.NDArray[np.int64] | None:
    """Return the keys (`_slice_keys`) of more than one valid phone, sorted; None: not numbers."""
    ordered = np.empty(int(np.count_nonzero(valid)), dtype=np.int64)
    filled = 0
    for start, phones in _slices(phone):
        keys = _slice_keys(phones)
        if keys is None:
            return None
        kept = keys[valid[start : start + len(phones)]]
        ordered[filled : filled + len(kept)] = kept
        filled += len(kept)
    ordered.sort()
    return np.unique(ordered[1:][ordered[1:] == ordered[:-1]])


def _among(phone: pa.ChunkedArray, valid: BoolArray, repeated: npt.NDArray[np.int64]) -> BoolArray:
    """Per row: its phone is valid and its key one of the sorted ``repeated`` keys."""
    found = np.zeros(len(valid), dtype=bool)
    last = len(repeated) - 1
    for start, phones in _slices(phone):
        keys = _slice_keys(phones)
        assert keys is not None  # every phone's key was found before
        at = np.minimum(np.searchsorted(repeated, keys), last)
        found[start : start + len(phones)] = repeated[at] == keys
    found &= valid
    return found
