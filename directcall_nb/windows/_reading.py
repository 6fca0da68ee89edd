"""Reading a window's parts as analysts write them: weekdays and times of day."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import time

from directcall_nb.display import quoted
from directcall_nb.errors import InvalidOption

__all__ = ["MONDAY_TO_SATURDAY", "WEEKDAY_NAMES", "read_time", "read_weekdays"]

#: Each weekday's short name (Monday first, as `datetime.weekday` counts): (Portuguese, English).
WEEKDAY_NAMES: tuple[tuple[str, str], ...] = (
    ("seg", "Mon"),
    ("ter", "Tue"),
    ("qua", "Wed"),
    ("qui", "Thu"),
    ("sex", "Fri"),
    ("sáb", "Sat"),
    ("dom", "Sun"),
)

#: The words read as a weekday (without accents, lower case), Monday = 0.
_DAY_WORDS: dict[str, int] = {
    word: day
    for day, words in enumerate(
        (
            ("seg", "segunda", "mon", "monday"),
            ("ter", "terca", "tue", "tuesday"),
            ("qua", "quarta", "wed", "wednesday"),
            ("qui", "quinta", "thu", "thursday"),
            ("sex", "sexta", "fri", "friday"),
            ("sab", "sabado", "sat", "saturday"),
            ("dom", "domingo", "sun", "sunday"),
        )
    )
    for word in words
}
_EVERY_DAY_WORDS = ("todos", "todos os dias", "every day", "all", "seg-dom", "mon-sun")
_RANGE = re.compile(r"\s*(?:-|–|—|\.\.|\ba\b|\bto\b)\s*")
_LIST = re.compile(r"\s*(?:,|;|/|\+|\be\b|\band\b|\s)\s*")
_TIME = re.compile(r"([01]?\d|2[0-3])\s*(?:[:h]\s*([0-5]\d)?)?")
_WEEKDAYS_FIX = "write a range such as 'seg-sab' or 'mon-fri', or a list such as ['seg', 'qua']"

#: Monday to Saturday.
MONDAY_TO_SATURDAY = frozenset(range(6))


def _plain(text: str) -> str:
    """Return ``text`` in lower case, without accents, with ``-feira`` dropped."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("-feira", "").replace(" feira", "")


def _refuse_weekdays(value: object) -> InvalidOption:
    return InvalidOption(
        f"weekdays={quoted(value)} is not accepted: {_WEEKDAYS_FIX}",
        option="weekdays",
        value=value,
        suggestion="weekdays='seg-sab'",
        problem="weekdays",
    )


def _day(word: str, given: object) -> int:
    day = _DAY_WORDS.get(word.strip().rstrip("."))
    if day is None:
        raise _refuse_weekdays(given)
    return day


def _days_of_text(text: str, given: object) -> set[int]:
    """Return the weekdays one text names: a day, a range (which may wrap), or a list of them."""
    days: set[int] = set()
    for part in _LIST.split(_RANGE.sub("-", _plain(text))):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) == 1:
            days.add(_day(ends[0], given))
        elif len(ends) == 2:
            first, last = _day(ends[0], given), _day(ends[1], given)
            days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
        else:
            raise _refuse_weekdays(given)
    return days


def read_weekdays(value: object) -> frozenset[int]:
    """Read the days of the week a window is open on (Monday = 0, as `datetime.weekday`).

    Parameters
    ----------
    value : str or iterable of str
        A day (``"seg"``, ``"sábado"``, ``"Mon"``), a range (``"seg-sab"``, ``"mon-fri"``,
        ``"seg a sex"``; ``"sex-seg"`` wraps over the weekend), a list in one text
        (``"seg, qua, sex"``) or as items (``["seg", "qua"]``), or ``"todos"`` / ``"every
        day"``. Portuguese and English names, long or short, with or without accents.

    Raises
    ------
    InvalidOption
        Anything else (``option="weekdays"``), with the forms that are read.
    """
    if isinstance(value, str):
        if _plain(value) in _EVERY_DAY_WORDS:
            return frozenset(range(7))
        days = _days_of_text(value, value)
    elif isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        items = list(value)
        if not items or not all(isinstance(item, str) for item in items):
            raise _refuse_weekdays(value)
        days = set().union(*(_days_of_text(item, value) for item in items))
    else:
        raise _refuse_weekdays(value)
    if not days:
        raise _refuse_weekdays(value)
    return frozenset(days)


def read_time(value: object, which: str) -> time:
    """Read one end of a window: ``"08:00"``, ``"8h"``, ``"8h30"``, a `time` or a whole hour."""
    if isinstance(value, time) and value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 23:
        return time(value)
    if isinstance(value, str):
        found = _TIME.fullmatch(value.strip().lower())
        if found is not None:
            return time(int(found.group(1)), int(found.group(2) or 0))
    raise InvalidOption(
        f"the window's {which} {quoted(value)} is not a time of day: write it as 'HH:MM', "
        "e.g. window=('08:00', '20:00')",
        option="window",
        value=value,
        suggestion="window=('08:00', '20:00')",
        problem="time",
    )
