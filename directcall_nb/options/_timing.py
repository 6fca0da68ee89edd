"""When a send may go out: the delivery window the options name, and ``schedule="next_window"``."""

from __future__ import annotations

from datetime import datetime, timedelta

from directcall_nb.errors import InvalidOption
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options._values import SCHEDULE_LEAD, check_schedule
from directcall_nb.settings import session_window
from directcall_nb.windows import Window, read_window

__all__ = ["NEXT_WINDOW", "schedule_of", "window_of"]

#: ``schedule=NEXT_WINDOW`` sends now if the delivery window is open, else schedules the
#: campaign at its next opening.
NEXT_WINDOW = "next_window"


def window_of(window: object, weekdays: object) -> Window | None:
    """Return the delivery window the options name: given, the session's, or none."""
    if window is False:
        if weekdays is not None:
            raise InvalidOption(
                "weekdays= says when the delivery window is open, but window=False turns it "
                "off: leave weekdays out, or give the window, e.g. window=('08:00', '20:00')",
                option="weekdays",
                value=weekdays,
                problem="without_window",
            )
        return None
    if window is None or window is True:
        default = session_window()
        if default is None and weekdays is None and window is None:
            return None
        return read_window(default or Window(), weekdays)
    return read_window(window, weekdays)


def schedule_of(schedule: object, window: Window | None) -> datetime | None:
    """Return the checked schedule; ``"next_window"`` becomes the window's next opening."""
    if schedule is None:
        return None
    if schedule != NEXT_WINDOW:
        return check_schedule(schedule)
    if window is None:
        raise InvalidOption(
            "schedule='next_window' schedules the campaign at the next opening of the delivery "
            "window, but there is none: give it, e.g. window=('08:00', '20:00')",
            option="schedule",
            value=schedule,
            suggestion="window=('08:00', '20:00')",
            problem="needs_window",
        )
    now = datetime.now(BRAZIL_TIME).replace(microsecond=0)
    opening = window.next_opening(now)
    if opening == now:
        return None
    return check_schedule(max(opening, now + SCHEDULE_LEAD + timedelta(seconds=1)))
