"""The SQLite record of every message claimed and sent, which makes sends exactly-once."""

from __future__ import annotations

from directcall_nb.journal._journal import AmbiguousRequest, Journal
from directcall_nb.journal._owner import Owner
from directcall_nb.journal._schema import parse_time, request_tag, server_text, utc_now_text

__all__ = [
    "AmbiguousRequest",
    "Journal",
    "Owner",
    "parse_time",
    "request_tag",
    "server_text",
    "utc_now_text",
]
