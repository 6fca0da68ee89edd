"""The options of a message and of its send: one typed bundle, checked once, where it is built.

`Options` holds every choice besides the frame, the phone column and the text: what changes what a
message costs (channel, sender, billing policy, price, ...) and how it is sent (schedule, short
number, spending limit, concurrency, rate limit, ...). `estimate`, `send`, ``df.directcall`` and
the compose form all build one, so an option is read, checked and defaulted in exactly one place:
a wrong value (``short_number="s"``, ``concurrency="4"``, ``max_cost="0,08"``) is refused with an
`InvalidOption` that names the option, the value and the fix, before anything is estimated or
sent.

A schedule is checked against the clock when the options are built, and again by the send right
before each request is claimed: it must stay at least `SCHEDULE_LEAD` ahead.

The module also holds the settings of a session, which the user sets as attributes and which are
checked when set::

    import directcall_nb
    directcall_nb.options.language = "pt"      # reprs and reports in Portuguese ("en": English)
    directcall_nb.options.mask_phones = False  # show whole numbers in displays (default True)
    directcall_nb.options.opt_out_keywords = ("SAIR", "PARE")  # replies that opt out
    directcall_nb.options.window = ("08:00", "20:00")  # sends keep to it unless window=False

``language`` defaults to the locale (``pt`` for ``pt_BR``, else ``en``), read from ``LC_ALL``,
``LC_MESSAGES`` or ``LANG``. DataFrames (``.rows``) always keep whole numbers: they are data.

Modules:

- ``_bundle``: `Options` and `OptionValues`, the defaults, the checks of options together.
- ``_values``: the checks of single values (`check_schedule`, `check_delay`, `checked_language`,
  the sender, amounts, flags, ...).
- ``_timing``: when a send may go out: the delivery window named, ``schedule="next_window"``.
- ``_audio``: a voice message's own options: its recorded `Audio` and the calls per number.
- ``_session``: the class of this module, whose ``language``, ``mask_phones``,
  ``opt_out_keywords`` and ``window`` store the session's settings (`directcall_nb.settings`)
  once checked.
"""

from __future__ import annotations

import sys

from directcall_nb.options._audio import ATTEMPTS_RANGE, MAX_AUDIO_BYTES, Audio
from directcall_nb.options._bundle import (
    CHUNK_SIZE,
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    STATEMENT_DELAY,
    Options,
    OptionValues,
)
from directcall_nb.options._session import SessionOptions
from directcall_nb.options._timing import NEXT_WINDOW
from directcall_nb.options._values import (
    SCHEDULE_LEAD,
    check_delay,
    check_schedule,
    checked_keywords,
    checked_language,
)

__all__ = [
    "ATTEMPTS_RANGE",
    "CHUNK_SIZE",
    "DEFAULT_CONCURRENCY",
    "MAX_AUDIO_BYTES",
    "MAX_CONCURRENCY",
    "NEXT_WINDOW",
    "SCHEDULE_LEAD",
    "STATEMENT_DELAY",
    "Audio",
    "OptionValues",
    "Options",
    "check_delay",
    "check_schedule",
    "checked_keywords",
    "checked_language",
]

sys.modules[__name__].__class__ = SessionOptions
