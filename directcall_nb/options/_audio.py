"""The options of a voice message besides its text: the recorded audio and the attempts per call.

DirectCall documents both for voice sends: ``audio``, an MP3 of at most 4 MB played instead of
reading the text (a voice send may carry it without ``texto``), and ``num_tentativas``, how many
times each number is called (3 by default). The audio is read once, when the options are built,
so a file that is missing, empty or too large is refused before anything is estimated or sent,
and its content's digest is what tells two recordings apart in the journal.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from directcall_nb.display import quoted
from directcall_nb.errors import InvalidOption
from directcall_nb.vocabulary import MAX_AUDIO_BYTES, VOICE_ATTEMPTS

__all__ = ["ATTEMPTS_RANGE", "MAX_AUDIO_BYTES", "Audio", "check_attempts", "read_audio"]

#: The calls per number a voice send may ask for (``num_tentativas``), lowest and highest.
ATTEMPTS_RANGE = VOICE_ATTEMPTS


class Audio:
    """A recorded message for a voice send: its name, its bytes and their SHA-256.

    Its repr names the file and its size, never the bytes.

    Attributes
    ----------
    name : str
        The file's name as it is uploaded (``audio.mp3`` for bytes given directly).
    content : bytes
        The file's content, 1 byte to `MAX_AUDIO_BYTES`.
    digest : str
        The SHA-256 of the content, in hex: the journal's identity of the recording.
    """

    __slots__ = ("content", "digest", "name")

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self.content = content
        self.digest = hashlib.sha256(content).hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Audio) and other.digest == self.digest and other.name == self.name

    def __hash__(self) -> int:
        return hash((self.name, self.digest))

    def __repr__(self) -> str:
        return f"Audio({self.name!r}, {len(self.content):,} bytes, sha256={self.digest[:12]}…)"


def _refuse(message: str, value: object, problem: str) -> InvalidOption:
    return InvalidOption(message, option="audio", value=value, problem=problem)


def read_audio(value: object) -> Audio:
    """Read the ``audio`` option: a path to an MP3, its bytes, or an `Audio` already read.

    Raises
    ------
    InvalidOption
        The file does not exist or cannot be read, is empty, or is over 4 MB; or the value is
        neither a path nor bytes. The message names the file (never its bytes).
    """
    if isinstance(value, Audio):
        return value
    if isinstance(value, bytes | bytearray):
        audio, shown = Audio("audio.mp3", bytes(value)), f"{len(value):,} bytes"
    elif isinstance(value, str | os.PathLike):
        path = Path(value).expanduser()
        shown = str(path)
        if not path.is_file():
            raise _refuse(
                f"audio={quoted(shown)}: there is no such file; give the path of the MP3 to play",
                shown,
                "missing",
            )
        if path.stat().st_size > MAX_AUDIO_BYTES:
            raise _too_big(shown, path.stat().st_size)
        try:
            audio = Audio(path.name, path.read_bytes())
        except OSError as exc:
            raise _refuse(
                f"audio={quoted(shown)} cannot be read ({exc.strerror}): check the file",
                shown,
                "unreadable",
            ) from None
    else:
        raise _refuse(
            f"audio must be the path of an MP3 file or its bytes, not {type(value).__name__}",
            type(value).__name__,
            "type",
        )
    if not audio.content:
        raise _refuse(f"audio={quoted(shown)} is empty: record the message again", shown, "empty")
    if len(audio.content) > MAX_AUDIO_BYTES:
        raise _too_big(shown, len(audio.content))
    return audio


def _too_big(shown: str, size: int) -> InvalidOption:
    return _refuse(
        f"audio={quoted(shown)} has {size:,} bytes; DirectCall accepts at most "
        f"{MAX_AUDIO_BYTES:,} (4 MB): compress it (a lower bit rate, mono) or shorten it",
        shown,
        "too_big",
    )


def check_attempts(value: object) -> int:
    """Return ``num_tentativas`` if it is a whole number of `ATTEMPTS_RANGE`.

    Raises
    ------
    InvalidOption
        For anything else (a bool, a text, a fraction, 0, 6, …).
    """
    low, high = ATTEMPTS_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise InvalidOption(
        f"num_tentativas={quoted(value)} is not accepted: write a whole number of calls per "
        f"number from {low} to {high} (DirectCall calls {3} times when it is left out)",
        option="num_tentativas",
        value=value,
        problem="range",
    )
