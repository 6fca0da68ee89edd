"""Replay libphonenumber on whole columns of numbers written for other countries.

:func:`classify_abroad` takes the digits that follow an international prefix (``+``, or the
Brazilian IDD) and does what ``phonenumbers.parse``, ``region_code_for_number``,
``is_valid_number`` and ``number_type`` do with them, with the metadata of each country calling
code found (:func:`directcall_nb.phones._metadata.country_rules`): the calling code (the first
one to three digits that are one), the national prefix and carrier code the parser removes, the
region among those that share the code (by leading digits, or by validity, in the library's
order), and the line type. What it does not replay (an unknown code, a national number too
short or too long for the parser, metadata it cannot compile) stays undecided, for the library.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.phones import _metadata as metadata
from directcall_nb.phones._reasons import place as place_of
from directcall_nb.phones._rules import digits_text, lead, national_prefix_drop, number_types

__all__ = ["AbroadAnswers", "classify_abroad"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int16]

_TEXT = pa.large_string()
_POWERS_OF_TEN = 10 ** np.arange(19, dtype=np.int64)
# The longest calling code, in digits.
_MAX_CODE_LENGTH = 3
# The parser wants more digits than this after an international prefix.
_MIN_AFTER_PREFIX = 2


@dataclass(frozen=True)
class AbroadAnswers:
    """What the library would say about each number of another country.

    Attributes
    ----------
    decided : numpy.ndarray of bool
        False where the library must be asked.
    international : pyarrow.LargeStringArray
        ``"00"``, the calling code and the national significant number (where decided).
    type_code : numpy.ndarray of int16
        ``number_type``; ``UNKNOWN_TYPE`` when not valid.
    place : pyarrow.LargeStringArray
        Where the number is from, as reasons say it (``"US, +1"``, ``"country code +1"``).
    """

    decided: BoolArray
    international: pa.LargeStringArray
    type_code: TypeArray
    place: pa.LargeStringArray


def _calling_codes(value: IntArray, lengths: IntArray) -> IntArray:
    """Return the calling code each number starts with (0: none).

    As ``_extract_country_code`` finds it: the shortest start that is a known code (never one
    that begins with 0).
    """
    known = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    code = np.zeros(len(value), dtype=np.int64)
    starts_with_zero = lead(value, lengths, 1) == 0
    for width in range(1, _MAX_CODE_LENGTH + 1):
        open_rows = (code == 0) & (lengths >= width) & ~starts_with_zero
        start = lead(value, lengths, width)
        hit = open_rows & np.isin(start, known)
        code[hit] = start[hit]
    return code


def classify_abroad(value: IntArray, lengths: IntArray) -> AbroadAnswers:
    """Replay the library on the digits that follow an international prefix.

    Parameters
    ----------
    value, lengths : numpy.ndarray of int
        The digits as a number, and how many (at most 17).

    Returns
    -------
    AbroadAnswers
    """
    count = len(value)
    code = _calling_codes(value, lengths)
    code[lengths <= _MIN_AFTER_PREFIX] = 0  # TOO_SHORT_AFTER_IDD
    decided = np.zeros(count, dtype=np.bool_)
    type_code = np.full(count, metadata.UNKNOWN_TYPE, dtype=np.int16)
    international = np.zeros(count, dtype=np.int64)  # the digits after "00"
    international_length = np.zeros(count, dtype=np.int64)
    place_at = np.zeros(count, dtype=np.int64)
    places: list[str] = []
    for country_code in np.unique(code[code > 0]).tolist():  # a few calling codes
        country = metadata.country_rules(country_code)
        if country is None:
            continue
        rows = np.flatnonzero(code == country_code)
        after = lengths[rows] - len(country.country_code)
        found = _classify_country(country, value[rows] % _POWERS_OF_TEN[after], after)
        if found is None:
            continue
        ok, national_length, national_value, types, region_at = found
        rows = rows[ok]
        decided[rows] = True
        type_code[rows] = types
        # (a number too long to write here is not valid: its phone is never shown)
        fits = len(country.country_code) + national_length <= 18
        size = np.where(fits, national_length, 0)
        international[rows] = country_code * _POWERS_OF_TEN[size] + np.where(
            fits, national_value, 0
        )
        international_length[rows] = len(country.country_code) + size
        place_at[rows] = len(places) + region_at
        places += [place_of(country_code, r) for r in (*country.region_codes, None)]
    kept = np.flatnonzero(decided)
    text = pc.binary_join_element_wise(
        pa.scalar("00", _TEXT),
        digits_text(international[kept], international_length[kept]),
        pa.scalar("", _TEXT),
    )
    return AbroadAnswers(
        decided,
        _spread(count, kept, text),
        type_code,
        _spread(count, kept, pa.array(places, _TEXT).take(pa.array(place_at[kept]))),
    )


def _spread(count: int, rows: IntArray, values: pa.LargeStringArray) -> pa.LargeStringArray:
    """``count`` strings: ``values`` at ``rows``, null elsewhere."""
    at = np.full(count, -1, dtype=np.int64)
    at[rows] = np.arange(len(rows))
    return values.take(pa.array(at, mask=at < 0))


def _classify_country(
    country: metadata.Country, value: IntArray, lengths: IntArray
) -> tuple[BoolArray, IntArray, IntArray, TypeArray, IntArray] | None:
    """Classify the numbers that follow one calling code, as the library's parse would.

    Returns
    -------
    tuple or None
        Per number: decided, the national number's length and value, the line type, and the
        position of the region (``len(regions)`` for none). None: this country is not replayed.
    """
    # parse: too short a national number is refused; then the national prefix and carrier
    # code go, unless what remains is too short or of a local-only length.
    drop = national_prefix_drop(country, value, lengths)
    stripped = lengths - drop
    keep = country.keeps_prefix[np.minimum(stripped, metadata.LENGTH_LIMIT - 1)]
    national_length = np.where(keep, lengths, stripped)
    ok = (lengths >= metadata.MIN_NATIONAL_LENGTH) & (
        national_length <= metadata.MAX_NATIONAL_LENGTH
    )
    national_length = national_length[ok]
    national_value = value[ok] % _POWERS_OF_TEN[national_length]
    # region_code_for_number: the only region, or the first whose leading digits match, or in
    # which the number is valid.
    regions = country.region_codes
    code = int(country.country_code)
    region_at = np.full(len(national_value), -1, dtype=np.int64)
    type_code = np.full(len(national_value), metadata.UNKNOWN_TYPE, dtype=np.int16)
    if len(regions) == 1:
        region_at[:] = 0
    starts = (
        country.leading.matches_values(national_value, national_length)
        if country.leading is not None
        else np.zeros(len(national_value), dtype=np.uint32)
    )
    for at, (region_code, bit) in enumerate(zip(regions, country.leading_digits, strict=True)):
        open_rows = np.flatnonzero(region_at < 0)
        if len(open_rows) == 0:
            break
        if bit:
            region_at[open_rows[(starts[open_rows] & bit) != 0]] = at
            continue
        region = metadata.region_rules(code, region_code)
        if region is None:
            return None
        types = number_types(region, national_value[open_rows], national_length[open_rows])
        valid = types != metadata.UNKNOWN_TYPE
        region_at[open_rows[valid]] = at
        type_code[open_rows[valid]] = types[valid]
    # number_type and is_valid_number, in the region found
    for at in np.unique(region_at[region_at >= 0]).tolist():
        rows = np.flatnonzero((region_at == at) & (type_code == metadata.UNKNOWN_TYPE))
        region = metadata.region_rules(code, regions[at])
        if region is None:
            return None
        type_code[rows] = number_types(region, national_value[rows], national_length[rows])
    region_at[region_at < 0] = len(regions)
    return ok, national_length, national_value, type_code, region_at
