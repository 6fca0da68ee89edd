"""What each value of a column contributes to a message, measured once per distinct value.

A column's values are formatted (:func:`directcall_nb.text._template.format_value`) and factorized;
only the distinct texts are measured, with pyarrow's string kernels (lengths, GSM-7 membership,
extension characters, characters outside the BMP). The few distinct texts that hold multi-unit
items (extension characters, emoji, combining accents) are also laid out one by one, so that
long messages can be split exactly without rendering them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.arrow_rows import take_rows
from directcall_nb.text._char_kinds import joiner_ranges
from directcall_nb.text._distinct import Texts, formatted_distinct
from directcall_nb.text._gsm import GSM_BASIC, GSM_EXTENSION, ItemIndex, layout
from directcall_nb.text._template import FORBIDDEN_RANGES, SURROGATES

__all__ = ["ColumnFacts", "DistinctFacts", "column_facts", "distinct_facts"]

_I32 = npt.NDArray[np.int32]
_Bool = npt.NDArray[np.bool_]
_Obj = npt.NDArray[np.object_]


def _char_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(ch):X}}}" for ch in chars) + "]"


def _range_class(ranges: Iterable[tuple[int, int]]) -> str:
    """Return an RE2 class of the code points in ``(first, last)`` ranges."""
    return "[" + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in ranges) + "]"


_ONLY_GSM = "^" + _char_class(GSM_BASIC + GSM_EXTENSION) + "*$"
_EXTENSION = _char_class(GSM_EXTENSION)
_ASTRAL = "[\\x{10000}-\\x{10FFFF}]"
#: What `directcall_nb.text._template.forbidden_character` finds, but lone surrogates (which never
#: reach Arrow), as an RE2 class.
_FORBIDDEN = _range_class(r for r in FORBIDDEN_RANGES if r != SURROGATES)


@functools.cache
def _may_cluster() -> str:
    """Return a pattern for texts that may hold a cluster of several UTF-16 units."""
    return _range_class([*joiner_ranges(), (0x10000, 0x10FFFF)])


@dataclass(frozen=True, eq=False)
class ColumnFacts:
    """What one column contributes to each row's message, measured once.

    The per-row arrays are read-only and as narrow as their values allow: one code and a few
    bytes a row, the texts themselves kept once per distinct value; a flag that is the same on
    every row is a broadcast array (one value, no memory).

    Attributes
    ----------
    texts : pyarrow.Array, pyarrow.ChunkedArray or numpy.ndarray of object
        The distinct formatted texts (:func:`format_value`), by code; see `values` and
        `values_at` for each row's (``""`` where missing, code -1). Arrow text, but for a
        column with a text that is not valid Unicode (then Python strings).
    missing : numpy.ndarray of bool
        The value is missing (None, NaN, NA, NaT).
    chars, utf16, septets : numpy.ndarray of int16 or int32
        Code points, UTF-16 code units, and GSM-7 septets (meaningful where ``gsm``); one
        array may serve for several where they are equal on every row; int16 when every
        value is below 2**14.
    gsm : numpy.ndarray of bool
        Every character is in GSM-7 (basic or extension).
    wide : numpy.ndarray of bool
        The value holds a multi-unit item (an extension character, or a grapheme cluster of
        more than one UTF-16 unit), so long messages need exact splitting.
    codes : numpy.ndarray of int16 or int32
        Equal formatted values share a code; missing is -1 (int16 for fewer than 32,767
        distinct values).
    irregular : numpy.ndarray of bool
        A grapheme cluster of the value may join a neighbouring piece of the message, or is
        unusually long: such rows are counted whole when they need exact UCS-2 splitting.
    gsm_items, ucs2_items : ItemIndex
        Where each distinct value's multi-unit items lie, by code.
    blank : numpy.ndarray of bool
        The value is empty or only white space (missing rows count as blank).
    forbidden : numpy.ndarray of bool
        The value holds a character DirectCall cannot carry (a control character, a lone
        surrogate: see `directcall_nb.text._template.forbidden_character`).
    """

    texts: Texts
    missing: _Bool
    chars: _I32
    utf16: _I32
    septets: _I32
    gsm: _Bool
    wide: _Bool
    codes: _I32
    irregular: _Bool
    gsm_items: ItemIndex
    ucs2_items: ItemIndex
    blank: _Bool
    forbidden: _Bool

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def values(self) -> _Obj:
        """The formatted text of each row, ``""`` where missing (written out on each call)."""
        return self.values_at(slice(None))

    def values_at(self, rows: npt.NDArray[np.intp] | slice) -> _Obj:
        """Return the formatted text of the rows at ``rows``, ``""`` where missing."""
        codes = self.codes[rows]
        texts = self.texts
        if not isinstance(texts, np.ndarray) and len(codes) >= len(texts):
            # as many rows as texts, or more: each text once as a Python string, shared by rows
            texts = np.asarray(texts.to_numpy(zero_copy_only=False), dtype=object)
        if isinstance(texts, np.ndarray):
            found: _Obj = np.append(texts, "")[codes]  # -1: the last, ""
            return found
        missing = codes < 0  # a few rows of many texts: only theirs are read
        chunked = texts if isinstance(texts, pa.ChunkedArray) else pa.chunked_array([texts])
        taken = take_rows(chunked, np.where(missing, 0, codes).astype(np.int64))
        values = np.asarray(taken.to_numpy(zero_copy_only=False), dtype=object)
        values[missing] = ""
        return values


@dataclass(frozen=True, eq=False)
class DistinctFacts:
    """Facts about distinct texts, one entry per text (see :class:`ColumnFacts`)."""

    texts: Texts
    chars: _I32
    utf16: _I32
    septets: _I32
    gsm: _Bool
    wide: _Bool
    joins_left: _Bool
    joins_right: _Bool
    oversize: _Bool
    gsm_items: ItemIndex
    ucs2_items: ItemIndex
    blank: _Bool
    forbidden: _Bool


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _arrow_text(texts: Texts) -> tuple[pa.Array | pa.ChunkedArray, _Bool]:
    """Return the texts as Arrow, and which ones are not valid Unicode (measured as ``""``)."""
    if not isinstance(texts, np.ndarray):
        return texts, np.zeros(len(texts), dtype=bool)
    try:
        return pa.array(texts, type=pa.large_string()), np.zeros(len(texts), dtype=bool)
    except (UnicodeEncodeError, pa.ArrowException):
        pass
    broken = np.fromiter((not _encodable(t) for t in texts), dtype=bool, count=len(texts))
    cleaned = np.where(broken, "", texts)
    return pa.array(cleaned, type=pa.large_string()), broken


def distinct_facts(texts: Texts) -> DistinctFacts:
    """Measure distinct texts with pyarrow; lay out items only for the few that need it.

    Parameters
    ----------
    texts : pyarrow.Array, pyarrow.ChunkedArray or numpy.ndarray of object
        Distinct strings (Arrow text, large or not).

    Notes
    -----
    A text that is not valid Unicode (a lone surrogate) is measured as ``""`` and flagged
    ``forbidden``: the rows that hold it are invalid, the others are unaffected.
    """
    arrow, broken = _arrow_text(texts)

    def numbers(result: pa.Array) -> _I32:  # counts within one text: below 2**31
        return np.asarray(result.to_numpy(zero_copy_only=False), dtype=np.int32)

    chars = numbers(pc.utf8_length(arrow))
    extension = numbers(pc.count_substring_regex(arrow, _EXTENSION))
    is_gsm = np.asarray(
        pc.match_substring_regex(arrow, _ONLY_GSM).to_numpy(zero_copy_only=False), dtype=bool
    )
    clustered = np.asarray(
        pc.match_substring_regex(arrow, _may_cluster()).to_numpy(zero_copy_only=False), dtype=bool
    )
    n = len(texts)
    flags = {name: np.zeros(n, dtype=bool) for name in ("left", "right", "oversize", "wide")}
    gsm_spans: list[tuple[int, tuple[tuple[int, int], ...]]] = []
    ucs2_spans: list[tuple[int, tuple[tuple[int, int], ...]]] = []
    for i in np.flatnonzero(clustered | (is_gsm & (extension > 0))):
        found = layout(arrow[int(i)].as_py())
        gsm_spans.append((int(i), found.gsm))
        ucs2_spans.append((int(i), found.ucs2))
        flags["left"][i], flags["right"][i] = found.joins_left, found.joins_right
        flags["oversize"][i] = found.oversize
        flags["wide"][i] = bool(found.gsm or found.ucs2)
    astral = numbers(pc.count_substring_regex(arrow, _ASTRAL)) if clustered.any() else 0
    spaces = np.asarray(pc.utf8_is_space(arrow).to_numpy(zero_copy_only=False), dtype=bool)
    forbidden = broken | np.asarray(
        pc.match_substring_regex(arrow, _FORBIDDEN).to_numpy(zero_copy_only=False), dtype=bool
    )
    return DistinctFacts(
        texts=texts,
        chars=chars,
        utf16=chars + astral,
        septets=chars + extension,
        gsm=is_gsm,
        wide=flags["wide"],
        joins_left=flags["left"],
        joins_right=flags["right"],
        oversize=flags["oversize"],
        gsm_items=ItemIndex.build(gsm_spans),
        ucs2_items=ItemIndex.build(ucs2_spans),
        blank=spaces | (chars == 0),
        forbidden=forbidden,
    )


def _read_only(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    values.flags.writeable = False
    return values


def _narrowest(largest: int) -> type[np.int16] | type[np.int32]:
    """Return int16 when every value (and -1) lies below ``largest``'s bound, else int32."""
    return np.int16 if largest < np.iinfo(np.int16).max else np.int32


def column_facts(column: pd.Series) -> ColumnFacts:
    """Measure a column once for every template that uses it.

    The values are formatted with :func:`format_value`; only distinct values are measured
    (with pyarrow), so the cost grows with the number of distinct values.

    A value that is not valid Unicode text, or that holds a character DirectCall cannot carry,
    is flagged ``forbidden`` on its rows.
    """
    wide_codes, texts = formatted_distinct(column)
    facts = distinct_facts(texts)
    codes = _read_only(wide_codes.astype(_narrowest(len(texts)), copy=False))
    # Every distinct text is some row's (they were found in the column); -1 (the last place of
    # a table below) is used when a value is missing.
    used = np.arange(len(texts) + 1) if len(codes) and codes.min() < 0 else np.arange(len(texts))

    def spread(per_value: npt.NDArray[Any], empty: object, dtype: type = bool) -> npt.NDArray[Any]:
        """Each row's entry of a per-value array; ``empty`` for missing rows (code -1).

        A flag that is the same on every row is one value seen by every row, without memory.
        """
        table: npt.NDArray[Any] = np.append(per_value, np.asarray([empty], per_value.dtype))
        table = table.astype(dtype)
        if dtype is bool and len(used) and (table[used] == table[used[0]]).all():
            return np.broadcast_to(table[used[0]], codes.shape)
        return _read_only(table[codes])

    counts = _narrowest(int(max(facts.utf16.max(initial=0), facts.septets.max(initial=0))) * 2)
    chars = spread(facts.chars, 0, counts)
    same_utf16 = np.array_equal(facts.utf16, facts.chars)
    same_septets = np.array_equal(facts.septets, facts.chars)
    return ColumnFacts(
        texts=texts,
        missing=spread(np.zeros(len(texts), dtype=bool), True),
        chars=chars,
        utf16=chars if same_utf16 else spread(facts.utf16, 0, counts),
        septets=chars if same_septets else spread(facts.septets, 0, counts),
        gsm=spread(facts.gsm, True),
        wide=spread(facts.wide, False),
        codes=codes,
        irregular=spread(facts.joins_left | facts.joins_right | facts.oversize, False),
        gsm_items=facts.gsm_items,
        ucs2_items=facts.ucs2_items,
        blank=spread(facts.blank, True),
        forbidden=spread(facts.forbidden, False),
    )
