"""The compiled metadata: what :mod:`directcall_nb.phones._metadata` makes of libphonenumber's.

:class:`Region` is what ``number_type`` knows of one region, :class:`Country` what the parser
does after one calling code, :class:`Rules` Brazil's, with the prefixes of a number written
without ``+``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from directcall_nb.phones._automaton import Automaton

__all__ = ["Country", "NumberDesc", "Region", "Rules"]

BoolArray = npt.NDArray[np.bool_]


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
        The bit that says, in what :attr:`Region.patterns` answers, that the pattern matches.
    """

    type_code: int
    pattern: str
    length_ok: BoolArray
    bit: int


@dataclass(frozen=True, eq=False)
class Region:
    """What ``number_type`` knows of one region's national numbers, compiled for columns.

    Attributes
    ----------
    code : str
        The region (``"BR"``), or ``"001"`` for a non-geographic entity.
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

    Two regions are equal only when they are the same object (each is compiled once).
    """

    code: str
    patterns: Automaton
    general: NumberDesc
    special_types: tuple[NumberDesc, ...]
    fixed_line: NumberDesc | None
    mobile: NumberDesc | None
    same_mobile_and_fixed_line_pattern: bool


@dataclass(frozen=True)
class Country:
    """How the parser reads the national number after one country calling code.

    Attributes
    ----------
    country_code : str
        The calling code, e.g. ``"55"``.
    main : Region
        The code's main region: its metadata is what the parser uses.
    region_codes : tuple of str
        The regions that share the code, in the order ``region_code_for_number`` tries them
        (the main one first).
    leading_digits : tuple of int
        For each of those regions, the bit that says, in what :attr:`leading` answers, that a
        number's first digits make it the region's; 0 where a number is the region's when it
        is valid there.
    leading : Automaton or None
        Tells the numbers that begin with each region's leading digits (None: no region has
        any).
    national_prefix : str or None
        The national prefix for parsing (trunk prefix and carrier code), anchored; None when
        there is none.
    national_prefix_replacement : str
        What replaces a matched national prefix (RE2 rewrite syntax).
    national_prefix_starts : numpy.ndarray of bool
        Indexed by digit: whether a match of the national prefix can begin with it (a quick
        filter before the pattern itself is tried).
    starts_with_prefix : Automaton or None
        Tells the numbers that begin with a national prefix (bit 1) and, for Brazil, with the
        international prefix (bit 2); None when there is no national prefix.
    keeps_prefix : numpy.ndarray of bool
        Indexed by length: whether the parser puts a removed national prefix back (the rest
        would be too short, or a local-only length).
    too_long : numpy.ndarray of bool
        Indexed by length: whether the length test says TOO_LONG.
    """

    country_code: str
    main: Region
    region_codes: tuple[str, ...]
    leading_digits: tuple[int, ...]
    leading: Automaton | None
    national_prefix: str | None
    national_prefix_replacement: str
    national_prefix_starts: BoolArray
    starts_with_prefix: Automaton | None
    keeps_prefix: BoolArray
    too_long: BoolArray


@dataclass(frozen=True)
class Rules(Country):
    """Brazil's :class:`Country`, and the prefixes of a number written without ``+``.

    Attributes
    ----------
    idd_prefix : str
        The international dialling prefix (``00`` and a carrier code), anchored at the start.
    any_prefix_starts : numpy.ndarray of bool
        Indexed by digit: whether a match of the international or the national prefix can
        begin with it.
    """

    idd_prefix: str
    any_prefix_starts: BoolArray
