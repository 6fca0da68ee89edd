"""Python values written as DirectCall's form fields: the request side of the wire format.

Every function here checks its value and raises an `InputError` naming what is wrong before
anything is sent: the sender, the text, the channel and the flags of a send, its custom fields
and its audio file, a recipient's number, a callerid. The recipients as a whole are written by
``_recipients``, moments by ``_dates``. Nothing here speaks HTTP.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from directcall_nb.client._dates import cron_field
from directcall_nb.display import quoted
from directcall_nb.errors import InputError, InvalidSender, MessageTooLong
from directcall_nb.vocabulary import (
    MAX_AUDIO_BYTES,
    MAX_TEXT_CHARACTERS,
    VOICE_ATTEMPTS,
    is_digits,
)

__all__ = [
    "CUSTOM_FIELDS",
    "MAX_AUDIO_BYTES",
    "FilePart",
    "audio_files",
    "callerid_field",
    "channel_field",
    "custom_fields",
    "flag_field",
    "is_directcall_number",
    "recipient_number",
    "send_fields",
    "sender_field",
    "text_field",
    "window_fields",
]


#: Where DirectCall keeps a send's custom fields: ``campos[<name>]`` in a form, ``campos`` in an
#: entry of the usage statement.
CUSTOM_FIELDS = "campos"

#: A multipart file part as httpx takes it: (filename, content, content type).
FilePart = tuple[str, IO[bytes] | bytes, str]

_NUMBER = re.compile(r"55[0-9]{10,11}|00[1-9][0-9]{6,14}")
_NUMBER_FORMAT = (
    "digits only: 55 + DDD + number (12 or 13 digits, e.g. 5541999990001) "
    "or 00 + country code + number"
)


def is_directcall_number(text: str) -> bool:
    """Tell whether ``text`` is written as DirectCall expects a phone number (digits only).

    That is ``55`` + DDD + number (12 or 13 digits in all) or ``00`` + country code + number.
    Whether the number exists is not checked here; `directcall_nb.normalize_phones` does that.
    """
    return _NUMBER.fullmatch(text) is not None


def _as_digits(value: object) -> str | None:
    """Return the text of a str or an integer; ``None`` for anything else (floats lose digits)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return None
    try:
        return str(operator.index(value))  # type: ignore[arg-type]
    except TypeError:
        return None


def recipient_number(value: object, position: int) -> str:
    """Return a recipient as DirectCall writes it, or raise naming it and its position.

    Parameters
    ----------
    value : str or int
        One recipient.
    position : int
        Where it was in the recipients given, counting from 0.

    Raises
    ------
    InputError
        When the value is not written as DirectCall expects.
    """
    text = _as_digits(value)
    if text is None or _NUMBER.fullmatch(text) is None:
        hint = (
            "keep phone numbers as text, since a float can lose digits"
            if isinstance(value, float)
            else "directcall_nb.normalize_phones can clean a column"
        )
        raise InputError(
            f"the recipient at position {position} (counting from 0), {quoted(value)}, is not a "
            f"DirectCall number: write it as {_NUMBER_FORMAT} ({hint})"
        )
    return text


def sender_field(sender: object) -> str:
    """Return the ``origem`` field.

    Raises
    ------
    InvalidSender
        When the sender is missing or not written as DirectCall expects.
    """
    text = _as_digits(sender)
    if not text or _NUMBER.fullmatch(text) is None:
        raise InvalidSender(
            f"the sender {quoted(sender)} is not a DirectCall number: write it as {_NUMBER_FORMAT}",
            value=sender,
            problem="format",
        )
    return text


def text_field(text: object) -> str:
    """Return the ``texto`` field.

    Raises
    ------
    InputError
        When the text is not a string or is empty.
    MessageTooLong
        When it has more than 700 characters.
    """
    if not isinstance(text, str):
        raise InputError(f"the message text must be a str, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the message text is empty")
    if len(text) > MAX_TEXT_CHARACTERS:
        raise MessageTooLong(
            f"the message has {len(text)} characters; DirectCall accepts at most "
            f"{MAX_TEXT_CHARACTERS}: shorten it",
            characters=len(text),
        )
    return text


def channel_field(channel: str) -> str:
    """Return the ``tipo`` field: ``"texto"`` for ``"sms"``, ``"voz"`` for ``"voice"``."""
    if channel == "sms":
        return "texto"
    if channel == "voice":
        return "voz"
    raise InputError(f"channel must be 'sms' or 'voice', not {quoted(channel)}")


def attempts_field(attempts: object, channel: str) -> str:
    """Return the ``num_tentativas`` field: the calls per number of a voice send, 1 to 5.

    Raises
    ------
    InputError
        A number out of range or not whole, or attempts for an SMS.
    """
    low, high = VOICE_ATTEMPTS
    if channel != "voice":
        raise InputError("num_tentativas applies to voice calls only (channel='voice')")
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not low <= attempts <= high:
        raise InputError(
            f"num_tentativas must be a whole number from {low} to {high}, not {quoted(attempts)}"
        )
    return str(attempts)


def flag_field(value: bool | None, name: str) -> str | None:
    """Return ``"s"`` / ``"n"`` for True / False, ``None`` (field left out) for None."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InputError(f"{name} must be True, False or None, not {quoted(value)}")
    return "s" if value else "n"


def send_fields(
    text: object,
    *,
    sender: object,
    channel: str,
    schedule: object | None,
    short_number: bool | None,
    show_sender: bool | None,
    with_audio: bool = False,
    attempts: int | None = None,
) -> dict[str, str]:
    """Return the fields of ``/sms/send`` other than the recipients, the token and files.

    ``tipo`` is always written (``texto`` or ``voz``); ``cron``, ``short_number``,
    ``id_origem`` and ``num_tentativas`` only when given. ``texto`` is left out when it is
    blank and an audio is sent (``with_audio``): the recording is the message.
    """
    fields = {"origem": sender_field(sender)}
    if not (with_audio and isinstance(text, str) and not text.strip()):
        fields["texto"] = text_field(text)
    fields["tipo"] = channel_field(channel)
    if attempts is not None:
        fields["num_tentativas"] = attempts_field(attempts, channel)
    if schedule is not None:
        fields["cron"] = cron_field(schedule)
    for field, flag, name in (
        ("short_number", short_number, "short_number"),
        ("id_origem", show_sender, "show_sender"),
    ):
        value = flag_field(flag, name)
        if value is not None:
            fields[field] = value
    return fields


def window_fields(hours: tuple[int, int] | None, channel: str) -> dict[str, str]:
    """Return ``enviar_de`` / ``enviar_ate``: the daily hours (0 to 23) a voice batch goes out in.

    DirectCall documents them for voice batches: its calls, and their retries, are placed only
    between those hours (Brasília time), continuing on later days. None gives no field.

    Raises
    ------
    InputError
        Hours on an SMS, hours that are not whole numbers from 0 to 23, or a last hour before
        the first.
    """
    if hours is None:
        return {}
    if channel != "voice":
        raise InputError("a daily window (enviar_de / enviar_ate) applies to channel='voice' only")
    valid = (
        isinstance(hours, tuple)
        and len(hours) == 2
        and all(isinstance(h, int) and not isinstance(h, bool) and 0 <= h <= 23 for h in hours)
    )
    if not valid or hours[0] > hours[1]:
        raise InputError(
            f"the daily window {quoted(hours)} is not two whole hours from 0 to 23, the first "
            "not after the last, e.g. (8, 19)"
        )
    return {"enviar_de": str(hours[0]), "enviar_ate": str(hours[1])}


#: A custom field's name: any text DirectCall can carry as ``campos[<name>]`` (no brackets, no
#: control characters; PHP would read brackets as a nested array).
_FIELD_NAME = re.compile(r"[^\[\]\x00-\x1f\x7f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def custom_fields(values: Mapping[str, str] | None) -> dict[str, str]:
    """Return the custom fields of a send or of a statement filter: ``campos[<name>]=<value>``.

    DirectCall keeps the custom fields of a send with it and shows them in the usage statement,
    which can be filtered by them.

    Parameters
    ----------
    values : mapping of str to str, or None
        The fields, by name; None or an empty mapping gives none.

    Raises
    ------
    InputError
        A name that is empty, not a string, or holds brackets or control characters; a value
        that is not a string or holds control characters.
    """
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise InputError(
            f"custom fields must be a mapping of names to texts, not {type(values).__name__}"
        )
    written: dict[str, str] = {}
    for name, value in values.items():
        if not isinstance(name, str) or not name.strip() or not _FIELD_NAME.fullmatch(name):
            raise InputError(
                f"the custom field name {quoted(name)} cannot be sent: write a non-empty text "
                "without brackets or control characters (it is sent as campos[<name>])"
            )
        if not isinstance(value, str) or _CONTROL.search(value):
            raise InputError(
                f"the custom field {name!r} must be a text without control characters, "
                f"not {quoted(value)}"
            )
        written[f"{CUSTOM_FIELDS}[{name}]"] = value
    return written


def callerid_field(callerid: object) -> str:
    """Return the ``code`` field of ``/sms/status`` and ``/sms/remove``: the send's callerid."""
    text = str(callerid).strip() if isinstance(callerid, str | int) else ""
    if isinstance(callerid, bool) or not is_digits(text):
        raise InputError(f"the callerid must be the digits a send answered, not {quoted(callerid)}")
    return text


def audio_files(audio: str | os.PathLike[str] | bytes | None, channel: str) -> dict[str, FilePart]:
    """Return the ``audio`` file part of a send, read from a path or given as bytes; none for None.

    Raises
    ------
    InputError
        For audio on an SMS, a file that cannot be read, or more than 4 MB.
    """
    if audio is None:
        return {}
    if channel != "voice":
        raise InputError("audio can only be sent with channel='voice'")
    if isinstance(audio, bytes | bytearray):
        name, content = "audio.mp3", bytes(audio)
    elif isinstance(audio, str | os.PathLike):
        path = Path(audio)
        try:
            size = path.stat().st_size
            if size > MAX_AUDIO_BYTES:
                raise InputError(_audio_too_big(size))
            content = path.read_bytes()
        except OSError as exc:
            raise InputError(f"the audio file {str(path)!r} cannot be read: {exc}") from exc
        name = path.name
    else:
        raise InputError(f"audio must be a path or bytes, not {type(audio).__name__}")
    if not content:
        raise InputError("the audio is empty")
    if len(content) > MAX_AUDIO_BYTES:
        raise InputError(_audio_too_big(len(content)))
    return {"audio": (name, content, "audio/mpeg")}


def _audio_too_big(size: int) -> str:
    return f"the audio has {size:,} bytes; DirectCall accepts at most {MAX_AUDIO_BYTES:,} (4 MB)"
