"""Message templates over a frame's columns, and how a cell's value is written into a message."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.errors import TemplateError, UnknownPlaceholder

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "FORBIDDEN_RANGES",
    "SURROGATES",
    "Template",
    "forbidden_character",
    "format_moments",
    "format_value",
    "placeholder_for",
]

_BRACES_HINT = "write {{ and }} for literal braces"
#: How a date, and a moment that is not at midnight, are written into a message.
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
#: The lone surrogates: code points that are not text (what undecodable bytes become).
SURROGATES = (0xD800, 0xDFFF)
#: The code points DirectCall cannot carry, as ``(first, last)`` ranges: control characters
#: other than tab, line feed, form feed and carriage return; U+FFFE and U+FFFF; lone surrogates.
FORBIDDEN_RANGES = (
    (0x00, 0x08),
    (0x0B, 0x0B),
    (0x0E, 0x1F),
    (0x7F, 0x9F),
    (0xFFFE, 0xFFFF),
    SURROGATES,
)
_FORBIDDEN_CODES = frozenset(
    code for first, last in FORBIDDEN_RANGES for code in range(first, last + 1)
)


@dataclass(frozen=True)
class Template:
    """A message with ``{column}`` placeholders, e.g. ``"Olá {nome}, sua fatura vence amanhã"``.

    A placeholder is the name of a column between braces. The name is taken with surrounding
    spaces removed (``{ nome completo }`` names the column ``"nome completo"``); anything else
    inside the braces, spaces and accents included, is part of the name. There are no format
    specifications: values are written as :func:`format_value` says. ``{{`` and ``}}`` stand for
    literal braces.

    Attributes
    ----------
    source : str
        The template as written.
    literals : tuple of str
        ``len(fields) + 1`` pieces of literal text around the placeholders, braces unescaped.
    fields : tuple of str
        The column names of the placeholders in order of appearance (a name may repeat).
    spans : tuple of (int, int)
        Where each placeholder stands in ``source``, braces included (``source[start:end]``).
    """

    source: str
    literals: tuple[str, ...]
    fields: tuple[str, ...]
    spans: tuple[tuple[int, int], ...] = ()

    @classmethod
    def parse(cls, source: str) -> Template:
        """Read a template.

        Raises
        ------
        TemplateError
            A brace that is never closed, a ``}`` that closes nothing, a ``{`` inside a
            placeholder, or an empty ``{}``; the message names the character's position.
        """
        if not isinstance(source, str):
            raise TemplateError(
                f"the message must be text (str), not {type(source).__name__}", problem="not_text"
            )
        literals: list[str] = []
        fields: list[str] = []
        spans: list[tuple[int, int]] = []
        current: list[str] = []
        i = 0
        while i < len(source):
            ch = source[i]
            if ch in "{}" and source[i + 1 : i + 2] == ch:
                current.append(ch)
                i += 2
            elif ch == "}":
                raise TemplateError(
                    f"the '}}' at character {i + 1} closes no placeholder ({_BRACES_HINT})",
                    problem="unopened",
                    position=i + 1,
                )
            elif ch == "{":
                close = source.find("}", i + 1)
                reopen = source.find("{", i + 1)
                if close < 0 or 0 <= reopen < close:
                    raise TemplateError(
                        f"the '{{' at character {i + 1} is never closed ({_BRACES_HINT})",
                        problem="unclosed",
                        position=i + 1,
                    )
                name = source[i + 1 : close].strip()
                if not name:
                    raise TemplateError(
                        f"the placeholder at character {i + 1} is empty: put a column name "
                        f"between the braces ({_BRACES_HINT})",
                        problem="empty_placeholder",
                        position=i + 1,
                    )
                literals.append("".join(current))
                fields.append(name)
                spans.append((i, close + 1))
                current = []
                i = close + 1
            else:
                current.append(ch)
                i += 1
        literals.append("".join(current))
        found = forbidden_character(source)
        if found is not None:
            position = _first_forbidden(source)
            raise TemplateError(
                f"the message holds {found}, which DirectCall cannot carry: remove it",
                problem="forbidden",
                position=position + 1,
                character=f"U+{ord(source[position]):04X}",
            )
        return cls(source, tuple(literals), tuple(fields), tuple(spans))

    @property
    def columns(self) -> tuple[str, ...]:
        """The distinct column names used, in order of first appearance."""
        return tuple(dict.fromkeys(self.fields))

    @property
    def literal_text(self) -> str:
        """The template's own text: its literals joined, without the placeholders."""
        return "".join(self.literals)

    def check_names(self, names: Collection[str]) -> None:
        """Check that every placeholder is one of ``names`` (the keys of values or facts).

        Raises
        ------
        UnknownPlaceholder
            Some placeholders are not among ``names``; the error lists ``names``.
        """
        unknown = [name for name in self.columns if name not in names]
        if unknown:
            raise UnknownPlaceholder(unknown, names)

    def resolve(self, columns: Iterable[object]) -> dict[str, Hashable]:
        """Map each placeholder name to the frame's column label it names.

        A placeholder matches a column whose label, written as text, equals the name
        (so ``{2024}`` finds a column labelled with the integer 2024).

        Raises
        ------
        UnknownPlaceholder
            Some placeholders name no column; the error lists the frame's columns.
        """
        labels = list(columns)
        by_name: dict[str, Hashable] = {}
        for label in labels:
            by_name.setdefault(str(label), label)
        unknown = [name for name in self.columns if name not in by_name]
        if unknown:
            raise UnknownPlaceholder(unknown, labels)
        return {name: by_name[name] for name in self.columns}

    def check_columns(self, columns: Iterable[object]) -> None:
        """Check that every placeholder names one of ``columns``.

        Raises
        ------
        UnknownPlaceholder
            Some placeholders name no column; the error lists the frame's columns.
        """
        self.resolve(columns)

    def rewrite_text(self, change: Callable[[str], str]) -> str:
        """Return the source with ``change`` applied to its own text, placeholders as written.

        ``change`` gets each stretch of the source between placeholders, as written (escaped
        braces included), and must leave braces alone.
        """
        pieces, start = [], 0
        for begin, end in self.spans:
            pieces += [change(self.source[start:begin]), self.source[begin:end]]
            start = end
        pieces.append(change(self.source[start:]))
        return "".join(pieces)

    def render(self, values: Mapping[str, str]) -> str:
        """Write one message, ``values`` giving the text of each placeholder's column."""
        self.check_names(values.keys())
        pieces = [self.literals[0]]
        for name, literal in zip(self.fields, self.literals[1:], strict=True):
            pieces.append(values[name])
            pieces.append(literal)
        return "".join(pieces)


def placeholder_for(label: object) -> str | None:
    """Return ``"{label}"`` as a template writes it, or None when no placeholder can name it.

    A template reads a placeholder's name without its surrounding spaces and up to the first
    ``}``, so a label that is empty, starts or ends with white space, or holds a brace cannot
    be named.

    Examples
    --------
    >>> placeholder_for("nome completo")
    '{nome completo}'
    >>> placeholder_for(" nome") is None
    True
    """
    name = str(label)
    if not name or name != name.strip() or "{" in name or "}" in name:
        return None
    return "{" + name + "}"


def format_value(value: object) -> str | None:
    """Write a cell's value as it appears in a message.

    - ``None``, ``NaN``, ``pd.NA``, ``NaT`` and a NaN ``Decimal`` are missing: ``None``.
    - ``str``: unchanged (an empty string stays empty, it is not missing).
    - ``bytes``: decoded as UTF-8 (bytes that are not UTF-8 make the row invalid, as do
      characters DirectCall cannot carry).
    - ``bool``: ``"True"`` / ``"False"``.
    - integers: their digits; a float holding a whole number (an integer column that became
      float because of a missing value) without ``".0"``: ``12.0`` → ``"12"``.
    - other floats: the shortest text that reads back as the same number (``0.1`` → ``"0.1"``,
      ``inf`` → ``"inf"``).
    - ``Decimal``: ``str(value)``, its exponent kept (``Decimal("10.50")`` → ``"10.50"``).
    - ``datetime`` / ``pd.Timestamp`` / ``numpy.datetime64``: Brazilian ``dd/mm/aaaa`` at
      midnight, otherwise ``dd/mm/aaaa HH:MM`` (wall time as stored; no time zone conversion,
      so the same instant in two time zones gives each its own wall time).
    - ``date``: ``dd/mm/aaaa``.
    - anything else: ``str(value)``.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        # Bytes that are not UTF-8 keep their bad bytes as lone surrogates, which the estimate
        # then refuses, row by row, as characters DirectCall cannot carry.
        return bytes(value).decode("utf-8", errors="surrogateescape")
    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, int | np.integer | float | np.floating | Decimal):
        return _format_number(value)
    if isinstance(value, np.datetime64 | dt.date):
        return _format_moment(value)
    return str(value)


def _format_number(value: int | np.integer | float | np.floating | Decimal) -> str | None:
    """Write a number as `format_value` says (None for a NaN)."""
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, Decimal):
        return None if value.is_nan() else str(value)
    number = float(value)
    if math.isnan(number):
        return None
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return str(value)


def _format_moment(value: np.datetime64 | dt.date) -> str | None:
    """Write a date or a moment in Brazilian style (None for NaT)."""
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        stamp = pd.Timestamp(value)
        return stamp.strftime(DATE_FORMAT if stamp == stamp.normalize() else DATETIME_FORMAT)
    return value.strftime(DATE_FORMAT)


def format_moments(stamps: pd.DatetimeIndex) -> npt.NDArray[np.object_]:
    """Write many moments at once, as `format_value` writes each one.

    Parameters
    ----------
    stamps : DatetimeIndex
        Moments without NaT.

    Returns
    -------
    numpy.ndarray of object
        ``dd/mm/aaaa`` for a moment at midnight, else ``dd/mm/aaaa HH:MM``.
    """
    midnight = np.asarray(stamps == stamps.normalize())
    texts = np.where(midnight, stamps.strftime(DATE_FORMAT), stamps.strftime(DATETIME_FORMAT))
    return np.asarray(texts, dtype=object)


def _first_forbidden(text: str) -> int:
    """Return the index of the first character DirectCall cannot carry (-1: none)."""
    return next((i for i, ch in enumerate(text) if ord(ch) in _FORBIDDEN_CODES), -1)


def forbidden_character(text: str) -> str | None:
    r"""Describe the first character of ``text`` that DirectCall cannot carry, or None.

    Those are control characters other than tab, line feed, form feed and carriage return (the
    last three are in the GSM alphabet): a NUL, say; U+FFFE and U+FFFF; and lone surrogates
    (text that is not valid Unicode).

    Examples
    --------
    >>> forbidden_character("a\x00b")
    'U+0000 (a control character) at character 2'
    """
    index = _first_forbidden(text)
    if index < 0:
        return None
    code = ord(text[index])
    what = (
        "a lone surrogate: not valid Unicode text"
        if SURROGATES[0] <= code <= SURROGATES[1]
        else "a control character"
        if code < 0xA0
        else "a non-character"
    )
    return f"U+{code:04X} ({what}) at character {index + 1}"
