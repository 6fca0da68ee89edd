"""DirectCall's answers: the envelope read from JSON or XML, checked, and turned into results.

Every answer is an envelope (``api``, ``modulo``, ``status``, ``codigo``, ``msg`` and fields of
the endpoint). Success is ``codigo == "000"`` (with ``status`` ``"ok"`` when it is given), whatever
``msg`` says: a successful send's ``msg`` begins ``"001 - Mensagem enviada com sucessso"``.
Nothing here speaks HTTP.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from directcall_nb.errors import APIError, AuthenticationError, ServerFailure, api_error

__all__ = [
    "APIResponse",
    "Answer",
    "RecipientDetail",
    "RecipientStatus",
    "Reply",
    "SendResponse",
    "StatementReader",
    "StatementSearch",
    "StatusResponse",
    "Verdict",
    "codigo_of",
    "list_items",
    "message_of",
    "oauth_error",
    "parse_answer",
    "raise_for_codigo",
]

#: A parsed answer: the envelope's keys and values (XML leaves are strings, lists are lists).
Answer = dict[str, Any]

_CALLER_ID_IN_MSG = re.compile(r"CALLER-ID:\s*(\d+)")
_REPR_TEXT = 60
_HTML_ROWS = 10


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
    """The envelope's ``codigo`` as a three-character string, or ``None`` when there is none."""
    codigo = answer.get("codigo")
    if isinstance(codigo, bool) or codigo is None:
        return None
    if isinstance(codigo, int):
        return f"{codigo:03d}"
    text = str(codigo).strip()
    return text.zfill(3) if text.isdigit() else text or None


def message_of(answer: Mapping[str, Any]) -> str:
    """The envelope's ``msg`` as text (a listing's ``msg`` is a list and gives ``""``)."""
    msg = answer.get("msg")
    return msg if isinstance(msg, str) else ""


def oauth_error(answer: Mapping[str, Any]) -> str | None:
    """The OAuth-style ``error`` / ``error_description`` of an answer without a ``codigo``."""
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
        """The envelope, if its ``codigo`` is ``"000"``.

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
        """The error for a token refused although fresh (an OAuth error or a 401 is ``006``)."""
        answer = self.answer or {}
        codigo = codigo_of(answer)
        if codigo is not None:
            return api_error(codigo, message_of(answer), endpoint=endpoint)
        reason = oauth_error(answer) or f"HTTP {self.status_code}"
        return AuthenticationError(
            "006", f"a freshly issued access token was refused ({reason})", endpoint=endpoint
        )

    def access_token(self, endpoint: str) -> str:
        """The ``access_token`` of a ``/request_token`` answer.

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
    """A listing as a list: XML writes an empty list as an empty element, and one dict alone."""
    if isinstance(value, list):
        return value
    if value in (None, ""):
        return []
    return [value]


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def _short(text: str) -> str:
    return text if len(text) <= _REPR_TEXT else text[: _REPR_TEXT - 3] + "..."


@dataclass(frozen=True)
class RecipientDetail:
    """One recipient of a send, as DirectCall reports it.

    Attributes
    ----------
    destino : str
        The number.
    id_mensagem : str or None
        The message's id for this recipient (a numeric string), when given.
    """

    destino: str
    id_mensagem: str | None


@dataclass(frozen=True, repr=False)
class SendResponse:
    """The answer to a successful ``/sms/send``.

    Attributes
    ----------
    codigo : str
        ``"000"``.
    msg : str
        The server's message (it may begin ``"001 - Mensagem enviada..."``: that is a success).
    callerid : str or None
        The request's id, for `DirectCall.status` and `DirectCall.cancel`; from the ``callerid``
        field, else from ``CALLER-ID:`` in ``msg``.
    recipients : tuple of RecipientDetail
        One per recipient, from ``detalhe`` (or from ``destino`` when ``detalhe`` is missing).
    raw : dict
        The whole parsed answer.
    """

    codigo: str
    msg: str
    callerid: str | None
    recipients: tuple[RecipientDetail, ...]
    raw: Answer = field(hash=False)

    @classmethod
    def from_answer(cls, answer: Answer) -> SendResponse:
        """Read a successful send's envelope."""
        msg = message_of(answer)
        callerid = _text(answer.get("callerid"))
        if callerid is None:
            found = _CALLER_ID_IN_MSG.search(msg)
            callerid = found.group(1) if found else None
        details = [item for item in list_items(answer.get("detalhe")) if isinstance(item, dict)]
        if details:
            recipients = tuple(
                RecipientDetail(str(item.get("destino", "")), _text(item.get("id_mensagem")))
                for item in details
            )
        else:
            recipients = tuple(
                RecipientDetail(str(number), None) for number in list_items(answer.get("destino"))
            )
        return cls(codigo_of(answer) or "000", msg, callerid, recipients, answer)

    def __repr__(self) -> str:
        return (
            f"SendResponse(codigo={self.codigo!r}, callerid={self.callerid!r}, "
            f"recipients={len(self.recipients)}, msg={_short(self.msg)!r})"
        )

    def _repr_html_(self) -> str:
        import html

        from directcall_nb.display import format_count, html_table, mask_phone

        shown = self.recipients[:_HTML_ROWS]
        table = html_table(
            ["recipient", "id_mensagem"],
            [(mask_phone(r.destino), r.id_mensagem or "") for r in shown],
        )
        more = len(self.recipients) - len(shown)
        tail = f"<div>… and {format_count(more)} more</div>" if more > 0 else ""
        return (
            "<div class='directcall-response'><b>Sent</b>: "
            f"callerid {html.escape(str(self.callerid))} · "
            f"{format_count(len(self.recipients))} recipients · codigo {html.escape(self.codigo)}"
            f"<div style='opacity:.7'>{html.escape(self.msg)}</div>{table}{tail}</div>"
        )


@dataclass(frozen=True)
class RecipientStatus:
    """Where one recipient's message stands.

    Attributes
    ----------
    destino : str
        The number.
    status : str
        As DirectCall words it (the sandbox says ``entregue``, ``aguardando``, ``nao_entregue``,
        ``agendado`` or ``cancelado``).
    id_mensagem : str or None
        The message's id for this recipient, when given.
    """

    destino: str
    status: str
    id_mensagem: str | None


@dataclass(frozen=True, repr=False)
class StatusResponse:
    """The answer to ``/sms/status``.

    Attributes
    ----------
    codigo : str
        ``"000"``.
    msg : str
        The server's message. DirectCall documents it as a string, without saying what it
        holds: when no per-recipient list comes with it, it is the only status of the send.
    callerid : str
        The request asked about.
    recipients : tuple of RecipientStatus
        One per recipient, when the answer lists them (``detalhe``, or ``msg`` as a list).
    raw : dict
        The whole parsed answer.
    """

    codigo: str
    msg: str
    callerid: str
    recipients: tuple[RecipientStatus, ...]
    raw: Answer = field(hash=False)

    def status_of(self, phone: str) -> str | None:
        """The status of ``phone``: from the per-recipient list, else the string ``msg``.

        None when the answer says nothing that can be read for this recipient.
        """
        for recipient in self.recipients:
            if recipient.destino == phone and recipient.status:
                return recipient.status
        if not self.recipients and self.msg.strip():
            return self.msg.strip()
        return None

    @classmethod
    def from_answer(cls, answer: Answer, callerid: str) -> StatusResponse:
        """Read a status envelope; the per-recipient list is ``detalhe`` (or a list ``msg``)."""
        items = list_items(answer.get("detalhe")) or list_items(answer.get("msg"))
        recipients = tuple(
            RecipientStatus(
                str(item.get("destino", "")),
                str(item.get("status", item.get("situacao", ""))),
                _text(item.get("id_mensagem")),
            )
            for item in items
            if isinstance(item, dict)
        )
        return cls(codigo_of(answer) or "000", message_of(answer), callerid, recipients, answer)

    def __repr__(self) -> str:
        counts: dict[str, int] = {}
        for recipient in self.recipients:
            counts[recipient.status] = counts.get(recipient.status, 0) + 1
        return (
            f"StatusResponse(codigo={self.codigo!r}, callerid={self.callerid!r}, "
            f"recipients={len(self.recipients)}, statuses={counts!r})"
        )

    def _repr_html_(self) -> str:
        import html

        from directcall_nb.display import format_count, html_table, mask_phone

        counts: dict[str, int] = {}
        for recipient in self.recipients:
            counts[recipient.status] = counts.get(recipient.status, 0) + 1
        summary = " · ".join(f"{html.escape(k)} {format_count(v)}" for k, v in counts.items())
        shown = self.recipients[:_HTML_ROWS]
        table = html_table(
            ["recipient", "status"], [(mask_phone(r.destino), r.status) for r in shown]
        )
        more = len(self.recipients) - len(shown)
        tail = f"<div>… and {format_count(more)} more</div>" if more > 0 else ""
        return (
            f"<div class='directcall-response'><b>Status</b> of callerid "
            f"{html.escape(self.callerid)}: {summary or 'no recipient listed'}{table}{tail}</div>"
        )


@dataclass(frozen=True, repr=False)
class APIResponse:
    """A successful answer with nothing more than the envelope (e.g. ``/sms/remove``).

    Attributes
    ----------
    codigo : str
        ``"000"``.
    msg : str
        The server's message.
    raw : dict
        The whole parsed answer.
    """

    codigo: str
    msg: str
    raw: Answer = field(hash=False)

    @classmethod
    def from_answer(cls, answer: Answer) -> APIResponse:
        """Read a successful envelope."""
        return cls(codigo_of(answer) or "000", message_of(answer), answer)

    def __repr__(self) -> str:
        return f"APIResponse(codigo={self.codigo!r}, msg={_short(self.msg)!r})"


# -- the usage statement -------------------------------------------------------------------------

#: What a search of the statement concluded: the entry is there, certainly not there, or
#: the answer does not allow to tell.
Verdict = Literal["listed", "absent", "unknown"]


@dataclass(frozen=True)
class StatementSearch:
    """What the usage statement (``/extrato/list``) says of one tagged send.

    Attributes
    ----------
    verdict : {"listed", "absent", "unknown"}
        ``listed``: an entry carries the tag. ``absent``: the statement answered every page of
        the period, every entry shows its custom fields, and none carries the tag.
        ``unknown``: anything else (an answer of a shape not understood, pages that cannot be
        told complete): never read as ``absent``.
    reason : str
        Why, in words.
    entries : tuple of dict
        The entries that carry the tag.
    callerid : str or None
        The send's callerid, when the entries that carry the tag agree on one.
    pages : int
        Pages read.
    """

    verdict: Verdict
    reason: str
    entries: tuple[Answer, ...] = ()
    callerid: str | None = None
    pages: int = 0

    def __repr__(self) -> str:
        return (
            f"StatementSearch(verdict={self.verdict!r}, callerid={self.callerid!r}, "
            f"entries={len(self.entries)}, pages={self.pages}, reason={_short(self.reason)!r})"
        )


def _holds(value: Any, tag: str) -> bool:
    """Whether ``tag`` is, exactly, one of the values inside ``value`` (a dict or a list)."""
    if isinstance(value, dict):
        return any(_holds(item, tag) for item in value.values())
    if isinstance(value, list):
        return any(_holds(item, tag) for item in value)
    return isinstance(value, str) and value.strip() == tag


def _whole(value: Any) -> int | None:
    """A whole number given as an int or as digits; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _callerid_of(entries: list[Answer]) -> str | None:
    found = {str(e.get("callerid")).strip() for e in entries if e.get("callerid") not in (None, "")}
    found = {c for c in found if c.isdigit()}
    return found.pop() if len(found) == 1 else None


class StatementReader:
    """Reads the pages of a statement search, one answer at a time, and concludes.

    An entry is found when one of its values is exactly the tag, wherever it sits (the
    sandbox puts it in ``campos``; DirectCall does not document the answer). Absence is
    concluded only when every page was read and every entry shows its custom fields
    (a ``campos`` key), so that a tag left out of the answer is never taken for a send that
    is not there.

    Parameters
    ----------
    tag : str
        The value to look for.
    period : str
        The period asked for, in words, for the reasons.
    max_pages : int
        Pages read at most; more gives ``unknown``.
    """

    def __init__(self, tag: str, *, period: str, max_pages: int) -> None:
        self.tag = tag
        self.period = period
        self.max_pages = max_pages
        self.page = 1
        self._seen = 0
        self._previous: list[Any] | None = None

    def _unknown(self, why: str) -> StatementSearch:
        return StatementSearch("unknown", why, pages=self.page)

    def feed(self, answer: Answer) -> StatementSearch | None:
        """Read the answer for `page`; return the conclusion, or None to ask for the next page."""
        msg = answer.get("msg")
        if isinstance(msg, str) and msg.strip():
            return self._unknown(f"the statement answered a text, not a list: {_short(msg)!r}")
        if isinstance(msg, dict):
            if _holds(msg, self.tag):
                found = (msg,)
                return StatementSearch(
                    "listed", self._listed(1), found, _callerid_of([msg]), self.page
                )
            return self._unknown("the statement answered an object, not a list of entries")
        if msg is not None and not isinstance(msg, list | str):
            return self._unknown(f"the statement answered {type(msg).__name__}, not a list")
        entries = list_items(msg)
        if not all(isinstance(entry, dict) for entry in entries):
            return self._unknown("some entries of the statement are not records")
        matches = [entry for entry in entries if _holds(entry, self.tag)]
        if matches:
            return StatementSearch(
                "listed",
                self._listed(len(matches)),
                tuple(matches),
                _callerid_of(matches),
                self.page,
            )
        if any("campos" not in entry for entry in entries):
            return self._unknown(
                "the statement's entries do not show their custom fields, so whether the "
                "request is among them cannot be told"
            )
        answered_page = answer.get("pagina")
        if answered_page not in (None, "") and _whole(answered_page) != self.page:
            return self._unknown(
                f"page {self.page} was asked for and the statement answered page {answered_page!r}"
            )
        self._seen += len(entries)
        pages, total = _whole(answer.get("paginas")), _whole(answer.get("total"))
        last = not entries or (pages is not None and self.page >= pages)
        if total is not None and self._seen >= total:
            last = True
        if last:
            if total is not None and self._seen != total:
                return self._unknown(
                    f"the statement counts {total} entries but listed {self._seen}"
                )
            return StatementSearch(
                "absent",
                f"not in the statement of {self.period} ({self._seen} entries on "
                f"{self.page} pages, none with this request's id)",
                pages=self.page,
            )
        if entries == self._previous:
            return self._unknown(
                "the statement gave the same entries for two pages, so the rest cannot be read"
            )
        if self.page >= self.max_pages:
            return self._unknown(f"the statement has more than {self.max_pages} pages")
        self._previous = entries
        self.page += 1
        return None

    def _listed(self, count: int) -> str:
        return f"listed in the statement of {self.period} ({count} entries with this request's id)"
