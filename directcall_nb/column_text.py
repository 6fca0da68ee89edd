"""What each value of a column contributes to a message, measured once per distinct value.

A column's values are formatted (:func:`directcall_nb.template.format_value`) and factorized;
only the distinct texts are measured, with pyarrow's string kernels (lengths, GSM-7 membership,
extension characters, characters outside the BMP). The few distinct texts that hold multi-unit
items (extension characters, emoji, combining accents) are also laid out one by one, so that
long messages can be split exactly without rendering them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb import gsm
from directcall_nb.errors import InputError
from directcall_nb.gsm import ItemIndex
from directcall_nb.template import format_value

__all__ = ["ColumnFacts", "DistinctFacts", "column_facts", "distinct_facts"]

_I64 = npt.NDArray[np.int64]
_Bool = npt.NDArray[np.bool_]
_Obj = npt.NDArray[np.object_]


def _char_class(chars: str) -> str:
    return "[" + "".join(f"\\x{{{ord(ch):X}}}" for ch in chars) + "]"


_ONLY_GSM = "^" + _char_class(gsm.GSM_BASIC + gsm.GSM_EXTENSION) + "*$"
_EXTENSION = _char_class(gsm.GSM_EXTENSION)
_ASTRAL = "[\\x{10000}-\\x{10FFFF}]"


@functools.cache
def _may_cluster() -> str:
    """A pattern for texts that may hold a cluster of several UTF-16 units."""
    ranges = "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in gsm.joiner_ranges())
    return f"[{ranges}\\x{{10000}}-\\x{{10FFFF}}]"


@dataclass(frozen=True, eq=False)
class ColumnFacts:
    """What one column contributes to each row's message, measured once.

    Attributes
    ----------
    values : numpy.ndarray of object
        The formatted text of each row (:func:`format_value`), ``""`` where missing.
    missing : numpy.ndarray of bool
        The value is missing (None, NaN, NA, NaT).
    chars, utf16, septets : numpy.ndarray of int64
        Code points, UTF-16 code units, and GSM-7 septets (meaningful where ``gsm``).
    gsm : numpy.ndarray of bool
        Every character is in GSM-7 (basic or extension).
    wide : numpy.ndarray of bool
        The value holds a multi-unit item (an extension character, or a grapheme cluster of
        more than one UTF-16 unit), so long messages need exact splitting.
    codes : numpy.ndarray of int64
        Equal formatted values share a code; missing is -1.
    irregular : numpy.ndarray of bool
        A grapheme cluster of the value may join a neighbouring piece of the message, or is
        unusually long: such rows are counted whole when they need exact UCS-2 splitting.
    gsm_items, ucs2_items : ItemIndex
        Where each distinct value's multi-unit items lie, by code.
    """

    values: _Obj
    missing: _Bool
    chars: _I64
    utf16: _I64
    septets: _I64
    gsm: _Bool
    wide: _Bool
    codes: _I64
    irregular: _Bool
    gsm_items: ItemIndex
    ucs2_items: ItemIndex


@dataclass(frozen=True, eq=False)
class DistinctFacts:
    """Facts about distinct texts, one entry per text (see :class:`ColumnFacts`)."""

    texts: _Obj
    chars: _I64
    utf16: _I64
    septets: _I64
    gsm: _Bool
    wide: _Bool
    joins_left: _Bool
    joins_right: _Bool
    oversize: _Bool
    gsm_items: ItemIndex
    ucs2_items: ItemIndex


def distinct_facts(texts: _Obj, where: str) -> DistinctFacts:
    """Measure distinct texts with pyarrow; lay out items only for the few that need it.

    Parameters
    ----------
    texts : numpy.ndarray of object
        Distinct strings.
    where : str
        What the texts are, for error messages (e.g. ``"column 'nome'"``).

    Raises
    ------
    InputError
        A text is not valid Unicode (a lone surrogate).
    """
    try:
        arrow = pa.array(texts, type=pa.large_string())
    except (UnicodeEncodeError, pa.ArrowException) as exc:
        raise InputError(
            f"{where} has a value that is not valid Unicode text (a lone surrogate): fix it "
            "before sending"
        ) from exc

    def numbers(result: pa.Array) -> _I64:
        return np.asarray(result.to_numpy(zero_copy_only=False), dtype=np.int64)

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
        found = gsm.layout(texts[i])
        gsm_spans.append((int(i), found.gsm))
        ucs2_spans.append((int(i), found.ucs2))
        flags["left"][i], flags["right"][i] = found.joins_left, found.joins_right
        flags["oversize"][i] = found.oversize
        flags["wide"][i] = bool(found.gsm or found.ucs2)
    astral = numbers(pc.count_substring_regex(arrow, _ASTRAL)) if clustered.any() else 0
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
    )


def _formatted_distinct(column: pd.Series) -> tuple[_I64, _Obj]:
    """Codes of each row and the distinct formatted texts they point to (-1: missing)."""
    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts): format first
        codes, uniques = pd.factorize(
            pd.Series([format_value(v) for v in column], dtype=object), use_na_sentinel=True
        )
    codes = np.asarray(codes, dtype=np.int64)
    dtype = column.dtype
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return codes, np.asarray(uniques, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        stamps = pd.DatetimeIndex(uniques)
        midnight = np.asarray(stamps == stamps.normalize())
        texts = np.where(midnight, stamps.strftime("%d/%m/%Y"), stamps.strftime("%d/%m/%Y %H:%M"))
        return codes, np.asarray(texts, dtype=object)
    if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return codes, np.asarray(np.asarray(uniques).astype(str), dtype=object)
    formatted = pd.Series(
        [v if type(v) is str else format_value(v) for v in np.asarray(uniques, dtype=object)],
        dtype=object,
    )
    merged, distinct = pd.factorize(formatted, use_na_sentinel=True)  # 1 and 1.0 both: "1"
    lookup = np.append(np.asarray(merged, dtype=np.int64), -1)
    return lookup[codes], np.asarray(distinct, dtype=object)


def column_facts(column: pd.Series) -> ColumnFacts:
    """Measure a column once for every template that uses it.

    The values are formatted with :func:`format_value`; only distinct values are measured
    (with pyarrow), so the cost grows with the number of distinct values.

    Raises
    ------
    InputError
        A value is not valid Unicode text.
    """
    codes, texts = _formatted_distinct(column)
    facts = distinct_facts(texts, f"column {str(column.name)!r}")

    def spread(per_value: npt.NDArray[Any], empty: object) -> npt.NDArray[Any]:
        """Each row's entry of a per-value array; ``empty`` for missing rows (code -1)."""
        return np.append(per_value, np.asarray([empty], dtype=per_value.dtype))[codes]

    return ColumnFacts(
        values=spread(texts, ""),
        missing=codes < 0,
        chars=spread(facts.chars, 0),
        utf16=spread(facts.utf16, 0),
        septets=spread(facts.septets, 0),
        gsm=spread(facts.gsm, True),
        wide=spread(facts.wide, False),
        codes=codes,
        irregular=spread(facts.joins_left | facts.joins_right | facts.oversize, False),
        gsm_items=facts.gsm_items,
        ucs2_items=facts.ucs2_items,
    )
