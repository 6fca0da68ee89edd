"""The words of the compose form's figures area and of its replacement offer.

`figures_of` chooses the figures a channel shows (a voice call has no encoding nor segments)
and writes their values and the notes on what forces UCS-2; `offer_line` writes the line that
offers the GSM-7 replacement, with the segments and cost before and after. Pure functions from
an estimate and its summary to text, which the form puts on the page.
"""

from __future__ import annotations

import html
from decimal import Decimal

from directcall_nb.display import format_brl, format_count
from directcall_nb.estimation import Estimate
from directcall_nb.i18n import say, say_count
from directcall_nb.vocabulary import Language
from directcall_nb.widgets._summary import Offer, Summary, describe_range

__all__ = ["encoding", "figures_of", "offer_line", "visible"]


def encoding(summary: Summary, estimate: Estimate) -> str:
    """Name the encoding of the messages: ``"GSM-7"``, ``"UCS-2"`` or ``"GSM-7 + UCS-2"``."""
    if summary.ucs2_characters or (
        estimate.recipients and summary.ucs2_from_data == estimate.recipients
    ):
        return "UCS-2"
    return "GSM-7 + UCS-2" if summary.ucs2_from_data else "GSM-7"


def visible(text: str) -> str:
    """Write a character as a reader can see it: invisible ones by their code (``U+00A0``)."""
    if text and all(ch.isprintable() and not ch.isspace() for ch in text):
        return text
    return " ".join(f"U+{ord(ch):04X}" for ch in text) or "''"


def _cost(money: Decimal | None, language: Language) -> str:
    """Write an amount of reais, or say that no price was given."""
    return format_brl(money) if money is not None else say("no_price", language)


def _ucs2_notes(summary: Summary, language: Language) -> list[str]:
    """Say what makes messages UCS-2: the text's own characters, or some columns' values."""
    if summary.ucs2_characters:
        shown = ", ".join(visible(c) for c in summary.ucs2_characters)
        return [say("ucs2_text", language, chars=shown)]
    if summary.ucs2_from_data:
        columns = ", ".join("{" + c + "}" for c in summary.ucs2_columns)
        count = say_count("messages", summary.ucs2_from_data, language)
        return [say("ucs2_data", language, count=count, columns=columns)]
    return []


def figures_of(
    estimate: Estimate, summary: Summary, language: Language
) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the figures the form shows for ``estimate``, as (label, value), and the notes.

    Parameters
    ----------
    estimate : Estimate
        The estimate of the form's inputs.
    summary : Summary
        Its figures and previews.
    language : {"pt", "en"}
        The form's language.

    Returns
    -------
    figures : list of (str, str)
        Characters, calls, invalid, duplicates, opted out and cost for a voice call; for SMS
        also the encoding, the segments per message and in all, and recipients instead of calls.
    notes : list of str
        For SMS, what makes the messages UCS-2, if anything; then whether the suppression list
        was ignored or could not be consulted.
    """
    characters = (say("characters", language), describe_range(summary.characters, language))
    invalid = (say("invalid", language), format_count(estimate.invalid))
    duplicates = (say("duplicates", language), format_count(estimate.duplicates))
    opted_out = (say("opted_out", language), format_count(estimate.opted_out))
    cost = (say("cost", language), _cost(estimate.cost, language))
    notes = estimate.notes(language)
    if estimate.options.channel == "voice":
        calls = (say("calls", language), format_count(estimate.recipients))
        return [characters, calls, invalid, duplicates, opted_out, cost], notes
    figures = [
        characters,
        (say("encoding", language), encoding(summary, estimate)),
        (say("per_message", language), describe_range(summary.per_message, language)),
        (say("recipients", language), format_count(estimate.recipients)),
        invalid,
        duplicates,
        opted_out,
        (say("segments", language), format_count(estimate.segments)),
        cost,
    ]
    return figures, _ucs2_notes(summary, language) + notes


def offer_line(offer: Offer, language: Language) -> str:
    """Return the offer to replace what forces UCS-2, as HTML: the changes, before and after."""
    changes = ", ".join(f"{visible(a)}→{visible(b)}" for a, b in offer.replacements.items())

    def shown_figures(segments: int, money: Decimal | None) -> str:
        return say(
            "replace_figures",
            language,
            segments=format_count(segments),
            cost=_cost(money, language),
        )

    return html.escape(
        say(
            "replace_offer",
            language,
            changes=changes,
            before=shown_figures(*offer.before),
            after=shown_figures(*offer.after),
        )
    )
