"""Match several digit patterns at once on a whole column, with one deterministic automaton.

libphonenumber tells a number's type by matching its national number against one regular
expression per line type (``re.fullmatch``). :func:`compile_patterns` turns those expressions
into a single automaton over the ten digits, built when first needed from the patterns of the
installed metadata (read with the parser of Python's ``re``, the module the library itself uses).
:meth:`Automaton.matches` then reads each number of a column once and says which of the patterns
match it whole: the first six digits through a lookup table, the rest three digits at a time.

A pattern with something the automaton does not model (anchors, look-arounds, back references,
possessive repeats, ...) gives no automaton, and the caller asks the library instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["MAX_DIGITS", "MAX_PATTERNS", "Automaton", "compile_patterns"]

IntArray = npt.NDArray[np.int64]
StateArray = npt.NDArray[np.int16]
MatchArray = npt.NDArray[np.uint32]

#: The longest number :meth:`Automaton.matches` reads (its value must fit an int64).
MAX_DIGITS = 18
#: At most this many patterns (one bit each in the answer).
MAX_PATTERNS = 32
# More states than this and the tables would grow large: the caller falls back to the library.
_MAX_STATES = 4096
# Digits read by the first lookup, and at each of the following ones.
_HEAD_DIGITS = 6
_STEP_DIGITS = 3
_DIGITS = frozenset(range(10))
_POWERS_OF_TEN = 10 ** np.arange(MAX_DIGITS + 1, dtype=np.int64)


class _Unsupported(Exception):
    """A construct of the pattern that the automaton does not model."""


@dataclass(frozen=True)
class Automaton:
    """A deterministic automaton over digits that recognises several patterns at once.

    Attributes
    ----------
    step : numpy.ndarray of int16, shape (states, 10)
        The state after reading each digit in each state (state 0 is the start).
    accepts : numpy.ndarray of uint32
        For each state, bit ``i`` set when pattern ``i`` matches what was read to reach it.
    head : tuple of numpy.ndarray of int16
        ``head[k][p]``: the state reached from the start by the ``k`` digits of ``p``
        (leading zeros included), for ``k`` up to six.
    chunk : tuple of numpy.ndarray of int16
        ``chunk[k][s * 10**k + p]``: the state reached from state ``s`` by the ``k`` digits of
        ``p``, for ``k`` up to three.
    """

    step: StateArray
    accepts: MatchArray
    head: tuple[StateArray, ...]
    chunk: tuple[StateArray, ...]

    def matches(self, numbers: pa.LargeStringArray) -> MatchArray:
        """For each number (ASCII digits only), which patterns match it whole, as bits.

        Raises
        ------
        ValueError
            When a number has more than :data:`MAX_DIGITS` digits.
        """
        lengths = np.asarray(
            pc.binary_length(numbers).to_numpy(zero_copy_only=False), dtype=np.int64
        )
        if len(numbers) and int(lengths.max()) > MAX_DIGITS:
            raise ValueError(f"numbers of more than {MAX_DIGITS} digits cannot be matched")
        value = np.zeros(len(numbers), dtype=np.int64)
        filled = np.flatnonzero(lengths > 0)
        some = numbers if len(filled) == len(numbers) else numbers.take(pa.array(filled))
        value[filled] = pc.cast(some, pa.int64()).to_numpy(zero_copy_only=False)
        return self.matches_values(value, lengths)

    def matches_values(self, value: IntArray, lengths: IntArray) -> MatchArray:
        """Do what :meth:`matches` does, for numbers given as their value and their length.

        Leading zeros count: 7 of length 3 is ``"007"``. At most :data:`MAX_DIGITS` digits.
        """
        found: MatchArray = self.accepts[self.states_values(value, lengths)]
        return found

    def states_values(self, value: IntArray, lengths: IntArray) -> StateArray:
        """Return the state each number ends in (given as for :meth:`matches_values`)."""
        state = np.zeros(len(value), dtype=np.int16)
        for length in np.flatnonzero(np.bincount(lengths)):
            rows = np.flatnonzero(lengths == length)
            state[rows] = self._read(value[rows], int(length))
        return state

    def _read(self, value: IntArray, length: int) -> StateArray:
        """Return the state reached by numbers of ``length`` digits (``value``: their digits)."""
        first = min(length, _HEAD_DIGITS)
        rest = length - first
        state: StateArray = self.head[first][value // _POWERS_OF_TEN[rest]]
        while rest:
            size = min(rest, _STEP_DIGITS)
            rest -= size
            digits = value // _POWERS_OF_TEN[rest] % _POWERS_OF_TEN[size]
            state = self.chunk[size][state.astype(np.int64) * _POWERS_OF_TEN[size] + digits]
        return state


def compile_patterns(patterns: Sequence[str]) -> Automaton | None:
    """One automaton that tells which of ``patterns`` match a digit string whole.

    Parameters
    ----------
    patterns : sequence of str
        Regular expressions (Python syntax), at most :data:`MAX_PATTERNS`.

    Returns
    -------
    Automaton or None
        None when a pattern uses something the automaton does not model, or the automaton
        would be too large.
    """
    if len(patterns) > MAX_PATTERNS:
        return None
    parser: Any = importlib.import_module("re._parser")  # what ``re.compile`` reads patterns with
    nfa = _Nfa()
    starts, finals = [], []
    try:
        for pattern in patterns:
            starts.append(nfa.new_state())
            finals.append(nfa.add_sequence(parser.parse(pattern), starts[-1]))
    except Exception:  # the parse tree is not public API: any surprise means "not modelled"
        return None
    found = _determinise(nfa, starts, finals)
    if found is None:
        return None
    step, accepts = found
    head = [np.zeros(1, dtype=np.int16)]
    for _ in range(_HEAD_DIGITS):  # k digits: the state after k - 1 of them, then one more
        head.append(step[head[-1]].reshape(-1))
    chunk = [np.arange(len(step), dtype=np.int16)]
    for _ in range(_STEP_DIGITS):  # from each state, as for head
        chunk.append(step[chunk[-1].reshape(len(step), -1)].reshape(-1))
    return Automaton(step=step, accepts=accepts, head=tuple(head), chunk=tuple(chunk))


class _Nfa:
    """A nondeterministic automaton over digits, built from parse trees of ``re``."""

    def __init__(self) -> None:
        self.empty: list[list[int]] = []  # moves that read nothing
        self.moves: list[list[tuple[frozenset[int], int]]] = []  # moves that read one digit

    def new_state(self) -> int:
        self.empty.append([])
        self.moves.append([])
        return len(self.empty) - 1

    def add_sequence(self, items: Any, start: int) -> int:
        """Add the states that read ``items`` one after the other; return the last one."""
        for op, argument in items:
            start = self._add_item(str(op), argument, start)
        return start

    def _add_item(self, op: str, argument: Any, start: int) -> int:
        if op in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            end = self.new_state()
            self.moves[start].append((_digits_of(op, argument), end))
            return end
        if op == "SUBPATTERN":
            return self.add_sequence(argument[-1], start)
        if op == "BRANCH":
            end = self.new_state()
            for branch in argument[1]:
                entry = self.new_state()
                self.empty[start].append(entry)
                self.empty[self.add_sequence(branch, entry)].append(end)
            return end
        if op in ("MAX_REPEAT", "MIN_REPEAT"):  # greedy or lazy: the same whole matches
            low, high, body = argument
            for _ in range(low):
                start = self.add_sequence(body, start)
            if str(high) == "MAXREPEAT":
                loop = self.new_state()
                self.empty[start].append(loop)
                self.empty[self.add_sequence(body, loop)].append(loop)
                return loop
            end = self.new_state()
            self.empty[start].append(end)
            for _ in range(high - low):
                start = self.add_sequence(body, start)
                self.empty[start].append(end)
            return end
        raise _Unsupported(op)

    def closure(self, states: set[int]) -> frozenset[int]:
        """``states`` and every state reachable from them without reading a digit."""
        seen = set(states)
        todo = list(states)
        while todo:
            for state in self.empty[todo.pop()]:
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
        return frozenset(seen)


def _digits_of(op: str, argument: Any) -> frozenset[int]:
    """Return the digits that one character of the pattern matches."""
    if op == "LITERAL":
        return _DIGITS & {argument - ord("0")}
    if op == "NOT_LITERAL":
        return _DIGITS - {argument - ord("0")}
    if op == "ANY":
        return _DIGITS
    found: set[int] = set()
    negate = False
    for item, value in argument:
        kind = str(item)
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            found |= _DIGITS & {value - ord("0")}
        elif kind == "RANGE":
            found |= {d for d in _DIGITS if value[0] <= d + ord("0") <= value[1]}
        elif kind == "CATEGORY" and str(value) == "CATEGORY_DIGIT":
            found |= _DIGITS
        elif not (kind == "CATEGORY" and str(value) == "CATEGORY_NOT_DIGIT"):
            raise _Unsupported(kind)
    return _DIGITS - found if negate else frozenset(found)


def _determinise(
    nfa: _Nfa, starts: list[int], finals: list[int]
) -> tuple[StateArray, MatchArray] | None:
    """Build the subset construction: each state of the result is a set of states of ``nfa``."""
    first = nfa.closure(set(starts))
    number = {first: 0}
    subsets = [first]
    step: list[list[int]] = []
    while len(step) < len(subsets):
        subset = subsets[len(step)]
        row = []
        for digit in range(10):
            reached = nfa.closure(
                {end for state in subset for digits, end in nfa.moves[state] if digit in digits}
            )
            if reached not in number:
                if len(subsets) == _MAX_STATES:
                    return None
                number[reached] = len(subsets)
                subsets.append(reached)
            row.append(number[reached])
        step.append(row)
    accepts = [
        sum(1 << i for i, final in enumerate(finals) if final in subset) for subset in subsets
    ]
    return np.array(step, dtype=np.int16), np.array(accepts, dtype=np.uint32)
