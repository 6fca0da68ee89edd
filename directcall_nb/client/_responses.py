"""The answers of the endpoints that are not listings: a send, a status, a cancellation.

Each is read from a checked envelope (``_envelope``) into a small frozen record with a repr that
fits on a line and an HTML view for notebooks, where phone numbers are masked. Nothing here
speaks HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from directcall_nb.client._envelope import Answer, codigo_of, list_items, message_of

__all__ = [
    "APIResponse",
    "RecipientDetail",
    "RecipientStatus",
    "SendResponse",
    "StatusResponse",
    "shortened",
]

_CALLER_ID_IN_MSG = re.compile(r"CALLER-ID:\s*(\d+)")
_REPR_TEXT = 60
_HTML_ROWS = 10


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def shortened(text: str) -> str:
    """Return ``text`` cut to a length that fits in a repr."""
    return text if len(text) <= _REPR_TEXT else text[: _REPR_TEXT - 3] + "..."


def _more(shown: int, total: int) -> str:
    """Return the HTML line that says how many recipients a view leaves out (none: ``""``)."""
    from directcall_nb.display import format_count

    more = total - shown
    return f"<div>… and {format_count(more)} more</div>" if more > 0 else ""


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
            f"recipients={len(self.recipients)}, msg={shortened(self.msg)!r})"
        )

    def _repr_html_(self) -> str:
        import html

        from directcall_nb.display import format_count, html_table, mask_phone

        shown = self.recipients[:_HTML_ROWS]
        table = html_table(
            ["recipient", "id_mensagem"],
            [(mask_phone(r.destino), r.id_mensagem or "") for r in shown],
        )
        tail = _more(len(shown), len(self.recipients))
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
        """Return the status of ``phone``: from the per-recipient list, else the string ``msg``.

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

    def _counts(self) -> dict[str, int]:
        """Return how many recipients have each status, in the order first seen."""
        counts: dict[str, int] = {}
        for recipient in self.recipients:
            counts[recipient.status] = counts.get(recipient.status, 0) + 1
        return counts

    def __repr__(self) -> str:
        return (
            f"StatusResponse(codigo={self.codigo!r}, callerid={self.callerid!r}, "
            f"recipients={len(self.recipients)}, statuses={self._counts()!r})"
        )

    def _repr_html_(self) -> str:
        import html

        from directcall_nb.display import format_count, html_table, mask_phone

        summary = " · ".join(
            f"{html.escape(k)} {format_count(v)}" for k, v in self._counts().items()
        )
        shown = self.recipients[:_HTML_ROWS]
        table = html_table(
            ["recipient", "status"], [(mask_phone(r.destino), r.status) for r in shown]
        )
        tail = _more(len(shown), len(self.recipients))
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
        return f"APIResponse(codigo={self.codigo!r}, msg={shortened(self.msg)!r})"
