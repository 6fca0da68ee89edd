"""`Window`: the hours and weekdays, in Brasília time, in which a campaign may be sent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from directcall_nb.display import quoted
from directcall_nb.errors import InvalidOption
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.vocabulary import Language
from directcall_nb.windows._reading import (
    MONDAY_TO_SATURDAY,
    WEEKDAY_NAMES,
    read_time,
    read_weekdays,
)

__all__ = ["Window", "read_window"]


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
        opening, closing = read_time(start, "start"), read_time(end, "end")
        if closing <= opening:
            raise InvalidOption(
                f"the window ends at {closing:%H:%M}, not after it starts at {opening:%H:%M}: "
                "give the start first, e.g. window=('08:00', '20:00')",
                option="window",
                value=(start, end),
                suggestion="window=('08:00', '20:00')",
                problem="order",
            )
        days = MONDAY_TO_SATURDAY if weekdays is None else read_weekdays(weekdays)
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
        from directcall_nb.i18n import say

        index = 0 if language == "pt" else 1  # the column of WEEKDAY_NAMES
        if len(self.weekdays) == 7:
            days = say("weekdays_every_day", language)
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
