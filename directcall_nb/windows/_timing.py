"""When a send with a window goes out: refused outside it, or told by a dry run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from directcall_nb.errors import OutsideWindow
from directcall_nb.vocabulary import Language
from directcall_nb.windows._window import Window

__all__ = ["SendingTime", "outside_window", "sending_time"]


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


@dataclass(frozen=True)
class SendingTime:
    """When a send would go out, as a dry run tells it: scheduled, now inside a window, or refused.

    Attributes
    ----------
    kind : str
        ``scheduled`` (``moment``: the schedule), ``open`` (the window is open now;
        ``moment``: when it closes) or ``closed`` (a send now would be refused; ``moment``: the
        next opening).
    moment : datetime
        As ``kind`` says, in Brasília time.
    window : Window or None
        The delivery window, if any.
    """

    kind: str
    moment: datetime
    window: Window | None = None

    def text(self, language: Language | None = None) -> str:
        """Return it in words, in ``language`` (default: ``directcall_nb.options.language``)."""
        from directcall_nb.i18n import say
        from directcall_nb.settings import current_language

        language = language or current_language()
        window = "" if self.window is None else self.window.describe(language)
        return say(
            f"timing_{self.kind}", language, when=f"{self.moment:%d/%m/%Y %H:%M}", window=window
        )


def sending_time(
    window: Window | None, schedule: datetime | None, now: datetime
) -> SendingTime | None:
    """Return when a send with this window and schedule would go out at ``now``; None: at once."""
    if schedule is not None:
        return SendingTime("scheduled", schedule, window)
    if window is None:
        return None
    if window.is_open(now):
        return SendingTime("open", window.closes_at(now), window)
    return SendingTime("closed", window.next_opening(now), window)
