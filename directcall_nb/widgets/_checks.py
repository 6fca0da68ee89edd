"""The compose form's live checks: the options its inputs make, and each input's problem.

`check_inputs` reads what the inputs hold (`Typed`, plain values copied from the widgets) into
the option values `Options` takes and, for every input that cannot be read, its problem in the
form's language, as shown beside the input. It runs after every keystroke and again just before
a send, so the schedule is checked against the clock each time.

Pure functions, no widgets: the form calls them with the widgets' values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from directcall_nb.errors import DirectCallError
from directcall_nb.i18n import explain, say
from directcall_nb.options import Options, OptionValues, check_schedule
from directcall_nb.vocabulary import Language
from directcall_nb.widgets._inputs import parse_price, parse_schedule
from directcall_nb.windows import Window, outside_window

__all__ = ["FIELDS", "Checked", "Typed", "check_inputs"]

#: The inputs that can have a problem of their own, each shown beside its input.
FIELDS = ("sender", "price", "schedule", "fill", "window")

_Read = TypeVar("_Read")


@dataclass(frozen=True)
class Typed:
    """What the form's inputs hold, as plain values.

    Attributes
    ----------
    channel : str
        ``"sms"`` or ``"voice"``.
    sender, fill, price : str
        The texts typed as they are (the sender is stripped here).
    show_sender, international : bool
        The check boxes.
    policy : str
        The billing rule chosen.
    day, clock : str
        The schedule's date (``dd/mm/aaaa``) and time (``HH:MM``) as typed.
    window_on : bool, default False
        Whether sends keep to the delivery window.
    window_start, window_end : str
        Its hours as typed (``HH:MM``).
    weekdays : str, default "seg-sab"
        Its days, as `directcall_nb.Window` reads them.
    """

    channel: str
    sender: str
    show_sender: bool
    fill: str
    policy: str
    price: str
    international: bool
    day: str
    clock: str
    window_on: bool = False
    window_start: str = ""
    window_end: str = ""
    weekdays: str = "seg-sab"


@dataclass(frozen=True)
class Checked:
    """The inputs read, and the problem of each input that has one.

    Attributes
    ----------
    values : OptionValues
        The options of the inputs that have no problem (those that have one are None or
        false), without the schedule and the short number.
    schedule : datetime or None
        The schedule typed, checked against the clock; None when blank or wrong.
    problems : dict of str to str
        The problem of each input in `FIELDS` that has one, in words.
    """

    values: OptionValues
    schedule: datetime | None
    problems: dict[str, str]


class _Problems:
    """The problems found so far, each noted under its input's name."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.found: dict[str, str] = {}

    def note(self, field: str, key: str) -> None:
        """Note the problem ``key`` of the words table under ``field``."""
        self.found[field] = say(key, self.language)

    def checked(self, field: str, read: Callable[[], _Read]) -> _Read | None:
        """Return ``read()``, or None with the field's problem noted when it raises one of ours."""
        try:
            return read()
        except DirectCallError as exc:
            self.found[field] = explain(exc, self.language)
            return None


def _checked_sender(typed: Typed, problems: _Problems) -> str | int | None:
    """Return the sender checked as `Options` reads it, or None (the problem noted)."""
    sender = typed.sender.strip()
    if not sender:
        problems.note("sender", "err_sender_missing")
        return None
    return problems.checked("sender", lambda: Options(sender=sender).sender)


def _schedule(typed: Typed) -> datetime | None:
    """Return the moment typed, checked against the clock; None when nothing is typed."""
    moment = parse_schedule(typed.day, typed.clock)
    return None if moment is None else check_schedule(moment)


def _checked_window(typed: Typed, problems: _Problems) -> Window | bool:
    """Return the delivery window typed, or False when it is off or cannot be read (noted)."""
    if not typed.window_on:
        return False
    window = problems.checked(
        "window", lambda: Window(typed.window_start, typed.window_end, weekdays=typed.weekdays)
    )
    return False if window is None else window


def _inside(schedule: datetime | None, window: Window | bool, problems: _Problems) -> bool:
    """Tell whether the schedule may be kept: none, no window, or inside it (else noted)."""
    if schedule is None or not isinstance(window, Window) or window.is_open(schedule):
        return True
    error = outside_window(window, schedule, scheduled=True)
    problems.found["schedule"] = explain(error, problems.language)
    return False


def check_inputs(typed: Typed, language: Language) -> Checked:
    """Read the inputs into option values, noting the problem of each that cannot be read.

    Parameters
    ----------
    typed : Typed
        What the inputs hold.
    language : {"pt", "en"}
        The language of the problems.

    Returns
    -------
    Checked
        The values, the schedule, and the problems in the order found: sender, window, fill,
        price, schedule (a schedule outside the window is a problem of the schedule).
    """
    problems = _Problems(language)
    sms = typed.channel != "voice"
    sender = _checked_sender(typed, problems)
    show = typed.show_sender and sms
    if show and sender is None and "sender" not in problems.found:
        problems.note("sender", "err_show_sender")
    window = _checked_window(typed, problems)
    fill = typed.fill
    checked_fill = problems.checked("fill", lambda: Options(fill=fill).fill) if fill else None
    values: OptionValues = {
        "channel": typed.channel,
        "sender": sender,
        "show_sender": show and sender is not None,
        "policy": typed.policy,
        "price_per_segment": problems.checked("price", lambda: parse_price(typed.price)),
        "fill": checked_fill,
        "allow_international": typed.international,
        "window": window,
    }
    schedule = problems.checked("schedule", lambda: _schedule(typed))
    if not _inside(schedule, window, problems):
        schedule = None
    return Checked(values, schedule, problems.found)
