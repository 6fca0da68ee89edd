"""Delivery windows (quiet hours): the hours and weekdays, in Brasília time, a campaign may go out.

A `Window` is a daily span of hours (``08:00`` to ``20:00``: open from 08:00:00, closed from
20:00:00) on some days of the week (``"seg-sab"``, ``"mon-fri"``, ``["seg", "qua"]``). Nothing
is sent outside it: a send that starts outside is refused with the next opening, and a campaign
that reaches the end stops claiming requests (see `directcall_nb.sending`).

Choices made here:

- the default window is 08:00 to 20:00, Monday to Saturday, the quiet hours the compose form
  starts with; ``Window(start=..., end=...)`` keeps those weekdays unless ``weekdays=`` is given;
- a window ends after it starts on the same day (no overnight windows: quiet hours are a
  daytime span);
- DirectCall's voice window (``enviar_de`` / ``enviar_ate``) is in whole hours, both included
  (the sandbox's reading), so `Window.voice_hours` gives the whole hours that lie entirely
  inside: 08:30 to 20:00 is ``(9, 19)``, 08:00 to 20:30 is ``(8, 19)``; the weekdays cannot be
  said to DirectCall, whose retries of a voice batch may then fall on a day outside them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from directcall_nb.display import quoted
from directcall_nb.errors import InvalidOption, OutsideWindow
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.vocabulary import Language

__all__ = ["WEEKDAY_NAMES", "Window", "outside_window", "read_weekdays", "read_window"]

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
_MONDAY_TO_SATURDAY = frozenset(range(6))


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


def _read_time(value: object, which: str) -> time:
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


@dataclass(frozen=True, init=False)
class Window:
    """The hours and weekdays, in Brasília time, in which a campaign may be sent.

    Parameters
    ----------
    start, end : str, datetime.time or int, default "08:00" and "20:00"
        The daily span: open from ``start`` (included) until ``end`` (excluded), written
        ``"HH:MM"`` (``"8h"``, ``"8h30"``, a `datetime.time` or a whole hour are read too).
        ``end`` must come after ``start`` on the same day.
    weekdays : str or iterable of str, default "seg-sab"
        The days it is open on: ``"seg-sab"``, ``"seg-sex"``, ``"mon-fri"``, ``["seg",
        "qua"]``, ``"todos"`` (see `read_weekdays`).

    Raises
    ------
    InvalidOption
        A time or weekdays that cannot be read, or an end not after the start.

    Examples
    --------
    >>> from datetime import datetime
    >>> w = Window("08:00", "20:00", weekdays="seg-sex")
    >>> w.describe("pt")
    '08:00–20:00, seg–sex'
    >>> w.next_opening(datetime(2026, 12, 5, 10, 0))  # a Saturday
    datetime.datetime(2026, 12, 7, 8, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo'))
    """

    start: time
    end: time
    weekdays: frozenset[int]

    def __init__(
        self,
        start: str | time | int = "08:00",
        end: str | time | int = "20:00",
        *,
        weekdays: str | Iterable[str] | None = None,
    ) -> None:
        opening, closing = _read_time(start, "start"), _read_time(end, "end")
        if closing <= opening:
            raise InvalidOption(
                f"the window ends at {closing:%H:%M}, not after it starts at {opening:%H:%M}: "
                "give the start first, e.g. window=('08:00', '20:00')",
                option="window",
                value=(start, end),
                suggestion="window=('08:00', '20:00')",
                problem="order",
            )
        days = _MONDAY_TO_SATURDAY if weekdays is None else read_weekdays(weekdays)
        object.__setattr__(self, "start", opening)
        object.__setattr__(self, "end", closing)
        object.__setattr__(self, "weekdays", days)

    def __repr__(self) -> str:
        """Return the window as it is written: ``Window('08:00', '20:00', weekdays='seg–sáb')``."""
        days = self.describe("pt").partition(", ")[2]
        return f"Window('{self.start:%H:%M}', '{self.end:%H:%M}', weekdays={days!r})"

    def is_open(self, moment: datetime) -> bool:
        """Tell whether the window is open at ``moment`` (naive: Brasília time)."""
        local = _in_brazil(moment)
        return local.weekday() in self.weekdays and self.start <= local.time() < self.end

    def next_opening(self, moment: datetime) -> datetime:
        """Return ``moment`` (Brasília time) if the window is open then, else its next opening."""
        local = _in_brazil(moment)
        if self.is_open(local):
            return local
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            opening = datetime.combine(day, self.start, BRAZIL_TIME)
            if day.weekday() in self.weekdays and opening > local:
                return opening
        raise AssertionError(f"the window {self} never opens")  # it has a day and an hour

    def closes_at(self, moment: datetime) -> datetime:
        """Return when the window open at ``moment`` closes: that day's ``end``, Brasília time."""
        return datetime.combine(_in_brazil(moment).date(), self.end, BRAZIL_TIME)

    def voice_hours(self) -> tuple[int, int] | None:
        """Return DirectCall's ``enviar_de`` / ``enviar_ate``: the whole hours entirely inside.

        Both hours are included, so 08:00 to 20:00 is ``(8, 19)``; ``None`` when no whole hour
        fits (08:30 to 09:15).
        """
        first = self.start.hour + (1 if self.start.minute else 0)
        last = self.end.hour - 1
        return (first, last) if first <= last else None

    def describe(self, language: Language = "pt") -> str:
        """Return the window in words: ``"08:00–20:00, seg–sáb"`` (``"Mon–Sat"`` in English)."""
        index = 0 if language == "pt" else 1
        if len(self.weekdays) == 7:
            days = "todos os dias" if language == "pt" else "every day"
        else:
            days = ", ".join(_spans(sorted(self.weekdays), index))
        return f"{self.start:%H:%M}–{self.end:%H:%M}, {days}"


def _spans(days: list[int], index: int) -> list[str]:
    """Return the days as names, runs of three or more written as ``first–last``."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = []
    for run in runs:
        first, last = WEEKDAY_NAMES[run[0]][index], WEEKDAY_NAMES[run[-1]][index]
        if len(run) >= 3:
            names.append(f"{first}–{last}")
        else:
            names.extend(WEEKDAY_NAMES[day][index] for day in run)
    return names


def _in_brazil(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=BRAZIL_TIME)
    return moment.astimezone(BRAZIL_TIME)


def read_window(value: object, weekdays: object = None) -> Window:
    """Read the ``window`` option (and ``weekdays``) as a `Window`.

    Parameters
    ----------
    value : Window or (start, end)
        A `Window`, or its start and end (``("08:00", "20:00")``).
    weekdays : str or iterable of str, optional
        The days it is open on; they replace a `Window`'s own. Default: a `Window`'s own, else
        Monday to Saturday.

    Raises
    ------
    InvalidOption
        A value that is not a window, or whose parts cannot be read.
    """
    if isinstance(value, Window):
        if weekdays is None:
            return value
        return Window(value.start, value.end, weekdays=_weekdays_value(weekdays))
    if isinstance(value, tuple | list) and len(value) == 2:
        return Window(value[0], value[1], weekdays=_weekdays_value(weekdays))
    raise InvalidOption(
        f"window={quoted(value)} is not a delivery window: give its start and end as "
        "window=('08:00', '20:00'), a directcall_nb.Window, or False for none",
        option="window",
        value=value,
        suggestion="window=('08:00', '20:00')",
        problem="shape",
    )


def _weekdays_value(value: object) -> list[str] | None:
    """Return ``weekdays`` as names `Window` takes, once read (None stays None)."""
    if value is None:
        return None
    return [WEEKDAY_NAMES[day][1] for day in sorted(read_weekdays(value))]


def outside_window(window: Window, moment: datetime, *, scheduled: bool) -> OutsideWindow:
    """Return the error of a send that would go out at ``moment``, outside ``window``.

    ``scheduled``: ``moment`` is the schedule, not the present.
    """
    opening = window.next_opening(moment)
    where = f"outside the delivery window ({window.describe('en')}, Brasília time)"
    if scheduled:
        message = (
            f"the schedule {moment:%d/%m/%Y %H:%M} falls {where}: choose a time inside it, "
            f"e.g. {opening:%d/%m/%Y %H:%M}, or pass schedule='next_window'"
        )
    else:
        message = (
            f"it is {moment:%d/%m/%Y %H:%M}, {where}, so nothing was sent: the window opens "
            f"at {opening:%d/%m/%Y %H:%M}; send from then on, or pass schedule='next_window' "
            "to schedule the campaign there"
        )
    return OutsideWindow(
        message,
        window=window,
        moment=moment,
        next_opening=opening,
        problem="schedule" if scheduled else "closed",
    )
