"""Any column of phone numbers as Arrow text, and the reasons already known.

:func:`as_series` takes a Series or any iterable (strings, ints, floats from Excel, missing
values, anything) and gives it as a Series. :func:`read_column` gives (a piece of) that Series
as text, null where the answer is known already, and those answers' reasons.

One rule says what each kind of cell is, the same for a whole column (:func:`read_column`) and
for one value (:func:`read_value`):

* **text** (``str``) is read as it is; **bytes** (``bytes``, ``bytearray``) are UTF-8 text, and
  not a phone number when they are not valid UTF-8;
* a **whole number** is its digits: an ``int`` (or NumPy integer), a ``Decimal`` without a
  fraction, a ``float`` (or NumPy float) without a fraction and below 10**18 (the float from
  Excel: ``5511912345678.0`` reads ``"5511912345678"``; larger floats are not exact);
* a number with a fraction, an infinite one, or a float of 10**18 or more is not a phone number;
* missing values (None, NaN of a float or a Decimal, ``pd.NA``, NaT) are empty;
* booleans, and anything else, are not phone numbers.
"""

from __future__ import annotations

import decimal
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.display import quoted
from directcall_nb.i18n import TABLE, say
from directcall_nb.vocabulary import Language

__all__ = [
    "EMPTY_REASON",
    "Column",
    "as_series",
    "holds_objects",
    "not_a_number",
    "read_column",
    "read_value",
]

IntArray = npt.NDArray[np.int64]
ObjectArray = npt.NDArray[np.object_]

#: The reason of a missing or blank value.
EMPTY_REASON = TABLE["phone_empty"][1]

# The parser refuses a text longer than this as a whole, whatever it holds: the digits of a
# longer whole number are cut one character after it (a reason shows only their beginning).
_MAX_INPUT_LENGTH = 250
# Floats this large or larger are not exact whole numbers.
_FLOAT_LIMIT = 1e18


def not_a_number(value: object, language: Language = "en") -> str:
    """Return the reason for a value that is no phone number at all."""
    return say("phone_not_a_number", language, value=quoted(value))


def as_series(values: Iterable[Any]) -> pd.Series:
    """``values`` as a Series (a Series as it is, anything else with a RangeIndex).

    A Polars Series or an Arrow array becomes an Arrow-backed Series, without a Python object
    per value.

    Raises
    ------
    TypeError
        When ``values`` is one value or a DataFrame rather than a column.
    """
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
        return values
    polars = sys.modules.get("polars")
    if polars is not None and isinstance(values, polars.Series):  # its Arrow column, not objects
        values = values.to_arrow()
    if isinstance(values, pa.Array | pa.ChunkedArray):
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        return pd.Series(pd.arrays.ArrowExtensionArray(values))
    if isinstance(values, (pd.Index, pd.api.extensions.ExtensionArray, np.ndarray)):
        return pd.Series(np.asarray(values, dtype=object).ravel())
    return pd.Series(list(values), dtype=object)


# -- one value ------------------------------------------------------------------------------------


def read_value(value: object, language: Language = "en") -> tuple[str | None, str | None]:
    """One value by the rule of this module: (its text, None) or (None, the reason)."""
    empty = say("phone_empty", language)
    if value is None or value is pd.NA or value is pd.NaT:
        return None, empty
    if isinstance(value, str):
        return str(value), None
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8"), None
        except UnicodeDecodeError:
            return None, not_a_number(value, language)
    if isinstance(value, (bool, np.bool_)):
        return None, not_a_number(value, language)
    if isinstance(value, (int, np.integer)):
        return _integer_text(int(value)), None
    if isinstance(value, decimal.Decimal):
        return _read_decimal(value, language)
    if isinstance(value, (float, np.floating)):
        return _read_float(float(value), language)
    try:
        missing = bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError, ArithmeticError):
        missing = False
    return None, empty if missing else not_a_number(value, language)


def _read_float(number: float, language: Language = "en") -> tuple[str | None, str | None]:
    if math.isnan(number):
        return None, say("phone_empty", language)
    if math.isfinite(number) and number == round(number) and abs(number) < _FLOAT_LIMIT:
        return str(int(number)), None
    return None, not_a_number(number, language)


def _read_decimal(
    number: decimal.Decimal, language: Language = "en"
) -> tuple[str | None, str | None]:
    if number.is_nan():  # quiet or signalling, as a float NaN
        return None, say("phone_empty", language)
    if not number.is_finite() or number != number.to_integral_value():
        return None, not_a_number(number, language)
    return _integer_text(number), None


def _integer_text(number: int | decimal.Decimal) -> str:
    """Return the digits of a whole number (``-`` first when negative); cut when very long."""
    if isinstance(number, int) and number.bit_length() <= 64:
        return str(number)
    sign, digits, exponent = decimal.Decimal(number).as_tuple()
    assert isinstance(exponent, int)  # a finite number
    if exponent < 0:  # a whole Decimal written with decimals: they are zeros
        digits = digits[:exponent]
    text = "".join(map(str, digits))[: _MAX_INPUT_LENGTH + 1]
    text += "0" * min(max(exponent, 0), _MAX_INPUT_LENGTH + 1 - len(text))
    text = text.lstrip("0") or "0"
    return "-" + text if sign and text != "0" else text


# -- a column -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column as text, and the rows whose answer is known already.

    Attributes
    ----------
    text : pyarrow.StringArray
        The text of each row; null where the row's reason is known.
    known : numpy.ndarray of int
        The rows whose reason is known (ascending).
    reasons : pyarrow.StringArray
        The reason of each of those rows.
    """

    text: pa.StringArray
    known: IntArray
    reasons: pa.StringArray


def _column(
    text: pa.StringArray, known: IntArray | None = None, reasons: list[str] | None = None
) -> Column:
    rows = np.zeros(0, np.int64) if known is None else np.asarray(known, dtype=np.int64)
    return Column(text, rows, pa.array(reasons or [], pa.string()))


def holds_objects(series: pd.Series) -> bool:
    """Whether `read_column` reads the cells as Python objects, one by one.

    Such reading holds the GIL throughout: threads computing on arrays meanwhile wait for it.
    Text, boolean and numeric columns are read as arrays.
    """
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return True
    is_text = pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype)
    return not (
        is_text
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_integer_dtype(dtype)
        or pd.api.types.is_float_dtype(dtype)
    )


def read_column(series: pd.Series) -> Column:
    """Read the values as text (null where a reason is known), and those reasons."""
    if holds_objects(series):
        return _read_objects(np.asarray(series.to_numpy(dtype=object), dtype=object))
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        missing = series.isna().to_numpy()
        truth = series.fillna(False).to_numpy(dtype=np.bool_)
        reasons = np.where(
            missing, EMPTY_REASON, np.where(truth, not_a_number(True), not_a_number(False))
        )
        return _column(_nulls(len(series)), np.arange(len(series)), reasons.tolist())
    if pd.api.types.is_integer_dtype(dtype):
        ints = pa.array(series.array if series.hasnans else series.to_numpy())
        blank = np.flatnonzero(series.isna().to_numpy())
        return _column(pc.cast(ints, pa.string()), blank, [EMPTY_REASON] * len(blank))
    if pd.api.types.is_float_dtype(dtype):
        return _read_floats(series.to_numpy(dtype=np.float64, na_value=np.nan))
    return _column(_as_string_array(pa.array(series.array)))


def _nulls(count: int) -> pa.StringArray:
    return pa.nulls(count, pa.string())


def _as_string_array(array: pa.Array | pa.ChunkedArray) -> pa.StringArray:
    if isinstance(array, pa.ChunkedArray):  # one chunk (a piece of a column) is not copied
        if array.num_chunks == 1:
            array = array.chunk(0)
        else:
            array = array.combine_chunks() if array.num_chunks else pa.array([], pa.string())
    if array.type != pa.string():
        array = array.cast(pa.string())
    return array


def _read_floats(values: npt.NDArray[np.float64]) -> Column:
    """Read floats: whole numbers below 10**18 are their digits, NaN is empty, others refused."""
    whole = np.isfinite(values) & (np.abs(values) < _FLOAT_LIMIT)
    whole[whole] = values[whole] == np.round(values[whole])
    ints = np.where(whole, values, 0).astype(np.int64)
    text = pc.cast(pa.array(ints, mask=~whole), pa.string())
    known = np.flatnonzero(~whole)
    nan = np.isnan(values[known])
    reasons = np.full(len(known), EMPTY_REASON, dtype=object)
    reasons[~nan] = [not_a_number(float(value)) for value in values[known[~nan]]]
    return _column(text, known, reasons.tolist())


def _read_objects(values: ObjectArray) -> Column:
    """Python objects: each kind of value read by the rule, all the values of a kind at once."""
    try:  # text and missing values (None, NaN, NA, NaT) alone: all at once
        return _column(pa.array(values, type=pa.string(), from_pandas=True))
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    kinds = np.fromiter(map(type, values), dtype=object, count=len(values))
    others = np.flatnonzero(kinds != str)  # noqa: E721 - an array of types, compared at once
    texts = values.copy()  # strings stay; the other rows are replaced below
    known: list[IntArray] = []
    reasons: list[pa.StringArray] = []
    codes, distinct_kinds = pd.factorize(kinds[others])
    for code, kind in enumerate(distinct_kinds):  # a few kinds of value
        rows = others[codes == code]
        read = _reader_for(kind)
        column = read(values[rows])
        texts[rows] = column.text.to_numpy(zero_copy_only=False)
        known.append(rows[column.known])
        reasons.append(column.reasons)
    known_rows = np.concatenate([np.zeros(0, np.int64), *known])
    order = np.argsort(known_rows, kind="stable")
    all_reasons = pa.concat_arrays([pa.array([], pa.string()), *reasons]).take(pa.array(order))
    text = pa.array(texts, type=pa.string(), from_pandas=True)  # the known rows are None
    return Column(text, known_rows[order], all_reasons)


_Reader = Callable[[ObjectArray], Column]


def _reader_for(kind: type) -> _Reader:
    """How to read a column of values that are all of type ``kind``."""
    if issubclass(kind, str):
        return lambda values: _column(pa.array(values.astype(str), pa.string()))
    if issubclass(kind, (type(None), type(pd.NA), type(pd.NaT))):
        return lambda values: _column(
            _nulls(len(values)), np.arange(len(values)), [EMPTY_REASON] * len(values)
        )
    if issubclass(kind, (bool, np.bool_)):
        return lambda values: _read_booleans(values, kind)
    if issubclass(kind, bytes):
        return _read_bytes
    if issubclass(kind, (int, np.integer)):
        return _read_ints
    if issubclass(kind, (float, np.floating)):
        return lambda values: _read_floats(values.astype(np.float64))
    if issubclass(kind, decimal.Decimal):
        return _read_decimals
    return _one_by_one


def _read_booleans(values: ObjectArray, kind: type) -> Column:
    """Not phone numbers."""
    truth = values.astype(np.bool_)
    reasons = np.where(truth, not_a_number(kind(True)), not_a_number(kind(False)))
    return _column(_nulls(len(values)), np.arange(len(values)), reasons.tolist())


def _read_bytes(values: ObjectArray) -> Column:
    """UTF-8 text (value by value when some are not valid UTF-8)."""
    try:
        return _column(pa.array(values, pa.binary()).cast(pa.string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _one_by_one(values)


def _read_ints(values: ObjectArray) -> Column:
    """Their digits (value by value when some do not fit 64 bits)."""
    try:
        return _column(pc.cast(pa.array(values, pa.int64()), pa.string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return _one_by_one(values)


def _read_decimals(values: ObjectArray) -> Column:
    """Read Decimals: whole ones are their digits, the others are refused.

    Value by value when Arrow cannot hold them: NaN, infinities, more than 76 digits.
    """
    try:
        numbers = pa.array(values)
        if not pa.types.is_decimal(numbers.type):
            return _one_by_one(values)
        whole = pc.equal(numbers, pc.round(numbers, 0)).to_numpy(zero_copy_only=False)
        wide = pa.types.is_decimal256(numbers.type)
        digits_type = (pa.decimal256 if wide else pa.decimal128)(numbers.type.precision, 0)
        text = pc.cast(pc.cast(numbers, digits_type, safe=False), pa.string())
    except (pa.ArrowException, TypeError, ValueError, ArithmeticError):
        return _one_by_one(values)
    known = np.flatnonzero(~whole)
    reasons = [not_a_number(value) for value in values[known]]
    return _column(pc.if_else(pa.array(whole), text, pa.scalar(None, pa.string())), known, reasons)


def _one_by_one(values: ObjectArray) -> Column:
    """:func:`read_value` on each value."""
    read = [read_value(value) for value in values]
    known = np.flatnonzero(np.fromiter((reason is not None for _, reason in read), np.bool_))
    reasons = [read[row][1] or EMPTY_REASON for row in known]
    return _column(pa.array([text for text, _ in read], pa.string()), known, reasons)
