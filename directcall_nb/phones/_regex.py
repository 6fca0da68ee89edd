"""What Python's ``re`` and RE2 make of libphonenumber's patterns.

:func:`first_digits` tells which digits a match can begin with (read from the parse tree of
``re``), :func:`compiles_in_re2` whether ``pyarrow.compute`` can run a pattern, :func:`anchored`
anchors one for a prefix or a whole match.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["anchored", "compiles_in_re2", "first_digits", "group_ends_pattern"]

BoolArray = npt.NDArray[np.bool_]
_ALL_DIGITS = frozenset(range(10))


def anchored(pattern: str, *, at_end: bool) -> str:
    """Return ``pattern`` anchored at the start, and at the end too when ``at_end``."""
    return "^(?:" + pattern + (")$" if at_end else ")")


def first_digits(pattern: str) -> BoolArray:
    """Return the digits a match of ``pattern`` can begin with (all ten when unsure).

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
    """Return (digits a match can begin with, whether it can be empty) for a parsed sequence."""
    found: set[int] = set()
    for op, arg in items:
        digits, can_be_empty = _first_of_item(str(op), arg)
        found |= digits
        if not can_be_empty:
            return found, False
    return found, True


def _first_of_item(op: str, arg: Any) -> tuple[set[int], bool]:
    """Return (digits a match can begin with, whether it can be empty) for one parsed item."""
    if op == "LITERAL":
        return ({arg - ord("0")} if ord("0") <= arg <= ord("9") else set()), False
    if op == "IN":
        return _first_of_class(arg), False
    if op == "SUBPATTERN":
        return _first_of_sequence(arg[-1])
    if op == "BRANCH":
        return _first_of_branches(arg[1])
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        digits, can_be_empty = _first_of_sequence(arg[2])
        return digits, can_be_empty or arg[0] == 0
    raise ValueError(op)  # anything else: unsure


def _first_of_class(members: Any) -> set[int]:
    """Return the digits a character class (``[...]``) matches; all ten when unsure."""
    found: set[int] = set()
    for kind, value in members:
        kind = str(kind)
        if kind == "LITERAL" and ord("0") <= value <= ord("9"):
            found.add(value - ord("0"))
        elif kind == "RANGE":
            found |= {d for d in _ALL_DIGITS if value[0] <= d + ord("0") <= value[1]}
        elif kind not in ("LITERAL",):  # negation, \d, \w, ...: assume any digit
            return set(_ALL_DIGITS)
    return found


def _first_of_branches(branches: Any) -> tuple[set[int], bool]:
    """Return (digits a match can begin with, whether it can be empty) for alternatives."""
    found: set[int] = set()
    can_be_empty = False
    for branch in branches:
        digits, empty = _first_of_sequence(branch)
        found |= digits
        can_be_empty = can_be_empty or empty
    return found, can_be_empty


def compiles_in_re2(pattern: str) -> bool:
    """Tell whether RE2 (``pyarrow.compute``) accepts ``pattern``."""
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True


def group_ends_pattern(pattern: str, group: int) -> bool:
    """Tell whether every match of ``pattern`` in which ``group`` takes part ends where it does.

    Read from the parse tree of Python's ``re``; False when unsure.
    """
    try:
        parser: Any = importlib.import_module("re._parser")
        return _ends_with_group(list(parser.parse(pattern)), group)
    except Exception:  # the parse tree is not public API: any surprise means "unsure"
        return False


def _ends_with_group(items: list[Any], group: int) -> bool:
    if not items:
        return False
    op, arg = items[-1]
    op = str(op)
    if op == "SUBPATTERN":
        return bool(arg[0] == group) or _ends_with_group(list(arg[-1]), group)
    if op in ("MAX_REPEAT", "MIN_REPEAT") and arg[1] == 1:  # at most once
        return _ends_with_group(list(arg[2]), group)
    return False
