"""What the compose form shows about an estimate, computed without touching every row's text.

`summarize` reads an `Estimate` and its `Estimator` the cheap way: ranges and counts from
per-column arrays, texts rendered only for the few previewed rows, reasons only for the first
invalid rows. On a million rows it costs a few milliseconds, so it runs after every keystroke.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from directcall_nb.estimate import SMS_LINE_TYPES, Estimate, Estimator
from directcall_nb.formatting import format_count, mask_phone
from directcall_nb.segments import MAX_CHARACTERS, sender_digits
from directcall_nb.template import Template
from directcall_nb.widgets.i18n import Strings
from directcall_nb.widgets.inputs import literal_ucs2_characters, literal_ucs2_replacements
from directcall_nb.widgets.preview import mask_digits, mask_given, split_parts

__all__ = ["PreviewRow", "Summary", "describe_range", "summarize"]

#: Recipients shown in the preview, and invalid rows in its table.
PREVIEWED = 3
SHOWN_INVALID = 5
_SCAN = 64
_SCAN_LIMIT = 4096


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
        The SMS parts it arrives in (see `split_parts`).
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
    replacements : dict of str to str
        GSM-7 stand-ins for some of them (what "replace" would change).
    ucs2_from_data : int
        Recipients whose message is UCS-2 because of a column's value only.
    ucs2_columns : tuple of str
        The columns whose values make those messages UCS-2.
    preview : list of PreviewRow
        The first recipients, as they receive the message.
    invalid : list of (label, phone as given (masked), reason)
        The first invalid rows.
    """

    characters: tuple[int, int] | None
    per_message: tuple[int, int] | None
    ucs2_characters: tuple[str, ...]
    replacements: dict[str, str]
    ucs2_from_data: int
    ucs2_columns: tuple[str, ...]
    preview: list[PreviewRow]
    invalid: list[tuple[object, str, str]]


def _range(values: npt.NDArray[np.int64]) -> tuple[int, int] | None:
    if len(values) == 0:
        return None
    return int(values.min()), int(values.max())


def _line_kind(line_type: str, words: Strings) -> str:
    key = f"line_{line_type}"
    if key in words:
        return words[key]
    return words["line_other"].format(kind=line_type.replace("_", " "))


def _invalid_rows(
    estimator: Estimator, estimate: Estimate, labels: dict[str, Hashable], words: Strings
) -> list[tuple[object, str, str]]:
    """The first rows that will not be sent for a reason of their own (duplicates skipped)."""
    candidates = np.flatnonzero(~estimate.sendable)[:_SCAN_LIMIT]
    given = estimator.phone_input
    index = estimator.frame.index
    channel = estimate.options.channel
    found: list[tuple[object, str, str]] = []
    for start in range(0, len(candidates), _SCAN):
        chunk = candidates[start : start + _SCAN]
        phones = estimate.phones.frame.iloc[chunk]
        texts = estimate.render(chunk)
        valid = phones["valid"].to_numpy(dtype=bool)
        line_types = phones["line_type"].to_numpy(dtype=object, na_value="")
        reasons = phones["reason"].to_numpy(dtype=object, na_value="")
        for k, position in enumerate(chunk.tolist()):
            reason = _reason(
                estimator,
                labels,
                position,
                bool(valid[k]),
                str(line_types[k]),
                str(reasons[k]),
                texts[k],
                channel,
                words,
            )
            if reason is not None:
                value = given.iloc[position]
                found.append((index[position], mask_given(value), reason))
                if len(found) == SHOWN_INVALID:
                    return found
    return found


def _reason(
    estimator: Estimator,
    labels: dict[str, Hashable],
    position: int,
    valid: bool,
    line_type: str,
    phone_reason: str,
    text: object,
    channel: str,
    words: Strings,
) -> str | None:
    if not valid:
        return words["reason_phone"].format(detail=mask_digits(phone_reason))
    if channel == "sms" and line_type not in SMS_LINE_TYPES:
        return words["reason_line"].format(kind=_line_kind(line_type, words))
    if text is None:
        for name, label in labels.items():
            if estimator.facts(label).missing[position]:
                return words["reason_empty_column"].format(column=name)
        return None
    message = str(text)
    if not message.strip():
        return words["reason_empty"]
    for name, label in labels.items():
        if estimator.facts(label).forbidden[position]:
            return words["reason_forbidden"].format(column=name)
    if len(message) > MAX_CHARACTERS:
        return words["reason_too_long"].format(chars=len(message))
    return None  # a duplicate of an earlier row: not an invalid row


def summarize(estimator: Estimator, estimate: Estimate, words: Strings) -> Summary:
    """Compute what the form shows for ``estimate``.

    Parameters
    ----------
    estimator : Estimator
        The estimator that made ``estimate`` (its frame, phones and column facts).
    estimate : Estimate
        The current estimate.
    words : mapping
        The form's language table (for the reasons of invalid rows).
    """
    options = estimate.options
    template = Template.parse(estimate.text)
    labels = template.resolve(estimator.frame.columns)
    sendable = estimate.sendable
    positions = np.flatnonzero(sendable)

    digits = sender_digits(options.sender, options.show_sender, options.channel)
    chars = np.full(len(sendable), len(digits) + sum(map(len, template.literals)), np.int64)
    for name in template.fields:
        chars = chars + estimator.facts(labels[name]).chars
    characters = _range(chars[positions])
    per_message = _range(estimate.segments_at(positions))

    text_ucs2 = literal_ucs2_characters(estimate.text)
    ucs2_columns: list[str] = []
    from_data = np.zeros(len(sendable), dtype=bool)
    if not text_ucs2:
        for name in template.columns:
            wide = ~estimator.facts(labels[name]).gsm & sendable
            if wide.any():
                ucs2_columns.append(name)
                from_data |= wide

    first = positions[:PREVIEWED]
    texts = estimate.render(first)
    phones = estimate.phones.values[first]
    preview = [
        PreviewRow(
            label=estimator.frame.index[position],
            phone=mask_phone(str(phone)),
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
    invalid = _invalid_rows(estimator, estimate, labels, words) if estimate.invalid else []
    return Summary(
        characters=characters,
        per_message=per_message,
        ucs2_characters=text_ucs2,
        replacements=literal_ucs2_replacements(estimate.text) if text_ucs2 else {},
        ucs2_from_data=int(from_data.sum()),
        ucs2_columns=tuple(ucs2_columns),
        preview=preview,
        invalid=invalid,
    )


def describe_range(span: Sequence[int] | None, words: Strings) -> str:
    """``"52"`` or ``"48 a 61"`` for a (low, high) pair; ``"—"`` for None."""
    if span is None:
        return "—"
    low, high = span
    if low == high:
        return format_count(low)
    return words["range"].format(low=format_count(low), high=format_count(high))
