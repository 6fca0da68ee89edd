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

Modules: ``_reading`` (weekdays and times of day as analysts write them), ``_window``
(`Window` and `read_window`, the ``window`` option), ``_timing`` (`outside_window`, the error of
a send outside it; `sending_time`, what a dry run says of when it would go out).
"""

from __future__ import annotations

from directcall_nb.windows._reading import WEEKDAY_NAMES, read_weekdays
from directcall_nb.windows._timing import SendingTime, outside_window, sending_time
from directcall_nb.windows._window import Window, read_window

__all__ = [
    "WEEKDAY_NAMES",
    "SendingTime",
    "Window",
    "outside_window",
    "read_weekdays",
    "read_window",
    "sending_time",
]
