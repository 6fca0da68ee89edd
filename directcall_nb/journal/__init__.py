"""The SQLite record of every message claimed and sent, which makes sends exactly-once.

DirectCall has no idempotency key: the journal records each message before its request leaves
and after its answer, so that sending a campaign again sends only what was never sent, and a
request whose fate is unknown (``ambiguous``) is never sent again by itself. It is also the
audit trail (`Journal.campaigns`, `Journal.requests`, `Journal.messages`) and what
reconciliation with DirectCall's usage statement reads (`Journal.ambiguous`, `AmbiguousRequest`,
whose ``schedule`` `parse_time` reads and whose ``server`` `server_text` compares). It keeps
the suppression list and the replies synced from each server (`Journal.replies`,
`InboundReply`; `campaign_replies` for a report's campaign, `replies_frame` for their frame).

Modules, from the outside in:

- ``_journal``: the `Journal` class: campaigns, claims, answers, reconciliation, the audit.
- ``_suppressions``: the suppression list: the numbers no campaign may message (`Suppression`).
- ``_replies``: the replies synced from a server, stored once each (`InboundReply`).
- ``_reply_links``: which request a reply answers.
- ``_claim``: what a claim decides: `Claim`, and how the recipients of a request are sorted.
- ``_checks``: the checks of what a caller gives the journal, before anything is written.
- ``_file``: the open file: one connection shared by threads, transactions, owner, closing.
- ``_owner``: who holds a claim (machine, process, open journal), and whether it is alive.
- ``_store``: the claims as SQL: owners, campaigns, contents, live messages, new requests.
- ``_settlement``: the settlements as SQL: answers, cancellations, reconciliation, ambiguity.
- ``_queries``: the requests reconciliation looks for: ambiguous ones, sent ones by callerid.
- ``_audit``: the journal read back as DataFrames.
- ``_connect``: where the file lives (`default_journal_path`), and how it is opened durably.
- ``_migrations``: bringing an older file to this version of the format.
- ``_schema``: the tables and indexes, and the states that hold a message's key.
- ``_identity``: a message's content key, a request's tag, the journal's uuid, a server's text.
- ``_times``: how the journal writes moments as text, and reads them back (`parse_time`).
"""

from __future__ import annotations

from directcall_nb.journal._claim import Claim
from directcall_nb.journal._connect import ENV_VAR, default_journal_path
from directcall_nb.journal._identity import server_text
from directcall_nb.journal._journal import Journal
from directcall_nb.journal._queries import AmbiguousRequest, SentRequest
from directcall_nb.journal._replies import (
    REPLY_COLUMNS,
    InboundReply,
    campaign_replies,
    replies_frame,
)
from directcall_nb.journal._suppressions import Suppression
from directcall_nb.journal._times import parse_time

__all__ = [
    "ENV_VAR",
    "REPLY_COLUMNS",
    "AmbiguousRequest",
    "Claim",
    "InboundReply",
    "Journal",
    "SentRequest",
    "Suppression",
    "campaign_replies",
    "default_journal_path",
    "parse_time",
    "replies_frame",
    "server_text",
]
