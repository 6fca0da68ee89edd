"""Normalise and classify columns of phone numbers the way libphonenumber does.

:func:`normalize_phones` takes what analysts actually have, ``(11) 91234-5678``,
``+55 11 91234-5678``, ``5511912345678``, ``011 91234-5678``, ``0 15 11 91234-5678``, numbers that
arrived from Excel as floats, blanks, and answers for each row with DirectCall's format, validity,
line type and, for what is not valid, a reason a person understands.

The answers are libphonenumber's (``phonenumbers.parse(x, "BR")``, ``is_valid_number``,
``number_type``). Two readings differ on purpose from a bare ``parse`` call, both before it:

* **Excel floats.** The float ``5511912345678.0`` and the text ``"5511912345678.0"`` (digits, then
  ``.0``) are read as ``5511912345678``; libphonenumber would keep the last ``0`` as a digit.
* **0055.** A number whose first four digits are ``0055`` (with no ``+`` before them) is read as
  ``+55``: it is how Brazilian numbers are written for dialling from abroad, and DirectCall's
  own format for other countries. libphonenumber reads ``00 55`` as Brazil's international
  prefix through carrier 55, so that ``0055 11 ...`` would be a number in country 1.

Speed comes from applying libphonenumber's Brazilian metadata, read from the installed package
(:mod:`directcall_nb.phones._metadata`), to whole columns at once
(:mod:`directcall_nb.phones._rules`): a long column is answered in pieces, in a few threads, and
a number that a piece repeats often is classified once. Numbers of other countries and unusual
spellings (letters inside, extensions, other scripts) are asked to the library one by one. An
extension is dropped, as the library does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import phonenumbers
import pyarrow as pa

from directcall_nb.phones import _input as input_mod
from directcall_nb.phones import _metadata as metadata
from directcall_nb.phones import _reasons as reasons_mod
from directcall_nb.phones import _rules as rules_mod
from directcall_nb.phones import _text as text_mod
from directcall_nb.phones._threads import map_in_threads, workers

__all__ = ["PhoneResult", "normalize_phone", "normalize_phones"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int16]


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
    >>> normalize_phone("(11) 91234-5678")
    PhoneResult(phone='5511912345678', valid=True, line_type='mobile', reason=None)
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
    >>> frame = normalize_phones(["(11) 91234-5678", "0800 123 4567", "(11) 8123-4567"])
    >>> frame["phone"].tolist()
    ['5511912345678', '558001234567', <NA>]
    >>> frame["line_type"].tolist()
    ['mobile', 'toll_free', <NA>]
    >>> frame["reason"].iloc[2]
    '8-digit mobile: the leading 9 is missing — did you mean 5511981234567?'
    """
    series = input_mod.as_series(values)
    pieces = _pieces(series)
    answered = map_in_threads(lambda piece: _answer(piece, allow_international), pieces)
    columns = {
        "phone": _strings([a.phone for a in answered]),
        "valid": np.concatenate([a.valid for a in answered]),
        "line_type": _strings([a.line_type for a in answered]),
        "reason": _strings([a.reason for a in answered]),
    }
    return pd.DataFrame(columns, index=series.index)


# A column is answered in pieces of at most this many rows, in threads: while one thread reads
# Python objects (holding the GIL), another computes on arrays; and a piece's arrays stay small.
_PIECE_ROWS = 1 << 17
# ... and of at least this many when cut so that each thread has one.
_MIN_PIECE_ROWS = 1 << 15


def _pieces(series: pd.Series) -> list[pd.Series]:
    """``series`` cut in pieces of about the same size (one empty piece when it is empty)."""
    rows = len(series)
    count = max(1, -(-rows // _PIECE_ROWS), min(workers(), rows // _MIN_PIECE_ROWS))
    size = max(1, -(-rows // count))
    return [series.iloc[start : start + size] for start in range(0, max(rows, 1), size)]


@dataclass(frozen=True)
class _Columns:
    """The answer of each row of a piece of the column."""

    phone: pa.LargeStringArray
    valid: BoolArray
    line_type: pa.LargeStringArray
    reason: pa.LargeStringArray


def _strings(pieces: list[pa.LargeStringArray]) -> pd.arrays.ArrowStringArray:
    return pd.arrays.ArrowStringArray(pa.chunked_array(pieces, pa.large_string()))


def _answer(piece: pd.Series, allow_international: bool) -> _Columns:
    """The answers for a piece of the column."""
    text, preset = input_mod.read_column(piece)
    answers = _Answers(allow_international)
    rows = answers.add_preset(preset, len(text))
    found = text_mod.read_text(text)
    rules = metadata.brazilian_rules()
    if rules is not None:
        answers.add_plain(rules, rows, found)
    answers.add_library(rows, found.text)
    return answers.columns(rows)


class _Answers:
    """The distinct answers found so far, and for each row the position of its own (``rows``).

    Each answer has a phone (None unless valid), a validity, a ``PhoneNumberType`` code and the
    position of its reason among the reasons (-1: none).
    """

    def __init__(self, allow_international: bool) -> None:
        self.allow_international = allow_international
        self._phone: list[pa.LargeStringArray] = []
        self._valid: list[BoolArray] = []
        self._type_code: list[TypeArray] = []
        self._reason_at: list[IntArray] = []
        self._reasons: list[pa.LargeStringArray] = []
        self._size = 0
        self._reason_count = 0

    def _append(
        self,
        phone: pa.LargeStringArray,
        valid: BoolArray,
        type_code: TypeArray,
        reason_at: IntArray,
        reasons: pa.LargeStringArray,
    ) -> int:
        start = self._size
        self._phone.append(phone)
        self._valid.append(valid)
        self._type_code.append(type_code)
        self._reason_at.append(np.where(reason_at >= 0, reason_at + self._reason_count, -1))
        self._reasons.append(reasons)
        self._size += len(valid)
        self._reason_count += len(reasons)
        return start

    def _append_results(self, results: list[PhoneResult]) -> int:
        reasons = [r.reason for r in results if r.reason is not None]
        reason_at = np.cumsum([r.reason is not None for r in results], dtype=np.int64) - 1
        return self._append(
            pa.array([r.phone for r in results], pa.large_string()),
            np.array([r.valid for r in results], dtype=np.bool_),
            np.array(
                [_TYPE_CODES.get(r.line_type or "", _UNKNOWN) for r in results], dtype=np.int16
            ),
            np.where([r.reason is not None for r in results], reason_at, -1),
            pa.array(reasons, pa.large_string()),
        )

    def add_preset(self, preset: dict[int, str], count: int) -> IntArray:
        """Answer the rows whose reason is known already; -1 marks the others."""
        rows = np.full(count, -1, dtype=np.int64)
        distinct = sorted(set(preset.values()))
        start = self._append_results([PhoneResult(None, False, None, r) for r in distinct])
        position = {reason: start + i for i, reason in enumerate(distinct)}
        for row, reason in preset.items():
            rows[row] = position[reason]
        return rows

    def add_plain(self, rules: metadata.Rules, rows: IntArray, found: text_mod.PlainRows) -> None:
        """Answer the plainly written Brazilian rows with the column rules, once per number."""
        plain_rows = np.flatnonzero(found.plain & (rows < 0))
        if len(plain_rows) == 0:
            return
        groups = text_mod.distinct_numbers(
            found.plus[plain_rows], found.lengths[plain_rows], found.value[plain_rows]
        )
        first = plain_rows[groups.first]
        answer = rules_mod.classify_digits(
            rules,
            found.digits.take(pa.array(first)),
            found.plus[first],
            groups.lengths,
            groups.value,
        )
        valid = answer.type_code != _UNKNOWN
        invalid = np.flatnonzero(answer.decided & ~valid)
        reason_at = np.full(len(valid), -1, dtype=np.int64)
        reason_at[invalid] = np.arange(len(invalid))
        start = self._append(
            answer.with_country_code,
            valid,
            answer.type_code,
            reason_at,
            reasons_mod.brazilian_reasons(rules, answer.national.take(pa.array(invalid))),
        )
        decided = answer.decided[groups.group]
        rows[plain_rows[decided]] = start + groups.group[decided]

    def add_library(self, rows: IntArray, text: pa.StringArray) -> None:
        """Answer the remaining rows by asking libphonenumber, once per distinct text."""
        todo = np.flatnonzero(rows < 0)
        position: dict[str | None, int] = {}
        for row, value in zip(todo, text.take(pa.array(todo)).to_pylist(), strict=True):
            rows[row] = position.setdefault(value, len(position))
        results = [_ask_library(value, self.allow_international) for value in position]
        rows[todo] += self._append_results(results)

    def columns(self, rows: IntArray) -> _Columns:
        """The answer of every row."""
        self._append_results([])  # so that there is something to concatenate
        valid = np.concatenate(self._valid)[rows]
        type_code = np.concatenate(self._type_code)[rows]
        name_at = _NAME_AT[type_code]
        reason_at = np.concatenate(self._reason_at)[rows]
        return _Columns(
            phone=pa.concat_arrays(self._phone).take(pa.array(rows, mask=~valid)),
            valid=valid,
            line_type=_TYPE_NAMES.take(pa.array(name_at, mask=name_at < 0)),
            reason=pa.concat_arrays(self._reasons).take(pa.array(reason_at, mask=reason_at < 0)),
        )


_UNKNOWN = metadata.UNKNOWN_TYPE
_TYPE_CODES = {name: code for code, name in metadata.TYPE_NAMES.items() if code != _UNKNOWN}
_TYPE_NAMES = pa.array(sorted(_TYPE_CODES), pa.large_string())


def _name_positions() -> IntArray:
    """PhoneNumberType code → position of its name in ``_TYPE_NAMES`` (-1: no line type)."""
    positions = np.full(max(metadata.TYPE_NAMES) + 1, -1, dtype=np.int64)
    for position, name in enumerate(sorted(_TYPE_CODES)):
        positions[_TYPE_CODES[name]] = position
    return positions


_NAME_AT = _name_positions()


# -- one number through the library ---------------------------------------------------------------


def _ask_library(text: str | None, allow_international: bool) -> PhoneResult:
    """The answer for one text, straight from libphonenumber (after the two readings above)."""
    if text is None or not text.strip():
        return PhoneResult(None, False, None, input_mod.EMPTY)
    try:
        number = phonenumbers.parse(text_mod.read_0055(text_mod.read_excel_float(text)), "BR")
    except phonenumbers.NumberParseException as exc:
        return PhoneResult(None, False, None, reasons_mod.parse_error_reason(exc, text))
    national = phonenumbers.national_significant_number(number)
    country = number.country_code or 0
    region = phonenumbers.region_code_for_number(number)
    # is_valid_number, with the region found once
    if region is None or not phonenumbers.is_valid_number_for_region(number, region):
        if region == "BR":
            return PhoneResult(None, False, None, reasons_mod.brazilian_reason(national))
        place = reasons_mod.place(country, region)
        return PhoneResult(None, False, None, f"not a valid number for {place}")
    line_type = metadata.TYPE_NAMES[phonenumbers.number_type(number)]
    if region == "BR":
        return PhoneResult(f"{country}{national}", True, line_type, None)
    if allow_international:
        return PhoneResult(f"00{country}{national}", True, line_type, None)
    place = reasons_mod.place(country, region)
    reason = f"foreign number ({place}); pass allow_international=True"
    return PhoneResult(None, False, line_type, reason)
