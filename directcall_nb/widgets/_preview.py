"""HTML pieces of the compose form: figures, SMS bubbles split into parts, tables, messages.

Pure functions from values to HTML strings (every value escaped), so that what the form shows
can be read back in tests. Phone numbers arrive here already masked (`directcall_nb.display`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from directcall_nb.i18n import say, say_count
from directcall_nb.text import fill_parts, gsm_items, sender_digits
from directcall_nb.vocabulary import SMS_CHARACTERS, Channel, Language, Policy

__all__ = [
    "bubble_html",
    "error_html",
    "figures_html",
    "invalid_table_html",
    "notice_html",
    "recipients_html",
    "split_parts",
]

#: An amount of money, which a line of a bubble never breaks: ``R$ 1.234,50``.
_MONEY = re.compile(r"R\$\s?[\d.]+(?:,\d+)?")
_CARD = (
    "display:inline-block;vertical-align:top;margin:0 1em 1em 0;max-width:20em;"
    "font-family:system-ui,sans-serif"
)
_BUBBLE = (
    "background:#e9e9eb;color:#000;border-radius:1em;padding:.5em .8em;margin:.3em 0;"
    "white-space:pre-wrap;word-wrap:break-word"
)
_PART_LABEL = "font-size:75%;opacity:.65"


def split_parts(
    text: str,
    *,
    policy: Policy = "directcall",
    channel: Channel = "sms",
    sender: object = None,
    show_sender: bool = False,
) -> list[str]:
    """Cut one final message into the SMS parts a handset receives, as billing counts them.

    The sender's digits, when shown, lead the first part. Under ``"directcall"`` a part holds
    140 characters. Under ``"gsm"`` a text that fits one part stays whole; a longer one is cut
    into parts of 153 septets (GSM-7) or 67 UTF-16 units (UCS-2), never inside a character (an
    extension character, an emoji, a letter with its accents). A voice message is one piece.

    Parameters
    ----------
    text : str
        The message as the recipient receives it.
    policy, channel, sender, show_sender
        As in `directcall_nb.count_segments`, whose segment count equals ``len`` of the result.

    Returns
    -------
    list of str
        The parts, in order; joined they give the sender's digits (when shown) and the text.
    """
    billed = sender_digits(sender, show_sender, channel) + text
    if channel == "voice":
        return [billed]
    if policy == "directcall":
        return [billed[i : i + SMS_CHARACTERS] for i in range(0, len(billed), SMS_CHARACTERS)] or [
            ""
        ]
    items, sizes, (single, capacity) = gsm_items(billed)
    parts, start = [], 0
    for count in fill_parts(sizes, single, capacity):
        parts.append("".join(items[start : start + count]))
        start += count
    return parts


def figures_html(figures: Sequence[tuple[str, str]], notes: Sequence[str] = ()) -> str:
    """Write the live figures: label/value cells in columns of one width, then notes, one a line.

    The cells wrap onto as many rows as the width needs, each row's cells under the one above.
    """
    cells = "".join(
        "<div style='min-width:0'>"
        f"<div style='font-size:80%;opacity:.7'>{html.escape(label)}</div>"
        f"<div style='font-size:120%;font-weight:bold;white-space:nowrap'>{html.escape(value)}"
        "</div></div>"
        for label, value in figures
    )
    lines = "".join(f"<div style='grid-column:1/-1'>{html.escape(note)}</div>" for note in notes)
    return (
        "<div class='dc-figures-body' style='display:grid;margin:.3em 0;"
        f"grid-template-columns:repeat(auto-fill,minmax(11em,1fr));gap:.5em 1em'>{cells}{lines}"
        "</div>"
    )


def error_html(message: str) -> str:
    """Write a problem the analyst must fix, in words, in red."""
    return f"<div class='dc-error' style='color:#b00020'>⚠ {html.escape(message)}</div>"


def notice_html(message: str) -> str:
    """Write a plain line of information."""
    return f"<div class='dc-notice' style='margin:.3em 0'>{html.escape(message)}</div>"


def _bubble_text(part: str) -> str:
    """Write a part's text as HTML: escaped, an amount of money kept on one line."""
    pieces, start = [], 0
    for found in _MONEY.finditer(part):
        pieces.append(html.escape(part[start : found.start()]))
        pieces.append(f"<span style='white-space:nowrap'>{html.escape(found.group(0))}</span>")
        start = found.end()
    pieces.append(html.escape(part[start:]))
    return "".join(pieces)


def bubble_html(parts: Sequence[str], language: Language, *, channel: Channel = "sms") -> str:
    """One message as a chat bubble per SMS part, each labelled ``parte n/total``.

    A bubble holds exactly its part: the parts joined give the message. A voice call is one
    card, labelled as a text read aloud.
    """
    if channel == "voice":
        label = html.escape(say("voice_call", language))
        body = _bubble_text(parts[0] if parts else "")
        return (
            f"<div style='{_PART_LABEL}'>{label}</div>"
            f"<div class='dc-part dc-voice' style='{_BUBBLE}'>{body}</div>"
        )
    total = len(parts)
    out = []
    for n, part in enumerate(parts, start=1):
        label = html.escape(say("part", language, n=n, total=total)) if total > 1 else ""
        out.append(
            f"<div style='{_PART_LABEL}'>{label}</div>"
            f"<div class='dc-part' data-part='{n}/{total}' style='{_BUBBLE}'>"
            f"{_bubble_text(part)}</div>"
        )
    return "".join(out)


def recipients_html(
    cards: Sequence[tuple[str, Sequence[str]]], language: Language, *, channel: Channel = "sms"
) -> str:
    """Write the preview: for each recipient, its masked number above its message's bubbles."""
    if not cards:
        return notice_html(say("no_recipients", language))
    body = "".join(
        f"<div class='dc-recipient' style='{_CARD}'>"
        f"<div class='dc-recipient-phone' style='font-weight:bold'>{html.escape(phone)}</div>"
        f"{bubble_html(parts, language, channel=channel)}</div>"
        for phone, parts in cards
    )
    title = html.escape(say("preview_title", language))
    return f"<div><div style='font-weight:bold;margin:.5em 0'>{title}</div>{body}</div>"


def invalid_table_html(
    rows: Sequence[tuple[object, str, str]], language: Language, *, total: int
) -> str:
    """Write the first invalid rows: label, masked phone as given, reason; and how many in all."""
    if not rows:
        return ""
    cell = "text-align:left;vertical-align:top;padding:.1em 1.2em .1em 0"
    head = "".join(
        f"<th style='{cell}'>{html.escape(say(k, language))}</th>"
        for k in ("col_row", "col_phone", "col_reason")
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td style='{cell}'>{html.escape(str(value))}</td>" for value in row)
        + "</tr>"
        for row in rows
    )
    title = html.escape(say_count("invalid_title", total, language, shown=len(rows)))
    return (
        f"<details class='dc-invalid' open><summary>{title}</summary>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )
