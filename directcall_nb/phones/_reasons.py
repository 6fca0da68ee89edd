"""Why a number is not valid, in words a person understands.

:func:`brazilian_reasons` explains many invalid Brazilian national numbers at once (a DDD that
does not exist, a mobile written without its leading 9, a number too short or too long, ...);
:func:`brazilian_reason` explains one, as libphonenumber reads it. :func:`abroad_reasons` and
:func:`not_valid_for` / :func:`foreign` do the same for numbers of other countries. Each sentence
is written once, as a template, and filled in for one number or for columns.
"""

from __future__ import annotations

import string

import numpy as np
import numpy.typing as npt
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.display import quoted
from directcall_nb.i18n import TABLE, say, say_count
from directcall_nb.phones._input import not_a_number
from directcall_nb.phones._metadata import Rules, area_codes
from directcall_nb.phones._rules import lengths_of, number_types, put, take
from directcall_nb.vocabulary import Language

__all__ = [
    "abroad_reasons",
    "brazilian_reason",
    "brazilian_reasons",
    "foreign",
    "not_valid_for",
    "parse_error_reason",
    "place",
]

BoolArray = npt.NDArray[np.bool_]

# Whole columns are explained in English (the Python API's language); one number can be explained
# in either language. The sentences are those of `directcall_nb.i18n.TABLE`.
_NO_SUCH_DDD = TABLE["phone_no_such_ddd"][1]
_LEADING_NINE = TABLE["phone_leading_nine"][1]
_NOT_IN_DDD = TABLE["phone_not_in_ddd"][1]
_NOT_VALID_FOR = TABLE["phone_not_valid_for"][1]
_FOREIGN = TABLE["phone_foreign"][1]

_TEXT = pa.large_string()


def _fill(template: str, **columns: pa.LargeStringArray) -> pa.LargeStringArray:
    """``template.format(**columns)`` for each row of the columns."""
    parts: list[pa.LargeStringArray | pa.Scalar] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(pa.scalar(literal, _TEXT))
        if field is not None:
            parts.append(columns[field])
    return pc.binary_join_element_wise(*parts, pa.scalar("", _TEXT))


def place(country: int, region: str | None, language: Language = "en") -> str:
    """Where a foreign number is from, e.g. ``"US, +1"``."""
    if region is None or region == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
        return say("phone_country_code", language, country=country)
    return say("phone_place", language, region=region, country=country)


def not_valid_for(country: int, region: str | None, language: Language = "en") -> str:
    """Return the reason of a number of another country that libphonenumber calls not valid."""
    return say("phone_not_valid_for", language, place=place(country, region, language))


def foreign(country: int, region: str | None, language: Language = "en") -> str:
    """Return the reason of a valid number of another country, when those are not allowed."""
    return say("phone_foreign", language, place=place(country, region, language))


def abroad_reasons(places: pa.LargeStringArray, valid: BoolArray) -> pa.LargeStringArray:
    """:func:`foreign` where ``valid``, else :func:`not_valid_for`, for columns of places."""
    return pc.if_else(
        pa.array(valid), _fill(_FOREIGN, place=places), _fill(_NOT_VALID_FOR, place=places)
    )


def parse_error_reason(
    exc: phonenumbers.NumberParseException, text: str, language: Language = "en"
) -> str:
    """Why libphonenumber could not read ``text`` as a number, in words."""
    kind = phonenumbers.NumberParseException
    if exc.error_type == kind.INVALID_COUNTRY_CODE:
        return say("phone_unknown_country", language, value=quoted(text))
    if exc.error_type in (kind.TOO_SHORT_AFTER_IDD, kind.TOO_SHORT_NSN):
        return say("phone_too_short", language, value=quoted(text))
    if exc.error_type == kind.TOO_LONG:
        return say("phone_too_long", language, value=quoted(text))
    return not_a_number(text, language)


def brazilian_reasons(rules: Rules, national: pa.LargeStringArray) -> pa.LargeStringArray:
    """:func:`brazilian_reason` for many invalid Brazilian national numbers at once."""
    if len(national) == 0:
        return pa.array([], _TEXT)
    lengths = lengths_of(national)
    area = pc.utf8_slice_codeunits(national, 0, 2)
    rest = pc.utf8_slice_codeunits(national, 2)
    known_area = _is_in(area, sorted(area_codes()))
    third = pc.utf8_slice_codeunits(national, 2, 3)
    maybe = np.flatnonzero((lengths == 10) & known_area & _is_in(third, _OLD_MOBILE_STARTS))
    candidates = pc.binary_join_element_wise(
        take(area, maybe), take(rest, maybe), pa.scalar("9", _TEXT)
    )
    candidate_value = pc.cast(candidates, pa.int64()).to_numpy(zero_copy_only=False)
    is_mobile = number_types(rules.main, candidate_value, np.full(len(maybe), 11)) == (
        phonenumbers.PhoneNumberType.MOBILE
    )
    nine = np.zeros(len(national), dtype=np.bool_)
    nine[maybe[is_mobile]] = True
    with_nine = put(
        pa.nulls(len(national), _TEXT), maybe[is_mobile], candidates.filter(pa.array(is_mobile))
    )
    by_size = pa.array([_size_text(size) for size in range(int(lengths.max()) + 1)], _TEXT)
    reasons = pc.case_when(
        pc.make_struct(
            pa.array((lengths < 10) | (lengths > 11)),
            pa.array(~known_area),
            pa.array(nine),
            field_names=["size", "area", "nine"],
        ),
        by_size.take(pa.array(lengths)),
        _fill(_NO_SUCH_DDD, area=area),
        _fill(_LEADING_NINE, number=with_nine),
        _fill(_NOT_IN_DDD, rest=rest, area=area),
    )
    found: pa.LargeStringArray = reasons.cast(_TEXT)
    return found


def _is_in(values: pa.LargeStringArray, allowed: list[str] | tuple[str, ...]) -> BoolArray:
    found: BoolArray = pc.is_in(values, value_set=pa.array(allowed, _TEXT)).to_numpy(
        zero_copy_only=False
    )
    return found


def brazilian_reason(national: str, language: Language = "en") -> str:
    """Why a Brazilian national number is not valid, in words."""
    size = len(national)
    if size < 10 or size > 11:
        return _size_text(size, language)
    area = national[:2]
    if area not in area_codes():
        return say("phone_no_such_ddd", language, area=area)
    if size == 10 and national[2:3] in _OLD_MOBILE_STARTS:
        candidate = f"{area}9{national[2:]}"
        number = phonenumbers.PhoneNumber(country_code=55, national_number=int(candidate))
        if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
            return say("phone_leading_nine", language, number=candidate)
    return say("phone_not_in_ddd", language, rest=national[2:], area=area)


# How 8-digit mobile numbers began, before the ninth digit: a 10-digit number of a known DDD
# that starts so may be a mobile whose leading 9 is missing.
_OLD_MOBILE_STARTS = ("6", "7", "8", "9")


def _size_text(size: int, language: Language = "en") -> str:
    """Return the sentence for a Brazilian national number too short or too long."""
    digits = say_count("phone_digits", size, language)
    if size < 10:
        hint = say("phone_br_no_ddd", language) if size in (8, 9) else ""
        return say("phone_br_too_short", language, digits=digits, hint=hint)
    return say("phone_br_too_long", language, digits=digits)
