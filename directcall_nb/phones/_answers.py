"""The answers of a piece of a column: a table of distinct answers, and each row's place in it.

:class:`Answers` collects, for a piece of the column, the answers found by each way of finding
them (reasons known from the cell alone, the Brazilian rules, other countries' rules, the
library) as :class:`Table` s, and for each row the position of its answer (``rows``; -1 while
undecided). :meth:`Answers.columns` then gives every row's answer at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.memory import lasting_pool
from directcall_nb.phones import _abroad as abroad_mod
from directcall_nb.phones import _input as input_mod
from directcall_nb.phones import _metadata as metadata
from directcall_nb.phones import _reasons as reasons_mod
from directcall_nb.phones import _rules as rules_mod
from directcall_nb.phones import _text as text_mod
from directcall_nb.phones._library import PhoneResult

__all__ = ["Abroad", "Answers", "Columns", "Table", "add_abroad"]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
TypeArray = npt.NDArray[np.int16]

_TEXT = pa.large_string()
_UNKNOWN = metadata.UNKNOWN_TYPE
_TYPE_CODES = {name: code for code, name in metadata.TYPE_NAMES.items() if code != _UNKNOWN}
_TYPE_NAMES = pa.array(sorted(_TYPE_CODES), _TEXT)


def _name_positions() -> IntArray:
    """PhoneNumberType code → position of its name in ``_TYPE_NAMES`` (-1: no line type)."""
    positions = np.full(max(metadata.TYPE_NAMES) + 1, -1, dtype=np.int64)
    for position, name in enumerate(sorted(_TYPE_CODES)):
        positions[_TYPE_CODES[name]] = position
    return positions


_NAME_AT = _name_positions()


@dataclass(frozen=True)
class Table:
    """Distinct answers.

    Attributes
    ----------
    phone : pyarrow.LargeStringArray or numpy.ndarray of int
        The phone of each answer (read only where valid): text, or its digits as a number
        (which then begins with no 0).
    valid : numpy.ndarray of bool
    type_code : numpy.ndarray of int16
        The ``PhoneNumberType`` code; ``UNKNOWN_TYPE`` for no line type.
    reason_at : numpy.ndarray of int
        The position of each answer's reason in ``reasons`` (-1: none).
    reasons : pyarrow.LargeStringArray
    """

    phone: pa.LargeStringArray | IntArray
    valid: BoolArray
    type_code: TypeArray
    reason_at: IntArray
    reasons: pa.LargeStringArray

    @classmethod
    def of_results(cls, results: list[PhoneResult]) -> Table:
        """Return the table of answers given one by one."""
        has_reason = np.array([r.reason is not None for r in results], dtype=np.bool_)
        reason_at = np.cumsum(has_reason, dtype=np.int64) - 1
        return cls(
            pa.array([r.phone for r in results], _TEXT),
            np.array([r.valid for r in results], dtype=np.bool_),
            np.array([_TYPE_CODES.get(r.line_type or "", _UNKNOWN) for r in results], np.int16),
            np.where(has_reason, reason_at, -1),
            pa.array([r.reason for r in results if r.reason is not None], _TEXT),
        )

    @classmethod
    def of_reasons(cls, reasons: pa.LargeStringArray) -> Table:
        """One answer, not valid, for each reason."""
        count = len(reasons)
        return cls(
            pa.nulls(count, _TEXT),
            np.zeros(count, dtype=np.bool_),
            np.full(count, _UNKNOWN, dtype=np.int16),
            np.arange(count, dtype=np.int64),
            reasons,
        )

    def part(self, start: int, stop: int) -> Table:
        """Return the answers from ``start`` up to ``stop``, with their reasons only.

        The reasons must be in the answers' order, as every table's are.
        """
        reason_at = self.reason_at[start:stop]
        held = reason_at[reason_at >= 0]
        first, last = (int(held[0]), int(held[-1]) + 1) if len(held) else (0, 0)
        return Table(
            self.phone[start:stop],
            self.valid[start:stop],
            self.type_code[start:stop],
            np.where(reason_at >= 0, reason_at - first, -1),
            self.reasons[first:last],
        )


@dataclass(frozen=True)
class Abroad:
    """The rows of a piece written for another country, waiting to be answered.

    Attributes
    ----------
    rows : numpy.ndarray of int
        Their places in the piece (ascending).
    value, lengths : numpy.ndarray of int
        Their digits after the international prefix, as a number, and how many.
    """

    rows: IntArray
    value: IntArray
    lengths: IntArray

    @classmethod
    def none(cls) -> Abroad:
        """No row waiting."""
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, empty)


@dataclass(frozen=True)
class Columns:
    """The answer of each row of a piece of the column."""

    phone: pa.LargeStringArray
    valid: BoolArray
    line_type: pa.DictionaryArray
    reason: pa.DictionaryArray


class Answers:
    """The distinct answers found so far for a piece of the column."""

    def __init__(self, allow_international: bool) -> None:
        self.allow_international = allow_international
        self._tables: list[Table] = []
        self._size = 0
        self.abroad = Abroad.none()

    def add(self, table: Table) -> int:
        """Keep ``table``; return the position of its first answer."""
        start = self._size
        self._tables.append(table)
        self._size += len(table.valid)
        return start

    def add_known(self, column: input_mod.Column) -> IntArray:
        """Answer the rows where the cell alone tells (empty, not a phone number).

        Returns the position of each row's answer, -1 for the rows still undecided.
        """
        rows = np.full(len(column.text), -1, dtype=np.int64)
        if len(column.known):
            encoded = pc.dictionary_encode(column.reasons)
            start = self.add(Table.of_reasons(encoded.dictionary.cast(_TEXT)))
            rows[column.known] = start + encoded.indices.to_numpy(zero_copy_only=False)
        return rows

    def add_plain(self, rules: metadata.Rules, rows: IntArray, found: text_mod.PlainRows) -> None:
        """Answer the plainly written rows with the column rules, once per number.

        Rows written for another country wait in ``abroad``, for `add_abroad`.
        """
        plain_rows = np.flatnonzero(found.plain & (rows < 0))
        if len(plain_rows) == 0:
            return
        groups = text_mod.distinct_numbers(
            found.plus[plain_rows], found.lengths[plain_rows], found.value[plain_rows]
        )
        first = plain_rows[groups.first]
        answer = rules_mod.classify_digits(rules, found.plus[first], groups.lengths, groups.value)
        valid = answer.type_code != _UNKNOWN
        invalid = np.flatnonzero(answer.decided & ~valid)
        reason_at = np.full(len(valid), -1, dtype=np.int64)
        reason_at[invalid] = np.arange(len(invalid))
        reasons = reasons_mod.brazilian_reasons(rules, answer.national(invalid))
        phone = answer.with_country_code(rules.country_code)
        start = self.add(Table(phone, valid, answer.type_code, reason_at, reasons))
        position = np.where(answer.decided, start + np.arange(len(valid)), -1)
        group_position = position[groups.group]
        decided_rows = group_position >= 0
        rows[plain_rows[decided_rows]] = group_position[decided_rows]
        if len(answer.abroad):  # numbers of other countries: answered for the whole column
            of_group = np.full(len(valid), -1, dtype=np.int64)
            of_group[answer.abroad] = np.arange(len(answer.abroad))
            abroad_at = of_group[groups.group]
            pending = np.flatnonzero(abroad_at >= 0)
            abroad_at = abroad_at[pending]
            self.abroad = Abroad(
                plain_rows[pending], answer.abroad_value[abroad_at], answer.abroad_length[abroad_at]
            )

    def columns(self, rows: IntArray) -> Columns:
        """Return the answer of every row (all decided)."""
        tables = [*self._tables, Table.of_results([])]  # so that there is something to join
        reason_offset = np.cumsum([0] + [len(t.reasons) for t in tables[:-1]], dtype=np.int64)
        valid = np.concatenate([t.valid for t in tables])[rows]
        type_code = np.concatenate([t.type_code for t in tables])[rows]
        name_at = _NAME_AT[type_code]
        all_reason_at = np.concatenate(
            [
                np.where(t.reason_at >= 0, t.reason_at + o, -1)
                for t, o in zip(tables, reason_offset, strict=True)
            ]
        )
        reason_at = all_reason_at[rows]
        return Columns(
            phone=self._phones(tables, rows, valid),
            valid=valid,
            line_type=pa.DictionaryArray.from_arrays(
                pa.array(name_at.astype(np.int8), mask=name_at < 0), _TYPE_NAMES
            ),
            reason=pa.DictionaryArray.from_arrays(
                pa.array(reason_at.astype(np.int32), mask=reason_at < 0),
                pa.concat_arrays([t.reasons for t in tables]),
            ),
        )

    @staticmethod
    def _phones(tables: list[Table], rows: IntArray, valid: BoolArray) -> pa.LargeStringArray:
        """Return the phone of each valid row: numbers written out at once, then the texts.

        Written in `directcall_nb.memory.lasting_pool`: the column's answers keep them.
        """
        numeric = [isinstance(t.phone, np.ndarray) for t in tables]
        sizes = [len(t.valid) for t in tables]
        is_number = np.repeat(np.array(numeric, dtype=np.bool_), sizes)[rows] & valid
        numbers = np.concatenate(
            [t.phone if isinstance(t.phone, np.ndarray) else np.zeros(n, np.int64)
             for t, n in zip(tables, sizes, strict=True)]
        )  # fmt: skip
        phone = pc.cast(pa.array(numbers[rows], mask=~is_number), _TEXT, memory_pool=lasting_pool())
        is_text = valid & ~is_number
        if not is_text.any():
            return phone
        texts = pa.concat_arrays(
            [t.phone if not isinstance(t.phone, np.ndarray) else pa.nulls(n, _TEXT)
             for t, n in zip(tables, sizes, strict=True)]
        )  # fmt: skip
        written = texts.take(pa.array(rows, mask=~is_text))
        found: pa.LargeStringArray = pc.if_else(
            pa.array(is_number), phone, written, memory_pool=lasting_pool()
        )
        return found


def add_abroad(pieces: Sequence[tuple[Answers, IntArray]]) -> None:
    """Answer the rows written for other countries of every piece of a column, all at once.

    Each piece is its answers and the position of each row's answer (``rows``), where the rows
    answered are set; those the rules cannot decide stay -1, for the library. Other countries'
    rules cost about the same for a few numbers as for many, so they are applied once.
    """
    waiting = [answers.abroad for answers, _ in pieces]
    value = np.concatenate([np.zeros(0, np.int64), *(w.value for w in waiting)])
    if len(value) == 0:
        return
    lengths = np.concatenate([w.lengths for w in waiting])
    table, position = _abroad_table(value, lengths, pieces[0][0].allow_international)
    start = 0
    for (answers, rows), pending in zip(pieces, waiting, strict=True):
        here = position[start : start + len(pending.rows)]
        start += len(pending.rows)
        answers.abroad = Abroad.none()
        decided = here >= 0
        if not decided.any():
            continue
        first, last = int(here[decided][0]), int(here[decided][-1]) + 1  # ascending
        at = answers.add(table.part(first, last))
        rows[pending.rows[decided]] = at + here[decided] - first


def _abroad_table(
    value: IntArray, lengths: IntArray, allow_international: bool
) -> tuple[Table, IntArray]:
    """Answer numbers of other countries: their table, and each one's place in it (-1: not)."""
    answer = abroad_mod.classify_abroad(value, lengths)
    kept = np.flatnonzero(answer.decided)
    type_code = answer.type_code[kept]
    known_valid = type_code != _UNKNOWN
    valid = known_valid & allow_international
    reason_at = np.where(valid, -1, np.cumsum(~valid, dtype=np.int64) - 1)
    refused = np.flatnonzero(~valid)
    reasons = reasons_mod.abroad_reasons(
        rules_mod.take(answer.place, kept[refused]), known_valid[refused]
    )
    phone = rules_mod.take(answer.international, kept)
    position = np.full(len(value), -1, dtype=np.int64)
    position[kept] = np.arange(len(kept))
    return Table(phone, valid, type_code, reason_at, reasons), position
