"""A template's message as pieces, its literals and its columns, and per-row sums over them.

Every row's message is the same sequence of pieces: the first literal (led by the sender's digits
when they are shown), then each placeholder's column and the literal after it. A piece holds one
array per measure (characters, UTF-16 units, septets, flags); a literal's arrays are one value
broadcast to every row, so that the sums add it once, as a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from directcall_nb.text._columns import ColumnFacts, DistinctFacts, distinct_facts
from directcall_nb.text._gsm import ItemIndex

__all__ = [
    "Piece",
    "any_of",
    "column_piece",
    "count_type",
    "literal_piece",
    "same_as_chars",
    "summed",
    "totals",
]

_I64 = npt.NDArray[np.int64]
#: Per-row counts: int64 for a literal (broadcast), int32 for a column.
_Int = npt.NDArray[np.signedinteger[Any]]
_Bool = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Piece:
    """A literal or a column as one piece of every row's message (arrays may be broadcast)."""

    chars: _Int
    utf16: _Int
    septets: _Int
    gsm: _Bool
    wide: _Bool
    irregular: _Bool
    codes: _Int
    gsm_items: ItemIndex
    ucs2_items: ItemIndex
    blank: _Bool


def literal_piece(
    text: str, n_rows: int, inner_left: bool, inner_right: bool, *, billed_only: str = ""
) -> Piece:
    """Return the piece of a literal; ``billed_only`` (the sender's digits) leads it, not text.

    ``inner_left`` and ``inner_right`` tell whether a column stands before and after it, which a
    cluster at its edge could join.
    """
    text = billed_only + text
    facts = distinct_facts(np.asarray([text], dtype=object))
    irregular = bool(
        facts.oversize[0]
        or (inner_left and facts.joins_left[0])
        or (inner_right and facts.joins_right[0])
    )

    def full(value: object, dtype: type) -> npt.NDArray[Any]:
        """Return a read-only array of ``n_rows`` times the same value, without the memory."""
        return np.broadcast_to(np.asarray(value, dtype=dtype), (n_rows,))

    return Piece(
        chars=full(facts.chars[0], np.int64),
        utf16=full(facts.utf16[0], np.int64),
        septets=full(facts.septets[0], np.int64),
        gsm=full(facts.gsm[0], np.bool_),
        wide=full(facts.wide[0], np.bool_),
        irregular=full(irregular, np.bool_),
        codes=full(0, np.int64),
        gsm_items=facts.gsm_items,
        ucs2_items=facts.ucs2_items,
        blank=full(not text[len(billed_only) :].strip(), np.bool_),
    )


def column_piece(facts: ColumnFacts, fill: DistinctFacts | None) -> Piece:
    """Return the piece of a column, ``fill`` (a one-text fact) written where a value is missing."""
    if fill is None or not facts.missing.any():
        return Piece(
            facts.chars,
            facts.utf16,
            facts.septets,
            facts.gsm,
            facts.wide,
            facts.irregular,
            facts.codes,
            facts.gsm_items,
            facts.ucs2_items,
            facts.blank,
        )
    gap = facts.missing
    fill_irregular = fill.joins_left[0] | fill.joins_right[0] | fill.oversize[0]
    return Piece(  # missing rows keep code -1, under which the fill's items are filed
        np.where(gap, fill.chars[0], facts.chars),
        np.where(gap, fill.utf16[0], facts.utf16),
        np.where(gap, fill.septets[0], facts.septets),
        np.where(gap, fill.gsm[0], facts.gsm),
        np.where(gap, fill.wide[0], facts.wide),
        np.where(gap, fill_irregular, facts.irregular),
        facts.codes,
        fill.gsm_items.recoded(-1).merged(facts.gsm_items),
        fill.ucs2_items.recoded(-1).merged(facts.ucs2_items),
        np.where(gap, fill.blank[0], facts.blank),
    )


#: Per-row sums below this are held in int16 (2 bytes a row): twice one, plus one, still fits.
_SHORT_LIMIT = 1 << 14


def count_type(
    pieces: Sequence[Piece], name: str
) -> type[np.int16] | type[np.int32] | type[np.int64]:
    """Return the narrowest of int16, int32, int64 that a per-row sum of ``name`` fits in.

    int16 only for sums below 2**14, so that doubling one (a look-up of SMS parts) stays in it.
    """
    largest = sum(int(np.max(getattr(p, name), initial=0)) for p in pieces)
    if largest < _SHORT_LIMIT:
        return np.int16
    return np.int32 if largest <= np.iinfo(np.int32).max else np.int64


def same_as_chars(pieces: Sequence[Piece], name: str) -> bool:
    """Whether every piece's measure ``name`` equals its characters (so their sums are equal)."""
    for piece in pieces:
        values: _Int = getattr(piece, name)
        if values is piece.chars or len(values) == 0:
            continue
        constant = values.strides == (0,) and piece.chars.strides == (0,)
        if not (constant and int(values[0]) == int(piece.chars[0])):
            return False
    return True


def totals(pieces: Sequence[Piece], n_rows: int) -> tuple[_Int, _Bool, _Bool]:
    """Return the characters, all-GSM-7 and blank flags per row, over every row's pieces.

    A literal's facts are the same on every row (broadcast arrays): they are added once, as
    numbers, and only the columns' arrays are added row by row.
    """
    constant_chars, constant_gsm, constant_blank = 0, True, True
    columns = []
    for piece in pieces:
        if piece.chars.strides == (0,) and n_rows:  # a literal (of no row: nothing to add)
            constant_chars += int(piece.chars[0])
            constant_gsm &= bool(piece.gsm[0])
            constant_blank &= bool(piece.blank[0])
        else:
            columns.append(piece)
    chars = np.full(n_rows, constant_chars, dtype=count_type(pieces, "chars"))
    all_gsm = np.full(n_rows, constant_gsm, dtype=bool)
    blank = np.full(n_rows, constant_blank, dtype=bool)
    for piece in columns:
        chars += piece.chars
        if constant_gsm:
            all_gsm &= piece.gsm
        if constant_blank:
            blank &= piece.blank
    return chars, all_gsm, blank


def _constant(values: np.ndarray[Any, Any]) -> bool:
    """Whether ``values`` is one value seen on every row (a literal's), and there are rows."""
    return values.strides == (0,) and len(values) > 0


def summed(pieces: Sequence[Piece], name: str, n_rows: int) -> _Int:
    """Return the per-row sum of one measure over the pieces; literals' constants added once.

    The sum is as narrow as the largest values allow (`count_type`).
    """
    dtype = count_type(pieces, name)
    constant = 0
    total: _Int | None = None
    for piece in pieces:
        values: _Int = getattr(piece, name)
        if _constant(values):
            constant += int(values[0])
        elif total is None:
            total = values.astype(dtype, copy=True)
        else:
            total += values
    if total is None:
        return np.full(n_rows, constant, dtype=dtype)
    if constant:
        total += constant
    return total


def any_of(pieces: Sequence[Piece], name: str, n_rows: int) -> _Bool:
    """Return, per row, whether any piece has the flag; the literals' flags read once."""
    if any(bool(getattr(p, name)[0]) for p in pieces if _constant(getattr(p, name))):
        return np.ones(n_rows, dtype=bool)
    found = np.zeros(n_rows, dtype=bool)
    for piece in pieces:
        flags: _Bool = getattr(piece, name)
        if not _constant(flags):
            found |= flags
    return found
