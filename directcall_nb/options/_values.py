"""The checks of single option values: each reads one value, or refuses it with the fix.

Every refusal is an `InvalidOption` (`InvalidSender`, `InvalidSchedule`) whose message names the
option, quotes the value (`shown_value`, cut to 40 characters) and says what to write instead.
"""

from __future__ import annotations

import functools
import math
import numbers
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import cast

import numpy as np

from directcall_nb.client import is_directcall_number
from directcall_nb.display import clipped, quoted
from directcall_nb.errors import InvalidOption, InvalidSchedule, InvalidSender
from directcall_nb.moments import BRAZIL_TIME, read_moment
from directcall_nb.text import forbidden_character
from directcall_nb.vocabulary import CHANNELS, POLICIES, Channel, Language, Policy, is_digits

__all__ = [
    "SCHEDULE_LEAD",
    "check_channel",
    "check_delay",
    "check_fill",
    "check_flag",
    "check_money",
    "check_policy",
    "check_rate",
    "check_schedule",
    "check_sender",
    "check_whole",
    "checked_keywords",
    "checked_language",
    "shown_value",
]

#: A scheduled send must be at least this far ahead when each of its requests is claimed.
SCHEDULE_LEAD = timedelta(minutes=1)

_CHANNEL_WORDS = {"sms": "sms", "texto": "sms", "voice": "voice", "voz": "voice"}


def shown_value(value: object) -> str:
    """Return `value` as a message quotes it: its repr (a Decimal as written), cut to 40."""
    return clipped(str(value)) if isinstance(value, Decimal) else quoted(value)


def checked_language(value: object, *, option: str = "language") -> Language:
    """Return `value` if it is ``"pt"`` or ``"en"``.

    Raises
    ------
    InvalidOption
        For any other value.
    """
    if value == "pt" or value == "en":
        return value
    raise InvalidOption(
        f"{option}={quoted(value)} is not accepted: use 'pt' (Portuguese) or 'en' (English)",
        option=option,
        value=value,
    )


def checked_keywords(value: object, *, option: str = "opt_out_keywords") -> tuple[str, ...]:
    """Return opt-out keywords as a tuple of trimmed texts, each with a letter or a digit.

    Raises
    ------
    InvalidOption
        ``value`` is a single text, not a list or tuple, empty, or holds a keyword that is not
        text or is only spaces and punctuation.
    """
    example = f"write {option}=('SAIR', 'PARE', 'NÃO QUERO')"
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise InvalidOption(
            f"{option}={quoted(value)} is not accepted: give a list of keywords; {example}",
            option=option,
            value=value,
            suggestion=example,
        )
    keywords = tuple(dict.fromkeys(k.strip() if isinstance(k, str) else k for k in value))
    for keyword in keywords:
        if not isinstance(keyword, str) or not any(ch.isalnum() for ch in keyword):
            raise InvalidOption(
                f"{option} holds {quoted(keyword)}, which is no keyword: each must be a text "
                f"with a letter or a digit; {example}",
                option=option,
                value=value,
                suggestion=example,
            )
    if not keywords:
        raise InvalidOption(
            f"{option} is empty: no reply would opt out; {example}",
            option=option,
            value=value,
            suggestion=example,
        )
    return keywords


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if isinstance(value, str) and value in allowed:
        return value
    listed = " or ".join(repr(a) for a in allowed)
    raise InvalidOption(
        f"{name}={shown_value(value)} is not one of {listed}", option=name, value=value
    )


def check_channel(value: object) -> Channel:
    """Return the channel ``value`` names; ``"texto"`` or ``"voz"`` is refused with the fix."""
    if isinstance(value, str) and value.strip().lower() in _CHANNEL_WORDS:
        meant = _CHANNEL_WORDS[value.strip().lower()]
        if meant != value:
            raise InvalidOption(
                f"channel={shown_value(value)} is not an option: write channel={meant!r}",
                option="channel",
                value=value,
                suggestion=f"channel={meant!r}",
            )
    return cast(Channel, _choice("channel", value, CHANNELS))


def check_policy(value: object) -> Policy:
    """Return the billing policy ``value`` names (``"directcall"`` or ``"gsm"``)."""
    return cast(Policy, _choice("policy", value, POLICIES))


def check_flag(name: str, value: object, *, allow_none: bool = False) -> bool | None:
    """Return the option ``name`` as a bool (or None, when ``allow_none``).

    Text such as ``"s"`` or ``"sim"``, or the numbers 0 and 1, are refused with the bool meant.
    """
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
        f"{name}={shown_value(value)} is not accepted: it must be {allowed}{hint}",
        option=name,
        value=value,
        suggestion=None if meant is None else f"{name}={meant}",
    )


def check_money(name: str, value: object) -> Decimal | None:
    """Return the amount of reais the option ``name`` holds, or None when it is not given.

    An amount written with a decimal comma (``"0,08"``) is refused with the dotted one.
    """
    if value is None:
        return None
    example = f"{name}='0.08'" if name == "price_per_segment" else f"{name}='50.00'"
    if isinstance(value, bool):
        raise InvalidOption(
            f"{name}={quoted(value)} is not an amount of reais: write it as {example}",
            option=name,
            value=value,
        )
    text = str(value).strip() if isinstance(value, str) else None
    if text is not None and "," in text:
        dotted = text.replace(".", "").replace(",", ".") if "." in text else text.replace(",", ".")
        raise InvalidOption(
            f"{name}={quoted(value)} uses a decimal comma; in Python write the amount with a dot: "
            f"{name}={quoted(dotted)}",
            option=name,
            value=value,
            suggestion=f"{name}={dotted!r}",
        )
    try:
        amount = Decimal(text if text is not None else str(value))
    except (InvalidOperation, ValueError):
        raise InvalidOption(
            f"{name}={shown_value(value)} is not an amount of reais: write it as {example}",
            option=name,
            value=value,
        ) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidOption(
            f"{name}={shown_value(value)} must be an amount of zero reais or more, e.g. {example}",
            option=name,
            value=value,
        )
    return amount


def check_whole(name: str, value: object, low: int, high: int | None) -> int:
    """Return the option ``name`` as a whole number from ``low`` to ``high`` (None: no top)."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and low <= int(cast(int, value)) and (high is None or int(cast(int, value)) <= high):
        return int(cast(int, value))
    span = f"from {low} to {high}" if high is not None else f"of {low} or more"
    hint = ""
    if isinstance(value, str) and is_digits(value.strip()):
        hint = f": write {name}={int(value)} (a number, not text)"
    raise InvalidOption(
        f"{name}={shown_value(value)} is not accepted: it must be a whole number {span}{hint}",
        option=name,
        value=value,
    )


def check_rate(value: object) -> float | None:
    """Return ``rate_limit`` as a positive number of requests per second, or None."""
    if value is None:
        return None
    number = None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
    if number is None or not math.isfinite(number) or number <= 0:
        raise InvalidOption(
            f"rate_limit={shown_value(value)} is not accepted: it must be a positive number of "
            "requests per second (e.g. rate_limit=5), or None for no limit",
            option="rate_limit",
            value=value,
        )
    return number


def check_fill(value: object) -> str | None:
    """Return ``fill``: text DirectCall can carry, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidOption(
            f"fill={shown_value(value)} is not accepted: it must be text, e.g. fill='cliente'",
            option="fill",
            value=value,
        )
    found = forbidden_character(value)
    if found is not None:
        raise InvalidOption(
            f"fill={shown_value(value)} holds {found}, which DirectCall cannot carry: remove it",
            option="fill",
            value=value,
            problem="forbidden",
        )
    return value


@functools.lru_cache(maxsize=256)
def _sender_problem(text: str) -> str | None:
    """Return the reason a sender written as ``text`` cannot be used, or None when it can."""
    from directcall_nb.phones import normalize_phone

    result = normalize_phone(text, allow_international=True)
    if result.valid and result.phone == text and is_directcall_number(text):
        return None
    if result.valid:
        return f"write it as {result.phone}"
    return result.reason or "it is not a phone number"


def check_sender(value: object) -> str:
    """Return the sender number as DirectCall's digits (``"551130600300"``).

    Raises
    ------
    InvalidSender
        A value that is not a number in DirectCall's format; the suggestion is the number as it
        should be written, when it is a valid number written otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, str | numbers.Integral):
        raise InvalidSender(
            f"sender={shown_value(value)} is not a number in DirectCall's format: write it as "
            "text, 55 + DDD + number, e.g. sender='551130600300'",
            value=value,
            problem="format",
        )
    text = value.strip() if isinstance(value, str) else str(int(value))
    problem = _sender_problem(text)
    if problem is not None:
        suggestion = problem.removeprefix("write it as ") if problem.startswith("write") else None
        raise InvalidSender(
            f"sender={shown_value(value)} is not a number in DirectCall's format (55 + DDD + "
            f"number, digits only): {problem}",
            value=value,
            suggestion=suggestion,
            problem="format" if suggestion else "invalid",
        )
    return text


def check_delay(value: object, option: str = "older_than") -> timedelta:
    """Return a delay of zero or more, given as a timedelta or a number of seconds.

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
        f"{option}={shown_value(value)} is not accepted: give how long after a request the "
        f"usage statement shows it, as a timedelta or seconds of zero or more, e.g. "
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
