"""What one message costs: characters, encoding, and billable SMS parts under a billing policy.

Also the GSM-7 stand-ins for characters that force a message into UCS-2, which the compose form
offers ("replace them") together with what would change.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from directcall_nb.errors import InputError, InvalidSender, MessageTooLong
from directcall_nb.text._gsm import count_parts, grapheme_clusters, gsm_items, is_gsm
from directcall_nb.vocabulary import (
    CHANNELS,
    MAX_TEXT_CHARACTERS,
    POLICIES,
    SMS_CHARACTERS,
    Channel,
    Policy,
)

__all__ = [
    "SegmentCount",
    "check_options",
    "count_segments",
    "replace_ucs2",
    "sender_digits",
    "ucs2_characters",
    "ucs2_replacements",
]


@dataclass(frozen=True)
class SegmentCount:
    """How a message is billed.

    Attributes
    ----------
    encoding : {"GSM-7", "UCS-2"}
        The encoding carriers would use (informational under ``policy="directcall"``).
    characters : int
        Code points of the text as billed (the sender's digits included when counted).
    units : int
        What the policy counts: characters (``"directcall"`` and voice), septets (GSM-7) or
        UTF-16 code units (UCS-2).
    segments : int
        Billable units: SMS parts, or 1 for a voice message.
    ucs2_characters : tuple of str
        The distinct characters (grapheme clusters) that force UCS-2, in order of first
        appearance.
    """

    encoding: Literal["GSM-7", "UCS-2"]
    characters: int
    units: int
    segments: int
    ucs2_characters: tuple[str, ...]


def check_options(policy: str, channel: str) -> None:
    """Raise :class:`InputError` for an unknown policy or channel."""
    if policy not in POLICIES:
        raise InputError(f"policy must be one of {POLICIES}, not {policy!r}")
    if channel not in CHANNELS:
        raise InputError(f"channel must be one of {CHANNELS}, not {channel!r}")


def sender_digits(sender: object, show_sender: bool, channel: str) -> str:
    """Return the digits of the sender number an SMS counts, or ``""`` when it is not shown.

    Raises
    ------
    InvalidSender
        ``show_sender`` is set for an SMS but the sender has no digits.
    """
    if not show_sender or channel != "sms":
        return ""
    digits = "".join(ch for ch in str(sender) if ch in "0123456789") if sender else ""
    if not digits:
        raise InvalidSender(
            "show_sender=True puts the sender number (origem) at the start of each SMS and "
            f"counts its digits, so a sender number is needed; got {sender!r}",
            value=sender,
            problem="missing",
        )
    return digits


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise InputError(f"the message must be text (str), not {type(text).__name__}")
    if not text:
        raise InputError("the message is empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"character {exc.start + 1} of the message is not valid Unicode text "
            "(a lone surrogate); fix the text before sending"
        ) from exc
    if len(text) > MAX_TEXT_CHARACTERS:
        raise MessageTooLong(
            f"the message has {len(text)} characters; DirectCall accepts at most "
            f"{MAX_TEXT_CHARACTERS}: shorten it by {len(text) - MAX_TEXT_CHARACTERS}",
            characters=len(text),
        )
    return text


def ucs2_characters(text: str) -> tuple[str, ...]:
    """Return the distinct characters of ``text`` that force UCS-2, in order of appearance.

    Each is a grapheme cluster (an emoji with its skin tone, a letter with its accents) that is
    not GSM-7; ``()`` for a GSM-7 text.

    Examples
    --------
    >>> ucs2_characters("Não perca – é hoje!")
    ('ã', '–')
    """
    if is_gsm(text):
        return ()
    found = (cluster for cluster in grapheme_clusters(text) if not is_gsm(cluster))
    return tuple(dict.fromkeys(found))


def count_segments(
    text: str,
    *,
    policy: Policy = "directcall",
    channel: Channel = "sms",
    sender: object = None,
    show_sender: bool = False,
) -> SegmentCount:
    """Count what one message is billed.

    Parameters
    ----------
    text : str
        The final message text.
    policy : {"directcall", "gsm"}
        ``"directcall"`` (default): DirectCall's documented rule, 140 characters per SMS.
        ``"gsm"``: the carriers' GSM 03.38 rule (see :mod:`directcall_nb.text._gsm`): 160 septets in
        one GSM-7 SMS or 153 per part, 70 UTF-16 units in one UCS-2 SMS or 67 per part, one
        non-GSM character making the whole text UCS-2, a part never splitting a character.
    channel : {"sms", "voice"}
        A voice message is one billable call per recipient; its sender is never counted.
    sender : str or int, optional
        The sender number (``origem``); needed when ``show_sender`` is set.
    show_sender : bool
        The sender number is shown at the start of the SMS, so its digits count as text.

    Raises
    ------
    InputError
        The text is empty, not a string, or not valid Unicode; or an unknown policy/channel.
    MessageTooLong
        The text has more than 700 characters (DirectCall's limit, sender not included).
    InvalidSender
        ``show_sender`` is set without a sender number.

    Examples
    --------
    >>> count_segments("a" * 141).segments
    2
    >>> count_segments("a" * 141, policy="gsm").segments
    1
    >>> count_segments("Olá, tudo bem?", policy="gsm").encoding
    'UCS-2'
    """
    check_options(policy, channel)
    text = _check_text(text)
    billed = sender_digits(sender, show_sender, channel) + text
    ucs2 = ucs2_characters(billed)
    encoding: Literal["GSM-7", "UCS-2"] = "UCS-2" if ucs2 else "GSM-7"
    characters = len(billed)
    if channel == "voice":
        return SegmentCount(encoding, characters, characters, 1, ucs2)
    if policy == "directcall":
        segments = -(-characters // SMS_CHARACTERS)
        return SegmentCount(encoding, characters, characters, segments, ucs2)
    _, sizes, (single, capacity) = gsm_items(billed)
    segments = count_parts(sizes, single, capacity)
    return SegmentCount(encoding, characters, sum(sizes), segments, ucs2)


_PUNCTUATION = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "`": "'",
    "´": "'",
    "–": "-",
    "—": "-",
    "‒": "-",
    "―": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "…": "...",
    "•": "-",
    "·": ".",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\t": " ",
    "\u200b": "",
    "\u00ad": "",
    "\ufeff": "",
    "º": "o",
    "ª": "a",
    "œ": "oe",
    "Œ": "OE",
    "ı": "i",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
}


def _replacement_for(cluster: str) -> str | None:
    """Return a GSM-7 stand-in for one non-GSM grapheme cluster, or None when none is obvious.

    Punctuation gets its plain form (curly quotes, dashes, ellipsis, odd spaces), a letter
    whose composed form is GSM-7 gets that form, and other accented letters lose their
    accents (``ã`` → ``a``, ``ç`` → ``c``, ``Ê`` → ``E``). Emoji and other scripts get None.
    """
    if cluster in _PUNCTUATION:
        return _PUNCTUATION[cluster]
    composed = unicodedata.normalize("NFC", cluster)
    if is_gsm(composed):
        return composed
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", cluster) if unicodedata.category(ch) != "Mn"
    )
    if bare and bare.isalpha() and is_gsm(bare):
        return bare
    return None


def ucs2_replacements(text: str) -> dict[str, str]:
    """Return GSM-7 stand-ins for the characters of ``text`` that force UCS-2, where obvious.

    Accented letters outside GSM-7 lose their accent (``ã`` → ``a``, ``ç`` → ``c``,
    ``Ó`` → ``O``), curly quotes and dashes become plain ones, ``…`` becomes ``...``, odd spaces
    become a space. Letters that GSM-7 has (``é É à Ç ü ñ`` …) are never touched, and characters
    without an obvious stand-in (emoji, other scripts) are left out of the result.

    Examples
    --------
    >>> ucs2_replacements("Não perca – é hoje! 🎉")
    {'ã': 'a', '–': '-'}
    """
    found = {cluster: _replacement_for(cluster) for cluster in ucs2_characters(text)}
    return {cluster: stand_in for cluster, stand_in in found.items() if stand_in is not None}


def replace_ucs2(text: str) -> str:
    """Return ``text`` with :func:`ucs2_replacements` applied (characters without one kept)."""
    table = ucs2_replacements(text)
    if not table:
        return text
    return "".join(table.get(cluster, cluster) for cluster in grapheme_clusters(text))
