"""Python values written as DirectCall's form fields: the request side of the wire format.

Every function here checks its value and raises an `InputError` naming what is wrong before
anything is sent. Nothing here speaks HTTP.
"""

from __future__ import annotations

import itertools
import operator
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from directcall_nb.errors import InputError, InvalidSchedule, InvalidSender, MessageTooLong
from directcall_nb.moments import BRAZIL_TIME, read_day_or_moment, read_moment
from directcall_nb.vocabulary import MAX_TEXT_CHARACTERS

__all__ = [
    "INLINE_RECIPIENTS",
    "MAX_AUDIO_BYTES",
    "SPOOL_IN_MEMORY_BYTES",
    "FilePart",
    "Recipients",
    "audio_part",
    "callerid_field",
    "channel_field",
    "compact_date_field",
    "cron_field",
    "custom_fields",
    "date_field",
    "flag_field",
    "is_directcall_number",
    "recipient_number",
    "send_fields",
    "sender_field",
    "spool_recipients",
    "text_field",
]

#: At most this many recipients go in the ``destino`` field; more go in a ``destino_csv`` file.
INLINE_RECIPIENTS = 10

#: A recipient file is kept in memory up to this size, and spooled to a temporary file above it.
SPOOL_IN_MEMORY_BYTES = 1 << 20


#: DirectCall refuses larger audio files.
MAX_AUDIO_BYTES = 4 * 1024 * 1024

#: A multipart file part as httpx takes it: (filename, content, content type).
FilePart = tuple[str, IO[bytes] | bytes, str]

_NUMBER = re.compile(r"55[0-9]{10,11}|00[1-9][0-9]{6,14}")
_NUMBER_FORMAT = (
    "digits only: 55 + DDD + number (12 or 13 digits, e.g. 5541999990001) "
    "or 00 + country code + number"
)
_LINES_PER_WRITE = 8192


def is_directcall_number(text: str) -> bool:
    """Whether ``text`` is written as DirectCall expects a phone number (digits only).

    That is ``55`` + DDD + number (12 or 13 digits in all) or ``00`` + country code + number.
    Whether the number exists is not checked here; `directcall_nb.normalize_phones` does that.
    """
    return _NUMBER.fullmatch(text) is not None


def _as_digits(value: object) -> str | None:
    """The text of a str or integer value; ``None`` for anything else (floats lose digits)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return None
    try:
        return str(operator.index(value))  # type: ignore[arg-type]
    except TypeError:
        return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
            f"the recipient at position {position} (counting from 0), {_shown(value)}, is not a "
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
            f"the sender {_shown(sender)} is not a DirectCall number: write it as {_NUMBER_FORMAT}",
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
    raise InputError(f"channel must be 'sms' or 'voice', not {_shown(channel)}")


def flag_field(value: bool | None, name: str) -> str | None:
    """Return ``"s"`` / ``"n"`` for True / False, ``None`` (field left out) for None."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InputError(f"{name} must be True, False or None, not {_shown(value)}")
    return "s" if value else "n"


def send_fields(
    text: object,
    *,
    sender: object,
    channel: str,
    schedule: object | None,
    short_number: bool | None,
    show_sender: bool | None,
) -> dict[str, str]:
    """Return the fields of ``/sms/send`` other than the recipients, the token and files.

    ``tipo`` is always written (``texto`` or ``voz``); ``cron``, ``short_number`` and
    ``id_origem`` only when given.
    """
    fields = {
        "origem": sender_field(sender),
        "texto": text_field(text),
        "tipo": channel_field(channel),
    }
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
                f"the custom field name {_shown(name)} cannot be sent: write a non-empty text "
                "without brackets or control characters (it is sent as campos[<name>])"
            )
        if not isinstance(value, str) or _CONTROL.search(value):
            raise InputError(
                f"the custom field {name!r} must be a text without control characters, "
                f"not {_shown(value)}"
            )
        written[f"campos[{name}]"] = value
    return written


def callerid_field(callerid: object) -> str:
    """Return the ``code`` field of ``/sms/status`` and ``/sms/remove``: the send's callerid."""
    text = str(callerid).strip() if isinstance(callerid, str | int) else ""
    if isinstance(callerid, bool) or not text.isdigit():
        raise InputError(f"the callerid must be the digits a send answered, not {_shown(callerid)}")
    return text


def cron_field(schedule: object, *, now: datetime | None = None) -> str:
    """Return the ``cron`` field, ``d-m-Y-H-i-s`` in Brasília time.

    Parameters
    ----------
    schedule : datetime or str
        When to deliver. A naive datetime is read as Brasília time; an aware one is converted.
        An ISO 8601 string is read the same way.
    now : datetime, optional
        The present moment (aware); the clock by default.

    Raises
    ------
    InvalidSchedule
        When the moment cannot be read or is not in the future.
    """
    local = read_moment(schedule, "the schedule", InvalidSchedule)
    present = (now or datetime.now(BRAZIL_TIME)).astimezone(BRAZIL_TIME)
    if local <= present:
        raise InvalidSchedule(
            f"the schedule {local:%d/%m/%Y %H:%M:%S} (Brasília time) is in the past; it is now "
            f"{present:%d/%m/%Y %H:%M:%S} there",
            value=schedule,
            problem="past",
            moment=local,
            now=present,
        )
    return f"{local:%d-%m-%Y-%H-%M-%S}"


def date_field(value: object, *, end_of_day: bool) -> str:
    """Return a ``Y-m-d H:i:s`` field in Brasília time.

    Parameters
    ----------
    value : datetime, date or str
        A naive datetime is read as Brasília time, an aware one converted; a date means its first
        second, or its last one when ``end_of_day``.
    end_of_day : bool
        How to complete a date given without a time.
    """
    moment = read_day_or_moment(value, "the date", InputError, end_of_day=end_of_day)
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def compact_date_field(value: object) -> str:
    """Return a ``YmdHis`` field in Brasília time: ``dataInicial`` / ``dataFinal`` of the statement.

    Parameters
    ----------
    value : datetime or str
        A naive datetime is read as Brasília time, an aware one converted.

    Raises
    ------
    InputError
        When the value cannot be read or is a date without a time.
    """
    return f"{read_moment(value, 'the date', InputError):%Y%m%d%H%M%S}"


def audio_part(audio: str | os.PathLike[str] | bytes | None, channel: str) -> FilePart | None:
    """Return the ``audio`` file part, read from a path or given as bytes.

    Raises
    ------
    InputError
        For audio on an SMS, a file that cannot be read, or more than 4 MB.
    """
    if audio is None:
        return None
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
    return (name, content, "audio/mpeg")


def _audio_too_big(size: int) -> str:
    return f"the audio has {size:,} bytes; DirectCall accepts at most {MAX_AUDIO_BYTES:,} (4 MB)"


@dataclass(frozen=True)
class Recipients:
    """The recipients of one send, written either inline or as a file.

    Attributes
    ----------
    count : int
        How many there are.
    inline : str or None
        The ``destino`` field (numbers joined by ``;``) when there are at most 10.
    file : FilePart or None
        The ``destino_csv`` file part (one number per line) when there are more.
    """

    count: int
    inline: str | None
    file: FilePart | None


def _numbers(to: object) -> Iterator[str]:
    if isinstance(to, str | int) and not isinstance(to, bool):
        yield recipient_number(to, 0)
        return
    if isinstance(to, bytes | bytearray) or not isinstance(to, Iterable):
        raise InputError(
            f"recipients must be a number, a list or another iterable of numbers, "
            f"not {type(to).__name__}"
        )
    for position, value in enumerate(to):
        yield recipient_number(value, position)


@contextmanager
def spool_recipients(to: object) -> Iterator[Recipients]:
    """Check every recipient, then write them as DirectCall takes them.

    Up to 10 go inline. More are written one per line to a ``tempfile.SpooledTemporaryFile``
    (in memory up to `SPOOL_IN_MEMORY_BYTES`, on disk above), so that millions of numbers from a
    generator are never held whole in memory, and the upload still has a known length. The file
    is removed when the block ends.

    Parameters
    ----------
    to : str, int or iterable of str / int
        One recipient, or many.

    Raises
    ------
    InputError
        When there is none, or one is not a DirectCall number (named with its position).
    """
    numbers = _numbers(to)
    first = list(itertools.islice(numbers, INLINE_RECIPIENTS + 1))
    if not first:
        raise InputError("there are no recipients")
    if len(first) <= INLINE_RECIPIENTS:
        yield Recipients(len(first), ";".join(first), None)
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES, mode="w+b") as spool:
        count = 0
        block = first
        while block:
            spool.write(("\n".join(block) + "\n").encode("ascii"))
            count += len(block)
            block = list(itertools.islice(numbers, _LINES_PER_WRITE))
        size = spool.tell()
        content: IO[bytes] | bytes
        if size <= SPOOL_IN_MEMORY_BYTES:  # still in memory: hand over the bytes
            spool.seek(0)
            content = spool.read()
        else:  # on disk: httpx streams the file and reads its length from the file system
            spool.flush()
            spool.seek(0)
            content = spool
        yield Recipients(count, None, ("destinos.csv", content, "text/csv"))
