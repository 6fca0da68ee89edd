"""The record of every request a campaign makes: what makes sending exactly-once.

DirectCall has no idempotency key, so the journal, a SQLite file, records each message before
its request leaves (``pending``) and after its answer (``sent`` with the callerid, ``failed`` with
DirectCall's code and message). A request that left but whose answer never came is
``ambiguous``. A message is identified by its server (the API's base URL), account, sender,
recipient, final text, channel and schedule, so sending the same campaign again (re-running a
cell, re-opening the notebook the next day) sends only what was never sent:

- a message already sent comes back as ``already_sent``, with its callerid;
- an ``ambiguous`` message is not sent again unless asked (``resend_ambiguous=True``);
- a ``failed`` message (DirectCall refused it) is sent again;
- a message another live process is sending right now is ``in_progress``;
- a ``pending`` message of a process that died is ``ambiguous``: it may have left;
- a scheduled message that was cancelled (``cancelled``) may be sent again;
- an ambiguous message that the usage statement showed was never carried out (``not_sent``,
  see `directcall_nb.sending._reconcile`) may be sent again.

Every request carries a tag to DirectCall (`Claim.tag`: the journal's uuid and the request's
id), kept with the send and shown in DirectCall's usage statement: that is how an ambiguous
request is settled later.

Claims are atomic across threads, processes and kernels (``BEGIN IMMEDIATE``, and a unique index
over the content and recipient of live messages), and every change of state is one transaction
flushed to disk (see `directcall_nb.journal._schema` and `directcall_nb.journal._connect`; how a
dead claimer is told from a live one is in `directcall_nb.journal._owner`). The journal never
holds a client secret or an access token: nothing here takes one. It is also the audit trail:
`Journal.campaigns`, `Journal.requests` and `Journal.messages` return DataFrames; it keeps
the suppression list (`Journal.suppress`, `Journal.unsuppress`, `Journal.suppressed`), the
replies synced from each server (`Journal.replies`, `Journal.record_replies`) and the delivery
statuses read back (`Journal.record_deliveries`, `Journal.deliveries`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

import pandas as pd

from directcall_nb.errors import InputError
from directcall_nb.journal._audit import campaigns_frame, messages_frame, requests_frame
from directcall_nb.journal._checks import check_campaign, check_claim, check_field
from directcall_nb.journal._claim import Claim, RecipientSort, sort_recipients
from directcall_nb.journal._deliveries import DeliveryLog
from directcall_nb.journal._file import GONE
from directcall_nb.journal._identity import content_key, server_text
from directcall_nb.journal._queries import (
    AmbiguousRequest,
    SentRequest,
    ambiguous_requests,
    requests_by_callerid,
)
from directcall_nb.journal._replies import ReplyStore
from directcall_nb.journal._settlement import cancel, declare_ambiguous, reconciled, settle
from directcall_nb.journal._store import (
    Campaign,
    insert_campaign,
    insert_content,
    insert_request,
    live_messages,
)
from directcall_nb.journal._times import schedule_text

__all__ = ["Journal"]


class Journal(DeliveryLog, ReplyStore):
    """The SQLite record of every request, shared by every kernel of this user.

    Parameters
    ----------
    path : str or PathLike, optional
        The journal's file; its directory is created. Default: `default_journal_path`.
    environ : mapping, default os.environ
        Where ``DIRECTCALL_NB_JOURNAL`` is looked up when no path is given.
    lease : timedelta, default 1 hour
        How long a pending claim made on another machine is taken to be alive; after that it is
        ``ambiguous``. That happens when a home directory on a network disk is used from one
        machine and then another (SQLite's WAL mode does not support two machines using the
        file at the same time). Claims of this machine are checked against the process that
        made them instead.

    Notes
    -----
    One journal may be used from several threads: they share one connection, one call at a time
    (SQLite writes one transaction at a time anyway, and a lock wakes a waiting thread at once
    where a second connection would poll). Other processes wait up to a minute for a write.

    Closing the journal turns its own claims still pending into ``ambiguous``: nothing can mark
    them any more, and their requests may have left.
    """

    # -- writing -------------------------------------------------------------------------------

    def start_campaign(
        self,
        *,
        server: str,
        account: str,
        sender: str,
        channel: str,
        schedule: datetime | None,
        template: str,
        price_per_segment: Decimal | None,
        rows: int,
    ) -> int:
        """Record the start of a send and return its campaign id.

        Parameters
        ----------
        server : str
            The API's base URL the campaign is sent to (`directcall_nb.DirectCall.base_url`).
        account : str
            The DirectCall account (the client id e-mail; never the secret).
        sender : str
            The sender number, in DirectCall's format.
        channel : str
            ``"sms"`` or ``"voice"``.
        schedule : datetime or None
            When DirectCall should deliver; a naive datetime is Brasília time.
        template : str
            The message template, kept for the audit.
        price_per_segment : Decimal or None
            The price of one segment in reais, when known.
        rows : int
            The number of rows of the input frame.
        """
        named = (("server", server), ("account", account), ("sender", sender), ("channel", channel))
        check_campaign(named, template=template, price_per_segment=price_per_segment, rows=rows)
        campaign = Campaign(server_text(server), account, sender, channel, schedule_text(schedule))
        price = None if price_per_segment is None else str(price_per_segment)
        with self._lock:
            owner_id = self._ensure_owner()
            with self._transaction() as conn:
                campaign_id = insert_campaign(
                    conn,
                    owner_id=owner_id,
                    campaign=campaign,
                    template=template,
                    price_per_segment=price,
                    rows=rows,
                )
            self._campaigns[campaign_id] = campaign
        return campaign_id

    def claim(
        self,
        campaign_id: int,
        *,
        text: str,
        recipients: Sequence[str],
        segments_each: int,
        resend_ambiguous: bool = False,
        audio: str | None = None,
    ) -> Claim:
        """Claim the recipients of one planned request that may be sent now, atomically.

        Parameters
        ----------
        campaign_id : int
            From `start_campaign`; gives the account, sender, channel and schedule.
        text : str
            The final text, the same for every recipient.
        recipients : sequence of str
            The numbers, in DirectCall's format. A number given twice is claimed once.
        segments_each : int
            Billable segments per recipient.
        resend_ambiguous : bool, default False
            Claim ambiguous messages anew (their old record becomes ``superseded``).
        audio : str, optional
            The SHA-256 of the recording a voice message plays: part of its identity.

        Returns
        -------
        Claim
            The claimed recipients (in a new pending request) and why the others were not.
        """
        unique = check_claim(text, recipients, segments_each, audio)
        if not unique:
            return Claim(None, (), {}, (), ())
        request_id = tag = None
        with self._lock:
            owner_id = self._ensure_owner()
            campaign = self._campaign(campaign_id)
            key = content_key(**campaign._asdict(), text=text, audio=audio)
            with self._transaction() as conn:
                content_id, sort = self._sort(conn, key, text, unique, resend_ambiguous)
                if sort.claimed:
                    request_id, tag = insert_request(
                        conn,
                        campaign_id=campaign_id,
                        owner_id=owner_id,
                        content_id=content_id,
                        segments_each=segments_each,
                        recipients=sort.claimed,
                        superseding=sort.superseding,
                        journal_uuid=self._uuid,
                    )
            self._contents[key] = content_id
        return sort.claim(request_id, tag)

    def mark_sent(
        self, request_id: int, *, callerid: str, codigo: str, msg: str, scheduled: bool = False
    ) -> None:
        """Record that DirectCall accepted a request (``scheduled``: for later delivery).

        A request marked ambiguous before (its answer came late) may still be marked sent.
        """
        check_field("callerid", callerid)
        detail = f"callerid {callerid}, {codigo}: {msg}" + (" (scheduled)" if scheduled else "")
        answer: dict[str, str | int | None] = {
            "callerid": callerid,
            "codigo": codigo,
            "msg": msg,
            "scheduled": int(scheduled),
        }
        self._settle(request_id, "sent", detail, answer)

    def mark_failed(self, request_id: int, *, codigo: str | None, msg: str) -> None:
        """Record that DirectCall refused a request: its messages may be claimed again later."""
        self._settle(request_id, "failed", f"{codigo}: {msg}", {"codigo": codigo, "msg": msg})

    def mark_ambiguous(self, request_id: int, *, reason: str) -> None:
        """Record that a request left but its answer never came: it is not sent again."""
        self._settle(request_id, "ambiguous", reason, {"msg": reason})

    def release(self, request_id: int, *, reason: str) -> None:
        """Drop a claim whose request certainly never reached the server, as if never made.

        The request keeps a line in its history; its messages may be claimed again at once.
        """
        self._settle(request_id, "released", reason, {"msg": reason})

    def mark_cancelled(self, request_id: int, *, detail: str = "cancelled") -> None:
        """Record that a scheduled request was cancelled before delivery (``/sms/remove``).

        Its messages may then be sent again, e.g. with a new schedule.
        """
        with self._lock, self._transaction() as conn:
            cancel(conn, request_id, detail)

    def ambiguous(
        self, *, campaign: int | None = None, sender: str | None = None
    ) -> list[AmbiguousRequest]:
        """Return the ambiguous requests (of one campaign, or from one sender), oldest first.

        The pending claims of dead owners are made ambiguous first (as `recover` does).
        """
        with self._lock, self._transaction() as conn:
            declare_ambiguous(conn, self._dead(conn, None), GONE)
            return ambiguous_requests(conn, campaign_id=campaign, sender=sender)

    def ambiguous_like(
        self, campaign_id: int, texts: Collection[str] | None = None, audio: str | None = None
    ) -> list[AmbiguousRequest]:
        """Return the ambiguous requests holding a message that campaign ``campaign_id`` may claim.

        That is, the ambiguous requests of the same server, account, sender, channel, schedule
        and recording (``audio``, its SHA-256; whatever campaign made them), whose text is one
        of ``texts`` when given.
        """
        with self._lock:
            campaign = self._campaign(campaign_id)
            found = self.ambiguous(sender=campaign.sender)
            identity = campaign._asdict()
            return [
                request
                for request in found
                if (texts is None or request.text in texts)
                and request.key == content_key(**identity, text=request.text, audio=audio)
            ]

    def record_reconciliation(
        self, request_id: int, state: str, *, detail: str, callerid: str | None = None
    ) -> bool:
        """Record what the usage statement told of an ambiguous request.

        Parameters
        ----------
        request_id : int
            An ambiguous request.
        state : {"sent", "not_sent", "ambiguous"}
            ``sent``: the statement lists it (its messages become sent). ``not_sent``: the
            statement certainly does not (its messages may be sent again). ``ambiguous``: the
            statement could not tell; only the history records the attempt.
        detail : str
            What the statement told, in words (kept in ``reconciliation`` and the history).
        callerid : str, optional
            The send's callerid, when the statement gave one.

        Returns
        -------
        bool
            False when the request was no longer ambiguous: nothing was recorded.
        """
        if state not in ("sent", "not_sent", "ambiguous"):
            raise InputError(f"state must be 'sent', 'not_sent' or 'ambiguous', not {state!r}")
        check_field("detail", detail)
        if callerid is not None:
            check_field("callerid", callerid)
        with self._lock, self._transaction() as conn:
            return reconciled(conn, request_id, state, callerid=callerid, detail=detail)

    def requests_by_callerid(self, callerids: Collection[str]) -> dict[str, SentRequest]:
        """Return the requests DirectCall answered with these callerids, by callerid."""
        with self._reading() as conn:
            return requests_by_callerid(conn, callerids)

    def recover(self) -> int:
        """Turn the pending claims of dead owners into ``ambiguous``.

        `claim` does this by itself for the messages it touches; this does it for the whole file,
        so that the audit shows what became of an interrupted run.

        Returns
        -------
        int
            How many messages became ambiguous.
        """
        with self._lock, self._transaction() as conn:
            return declare_ambiguous(conn, self._dead(conn, None), GONE)

    # -- reading -------------------------------------------------------------------------------

    def campaigns(self) -> pd.DataFrame:
        """Return one row per campaign: what was asked, how many messages reached each state.

        Also what became of it: recipients delivered, who replied and who opted out, the
        rates of each over the messages sent, the cost, and the times in Brazil time (see
        `directcall_nb.journal._audit.campaigns_frame` for every column).
        """
        with self._reading() as conn:
            return campaigns_frame(conn)

    def requests(self, campaign: int | None = None) -> pd.DataFrame:
        """Return one row per request (of one campaign, or all), with its history of states.

        Besides DirectCall's answer: ``tag`` (what the request carried to DirectCall),
        ``reconciled`` (when the usage statement was last asked about it) and
        ``reconciliation`` (what it told, in words).
        """
        with self._reading() as conn:
            return requests_frame(conn, campaign)

    def messages(self, campaign: int | None = None) -> pd.DataFrame:
        """Return one row per message (of one campaign, or all): who, text, state, answer, cost."""
        with self._reading() as conn:
            return messages_frame(conn, campaign)

    # -- inside --------------------------------------------------------------------------------

    def _sort(
        self,
        conn: sqlite3.Connection,
        key: str,
        text: str,
        recipients: Sequence[str],
        resend_ambiguous: bool,
    ) -> tuple[int, RecipientSort]:
        """Return the id of the content with ``key`` (added if new) and its recipients, sorted.

        The pending claims of dead owners among them are made ambiguous first.
        """
        content_id, new = self._contents.get(key, 0), False
        if not content_id:
            content_id, new = insert_content(conn, key, text)
        live = {} if new else live_messages(conn, content_id, recipients)
        dead = self._dead(conn, {m.request_id for m in live.values() if m.state == "pending"})
        declare_ambiguous(conn, dead, GONE)
        return content_id, sort_recipients(
            recipients, live, dead, resend_ambiguous=resend_ambiguous
        )

    def _settle(
        self, request_id: int, state: str, detail: str, answer: Mapping[str, str | int | None]
    ) -> None:
        with self._lock, self._transaction() as conn:
            settle(conn, request_id, state, detail, answer)
