"""Replay libphonenumber's parser and classifier on whole columns of numbers.

:func:`classify_digits` does what ``phonenumbers.parse(x, "BR")``, ``is_valid_number`` and
``number_type`` do, for arrays of numbers at once, with the compiled metadata of
:mod:`directcall_nb.phones._metadata`: RE2 (``pyarrow.compute``) for its prefixes, one automaton
for the line types' patterns, numpy for lengths and leading digits. It says which rows it cannot
decide (numbers of other countries), so that the caller asks :mod:`directcall_nb.phones._abroad`
or the library about those. Each step names the step of the library it replays.

A number is held as its value and its number of digits (17 at most: an int64 holds them, and
leading zeros are counted by the length). Every step of the parser removes digits from the
front of the number (a ``+``, the IDD, the ``00`` of ``0055``, the country code, a trunk prefix
and carrier code), so that the national number is the last digits of the number: the count of
digits removed says it all. Only the numbers that may start with a prefix are written out as
text, for RE2.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.phones._metadata import (
    IDD_BIT,
    LENGTH_LIMIT,
    MAX_NATIONAL_LENGTH,
    MIN_NATIONAL_LENGTH,
    NATIONAL_PREFIX_BIT,
    UNKNOWN_TYPE,
    Country,
    NumberDesc,
    Region,
    Rules,
)

__all__ = [
    "DigitAnswers",
    "classify_digits",
    "digits_text",
    "lead",
    "lengths_of",
    "matches",
    "national_prefix_drop",
    "number_types",
    "put",
    "take",
]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int16]

_POWERS_OF_TEN = 10 ** np.arange(19, dtype=np.int64)


def matches(values: pa.LargeStringArray, pattern: str) -> BoolArray:
    """Whether RE2 finds ``pattern`` in each string."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.bool_)
    found: BoolArray = pc.match_substring_regex(values, pattern).to_numpy(zero_copy_only=False)
    return found


def lengths_of(values: pa.LargeStringArray) -> IntArray:
    """Return the length of each string."""
    return np.asarray(pc.binary_length(values).to_numpy(zero_copy_only=False), dtype=np.int64)


def take(values: pa.LargeStringArray, rows: IntArray) -> pa.LargeStringArray:
    """``values[rows]``."""
    return values.take(pa.array(rows, pa.int64()))


def put(
    values: pa.LargeStringArray, rows: IntArray, new: pa.LargeStringArray
) -> pa.LargeStringArray:
    """``values`` with ``values[rows] = new`` (``rows`` distinct)."""
    if len(rows) == 0:
        return values
    source = np.arange(len(values))
    source[rows] = np.arange(len(values), len(values) + len(rows))
    return pa.concat_arrays([values, new]).take(pa.array(source))


def digits_text(value: IntArray, lengths: IntArray) -> pa.LargeStringArray:
    """Write the digits of each number as text, leading zeros included."""
    padded = pc.cast(pa.array(_POWERS_OF_TEN[lengths] + value), pa.large_string())
    return pc.utf8_slice_codeunits(padded, 1)


def lead(value: IntArray, lengths: IntArray, width: int) -> IntArray:
    """Return the first ``width`` digits as a number; shorter numbers padded with zeros."""
    shift = lengths - width
    found: IntArray = (
        value // _POWERS_OF_TEN[np.maximum(shift, 0)] * _POWERS_OF_TEN[np.maximum(-shift, 0)]
    )
    return found


def _by_length(table: BoolArray, lengths: IntArray) -> BoolArray:
    found: BoolArray = table[np.minimum(lengths, LENGTH_LIMIT - 1)]
    return found


def _matches_general(region: Region, value: IntArray, lengths: IntArray) -> BoolArray:
    """Tell whether the general pattern matches each number whole, whatever its length.

    What the parser's ``_match_national_number`` does.
    """
    found: BoolArray = (region.patterns.matches_values(value, lengths) & region.general.bit) != 0
    return found


def national_prefix_drop(country: Country, value: IntArray, lengths: IntArray) -> IntArray:
    """Count the digits a trunk prefix and carrier code take at the start of each number.

    What ``_maybe_strip_national_prefix_carrier_code`` strips (0: none, or kept).

    The prefix goes only when the number did not match the general pattern with it, or still
    does without it. What is left is always the end of the number: the rule that rewrites it
    keeps the pattern's last group, which ends the pattern (see
    :func:`directcall_nb.phones._metadata.country_rules`).
    """
    drop = np.zeros(len(value), dtype=np.int64)
    prefix, automaton = country.national_prefix, country.starts_with_prefix
    if len(value) == 0 or prefix is None or automaton is None:
        return drop
    first = lead(value, lengths, 1)
    maybe = np.flatnonzero((lengths > 0) & country.national_prefix_starts[first])
    found = (automaton.matches_values(value[maybe], lengths[maybe]) & NATIONAL_PREFIX_BIT) != 0
    maybe = maybe[found]
    before = digits_text(value[maybe], lengths[maybe])
    after = pc.replace_substring_regex(
        before, prefix, country.national_prefix_replacement, max_replacements=1
    )
    kept = lengths_of(after)
    removed = lengths[maybe] - kept
    rest = value[maybe] % _POWERS_OF_TEN[kept]
    keep = _matches_general(country.main, value[maybe], lengths[maybe]) & ~_matches_general(
        country.main, rest, kept
    )
    drop[maybe[~keep]] = removed[~keep]
    return drop


@dataclass(frozen=True)
class DigitAnswers:
    """What the library would say about each number.

    Attributes
    ----------
    decided : numpy.ndarray of bool
        False where the number is not Brazilian (or has too few digits after the prefix):
        another country's rules, or the library, must be asked.
    national_length, national_value : numpy.ndarray of int
        The national significant number: its number of digits and its value (meaningful where
        decided).
    type_code : numpy.ndarray of int16
        ``number_type``; ``UNKNOWN_TYPE`` when not valid.
    abroad : numpy.ndarray of int
        The numbers written with an international prefix (``+``, or the IDD) and another
        country's code (or too few digits after the prefix): undecided.
    abroad_length, abroad_value : numpy.ndarray of int
        Their digits after that prefix.
    """

    decided: BoolArray
    national_length: IntArray
    national_value: IntArray
    type_code: TypeArray
    abroad: IntArray
    abroad_length: IntArray
    abroad_value: IntArray

    def national(self, rows: IntArray) -> pa.LargeStringArray:
        """Write the national numbers of ``rows`` as text."""
        return digits_text(self.national_value[rows], self.national_length[rows])

    def with_country_code(self, country_code: str) -> IntArray:
        """Return the country code's digits and the national number's of every row, as one number.

        The country code does not begin with 0, so written out it has all the digits. Only the
        country code where that would be more than 18 digits (such a number is not valid).
        """
        fits = self.national_length <= 18 - len(country_code)
        size = np.where(fits, self.national_length, 0)
        number: IntArray = int(country_code) * _POWERS_OF_TEN[size] + np.where(
            fits, self.national_value, 0
        )
        return number


def classify_digits(
    rules: Rules, plus: BoolArray, lengths: IntArray, value: IntArray
) -> DigitAnswers:
    """Replay ``parse(x, "BR")``, ``is_valid_number`` and ``number_type`` on numbers.

    Parameters
    ----------
    rules : Rules
        From :func:`directcall_nb.phones._metadata.brazilian_rules`.
    plus : numpy.ndarray of bool
        Whether a ``+`` stood before the first digit. Digits that start with ``0055`` and have
        no ``+`` are read as ``+55`` followed by the rest.
    lengths, value : numpy.ndarray of int
        How many digits (3 to 17), and their value as a number.

    Returns
    -------
    DigitAnswers
    """
    count = len(value)
    cc = rules.country_code
    size = len(cc)
    decided = np.ones(count, dtype=np.bool_)
    drop = np.zeros(count, dtype=np.int64)  # digits the parser removes from the start
    # The first digits of each number, as a number: "0055..." → 55, "5511..." → 5511.
    width = size + 2
    head = lead(value, lengths, width)
    # "0055..." is read as "+55..." (a choice of directcall_nb.phones; the library sees an IDD).
    zero_zero = ~plus & (head == int(cc)) & (lengths >= width)
    drop[zero_zero] = 2
    domestic = ~plus & ~zero_zero
    # Rows that may start with the IDD or the national prefix, then those that do.
    first_digit = head // _POWERS_OF_TEN[width - 1]
    maybe = np.flatnonzero(domestic & rules.any_prefix_starts[first_digit])
    assert rules.starts_with_prefix is not None  # Brazil has a national prefix
    starts = rules.starts_with_prefix.matches_values(value[maybe], lengths[maybe])
    prefixed = maybe[starts != 0]

    # _maybe_strip_i18n_prefix_and_normalize: a + or the IDD (00 + carrier), unless a 0 follows.
    idd_rows = maybe[(starts & IDD_BIT) != 0]
    after_idd = pc.replace_substring_regex(
        digits_text(value[idd_rows], lengths[idd_rows]), rules.idd_prefix, "", max_replacements=1
    )
    left = lengths_of(after_idd)
    zero_next = (left > 0) & (lead(value[idd_rows] % _POWERS_OF_TEN[left], left, 1) == 0)
    idd_rows, left = idd_rows[~zero_next], left[~zero_next]
    drop[idd_rows] = lengths[idd_rows] - left
    domestic[idd_rows] = False
    international = np.concatenate([np.flatnonzero(plus), np.flatnonzero(zero_zero), idd_rows])
    # _extract_country_code: 55 (nothing shorter is a code); too short or another code: undecided.
    rest = lengths[international] - drop[international]
    rest_value = value[international] % _POWERS_OF_TEN[rest]
    brazilian = (rest > MIN_NATIONAL_LENGTH) & (lead(rest_value, rest, size) == int(cc))
    abroad = international[~brazilian]
    decided[abroad] = False
    international = international[brazilian]
    drop[international] += size

    # _maybe_extract_country_code without a prefix: a leading 55 is the country code when the
    # number did not match the general pattern with it but does without, or was too long with it.
    starts_cc = head // _POWERS_OF_TEN[width - size] == int(cc)
    cc_rows = np.flatnonzero(domestic & starts_cc & (lengths >= size))
    without = lengths[cc_rows] - size
    without_value = value[cc_rows] % _POWERS_OF_TEN[without]
    without_drop = size + national_prefix_drop(rules, without_value, without)
    without = lengths[cc_rows] - without_drop
    better = _by_length(rules.too_long, lengths[cc_rows])
    unsure = np.flatnonzero(~better)
    rows = cc_rows[unsure]
    better[unsure] = ~_matches_general(rules.main, value[rows], lengths[rows]) & (
        _matches_general(rules.main, value[rows] % _POWERS_OF_TEN[without[unsure]], without[unsure])
    )
    cc_rows = cc_rows[better]
    drop[cc_rows] = without_drop[better]

    # parse: the national prefix / carrier code is removed when what remains is long enough.
    # Only rows changed above or starting with a prefix can still begin with one.
    domestic[cc_rows] = False
    unchanged = prefixed[domestic[prefixed]]
    rows = np.concatenate([international, cc_rows, unchanged])
    rest = lengths[rows] - drop[rows]
    extra = national_prefix_drop(rules, value[rows] % _POWERS_OF_TEN[rest], rest)
    use_stripped = (extra > 0) & ~_by_length(rules.keeps_prefix, rest - extra)
    drop[rows[use_stripped]] += extra[use_stripped]

    national_length = lengths - drop
    national_value = value % _POWERS_OF_TEN[national_length]
    type_code = number_types(rules.main, national_value, national_length)
    # The parser refuses too short or too long national numbers: not valid either way.
    refused = (national_length < MIN_NATIONAL_LENGTH) | (national_length > MAX_NATIONAL_LENGTH)
    type_code[refused] = UNKNOWN_TYPE
    abroad_length = lengths[abroad] - drop[abroad]
    abroad_value = value[abroad] % _POWERS_OF_TEN[abroad_length]
    return DigitAnswers(
        decided, national_length, national_value, type_code, abroad, abroad_length, abroad_value
    )


def number_types(region: Region, value: IntArray, lengths: IntArray) -> TypeArray:
    """Tell what ``number_type`` says of a region's national significant numbers.

    A description matches when the length is one of its possible lengths and its pattern matches
    the whole number. Nothing is valid without the general description; then the first special
    type in the library's order wins, then fixed line (``FIXED_LINE_OR_MOBILE`` when the mobile
    description matches too), then mobile. What each state the automaton ends in means, for
    each length, is worked out once (:func:`_type_table`).
    """
    state = region.patterns.states_values(value, lengths)
    size = np.minimum(lengths, LENGTH_LIMIT - 1)
    found: TypeArray = _type_table(region)[state.astype(np.int64) * LENGTH_LIMIT + size]
    return found


@functools.cache
def _type_table(region: Region) -> TypeArray:
    """Return the type of a number by its last state and length: ``[state * LENGTH_LIMIT + size]``.

    Lengths from ``LENGTH_LIMIT - 1`` up share the last column, as in the descriptions' tables.
    """
    states = len(region.patterns.accepts)
    matched = np.repeat(region.patterns.accepts, LENGTH_LIMIT)
    size = np.tile(np.arange(LENGTH_LIMIT), states)

    def matching(desc: NumberDesc | None) -> BoolArray:
        if desc is None:
            return np.zeros(len(matched), dtype=np.bool_)
        found: BoolArray = ((matched & desc.bit) != 0) & desc.length_ok[size]
        return found

    type_code = np.full(len(matched), UNKNOWN_TYPE, dtype=np.int16)
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
