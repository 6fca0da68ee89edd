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
flushed to disk (see `directcall_nb.journal._schema`; how a dead claimer is told from a live one is
in `directcall_nb.journal._owner`). The journal never holds a client secret or an access
token: nothing here takes one. It is also the audit trail: `Journal.campaigns`,
`Journal.requests` and `Journal.messages` return DataFrames.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import TracebackType

import pandas as pd

from directcall_nb.errors import InputError, JournalError
from directcall_nb.journal._audit import campaigns_frame, messages_frame, requests_frame
from directcall_nb.journal._owner import Owner, close_token, gone, open_token
from directcall_nb.journal._schema import (
    BUSY_TIMEOUT_MS,
    ENV_VAR,
    connect,
    content_key,
    default_journal_path,
    journal_uuid,
    schedule_text,
    server_text,
)
from directcall_nb.journal._store import (
    AmbiguousRequest,
    Campaign,
    SentRequest,
    ambiguous_requests,
    cancel,
    declare_ambiguous,
    find_campaign,
    insert_campaign,
    insert_content,
    insert_owner,
    insert_request,
    live_messages,
    pending_requests,
    reconciled,
    requests_by_callerid,
    settle,
)

__all__ = [
    "ENV_VAR",
    "AmbiguousRequest",
    "Claim",
    "Journal",
    "SentRequest",
    "default_journal_path",
]

#: How long a pending claim made on another machine is taken to be alive.
DEFAULT_LEASE = timedelta(hours=1)
_GONE = "the process that claimed it is gone"
_CLOSED = "the journal was closed before the answer was recorded"


@dataclass(frozen=True)
class Claim:
    """How the recipients of one planned request were sorted by `Journal.claim`.

    Attributes
    ----------
    request_id : int or None
        The new pending request holding exactly `claimed`; None when nothing was claimed.
    claimed : tuple of str
        The recipients to send to now.
    already_sent : dict of str to str
        Recipients sent before, with the callerid of that send.
    ambiguous : tuple of str
        Recipients whose earlier request may or may not have been sent: not sent again.
    in_progress : tuple of str
        Recipients another live process (or thread) is sending right now.
    tag : str or None
        The tag the request carries to DirectCall (a custom field); None when nothing was
        claimed.
    settled : dict of str to str
        Of the recipients already sent or ambiguous, those whose request the usage statement
        was asked about, with what it told, in words.
    """

    request_id: int | None
    claimed: tuple[str, ...]
    already_sent: dict[str, str]
    ambiguous: tuple[str, ...]
    in_progress: tuple[str, ...]
    tag: str | None = None
    settled: dict[str, str] = field(default_factory=dict)


class Journal:
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

    path: Path

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        environ: Mapping[str, str] = os.environ,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.path = default_journal_path(environ) if path is None else Path(path).expanduser()
        self._lease = lease
        self._lock = threading.RLock()
        self._me = Owner.current()
        self._owner_id: int | None = None
        self._campaigns: dict[int, Campaign] = {}
        self._contents: dict[str, int] = {}
        self._conn: sqlite3.Connection | None = connect(self.path)
        try:
            self._uuid = journal_uuid(self._conn)
        except sqlite3.Error as exc:
            self._conn.close()
            raise self._failure(exc) from None
        open_token(self._me.token)
        self._finalizer = weakref.finalize(self, _forget, self._me.token, self._conn)

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    @property
    def uuid(self) -> str:
        """The journal's identity: drawn when its file was created, part of every request's tag."""
        return self._uuid

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; claims of this journal still pending become ``ambiguous``."""
        with self._lock:
            if self._conn is None:
                return
            try:
                if self._owner_id is not None:
                    with self._transaction() as conn:
                        mine = pending_requests(conn, owner_id=self._owner_id)
                        declare_ambiguous(conn, [r.id for r in mine], _CLOSED)
            finally:
                self._finalizer()
                self._conn = None

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
        for name, value in named:
            _check_field(name, value)
        _check_field("template", template, allow_empty=True)
        if price_per_segment is not None and not isinstance(price_per_segment, Decimal):
            raise InputError(
                f"price_per_segment must be a Decimal or None, not {price_per_segment!r}"
            )
        _check_count("rows", rows)
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

        Returns
        -------
        Claim
            The claimed recipients (in a new pending request) and why the others were not.
        """
        _check_field("text", text)
        if isinstance(recipients, str):
            raise InputError("recipients must be a sequence of numbers, not one string")
        unique = list(dict.fromkeys(recipients))
        for recipient in unique:
            _check_field("each recipient", recipient)
        _check_count("segments_each", segments_each)
        if not unique:
            return Claim(None, (), {}, (), ())
        tag = None
        with self._lock:
            owner_id = self._ensure_owner()
            campaign = self._campaign(campaign_id)
            key = content_key(**campaign._asdict(), text=text)
            with self._transaction() as conn:
                content_id, new = self._contents.get(key, 0), False
                if not content_id:
                    content_id, new = insert_content(conn, key, text)
                live = {} if new else live_messages(conn, content_id, unique)
                dead = self._dead(
                    conn, {m.request_id for m in live.values() if m.state == "pending"}
                )
                declare_ambiguous(conn, dead, _GONE)
                claimed: list[str] = []
                sent: dict[str, str] = {}
                ambiguous: list[str] = []
                in_progress: list[str] = []
                superseding: list[int] = []
                settled: dict[str, str] = {}
                for recipient in unique:
                    message = live.get(recipient)
                    if message is None:
                        claimed.append(recipient)
                        continue
                    if message.state == "sent":
                        sent[recipient] = message.callerid or ""
                    elif message.state == "pending" and message.request_id not in dead:
                        in_progress.append(recipient)
                        continue
                    elif resend_ambiguous:
                        superseding.append(message.id)
                        claimed.append(recipient)
                        continue
                    else:
                        ambiguous.append(recipient)
                    if message.reconciliation:
                        settled[recipient] = message.reconciliation
                request_id = None
                if claimed:
                    request_id, tag = insert_request(
                        conn,
                        campaign_id=campaign_id,
                        owner_id=owner_id,
                        content_id=content_id,
                        segments_each=segments_each,
                        recipients=claimed,
                        superseding=superseding,
                        journal_uuid=self._uuid,
                    )
            self._contents[key] = content_id
        return Claim(
            request_id,
            tuple(claimed),
            sent,
            tuple(ambiguous),
            tuple(in_progress),
            tag,
            settled,
        )

    def mark_sent(
        self, request_id: int, *, callerid: str, codigo: str, msg: str, scheduled: bool = False
    ) -> None:
        """Record that DirectCall accepted a request (``scheduled``: for later delivery).

        A request marked ambiguous before (its answer came late) may still be marked sent.
        """
        _check_field("callerid", callerid)
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
        """The ambiguous requests (of one campaign, or from one sender), oldest first.

        The pending claims of dead owners are made ambiguous first (as `recover` does).
        """
        with self._lock, self._transaction() as conn:
            declare_ambiguous(conn, self._dead(conn, None), _GONE)
            return ambiguous_requests(conn, campaign_id=campaign, sender=sender)

    def ambiguous_like(
        self, campaign_id: int, texts: Collection[str] | None = None
    ) -> list[AmbiguousRequest]:
        """The ambiguous requests holding a message that campaign ``campaign_id`` may claim.

        That is, the ambiguous requests of the same server, account, sender, channel and
        schedule (whatever campaign made them), whose text is one of ``texts`` when given.
        """
        with self._lock:
            campaign = self._campaign(campaign_id)
            found = self.ambiguous(sender=campaign.sender)
            identity = campaign._asdict()
            return [
                request
                for request in found
                if (texts is None or request.text in texts)
                and request.key == content_key(**identity, text=request.text)
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
        _check_field("detail", detail)
        if callerid is not None:
            _check_field("callerid", callerid)
        with self._lock, self._transaction() as conn:
            return reconciled(conn, request_id, state, callerid=callerid, detail=detail)

    def requests_by_callerid(self, callerids: Collection[str]) -> dict[str, SentRequest]:
        """The requests DirectCall answered with these callerids, by callerid."""
        with self._lock:
            try:
                return requests_by_callerid(self._connection(), callerids)
            except sqlite3.Error as exc:
                raise self._failure(exc) from None

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
            return declare_ambiguous(conn, self._dead(conn, None), _GONE)

    # -- reading -------------------------------------------------------------------------------

    def campaigns(self) -> pd.DataFrame:
        """One row per campaign: what was asked, and how many messages reached each state."""
        with self._lock:
            try:
                return campaigns_frame(self._connection())
            except sqlite3.Error as exc:
                raise self._failure(exc) from None

    def requests(self, campaign: int | None = None) -> pd.DataFrame:
        """One row per request (of one campaign, or all), with its history of states.

        Besides DirectCall's answer: ``tag`` (what the request carried to DirectCall),
        ``reconciled`` (when the usage statement was last asked about it) and
        ``reconciliation`` (what it told, in words).
        """
        with self._lock:
            try:
                return requests_frame(self._connection(), campaign)
            except sqlite3.Error as exc:
                raise self._failure(exc) from None

    def messages(self, campaign: int | None = None) -> pd.DataFrame:
        """One row per message (of one campaign, or all): who, what text, state, answer, cost."""
        with self._lock:
            try:
                return messages_frame(self._connection(), campaign)
            except sqlite3.Error as exc:
                raise self._failure(exc) from None

    # -- inside --------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise JournalError(
                f"the journal {self.path} is closed", path=self.path, problem="closed"
            )
        return self._conn

    def _failure(self, exc: sqlite3.Error) -> JournalError:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            problem, why = (
                "locked",
                (
                    f"it stayed locked by another program for {BUSY_TIMEOUT_MS // 1000} s; close "
                    "whatever holds it open and try again"
                ),
            )
        else:
            problem, why = "other", f"SQLite said: {exc}"
        return JournalError(
            f"the journal {self.path} could not be written: {why}",
            path=self.path,
            problem=problem,
        )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failure(exc) from None
        try:
            yield conn
        except sqlite3.Error as exc:
            _roll_back(conn)
            raise self._failure(exc) from None
        except BaseException:
            _roll_back(conn)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._failure(exc) from None

    def _ensure_owner(self) -> int:
        if self._owner_id is None:
            with self._transaction() as conn:
                owner_id = insert_owner(conn, self._me)
            self._owner_id = owner_id
        return self._owner_id

    def _campaign(self, campaign_id: int) -> Campaign:
        campaign = self._campaigns.get(campaign_id)
        if campaign is None:
            campaign = find_campaign(self._connection(), campaign_id)
            if campaign is None:
                raise JournalError(
                    f"there is no campaign {campaign_id!r} in the journal {self.path}: "
                    "start one with start_campaign()",
                    path=self.path,
                )
            self._campaigns[campaign_id] = campaign
        return campaign

    def _dead(self, conn: sqlite3.Connection, request_ids: Collection[int] | None) -> set[int]:
        """Return the ids of those pending requests (all for None) whose owner is gone."""
        if request_ids is not None and not request_ids:
            return set()
        return gone(pending_requests(conn, request_ids), me=self._me, lease=self._lease)

    def _settle(
        self, request_id: int, state: str, detail: str, answer: Mapping[str, str | int | None]
    ) -> None:
        with self._lock, self._transaction() as conn:
            settle(conn, request_id, state, detail, answer)


def _check_field(name: str, value: object, *, allow_empty: bool = False) -> None:
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    if not value and not allow_empty:
        raise InputError(f"{name} must not be empty")
    if "\0" in value:
        raise InputError(f"{name} must not contain a NUL character")


def _check_count(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InputError(f"{name} must be a whole number, zero or more, not {value!r}")


def _roll_back(conn: sqlite3.Connection) -> None:
    """Undo the transaction in progress, if SQLite has not undone it already."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _forget(token: str, conn: sqlite3.Connection) -> None:
    close_token(token)
    conn.close()
