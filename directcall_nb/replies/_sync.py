"""`sync_replies`: fetch the replies received since the last sync, keep each once, return the new.

The period asked of ``/sms/recebimento`` starts where the last sync of the same server and
account stopped, less `SYNC_OVERLAP` (a reply the server lists a little late is still found;
one listed twice is stored once); a first sync starts when the journal's first campaign to that
server and account started, or `FIRST_SYNC_LOOKBACK` ago when there is none. It ends now. Every
argument is checked before the first call to the server; the journal stores nothing and the
sync point does not move unless every page was read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from directcall_nb.display import quoted
from directcall_nb.errors import InputError, InvalidOption
from directcall_nb.moments import BRAZIL_TIME, read_day_or_moment
from directcall_nb.options import checked_keywords
from directcall_nb.replies._listing import listed_replies
from directcall_nb.sending import JournalChoice, default_client, open_journal
from directcall_nb.settings import opt_out_keywords

if TYPE_CHECKING:
    import pandas as pd

    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["FIRST_SYNC_LOOKBACK", "PAGE_SIZE", "SYNC_OVERLAP", "sync_replies"]

#: How far before the point where the last sync stopped the next one starts again.
SYNC_OVERLAP = timedelta(minutes=10)
#: How far back a first sync looks when the journal has no campaign to the server and account.
FIRST_SYNC_LOOKBACK = timedelta(days=7)
#: Replies asked for per page (``itens_por_pagina``), by default.
PAGE_SIZE = 100

Moment = datetime | date | str


def sync_replies(
    client: DirectCall | None = None,
    *,
    journal: JournalChoice = None,
    since: Moment | None = None,
    until: Moment | None = None,
    keywords: Iterable[str] | None = None,
    per_page: int = PAGE_SIZE,
) -> pd.DataFrame:
    """Fetch the SMS replies received since the last sync, keep each once, and return the new.

    Each reply is stored in the journal once, linked to the campaign it answers (the latest
    message sent to its phone before it arrived, through the number it was written to), and a
    reply whose first words are an opt-out keyword (``SAIR``, ``Pare.``, ``não quero mais``;
    case, accents and punctuation ignored) puts its number on the suppression list
    (``source="reply"``, ``since`` the reply's time, ``reason`` the keyword, ``reply_text`` its
    text), so that no later estimate or send messages it.

    Parameters
    ----------
    client : DirectCall, optional
        The account to fetch from; by default the one `directcall_nb.use_client` set (as
        ``%directcall sandbox`` and ``%directcall login`` do), else one from the environment.
    journal : Journal, path or None, default None
        Where the replies are kept: a `Journal`, the path of its file, or None (the default
        file, as `directcall_nb.send` uses). ``False`` is refused: without a journal nothing
        would be kept.
    since : datetime, date or str, optional
        Fetch from this moment (a naive datetime is Brazil time; a date is its first second)
        instead of where the last sync stopped. A ``since`` after that point leaves the point
        where it was, so that the next sync still reads the gap.
    until : datetime, date or str, optional
        Fetch up to this moment (default now; a date is its last second).
    keywords : list of str, optional
        The opt-out keywords; default ``directcall_nb.options.opt_out_keywords``
        (`directcall_nb.vocabulary.OPT_OUT_KEYWORDS` unless set).
    per_page : int, default 100
        Replies asked for per page (``itens_por_pagina``); every page is read.

    Returns
    -------
    DataFrame
        The replies not stored before, oldest first: ``phone`` (DirectCall's format),
        ``sent_to``, ``text``, ``received_at`` (Brazil time), ``campaign`` (the campaign's id
        in the journal, <NA> when the reply answers none of its messages) and ``opt_out``.
        A sync run again returns only what arrived since.

    Raises
    ------
    InvalidOption
        A bad ``client``, ``since``, ``until``, ``keywords``, ``per_page`` or ``journal``,
        before anything is asked of the server.
    MissingCredentials
        No client was given or set, and the environment has no credentials.
    TransportError, APIError
        The listing could not be read; nothing was stored and the next sync asks again.
    """
    words = (
        opt_out_keywords() if keywords is None else checked_keywords(keywords, option="keywords")
    )
    _check_page_size(per_page)
    start = None if since is None else _moment("since", since, end_of_day=False)
    end = datetime.now(BRAZIL_TIME) if until is None else _moment("until", until, end_of_day=True)
    if start is not None and start > end:
        raise InvalidOption(
            f"since ({start:%d/%m/%Y %H:%M:%S}) is after until ({end:%d/%m/%Y %H:%M:%S}): "
            "give a period that starts before it ends",
            option="since",
            value=since,
        )
    client = _client(client)
    store, opened = _journal(journal)
    try:
        server, account = client.base_url, client.client_id
        last = store.synced_until(server=server, account=account)
        start = start or _start(store, last, server=server, account=account, end=end)
        listing = client.received(min(start, end), end, per_page=per_page)
        contiguous = last is None or start <= last
        return store.record_replies(
            listed_replies(listing, words),
            server=server,
            account=account,
            synced_until=end if contiguous else None,
        )
    finally:
        if opened:
            store.close()


def _start(
    journal: Journal, last: datetime | None, *, server: str, account: str, end: datetime
) -> datetime:
    """Return where a sync without ``since`` starts (see the module's docstring)."""
    if last is not None:
        return last - SYNC_OVERLAP
    first = journal.first_campaign_at(server=server, account=account)
    return first if first is not None else end - FIRST_SYNC_LOOKBACK


def _moment(option: str, value: object, *, end_of_day: bool) -> datetime:
    try:
        return read_day_or_moment(value, option, InputError, end_of_day=end_of_day)
    except InputError as exc:
        raise InvalidOption(str(exc), option=option, value=value) from None


def _check_page_size(per_page: object) -> None:
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= 10_000:
        raise InvalidOption(
            f"per_page={quoted(per_page)} is not accepted: give a whole number from 1 to 10000",
            option="per_page",
            value=per_page,
        )


def _client(client: object) -> DirectCall:
    from directcall_nb.client import DirectCall

    if client is None:
        return default_client()
    if not isinstance(client, DirectCall):
        raise InvalidOption(
            f"client must be a DirectCall client (or None for the one in use), not "
            f"{type(client).__name__}",
            option="client",
            value=type(client).__name__,
        )
    return client


def _journal(journal: JournalChoice) -> tuple[Journal, bool]:
    store, opened = (None, False) if journal is False else open_journal(journal)
    if store is None:
        raise InvalidOption(
            "sync_replies keeps the replies in a journal, so journal=False is not accepted: give "
            "a Journal, the path of its file, or leave it out for the default file",
            option="journal",
            value=journal,
        )
    return store, opened
