"""DirectCall's wire format: the answer envelope, its JSON and XML renderings, and its dates.

Every answer of the API is an *envelope*: ``api``, ``modulo``, ``status``, ``codigo`` (a
three-character string) and ``msg``, followed by fields of the endpoint. This module builds
envelopes and renders them as bytes; it knows nothing of HTTP or of the stored state.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "BRAZIL",
    "JSON_TYPE",
    "XML_TYPE",
    "Answer",
    "WireError",
    "envelope",
    "format_brazil",
    "parse_compact_date",
    "parse_cron",
    "parse_listing_date",
    "render",
    "shown",
    "to_json",
    "to_xml",
]

#: DirectCall's clock: schedules and listing dates are Brazil time.
BRAZIL = ZoneInfo("America/Sao_Paulo")

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"

# ASCII digits only: ``\d`` would also take other scripts' digits, which DirectCall does not.
_CRON = re.compile(r"([0-9]{2})-([0-9]{2})-([0-9]{4})-([0-9]{2})-([0-9]{2})-([0-9]{2})")
_LISTING_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})")
_COMPACT_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})")

#: Longest part of a received value repeated in an answer's ``msg``.
_SHOWN = 60
#: Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: A name usable as an XML element (a conservative subset of XML's NCName).
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


class WireError(ValueError):
    """A request cannot be answered normally; carries the envelope ``codigo`` and ``msg``.

    Parameters
    ----------
    codigo : str
        The three-character return code, e.g. ``"001"``.
    msg : str
        The reason, in Portuguese as DirectCall writes it.
    http_status : int
        The HTTP status of the answer (DirectCall answers most errors with 200).
    """

    def __init__(self, codigo: str, msg: str, *, http_status: int = 200) -> None:
        super().__init__(msg)
        self.codigo = codigo
        self.msg = msg
        self.http_status = http_status


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: status, body, content type, and the ``codigo`` it carries."""

    http_status: int
    body: bytes
    content_type: str
    codigo: str | None = None
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def shown(value: str, limit: int = _SHOWN) -> str:
    r"""Return ``value`` as a ``msg`` can repeat it: control characters escaped, cut at ``limit``.

    A NUL becomes ``\x00``, a line break ``\n``; a longer value ends with ``…``.
    """
    escaped = "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in value[: limit + 1]
    )
    return escaped if len(value) <= limit and len(escaped) <= limit else escaped[:limit] + "…"


def envelope(api: str, modulo: str, codigo: str, msg: Any, **fields: Any) -> dict[str, Any]:
    """Return DirectCall's envelope with ``fields`` after the five common keys.

    ``status`` is ``"ok"`` when ``codigo`` is ``"000"`` and ``"erro"`` otherwise.
    """
    status = "ok" if codigo == "000" else "erro"
    return {"api": api, "modulo": modulo, "status": status, "codigo": codigo, "msg": msg, **fields}


def to_json(payload: dict[str, Any]) -> bytes:
    """Render ``payload`` the way a PHP ``json_encode`` does: compact, ASCII, slashes escaped."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    return text.replace("/", "\\/").encode("ascii")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if _XML_NAME.fullmatch(name) and not name.lower().startswith("xml"):
                child = ET.SubElement(element, name)
            else:  # a key that cannot be an element name, such as a custom field's
                child = ET.SubElement(element, "item", chave=_xml_text(name))
            _fill(child, item)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(ET.SubElement(element, "item"), item)
    elif value is not None:
        element.text = _xml_text(str(value))


def to_xml(payload: dict[str, Any]) -> bytes:
    """Render ``payload`` as ``<response>`` with one child per key, lists as ``<item>`` children.

    A key that cannot be an element name becomes ``<item chave="key">``; characters XML cannot
    carry (control characters other than tab and line breaks) become U+FFFD **[assumed]**.
    """
    root = ET.Element("response")
    _fill(root, payload)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode("utf-8")


def render(payload: dict[str, Any], *, xml: bool = False, http_status: int = 200) -> Answer:
    """Turn an envelope into an :class:`Answer` in the requested format."""
    codigo = payload.get("codigo")
    codigo = codigo if isinstance(codigo, str) else None
    if xml:
        return Answer(http_status, to_xml(payload), XML_TYPE, codigo)
    return Answer(http_status, to_json(payload), JSON_TYPE, codigo)


def _brazil_datetime(parts: tuple[str, ...], order: tuple[int, ...]) -> datetime | None:
    year, month, day, hour, minute, second = (int(parts[i]) for i in order)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=BRAZIL)
    except ValueError:
        return None


def parse_cron(value: str) -> datetime:
    """Read a ``cron`` field (``d-m-Y-H-i-s``, Brazil time) into an aware datetime.

    Raises
    ------
    WireError
        ``"001"`` when the value is not in that format or is not a real date.
    """
    match = _CRON.fullmatch(value.strip())
    moment = _brazil_datetime(match.groups(), (2, 1, 0, 3, 4, 5)) if match else None
    if moment is None:
        raise WireError(
            "001",
            f"O campo cron '{shown(value)}' deve estar no formato d-m-Y-H-i-s, "
            "por exemplo 25-12-2026-14-30-00 (horário de Brasília)",
        )
    return moment


def parse_listing_date(name: str, value: str) -> datetime:
    """Read a ``Y-m-d H:i:s`` field (Brazil time) such as ``data_inicio``.

    Raises
    ------
    WireError
        ``"001"`` naming the field when the value is not in that format.
    """
    match = _LISTING_DATE.fullmatch(value.strip())
    moment = _brazil_datetime(match.groups(), (0, 1, 2, 3, 4, 5)) if match else None
    if moment is None:
        raise WireError(
            "001",
            f"O campo {name} '{shown(value)}' deve estar no formato Y-m-d H:i:s, "
            "por exemplo 2026-12-25 14:30:00",
        )
    return moment


def parse_compact_date(name: str, value: str) -> datetime:
    """Read a ``YmdHis`` field (Brazil time) such as ``dataInicial``, e.g. ``20261225143000``.

    Raises
    ------
    WireError
        ``"001"`` naming the field when the value is not in that format.
    """
    match = _COMPACT_DATE.fullmatch(value.strip())
    moment = _brazil_datetime(match.groups(), (0, 1, 2, 3, 4, 5)) if match else None
    if moment is None:
        raise WireError(
            "001",
            f"O campo {name} '{shown(value)}' deve estar no formato YmdHis, "
            "por exemplo 20261225143000",
        )
    return moment


def format_brazil(epoch: float) -> str:
    """Format a POSIX time as DirectCall's ``Y-m-d H:i:s`` in Brazil time."""
    return datetime.fromtimestamp(epoch, BRAZIL).strftime("%Y-%m-%d %H:%M:%S")
