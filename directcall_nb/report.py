"""SendReport: what happened to each input row of a campaign, with a summary to read at a glance."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.formatting import (
    Language,
    format_brl,
    format_count,
    html_table,
    mask_phone,
)

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.plan import Plan

__all__ = ["STATUSES", "RequestResult", "SendReport"]

#: Every row status, with what it means.
STATUSES: dict[str, str] = {
    "sent": "accepted by DirectCall in this run",
    "scheduled": "accepted by DirectCall, to be delivered at the scheduled time",
    "already_sent": "sent by an earlier run of the same campaign; not sent again",
    "invalid": "not sent: see the reason",
    "duplicate": "not sent: an earlier row has the same phone and the same text",
    "failed": "not sent: DirectCall refused it, or could not be reached",
    "ambiguous": "may or may not have been sent: the answer never came",
    "in_progress": "being sent right now by another kernel",
    "not_sent": "not sent: the campaign stopped before it, or it could not be sent",
    "cancelled": "scheduled, then cancelled before delivery: not sent",
    "dry_run": "would be sent (dry run: nothing was sent)",
}
#: Statuses of rows DirectCall accepted.
DELIVERED = ("sent", "scheduled", "already_sent")
#: The ``delivery`` of a row whose state DirectCall did not (or could not) tell.
UNKNOWN = "unknown"
_SHOWN_PROBLEMS = 10


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
    """

    number: int
    state: str
    recipients: int
    callerid: str | None = None
    codigo: str | None = None
    msg: str = ""
    attempts: int = 0


class SendReport:
    """What a campaign did, row by row.

    Attributes
    ----------
    rows : DataFrame
        Indexed like the input frame: ``phone``, ``status`` (see `STATUSES`), ``callerid``,
        ``codigo``, ``msg``, ``reason``, ``text``, ``segments``, ``settlement`` (how an earlier
        ambiguous request for the row was settled with DirectCall's usage statement, or why it
        could not be: see `directcall_nb.reconciliation`); after `refresh_status`, also
        ``delivery``.
    plan : Plan
        The requests that were planned (``plan.estimate`` holds the estimate).
    requests : list of RequestResult
        What became of each planned request, in plan order.
    journal : Path or None
        The journal that recorded the campaign; None when it was sent without one.
    campaign_id : int or None
        The campaign's id in the journal.
    stopped : str or None
        Why the campaign stopped before the end, if it did.
    """

    def __init__(
        self,
        plan: Plan,
        rows: pd.DataFrame,
        requests: Sequence[RequestResult],
        *,
        journal: Path | None,
        campaign_id: int | None = None,
        stopped: str | None = None,
        dry_run: bool = False,
    ) -> None:
        self.plan = plan
        self.rows = rows
        self.requests = list(requests)
        self.journal = journal
        self.campaign_id = campaign_id
        self.stopped = stopped
        self.dry_run = dry_run

    @property
    def estimate(self) -> object:
        """The estimate the campaign was planned from."""
        return self.plan.estimate

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, for the statuses present."""
        counts = self.rows["status"].value_counts()
        return {status: int(counts[status]) for status in STATUSES if status in counts.index}

    @property
    def spent(self) -> Decimal | None:
        """The cost of the messages accepted in this run, when the price is known."""
        price = self.plan.estimate.options.price_per_segment
        if price is None:
            return None
        accepted = self.rows["status"].isin(("sent", "scheduled"))
        return price * int(self.rows.loc[accepted, "segments"].sum())

    def notes(self, language: Language = "en") -> list[str]:
        """What the reader must know, in words: stops, uncertainty, guarantees.

        Parameters
        ----------
        language : {"en", "pt"}, default "en"
            English, or Portuguese (Brazil).
        """
        w = _WORDS[language]
        counts = {status: format_count(n) for status, n in self.counts.items()}
        notes = []
        if self.dry_run:
            notes.append(w["note_dry_run"].format(n=format_count(len(self.plan))))
        if self.stopped:
            notes.append(w["note_stopped"].format(why=self.stopped))
        for status in ("ambiguous", "already_sent", "in_progress"):
            if status in counts:
                notes.append(w[f"note_{status}"].format(n=counts[status]))
        if "settlement" in self.rows.columns:
            settled = self.rows["settlement"].notna() & (self.rows["status"] != "ambiguous")
            if settled.any():
                notes.append(w["note_settled"].format(n=format_count(int(settled.sum()))))
        if self.journal is None and not self.dry_run:
            notes.append(w["note_no_journal"])
        return notes

    def refresh_status(self, client: DirectCall | None = None) -> pd.DataFrame:
        """Ask DirectCall where each accepted message stands; fill ``delivery`` per row.

        Parameters
        ----------
        client : DirectCall, optional
            The client to ask with (``/sms/status``, once per callerid); by default the one
            `directcall_nb.use_client` set, else one from the environment.

        Returns
        -------
        DataFrame
            `rows`, with ``delivery`` (DirectCall's word for the message's state, ``unknown``
            when it cannot be known) and ``delivery_note`` (why it is unknown) for the rows
            DirectCall accepted; other rows are left empty. A status call that fails leaves its
            rows ``unknown`` with the error and the others are still asked.

        Notes
        -----
        DirectCall documents ``/sms/status`` for short-number SMS and voice only, and its
        ``msg`` as a string: a per-recipient list is read when the answer has one, else the
        string stands for every recipient of that send.
        """
        from directcall_nb.errors import DirectCallError

        if client is None:
            from directcall_nb.campaign import default_client

            client = default_client()
        n = len(self.rows)
        delivery = np.full(n, None, dtype=object)
        note = np.full(n, None, dtype=object)
        callerids = _objects(self.rows["callerid"])
        phones = pd.Series(_objects(self.rows["phone"]))
        accepted = self.rows["status"].isin(DELIVERED).to_numpy() & pd.notna(callerids)
        for callerid in pd.unique(callerids[accepted]):
            positions = np.flatnonzero(accepted & (callerids == callerid))
            try:
                answer = client.status(str(callerid))
            except DirectCallError as exc:
                delivery[positions] = UNKNOWN
                note[positions] = f"the status could not be asked: {exc}"
                continue
            by_phone = {r.destino: r.status for r in answer.recipients if r.status}
            if by_phone:
                found = phones.iloc[positions].map(by_phone).to_numpy(dtype=object)
            else:
                found = np.full(len(positions), answer.msg.strip() or None, dtype=object)
            missing = pd.isna(found)
            delivery[positions] = np.where(missing, UNKNOWN, found)
            note[positions[missing]] = (
                "DirectCall's answer did not say (it documents the status of short-number SMS "
                "and voice only)"
            )
        self.rows["delivery"] = pd.array(delivery, dtype="string")
        self.rows["delivery_note"] = pd.array(note, dtype="string")
        return self.rows

    def cancel(self, client: DirectCall | None = None) -> pd.DataFrame:
        """Cancel the scheduled sends of this campaign that DirectCall has not delivered yet.

        Every request of the campaign that DirectCall accepted for a scheduled delivery is
        cancelled (``/sms/remove``); the journal records each cancellation, so the same
        messages can be sent again later (e.g. with another schedule), and their rows become
        ``cancelled``.

        Parameters
        ----------
        client : DirectCall, optional
            The client to cancel with; by default the one `directcall_nb.use_client` set, else
            one from the environment.

        Returns
        -------
        DataFrame
            One row per scheduled send: ``callerid``, ``recipients``, ``result`` (``cancelled``,
            ``unknown`` when DirectCall knows no such send or it was cancelled already, or
            ``failed``) and ``detail``.
        """
        from directcall_nb.errors import DirectCallError, UnknownIdentifier
        from directcall_nb.journal import Journal

        if client is None:
            from directcall_nb.campaign import default_client

            client = default_client()
        status = self.rows["status"].to_numpy(dtype=object)
        callerids = _objects(self.rows["callerid"])
        candidates = np.isin(status, ("scheduled", "already_sent")) & pd.notna(callerids)
        wanted = [str(c) for c in pd.unique(callerids[candidates])]
        journal = None if self.journal is None else Journal(self.journal)
        results = []
        try:
            known = {} if journal is None else journal.requests_by_callerid(wanted)
            for callerid in wanted:
                rows = candidates & (callerids == callerid)
                found = known.get(callerid)
                if found is not None and not (found.scheduled and found.state == "sent"):
                    continue
                if found is None and not (status[rows] == "scheduled").all():
                    continue  # sent before, for delivery now: nothing to cancel
                try:
                    client.cancel(callerid)
                except UnknownIdentifier as exc:
                    results.append((callerid, int(rows.sum()), "unknown", exc.msg))
                    continue
                except DirectCallError as exc:
                    results.append((callerid, int(rows.sum()), "failed", str(exc)))
                    continue
                if journal is not None and found is not None:
                    journal.mark_cancelled(found.id, detail=f"cancelled (callerid {callerid})")
                self.rows.loc[rows, "status"] = "cancelled"
                results.append((callerid, int(rows.sum()), "cancelled", ""))
        finally:
            if journal is not None:
                journal.close()
        return pd.DataFrame(results, columns=["callerid", "recipients", "result", "detail"])

    def _money(self, language: Language = "en") -> str:
        w = _WORDS[language]
        if self.dry_run:
            return w["would_cost"].format(cost=format_brl(self.plan.cost))
        return w["spent"].format(cost=format_brl(self.spent))

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {format_count(v)}" for k, v in self.counts.items())
        lines = [f"SendReport: {counts}; {self._money()}", *self.notes()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language = "en") -> str:
        """The summary as HTML: counts per status, money, notes, the first rows not sent.

        Parameters
        ----------
        language : {"en", "pt"}, default "en"
            English, or Portuguese (Brazil).
        """
        w = _WORDS[language]
        cells = "".join(
            f"<div style='display:inline-block;margin-right:1.5em' "
            f"title='{html.escape(STATUSES[s])}'>"
            f"<div style='font-size:80%;opacity:.7'>{html.escape(w[s])}</div>"
            f"<div style='font-size:140%;font-weight:bold'>{format_count(n)}</div></div>"
            for s, n in self.counts.items()
        )
        spent = f"<div>{html.escape(self._money(language))}</div>"
        notes = "".join(f"<div>⚠ {html.escape(n)}</div>" for n in self.notes(language))
        problems = self.rows[~self.rows["status"].isin((*DELIVERED, "dry_run"))]
        table = ""
        if len(problems):
            shown = problems.head(_SHOWN_PROBLEMS)
            why = shown["msg"].fillna(shown["reason"]).fillna("")
            table = html_table(
                [w["row"], w["phone"], w["status"], w["why"]],
                zip(
                    shown.index,
                    [mask_phone(p) if isinstance(p, str) else "" for p in shown["phone"]],
                    [w[str(status)] for status in shown["status"]],
                    why,
                    strict=True,
                ),
            )
            more = len(problems) - len(shown)
            if more:
                table += f"<div>{w['more'].format(n=format_count(more))}</div>"
        title = w["dry_title" if self.dry_run else "title"]
        return (
            f"<div class='directcall-report'><b>{title}</b><br>{cells}{spent}{notes}{table}</div>"
        )


def _objects(column: pd.Series) -> npt.NDArray[np.object_]:
    """A column as an array of objects, None where a value is missing."""
    values = column.to_numpy(dtype=object)
    values[pd.isna(values)] = None
    return values


#: The words of the summary, by language.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Send report",
        "dry_title": "Dry run",
        "spent": "Spent {cost}",
        "would_cost": "Would cost {cost}",
        "row": "row",
        "phone": "phone",
        "status": "status",
        "why": "why",
        "more": "… and {n} more in <code>.rows</code>",
        **{status: status.replace("_", " ") for status in STATUSES},
        "note_dry_run": "Dry run: nothing was sent. {n} requests would be made.",
        "note_stopped": "The campaign stopped early: {why}",
        "note_ambiguous": (
            "{n} messages may or may not have been sent: their answer never came. They are not "
            "sent again by themselves. Once DirectCall's usage statement can show them (30 "
            "minutes after), directcall_nb.reconcile() or a new send looks them up there: those "
            "it lists count as sent, those it certainly does not list are sent by the next run. "
            "The settlement column says why the others stay uncertain; resend_ambiguous=True "
            "sends them all again, and those that had arrived arrive twice."
        ),
        "note_settled": (
            "{n} messages of earlier uncertain requests were settled with DirectCall's usage "
            "statement (see the settlement column)."
        ),
        "note_already_sent": (
            "{n} messages had been sent by an earlier run and were not sent again."
        ),
        "note_in_progress": (
            "{n} messages are being sent by another kernel right now and were left to it."
        ),
        "note_no_journal": (
            "No journal was kept (journal=False): nothing guards against sending these messages "
            "twice if this is run again."
        ),
    },
    "pt": {
        "title": "Relatório de envio",
        "dry_title": "Simulação",
        "spent": "Gasto: {cost}",
        "would_cost": "Custaria {cost}",
        "row": "linha",
        "phone": "telefone",
        "status": "situação",
        "why": "motivo",
        "more": "… e mais {n} em <code>.rows</code>",
        "sent": "enviadas",
        "scheduled": "agendadas",
        "already_sent": "já enviadas",
        "invalid": "inválidas",
        "duplicate": "duplicadas",
        "failed": "falharam",
        "ambiguous": "incertas",
        "in_progress": "em andamento",
        "not_sent": "não enviadas",
        "cancelled": "canceladas",
        "dry_run": "seriam enviadas",
        "note_dry_run": "Simulação: nada foi enviado. Seriam feitas {n} requisições.",
        "note_stopped": "O envio parou antes do fim: {why}",
        "note_ambiguous": (
            "{n} mensagens podem ou não ter sido enviadas: a resposta nunca chegou. Elas não são "
            "reenviadas sozinhas. Quando o extrato da DirectCall puder mostrá-las (30 minutos "
            "depois), directcall_nb.reconcile() ou um novo envio as procura nele: as que ele "
            "lista contam como enviadas, as que ele certamente não lista são enviadas na próxima "
            "execução. A coluna settlement diz por que as outras continuam incertas; "
            "resend_ambiguous=True reenvia todas, e as que tinham chegado chegam duas vezes."
        ),
        "note_settled": (
            "{n} mensagens de requisições incertas foram resolvidas pelo extrato da DirectCall "
            "(veja a coluna settlement)."
        ),
        "note_already_sent": "{n} mensagens já tinham sido enviadas antes e não foram reenviadas.",
        "note_in_progress": "{n} mensagens estão sendo enviadas agora por outro kernel.",
        "note_no_journal": (
            "Nenhum diário foi mantido (journal=False): nada impede que estas mensagens sejam "
            "enviadas de novo se isto for executado outra vez."
        ),
    },
}
