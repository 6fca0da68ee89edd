"""DirectCall's envelope: an answer read from JSON or XML, and checked by its ``codigo``.

Every answer is an envelope (``api``, ``modulo``, ``status``, ``codigo``, ``msg`` and fields of
the endpoint). Success is ``codigo == "000"`` (with ``status`` ``"ok"`` when it is given), whatever
``msg`` says: a successful send's ``msg`` begins ``"001 - Mensagem enviada com sucessso"``.
`Reply` is one HTTP answer with its parsed body: it tells a refused token, gives the checked
envelope, or the access token of ``/request_token``. What each endpoint's envelope holds is read
by ``_responses`` and ``_statement``. Nothing here speaks HTTP.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from directcall_nb.errors import APIError, AuthenticationError, ServerFailure, api_error

__all__ = [
    "Answer",
    "Reply",
    "codigo_of",
    "list_items",
    "message_of",
    "oauth_error",
    "parse_answer",
    "raise_for_codigo",
]

#: A parsed answer: the envelope's keys and values (XML leaves are strings, lists are lists).
Answer = dict[str, Any]


def parse_answer(body: bytes) -> Answer | None:
    """Read a JSON object or an XML ``<response>`` document; ``None`` if the body is neither.

    In XML, each child of the root is a key; an element whose children are all ``<item>`` is a
    list; any other element with children is a dict; a leaf is its text (``""`` when empty).
    """
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        try:
            root = ET.fromstring(text)
        except ET.ParseError:
            return None
        value = _xml_value(root)
        return value if isinstance(value, dict) else None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _xml_value(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    if all(child.tag == "item" for child in children):
        return [_xml_value(child) for child in children]
    return {child.tag: _xml_value(child) for child in children}


def codigo_of(answer: Mapping[str, Any]) -> str | None:
    """Return the envelope's ``codigo`` as a three-character string (``None`` when absent)."""
    codigo = answer.get("codigo")
    if isinstance(codigo, bool) or codigo is None:
        return None
    if isinstance(codigo, int):
        return f"{codigo:03d}"
    text = str(codigo).strip()
    return text.zfill(3) if text.isdigit() else text or None


def message_of(answer: Mapping[str, Any]) -> str:
    """Return the envelope's ``msg`` as text (a listing's ``msg`` is a list and gives ``""``)."""
    msg = answer.get("msg")
    return msg if isinstance(msg, str) else ""


def oauth_error(answer: Mapping[str, Any]) -> str | None:
    """Return the OAuth-style ``error`` / ``error_description`` of an answer without ``codigo``."""
    error = answer.get("error")
    if not error or codigo_of(answer) is not None:
        return None
    description = answer.get("error_description")
    return f"{error}: {description}" if description else str(error)


def raise_for_codigo(answer: Mapping[str, Any], *, endpoint: str) -> None:
    """Raise the exception of the answer's ``codigo`` unless it is ``"000"`` with status ok.

    Raises
    ------
    APIError
        The subclass `directcall_nb.errors.api_error` gives for the code.
    """
    codigo = codigo_of(answer) or "(none)"
    status = answer.get("status")
    status_ok = status is None or str(status).strip().lower() == "ok"
    if codigo == "000" and status_ok:
        return
    msg = message_of(answer) or (f"status {status!r}" if not status_ok else "")
    raise api_error(codigo, msg, endpoint=endpoint)


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: its status and its parsed body.

    Attributes
    ----------
    status_code : int
        The HTTP status.
    answer : dict or None
        The parsed body; ``None`` when it is neither a JSON object nor an XML document.
    """

    status_code: int
    answer: Answer | None

    @property
    def token_refused(self) -> bool:
        """Whether the server says the access token is invalid or expired.

        That is HTTP 401, an OAuth-style ``error`` without ``codigo``, or ``codigo`` ``"006"``.
        """
        if self.status_code == 401:
            return True
        if self.answer is None:
            return False
        return codigo_of(self.answer) == "006" or oauth_error(self.answer) is not None

    def checked(self, endpoint: str) -> Answer:
        """Return the envelope, if its ``codigo`` is ``"000"``.

        Raises
        ------
        ServerFailure
            When the answer is no DirectCall envelope (whatever its HTTP status).
        APIError
            The subclass of its ``codigo`` otherwise.
        """
        if self.answer is None or codigo_of(self.answer) is None:
            raise ServerFailure(
                "the answer is not a DirectCall envelope",
                endpoint=endpoint,
                status_code=self.status_code,
            )
        raise_for_codigo(self.answer, endpoint=endpoint)
        return self.answer

    def refusal(self, endpoint: str) -> APIError:
        """Return the error for a fresh token refused (an OAuth error or a 401 is ``006``)."""
        answer = self.answer or {}
        codigo = codigo_of(answer)
        if codigo is not None:
            return api_error(codigo, message_of(answer), endpoint=endpoint)
        reason = oauth_error(answer) or f"HTTP {self.status_code}"
        return AuthenticationError(
            "006", f"a freshly issued access token was refused ({reason})", endpoint=endpoint
        )

    def access_token(self, endpoint: str) -> str:
        """Return the ``access_token`` of a ``/request_token`` answer.

        Raises
        ------
        AuthenticationError
            When the credentials are refused (``006``, 401, 403 or an OAuth error).
        APIError
            For another ``codigo``.
        ServerFailure
            When there is no token and no reason.
        """
        answer = self.answer or {}
        value = answer.get("access_token")
        if isinstance(value, str) and value.strip() and self.status_code < 400:
            return value.strip()
        codigo = codigo_of(answer)
        if codigo not in (None, "000"):
            raise api_error(codigo or "", message_of(answer), endpoint=endpoint)
        if self.token_refused or self.status_code == 403:
            reason = oauth_error(answer) or f"HTTP {self.status_code}"
            raise AuthenticationError("006", f"credentials refused ({reason})", endpoint=endpoint)
        raise ServerFailure(
            "the answer carries no access_token", endpoint=endpoint, status_code=self.status_code
        )


def list_items(value: Any) -> list[Any]:
    """Return a listing as a list: XML writes an empty list as an empty element, one dict alone."""
    if isinstance(value, list):
        return value
    if value in (None, ""):
        return []
    return [value]
