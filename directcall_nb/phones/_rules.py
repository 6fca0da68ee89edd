"""Replay libphonenumber's parser and classifier on whole columns of digit strings.

:func:`classify_digits` does what ``phonenumbers.parse(x, "BR")``, ``is_valid_number`` and
``number_type`` do, for arrays of digit strings at once, with the compiled metadata of
:mod:`directcall_nb.phones._metadata`: RE2 (``pyarrow.compute``) for its prefixes, one automaton
for the line types' patterns, numpy for lengths and leading digits. It says which rows it cannot
decide (numbers of other countries), so that the caller asks the library about those one by one.
Each step names the step of the library it replays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.phones._metadata import (
    LENGTH_LIMIT,
    MAX_NATIONAL_LENGTH,
    MIN_NATIONAL_LENGTH,
    UNKNOWN_TYPE,
    Country,
    NumberDesc,
    Region,
    Rules,
)

__all__ = [
    "DigitAnswers",
    "classify_digits",
    "lengths_of",
    "number_types",
    "put",
    "strip_national_prefix",
    "take",
]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int16]


def _matches(values: pa.LargeStringArray, pattern: str) -> BoolArray:
    if len(values) == 0:
        return np.zeros(0, dtype=np.bool_)
    found: BoolArray = pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)
    return found


def _starts(values: pa.LargeStringArray, prefix: str) -> BoolArray:
    if len(values) == 0:
        return np.zeros(0, dtype=np.bool_)
    found: BoolArray = pc.starts_with(values, prefix).to_numpy(zero_copy_only=False)
    return found


def lengths_of(values: pa.LargeStringArray) -> IntArray:
    """The length of each string."""
    return np.asarray(pc.binary_length(values).to_numpy(zero_copy_only=False), dtype=np.int64)


def take(values: pa.LargeStringArray, rows: IntArray) -> pa.LargeStringArray:
    """``values[rows]``."""
    return values.take(pa.array(rows, pa.int64()))


def _drop(values: pa.LargeStringArray, count: int) -> pa.LargeStringArray:
    return pc.utf8_slice_codeunits(values, start=count)


def _by_length(table: BoolArray, lengths: IntArray) -> BoolArray:
    found: BoolArray = table[np.minimum(lengths, LENGTH_LIMIT - 1)]
    return found


def put(
    values: pa.LargeStringArray, rows: IntArray, new: pa.LargeStringArray
) -> pa.LargeStringArray:
    """``values`` with ``values[rows] = new`` (``rows`` distinct)."""
    if len(rows) == 0:
        return values
    source = np.arange(len(values))
    source[rows] = np.arange(len(values), len(values) + len(rows))
    return pa.concat_arrays([values, new]).take(pa.array(source))


def _matches_where(values: pa.LargeStringArray, where: BoolArray, pattern: str) -> BoolArray:
    """``where & match(values, pattern)``, matching only the rows in ``where``."""
    rows = np.flatnonzero(where)
    if len(rows) * 2 > len(values):  # a pass over all is cheaper than taking most of them
        return where & _matches(values, pattern)
    found = np.zeros(len(values), dtype=np.bool_)
    found[rows] = _matches(take(values, rows), pattern)
    return found


def _matches_general(country: Country, numbers: pa.LargeStringArray) -> BoolArray:
    """Whether the main region's general pattern matches each number whole (whatever its
    length: the parser's ``_match_national_number``)."""
    found: BoolArray = (country.main.patterns.matches(numbers) & country.main.general.bit) != 0
    return found


def strip_national_prefix(country: Country, numbers: pa.LargeStringArray) -> pa.LargeStringArray:
    """``_maybe_strip_national_prefix_carrier_code``: remove a trunk prefix / carrier code.

    The prefix goes only when the number did not match the general pattern with it, or still
    does without it.
    """
    prefix = country.national_prefix
    if len(numbers) == 0 or prefix is None:
        return numbers
    maybe = np.zeros(len(numbers), dtype=np.bool_)
    for digit in np.flatnonzero(country.national_prefix_starts):
        maybe |= _starts(numbers, str(digit))
    rows = np.flatnonzero(_matches_where(numbers, maybe, prefix))
    if len(rows) == 0:
        return numbers
    before = take(numbers, rows)
    after = pc.replace_substring_regex(
        before, prefix, country.national_prefix_replacement, max_replacements=1
    )
    keep = _matches_general(country, before) & ~_matches_general(country, after)
    return put(numbers, rows, pc.if_else(pa.array(keep), before, after))


@dataclass(frozen=True)
class DigitAnswers:
    """What the library would say about each digit string.

    Attributes
    ----------
    decided : numpy.ndarray of bool
        False where the number is not Brazilian (or has too few digits after the prefix):
        another country's rules, or the library, must be asked.
    national : pyarrow.LargeStringArray
        The national significant number (meaningful where decided).
    with_country_code : pyarrow.LargeStringArray
        ``"55"`` and the national number.
    type_code : numpy.ndarray of int16
        ``number_type``; ``UNKNOWN_TYPE`` when not valid.
    abroad : numpy.ndarray of int
        The numbers written with an international prefix (``+``, or the IDD) and another
        country's code (or too few digits after the prefix): undecided.
    abroad_digits : pyarrow.LargeStringArray
        Their digits after that prefix.
    """

    decided: BoolArray
    national: pa.LargeStringArray
    with_country_code: pa.LargeStringArray
    type_code: TypeArray
    abroad: IntArray
    abroad_digits: pa.LargeStringArray


_POWERS_OF_TEN = 10 ** np.arange(19, dtype=np.int64)


def _head(value: IntArray, lengths: IntArray, width: int) -> IntArray:
    """The first ``width`` digits as a number, shorter numbers padded with zeros at the end."""
    shift = lengths - width
    return np.where(
        shift >= 0,
        value // _POWERS_OF_TEN[np.clip(shift, 0, 18)],
        value * _POWERS_OF_TEN[np.clip(-shift, 0, 18)],
    )


def classify_digits(
    rules: Rules, digits: pa.LargeStringArray, plus: BoolArray, lengths: IntArray, value: IntArray
) -> DigitAnswers:
    """Replay ``parse(x, "BR")``, ``is_valid_number`` and ``number_type`` on digit strings.

    Parameters
    ----------
    rules : Rules
        From :func:`directcall_nb.phones._metadata.brazilian_rules`.
    digits : pyarrow.LargeStringArray
        The ASCII digits of each number, in order, 3 to 17 of them.
    plus : numpy.ndarray of bool
        Whether a ``+`` stood before the first digit. Digits that start with ``0055`` and have
        no ``+`` are read as ``+55`` followed by the rest.
    lengths, value : numpy.ndarray of int
        How many digits, and their value as a number.

    Returns
    -------
    DigitAnswers
    """
    count = len(digits)
    cc = rules.country_code
    decided = np.ones(count, dtype=np.bool_)
    plus_rows = np.flatnonzero(plus)
    # The first digits of each number, as a number: "0055..." → 55, "5511..." → 5511.
    width = len(cc) + 2
    head = _head(value, lengths, width)
    # "0055..." is read as "+55..." (a choice of directcall_nb.phones; the library sees an IDD).
    zero_zero = ~plus & (head == int(cc)) & (lengths >= width)
    zero_zero_rows = np.flatnonzero(zero_zero)
    domestic = ~plus & ~zero_zero
    # Rows that may start with the IDD or the national prefix, then those that do.
    first_digit = head // _POWERS_OF_TEN[width - 1]
    maybe = np.flatnonzero(domestic & rules.any_prefix_starts[first_digit])
    maybe_digits = take(digits, maybe)
    is_prefixed = _matches(maybe_digits, rules.any_prefix)
    prefixed, prefixed_digits = maybe[is_prefixed], maybe_digits.filter(pa.array(is_prefixed))

    # _maybe_strip_i18n_prefix_and_normalize: a + or the IDD (00 + carrier), unless a 0 follows.
    is_idd = _matches(prefixed_digits, rules.idd_prefix)
    after_idd = pc.replace_substring_regex(
        prefixed_digits.filter(pa.array(is_idd)), rules.idd_prefix, "", max_replacements=1
    )
    zero_next = _starts(after_idd, "0")
    is_idd[is_idd] = ~zero_next
    after_idd = after_idd.filter(pa.array(~zero_next))
    idd_rows = prefixed[is_idd]
    domestic[idd_rows] = False
    international_rows = np.concatenate([plus_rows, zero_zero_rows, idd_rows])
    after_prefix = pa.concat_arrays(
        [take(digits, plus_rows), _drop(take(digits, zero_zero_rows), 2), after_idd]
    )
    # _extract_country_code: 55 (nothing shorter is a code); too short or another code: undecided.
    brazilian = (lengths_of(after_prefix) > MIN_NATIONAL_LENGTH) & _starts(after_prefix, cc)
    abroad = international_rows[~brazilian]
    abroad_digits = after_prefix.filter(pa.array(~brazilian))
    decided[abroad] = False
    international_rows = international_rows[brazilian]
    international = _drop(after_prefix.filter(pa.array(brazilian)), len(cc))

    # _maybe_extract_country_code without a prefix: a leading 55 is the country code when the
    # number did not match the general pattern with it but does without, or was too long with it.
    starts_cc = head // _POWERS_OF_TEN[width - len(cc)] == int(cc)
    cc_rows = np.flatnonzero(domestic & starts_cc & (lengths >= len(cc)))
    with_cc = take(digits, cc_rows)
    without_cc = strip_national_prefix(rules, _drop(with_cc, len(cc)))
    better = _by_length(rules.too_long, lengths[cc_rows])
    unsure = ~better
    better[unsure] = ~_matches_general(rules, with_cc.filter(pa.array(unsure))) & (
        _matches_general(rules, without_cc.filter(pa.array(unsure)))
    )
    cc_rows = cc_rows[better]
    without_cc = without_cc.filter(pa.array(better))

    # parse: the national prefix / carrier code is removed when what remains is long enough.
    # Only rows changed above or starting with a prefix can still begin with one.
    domestic[cc_rows] = False
    unchanged = prefixed[domestic[prefixed]]
    rows = np.concatenate([international_rows, cc_rows, unchanged])
    national = pa.concat_arrays([international, without_cc, take(digits, unchanged)])
    stripped = strip_national_prefix(rules, national)
    use_stripped = ~_by_length(rules.keeps_prefix, lengths_of(stripped))
    national = put(digits, rows, pc.if_else(pa.array(use_stripped), stripped, national))

    national_lengths = lengths_of(national)
    type_code = number_types(rules.main, national, national_lengths)
    # The parser refuses too short or too long national numbers: not valid either way.
    refused = (national_lengths < MIN_NATIONAL_LENGTH) | (national_lengths > MAX_NATIONAL_LENGTH)
    type_code[refused] = UNKNOWN_TYPE
    with_country_code = pc.binary_join_element_wise(
        pa.scalar(cc, pa.large_string()), national, pa.scalar("", pa.large_string())
    )
    return DigitAnswers(decided, national, with_country_code, type_code, abroad, abroad_digits)


def number_types(region: Region, numbers: pa.LargeStringArray, lengths: IntArray) -> TypeArray:
    """What ``number_type`` says of a region's national significant numbers.

    A description matches when the length is one of its possible lengths and its pattern matches
    the whole number. Nothing is valid without the general description; then the first special
    type in the library's order wins, then fixed line (``FIXED_LINE_OR_MOBILE`` when the mobile
    description matches too), then mobile.
    """
    matched = region.patterns.matches(numbers)
    size = np.minimum(lengths, LENGTH_LIMIT - 1)

    def matching(desc: NumberDesc | None) -> BoolArray:
        if desc is None:
            return np.zeros(len(numbers), dtype=np.bool_)
        found: BoolArray = ((matched & desc.bit) != 0) & desc.length_ok[size]
        return found

    type_code = np.full(len(numbers), UNKNOWN_TYPE, dtype=np.int16)
    still_open = matching(region.general)
    for desc in region.special_types:
        hit = still_open & matching(desc)
        type_code[hit] = desc.type_code
        still_open &= ~hit
    mobile = matching(region.mobile)
    fixed_line = still_open & matching(region.fixed_line)
    type_code[fixed_line] = phonenumbers.PhoneNumberType.FIXED_LINE
    if region.same_mobile_and_fixed_line_pattern:
        type_code[fixed_line] = phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
    else:
        type_code[fixed_line & mobile] = phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
        type_code[still_open & ~fixed_line & mobile] = phonenumbers.PhoneNumberType.MOBILE
    return type_code
