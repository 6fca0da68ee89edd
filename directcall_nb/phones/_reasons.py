"""Why a number is not valid, in words a person understands.

:func:`brazilian_reasons` explains many invalid Brazilian national numbers at once (a DDD that
does not exist, a mobile written without its leading 9, a number too short or too long, ...);
:func:`brazilian_reason` explains one, as libphonenumber reads it.
"""

from __future__ import annotations

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.phones._input import not_a_number, shown
from directcall_nb.phones._metadata import Rules, area_codes
from directcall_nb.phones._rules import lengths_of, number_types

__all__ = ["brazilian_reason", "brazilian_reasons", "parse_error_reason", "place"]


def place(country: int, region: str | None) -> str:
    """Where a foreign number is from, e.g. ``"US, +1"``."""
    if region is None or region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
        return f"country code +{country}"
    return f"{region}, +{country}"


def parse_error_reason(exc: phonenumbers.NumberParseException, text: str) -> str:
    """Why libphonenumber could not read ``text`` as a number, in words."""
    kind = phonenumbers.NumberParseException
    if exc.error_type == kind.INVALID_COUNTRY_CODE:
        return f"unknown country code: {shown(text)}"
    if exc.error_type in (kind.TOO_SHORT_AFTER_IDD, kind.TOO_SHORT_NSN):
        return f"too short to be a phone number: {shown(text)}"
    if exc.error_type == kind.TOO_LONG:
        return f"too long to be a phone number: {shown(text)}"
    return not_a_number(text)


def brazilian_reasons(rules: Rules, national: pa.LargeStringArray) -> pa.LargeStringArray:
    """:func:`brazilian_reason` for many invalid Brazilian national numbers at once."""
    lengths = lengths_of(national)
    numbers = national.to_pylist()
    maybe = np.flatnonzero(
        (lengths == 10) & np.fromiter(map(_may_lack_nine, numbers), np.bool_, len(numbers))
    )
    some = national.take(pa.array(maybe))
    candidates = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(some, 0, 2),
        pc.utf8_slice_codeunits(some, 2),
        pa.scalar("9", pa.large_string()),
    )
    is_mobile = number_types(rules, candidates, np.full(len(maybe), 11)) == (
        phonenumbers.PhoneNumberType.MOBILE
    )
    nine: list[str | None] = [None] * len(numbers)
    mobile_candidates = candidates.filter(pa.array(is_mobile)).to_pylist()
    for row, candidate in zip(maybe[is_mobile], mobile_candidates, strict=True):
        nine[row] = candidate
    reasons = [_reason_text(n, c) for n, c in zip(numbers, nine, strict=True)]
    return pa.array(reasons, pa.large_string())


def brazilian_reason(national: str) -> str:
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
    return national[:2] in area_codes() and national[2:3] in ("6", "7", "8", "9")


def _reason_text(national: str, nine: str | None) -> str:
    """The sentence for an invalid Brazilian national number; ``nine``: it with a 9 added."""
    size = len(national)
    if size < 10:
        hint = " — is the DDD (area code) missing?" if size in (8, 9) else ""
        return f"too short for a Brazilian number ({_digits(size)}){hint}"
    if size > 11:
        return f"too long for a Brazilian number ({_digits(size)})"
    area = national[:2]
    if area not in area_codes():
        return f"DDD {area} does not exist"
    if nine is not None:
        return f"8-digit mobile: the leading 9 is missing — did you mean 55{nine}?"
    return f"{national[2:]} is not a valid number in DDD {area}"


def _digits(count: int) -> str:
    return "1 digit" if count == 1 else f"{count} digits"
