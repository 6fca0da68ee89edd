"""A template's message measured on every row of a frame, and written out where needed.

Nothing here loops over rows in Python. :func:`measure` adds, for a template, the per-row
numbers of its columns' facts (:mod:`directcall_nb.text._columns`) and the constants of its
literals (:mod:`directcall_nb.text._pieces`), so trying a new template text on a million rows
costs a few array sums.

Under ``policy="gsm"`` a row longer than one part whose text holds a multi-unit item (an
extension character in GSM-7, an emoji or accented cluster in UCS-2) cannot be counted with
``ceil(units / 153)``: an item that straddles a part boundary moves to the next part. Those rows
are split exactly by walking their part boundaries over the pieces (literals and values) with
array operations, looking the items up in per-value indexes. Only rows where a grapheme cluster
may span two pieces (a value starting with a combining accent, say) or is unusually long are
rendered and counted one by one with :func:`count_segments`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from directcall_nb.errors import InputError
from directcall_nb.text._columns import ColumnFacts, distinct_facts
from directcall_nb.text._gsm import GSM7_LIMITS, UCS2_LIMITS, count_parts_vectorised
from directcall_nb.text._pieces import (
    Piece,
    any_of,
    column_piece,
    literal_piece,
    same_as_chars,
    summed,
    totals,
)
from directcall_nb.text._segments import check_options, count_segments, sender_digits
from directcall_nb.text._template import Template
from directcall_nb.vocabulary import MAX_TEXT_CHARACTERS, SMS_CHARACTERS, Channel, Policy

__all__ = ["TextMeasure", "measure", "render"]

_I64 = npt.NDArray[np.int64]
_Int = npt.NDArray[np.signedinteger[Any]]
_Bool = npt.NDArray[np.bool_]
_Obj = npt.NDArray[np.object_]
_I16 = npt.NDArray[np.int16]
#: The longest message measured with a look-up table of SMS parts.
_LOOKUP_LIMIT = 1 << 16


@dataclass(frozen=True, eq=False)
class TextMeasure:
    """A template's message measured on every row.

    Attributes
    ----------
    chars, units, segments : numpy.ndarray of int16, int32 or int64
        As in :class:`SegmentCount`: code points billed, units the policy counts, billable
        units (0 for an empty message); as narrow as the longest message allows (int16 below
        16,384 units, int64 beyond 2**31). ``units`` is ``chars`` itself where they are equal.
    ucs2 : numpy.ndarray of bool
        The row's message needs UCS-2.
    missing : numpy.ndarray of bool
        A column the template uses is missing on that row (and no ``fill`` was given); the
        other measures are those of the message with the missing values left empty.
    missing_column : numpy.ndarray of int16
        The first missing column the template uses, as its index in ``template.columns``, or
        -1.
    too_long : numpy.ndarray of bool
        The message is over 700 characters (its segments are then a plain estimate).
    empty : numpy.ndarray of bool
        The message is empty or only white space (a non-breaking space included).
    forbidden : numpy.ndarray of bool
        A column's value holds a character DirectCall cannot carry (a control character, text
        that is not valid Unicode).
    forbidden_column : numpy.ndarray of int16
        The first such column the template uses, as its index in ``template.columns``, or -1.
    """

    chars: _Int
    units: _Int
    segments: _Int
    ucs2: _Bool
    missing: _Bool
    missing_column: _I16
    too_long: _Bool
    empty: _Bool
    forbidden: _Bool
    forbidden_column: _I16


def _check_facts(template: Template, facts: Mapping[str, ColumnFacts], n_rows: int) -> None:
    template.check_names(facts.keys())
    for name in template.columns:
        if len(facts[name]) != n_rows:
            raise InputError(
                f"the facts of column {name!r} cover {len(facts[name])} rows, "
                f"not {n_rows}: measure every column of the same frame"
            )


def _concat(template: Template, values: Mapping[str, _Obj], n_rows: int) -> _Obj:
    out: _Obj = np.full(n_rows, template.literals[0], dtype=object)
    for name, literal in zip(template.fields, template.literals[1:], strict=True):
        out = out + values[name]
        if literal:
            out = out + literal
    return out


def _filled(facts: ColumnFacts, rows: npt.NDArray[np.intp], fill: str | None) -> _Obj:
    values = facts.values_at(rows)
    return values if fill is None else np.where(facts.missing[rows], fill, values)


def render(
    template: Template,
    facts: Mapping[str, ColumnFacts],
    rows: npt.NDArray[np.intp] | npt.NDArray[np.bool_] | slice | None = None,
    *,
    fill: str | None = None,
    n_rows: int | None = None,
) -> _Obj:
    """Write the final message of each row (or of the selected ``rows``).

    Parameters
    ----------
    template : Template
    facts : mapping of str to ColumnFacts
        The facts of each column the template uses, by placeholder name.
    rows : array of positions, boolean mask, or slice, optional
        The rows to render; all by default.
    fill : str, optional
        Written in place of a missing value. Without it, a row with a missing value gives None.
    n_rows : int, optional
        The frame's number of rows; needed only when ``facts`` is empty (a template without
        placeholders).

    Returns
    -------
    numpy.ndarray of object
        One str (or None) per selected row.
    """
    template.check_names(facts.keys())
    if facts:
        n_rows = len(next(iter(facts.values())))
    elif n_rows is None:
        raise InputError("render needs n_rows when no column facts are given")
    selection = _positions(rows, n_rows)
    values = {name: _filled(facts[name], selection, fill) for name in template.columns}
    out = _concat(template, values, len(selection))
    if fill is None and template.columns:
        gaps = np.logical_or.reduce([facts[name].missing[selection] for name in template.columns])
        out[gaps] = None
    return out


def _positions(rows: npt.NDArray[Any] | slice | None, n_rows: int) -> npt.NDArray[np.intp]:
    """Return the positions ``rows`` selects: positions, a boolean mask, a slice or None (all).

    Positions are used as given (not looked up in an array of every row's position).
    """
    if rows is None:
        return np.arange(n_rows)
    if isinstance(rows, slice) or np.asarray(rows).dtype == np.bool_:
        selected: npt.NDArray[np.intp] = np.arange(n_rows)[rows]
        return selected
    return np.asarray(rows, dtype=np.intp)


def measure(
    template: Template,
    facts: Mapping[str, ColumnFacts],
    n_rows: int,
    *,
    policy: Policy = "directcall",
    channel: Channel = "sms",
    sender: object = None,
    show_sender: bool = False,
    fill: str | None = None,
) -> TextMeasure:
    """Measure a template's message on every row, as :func:`count_segments` would one by one.

    Parameters
    ----------
    template : Template
    facts : mapping of str to ColumnFacts
        :func:`column_facts` of each column the template uses, by placeholder name.
    n_rows : int
        The number of rows of the frame.
    policy, channel, sender, show_sender
        As in :func:`count_segments`.
    fill : str, optional
        Written in place of missing values; without it such rows are flagged ``missing``.

    Raises
    ------
    UnknownPlaceholder
        ``facts`` lacks a column the template uses.
    InvalidSender
        ``show_sender`` without a sender number.
    """
    check_options(policy, channel)
    _check_facts(template, facts, n_rows)
    digits = sender_digits(sender, show_sender, channel)
    fill_facts = None if fill is None else distinct_facts(np.asarray([fill], dtype=object))
    last = len(template.fields)
    pieces = [literal_piece(template.literals[0], n_rows, False, last > 0, billed_only=digits)]
    for k, name in enumerate(template.fields, start=1):
        pieces.append(column_piece(facts[name], fill_facts))
        pieces.append(literal_piece(template.literals[k], n_rows, True, k < last))

    chars, all_gsm, empty = totals(pieces, n_rows)
    text_chars = chars - len(digits) if digits else chars
    too_long, ucs2 = text_chars > MAX_TEXT_CHARACTERS, np.logical_not(all_gsm, out=all_gsm)
    missing, missing_column = _first_flagged(
        template,
        [facts[name].missing if fill is None else None for name in template.columns],
        n_rows,
    )
    forbidden, forbidden_column = _first_flagged(
        template, [facts[name].forbidden for name in template.columns], n_rows
    )
    if channel == "voice":
        units, segments = chars, np.ones(n_rows, dtype=np.int32)
    elif policy == "directcall":
        units, segments = chars, _sms_parts(chars)
    else:
        units, segments = _gsm_segments(pieces, chars, ucs2, _countable(empty, too_long, forbidden))
        whole = np.flatnonzero(segments < 0)
        if len(whole):
            values = {
                name: _filled(facts[name], whole, "" if fill is None else fill)
                for name in template.columns
            }
            for row, text in zip(whole, _concat(template, values, len(whole)), strict=True):
                count = count_segments(text, policy="gsm", sender=sender, show_sender=show_sender)
                segments[row] = count.segments
    if empty.any():
        segments = np.where(empty, 0, segments)
    return TextMeasure(
        chars,
        units,
        segments,
        ucs2,
        missing,
        missing_column,
        too_long,
        empty,
        forbidden,
        forbidden_column,
    )


def _parts(units: _Int, ucs2: _Bool) -> _Int:
    """GSM 03.38 parts of ``units`` septets (GSM-7) or UTF-16 units (UCS-2), by look-up."""
    longest = int(units.max(initial=0))
    if longest > _LOOKUP_LIMIT:
        single = np.where(ucs2, UCS2_LIMITS[0], GSM7_LIMITS[0])
        capacity = np.where(ucs2, UCS2_LIMITS[1], GSM7_LIMITS[1])
        return np.where(units <= single, 1, -(-units // capacity))
    sizes = np.arange(longest + 1, dtype=units.dtype)
    table = np.empty((longest + 1, 2), dtype=units.dtype)
    for column, (one_part, per_part) in enumerate((GSM7_LIMITS, UCS2_LIMITS)):
        table[:, column] = np.where(sizes <= one_part, 1, -(-sizes // per_part))
    index = units * 2
    index += ucs2
    return table.ravel()[index]


def _sms_parts(chars: _Int) -> _Int:
    """SMS of `SMS_CHARACTERS` characters each: a table look-up, quicker than dividing."""
    longest = int(chars.max(initial=0))
    if longest > _LOOKUP_LIMIT:  # a huge cell: a table that long would cost more than it saves
        return -(-chars // SMS_CHARACTERS)
    table = -(-np.arange(longest + 1, dtype=chars.dtype) // SMS_CHARACTERS)
    return table[chars]


def _first_flagged(
    template: Template, flags: Sequence[_Bool | None], n_rows: int
) -> tuple[_Bool, _I16]:
    """Rows any column flags, and the first column that does (its index, -1 for none).

    Columns that flag no row cost nothing: most columns have no missing value and no character
    DirectCall cannot carry, and this runs after every keystroke in the form.
    """
    used = [(k, f) for k, f in enumerate(flags) if f is not None and f.any()]
    if not used:
        none = np.broadcast_to(np.asarray(False), (n_rows,))
        return none, np.broadcast_to(np.asarray(-1, dtype=np.int16), (n_rows,))
    any_flag = np.zeros(n_rows, dtype=bool)
    first = np.full(n_rows, -1, dtype=np.int16)
    for k, flagged in reversed(used):  # the first column wins
        first[flagged] = k
        any_flag |= flagged
    return any_flag, first


def _countable(empty: _Bool, too_long: _Bool, forbidden: _Bool) -> _Bool:
    """Rows whose message is neither empty, too long, nor holds a forbidden character."""
    countable = empty | too_long
    if forbidden.any():
        countable |= forbidden
    return np.logical_not(countable, out=countable)


def _units(pieces: Sequence[Piece], chars: _Int, ucs2: _Bool) -> _Int:
    """Septets (GSM-7 rows) or UTF-16 units (UCS-2 rows): ``chars`` itself where equal."""
    n_rows = len(ucs2)

    def total(name: str) -> _Int:
        return chars if same_as_chars(pieces, name) else summed(pieces, name, n_rows)

    if not ucs2.any():  # the UTF-16 units are not needed (nor their memory)
        return total("septets")
    if ucs2.all():
        return total("utf16")
    return np.where(ucs2, total("utf16"), total("septets"))


def _gsm_segments(
    pieces: Sequence[Piece], chars: _Int, ucs2: _Bool, countable: _Bool
) -> tuple[_Int, _Int]:
    """Units and parts under the GSM rule; -1 marks rows to be counted whole."""
    n_rows = len(ucs2)
    units = _units(pieces, chars, ucs2)
    wide = any_of(pieces, "wide", n_rows)
    irregular = any_of(pieces, "irregular", n_rows)
    segments = _parts(units, ucs2)
    exact = segments > 1
    exact &= wide | irregular
    exact &= countable
    exact_rows = np.flatnonzero(exact)  # the few rows split exactly: the rest is read on them
    del exact
    in_ucs2, joined = ucs2[exact_rows], irregular[exact_rows]
    segments[exact_rows[in_ucs2 & joined]] = -1
    walks = (
        (exact_rows[~in_ucs2], "septets", "gsm_items", GSM7_LIMITS[1]),
        (exact_rows[in_ucs2 & ~joined], "utf16", "ucs2_items", UCS2_LIMITS[1]),
    )
    for rows, length, items, part in walks:
        if len(rows):
            lengths = np.stack([getattr(p, length)[rows] for p in pieces], axis=1)
            codes = np.stack([p.codes[rows] for p in pieces], axis=1)
            indexes = [getattr(p, items) for p in pieces]
            segments[rows] = count_parts_vectorised(lengths, codes, indexes, part)
    return units, segments
