"""The replies ``/sms/recebimento`` listed, read into `InboundReply` values for the journal.

DirectCall documents the listing's items as received SMS with ``origem``, ``destino`` and
``texto``; their id and time are not documented. So the id is read from ``id`` when there is
one, and the time from the first of `TIME_FIELDS` that holds one (``Y-m-d H:i:s`` or ISO 8601,
Brazil time unless it carries an offset); a reply without a time is taken to have arrived at the
end of the period listed. The phone a reply comes from is written in DirectCall's format (as
`directcall_nb.normalize_phones` reads it, foreign numbers included); one that is no phone
number is kept as listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pandas as pd

from directcall_nb.journal import InboundReply
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.phones import normalize_phones
from directcall_nb.replies._keywords import opt_out_keyword

__all__ = ["TIME_FIELDS", "listed_replies"]

#: Where a listed reply's time is looked for, in order **[assumed]**.
TIME_FIELDS = ("data", "data_recebimento", "data_hora", "datahora", "recebido_em", "received_at")


def listed_replies(frame: pd.DataFrame, keywords: Iterable[str]) -> list[InboundReply]:
    """Return the replies of a listing (`directcall_nb.DirectCall.received`), in its order.

    Parameters
    ----------
    frame : DataFrame
        One row per listed reply, with the listing's fields as columns.
    keywords : iterable of str
        The opt-out keywords (see `directcall_nb.replies.opt_out_keyword`).
    """
    keywords = tuple(keywords)
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    phones = normalize_phones([_text(r.get("origem")) for r in records], allow_international=True)
    replies = []
    for record, phone in zip(records, phones["phone"].tolist(), strict=True):
        text = _text(record.get("texto"))
        replies.append(
            InboundReply(
                phone=phone if isinstance(phone, str) else _text(record.get("origem")),
                sent_to=_text(record.get("destino")) or None,
                text=text,
                received_at=_time(record),
                server_id=_text(record.get("id")) or None,
                opt_out=opt_out_keyword(text, keywords),
            )
        )
    return replies


def _text(value: object) -> str:
    """Return a listed value as text: trimmed, a whole float without ``.0``, "" for missing."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _time(record: dict[str, Any]) -> datetime | None:
    """Return when a listed reply arrived (aware), or None when no field tells."""
    for name in TIME_FIELDS:
        written = _text(record.get(name))
        if not written:
            continue
        try:
            moment = datetime.fromisoformat(written)
        except ValueError:
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            return moment.replace(tzinfo=BRAZIL_TIME)
        return moment
    return None
