"""The replies customers send back: fetched, kept once, linked to their campaign, opt-outs honoured.

`sync_replies` reads ``/sms/recebimento`` from where the last sync stopped, keeps each reply
once in the journal, links it to the campaign it answers, and puts the numbers of those that
opt out (``SAIR``, ``PARE``, ``não quero mais``: `opt_out_keyword`) on the suppression list that
every estimate and send consults. `replies_display` shows a frame of replies to a person:
numbers masked, words in the display's language.

Modules: ``_sync`` (`sync_replies`: the period, the checks, the journal), ``_listing`` (the
listing's items read as replies), ``_keywords`` (whether a reply opts out), ``_display`` (a
frame of replies as a display shows it).
"""

from __future__ import annotations

from directcall_nb.replies._display import replies_display
from directcall_nb.replies._keywords import opt_out_keyword
from directcall_nb.replies._listing import TIME_FIELDS
from directcall_nb.replies._sync import (
    FIRST_SYNC_LOOKBACK,
    PAGE_SIZE,
    SYNC_OVERLAP,
    sync_replies,
)

__all__ = [
    "FIRST_SYNC_LOOKBACK",
    "PAGE_SIZE",
    "SYNC_OVERLAP",
    "TIME_FIELDS",
    "opt_out_keyword",
    "replies_display",
    "sync_replies",
]
