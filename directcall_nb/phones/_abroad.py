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
from directcall_nb.phones._rules import (
    lengths_of,
    number_types,
    put,
    strip_national_prefix,
    take,
)

__all__ = ["AbroadAnswers", "classify_abroad"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int16]

_TEXT = pa.large_string()
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


def _calling_codes(digits: pa.LargeStringArray, lengths: IntArray) -> IntArray:
    """The calling code each number starts with (0: none), as ``_extract_country_code`` finds
    it: the shortest start that is a known code."""
    known = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
    code = np.zeros(len(digits), dtype=np.int64)
    for width in range(1, _MAX_CODE_LENGTH + 1):
        rows = np.flatnonzero((code == 0) & (lengths >= width))
        if len(rows) == 0:
            break
        start = pc.utf8_slice_codeunits(take(digits, rows), 0, width)
        value = pc.cast(start, pa.int64()).to_numpy(zero_copy_only=False)
        # a code never begins with 0 ("01" is not 1)
        hit = np.isin(value, known) & (value >= 10 ** (width - 1))
        code[rows[hit]] = value[hit]
    return code


def classify_abroad(digits: pa.LargeStringArray) -> AbroadAnswers:
    """Replay the library on the digits that follow an international prefix.

    Parameters
    ----------
    digits : pyarrow.LargeStringArray
        ASCII digits only, at most 17 of them.

    Returns
    -------
    AbroadAnswers
    """
    count = len(digits)
    lengths = lengths_of(digits)
    code = _calling_codes(digits, lengths)
    code[lengths <= _MIN_AFTER_PREFIX] = 0  # TOO_SHORT_AFTER_IDD
    decided = np.zeros(count, dtype=np.bool_)
    type_code = np.full(count, metadata.UNKNOWN_TYPE, dtype=np.int16)
    international = pa.nulls(count, _TEXT)
    place = pa.nulls(count, _TEXT)
    for country_code in np.unique(code[code > 0]).tolist():  # a few calling codes
        country = metadata.country_rules(country_code)
        if country is None:
            continue
        rows = np.flatnonzero(code == country_code)
        after_code = pc.utf8_slice_codeunits(take(digits, rows), len(country.country_code))
        found = _classify_country(country, after_code)
        if found is None:
            continue
        ok, national, types, places = found
        rows = rows[ok]
        decided[rows] = True
        type_code[rows] = types
        international = put(
            international,
            rows,
            pc.binary_join_element_wise(
                pa.scalar("00" + country.country_code, _TEXT), national, pa.scalar("", _TEXT)
            ),
        )
        place = put(place, rows, places)
    return AbroadAnswers(decided, international, type_code, place)


def _classify_country(
    country: metadata.Country, after_code: pa.LargeStringArray
) -> tuple[BoolArray, pa.LargeStringArray, TypeArray, pa.LargeStringArray] | None:
    """(decided, national number, line type, place) of the decided numbers of one code."""
    # parse: too short a national number is refused; then the national prefix and carrier
    # code go, unless what remains is too short or of a local-only length.
    stripped = strip_national_prefix(country, after_code)
    use_stripped = ~country.keeps_prefix[
        np.minimum(lengths_of(stripped), metadata.LENGTH_LIMIT - 1)
    ]
    national = pc.if_else(pa.array(use_stripped), stripped, after_code)
    national_lengths = lengths_of(national)
    ok = (lengths_of(after_code) >= metadata.MIN_NATIONAL_LENGTH) & (
        national_lengths <= metadata.MAX_NATIONAL_LENGTH
    )
    national = national.filter(pa.array(ok))
    national_lengths = national_lengths[ok]
    # region_code_for_number: the only region, or the first whose leading digits match, or in
    # which the number is valid.
    regions = country.region_codes
    code = int(country.country_code)
    region_at = np.full(len(national), -1, dtype=np.int64)
    type_code = np.full(len(national), metadata.UNKNOWN_TYPE, dtype=np.int16)
    if len(regions) == 1:
        region_at[:] = 0
    for at, (region_code, leading) in enumerate(zip(regions, country.leading_digits, strict=True)):
        open_rows = np.flatnonzero(region_at < 0)
        if len(open_rows) == 0:
            break
        if leading is not None:
            hit = pc.match_substring_regex(take(national, open_rows), leading)
            region_at[open_rows[hit.to_numpy(zero_copy_only=False)]] = at
            continue
        region = metadata.region_rules(code, region_code)
        if region is None:
            return None
        types = number_types(region, take(national, open_rows), national_lengths[open_rows])
        valid = types != metadata.UNKNOWN_TYPE
        region_at[open_rows[valid]] = at
        type_code[open_rows[valid]] = types[valid]
    # number_type and is_valid_number, in the region found
    for at in np.unique(region_at[region_at >= 0]).tolist():
        rows = np.flatnonzero((region_at == at) & (type_code == metadata.UNKNOWN_TYPE))
        region = metadata.region_rules(code, regions[at])
        if region is None:
            return None
        type_code[rows] = number_types(region, take(national, rows), national_lengths[rows])
    places = pa.array([place_of(code, r) for r in regions] + [place_of(code, None)], _TEXT)
    place = places.take(pa.array(np.where(region_at >= 0, region_at, len(regions))))
    return ok, national, type_code, place
