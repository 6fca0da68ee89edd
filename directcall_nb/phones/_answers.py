"""The answers of a piece of a column: a table of distinct answers, and each row's place in it.

:class:`Answers` collects, for a piece of the column, the answers found by each way of finding
them (reasons known from the cell alone, the Brazilian rules, other countries' rules, the
library) as :class:`Table` s, and for each row the position of its answer (``rows``; -1 while
undecided). :meth:`Answers.columns` then gives every row's answer at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.phones import _abroad as abroad_mod
from directcall_nb.phones import _input as input_mod
from directcall_nb.phones import _metadata as metadata
from directcall_nb.phones import _reasons as reasons_mod
from directcall_nb.phones import _rules as rules_mod
from directcall_nb.phones import _text as text_mod
from directcall_nb.phones._library import PhoneResult

__all__ = ["Answers", "Columns", "Table"]

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
        """Answer the plainly written rows with the column rules, once per number."""
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
        # numbers of other countries, in the same table's order
        position = np.where(answer.decided, start + np.arange(len(valid)), -1)
        if len(answer.abroad):
            decided = self._add_abroad(answer.abroad_value, answer.abroad_length)
            position[answer.abroad[decided >= 0]] = decided[decided >= 0]
        group_position = position[groups.group]
        decided_rows = group_position >= 0
        rows[plain_rows[decided_rows]] = group_position[decided_rows]

    def _add_abroad(self, value: IntArray, lengths: IntArray) -> IntArray:
        """Answer numbers of other countries; the position of each one's answer (-1: not)."""
        answer = abroad_mod.classify_abroad(value, lengths)
        kept = np.flatnonzero(answer.decided)
        type_code = answer.type_code[kept]
        known_valid = type_code != _UNKNOWN
        valid = known_valid & self.allow_international
        reason_at = np.where(valid, -1, np.cumsum(~valid, dtype=np.int64) - 1)
        refused = np.flatnonzero(~valid)
        reasons = reasons_mod.abroad_reasons(
            rules_mod.take(answer.place, kept[refused]), known_valid[refused]
        )
        phone = rules_mod.take(answer.international, kept)
        start = self.add(Table(phone, valid, type_code, reason_at, reasons))
        position = np.full(len(value), -1, dtype=np.int64)
        position[kept] = start + np.arange(len(kept))
        return position

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
        """Return the phone of each valid row: numbers written out at once, then the texts."""
        numeric = [isinstance(t.phone, np.ndarray) for t in tables]
        sizes = [len(t.valid) for t in tables]
        is_number = np.repeat(np.array(numeric, dtype=np.bool_), sizes)[rows] & valid
        numbers = np.concatenate(
            [t.phone if isinstance(t.phone, np.ndarray) else np.zeros(n, np.int64)
             for t, n in zip(tables, sizes, strict=True)]
        )  # fmt: skip
        phone = pc.cast(pa.array(numbers[rows], mask=~is_number), _TEXT)
        is_text = valid & ~is_number
        if not is_text.any():
            return phone
        texts = pa.concat_arrays(
            [t.phone if not isinstance(t.phone, np.ndarray) else pa.nulls(n, _TEXT)
             for t, n in zip(tables, sizes, strict=True)]
        )  # fmt: skip
        written = texts.take(pa.array(rows, mask=~is_text))
        found: pa.LargeStringArray = pc.if_else(pa.array(is_number), phone, written)
        return found
