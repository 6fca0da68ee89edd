"""libphonenumber's metadata, read from the installed ``phonenumbers`` and compiled for columns.

What the parser, ``region_code_for_number`` and ``number_type`` use is read when first needed:

* :func:`region_rules`: for one region (or non-geographic entity), the national number pattern
  and possible lengths of each line type, the line types' patterns compiled into one automaton
  (:mod:`directcall_nb.phones._automaton`), the lengths turned into lookup tables;
* :func:`country_rules`: for one country calling code, how the parser reads the national number
  that follows it (the national prefix and carrier code it removes, the lengths it keeps them
  for) and the regions that share the code, in the order ``region_code_for_number`` tries them;
* :func:`brazilian_rules`: Brazil's, with the international and national prefixes that the
  parser recognises in a number written without ``+``.

Nothing of it is copied into this source. Metadata that uses something not replayed here gives
None, and the library is asked instead, number by number.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import numpy.typing as npt
import phonenumbers

from directcall_nb.phones._automaton import Automaton, compile_patterns
from directcall_nb.phones._compiled import Country, NumberDesc, Region, Rules
from directcall_nb.phones._regex import (
    anchored,
    compiles_in_re2,
    first_digits,
    group_ends_pattern,
)

__all__ = [
    "IDD_BIT",
    "LENGTH_LIMIT",
    "MAX_NATIONAL_LENGTH",
    "MIN_NATIONAL_LENGTH",
    "NATIONAL_PREFIX_BIT",
    "TYPE_NAMES",
    "UNKNOWN_TYPE",
    "Country",
    "NumberDesc",
    "Region",
    "Rules",
    "area_codes",
    "brazilian_rules",
    "country_rules",
    "region_rules",
]

BoolArray = npt.NDArray[np.bool_]

#: ``number_type`` of a number that is not valid.
UNKNOWN_TYPE: int = phonenumbers.PhoneNumberType.UNKNOWN

#: Lower-case name of every ``PhoneNumberType`` value, e.g. ``{1: "mobile", ...}``.
TYPE_NAMES: dict[int, str] = {
    value: str(phonenumbers.PhoneNumberType.to_string(value)).lower()
    for value in phonenumbers.PhoneNumberType.values()
}

#: The parser refuses national numbers shorter or longer than these.
MIN_NATIONAL_LENGTH = 2
MAX_NATIONAL_LENGTH = 17
#: Length tables are indexed by length up to this (longer counts as this long).
LENGTH_LIMIT = 32

# Outcomes of the length test that make the parser keep the national prefix (a short number).
_KEEPS_PREFIX = (
    phonenumbers.ValidationResult.TOO_SHORT,
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    phonenumbers.ValidationResult.INVALID_LENGTH,
)

# The descriptions ``number_type`` tries before fixed line and mobile, in its order.
_SPECIAL_TYPES = (
    ("premium_rate", phonenumbers.PhoneNumberType.PREMIUM_RATE),
    ("toll_free", phonenumbers.PhoneNumberType.TOLL_FREE),
    ("shared_cost", phonenumbers.PhoneNumberType.SHARED_COST),
    ("voip", phonenumbers.PhoneNumberType.VOIP),
    ("personal_number", phonenumbers.PhoneNumberType.PERSONAL_NUMBER),
    ("pager", phonenumbers.PhoneNumberType.PAGER),
    ("uan", phonenumbers.PhoneNumberType.UAN),
    ("voicemail", phonenumbers.PhoneNumberType.VOICEMAIL),
)


def _length_table(lengths: Any) -> BoolArray:
    table = np.zeros(LENGTH_LIMIT, dtype=np.bool_)
    if lengths:
        table[[n for n in lengths if 0 <= n < LENGTH_LIMIT]] = True
    else:
        table[:] = True
    return table


def _descs(found: list[tuple[Any, int]]) -> list[NumberDesc | None]:
    """Return the descriptions (None where the metadata has none), numbered with a bit each."""
    descs: list[NumberDesc | None] = []
    bit = 1
    for desc, type_code in found:
        if desc is None or not desc.national_number_pattern:
            descs.append(None)
            continue
        pattern, lengths = desc.national_number_pattern, _length_table(desc.possible_length)
        descs.append(NumberDesc(type_code, pattern, lengths, bit))
        bit <<= 1
    return descs


def _replacement(pattern: str, rule: str | None) -> str | None:
    r"""Return the RE2 rewrite that replays ``national_prefix_transform_rule``, or None.

    The library removes the matched prefix when the last group of the pattern took no part, and
    applies the rule otherwise. One rewrite does both when the rule is empty or refers to that
    last group alone (Brazil's is ``\2``: keep the number after a carrier code). The columns
    also need what is left to be the end of the number: the group must end the pattern. Other
    rules are not replayed here (None).
    """
    groups = re.compile(pattern).groups
    if not rule:
        return ""
    if groups and rule == "\\" + str(groups) and group_ends_pattern(pattern, groups):
        return rule
    return None


def _length_outcomes(country_code: int) -> npt.NDArray[np.int8]:
    """Return the library's length test (``is_possible_number_with_reason``) for each length."""
    outcomes = [phonenumbers.ValidationResult.TOO_SHORT]  # length 0
    for length in range(1, LENGTH_LIMIT):
        number = phonenumbers.PhoneNumber(
            country_code=country_code, national_number=int("1" * length)
        )
        outcomes.append(phonenumbers.is_possible_number_with_reason(number))
    return np.array(outcomes, dtype=np.int8)


def _metadata(country_code: int, region: str) -> Any:
    return phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)


@functools.cache
def region_rules(country_code: int, region: str) -> Region | None:
    """Read and compile what ``number_type`` uses for ``region`` (once).

    Returns
    -------
    Region or None
        None when there is no metadata, or its patterns use something the automaton does not
        model.
    """
    meta = _metadata(country_code, region)
    if meta is None:
        return None
    general, *special, fixed_line, mobile = _descs(
        [
            (meta.general_desc, UNKNOWN_TYPE),
            *((getattr(meta, attr, None), kind) for attr, kind in _SPECIAL_TYPES),
            (meta.fixed_line, phonenumbers.PhoneNumberType.FIXED_LINE),
            (meta.mobile, phonenumbers.PhoneNumberType.MOBILE),
        ]
    )
    if general is None:
        return None
    descs = [d for d in (general, *special, fixed_line, mobile) if d is not None]
    automaton = compile_patterns([d.pattern for d in descs])
    if automaton is None:
        return None
    return Region(
        code=region,
        patterns=automaton,
        general=general,
        special_types=tuple(d for d in special if d is not None),
        fixed_line=fixed_line,
        mobile=mobile,
        same_mobile_and_fixed_line_pattern=bool(meta.same_mobile_and_fixed_line_pattern),
    )


#: The bits of :attr:`Country.starts_with_prefix`.
NATIONAL_PREFIX_BIT = 1
IDD_BIT = 2


def _prefix_automaton(national_prefix: str | None, idd: str | None = None) -> Automaton | None:
    r"""Build an automaton whose bits say whether a number begins with a match of each prefix.

    A number begins with a match of ``p`` when it matches ``(?:p)\d*`` whole.
    """
    if not national_prefix:
        return None
    patterns = [f"(?:{national_prefix})\\d*"]
    if idd:
        patterns.append(f"(?:{idd})\\d*")
    return compile_patterns(patterns)


def _country_fields(country_code: int, idd: str | None = None) -> dict[str, Any] | None:
    """Return the fields of :class:`Country` for a calling code, or None.

    With ``idd``, the prefix automaton also tells the numbers that begin with it.
    """
    regions = tuple(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()))
    if not regions:
        return None
    main = region_rules(country_code, regions[0])
    meta = _metadata(country_code, regions[0])
    if main is None or meta is None:
        return None
    national_prefix: str | None = None
    replacement: str | None = ""
    if meta.national_prefix_for_parsing:
        national_prefix = anchored(meta.national_prefix_for_parsing, at_end=False)
        replacement = _replacement(
            meta.national_prefix_for_parsing, meta.national_prefix_transform_rule
        )
    if replacement is None or (national_prefix and not compiles_in_re2(national_prefix)):
        return None
    starts_with_prefix = _prefix_automaton(meta.national_prefix_for_parsing, idd)
    if meta.national_prefix_for_parsing and starts_with_prefix is None:
        return None
    bits: list[int] = []
    patterns: list[str] = []
    for region in regions if len(regions) > 1 else ():
        region_meta = _metadata(country_code, region)
        if region_meta is None:
            return None
        pattern = region_meta.leading_digits
        bits.append(0 if pattern is None else 1 << len(patterns))
        if pattern is not None:  # re.match: a number that begins with a match
            patterns.append(f"(?:{pattern})\\d*")
    leading = compile_patterns(patterns) if patterns else None
    if patterns and leading is None:
        return None
    outcomes = _length_outcomes(country_code)
    return {
        "country_code": str(country_code),
        "main": main,
        "region_codes": regions,
        "leading_digits": tuple(bits) or (0,),
        "leading": leading,
        "national_prefix": national_prefix,
        "national_prefix_replacement": replacement,
        "national_prefix_starts": (
            first_digits(meta.national_prefix_for_parsing)
            if national_prefix
            else np.zeros(10, dtype=np.bool_)
        ),
        "starts_with_prefix": starts_with_prefix,
        "keeps_prefix": np.isin(outcomes, _KEEPS_PREFIX),
        "too_long": outcomes == phonenumbers.ValidationResult.TOO_LONG,
    }


@functools.cache
def country_rules(country_code: int) -> Country | None:
    """Read and compile what the parser uses after ``country_code`` (once).

    Returns
    -------
    Country or None
        None for an unknown code, or metadata that uses something not replayed here.
    """
    fields = _country_fields(country_code)
    return None if fields is None else Country(**fields)


@functools.cache
def area_codes() -> frozenset[str]:
    """Return the two-digit DDDs that some valid Brazilian fixed line or mobile starts with."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("BR")
    descs = (meta.fixed_line, meta.mobile) if meta is not None else ()
    patterns = [
        re.compile(anchored(d.national_number_pattern, at_end=True))
        for d in descs
        if d is not None and d.national_number_pattern
    ]
    found = set()
    for area in range(10, 100):
        for third in "0123456789":
            for filler in "059":
                for length in (10, 11):
                    number = f"{area}{third}".ljust(length, filler)
                    if any(p.match(number) for p in patterns):
                        found.add(str(area))
    return frozenset(found)


@functools.cache
def brazilian_rules() -> Rules | None:
    """Read and compile the Brazilian metadata of the installed ``phonenumbers`` (once).

    Returns
    -------
    Rules or None
        None when the metadata uses something this module does not replay; every number then
        goes through the library one by one, slower, with the same answers.
    """
    meta = phonenumbers.PhoneMetadata.metadata_for_region("BR")
    if meta is None or not meta.international_prefix or meta.country_code is None:
        return None
    code = meta.country_code
    country_code = str(code)
    # "+55..." must read as 55 and nothing shorter, and 55 must be Brazil alone.
    codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    if tuple(codes.get(code, ())) != ("BR",) or any(
        int(country_code[:i]) in codes for i in range(1, len(country_code))
    ):
        return None
    if not meta.national_prefix_for_parsing:
        return None
    fields = _country_fields(code, idd=meta.international_prefix)
    if fields is None:
        return None
    prefix = f"(?:{meta.international_prefix})|(?:{meta.national_prefix_for_parsing})"
    rules = Rules(
        **fields,
        idd_prefix=anchored(meta.international_prefix, at_end=False),
        any_prefix_starts=first_digits(prefix),
    )
    if not compiles_in_re2(rules.idd_prefix):
        return None
    return rules
