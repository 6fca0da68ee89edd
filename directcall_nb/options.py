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

``language`` defaults to the locale (``pt`` for ``pt_BR``, else ``en``), read from ``LC_ALL``,
``LC_MESSAGES`` or ``LANG``. DataFrames (``.rows``) always keep whole numbers: they are data.
"""

from __future__ import annotations

import difflib
import functools
import math
import numbers
import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypedDict, cast

import numpy as np

from directcall_nb.client import BRAZIL_TIME, is_directcall_number, read_moment
from directcall_nb.errors import InvalidOption, InvalidSchedule, InvalidSender
from directcall_nb.settings import current_language, masking_phones, set_language, set_mask_phones
from directcall_nb.text import forbidden_character
from directcall_nb.vocabulary import CHANNELS, POLICIES, Channel, Language, Policy

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "SCHEDULE_LEAD",
    "STATEMENT_DELAY",
    "OptionValues",
    "Options",
    "check_delay",
    "check_schedule",
]

#: Requests in flight at once, by default.
DEFAULT_CONCURRENCY = 16
#: The most requests in flight a send accepts.
MAX_CONCURRENCY = 64
#: Default largest number of recipients in one ``destino_csv`` file.
CHUNK_SIZE = 5_000
#: A scheduled send must be at least this far ahead when each of its requests is claimed.
SCHEDULE_LEAD = timedelta(minutes=1)
#: How long after a request DirectCall's usage statement is taken to show it (an assumption:
#: DirectCall documents no delay).
STATEMENT_DELAY = timedelta(minutes=30)

_CHANNEL_WORDS = {"sms": "sms", "texto": "sms", "voice": "voice", "voz": "voice"}


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

    Raises
    ------
    InvalidOption
        A value that cannot be used (`InvalidSender` for the sender, `InvalidSchedule` for the
        schedule); the message names the option, the value and the fix.

    Notes
    -----
    The attributes hold the checked values: ``price_per_segment`` and ``max_cost`` as
    ``Decimal``, ``sender`` as a string, ``schedule`` as an aware datetime in Brazil time to
    the second.
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
    ) -> None:
        checked_channel = _channel(channel)
        values: dict[str, object] = {
            "channel": checked_channel,
            "sender": None if sender is None else _sender(sender),
            "show_sender": _flag("show_sender", show_sender),
            "policy": _policy(policy),
            "price_per_segment": _money("price_per_segment", price_per_segment),
            "dedupe": _flag("dedupe", dedupe),
            "fill": _fill(fill),
            "allow_international": _flag("allow_international", allow_international),
            "schedule": None if schedule is None else check_schedule(schedule),
            "short_number": _flag("short_number", short_number, allow_none=True),
            "max_cost": _money("max_cost", max_cost),
            "concurrency": _whole("concurrency", concurrency, 1, MAX_CONCURRENCY),
            "rate_limit": _rate(rate_limit),
            "resend_ambiguous": _flag("resend_ambiguous", resend_ambiguous),
            "chunk_size": _whole("chunk_size", chunk_size, 1, None),
            "reconcile_older_than": check_delay(reconcile_older_than, "reconcile_older_than"),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
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
        known = [f.name for f in fields(cls)]
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
        merged.update(values)
        return cls(**cast(OptionValues, merged))

    def values(self) -> dict[str, object]:
        """The options as keyword values that `Options` takes back."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def schedule_is_open(self, now: datetime | None = None) -> bool:
        """Whether a request scheduled with these options may still be claimed at ``now``.

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
        if self.max_cost is not None and self.price_per_segment is None:
            raise InvalidOption(
                f"max_cost={_shown(self.max_cost)} needs the price to compare with: pass "
                "price_per_segment= as well (e.g. price_per_segment='0.08')",
                option="max_cost",
                value=self.max_cost,
            )


def _shown(value: object) -> str:
    text = str(value) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if isinstance(value, str) and value in allowed:
        return value
    listed = " or ".join(repr(a) for a in allowed)
    raise InvalidOption(f"{name}={_shown(value)} is not one of {listed}", option=name, value=value)


def _channel(value: object) -> Channel:
    if isinstance(value, str) and value.strip().lower() in _CHANNEL_WORDS:
        meant = _CHANNEL_WORDS[value.strip().lower()]
        if meant != value:
            raise InvalidOption(
                f"channel={_shown(value)} is not an option: write channel={meant!r}",
                option="channel",
                value=value,
                suggestion=f"channel={meant!r}",
            )
    return cast(Channel, _choice("channel", value, CHANNELS))


def _policy(value: object) -> Policy:
    return cast(Policy, _choice("policy", value, POLICIES))


def _flag(name: str, value: object, *, allow_none: bool = False) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if allow_none and value is None:
        return None
    meant = None
    if isinstance(value, str) and value.strip().lower() in ("s", "sim", "y", "yes", "true", "1"):
        meant = True
    elif isinstance(value, str) and value.strip().lower() in ("n", "nao", "não", "no", "false"):
        meant = False
    elif isinstance(value, numbers.Integral) and int(value) in (0, 1):
        meant = bool(int(value))
    allowed = "True, False or None" if allow_none else "True or False"
    hint = f": write {name}={meant}" if meant is not None else ""
    raise InvalidOption(
        f"{name}={_shown(value)} is not accepted: it must be {allowed}{hint}",
        option=name,
        value=value,
        suggestion=None if meant is None else f"{name}={meant}",
    )


def _money(name: str, value: object) -> Decimal | None:
    if value is None:
        return None
    example = f"{name}='0.08'" if name == "price_per_segment" else f"{name}='50.00'"
    if isinstance(value, bool):
        raise InvalidOption(
            f"{name}={value!r} is not an amount of reais: write it as {example}",
            option=name,
            value=value,
        )
    text = str(value).strip() if isinstance(value, str) else None
    if text is not None and "," in text:
        dotted = text.replace(".", "").replace(",", ".") if "." in text else text.replace(",", ".")
        raise InvalidOption(
            f"{name}={value!r} uses a decimal comma; in Python write the amount with a dot: "
            f"{name}={dotted!r}",
            option=name,
            value=value,
            suggestion=f"{name}={dotted!r}",
        )
    try:
        amount = Decimal(text if text is not None else str(value))
    except (InvalidOperation, ValueError):
        raise InvalidOption(
            f"{name}={_shown(value)} is not an amount of reais: write it as {example}",
            option=name,
            value=value,
        ) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidOption(
            f"{name}={_shown(value)} must be an amount of zero reais or more, e.g. {example}",
            option=name,
            value=value,
        )
    return amount


def _whole(name: str, value: object, low: int, high: int | None) -> int:
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and low <= int(cast(int, value)) and (high is None or int(cast(int, value)) <= high):
        return int(cast(int, value))
    span = f"from {low} to {high}" if high is not None else f"of {low} or more"
    hint = ""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        hint = f": write {name}={int(value)} (a number, not text)"
    raise InvalidOption(
        f"{name}={_shown(value)} is not accepted: it must be a whole number {span}{hint}",
        option=name,
        value=value,
    )


def _rate(value: object) -> float | None:
    if value is None:
        return None
    number = None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    if number is None or not math.isfinite(number) or number <= 0:
        raise InvalidOption(
            f"rate_limit={_shown(value)} is not accepted: it must be a positive number of "
            "requests per second (e.g. rate_limit=5), or None for no limit",
            option="rate_limit",
            value=value,
        )
    return number


def _fill(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidOption(
            f"fill={_shown(value)} is not accepted: it must be text, e.g. fill='cliente'",
            option="fill",
            value=value,
        )
    found = forbidden_character(value)
    if found is not None:
        raise InvalidOption(
            f"fill={_shown(value)} holds {found}, which DirectCall cannot carry: remove it",
            option="fill",
            value=value,
            problem="forbidden",
        )
    return value


@functools.lru_cache(maxsize=256)
def _checked_sender(text: str) -> str | None:
    """The reason a sender written as ``text`` cannot be used, or None when it can."""
    from directcall_nb.phones import normalize_phone

    result = normalize_phone(text, allow_international=True)
    if result.valid and result.phone == text and is_directcall_number(text):
        return None
    if result.valid:
        return f"write it as {result.phone}"
    return result.reason or "it is not a phone number"


def _sender(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | numbers.Integral):
        raise InvalidSender(
            f"sender={_shown(value)} is not a number in DirectCall's format: write it as text, "
            "55 + DDD + number, e.g. sender='551130600300'",
            value=value,
            problem="format",
        )
    text = value.strip() if isinstance(value, str) else str(int(value))
    problem = _checked_sender(text)
    if problem is not None:
        suggestion = problem.removeprefix("write it as ") if problem.startswith("write") else None
        raise InvalidSender(
            f"sender={_shown(value)} is not a number in DirectCall's format (55 + DDD + number, "
            f"digits only): {problem}",
            value=value,
            suggestion=suggestion,
            problem="format" if suggestion else "invalid",
        )
    return text


def check_delay(value: object, option: str = "older_than") -> timedelta:
    """A delay of zero or more, given as a timedelta or a number of seconds.

    Raises
    ------
    InvalidOption
        For anything else (a negative delay, text, NaN).
    """
    if isinstance(value, timedelta) and value >= timedelta(0):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        seconds = float(value)
        if math.isfinite(seconds) and seconds >= 0:
            return timedelta(seconds=seconds)
    raise InvalidOption(
        f"{option}={_shown(value)} is not accepted: give how long after a request the usage "
        f"statement shows it, as a timedelta or seconds of zero or more, e.g. "
        f"{option}=timedelta(minutes=30)",
        option=option,
        value=value,
        suggestion=f"{option}=timedelta(minutes=30)",
    )


def check_schedule(value: object, *, now: datetime | None = None) -> datetime:
    """Read a schedule and check that it is at least `SCHEDULE_LEAD` ahead of ``now``.

    Parameters
    ----------
    value : datetime or str
        A naive datetime (or an ISO string without an offset) is Brazil time; an aware one is
        converted.
    now : datetime, optional
        The present moment (aware); the clock by default.

    Returns
    -------
    datetime
        The moment, aware, in Brazil time, to the second.

    Raises
    ------
    InvalidSchedule
        The value cannot be read, is a date without a time, or is not far enough ahead.
    """
    moment = read_moment(value, "the schedule", InvalidSchedule).replace(microsecond=0)
    present = (now or datetime.now(BRAZIL_TIME)).astimezone(BRAZIL_TIME)
    if moment <= present:
        raise InvalidSchedule(
            f"the schedule {moment:%d/%m/%Y %H:%M:%S} (Brasília time) is in the past; it is now "
            f"{present:%d/%m/%Y %H:%M:%S} there: choose a later time",
            value=value,
            problem="past",
            moment=moment,
            now=present,
        )
    if moment - present < SCHEDULE_LEAD:
        raise InvalidSchedule(
            f"the schedule {moment:%d/%m/%Y %H:%M:%S} (Brasília time) is less than "
            f"{int(SCHEDULE_LEAD.total_seconds() // 60)} minute ahead; it is now "
            f"{present:%d/%m/%Y %H:%M:%S} there: choose a later time, or send now",
            value=value,
            problem="too_close",
            moment=moment,
            now=present,
        )
    return moment


# -- the session's settings ------------------------------------------------------------------------


class _SettingsModule(types.ModuleType):
    """This module, whose settings are checked when the user sets them."""

    @property
    def language(self) -> Language:
        """The language of reprs and reports: ``"pt"`` or ``"en"`` (default: the locale's)."""
        return current_language()

    @language.setter
    def language(self, value: object) -> None:
        set_language(value)

    @property
    def mask_phones(self) -> bool:
        """Whether displays mask phone numbers (default True)."""
        return masking_phones()

    @mask_phones.setter
    def mask_phones(self, value: object) -> None:
        set_mask_phones(bool(_flag("mask_phones", value)))


sys.modules[__name__].__class__ = _SettingsModule
