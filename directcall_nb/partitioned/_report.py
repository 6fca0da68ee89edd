"""The report of a Dask frame's send: the figures summed over the partitions, the rows a Dask frame.

Each partition is sent (or planned, for a dry run) by the pandas pipeline, whose report is
built from the outcomes the journal recorded; `Tally` keeps of it what the whole report needs
(counts, segments billed, requests, the first rows not sent, in both languages), and its rows
go to the cluster, so that the client holds no more than one partition at a time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from directcall_nb.charts import CampaignPictures
from directcall_nb.outcomes import Stop
from directcall_nb.report import STATUSES, SendReport
from directcall_nb.report_summary import SHOWN_PROBLEMS, Problem, ReportDisplay, report_notes
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    import dask.dataframe as dd

    from directcall_nb.partitioned._estimate import PartitionedEstimate
    from directcall_nb.windows import SendingTime

__all__ = ["PartitionedReport", "Tally"]

_LANGUAGES: tuple[Language, ...] = ("pt", "en")


@dataclass
class Tally:
    """What the report keeps of each partition's: counts, money, requests, first problems."""

    counts: Counter[str] = field(default_factory=Counter)
    accepted_segments: int = 0
    requests: int = 0
    request_states: Counter[str] = field(default_factory=Counter)
    problems: dict[Language, list[Problem]] = field(
        default_factory=lambda: {language: [] for language in _LANGUAGES}
    )

    def add(self, report: SendReport) -> None:
        """Add one partition's report."""
        counts = report.counts
        self.counts.update(counts)
        table = report.table
        accepted = table["status"].isin(("sent", "scheduled"))
        self.accepted_segments += int(table.loc[accepted, "segments"].sum())
        self.requests += len(report.requests)
        self.request_states.update(r.state for r in report.requests)
        room = SHOWN_PROBLEMS - len(self.problems["pt"])
        if room > 0:
            for language in _LANGUAGES:
                self.problems[language] += report.problem_examples(room, language)

    def show_invalid(self, estimate: PartitionedEstimate) -> None:
        """Show the estimate's first invalid rows (a dry run's first rows not sent)."""
        from directcall_nb.i18n import say

        for language in _LANGUAGES:
            state = say("state_invalid", language)
            shown = estimate.invalid_examples(SHOWN_PROBLEMS, language)
            self.problems[language] = [(row, phone, state, why) for row, phone, why in shown]

    def add_unsent(self, counts: Counter[str]) -> None:
        """Add the counts of partitions no request was made for."""
        self.counts.update(counts)


class PartitionedReport(ReportDisplay, CampaignPictures):
    """What a campaign did to the rows of a Dask frame.

    Attributes
    ----------
    rows : dask.dataframe.DataFrame
        Per row, the columns of `directcall_nb.SendReport.rows`, indexed like the input.
    counts : dict
        Rows per status.
    estimate : PartitionedEstimate
        The estimate the campaign was planned from.
    requests : int
        The requests made (or planned, for a dry run).
    journal : Path or None
        The journal that recorded the campaign.
    campaign_id : int or None
        The campaign's id in the journal (one campaign for all the partitions).
    stop_reason : Stop or None
        Why the campaign stopped before the end, if it did.
    dry_run : bool
        Whether nothing was sent.

    `funnel` and `plot` show what became of the campaign, as a `directcall_nb.SendReport`'s.
    """

    def __init__(
        self,
        estimate: PartitionedEstimate,
        rows: dd.DataFrame,
        tally: Tally,
        *,
        journal: Path | None,
        campaign_id: int | None,
        stop_reason: Stop | None,
        dry_run: bool,
        timing: SendingTime | None = None,
    ) -> None:
        self.estimate = estimate
        self.rows = rows
        self.journal = journal
        self.campaign_id = campaign_id
        self.stop_reason = stop_reason
        self.dry_run = dry_run
        self.requests = tally.requests
        self._tally = tally
        self._timing = timing

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, for the statuses present."""
        counts = self._tally.counts
        return {status: int(counts[status]) for status in STATUSES if counts.get(status)}

    @property
    def spent(self) -> Decimal | None:
        """The cost of the messages accepted in this run, when the price is known."""
        price = self.estimate.options.price_per_segment
        return None if price is None else price * self._tally.accepted_segments

    def notes(self, language: Language | None = None) -> list[str]:
        """Return what the reader must know, in words: stops, uncertainty, guarantees."""
        return report_notes(
            self.counts,
            requests=self.requests,
            dry_run=self.dry_run,
            timing=None if self._timing is None else self._timing.text(language),
            stop=self.stop_reason,
            stopped=None,
            estimate_notes=self.estimate.notes(language),
            journal=self.journal,
            language=language,
        )

    def funnel(self, language: Language | None = None) -> pd.DataFrame:
        """Return the campaign's funnel, as `directcall_nb.SendReport.funnel` does.

        The report's rows are read partition by partition (each computed, counted, let go)
        against the journal: the client holds one partition at a time.
        """
        from dask.base import compute

        from directcall_nb.sending import funnel_counts, funnel_frame

        total: Counter[str] = Counter()
        for part in self.rows.to_delayed():
            (table,) = compute(part)
            total.update(funnel_counts(table, self.journal))
        return funnel_frame(dict(total), language)

    def replies(self) -> pd.DataFrame:
        """Return the replies to this campaign its journal holds (`sync_replies` fetches them)."""
        from directcall_nb.journal import campaign_replies

        return campaign_replies(self.journal, self.campaign_id)

    def problem_examples(self, count: int, language: Language | None = None) -> list[Problem]:
        """Return the first ``count`` rows not sent: label, phone (masked), state, why."""
        return self._tally.problems[language or current_language()][:count]

    def _money_figures(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return self.estimate.options.price_per_segment, self.estimate.cost, self.spent
