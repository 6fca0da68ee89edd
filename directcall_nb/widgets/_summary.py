"""What the compose form shows about an estimate, computed without touching every row's text.

`summarize` reads an `Estimate` and its `Estimator` the cheap way: ranges and counts from
per-column arrays, texts rendered only for the few previewed rows, reasons only for the first
invalid rows. On a million rows it costs a few milliseconds, so it runs after every keystroke.
`replacement_offer` says whether replacing the characters that force UCS-2 would make the
campaign cheaper, and by how much; it is offered only then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from directcall_nb.display import EMPTY_VALUE, mask_phone
from directcall_nb.estimation import Estimate, Estimator
from directcall_nb.i18n import say
from directcall_nb.text import Template, is_gsm
from directcall_nb.vocabulary import Language
from directcall_nb.widgets._inputs import (
    literal_text,
    literal_ucs2_characters,
    literal_ucs2_replacements,
    replace_ucs2_in_literals,
)
from directcall_nb.widgets._preview import split_parts

__all__ = ["Offer", "PreviewRow", "Summary", "describe_range", "replacement_offer", "summarize"]

#: Recipients shown in the preview, and invalid rows in its table.
PREVIEWED = 3
SHOWN_INVALID = 5


@dataclass(frozen=True)
class PreviewRow:
    """One previewed recipient.

    Attributes
    ----------
    label : object
        The row's label in the frame's index.
    phone : str
        The number, masked (``55 11 9****-5678``).
    text : str
        The message exactly as the recipient receives it.
    parts : list of str
        The SMS parts it arrives in (see `split_parts`); one piece for a voice call.
    """

    label: object
    phone: str
    text: str
    parts: list[str]


@dataclass(frozen=True)
class Summary:
    """The live figures and previews of one estimate.

    Attributes
    ----------
    characters : (int, int) or None
        Fewest and most characters billed per message (the sender's digits included when
        shown), over the recipients; None when there is none.
    per_message : (int, int) or None
        Fewest and most billable segments per message, over the recipients.
    ucs2_characters : tuple of str
        Characters of the message's own text that force UCS-2.
    ucs2_from_data : int
        Recipients whose message is UCS-2 because of a column's value only.
    ucs2_columns : tuple of str
        The columns whose values make those messages UCS-2.
    preview : list of PreviewRow
        The first recipients, as they receive the message.
    invalid : list of (label, phone as given (masked), reason)
        The first invalid rows, their reasons in the form's language, numbers masked.
    """

    characters: tuple[int, int] | None
    per_message: tuple[int, int] | None
    ucs2_characters: tuple[str, ...]
    ucs2_from_data: int
    ucs2_columns: tuple[str, ...]
    preview: list[PreviewRow]
    invalid: list[tuple[object, str, str]]


@dataclass(frozen=True)
class Offer:
    """Replacing the characters that force UCS-2 would make the campaign cheaper.

    Attributes
    ----------
    replacements : dict of str to str
        What would change (``{"ã": "a"}``).
    text : str
        The message after the replacement.
    before, after : (int, Decimal or None)
        Segments and cost now, and after the replacement.
    """

    replacements: dict[str, str]
    text: str
    before: tuple[int, Decimal | None]
    after: tuple[int, Decimal | None]


def _invalid_rows(
    estimator: Estimator, estimate: Estimate, language: Language
) -> list[tuple[object, str, str]]:
    """Return the first rows not sent for a reason of their own (duplicates are not listed)."""
    found: list[tuple[object, str, str]] = []
    given = estimator.phone_input
    for position in estimate.invalid_positions(SHOWN_INVALID).tolist():
        reason = estimate.reason_at(position)
        text = "" if reason is None else reason.text(language, masked=True)
        shown = mask_phone(given.iloc[position]) or EMPTY_VALUE[language]
        found.append((estimator.frame.index[position], shown, text))
    return found


def summarize(estimator: Estimator, estimate: Estimate, language: Language) -> Summary:
    """Compute what the form shows for ``estimate``.

    Parameters
    ----------
    estimator : Estimator
        The estimator that made ``estimate`` (its frame, phones and column facts).
    estimate : Estimate
        The current estimate.
    language : {"pt", "en"}
        The form's language (for the reasons of invalid rows).
    """
    options = estimate.options
    template = Template.parse(estimate.text)
    labels = template.resolve(estimator.frame.columns)
    sendable = estimate.sendable
    spans = estimate.spans()
    characters, per_message = (None, None) if spans is None else spans

    text_ucs2 = literal_ucs2_characters(estimate.text)
    ucs2_columns: list[str] = []
    from_data = np.zeros(len(sendable), dtype=bool)
    if not text_ucs2:
        for name in template.columns:
            wide = ~estimator.facts(labels[name]).gsm & sendable
            if wide.any():
                ucs2_columns.append(name)
                from_data |= wide

    first = estimate.sent_positions(PREVIEWED)
    texts = estimate.render(first)
    phones = estimate.phones_at(first)
    preview = [
        PreviewRow(
            label=estimator.frame.index[position],
            phone=mask_phone(phone),
            text=str(text),
            parts=split_parts(
                str(text),
                policy=options.policy,
                channel=options.channel,
                sender=options.sender,
                show_sender=options.show_sender,
            ),
        )
        for position, phone, text in zip(first.tolist(), phones, texts, strict=True)
    ]
    invalid = _invalid_rows(estimator, estimate, language) if estimate.invalid else []
    return Summary(
        characters=characters,
        per_message=per_message,
        ucs2_characters=text_ucs2,
        ucs2_from_data=int(from_data.sum()),
        ucs2_columns=tuple(ucs2_columns),
        preview=preview,
        invalid=invalid,
    )


def replacement_offer(estimator: Estimator, estimate: Estimate) -> Offer | None:
    """Return the GSM-7 replacement of the message's own text, if it lowers segments or cost.

    Never for voice (the text is read aloud), never when nothing would change. Under
    DirectCall's rule (140 characters whatever the encoding) a replacement never saves; under
    the carriers' rule it saves only when the text's own characters become GSM-7 (an emoji or
    another character without a stand-in keeps the message UCS-2) and some message then needs
    fewer parts. The estimate after the replacement is made only in that case.
    """
    options = estimate.options
    if options.channel == "voice" or options.policy != "gsm":
        return None
    replacements = literal_ucs2_replacements(estimate.text)
    if not replacements:
        return None
    text = replace_ucs2_in_literals(estimate.text)
    if not is_gsm(literal_text(text)):
        return None
    after = estimator.estimate(text, options)
    if after.segments >= estimate.segments:
        return None
    return Offer(
        replacements,
        text,
        before=(estimate.segments, estimate.cost),
        after=(after.segments, after.cost),
    )


def describe_range(span: Sequence[int] | None, language: Language) -> str:
    """``"52"`` or ``"48 a 61"`` for a (low, high) pair; ``"—"`` for None."""
    from directcall_nb.display import format_count

    if span is None:
        return "—"
    low, high = span
    if low == high:
        return format_count(low)
    return say("range", language, low=format_count(low), high=format_count(high))
