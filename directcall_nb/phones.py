"""Normalise and classify columns of phone numbers the way libphonenumber does.

:func:`normalize_phones` takes what analysts actually have, ``(11) 91234-5678``,
``+55 11 91234-5678``, ``5511912345678``, ``011 91234-5678``, ``0 15 11 91234-5678``, numbers that
arrived from Excel as floats, blanks, and answers per row with DirectCall's format, validity, line
type and, for what is not valid, a reason a person understands.

The answers are libphonenumber's (``phonenumbers.parse(x, "BR")``, ``is_valid_number``,
``number_type``). Two readings differ on purpose from a bare ``parse`` call, both before it:

* **Excel floats.** The float ``5511912345678.0`` and the text ``"5511912345678.0"`` (digits, then
  ``.0``) are read as ``5511912345678``; libphonenumber would keep the last ``0`` as a digit.
* **0055.** A number whose first four digits are ``0055`` (with no ``+`` before them) is read as
  ``+55``: it is how Brazilian numbers are written for international dialling, and DirectCall's own
  format for other countries. libphonenumber reads ``00 55`` as Brazil's international prefix with
  carrier 55, so that ``0055 11 ...`` would be a number in country 1.

Speed comes from :mod:`directcall_nb._phone_rules`, which applies libphonenumber's Brazilian metadata
to whole columns; numbers of other countries and unusual spellings (letters, extensions, other
scripts) are asked to the library one by one. Extensions are dropped, as the library does.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb import _phone_rules as rules_mod

__all__ = ["PhoneResult", "normalize_phone", "normalize_phones"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

#: The columns of :func:`normalize_phones`, in order.
COLUMNS = ("phone", "valid", "line_type", "reason")

_EMPTY = "empty"
_MAX_SHOWN = 40
# A number longer than this in characters is refused by the parser as a whole.
_MAX_INPUT_LENGTH = 250
_MAX_DIGITS = 17
_EXCEL_FLOAT = r"^\s*(\+?[0-9]+)\.0+\s*$"
# The first four digits 0055 with no + before them; the junk before them is kept.
_NOT_DIGIT_OR_PLUS = r"[^\d+\uff0b]*"
_LEADING_0055 = re.compile(
    "^("
    + _NOT_DIGIT_OR_PLUS
    + ")0"
    + _NOT_DIGIT_OR_PLUS
    + "0"
    + _NOT_DIGIT_OR_PLUS
    + "5"
    + _NOT_DIGIT_OR_PLUS
    + "5"
)


@dataclass(frozen=True)
class PhoneResult:
    """One number, read as :func:`normalize_phones` reads a row.

    Attributes
    ----------
    phone : str or None
        DirectCall's format (``"55"`` + DDD + number; ``"00"`` + country code + number for other
        countries), or None when not valid.
    valid : bool
        Whether the number can be sent to.
    line_type : str or None
        libphonenumber's line type (``"mobile"``, ``"fixed_line"``, ...) when it calls the number
        valid, else None.
    reason : str or None
        Why the number is not valid, or None.
    """

    phone: str | None
    valid: bool
    line_type: str | None
    reason: str | None


def normalize_phone(value: object, *, allow_international: bool = False) -> PhoneResult:
    """Read one phone number the way :func:`normalize_phones` reads a row.

    Parameters
    ----------
    value : object
        A string, an int, a float from Excel, or a missing value.
    allow_international : bool, default False
        Whether numbers of other countries are valid.

    Returns
    -------
    PhoneResult

    Examples
    --------
    >>> normalize_phone("(11) 91234-5678").phone
    '5511912345678'
    """
    row = normalize_phones([value], allow_international=allow_international).iloc[0]
    return PhoneResult(
        phone=None if pd.isna(row["phone"]) else str(row["phone"]),
        valid=bool(row["valid"]),
        line_type=None if pd.isna(row["line_type"]) else str(row["line_type"]),
        reason=None if pd.isna(row["reason"]) else str(row["reason"]),
    )


def normalize_phones(values: Iterable[Any], *, allow_international: bool = False) -> pd.DataFrame:
    """Normalise and classify a column of phone numbers.

    Parameters
    ----------
    values : Series, list or any iterable
        The numbers as they are: text in any usual format, ints, floats from Excel, blanks,
        None / NaN / ``pd.NA``. Numbers without a country code are Brazilian.
    allow_international : bool, default False
        Whether numbers of other countries are valid (written ``"00"`` + country code + number).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``values`` (a RangeIndex for anything but a Series), with columns

        ``phone`` (string)
            ``"55"`` + DDD + number, digits only, or ``"00"`` + country code + national number
            for another country; <NA> when not valid.
        ``valid`` (bool)
            libphonenumber's ``is_valid_number``, for Brazil or, with
            ``allow_international``, for any country.
        ``line_type`` (string)
            libphonenumber's ``number_type`` in lower case (``mobile``, ``fixed_line``,
            ``toll_free``, ...) for numbers it calls valid, also foreign ones refused; else <NA>.
        ``reason`` (string)
            <NA> when valid, else a short sentence: ``"empty"``, ``"DDD 23 does not exist"``,
            ``"8-digit mobile: the leading 9 is missing — did you mean 5511987654321?"``, ...

    Raises
    ------
    TypeError
        When ``values`` is a single value or a DataFrame rather than one column.

    Examples
    --------
    >>> normalize_phones(["(11) 91234-5678", "abc"])["phone"].tolist()
    ['5511912345678', <NA>]
    """
    index, text, preset = _read_column(values)
    answers = _Answers(allow_international)
    rows = answers.add_preset(preset, len(text))
    text, plain, digits, plus = _read_text(text)
    plain &= rows < 0
    rules = rules_mod.brazilian_rules()
    if rules is not None:
        answers.add_fast(rules, rows, plain, digits, plus)
    answers.add_library(rows, text)
    return answers.frame(rows, index)


# -- input ---------------------------------------------------------------------------------------


def _read_column(values: Iterable[Any]) -> tuple[pd.Index, pa.StringArray, dict[int, str]]:
    """The index, the values as text (null where missing) and reasons decided already."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(
            "normalize_phones takes one column of numbers, not a DataFrame: "
            "pass a column, e.g. normalize_phones(df['phone'])"
        )
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"normalize_phones takes a column of numbers (a Series or a list), "
            f"not {type(values).__name__}; for a single number use normalize_phone"
        )
    if isinstance(values, pd.Series):
        series = values
    elif isinstance(values, (pd.Index, pd.api.extensions.ExtensionArray, np.ndarray)):
        series = pd.Series(np.asarray(values, dtype=object) if values.ndim == 1 else values)
    else:
        series = pd.Series(list(values), dtype=object)
    index = series.index
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        series = series.astype(object)
        dtype = series.dtype
    if pd.api.types.is_string_dtype(dtype) and dtype != object:
        return index, _as_string_array(pa.array(series.array)), {}
    if pd.api.types.is_bool_dtype(dtype):
        return index, _nulls(len(series)), {i: _not_a_number(v) for i, v in enumerate(series)}
    if pd.api.types.is_integer_dtype(dtype):
        ints = (
            pa.array(series.array) if isinstance(dtype, pd.api.extensions.ExtensionDtype) else None
        )
        text = pc.cast(ints if ints is not None else pa.array(series.to_numpy()), pa.string())
        return (
            index,
            _as_string_array(text),
            {int(i): _EMPTY for i in np.flatnonzero(series.isna())},
        )
    if pd.api.types.is_float_dtype(dtype):
        return (index, *_read_floats(series.to_numpy(dtype=np.float64, na_value=np.nan)))
    return (index, *_read_objects(np.asarray(series.to_numpy(dtype=object), dtype=object)))


def _nulls(count: int) -> pa.StringArray:
    return pa.nulls(count, pa.string())


def _as_string_array(array: pa.Array | pa.ChunkedArray) -> pa.StringArray:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks else pa.array([], pa.string())
    if array.type != pa.string():
        array = array.cast(pa.string())
    return array


def _read_floats(values: npt.NDArray[np.float64]) -> tuple[pa.StringArray, dict[int, str]]:
    """Floats from Excel: whole numbers become their digits; NaN is empty."""
    whole = np.isfinite(values) & (np.abs(values) < 1e18)
    whole[whole] = values[whole] == np.round(values[whole])
    ints = np.where(whole, values, 0).astype(np.int64)
    text = pc.cast(pa.array(ints, mask=~whole), pa.string())
    preset = {
        int(i): _EMPTY if math.isnan(values[i]) else _not_a_number(values[i])
        for i in np.flatnonzero(~whole)
    }
    return text, preset


def _read_objects(values: npt.NDArray[np.object_]) -> tuple[pa.StringArray, dict[int, str]]:
    """Mixed Python objects: strings stay, numbers are read as above, the rest is refused."""
    try:
        return pa.array(values, type=pa.string()), {}
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    is_text = np.fromiter(map(isinstance, values, itertools.repeat(str)), np.bool_, len(values))
    texts = np.where(is_text, values, None)
    others = np.flatnonzero(~is_text)
    is_float = np.fromiter(
        map(isinstance, values[others], itertools.repeat(float)), np.bool_, len(others)
    )
    float_rows = others[is_float]
    float_texts, float_preset = _read_floats(values[float_rows].astype(np.float64))
    texts[float_rows] = float_texts.to_pylist()
    preset = {int(float_rows[i]): reason for i, reason in float_preset.items()}
    for row in others[~is_float]:
        texts[row], reason = _read_scalar(values[row])
        if reason is not None:
            preset[int(row)] = reason
    return pa.array(texts, type=pa.string()), preset


def _read_scalar(value: object) -> tuple[str | None, str | None]:
    """(text, reason) for one value that is not a string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None, _EMPTY
    if isinstance(value, (bool, np.bool_)):
        return None, _not_a_number(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value)), None
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None, _EMPTY
        if math.isfinite(number) and number == round(number) and abs(number) < 1e18:
            return str(int(number)), None
    try:
        missing = bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        missing = False
    return None, _EMPTY if missing else _not_a_number(value)


# -- deliberate readings before the library's -------------------------------------------------


def _read_0055(text: str) -> str:
    """``"0055 11 ..."`` → ``"+55 11 ..."`` when the first four digits are 0055 and no ``+``."""
    return _LEADING_0055.sub(r"\1+55", text, count=1)


# -- the plain shape: digits, usual punctuation, at most one + before them -------------------------

# What each byte of UTF-8 text is, for _split_digits.
_DIGIT, _PUNCTUATION, _DOT, _JUNK, _PLUS, _UNUSUAL = range(6)  # from _DOT on: rare
_BYTE_KIND = np.full(256, _UNUSUAL, dtype=np.int8)  # non-ASCII: maybe a digit of another script
_BYTE_KIND[:128] = _JUNK
_BYTE_KIND[np.frombuffer(b"0123456789", dtype=np.uint8)] = _DIGIT
_BYTE_KIND[np.frombuffer(b" -()/", dtype=np.uint8)] = _PUNCTUATION
_BYTE_KIND[ord(".")] = _DOT
_BYTE_KIND[ord("+")] = _PLUS
_BYTE_KIND[ord(";")] = _UNUSUAL  # RFC 3966 parameters


def _text_bytes(text: pa.StringArray) -> tuple[npt.NDArray[np.uint8], IntArray, IntArray]:
    """The UTF-8 bytes of ``text`` and where each row starts and ends in them."""
    count = len(text)
    if count == 0:
        return np.zeros(0, dtype=np.uint8), np.zeros(0, np.int64), np.zeros(0, np.int64)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[
        text.offset : text.offset + count + 1
    ]
    first = int(offsets[0])
    starts = (offsets[:-1] - first).astype(np.int64)
    ends = (offsets[1:] - first).astype(np.int64)
    buffer = text.buffers()[2]
    if buffer is None:
        return np.zeros(0, dtype=np.uint8), starts, ends
    return np.frombuffer(buffer, dtype=np.uint8)[first : first + int(ends[-1])], starts, ends


def _rows_of(positions: IntArray, ends: IntArray) -> IntArray:
    """The row each byte position belongs to."""
    return np.searchsorted(ends, positions, side="right")


def _read_text(
    text: pa.StringArray,
) -> tuple[pa.StringArray, BoolArray, pa.StringArray, BoolArray]:
    """Repair Excel floats, then :func:`_split_digits`: (text, plain, digits, plus)."""
    plain, digits, plus, dotted = _split_digits(text)
    before = text.take(pa.array(dotted, pa.int64()))
    after = pc.replace_substring_regex(before, _EXCEL_FLOAT, r"\1")
    changed = ~pc.fill_null(pc.equal(before, after), True).to_numpy(zero_copy_only=False)
    if changed.any():
        rows = dotted[changed]
        repaired = after.filter(pa.array(changed))
        text = rules_mod.put(text, rows, repaired)
        plain[rows], repaired_digits, plus[rows], _ = _split_digits(repaired)
        digits = rules_mod.put(digits, rows, repaired_digits)
    return text, plain, digits, plus


def _split_digits(
    text: pa.StringArray,
) -> tuple[BoolArray, pa.StringArray, BoolArray, IntArray]:
    """Find the rows the library reads as nothing but their digits (and a +); take the digits.

    A row is *plain* when it has 3 to 17 ASCII digits, otherwise only spaces and ``-.()/``,
    at most one ``+`` before the digits, and possibly ASCII text before all of that (``"tel: "``),
    which the library drops.

    Returns
    -------
    plain : numpy.ndarray of bool
    digits : pyarrow.StringArray
        The ASCII digits of every row.
    plus : numpy.ndarray of bool
        Whether the row has a ``+``.
    dotted : numpy.ndarray of int
        The rows with a ``.`` (where an Excel float may be).
    """
    count = len(text)
    plain = np.zeros(count, dtype=np.bool_)
    plus = np.zeros(count, dtype=np.bool_)
    digit_offsets = np.zeros(count + 1, dtype=np.int32)
    digit_bytes = []
    dotted = []
    # In slices, so that the per-byte arrays stay small and are reused.
    for first in range(0, count, _SLICE_ROWS):
        rows = slice(first, min(first + _SLICE_ROWS, count))
        found, counts, dots = _split_slice(text.slice(first, _SLICE_ROWS), plain[rows], plus[rows])
        digit_bytes.append(found)
        dotted.append(dots + first)
        digit_offsets[rows.start + 1 : rows.stop + 1] = counts
    np.cumsum(digit_offsets, out=digit_offsets)
    if text.null_count:
        plain &= ~text.is_null().to_numpy(zero_copy_only=False)
    data = np.concatenate(digit_bytes) if digit_bytes else np.zeros(0, dtype=np.uint8)
    digits = pa.StringArray.from_buffers(count, pa.py_buffer(digit_offsets), pa.py_buffer(data))
    return plain, digits, plus, np.concatenate(dotted) if dotted else np.zeros(0, np.int64)


_SLICE_ROWS = 1 << 16


def _split_slice(
    text: pa.StringArray, plain: BoolArray, plus: BoolArray
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int32], IntArray]:
    """:func:`_split_digits` on a slice: fill ``plain`` and ``plus``.

    Returns the digits, how many in each row, and the rows with a dot.
    """
    count = len(text)
    data, starts, ends = _text_bytes(text)
    kind = _BYTE_KIND[data]
    is_digit = kind == _DIGIT
    seen = np.zeros(len(data) + 1, dtype=np.int32)  # digits before each position
    np.cumsum(is_digit.view(np.uint8), dtype=np.int32, out=seen[1:])
    digit_count = seen[ends] - seen[starts]
    plain[:] = (
        (digit_count >= 3) & (digit_count <= _MAX_DIGITS) & (ends - starts <= _MAX_INPUT_LENGTH)
    )
    sparse_at = np.flatnonzero(kind >= _DOT)
    sparse_kind = kind[sparse_at]
    sparse_row = _rows_of(sparse_at, ends)
    plain[sparse_row[sparse_kind == _UNUSUAL]] = False
    plus_at = sparse_at[sparse_kind == _PLUS]
    plus_row = sparse_row[sparse_kind == _PLUS]
    plus_count = np.bincount(plus_row, minlength=count)
    plain &= plus_count <= 1
    plain[plus_row[seen[plus_at] > seen[starts[plus_row]]]] = False  # a + after a digit
    plus[:] = plus_count == 1
    plus_position = np.full(count, len(data), dtype=np.int64)
    plus_position[plus_row] = plus_at
    junk_at = sparse_at[sparse_kind == _JUNK]
    junk_row = sparse_row[sparse_kind == _JUNK]
    late = (seen[junk_at] > seen[starts[junk_row]]) | (junk_at > plus_position[junk_row])
    plain[junk_row[late]] = False  # text after the number starts
    return data[is_digit], digit_count, np.unique(sparse_row[sparse_kind == _DOT])


# -- answers -------------------------------------------------------------------------------------


def _distinct_numbers(digits: pa.StringArray, plus: BoolArray) -> tuple[IntArray, IntArray]:
    """Group equal numbers (same digits, same +): each row's group, and one row of each group.

    The groups come sorted by (+, length, digits), which keeps similar numbers together.
    """
    lengths = pc.binary_length(digits).to_numpy(zero_copy_only=False).astype(np.int64)
    value = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
    # at most 17 digits: the value needs 57 bits, the length 5 more
    key = (plus.astype(np.int64) << 62) | (lengths << 57) | value
    order = np.argsort(key)
    ordered = key[order]
    starts_group = np.empty(len(key), dtype=np.bool_)
    starts_group[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts_group[1:])
    codes = np.empty(len(key), dtype=np.int64)
    codes[order] = np.cumsum(starts_group) - 1
    return codes, order[starts_group]


class _Answers:
    """The distinct answers found so far, and for each row the position of its own (``rows``)."""

    def __init__(self, allow_international: bool) -> None:
        self.allow_international = allow_international
        self._phone: list[pa.StringArray] = []
        self._valid: list[BoolArray] = []
        self._type_code: list[npt.NDArray[np.int16]] = []
        self._reason: list[pa.StringArray] = []
        self._size = 0

    def _append(
        self,
        phone: pa.StringArray,
        valid: BoolArray,
        type_code: npt.NDArray[np.int16],
        reason: pa.StringArray,
    ) -> int:
        start = self._size
        self._phone.append(phone)
        self._valid.append(valid)
        self._type_code.append(type_code)
        self._reason.append(reason)
        self._size += len(valid)
        return start

    def add_preset(self, preset: dict[int, str], count: int) -> IntArray:
        """Answer the rows whose reason is known already; -1 marks the others."""
        rows = np.full(count, -1, dtype=np.int64)
        if not preset:
            return rows
        distinct = sorted(set(preset.values()))
        start = self._append(
            _nulls(len(distinct)),
            np.zeros(len(distinct), dtype=np.bool_),
            np.full(len(distinct), rules_mod.UNKNOWN_TYPE, dtype=np.int16),
            pa.array(distinct, pa.string()),
        )
        position = {reason: start + i for i, reason in enumerate(distinct)}
        for row, reason in preset.items():
            rows[row] = position[reason]
        return rows

    def add_fast(
        self,
        rules: rules_mod.Rules,
        rows: IntArray,
        plain: BoolArray,
        digits: pa.StringArray,
        plus: BoolArray,
    ) -> None:
        """Answer the plainly written Brazilian rows with the column rules, once per number."""
        plain_rows = np.flatnonzero(plain)
        if len(plain_rows) == 0:
            return
        codes, first = _distinct_numbers(digits.take(pa.array(plain_rows)), plus[plain_rows])
        first = plain_rows[first]
        found = rules_mod.classify_digits(rules, digits.take(pa.array(first)), plus[first])
        valid = found.type_code != rules_mod.UNKNOWN_TYPE
        phone = pc.if_else(
            pa.array(valid),
            pc.binary_join_element_wise(rules.country_code, found.national, ""),
            pa.scalar(None, pa.string()),
        )
        invalid = np.flatnonzero(found.decided & ~valid)
        reason = rules_mod.put(
            _nulls(len(valid)), invalid, _brazilian_reasons(rules, found.national.take(pa.array(invalid)))
        )
        start = self._append(phone, valid, found.type_code, reason)
        decided = found.decided[codes]
        rows[plain_rows[decided]] = start + codes[decided]

    def add_library(self, rows: IntArray, text: pa.StringArray) -> None:
        """Answer the remaining rows by asking libphonenumber, once per distinct text."""
        todo = np.flatnonzero(rows < 0)
        if len(todo) == 0:
            return
        position: dict[str | None, int] = {}
        results: list[PhoneResult] = []
        start = self._size
        for row, value in zip(todo, text.take(pa.array(todo)).to_pylist(), strict=True):
            if value not in position:
                position[value] = start + len(results)
                results.append(_ask_library(value, self.allow_international))
            rows[row] = position[value]
        self._append(
            pa.array([r.phone for r in results], pa.string()),
            np.array([r.valid for r in results], dtype=np.bool_),
            np.array(
                [_TYPE_CODES.get(r.line_type, rules_mod.UNKNOWN_TYPE) for r in results],
                dtype=np.int16,
            ),
            pa.array([r.reason for r in results], pa.string()),
        )

    def frame(self, rows: IntArray, index: pd.Index) -> pd.DataFrame:
        """The answer of every row, as the documented DataFrame."""
        if self._size == 0:
            self._append(_nulls(0), np.zeros(0, np.bool_), np.zeros(0, np.int16), _nulls(0))
        take = pa.array(rows)
        type_code = np.concatenate(self._type_code)[rows]
        name_index = _NAME_INDEX[np.where(type_code == rules_mod.UNKNOWN_TYPE, -1, type_code)]
        line_type = _TYPE_NAME_ARRAY.take(pa.array(name_index, mask=name_index < 0))
        columns = {
            "phone": _string_column(pa.concat_arrays(self._phone).take(take)),
            "valid": np.concatenate(self._valid)[rows],
            "line_type": _string_column(line_type),
            "reason": _string_column(pa.concat_arrays(self._reason).take(take)),
        }
        return pd.DataFrame(columns, index=index)


def _string_column(values: pa.StringArray) -> pd.api.extensions.ExtensionArray:
    return pd.arrays.ArrowStringArray(values.cast(pa.large_string()))


_TYPE_CODES = {
    name: code for code, name in rules_mod.TYPE_NAMES.items() if code != rules_mod.UNKNOWN_TYPE
}
_TYPE_NAME_ARRAY = pa.array(
    [rules_mod.TYPE_NAMES[c] for c in sorted(_TYPE_CODES.values())], pa.string()
)
_NAME_INDEX = np.full(max(_TYPE_CODES.values()) + 2, -1, dtype=np.int64)
for _i, _code in enumerate(sorted(_TYPE_CODES.values())):
    _NAME_INDEX[_code] = _i


# -- one number through the library, and the reasons ----------------------------------------------


def _ask_library(text: str | None, allow_international: bool) -> PhoneResult:
    """The answer for one text, straight from libphonenumber (after the two readings above)."""
    if text is None or not text.strip():
        return PhoneResult(None, False, None, _EMPTY)
    try:
        number = phonenumbers.parse(_read_0055(text), "BR")
    except phonenumbers.NumberParseException as exc:
        return PhoneResult(None, False, None, _parse_error_reason(exc, text))
    national = phonenumbers.national_significant_number(number)
    country = number.country_code
    region = phonenumbers.region_code_for_number(number)
    if not phonenumbers.is_valid_number(number):
        if region == "BR":
            return PhoneResult(None, False, None, _brazilian_reason(national))
        return PhoneResult(None, False, None, f"not a valid number for {_place(country, region)}")
    line_type = rules_mod.TYPE_NAMES[phonenumbers.number_type(number)]
    if region == "BR":
        return PhoneResult(f"{country}{national}", True, line_type, None)
    if allow_international:
        return PhoneResult(f"00{country}{national}", True, line_type, None)
    reason = f"foreign number ({_place(country, region)}); pass allow_international=True"
    return PhoneResult(None, False, line_type, reason)


def _place(country: int, region: str | None) -> str:
    if region is None or region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
        return f"country code +{country}"
    return f"{region}, +{country}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 4] + "...'"


def _not_a_number(value: object) -> str:
    return f"not a phone number: {_shown(value)}"


def _parse_error_reason(exc: phonenumbers.NumberParseException, text: str) -> str:
    kind = phonenumbers.NumberParseException
    if exc.error_type == kind.INVALID_COUNTRY_CODE:
        return f"unknown country code: {_shown(text)}"
    if exc.error_type in (kind.TOO_SHORT_AFTER_IDD, kind.TOO_SHORT_NSN):
        return f"too short to be a phone number: {_shown(text)}"
    if exc.error_type == kind.TOO_LONG:
        return f"too long to be a phone number: {_shown(text)}"
    return _not_a_number(text)


def _brazilian_reasons(rules: rules_mod.Rules, national: pa.StringArray) -> pa.StringArray:
    """:func:`_brazilian_reason` for invalid Brazilian national numbers, checked together."""
    lengths = rules_mod.lengths_of(national)
    numbers = national.to_pylist()
    known = rules_mod.area_codes()
    maybe = np.flatnonzero(
        (lengths == 10) & np.array([n[:2] in known for n in numbers], dtype=np.bool_)
    )
    candidates = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(national.take(pa.array(maybe)), 0, 2),
        pc.utf8_slice_codeunits(national.take(pa.array(maybe)), 2),
        "9",
    )
    mobile = rules_mod.number_types(rules, candidates, np.full(len(maybe), 11)) == (
        phonenumbers.PhoneNumberType.MOBILE
    )
    nine: list[str | None] = [None] * len(numbers)
    for row, candidate in zip(maybe[mobile], candidates.filter(pa.array(mobile)).to_pylist(), strict=True):
        nine[row] = candidate
    return pa.array([_reason_text(n, c) for n, c in zip(numbers, nine, strict=True)], pa.string())


def _brazilian_reason(national: str) -> str:
    """Why a Brazilian national number is not valid, in words."""
    nine = None
    if len(national) == 10 and national[:2] in rules_mod.area_codes():
        candidate = f"{national[:2]}9{national[2:]}"
        number = phonenumbers.PhoneNumber(country_code=55, national_number=int(candidate))
        if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
            nine = candidate
    return _reason_text(national, nine)


def _reason_text(national: str, nine: str | None) -> str:
    """The sentence for an invalid Brazilian national number; ``nine``: it with a 9 added."""
    size = len(national)
    if size < 10:
        hint = " — is the DDD (area code) missing?" if size in (8, 9) else ""
        return f"too short for a Brazilian number ({size} digits){hint}"
    if size > 11:
        return f"too long for a Brazilian number ({size} digits)"
    area = national[:2]
    if area not in rules_mod.area_codes():
        return f"DDD {area} does not exist"
    if nine is not None:
        return f"8-digit mobile: the leading 9 is missing — did you mean 55{nine}?"
    return f"{national[2:]} is not a valid number in DDD {area}"
