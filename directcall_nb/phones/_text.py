"""From a text column to digits, and equal numbers grouped.

:func:`read_text` finds the *plain* rows, those libphonenumber reads as nothing but their digits
and a ``+`` (an Excel float written out counts as its digits), and the digits of every row.
:func:`distinct_numbers` groups equal numbers so that each is classified once.
:func:`read_excel_float` and :func:`read_0055` are the two deliberate readings, for one text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "Distinct",
    "PlainRows",
    "distinct_numbers",
    "read_0055",
    "read_excel_float",
    "read_text",
]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# The parser refuses a text longer than this as a whole.
_MAX_INPUT_LENGTH = 250
_MIN_DIGITS = 3
_MAX_DIGITS = 17
# An Excel float written out: digits, then ".0". ASCII spaces around are allowed; the class is
# spelt out so that RE2 (for columns) and Python (one value) read the pattern the same way.
_EXCEL_FLOAT_BODY = r"[\t\n\f\r ]*(\+?[0-9]+)\.0+[\t\n\f\r ]*"
_EXCEL_FLOAT = "^" + _EXCEL_FLOAT_BODY + "$"
_EXCEL_FLOAT_TEXT = re.compile(_EXCEL_FLOAT_BODY)
# The first four digits 0055 with no + before them; what stands before them is kept.
_NOT_DIGIT_OR_PLUS = r"[^\d+\uff0b]*"
_LEADING_0055 = re.compile(
    "^(" + _NOT_DIGIT_OR_PLUS + ")0" + _NOT_DIGIT_OR_PLUS + "0" + _NOT_DIGIT_OR_PLUS + "5"
    + _NOT_DIGIT_OR_PLUS + "5"
)  # fmt: skip


def read_0055(text: str) -> str:
    """``"0055 11 ..."`` → ``"+55 11 ..."`` when the first four digits are 0055 and no ``+``."""
    return _LEADING_0055.sub(r"\1+55", text, count=1)


# -- text to digits -------------------------------------------------------------------------------

# The usual bytes of a number: ASCII digits, and punctuation between them.
_PUNCTUATION = b" -()/"
# What each of the other bytes of UTF-8 text is.
_DOT, _JUNK, _PLUS, _UNUSUAL = range(4)
_RARE_KIND = np.full(256, _UNUSUAL, dtype=np.int8)  # non-ASCII: maybe a digit of another script
_RARE_KIND[:128] = _JUNK
_RARE_KIND[ord(".")] = _DOT
_RARE_KIND[ord("+")] = _PLUS
_RARE_KIND[ord(";")] = _UNUSUAL  # RFC 3966 parameters


@dataclass(frozen=True)
class PlainRows:
    """The rows of a text column that libphonenumber reads as nothing but digits and a ``+``.

    A row is *plain* when it has 3 to 17 ASCII digits, otherwise only spaces and ``-.()/``,
    at most one ``+`` before the digits, and perhaps ASCII text before all of that (``"tel: "``),
    which the library drops. An Excel float written out is read as its digits first.

    Attributes
    ----------
    text : pyarrow.StringArray
        The column.
    plain, plus : numpy.ndarray of bool
        Whether each row is plain, and whether it has a ``+``.
    digits : pyarrow.LargeStringArray
        The ASCII digits of every row.
    lengths, value : numpy.ndarray of int
        How many digits, and their value as a number (plain rows only).
    """

    text: pa.StringArray
    plain: BoolArray
    plus: BoolArray
    digits: pa.LargeStringArray
    lengths: IntArray
    value: IntArray


def read_text(text: pa.StringArray) -> PlainRows:
    """Find the plain rows of a text column, and the digits of every row."""
    count = len(text)
    plain = np.zeros(count, dtype=np.bool_)
    plus = np.zeros(count, dtype=np.bool_)
    value = np.full(count, -1, dtype=np.int64)
    lengths = np.zeros(count, dtype=np.int64)
    digits = _split(text, plain, plus, lengths, value)
    if text.null_count:
        plain &= ~text.is_null().to_numpy(zero_copy_only=False)
    return PlainRows(text, plain, plus, digits, lengths, value)


def read_excel_float(text: str) -> str:
    """``"5511912345678.0"`` → ``"5511912345678"``: digits then ``.0`` are a float from Excel."""
    found = _EXCEL_FLOAT_TEXT.fullmatch(text)
    return text if found is None else found.group(1)


def _text_bytes(text: pa.StringArray) -> tuple[npt.NDArray[np.uint8], IntArray, IntArray]:
    """Return the UTF-8 bytes of ``text`` and where each row starts and ends in them."""
    count = len(text)
    if count == 0:
        return np.zeros(0, dtype=np.uint8), np.zeros(0, np.int64), np.zeros(0, np.int64)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)
    offsets = offsets[text.offset : text.offset + count + 1]
    first = int(offsets[0])
    starts = (offsets[:-1] - first).astype(np.int64)
    ends = (offsets[1:] - first).astype(np.int64)
    buffer = text.buffers()[2]
    if buffer is None:
        return np.zeros(0, dtype=np.uint8), starts, ends
    return np.frombuffer(buffer, dtype=np.uint8)[first : first + int(ends[-1])], starts, ends


def _digits_between(is_digit: BoolArray, starts: IntArray, stops: IntArray) -> IntArray:
    """Count the digits from each of ``starts`` up to (not including) the same place of ``stops``.

    Summed span by span, without a running count of 4 bytes per byte of text. The spans (a few
    rows' beginnings, usually) are gathered first when they are shorter than the text.
    """
    found = np.zeros(len(starts), dtype=np.int64)
    spans = np.flatnonzero(stops > starts)
    if len(spans) == 0:
        return found
    sizes = stops[spans] - starts[spans]
    total = int(sizes.sum())
    if total < len(is_digit):
        first = np.cumsum(sizes) - sizes  # where each span starts among the gathered bytes
        where = np.arange(total) + np.repeat(starts[spans] - first, sizes)
        found[spans] = np.add.reduceat(is_digit[where].view(np.uint8), first, dtype=np.int64)
        return found
    padded = np.append(is_digit, False)  # so that a span may stop at the very end
    bounds = np.empty(2 * len(spans), dtype=np.int64)
    bounds[0::2], bounds[1::2] = starts[spans], stops[spans]
    found[spans] = np.add.reduceat(padded, bounds, dtype=np.int64)[0::2]
    return found


def _digits_per_row(is_digit: BoolArray, starts: IntArray, ends: IntArray) -> IntArray:
    """Count the digits of each row (a row starts where the one before it ends).

    Summed from one non-empty row's start to the next one's: half the bounds of
    :func:`_digits_between`, and no copy of ``is_digit``.
    """
    found = np.zeros(len(starts), dtype=np.int64)
    filled = np.flatnonzero(ends > starts)
    if len(filled):
        found[filled] = np.add.reduceat(is_digit.view(np.uint8), starts[filled], dtype=np.int64)
    return found


def _rows_of(positions: IntArray, ends: IntArray) -> IntArray:
    """Return the row each byte position belongs to."""
    return np.searchsorted(ends, positions, side="right")


def _split(
    text: pa.StringArray, plain: BoolArray, plus: BoolArray, lengths: IntArray, value: IntArray
) -> pa.LargeStringArray:
    """Fill ``plain``, ``plus``, ``lengths`` and ``value``; return the digits of every row."""
    count = len(text)
    data, starts, ends = _text_bytes(text)
    is_digit = data - np.uint8(ord("0")) < 10  # bytes below "0" wrap around to large values
    usual = is_digit.copy()
    for byte in _PUNCTUATION:
        usual |= data == byte
    rare_at = np.flatnonzero(~usual)
    rare_kind = _RARE_KIND.take(data[rare_at])
    rare_row = _rows_of(rare_at, ends)
    dot = rare_kind == _DOT
    _skip_excel_decimals(text, is_digit, rare_at[dot], rare_row[dot], ends)
    lengths[:] = digit_count = _digits_per_row(is_digit, starts, ends)
    plain[:] = (
        (digit_count >= _MIN_DIGITS)
        & (digit_count <= _MAX_DIGITS)
        & (ends - starts <= _MAX_INPUT_LENGTH)
    )
    plain[rare_row[rare_kind == _UNUSUAL]] = False
    plus_at, plus_row = rare_at[rare_kind == _PLUS], rare_row[rare_kind == _PLUS]
    plus_count = np.bincount(plus_row, minlength=count)
    plain &= plus_count <= 1
    plain[plus_row[_digits_between(is_digit, starts[plus_row], plus_at) > 0]] = False  # a + late
    plus[:] = plus_count == 1
    plus_position = np.full(count, len(data), dtype=np.int64)
    plus_position[plus_row] = plus_at
    junk_at, junk_row = rare_at[rare_kind == _JUNK], rare_row[rare_kind == _JUNK]
    late = (_digits_between(is_digit, starts[junk_row], junk_at) > 0) | (
        junk_at > plus_position[junk_row]
    )
    plain[junk_row[late]] = False  # text after the number has started
    found: npt.NDArray[np.uint8] = np.compress(is_digit, data)
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(digit_count, out=offsets[1:])
    digits = pa.LargeStringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(found))
    rows = np.flatnonzero(plain)
    value[rows] = pc.cast(digits.take(pa.array(rows)), pa.int64()).to_numpy(zero_copy_only=False)
    return digits


def _skip_excel_decimals(
    text: pa.StringArray, is_digit: BoolArray, dot_at: IntArray, dot_row: IntArray, ends: IntArray
) -> None:
    """In rows that are Excel floats written out, count no digit after the dot."""
    if len(dot_at) == 0:
        return
    rows, first_dot = np.unique(dot_row, return_index=True)
    excel = _matches(text.take(pa.array(rows)), _EXCEL_FLOAT)
    start, stop = dot_at[first_dot][excel], ends[rows[excel]]
    sizes = stop - start
    where = np.arange(int(sizes.sum())) + np.repeat(start - np.cumsum(sizes) + sizes, sizes)
    is_digit[where] = False


def _matches(values: pa.StringArray, pattern: str) -> BoolArray:
    found: BoolArray = pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)
    return found


# -- equal numbers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distinct:
    """Equal numbers (same digits, same ``+``) grouped, groups in row order.

    Attributes
    ----------
    group : numpy.ndarray of int
        The group of each row.
    first : numpy.ndarray of int
        One row of each group (ascending).
    lengths, value : numpy.ndarray of int
        The number of digits and their value, for each group.
    """

    group: IntArray
    first: IntArray
    lengths: IntArray
    value: IntArray


# Grouping pays when at least this share of the rows repeats an earlier one: classifying a number
# costs a few times what grouping it does.
_WORTH_GROUPING = 0.2


def distinct_numbers(plus: BoolArray, lengths: IntArray, value: IntArray) -> Distinct:
    """Group equal numbers of 1 to 17 digits (given by length and value).

    When few numbers repeat, each row is its own group: telling them apart would cost more than
    classifying the few repeats twice.
    """
    count = len(value)
    # at most 17 digits: the value needs 57 bits, the length 5 more
    key = (plus.astype(np.int64) << 62) | (lengths << 57) | value
    ordered = np.sort(key)
    repeats = np.count_nonzero(ordered[1:] == ordered[:-1])
    if repeats < _WORTH_GROUPING * count:
        every = np.arange(count)
        return Distinct(group=every, first=every, lengths=lengths, value=value)
    order = np.argsort(key)
    ordered = key[order]
    starts_group = np.empty(count, dtype=np.bool_)
    starts_group[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_group[1:])
    # number the groups in the order of the row kept for each, so that reading answers back
    # goes through memory in order
    is_first = np.zeros(count, dtype=np.bool_)
    is_first[order[starts_group]] = True
    number = np.cumsum(is_first) - 1
    group = np.empty(count, dtype=np.int64)
    group[order] = number[order[starts_group]][np.cumsum(starts_group) - 1]
    first = np.flatnonzero(is_first)
    return Distinct(group=group, first=first, lengths=lengths[first], value=value[first])
