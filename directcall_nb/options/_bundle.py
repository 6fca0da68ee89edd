"""The option bundle: `Options`, every choice of a message and its send, checked once."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, cast

from directcall_nb.errors import InvalidOption
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options._audio import Audio, check_attempts, read_audio
from directcall_nb.options._timing import NEXT_WINDOW, schedule_of, window_of
from directcall_nb.options._values import (
    SCHEDULE_LEAD,
    check_channel,
    check_delay,
    check_fill,
    check_flag,
    check_money,
    check_policy,
    check_rate,
    check_sender,
    check_whole,
    shown_value,
)
from directcall_nb.vocabulary import Channel, Policy
from directcall_nb.windows import Window, outside_window

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "STATEMENT_DELAY",
    "OptionValues",
    "Options",
]

#: Requests in flight at once, by default.
DEFAULT_CONCURRENCY = 16
#: The most requests in flight a send accepts.
MAX_CONCURRENCY = 64
#: Default largest number of recipients in one ``destino_csv`` file.
CHUNK_SIZE = 5_000
#: How long after a request DirectCall's usage statement is taken to show it (an assumption:
#: DirectCall documents no delay).
STATEMENT_DELAY = timedelta(minutes=30)
#: Options `Options` takes that are not attributes of their own (``weekdays`` is the window's).
_FOLDED = ("weekdays",)


class OptionValues(TypedDict, total=False):
    """The keyword arguments `Options` takes, for ``**options`` in the entry points."""

    channel: str
    sender: str | int | None
    show_sender: bool
    policy: str
    price_per_segment: Decimal | float | str | None
    dedupe: bool
    fill: str | None
    allow_international: bool
    schedule: datetime | str | None
    short_number: bool | None
    max_cost: Decimal | float | str | None
    concurrency: int
    rate_limit: float | None
    resend_ambiguous: bool
    chunk_size: int
    reconcile_older_than: timedelta | float
    suppressions: bool
    audio: str | os.PathLike[str] | bytes | Audio | None
    num_tentativas: int | None
    window: Window | tuple[object, object] | list[object] | bool | None
    weekdays: str | Iterable[str] | None


@dataclass(frozen=True, init=False)
class Options:
    """Every choice of a message and its send besides the frame, the phone column and the text.

    Parameters
    ----------
    channel : {"sms", "voice"}, default "sms"
        SMS, or a voice call that reads the text aloud ("torpedo de voz").
    sender : str or int, optional
        The sender number (``origem``) in DirectCall's format, e.g. ``"551130600300"``; needed
        to send, optional to estimate.
    show_sender : bool, default False
        Show the sender number at the start of the SMS (``id_origem=s``); its digits then count
        towards the 140 characters. SMS only.
    policy : {"directcall", "gsm"}, default "directcall"
        The billing rule: DirectCall's 140 characters per SMS, or the carriers' GSM 03.38 parts.
    price_per_segment : Decimal, str, int or float, optional
        The price of one billable segment (one SMS part, or one voice call), in reais, written
        with a dot (``"0.08"``).
    dedupe : bool, default True
        Send once to rows with the same phone and the same final text. With False every row is
        its own message.
    fill : str, optional
        Text used where a column the template names is empty; without it such rows are invalid.
    allow_international : bool, default False
        Accept valid numbers of other countries.
    schedule : datetime or str, optional
        Deliver at this moment instead of now; a naive datetime (or an ISO string without an
        offset) is Brazil time. It must be at least `SCHEDULE_LEAD` ahead.
        ``"next_window"`` sends now when the delivery window is open, else schedules the
        campaign at its next opening.
    short_number : bool, optional
        Send through a short number (``short_number`` ``s`` / ``n``); None leaves DirectCall's
        default. SMS only.
    max_cost : Decimal, str, int or float, optional
        Refuse to send a campaign that costs more than this many reais (needs the price).
    concurrency : int, default 16
        Requests in flight at once, 1 to 64.
    rate_limit : float, optional
        At most this many requests started per second.
    resend_ambiguous : bool, default False
        Send again the messages whose answer never came in an earlier run.
    chunk_size : int, default 5000
        Largest number of recipients in one ``destino_csv`` file.
    reconcile_older_than : timedelta or float, default 30 minutes
        Ambiguous messages of the campaign left by earlier runs are first looked for in
        DirectCall's usage statement once their request is this old (a number is seconds):
        those it lists are not sent again, those it certainly does not list are sent, the
        others stay ``ambiguous`` (see `directcall_nb.reconcile`).
    suppressions : bool, default True
        Leave out the rows whose number is on the journal's suppression list (they are
        ``opted_out``). False sends to them too, for a transactional message (a code, a bill)
        that an opt-out from marketing does not stop; the estimate and the report then say so.
    audio : str, PathLike or bytes, optional
        A recorded message (an MP3, at most 4 MB) that each call plays instead of reading the
        text; voice only. The text may then be empty (``""``): each recipient is one call. It is
        read when the options are built; the journal tells two recordings apart by their
        content.
    num_tentativas : int, optional
        How many times each number is called when it does not answer, 1 to 5; voice only.
        Left out, DirectCall's default applies: 3 calls, 3 minutes apart.
    window : (start, end), Window or False, optional
        The delivery window (quiet hours), Brasília time: nothing is sent outside it
        (``("08:00", "20:00")``, or a `directcall_nb.Window`). A send that would start outside
        it is refused with the next opening (`OutsideWindow`), a schedule must fall inside it,
        and a campaign that reaches its end stops claiming requests (the rest is ``not_sent``;
        running it again inside the window continues). A voice send also carries it as
        DirectCall's ``enviar_de`` / ``enviar_ate``, so that its retries stay inside. None (the
        default) takes ``directcall_nb.options.window``, the session's default (none unless
        set); True takes that default, else 08:00 to 20:00 Monday to Saturday; False ignores
        it.
    weekdays : str or list of str, optional
        The days the window is open on: ``"seg-sab"`` (the default), ``"seg-sex"``,
        ``"mon-fri"``, ``["seg", "qua"]``, ``"todos"``. Without ``window`` it applies to the
        session's window, else to 08:00 to 20:00.

    Raises
    ------
    InvalidOption
        A value that cannot be used (`InvalidSender` for the sender, `InvalidSchedule` for the
        schedule); the message names the option, the value and the fix.
    OutsideWindow
        The schedule falls outside the delivery window.

    Notes
    -----
    The attributes hold the checked values: ``price_per_segment`` and ``max_cost`` as
    ``Decimal``, ``sender`` as a string, ``schedule`` as an aware datetime in Brazil time to
    the second (``"next_window"`` already resolved), ``window`` as a `Window` or None (its
    weekdays included).
    """

    channel: Channel
    sender: str | None
    show_sender: bool
    policy: Policy
    price_per_segment: Decimal | None
    dedupe: bool
    fill: str | None
    allow_international: bool
    schedule: datetime | None
    short_number: bool | None
    max_cost: Decimal | None
    concurrency: int
    rate_limit: float | None
    resend_ambiguous: bool
    chunk_size: int
    reconcile_older_than: timedelta
    suppressions: bool
    audio: Audio | None
    num_tentativas: int | None
    window: Window | None
    if TYPE_CHECKING:  # not a field: whether ``schedule="next_window"`` chose the schedule
        _next_window: bool

    def __init__(
        self,
        *,
        channel: str = "sms",
        sender: str | int | None = None,
        show_sender: bool = False,
        policy: str = "directcall",
        price_per_segment: Decimal | float | str | None = None,
        dedupe: bool = True,
        fill: str | None = None,
        allow_international: bool = False,
        schedule: datetime | str | None = None,
        short_number: bool | None = None,
        max_cost: Decimal | float | str | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        rate_limit: float | None = None,
        resend_ambiguous: bool = False,
        chunk_size: int = CHUNK_SIZE,
        reconcile_older_than: timedelta | float = STATEMENT_DELAY,
        suppressions: bool = True,
        audio: str | os.PathLike[str] | bytes | Audio | None = None,
        num_tentativas: int | None = None,
        window: Window | tuple[object, object] | list[object] | bool | None = None,
        weekdays: str | Iterable[str] | None = None,
    ) -> None:
        checked_channel = check_channel(channel)
        checked_window = window_of(window, weekdays)
        values: dict[str, object] = {
            "channel": checked_channel,
            "sender": None if sender is None else check_sender(sender),
            "show_sender": check_flag("show_sender", show_sender),
            "policy": check_policy(policy),
            "price_per_segment": check_money("price_per_segment", price_per_segment),
            "dedupe": check_flag("dedupe", dedupe),
            "fill": check_fill(fill),
            "allow_international": check_flag("allow_international", allow_international),
            "schedule": schedule_of(schedule, checked_window),
            "short_number": check_flag("short_number", short_number, allow_none=True),
            "max_cost": check_money("max_cost", max_cost),
            "concurrency": check_whole("concurrency", concurrency, 1, MAX_CONCURRENCY),
            "rate_limit": check_rate(rate_limit),
            "resend_ambiguous": check_flag("resend_ambiguous", resend_ambiguous),
            "chunk_size": check_whole("chunk_size", chunk_size, 1, None),
            "reconcile_older_than": check_delay(reconcile_older_than, "reconcile_older_than"),
            "suppressions": check_flag("suppressions", suppressions),
            "audio": None if audio is None else read_audio(audio),
            "num_tentativas": None if num_tentativas is None else check_attempts(num_tentativas),
            "window": checked_window,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_next_window", schedule == NEXT_WINDOW)
        self._check_together()

    @classmethod
    def from_values(cls, values: Mapping[str, object], base: Options | None = None) -> Options:
        """Build options from keyword values, on top of ``base`` (the defaults when None).

        Unlike calling `Options` directly, an unknown name is an `InvalidOption` that suggests
        the nearest option name (``shortnumber`` → ``short_number``).

        Raises
        ------
        InvalidOption
            An unknown name, or a value that cannot be used.
        """
        known = [f.name for f in fields(cls)] + list(_FOLDED)
        for name in values:
            if name not in known:
                near = difflib.get_close_matches(name, known, n=1)
                hint = f"; did you mean {near[0]}?" if near else f"; the options are {known}"
                raise InvalidOption(
                    f"there is no option {name!r}{hint}",
                    option=name,
                    value=values[name],
                    suggestion=near[0] if near else None,
                )
        merged = {} if base is None else base.values()
        if "weekdays" in values and "window" not in values and merged.get("window") is False:
            merged["window"] = None  # weekdays on options without a window: a window on them
        merged.update(values)
        return cls(**cast(OptionValues, merged))

    def values(self) -> dict[str, object]:
        """Return the options as keyword values that `Options` takes back.

        No window is ``window=False``, so that the session's default is not taken again; a
        schedule ``"next_window"`` chose is ``"next_window"`` again.
        """
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        if values["window"] is None:
            values["window"] = False
        if self._next_window:
            values["schedule"] = NEXT_WINDOW
        return values

    @property
    def journal_schedule(self) -> datetime | None:
        """The schedule that identifies the messages in the journal.

        It is `schedule`, except for one ``schedule="next_window"`` chose: the messages are
        then those of a send without a schedule, so that a campaign begun inside the window
        and continued with ``"next_window"`` (or the reverse) sends nothing twice.
        """
        return None if self._next_window else self.schedule

    def schedule_is_open(self, now: datetime | None = None) -> bool:
        """Return whether a request scheduled with these options may still be claimed at ``now``.

        True without a schedule; otherwise the schedule must be `SCHEDULE_LEAD` ahead of now.
        """
        if self.schedule is None:
            return True
        present = now or datetime.now(BRAZIL_TIME)
        return self.schedule - present >= SCHEDULE_LEAD

    def _check_together(self) -> None:
        if self.show_sender and self.sender is None:
            raise InvalidOption(
                "show_sender=True puts the sender number at the start of each SMS, so it needs "
                "the sender: pass sender='55…' too, or show_sender=False",
                option="show_sender",
                value=True,
                problem="needs_sender",
            )
        self._check_voice_only()
        if self.channel == "voice":
            for name in ("show_sender", "short_number"):
                if getattr(self, name):
                    raise InvalidOption(
                        f"{name}=True applies to SMS only; a voice call has neither: leave it out "
                        "with channel='voice'",
                        option=name,
                        value=True,
                        suggestion=f"{name}=False",
                    )
        self._check_window()
        if self.max_cost is not None and self.price_per_segment is None:
            raise InvalidOption(
                f"max_cost={shown_value(self.max_cost)} needs the price to compare with: pass "
                "price_per_segment= as well (e.g. price_per_segment='0.08')",
                option="max_cost",
                value=self.max_cost,
            )

    def _check_voice_only(self) -> None:
        for name in ("audio", "num_tentativas"):
            value = getattr(self, name)
            if value is not None and self.channel != "voice":
                raise InvalidOption(
                    f"{name} applies to voice calls only: pass channel='voice' too, or leave "
                    f"{name} out for an SMS",
                    option=name,
                    value=value if name == "num_tentativas" else repr(value),
                    suggestion="channel='voice'",
                    problem="voice_only",
                )

    def _check_window(self) -> None:
        """Refuse a schedule outside the window, and a voice window of no whole hour."""
        window = self.window
        if window is None:
            return
        if self.schedule is not None and not window.is_open(self.schedule):
            raise outside_window(window, self.schedule, scheduled=True)
        if self.channel == "voice" and window.voice_hours() is None:
            raise InvalidOption(
                f"the window {window.describe('en')} holds no whole hour, and DirectCall's voice "
                "window (enviar_de / enviar_ate) is in whole hours: widen it to at least one "
                "whole hour, e.g. window=('08:00', '20:00')",
                option="window",
                value=window,
                suggestion="window=('08:00', '20:00')",
                problem="no_whole_hour",
            )
