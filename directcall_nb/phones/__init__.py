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
(:mod:`directcall_nb.phones._rules`), once per distinct number. Numbers of other countries and
unusual spellings (letters inside, extensions, other scripts) are asked to the library one by
one. An extension is dropped, as the library does.
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
import pyarrow.compute as pc

from directcall_nb.phones import _input as input_mod
from directcall_nb.phones import _metadata as metadata
from directcall_nb.phones import _rules as rules_mod
from directcall_nb.phones import _text as text_mod
from directcall_nb.phones._threads import map_in_threads

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
    index, text, preset = input_mod.read_column(values)
    answers = _Answers(allow_international)
    rows = answers.add_preset(preset, len(text))
    found = text_mod.read_text(text)
    rules = metadata.brazilian_rules()
    if rules is not None:
        answers.add_plain(rules, rows, found)
    answers.add_library(rows, found.text)
    return answers.frame(rows, index)


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
        answer = rules_mod.classify_in_chunks(
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
            _brazilian_reasons(rules, answer.national.take(pa.array(invalid))),
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

    def frame(self, rows: IntArray, index: pd.Index) -> pd.DataFrame:
        """The answer of every row, as the documented DataFrame."""
        self._append_results([])  # so that there is something to concatenate
        valid = np.concatenate(self._valid)[rows]
        type_code = np.concatenate(self._type_code)[rows]
        name_at = _NAME_AT[type_code]
        reason_at = np.concatenate(self._reason_at)[rows]
        takes = [
            (pa.concat_arrays(self._phone), pa.array(rows, mask=~valid)),
            (_TYPE_NAMES, pa.array(name_at, mask=name_at < 0)),
            (pa.concat_arrays(self._reasons), pa.array(reason_at, mask=reason_at < 0)),
        ]
        phone, line_type, reason = map_in_threads(lambda t: t[0].take(t[1]), takes)
        columns = {
            "phone": pd.arrays.ArrowStringArray(phone),
            "valid": valid,
            "line_type": pd.arrays.ArrowStringArray(line_type),
            "reason": pd.arrays.ArrowStringArray(reason),
        }
        return pd.DataFrame(columns, index=index)


def _large(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


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


# -- one number through the library, and the reasons ----------------------------------------------


def _ask_library(text: str | None, allow_international: bool) -> PhoneResult:
    """The answer for one text, straight from libphonenumber (after the two readings above)."""
    if text is None or not text.strip():
        return PhoneResult(None, False, None, input_mod.EMPTY)
    try:
        number = phonenumbers.parse(text_mod.read_0055(text_mod.read_excel_float(text)), "BR")
    except phonenumbers.NumberParseException as exc:
        return PhoneResult(None, False, None, _parse_error_reason(exc, text))
    national = phonenumbers.national_significant_number(number)
    country = number.country_code or 0
    region = phonenumbers.region_code_for_number(number)
    if not phonenumbers.is_valid_number(number):
        if region == "BR":
            return PhoneResult(None, False, None, _brazilian_reason(national))
        return PhoneResult(None, False, None, f"not a valid number for {_place(country, region)}")
    line_type = metadata.TYPE_NAMES[phonenumbers.number_type(number)]
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


def _parse_error_reason(exc: phonenumbers.NumberParseException, text: str) -> str:
    kind = phonenumbers.NumberParseException
    if exc.error_type == kind.INVALID_COUNTRY_CODE:
        return f"unknown country code: {input_mod.shown(text)}"
    if exc.error_type in (kind.TOO_SHORT_AFTER_IDD, kind.TOO_SHORT_NSN):
        return f"too short to be a phone number: {input_mod.shown(text)}"
    if exc.error_type == kind.TOO_LONG:
        return f"too long to be a phone number: {input_mod.shown(text)}"
    return input_mod.not_a_number(text)


def _brazilian_reasons(rules: metadata.Rules, national: pa.LargeStringArray) -> pa.LargeStringArray:
    """:func:`_brazilian_reason` for many invalid Brazilian national numbers at once."""
    lengths = rules_mod.lengths_of(national)
    numbers = national.to_pylist()
    maybe = np.flatnonzero(
        (lengths == 10) & np.fromiter(map(_may_lack_nine, numbers), np.bool_, len(numbers))
    )
    some = national.take(pa.array(maybe))
    candidates = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(some, 0, 2), pc.utf8_slice_codeunits(some, 2), _large("9")
    )
    is_mobile = rules_mod.number_types(rules, candidates, np.full(len(maybe), 11)) == (
        phonenumbers.PhoneNumberType.MOBILE
    )
    nine: list[str | None] = [None] * len(numbers)
    mobile_candidates = candidates.filter(pa.array(is_mobile)).to_pylist()
    for row, candidate in zip(maybe[is_mobile], mobile_candidates, strict=True):
        nine[row] = candidate
    reasons = [_reason_text(n, c) for n, c in zip(numbers, nine, strict=True)]
    return pa.array(reasons, pa.large_string())


def _brazilian_reason(national: str) -> str:
    """Why a Brazilian national number is not valid, in words."""
    nine = None
    if len(national) == 10 and _may_lack_nine(national):
        candidate = f"{national[:2]}9{national[2:]}"
        number = phonenumbers.PhoneNumber(country_code=55, national_number=int(candidate))
        if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
            nine = candidate
    return _reason_text(national, nine)


def _may_lack_nine(national: str) -> bool:
    """Whether a 10-digit number looks like a mobile from before the ninth digit: a known DDD,
    then 6, 7, 8 or 9 (how those 8-digit mobile numbers began)."""
    return national[:2] in metadata.area_codes() and national[2:3] in ("6", "7", "8", "9")


def _reason_text(national: str, nine: str | None) -> str:
    """The sentence for an invalid Brazilian national number; ``nine``: it with a 9 added."""
    size = len(national)
    if size < 10:
        hint = " — is the DDD (area code) missing?" if size in (8, 9) else ""
        return f"too short for a Brazilian number ({_digits(size)}){hint}"
    if size > 11:
        return f"too long for a Brazilian number ({_digits(size)})"
    area = national[:2]
    if area not in metadata.area_codes():
        return f"DDD {area} does not exist"
    if nine is not None:
        return f"8-digit mobile: the leading 9 is missing — did you mean 55{nine}?"
    return f"{national[2:]} is not a valid number in DDD {area}"


def _digits(count: int) -> str:
    return "1 digit" if count == 1 else f"{count} digits"
