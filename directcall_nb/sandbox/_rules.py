"""DirectCall's rules for the fields of a send: recipients, text, flags, and billing.

Each function reads raw form values and either returns the value the sandbox works with or
raises :class:`~directcall_nb.sandbox._wire.WireError` with code ``"001"`` and a message naming
the field, as the real API does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from directcall_nb.sandbox._wire import WireError, shown

__all__ = [
    "DEFAULT_ATTEMPTS",
    "MAX_ATTEMPTS",
    "MAX_AUDIO_BYTES",
    "MAX_DESTINO",
    "MAX_TEXT",
    "SMS_PART",
    "check_text",
    "csv_recipients",
    "custom_fields",
    "destino_recipients",
    "hour",
    "is_valid_phone",
    "required",
    "sender_number",
    "sms_parts",
    "whole_number",
    "yes_no",
]

#: Recipients accepted in the ``destino`` field; more go in a ``destino_csv`` file.
MAX_DESTINO = 10
#: Characters accepted in ``texto``.
MAX_TEXT = 700
#: Characters in one billed SMS part (the sender counts when it is shown).
SMS_PART = 140
#: Size of an ``audio`` upload for a voice message.
MAX_AUDIO_BYTES = 4 * 1024 * 1024
#: Calls per number of a voice send (``num_tentativas``): DirectCall's documented default,
#: and the most the sandbox accepts **[assumed]** (DirectCall documents no bound).
DEFAULT_ATTEMPTS, MAX_ATTEMPTS = 3, 5

_BRAZIL_PHONE = re.compile(r"[0-9]{12,13}")
_INTERNATIONAL_PHONE = re.compile(r"00[1-9][0-9]{6,14}")
_SENDER = re.compile(r"[0-9]{4,15}")
_DIGIT_RUNS = re.compile(rb"[0-9]+")
_HOUR = re.compile(r"[0-9]{1,2}")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
_CUSTOM_FIELD = re.compile(r"campos\[([^\[\]]*)\]", re.DOTALL)
_SHOWN_INVALID = 10


def required(fields: Mapping[str, str], name: str) -> str:
    """Return the value of a field that must be present and not blank."""
    value = fields.get(name)
    if value is None or value.strip() == "":
        raise WireError("001", f"Parâmetro obrigatório ausente: {name}")
    return value


def whole_number(fields: Mapping[str, str], name: str, default: int, largest: int) -> int:
    """Return a whole number from 1 to ``largest`` in ASCII digits, such as ``pagina``.

    An absent or blank field gives ``default``.
    """
    value = fields.get(name, "").strip()
    if value == "":
        return default
    if not _WHOLE_NUMBER.fullmatch(value) or not 1 <= int(value) <= largest:
        raise WireError(
            "001",
            f"O campo {name} deve ser um número inteiro de 1 a {largest}, não '{shown(value)}'",
        )
    return int(value)


def is_valid_phone(number: str) -> bool:
    """Tell whether ``number`` is a destination DirectCall accepts.

    Brazilian numbers are ``DDI DDD NUMERO`` in 12 or 13 digits (``554130600300``,
    ``5541999990001``); international ones are ``00``, the country code, and the number.
    """
    return bool(_BRAZIL_PHONE.fullmatch(number) or _INTERNATIONAL_PHONE.fullmatch(number))


def _check_phones(field: str, numbers: list[str]) -> list[str]:
    if not numbers:
        raise WireError("001", f"Parâmetro obrigatório ausente: {field} não contém nenhum número")
    invalid = [n for n in numbers if not is_valid_phone(n)]
    if invalid:
        listed = ", ".join(shown(n, 20) for n in invalid[:_SHOWN_INVALID])
        more = len(invalid) - _SHOWN_INVALID
        suffix = f" e mais {more}" if more > 0 else ""
        raise WireError(
            "001",
            f"Número(s) inválido(s) em {field}: {listed}{suffix}. Use somente dígitos no formato "
            "DDI DDD NUMERO (ex.: 5541999990001) ou 00 + código do país + número",
        )
    return numbers


def destino_recipients(value: str) -> list[str]:
    """Split ``destino`` (numbers separated by ``;``) and check count and format."""
    numbers = [part.strip() for part in value.split(";") if part.strip()]
    if len(numbers) > MAX_DESTINO:
        raise WireError(
            "001",
            f"O campo destino aceita no máximo {MAX_DESTINO} números separados por ';' "
            f"(recebidos: {len(numbers)}); para mais números envie o arquivo destino_csv",
        )
    return _check_phones("destino", numbers)


def csv_recipients(content: bytes) -> list[str]:
    """Read the numbers of a ``destino_csv`` file: runs of digits separated by anything else."""
    numbers = [run.decode("ascii") for run in _DIGIT_RUNS.findall(content)]
    return _check_phones("destino_csv", numbers)


def sender_number(value: str) -> str:
    """Check ``origem``: the sender's number, digits only."""
    number = value.strip()
    if not _SENDER.fullmatch(number):
        raise WireError(
            "001", f"O campo origem '{shown(value)}' deve conter só dígitos (DDI DDD NUMERO)"
        )
    return number


def yes_no(field: str, value: str | None) -> bool:
    """Read an ``s`` / ``n`` flag such as ``short_number`` (absent means ``n``)."""
    if value is None or value.strip() == "":
        return False
    flag = value.strip().lower()
    if flag not in ("s", "n"):
        raise WireError("001", f"O campo {field} deve ser 's' ou 'n', não '{shown(value)}'")
    return flag == "s"


def hour(field: str, value: str | None) -> int | None:
    """Read an hour of the day (0 to 23) such as ``enviar_de``; absent gives ``None``."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    if not _HOUR.fullmatch(text) or not 0 <= int(text) <= 23:
        raise WireError("001", f"O campo {field} deve ser uma hora de 0 a 23, não '{shown(value)}'")
    return int(text)


def custom_fields(fields: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Return the custom fields ``campos[<key>]=<value>`` among ``fields``, as pairs.

    Each pair is ``(key, value)``.

    A key is any non-blank text without brackets (PHP would read ``campos[a][b]`` as a nested
    array and ``campos[]`` as a list: the sandbox refuses both, and a bare ``campos``, with
    ``001`` **[assumed]**).
    """
    found: list[tuple[str, str]] = []
    for name, value in fields.items():
        if name != "campos" and not name.startswith("campos["):
            continue
        match = _CUSTOM_FIELD.fullmatch(name)
        if match is None or not match.group(1).strip():
            raise WireError(
                "001",
                f"O campo {shown(name)} deve ser escrito campos[<chave>]=<valor>, com uma "
                "chave sem colchetes",
            )
        found.append((match.group(1), value))
    return tuple(sorted(found))


def check_text(texto: str) -> str:
    """Check the length of ``texto`` (at most 700 characters)."""
    if len(texto) > MAX_TEXT:
        raise WireError(
            "001",
            f"O campo texto tem {len(texto)} caracteres; o máximo é {MAX_TEXT}",
        )
    return texto


def sms_parts(texto: str, sender: str, *, show_sender: bool) -> int:
    """SMS parts billed per recipient: 140 characters each, the sender counted when shown."""
    characters = len(texto) + (len(sender) if show_sender else 0)
    return max(1, math.ceil(characters / SMS_PART))
