"""libphonenumber's Brazilian numbering rules, applied to whole columns at once.

The rules are read from the installed ``phonenumbers`` package the first time they are needed
(:func:`brazilian_rules`), never copied into this source: the national number pattern and possible
lengths of each line type, the international and national prefixes, and the rule that removes a
carrier selection code. :func:`classify_digits` replays ``phonenumbers.parse(x, "BR")``,
``is_valid_number`` and ``number_type`` on arrays of digit strings with RE2 (``pyarrow.compute``)
and numpy, and says which rows it cannot decide (other countries), so that the caller asks the
library about those one by one.

Each step names the step of the library's parser it replays.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "TYPE_NAMES",
    "UNKNOWN_TYPE",
    "DigitAnswers",
    "NumberDesc",
    "Rules",
    "area_codes",
    "brazilian_rules",
    "classify_digits",
    "lengths_of",
    "number_types",
    "put",
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

# The parser refuses national numbers shorter or longer than these.
_MIN_NATIONAL_LENGTH = 2
_MAX_NATIONAL_LENGTH = 17
# Length tables cover lengths up to this (longer is treated as this long).
_LENGTH_LIMIT = 32

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
    """One ``PhoneNumberDesc`` of the metadata, ready for RE2.

    Attributes
    ----------
    type_code : int
        The ``PhoneNumberType`` a match means.
    full_match : str
        The national number pattern, anchored at both ends.
    length_ok : numpy.ndarray of bool
        Indexed by length: whether the description allows it (all True when it lists none).
    """

    type_code: int
    full_match: str
    length_ok: BoolArray


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
    table = np.zeros(_LENGTH_LIMIT, dtype=np.bool_)
    if lengths:
        table[[n for n in lengths if 0 <= n < _LENGTH_LIMIT]] = True
    else:
        table[:] = True
    return table


def _desc(desc: Any, type_code: int) -> NumberDesc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return NumberDesc(
        type_code=type_code,
        full_match=_anchored(desc.national_number_pattern, at_end=True),
        length_ok=_length_table(desc.possible_length),
    )


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
    for length in range(1, _LENGTH_LIMIT):
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
    if meta is None or not meta.international_prefix:
        return None
    country_code = str(meta.country_code)
    # "+55..." must read as 55 and nothing shorter, and 55 must be Brazil alone.
    codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    if tuple(codes.get(meta.country_code, ())) != ("BR",) or any(
        int(country_code[:i]) in codes for i in range(1, len(country_code))
    ):
        return None
    general = _desc(meta.general_desc, UNKNOWN_TYPE)
    if general is None:
        return None
    national_prefix = "[^\\s\\S]"  # matches nothing
    replacement: str | None = ""
    if meta.national_prefix_for_parsing:
        national_prefix = meta.national_prefix_for_parsing
        replacement = _replacement(national_prefix, meta.national_prefix_transform_rule)
    if replacement is None:
        return None
    outcomes = _length_outcomes(meta.country_code)
    fixed_line = _desc(meta.fixed_line, phonenumbers.PhoneNumberType.FIXED_LINE)
    mobile = _desc(meta.mobile, phonenumbers.PhoneNumberType.MOBILE)
    special = (_desc(getattr(meta, attr, None), code) for attr, code in _SPECIAL_TYPES)
    rules = Rules(
        country_code=country_code,
        idd_prefix=_anchored(meta.international_prefix, at_end=False),
        national_prefix=_anchored(national_prefix, at_end=False),
        national_prefix_replacement=replacement,
        any_prefix=_anchored(f"(?:{meta.international_prefix})|(?:{national_prefix})", at_end=False),
        general=general,
        special_types=tuple(d for d in special if d is not None),
        fixed_line=fixed_line,
        mobile=mobile,
        same_mobile_and_fixed_line_pattern=bool(meta.same_mobile_and_fixed_line_pattern),
        keeps_prefix=np.isin(outcomes, _KEEPS_PREFIX),
        too_long=outcomes == phonenumbers.ValidationResult.TOO_LONG,
    )
    descs = [general, *rules.special_types, *(d for d in (fixed_line, mobile) if d is not None)]
    patterns = [rules.any_prefix, rules.idd_prefix, rules.national_prefix]
    if not all(_compiles_in_re2(p) for p in patterns + [d.full_match for d in descs]):
        return None
    return rules


# -- column operations ---------------------------------------------------------------------------


def _matches(values: pa.StringArray, pattern: str) -> BoolArray:
    if len(values) == 0:
        return np.zeros(0, dtype=np.bool_)
    found: BoolArray = pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)
    return found


def _starts(values: pa.StringArray, prefix: str) -> BoolArray:
    if len(values) == 0:
        return np.zeros(0, dtype=np.bool_)
    found: BoolArray = pc.starts_with(values, prefix).to_numpy(zero_copy_only=False)
    return found


def lengths_of(values: pa.StringArray) -> IntArray:
    """The length of each string."""
    return np.asarray(pc.binary_length(values).to_numpy(zero_copy_only=False), dtype=np.int64)


def _take(values: pa.StringArray, rows: IntArray) -> pa.StringArray:
    return values.take(pa.array(rows, pa.int64()))


def _drop(values: pa.StringArray, count: int) -> pa.StringArray:
    return pc.utf8_slice_codeunits(values, start=count)


def _by_length(table: BoolArray, lengths: IntArray) -> BoolArray:
    found: BoolArray = table[np.minimum(lengths, _LENGTH_LIMIT - 1)]
    return found


def put(values: pa.StringArray, rows: IntArray, new: pa.StringArray) -> pa.StringArray:
    """``values`` with ``values[rows] = new`` (``rows`` ascending, distinct)."""
    if len(rows) == 0:
        return values
    mask = np.zeros(len(values), dtype=np.bool_)
    mask[rows] = True
    return pc.replace_with_mask(values, pa.array(mask), new)


def _matches_where(values: pa.StringArray, where: BoolArray, pattern: str) -> BoolArray:
    """``where & match(values, pattern)``, matching only the rows in ``where``."""
    rows = np.flatnonzero(where)
    if len(rows) * 2 > len(values):  # a pass over all is cheaper than taking most of them
        return where & _matches(values, pattern)
    found = np.zeros(len(values), dtype=np.bool_)
    found[rows] = _matches(_take(values, rows), pattern)
    return found


def _strip_national_prefix(rules: Rules, numbers: pa.StringArray) -> pa.StringArray:
    """``_maybe_strip_national_prefix_carrier_code``: remove a trunk 0 / carrier code.

    The prefix goes only when the number did not match the general pattern with it, or still
    does without it.
    """
    rows = np.flatnonzero(_matches(numbers, rules.national_prefix))
    if len(rows) == 0:
        return numbers
    before = _take(numbers, rows)
    after = pc.replace_substring_regex(
        before, rules.national_prefix, rules.national_prefix_replacement, max_replacements=1
    )
    general = rules.general.full_match
    keep = _matches(before, general) & ~_matches(after, general)
    return put(numbers, rows, pc.if_else(pa.array(keep), before, after))


@dataclass(frozen=True)
class DigitAnswers:
    """What the library would say about each digit string.

    Attributes
    ----------
    decided : numpy.ndarray of bool
        False where the number is not Brazilian (or has too few digits after the prefix):
        the library must be asked.
    national : pyarrow.StringArray
        The national significant number (meaningful where decided).
    type_code : numpy.ndarray of int16
        ``number_type``; ``UNKNOWN_TYPE`` when not valid.
    """

    decided: BoolArray
    national: pa.StringArray
    type_code: TypeArray


def classify_digits(rules: Rules, digits: pa.StringArray, plus: BoolArray) -> DigitAnswers:
    """Replay ``parse(x, "BR")``, ``is_valid_number`` and ``number_type`` on digit strings.

    Parameters
    ----------
    rules : Rules
        From :func:`brazilian_rules`.
    digits : pyarrow.StringArray
        The ASCII digits of each number, in order, at least three.
    plus : numpy.ndarray of bool
        Whether a ``+`` stood before the first digit. Digits that start with ``0055`` and have
        no ``+`` are read as ``+55`` followed by the rest.

    Returns
    -------
    DigitAnswers
    """
    count = len(digits)
    cc = rules.country_code
    decided = np.ones(count, dtype=np.bool_)
    plus_rows = np.flatnonzero(plus)
    # Read as "+55..." (a choice of directcall_nb.phones, where the library sees an IDD).
    zero_zero_rows = np.flatnonzero(_starts(digits, "00" + cc) & ~plus)
    domestic = ~plus
    domestic[zero_zero_rows] = False
    # Most rows start with neither prefix; one pass finds those that do.
    prefixed = np.flatnonzero(_matches_where(digits, domestic, rules.any_prefix))

    # _maybe_strip_i18n_prefix_and_normalize: a + or the IDD (00 + carrier), unless a 0 follows.
    candidates = _take(digits, prefixed)
    is_idd = _matches(candidates, rules.idd_prefix)
    after_idd = pc.replace_substring_regex(
        candidates.filter(pa.array(is_idd)), rules.idd_prefix, "", max_replacements=1
    )
    zero_next = _starts(after_idd, "0")
    is_idd[is_idd] = ~zero_next
    after_idd = after_idd.filter(pa.array(~zero_next))
    idd_rows = prefixed[is_idd]
    domestic[idd_rows] = False
    international_rows = np.concatenate([plus_rows, zero_zero_rows, idd_rows])
    after_prefix = pa.concat_arrays(
        [_take(digits, plus_rows), _drop(_take(digits, zero_zero_rows), 2), after_idd]
    )
    # _extract_country_code: 55 (nothing shorter is a code); too short or another code: undecided.
    brazilian = (lengths_of(after_prefix) > _MIN_NATIONAL_LENGTH) & _starts(after_prefix, cc)
    decided[international_rows[~brazilian]] = False
    international_rows = international_rows[brazilian]
    international = _drop(after_prefix.filter(pa.array(brazilian)), len(cc))

    # _maybe_extract_country_code without a prefix: a leading 55 is the country code when the
    # number did not match the general pattern with it but does without, or was too long with it.
    cc_rows = np.flatnonzero(domestic & _starts(digits, cc))
    with_cc = _take(digits, cc_rows)
    without_cc = _strip_national_prefix(rules, _drop(with_cc, len(cc)))
    general = rules.general.full_match
    better = (~_matches(with_cc, general) & _matches(without_cc, general)) | _by_length(
        rules.too_long, lengths_of(with_cc)
    )
    cc_rows = cc_rows[better]
    without_cc = without_cc.filter(pa.array(better))

    # parse: the national prefix / carrier code is removed when what remains is long enough.
    # Only rows whose number changed above, or that start with a prefix, can have one.
    domestic[cc_rows] = False
    still = prefixed[domestic[prefixed]]
    rows = np.concatenate([international_rows, cc_rows, still])
    order = np.argsort(rows, kind="stable")
    rows = rows[order]
    national = pa.concat_arrays([international, without_cc, _take(digits, still)]).take(
        pa.array(order)
    )
    stripped = _strip_national_prefix(rules, national)
    use_stripped = ~_by_length(rules.keeps_prefix, lengths_of(stripped))
    national = put(digits, rows, pc.if_else(pa.array(use_stripped), stripped, national))

    lengths = lengths_of(national)
    type_code = number_types(rules, national, lengths)
    # The parser refuses too short or too long national numbers: not valid either way.
    type_code[(lengths < _MIN_NATIONAL_LENGTH) | (lengths > _MAX_NATIONAL_LENGTH)] = UNKNOWN_TYPE
    return DigitAnswers(decided=decided, national=national, type_code=type_code)


def number_types(rules: Rules, numbers: pa.StringArray, lengths: IntArray) -> TypeArray:
    """``_number_type_helper`` on Brazilian national significant numbers.

    Each description matches when the length is one of its possible lengths and the pattern
    matches the whole number; the first in the library's order wins, and a fixed line number
    that is also a mobile one is ``FIXED_LINE_OR_MOBILE``.
    """
    type_code = np.full(len(numbers), UNKNOWN_TYPE, dtype=np.int16)

    def matching(desc: NumberDesc, where: BoolArray) -> BoolArray:
        return _matches_where(numbers, where & _by_length(desc.length_ok, lengths), desc.full_match)

    open_rows = matching(rules.general, np.ones(len(numbers), dtype=np.bool_))
    for desc in rules.special_types:
        hit = matching(desc, open_rows)
        type_code[hit] = desc.type_code
        open_rows &= ~hit
    fixed = np.zeros(len(numbers), dtype=np.bool_)
    if rules.fixed_line is not None:
        fixed = matching(rules.fixed_line, open_rows)
        type_code[fixed] = phonenumbers.PhoneNumberType.FIXED_LINE
        if rules.same_mobile_and_fixed_line_pattern:
            type_code[fixed] = phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
        elif rules.mobile is not None:
            both = matching(rules.mobile, fixed)
            type_code[both] = phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
    if rules.mobile is not None and not rules.same_mobile_and_fixed_line_pattern:
        mobile = matching(rules.mobile, open_rows & ~fixed)
        type_code[mobile] = phonenumbers.PhoneNumberType.MOBILE
    return type_code
