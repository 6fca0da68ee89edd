"""The one send pipeline: every check, then the claims, the requests, the journal and the report.

`send` (and ``df.directcall.send``) and the compose form go the same way: the options are
checked, the frame estimated and planned, `prepare` makes the checks that need the world (the
schedule, the client, the journal, the credentials), then the plan is dispatched: each request
is claimed in the journal before it leaves and recorded after, so that nothing is sent twice,
and a `directcall_nb.report.SendReport` always comes back. `reconcile` settles ambiguous
requests with DirectCall's usage statement. Progress is shown through a `ProgressSink`.

Modules: ``_pipeline`` (`send`, `prepare` and the prepared send), ``_resources`` (the client
`use_client` sets, the journal a send opens), ``_dispatch`` (the run: worker threads, stops and
interrupts), ``_request`` (one request: claimed, made, judged, recorded), ``_campaign`` (the state
the workers share), ``_rate`` (the rate limit), ``_retry`` (when a request is repeated, and how
long to wait), ``_reconcile`` (the usage statement's verdicts), ``_report`` (the report built
from the outcomes, or a dry run's), ``_follow_up`` (a report's status and cancel calls),
``_progress`` (what progress is, and its displays in a notebook and a terminal).
"""

from __future__ import annotations

from directcall_nb.sending._dispatch import dispatch
from directcall_nb.sending._funnel import funnel_counts, funnel_frame
from directcall_nb.sending._pipeline import (
    check_progress,
    check_ready,
    prepare,
    progress_sink,
    send,
)
from directcall_nb.sending._progress import Progress, ProgressSink
from directcall_nb.sending._reconcile import reconcile
from directcall_nb.sending._report import dry_run_report, planned_rows
from directcall_nb.sending._resources import (
    JournalChoice,
    default_client,
    open_journal,
    use_client,
)

__all__ = [
    "JournalChoice",
    "Progress",
    "ProgressSink",
    "check_progress",
    "check_ready",
    "default_client",
    "dispatch",
    "dry_run_report",
    "funnel_counts",
    "funnel_frame",
    "open_journal",
    "planned_rows",
    "prepare",
    "progress_sink",
    "reconcile",
    "send",
    "use_client",
]
