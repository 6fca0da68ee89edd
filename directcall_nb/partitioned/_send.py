"""``ddf.directcall.send``: every check first, then the partitions sent one after another.

1. The options are checked and the whole frame estimated on the cluster
   (`directcall_nb.partitioned.estimate`): exact totals, rows repeated across partitions found.
2. The checks a pandas send makes, on those totals: a sender, ``max_cost``; then the world's
   (`directcall_nb.sending.check_ready`): schedule, window, client, journal, credentials.
3. A dry run plans each partition on the cluster and reports the requests it would make.
   A send brings one partition at a time to the client, estimates and plans it there (its
   repeats of earlier partitions ``duplicate``), and dispatches it through the pandas pipeline
   into one campaign of the journal: the numbers of a text go into ``destino_csv`` files of
   ``chunk_size`` as each partition arrives, so the client holds one partition, never the list.
   A partition that stops the campaign (a stop, the end of the window, a refusal) leaves the
   partitions after it ``not_sent``, unclaimed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Unpack, cast

import pandas as pd
from dask.base import compute
from dask.delayed import delayed

from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options import Options, OptionValues
from directcall_nb.outcomes import Stop
from directcall_nb.partitioned._estimate import (
    PartitionedEstimate,
    estimate_request,
    plan_request,
)
from directcall_nb.partitioned._keys import EarlierCopiesOf
from directcall_nb.partitioned._report import PartitionedReport, Tally
from directcall_nb.partitioned._work import Request, estimate_partition, uniform
from directcall_nb.plan import build_plan, check_cost, require_sender
from directcall_nb.sending import (
    Progress,
    ProgressSink,
    check_progress,
    check_ready,
    dispatch,
    planned_rows,
    progress_sink,
)
from directcall_nb.windows import sending_time

if TYPE_CHECKING:
    import dask.dataframe as dd

    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal
    from directcall_nb.sending import JournalChoice

__all__ = ["send"]

_INTERRUPTED = Stop("interrupted", {})


def send(
    frame: dd.DataFrame,
    text: str,
    *,
    phone: object,
    client: DirectCall | None = None,
    journal: JournalChoice = None,
    dry_run: bool = False,
    progress: bool | ProgressSink = True,
    options: Options | None = None,
    **values: Unpack[OptionValues],
) -> PartitionedReport:
    """Send ``text`` to every valid row of a Dask frame, exactly once, partition by partition.

    Takes what `directcall_nb.send` takes and makes the same checks before the first claim
    (on the whole frame's totals). With ``dedupe=False`` every row is its own message, its
    copies numbered in the order of the whole list, as a pandas send numbers them.

    Returns
    -------
    PartitionedReport
        Counts, money and notes of the whole campaign; ``rows`` a Dask frame.

    Raises
    ------
    InputError, CostLimitExceeded, OutsideWindow, MissingCredentials, AuthenticationError,
    JournalError, TransportError
        As `directcall_nb.send`, before anything is sent.
    """
    check_progress(progress)
    checked = Options.from_values(values, options)
    require_sender(checked)
    request = plan_request(frame, text, phone=phone, journal=journal, options=checked)
    if dry_run:
        whole = estimate_request(frame, request)
        _check_cost(whole)
        return _dry_run(frame, whole)
    # The world is asked before the cluster pass: refused credentials are told at once.
    resolved, opened, owned = check_ready(checked, client=client, journal=journal)
    try:
        whole = estimate_request(frame, request)
        _check_cost(whole)
        sink = progress_sink(progress)
        running = None if sink is None else _RunningProgress(sink, whole.recipients, checked)
        return _Streaming(frame, whole, resolved, opened, running).run()
    finally:
        if owned and opened is not None:
            opened.close()


def _check_cost(whole: PartitionedEstimate) -> None:
    limit = whole.options.max_cost
    check_cost(whole.cost, limit, segments=whole.segments, recipients=whole.recipients)


def _dry_run(frame: dd.DataFrame, whole: PartitionedEstimate) -> PartitionedReport:
    """Plan every partition on the cluster; report the requests that would be made."""
    request, repeated = whole.request, delayed(whole.repeated, pure=True)
    parts = frame.to_delayed()
    counted = [delayed(_planned_counts)(p, k, request, repeated) for k, p in enumerate(parts)]
    tally = Tally()
    for requests, counts in compute(*counted):
        tally.requests += requests
        tally.add_unsent(Counter(counts))
    tally.show_invalid(whole)
    present = datetime.now(BRAZIL_TIME)
    timing = sending_time(whole.options.window, whole.options.schedule, present)
    return PartitionedReport(
        whole,
        _lazy_rows(frame, whole, "dry_run", range(len(parts))),
        tally,
        journal=None,
        campaign_id=None,
        stop_reason=None,
        dry_run=True,
        timing=timing,
    )


def _planned_counts(
    part: pd.DataFrame, number: int, request: Request, repeated: pd.DataFrame
) -> tuple[int, dict[str, int]]:
    """Return the requests one partition's plan makes and its rows per status (``dry_run``)."""
    plan = build_plan(estimate_partition(part, number, request, repeated))
    counts = planned_rows(plan, "dry_run")["status"].value_counts()
    return len(plan), {str(k): int(v) for k, v in counts.items()}


def _planned_table(
    part: pd.DataFrame, number: int, request: Request, repeated: pd.DataFrame, status: str
) -> pd.DataFrame:
    """Return one partition's report rows, every row its plan sends given ``status``."""
    plan = build_plan(estimate_partition(part, number, request, repeated))
    return uniform(planned_rows(plan, status))


def _lazy_rows(
    frame: dd.DataFrame, whole: PartitionedEstimate, status: str, numbers: range
) -> dd.DataFrame:
    """Return the report rows of the partitions ``numbers``, computed when asked for (lazy)."""
    from dask.dataframe import from_delayed

    parts = frame.to_delayed()
    repeated = delayed(whole.repeated, pure=True)
    return cast(
        "dd.DataFrame",
        from_delayed(
            [
                delayed(_planned_table)(parts[k], k, whole.request, repeated, status)
                for k in numbers
            ],
            meta=_rows_meta(frame, whole),
        ),
    )


def _rows_meta(frame: dd.DataFrame, whole: PartitionedEstimate) -> pd.DataFrame:
    """Return the columns of the report rows, empty."""
    sample = _planned_table(frame._meta_nonempty, 0, whole.request, whole.repeated, "dry_run")
    return sample.iloc[:0]


class _Streaming:
    """One send of a Dask frame: the partitions brought in and dispatched one by one."""

    def __init__(
        self,
        frame: dd.DataFrame,
        whole: PartitionedEstimate,
        client: DirectCall,
        journal: Journal | None,
        progress: _RunningProgress | None,
    ) -> None:
        self.frame = frame
        self.whole = whole
        self.client = client
        self.journal = journal
        self.progress = progress
        self.tally = Tally()
        self.campaign_id: int | None = None
        self.stop: Stop | None = None
        self.pieces: list[Any] = []
        #: Messages planned by the partitions dispatched so far.
        self.planned = 0

    def run(self) -> PartitionedReport:
        parts = self.frame.to_delayed()
        sent = 0  # the partitions dispatched, from the first
        try:
            for number, part in enumerate(parts):
                if self.stop is not None or not self._send_partition(part, number):
                    break
                sent = number + 1
        except KeyboardInterrupt:
            self.stop = _INTERRUPTED
        if self.progress is not None:
            self.progress.finish()
        rest = range(sent, len(parts))
        self.tally.add_unsent(self._unsent_counts())
        return PartitionedReport(
            self.whole,
            self._rows(rest),
            self.tally,
            journal=None if self.journal is None else self.journal.path,
            campaign_id=self.campaign_id,
            stop_reason=self.stop,
            dry_run=False,
        )

    def _send_partition(self, part: Any, number: int) -> bool:
        """Bring partition ``number`` in, plan it and dispatch it; False if it was not.

        A partition that cannot be read, or holds more messages than the estimate left for it,
        is not dispatched: the campaign stops there (`stop`).
        """
        try:
            frame = part.compute()
        except Exception as error:  # the user's data source failed: nothing of it is claimed
            reason = f"{type(error).__name__}: {error}"[:200]
            self.stop = Stop("partition_unread", {"partition": number, "error": reason})
            return False
        whole = self.whole
        spread = whole.spread
        earlier = None if spread is None else EarlierCopiesOf(spread, number)
        plan = build_plan(estimate_partition(frame, number, whole.request, whole.repeated), earlier)
        if self.planned + plan.recipients > self.whole.recipients:
            self.stop = Stop("list_changed", {"partition": number})
            return False
        report = dispatch(
            plan,
            self.client,
            journal=self.journal,
            progress=self.progress,
            campaign_id=self.campaign_id,
            rows=self.whole.rows_total,
        )
        self.planned += plan.recipients
        self.campaign_id = report.campaign_id
        self.tally.add(report)
        self.pieces.append(_kept(uniform(report.table)))
        if report.stop_reason is not None:
            self.stop = report.stop_reason
        return True

    def _unsent_counts(self) -> Counter[str]:
        """Return the rows of the partitions never sent, per status, from the estimate's totals.

        Nothing is computed: the whole frame's figures less what the sent partitions counted.
        """
        whole, seen = self.whole, self.tally.counts
        left: Counter[str] = Counter(
            invalid=whole.invalid - seen["invalid"],
            duplicate=whole.duplicates - seen["duplicate"],
            opted_out=whole.opted_out - seen["opted_out"],
            not_sent=whole.recipients - self.planned,
        )
        return +left  # the counts above 0

    def _rows(self, rest: range) -> dd.DataFrame:
        from dask.dataframe import concat, from_delayed

        meta = _rows_meta(self.frame, self.whole)
        pieces = [from_delayed(self.pieces, meta=meta)] if self.pieces else []
        if rest:
            pieces.append(_lazy_rows(self.frame, self.whole, "not_sent", rest))
        return cast("dd.DataFrame", concat(pieces) if len(pieces) > 1 else pieces[0])


def _kept(table: pd.DataFrame) -> Any:
    """Put one partition's report rows on the cluster when there is one; else keep them."""
    try:
        from distributed import default_client

        return default_client().scatter(table)
    except (ImportError, ValueError):  # no distributed cluster: the rows stay in this process
        return delayed(table, pure=True)


_COUNTED = tuple(f.name for f in fields(Progress) if f.name not in ("total", "price"))


@dataclass
class _RunningProgress:
    """Shows the partitions' progress as one campaign's: counts added, closed at the end."""

    sink: ProgressSink
    total: int
    options: Options
    done: Progress | None = None

    def _with(self, progress: Progress) -> Progress:
        base = self.done or Progress(total=self.total, price=self.options.price_per_segment)
        added = {name: getattr(base, name) + getattr(progress, name) for name in _COUNTED}
        return replace(base, total=self.total, **added)

    def update(self, progress: Progress) -> None:
        """Show the campaign with this partition's ``progress`` added."""
        self.sink.update(self._with(progress))

    def close(self, progress: Progress) -> None:
        """Keep a finished partition's counts; the display stays open for the next."""
        self.done = self._with(progress)

    def finish(self) -> None:
        """Close the display with the campaign's final counts."""
        self.sink.close(self.done or Progress(total=self.total))
