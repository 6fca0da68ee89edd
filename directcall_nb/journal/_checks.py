"""The checks of what a caller gives the journal, made before anything is written.

Every text must be a string without NUL characters (most may not be empty either), and every
count a whole number, zero or more; anything else is an `InputError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from directcall_nb.errors import InputError

__all__ = ["check_campaign", "check_claim", "check_count", "check_field"]


def check_campaign(
    fields: Sequence[tuple[str, object]],
    *,
    template: object,
    price_per_segment: object,
    rows: object,
) -> None:
    """Check the arguments of `Journal.start_campaign`: ``fields`` are ``(name, value)`` pairs."""
    for name, value in fields:
        check_field(name, value)
    check_field("template", template, allow_empty=True)
    if price_per_segment is not None and not isinstance(price_per_segment, Decimal):
        raise InputError(f"price_per_segment must be a Decimal or None, not {price_per_segment!r}")
    check_count("rows", rows)


def check_claim(
    text: object, recipients: Sequence[str], segments_each: object, audio: object = None
) -> list[str]:
    """Check the arguments of `Journal.claim`; return its recipients, each once, in order.

    The text may be empty when the message is a recording (``audio``, its SHA-256).
    """
    check_field("text", text, allow_empty=audio is not None)
    if audio is not None:
        check_field("audio", audio)
    if isinstance(recipients, str):
        raise InputError("recipients must be a sequence of numbers, not one string")
    unique = list(dict.fromkeys(recipients))
    for recipient in unique:
        check_field("each recipient", recipient)
    check_count("segments_each", segments_each)
    return unique


def check_field(name: str, value: object, *, allow_empty: bool = False) -> None:
    """Check that ``value`` is a string without NUL, and not empty unless ``allow_empty``."""
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    if not value and not allow_empty:
        raise InputError(f"{name} must not be empty")
    if "\0" in value:
        raise InputError(f"{name} must not contain a NUL character")


def check_count(name: str, value: object) -> None:
    """Check that ``value`` is a whole number (not a bool), zero or more."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InputError(f"{name} must be a whole number, zero or more, not {value!r}")
