"""What became of each request of a send, and why a campaign stopped before its end.

The send pipeline (`directcall_nb.sending`) makes these records; `directcall_nb.report.SendReport`
shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from directcall_nb.vocabulary import Language

__all__ = ["RequestResult", "Stop"]


@dataclass(frozen=True)
class RequestResult:
    """What became of one planned request.

    Attributes
    ----------
    number : int
        The request's place in the plan.
    state : str
        ``sent``, ``scheduled``, ``failed``, ``ambiguous``, ``skipped`` (every recipient had been
        sent before), ``not_sent`` or ``dry_run``.
    recipients : int
        Recipients the request was made for in this run.
    callerid : str or None
        DirectCall's id for the send, when it was accepted.
    codigo : str or None
        DirectCall's return code, when it answered.
    msg : str
        DirectCall's message, or what went wrong.
    attempts : int
        Times the request was made (repeats happen only when it certainly did not arrive).
    problem : str
        What went wrong, as a word a display can put in any language: ``unreachable``,
        ``unavailable``, ``refused``, ``lost``, ``server_error``, ``unsent``, ``stopped``,
        ``abandoned``, ``internal``; empty when nothing did.
    """

    number: int
    state: str
    recipients: int
    callerid: str | None = None
    codigo: str | None = None
    msg: str = ""
    attempts: int = 0
    problem: str = ""


@dataclass(frozen=True)
class Stop:
    """Why a campaign stopped before the end, as a kind and its fields.

    Attributes
    ----------
    kind : str
        ``interrupted``, ``stop_requested``, ``unreachable``, ``refused`` (``codigo``, ``msg``),
        ``schedule_passed`` (``moment``), ``window_closed`` (``moment``: the next opening),
        ``journal``, ``internal``, or for a Dask frame ``partition_unread`` (``partition``,
        ``error``) and ``list_changed`` (``partition``).
    fields : dict
        What its sentence needs.
    """

    kind: str
    fields: dict[str, object]

    def text(self, language: Language | None = None) -> str:
        """Return the reason in words."""
        from directcall_nb.i18n import explain_codigo, say

        if self.kind == "refused":
            return explain_codigo(str(self.fields["codigo"]), str(self.fields["msg"]), language)
        moment = self.fields.get("moment")
        when = f"{moment:%d/%m/%Y %H:%M}" if moment is not None else ""
        others = {k: v for k, v in self.fields.items() if k != "moment"}
        return say(f"stop_{self.kind}", language, when=when, **others)
