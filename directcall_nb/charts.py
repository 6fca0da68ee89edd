"""The campaign in pictures: a report's funnel and the last campaigns, as matplotlib figures.

Figures are built with matplotlib's object API (a `Chart` is a ``Figure``; no pyplot state is
touched, whatever backend the kernel uses) and drawn for both JupyterLab themes at once: the
background is transparent, and the text, the axes and the bars use mid-tone colours that read
on a white page and on a dark one alike. Counts are written on the bars; no phone number is
ever drawn. matplotlib is imported only when a chart is made, so ``import directcall_nb``
stays quick.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import pandas as pd

from directcall_nb.display import format_count
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from directcall_nb.report import FollowUp, SendReport

__all__ = ["INK", "STAGE_COLOURS", "CampaignPictures", "funnel_chart", "history_chart", "png"]

#: The colour of every text, tick and axis line: a mid grey that reads on light and dark themes.
INK = "#8c8c8c"
#: The colour of each funnel stage's bar: mid tones, legible on white and on near-black.
STAGE_COLOURS = {
    "planned": "#6b8fc7",
    "sent": "#3f7fd9",
    "delivered": "#2ca58d",
    "unconfirmed": "#98a2ad",
    "failed": "#d9534f",
    "replied": "#9b6dd6",
    "opted_out": "#e08e2b",
}
#: The campaigns' figures the history chart draws, in order.
HISTORY_SERIES = ("sent", "delivered", "replied", "opted_out")


def png(figure: Figure, *, dpi: int = 100) -> bytes:
    """Return the figure as PNG bytes, its background transparent."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, transparent=True, bbox_inches="tight")
    return buffer.getvalue()


def _chart_class() -> type[Figure]:
    """Return `Chart`'s class: a matplotlib ``Figure`` that shows itself as a PNG in notebooks."""
    from matplotlib.figure import Figure

    class Chart(Figure):
        """A matplotlib figure that a notebook shows as a PNG, whatever the kernel's backend."""

        def _repr_png_(self) -> bytes:
            return png(self)

    return Chart


def _new_figure(width: float, height: float) -> Figure:
    figure = _chart_class()(figsize=(width, height), layout="constrained")
    figure.patch.set_alpha(0.0)
    return figure


def _style(axes: Axes) -> None:
    """Give the axes the colours that read on both themes, and no frame but the baseline."""
    axes.set_facecolor("none")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(INK)
    axes.tick_params(colors=INK, labelcolor=INK)
    axes.xaxis.label.set_color(INK)
    axes.yaxis.label.set_color(INK)


def _share_text(share: float) -> str:
    return "" if share != share else f" ({share:.0%})"


def funnel_chart(funnel: pd.DataFrame, title: str) -> Figure:
    """Draw a funnel (`SendReport.funnel`) as horizontal bars, one per stage, top to bottom.

    Parameters
    ----------
    funnel : DataFrame
        Indexed by stage key, with ``stage`` (its name in words), ``count`` and ``share``.
    title : str
        The chart's title.

    Returns
    -------
    Figure
        A `Chart`: each bar labelled with its count and its share of the planned messages.
    """
    figure = _new_figure(7.0, 0.45 * len(funnel) + 1.2)
    axes = figure.add_subplot()
    _style(axes)
    keys = [str(key) for key in funnel.index]
    counts = [int(n) for n in funnel["count"]]
    positions = list(range(len(keys)))[::-1]
    bars = axes.barh(
        positions, counts, color=[STAGE_COLOURS.get(k, INK) for k in keys], height=0.65
    )
    labels = [
        format_count(n) + _share_text(float(s))
        for n, s in zip(counts, funnel["share"], strict=True)
    ]
    axes.bar_label(bars, labels=labels, padding=4, color=INK)
    axes.set_yticks(positions, [str(stage) for stage in funnel["stage"]])
    axes.set_xlim(0, max([*counts, 1]) * 1.25)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.set_title(title, loc="left", color=INK)
    return figure


def history_chart(
    campaigns: pd.DataFrame, series: Sequence[tuple[str, str]], labels: Sequence[str], title: str
) -> Figure:
    """Draw the last campaigns side by side: for each, its bars of sent, delivered, replied, ….

    Parameters
    ----------
    campaigns : DataFrame
        One row per campaign, in the order drawn, with the columns ``series`` names.
    series : sequence of (column, name)
        The counts drawn for each campaign, and their names in the legend.
    labels : sequence of str
        Each campaign's label under its bars.
    title : str
        The chart's title.
    """
    figure = _new_figure(min(max(6.0, 1.3 * len(campaigns) + 2.0), 16.0), 3.6)
    axes = figure.add_subplot()
    _style(axes)
    width = 0.8 / max(len(series), 1)
    for k, (column, name) in enumerate(series):
        counts = [int(n) for n in campaigns[column]]
        left = [i - 0.4 + width * (k + 0.5) for i in range(len(counts))]
        bars = axes.bar(left, counts, width, label=name, color=STAGE_COLOURS.get(column, INK))
        axes.bar_label(bars, labels=[format_count(n) for n in counts], color=INK, fontsize=8)
    axes.set_xticks(range(len(labels)), list(labels))
    axes.set_xlim(-0.6, max(len(labels), 3) - 0.4)
    axes.yaxis.set_visible(False)
    axes.spines["left"].set_visible(False)
    axes.set_title(title, loc="left", color=INK)
    legend = axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    for text in legend.get_texts():
        text.set_color(INK)
    return figure


class CampaignPictures:
    """A report's funnel, as a frame and as a chart: the part of `SendReport` that shows it."""

    campaign_id: int | None
    _follow_up: FollowUp

    def funnel(self, language: Language | None = None) -> pd.DataFrame:
        """Return the campaign's funnel, from the planned messages to the opt-outs.

        Parameters
        ----------
        language : {"pt", "en"}, optional
            The language of the stage names; default ``directcall_nb.options.language``.

        Returns
        -------
        DataFrame
            Indexed by stage (``planned``, ``sent``, ``delivered``, ``unconfirmed``,
            ``failed``, ``replied``, ``opted_out``): ``stage`` (its name in words), ``count``
            (rows of the report) and ``share`` (of the planned rows). Planned rows are those
            the campaign meant to message (not invalid, repeated or opted out); sent, those
            DirectCall accepted (now or before); delivered and failed, as
            `SendReport.refresh_status` (or an earlier read recorded in the journal) found
            them, failed counting the rows DirectCall refused too; unconfirmed, the sent ones
            whose delivery is not known (not read yet, pending, or unknowable: a plain SMS);
            replied and opted out, the recipients whose reply synced into the journal
            answers this campaign (an opt-out is a reply that asked to stop).
        """
        return self._follow_up.funnel(cast("SendReport", self), language)

    def plot(self, language: Language | None = None) -> Figure:
        """Draw the funnel (`funnel`) as bars with their counts; a matplotlib ``Figure``.

        It shows itself in a notebook, reads on light and dark themes, and holds no phone
        number; ``.savefig(path)`` writes it to a file.
        """
        from directcall_nb.i18n import say

        language = language or current_language()
        if self.campaign_id is None:
            title = say("funnel_title_unsaved", language)
        else:
            title = say("funnel_title", language, campaign=self.campaign_id)
        return funnel_chart(self.funnel(language), title)
