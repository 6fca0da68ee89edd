"""An estimate summed up for a reader: its title and figures, as text (its repr) and as HTML."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Protocol

from directcall_nb.display import format_brl, format_count, html_table
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from decimal import Decimal

    from directcall_nb.options import Options

__all__ = ["Example", "Summarised", "estimate_html", "estimate_text", "suppression_notes"]

#: A row shown under an estimate's figures: its label, its phone (masked), why it is not sent.
Example = tuple[object, str, str]


class Summarised(Protocol):
    """What a summary reads of an estimate (of a pandas, Polars or Dask frame)."""

    options: Options
    recipients: int
    invalid: int
    duplicates: int
    opted_out: int
    segments: int
    cost: Decimal | None
    suppressions_consulted: bool
    ignored_opt_outs: int

    def notes(self, language: Language | None = None) -> list[str]:
        """Say when the suppression list was ignored or could not be consulted."""

    def invalid_examples(self, count: int, language: Language | None = None) -> list[Example]:
        """Return the first ``count`` invalid rows."""

    def opted_out_examples(self, count: int, language: Language | None = None) -> list[Example]:
        """Return the first ``count`` rows that opted out."""


#: Invalid rows listed under the figures of the HTML summary.
_SHOWN_INVALID = 10


def _figures(estimate: Summarised, language: Language) -> list[tuple[str, str]]:
    """Return the figures of ``estimate`` as (name, value) pairs, in display order."""
    from directcall_nb.i18n import say

    voice = estimate.options.channel == "voice"
    figures = [
        (say("calls" if voice else "recipients", language), format_count(estimate.recipients)),
        (say("invalid", language), format_count(estimate.invalid)),
        (say("duplicates", language), format_count(estimate.duplicates)),
        (say("opted_out", language), format_count(estimate.opted_out)),
    ]
    if not voice:
        figures.append((say("segments_word", language), format_count(estimate.segments)))
    figures.append((say("cost", language), format_brl(estimate.cost)))
    return figures


def _title(estimate: Summarised, language: Language) -> str:
    """Return the line that names the channel, the billing policy and the price."""
    from directcall_nb.i18n import say

    o = estimate.options
    voice = o.channel == "voice"
    price = (
        say(
            "estimate_price_voice" if voice else "estimate_price",
            language,
            price=format_brl(o.price_per_segment),
        )
        if o.price_per_segment is not None
        else say("estimate_no_price", language)
    )
    policy = "" if voice else say(f"policy_name_{o.policy}", language)
    channel = say("voice" if voice else "sms", language)
    return say("estimate_title", language, channel=channel, policy=policy, price=price)


def estimate_text(estimate: Summarised) -> str:
    """Write the title and the figures as lines of text, in the session's language."""
    language = current_language()
    figures = _figures(estimate, language)
    width = max(len(name) for name, _ in figures) + 1
    lines = [_title(estimate, language)]
    lines += [f"  {name + ':':<{width}} {value}" for name, value in figures]
    lines += estimate.notes(language)
    return "\n".join(lines)


def estimate_html(estimate: Summarised, language: Language) -> str:
    """Write the figures as HTML, then the first invalid rows (numbers masked)."""
    cells = "".join(
        "<div style='display:inline-block;margin-right:1.5em'><div style='font-size:80%;"
        f"opacity:.7'>{html.escape(name)}</div><div style='font-size:140%;font-weight:bold;"
        f"white-space:nowrap'>{html.escape(value)}</div></div>"
        for name, value in _figures(estimate, language)
    )
    parts = [
        f"<div class='directcall-estimate'><b>{html.escape(_title(estimate, language))}</b>"
        f"<br>{cells}"
    ]
    parts += [f"<div>⚠ {html.escape(note)}</div>" for note in estimate.notes(language)]
    if estimate.invalid:
        parts.append(_invalid_html(estimate, language))
    if estimate.opted_out:
        parts.append(_opted_out_html(estimate, language))
    parts.append("</div>")
    return "".join(parts)


def _invalid_html(estimate: Summarised, language: Language) -> str:
    """Return the table of the first invalid rows, with their reasons, under its title."""
    from directcall_nb.i18n import say, say_count

    shown = estimate.invalid_examples(_SHOWN_INVALID, language)
    table = html_table(
        [say("col_row", language), say("col_phone", language), say("col_reason", language)],
        shown,
    )
    more = estimate.invalid - len(shown)
    tail = f"<div>{html.escape(say_count('more_invalid', more, language))}</div>" if more else ""
    title = say_count("invalid_title", estimate.invalid, language, shown=len(shown))
    return f"<details open><summary>{html.escape(title)}</summary>{table}{tail}</details>"


def _opted_out_html(estimate: Summarised, language: Language) -> str:
    """Return the table of the first rows that opted out, with when and why, under its title."""
    from directcall_nb.i18n import say, say_count

    shown = estimate.opted_out_examples(_SHOWN_INVALID, language)
    table = html_table(
        [say("col_row", language), say("col_phone_any", language), say("col_reason", language)],
        shown,
    )
    more = estimate.opted_out - len(shown)
    tail = f"<div>{html.escape(say_count('more_opted_out', more, language))}</div>" if more else ""
    title = say_count("opted_out_title", estimate.opted_out, language, shown=len(shown))
    return f"<details><summary>{html.escape(title)}</summary>{table}{tail}</details>"


def suppression_notes(estimate: Summarised, language: Language | None = None) -> list[str]:
    """Say, in words, when the suppression list was ignored or could not be consulted.

    Parameters
    ----------
    estimate : Estimate or PartitionedEstimate
        Whether a list was read, whether its rows are left out (the ``suppressions`` option),
        and how many rows on it are sent anyway.
    language : {"pt", "en"}, optional
        Default: ``directcall_nb.options.language``.
    """
    from directcall_nb.i18n import say, say_count

    if not estimate.suppressions_consulted:
        return [say("note_suppressions_unread", language)]
    if estimate.options.suppressions:
        return []
    if not estimate.ignored_opt_outs:
        return [say("note_suppressions_ignored", language)]
    return [say_count("note_suppressions_ignored_count", estimate.ignored_opt_outs, language)]
