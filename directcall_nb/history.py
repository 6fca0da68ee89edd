"""The last campaigns of a journal, as a table and a chart: what ``%directcall history`` shows.

Each campaign is shown by its id, its day in Brazil time, its channel, the messages sent, the
shares delivered, replied and opted out (of those sent) and what it cost. No phone number is
shown: the sender and the recipients stay in the journal.
"""

from __future__ import annotations

import base64
import html
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from directcall_nb.charts import HISTORY_SERIES, history_chart, png
from directcall_nb.display import format_brl, format_count, html_table
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CampaignHistory"]

_COLUMNS = (
    "col_campaign", "col_date", "col_channel", "col_sent", "col_delivery_rate", "col_reply_rate",
    "col_opt_out_rate", "col_cost",
)  # fmt: skip


class CampaignHistory:
    """The last campaigns of a journal, shown as a table and a chart.

    Parameters
    ----------
    campaigns : DataFrame
        `directcall_nb.Journal.campaigns`, whole or in part; the last ``last`` rows are shown.
    last : int, default 10
        How many campaigns to show, the latest last.
    language : {"pt", "en"}, optional
        Default: ``directcall_nb.options.language``.

    Attributes
    ----------
    campaigns : DataFrame
        The campaigns shown.
    """

    def __init__(
        self, campaigns: pd.DataFrame, *, last: int = 10, language: Language | None = None
    ) -> None:
        self.campaigns = campaigns.tail(last).reset_index(drop=True)
        self.language: Language = language or current_language()

    def rows(self) -> list[tuple[str, ...]]:
        """Return the table's rows, in words: one per campaign."""
        from directcall_nb.i18n import say

        language = self.language
        unknown = say("not_known", language)
        frame = self.campaigns
        out = []
        for k in range(len(frame)):
            row = frame.iloc[k]
            cost = row["cost"]
            rates = (row["delivery_rate"], row["reply_rate"], row["opt_out_rate"])
            out.append(
                (
                    str(row["campaign_id"]),
                    f"{row['created_brazil']:%d/%m/%Y %H:%M}",
                    say(str(row["channel"]), language),
                    format_count(int(row["sent"])),
                    *(_percent(rate, unknown) for rate in rates),
                    format_brl(cost) if isinstance(cost, Decimal) else unknown,
                )
            )
        return out

    def figure(self) -> Figure:
        """Return the chart: per campaign, its messages sent, delivered, replied and opted out."""
        from directcall_nb.i18n import say

        language = self.language
        labels = [
            say("history_campaign", language, campaign=campaign) + f"\n{created:%d/%m}"
            for campaign, created in zip(
                self.campaigns["campaign_id"], self.campaigns["created_brazil"], strict=True
            )
        ]
        series = [(column, say(f"stage_{column}", language)) for column in HISTORY_SERIES]
        return history_chart(self.campaigns, series, labels, say("history_title", language))

    def to_html(self) -> str:
        """Return the table, then the chart as an embedded PNG."""
        from directcall_nb.i18n import say

        header = [say(key, self.language) for key in _COLUMNS]
        table = html_table(header, self.rows())
        if self.campaigns.empty:
            return table
        image = base64.b64encode(self._png()).decode("ascii")
        alt = html.escape(say("history_title", self.language), quote=True)
        return (
            f"<div class='directcall-history'>{table}"
            f"<img alt='{alt}' src='data:image/png;base64,{image}'></div>"
        )

    def _png(self) -> bytes:
        figure = self.figure()
        return png(figure)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_png_(self) -> bytes | None:
        return None if self.campaigns.empty else self._png()

    def __repr__(self) -> str:
        from directcall_nb.i18n import say

        header = [say(key, self.language) for key in _COLUMNS]
        return "\n".join(" | ".join(row) for row in [tuple(header), *self.rows()])


def _percent(rate: object, unknown: str) -> str:
    """Write a rate as a whole percentage; ``unknown`` when there is none (nothing was sent)."""
    if not isinstance(rate, float | int) or rate != rate:
        return unknown
    return f"{rate:.0%}"
