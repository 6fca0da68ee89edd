"""libphonenumber's Brazilian metadata, read from the installed ``phonenumbers`` and compiled.

:func:`brazilian_rules` reads, the first time it is needed, what the parser and ``number_type``
use for Brazil: the national number pattern and possible lengths of each line type, the
international and national prefixes, and the rule that removes a carrier selection code. Nothing
of it is copied into this source: the prefixes are anchored for RE2, the line types' patterns
compiled into one automaton (:mod:`directcall_nb.phones._automaton`), the lengths turned into
lookup tables.
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.phones._automaton import Automaton, compile_patterns

__all__ = [
    "LENGTH_LIMIT",
    "MAX_NATIONAL_LENGTH",
    "MIN_NATIONAL_LENGTH",
    "TYPE_NAMES",
    "UNKNOWN_TYPE",
    "NumberDesc",
    "Rules",
    "area_codes",
    "brazilian_rules",
]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int16]

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


@dataclass(frozen=True)
class NumberDesc:
    """One ``PhoneNumberDesc`` of the metadata.

    Attributes
    ----------
    type_code : int
        The ``PhoneNumberType`` a match means.
    pattern : str
        The national number pattern (a number matches when it matches whole).
    length_ok : numpy.ndarray of bool
        Indexed by length: whether the description allows it (all True when it lists none).
    bit : int
        The bit that says, in what :attr:`Rules.patterns` answers, that the pattern matches.
    """

    type_code: int
    pattern: str
    length_ok: BoolArray
    bit: int


@dataclass(frozen=True)
class Rules:
    """The Brazilian metadata of the installed ``phonenumbers``, compiled for columns.

    Attributes
    ----------
    country_code : str
        ``"55"``.
    idd_prefix : str
        The international dialling prefix (``00`` and a carrier code), anchored at the start.
    national_prefix : str
        The national prefix for parsing (trunk ``0`` and a carrier code), anchored; a pattern
        that matches nothing when there is none.
    national_prefix_replacement : str
        What replaces a matched national prefix (RE2 rewrite syntax).
    any_prefix : str
        Matches where either prefix does.
    any_prefix_starts, national_prefix_starts : numpy.ndarray of bool
        Indexed by digit: whether a match of that prefix can begin with it (a quick filter
        before the pattern itself is tried).
    patterns : Automaton
        Matches the patterns of all the descriptions below at once.
    general : NumberDesc
        The description every valid number matches.
    special_types : tuple of NumberDesc
        Premium rate, toll free, shared cost, ... in the order ``number_type`` tries them.
    fixed_line, mobile : NumberDesc or None
        The fixed line and mobile descriptions.
    same_mobile_and_fixed_line_pattern : bool
        Whether a fixed line match is always also a mobile one.
    keeps_prefix : numpy.ndarray of bool
        Indexed by length: whether the parser puts a removed national prefix back (the rest
        would be too short, or a local-only length).
    too_long : numpy.ndarray of bool
        Indexed by length: whether the length test says TOO_LONG.
    """

    country_code: str
    idd_prefix: str
    national_prefix: str
    national_prefix_replacement: str
    any_prefix: str
    any_prefix_starts: BoolArray
    national_prefix_starts: BoolArray
    patterns: Automaton
    general: NumberDesc
    special_types: tuple[NumberDesc, ...]
    fixed_line: NumberDesc | None
    mobile: NumberDesc | None
    same_mobile_and_fixed_line_pattern: bool
    keeps_prefix: BoolArray
    too_long: BoolArray


def _anchored(pattern: str, *, at_end: bool) -> str:
    return "^(?:" + pattern + (")$" if at_end else ")")


def _length_table(lengths: Any) -> BoolArray:
    table = np.zeros(LENGTH_LIMIT, dtype=np.bool_)
    if lengths:
        table[[n for n in lengths if 0 <= n < LENGTH_LIMIT]] = True
    else:
        table[:] = True
    return table


def _descs(found: list[tuple[Any, int]]) -> list[NumberDesc | None]:
    """The descriptions (None where the metadata has none), numbered with a bit each."""
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
    """The RE2 rewrite that does what the library does with ``national_prefix_transform_rule``.

    The library removes the matched prefix when the last group of the pattern took no part, and
    applies the rule otherwise. One rewrite does both when the rule is empty or refers to that
    last group alone (Brazil's is ``\\2``: keep the number after a carrier code). Other rules are
    not replayed here (None).
    """
    groups = re.compile(pattern).groups
    if not rule:
        return ""
    if groups and rule == "\\" + str(groups):
        return rule
    return None


def _length_outcomes(country_code: int) -> npt.NDArray[np.int8]:
    """The library's length test (``is_possible_number_with_reason``) for each length."""
    outcomes = [phonenumbers.ValidationResult.TOO_SHORT]  # length 0
    for length in range(1, LENGTH_LIMIT):
        number = phonenumbers.PhoneNumber(
            country_code=country_code, national_number=int("1" * length)
        )
        outcomes.append(phonenumbers.is_possible_number_with_reason(number))
    return np.array(outcomes, dtype=np.int8)


@functools.cache
def area_codes() -> frozenset[str]:
    """The two-digit DDDs that some valid Brazilian fixed line or mobile number starts with."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region("BR")
    descs = (meta.fixed_line, meta.mobile) if meta is not None else ()
    patterns = [
        re.compile(_anchored(d.national_number_pattern, at_end=True))
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


def _first_digits(pattern: str) -> BoolArray:
    """Which digits a match of ``pattern`` can begin with (all ten when unsure).

    Read from the parse tree of Python's ``re``. Anything unexpected in it, or a pattern that
    can match an empty prefix, gives all ten, which costs only speed.
    """
    everything = np.ones(10, dtype=np.bool_)
    try:
        parser: Any = importlib.import_module("re._parser")
        digits, can_be_empty = _first_of_sequence(parser.parse(pattern))
    except Exception:  # the parse tree is not public API: any surprise means "unsure"
        return everything
    if can_be_empty:
        return everything
    found = np.zeros(10, dtype=np.bool_)
    found[sorted(digits)] = True
    return found


def _first_of_sequence(items: Any) -> tuple[set[int], bool]:
    """(digits a match can begin with, whether it can be empty) for a parsed sequence."""
    found: set[int] = set()
    for op, arg in items:
        digits, can_be_empty = _first_of_item(str(op), arg)
        found |= digits
        if not can_be_empty:
            return found, False
    return found, True


def _first_of_item(op: str, arg: Any) -> tuple[set[int], bool]:
    all_digits = set(range(10))
    if op == "LITERAL":
        return ({arg - ord("0")} if ord("0") <= arg <= ord("9") else set()), False
    if op == "IN":
        found: set[int] = set()
        for kind, value in arg:
            kind = str(kind)
            if kind == "LITERAL" and ord("0") <= value <= ord("9"):
                found.add(value - ord("0"))
            elif kind == "RANGE":
                found |= {d for d in all_digits if value[0] <= d + ord("0") <= value[1]}
            elif kind not in ("LITERAL",):  # negation, \d, \w, ...: assume any digit
                return all_digits, False
        return found, False
    if op == "SUBPATTERN":
        return _first_of_sequence(arg[-1])
    if op == "BRANCH":
        found, can_be_empty = set(), False
        for branch in arg[1]:
            digits, empty = _first_of_sequence(branch)
            found |= digits
            can_be_empty = can_be_empty or empty
        return found, can_be_empty
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        digits, can_be_empty = _first_of_sequence(arg[2])
        return digits, can_be_empty or arg[0] == 0
    raise ValueError(op)  # anything else: unsure


def _compiles_in_re2(pattern: str) -> bool:
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


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
    national_prefix = "[^\\s\\S]"  # matches nothing
    replacement: str | None = ""
    if meta.national_prefix_for_parsing:
        national_prefix = meta.national_prefix_for_parsing
        replacement = _replacement(national_prefix, meta.national_prefix_transform_rule)
    if replacement is None:
        return None
    outcomes = _length_outcomes(code)
    any_prefix = f"(?:{meta.international_prefix})|(?:{national_prefix})"
    rules = Rules(
        country_code=country_code,
        idd_prefix=_anchored(meta.international_prefix, at_end=False),
        national_prefix=_anchored(national_prefix, at_end=False),
        national_prefix_replacement=replacement,
        any_prefix=_anchored(any_prefix, at_end=False),
        any_prefix_starts=_first_digits(any_prefix),
        national_prefix_starts=_first_digits(national_prefix),
        patterns=automaton,
        general=general,
        special_types=tuple(d for d in special if d is not None),
        fixed_line=fixed_line,
        mobile=mobile,
        same_mobile_and_fixed_line_pattern=bool(meta.same_mobile_and_fixed_line_pattern),
        keeps_prefix=np.isin(outcomes, _KEEPS_PREFIX),
        too_long=outcomes == phonenumbers.ValidationResult.TOO_LONG,
    )
    prefixes = [rules.any_prefix, rules.idd_prefix, rules.national_prefix]
    if not all(_compiles_in_re2(p) for p in prefixes):
        return None
    return rules
