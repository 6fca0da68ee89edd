"""The one send pipeline: checks, claims, dispatch, retries, progress, reconciliation."""

from __future__ import annotations

from directcall_nb.sending._dispatch import dispatch, dry_run_report
from directcall_nb.sending._pipeline import (
    JournalChoice,
    default_client,
    open_journal,
    prepare,
    send,
    use_client,
)
from directcall_nb.sending._progress import Progress, ProgressSink, default_progress
from directcall_nb.sending._reconcile import TAG_FIELD, reconcile, settle
from directcall_nb.sending._retry import backoff, should_retry

__all__ = [
    "TAG_FIELD",
    "JournalChoice",
    "Progress",
    "ProgressSink",
    "backoff",
    "default_client",
    "default_progress",
    "dispatch",
    "dry_run_report",
    "open_journal",
    "prepare",
    "reconcile",
    "send",
    "settle",
    "should_retry",
    "use_client",
]
