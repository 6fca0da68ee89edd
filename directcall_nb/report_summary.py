"""What a report says at a glance, in words and in HTML: its notes, its counts, its problems.

Shared by `directcall_nb.report.SendReport` and the report of a Dask frame's send
(`directcall_nb.partitioned`), which has the same figures without holding every row.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from directcall_nb.display import format_count, html_table
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from directcall_nb.outcomes import Stop

__all__ = ["Problem", "report_html", "report_notes"]

#: A row shown under a report's figures: label, phone (masked), state and why, in words.
Problem = tuple[object, str, str, str]


def report_notes(
    counts: dict[str, int],
    *,
    requests: int,
    dry_run: bool,
    timing: str | None,
    stop: Stop | None,
    stopped: str | None,
    estimate_notes: list[str],
    journal: Path | None,
    language: Language | None,
) -> list[str]:
    """Return what the reader of a report must know, in words: stops, uncertainty, guarantees.

    ``counts`` are the rows per status; ``requests`` the requests planned; ``timing`` when a
    dry run would go out, in words; ``stop`` (or the English ``stopped``) why the campaign
    stopped; ``estimate_notes`` the estimate's own.
    """
    from directcall_nb.i18n import say, say_count

    notes = []
    if dry_run:
        notes.append(say_count("note_dry_run", requests, language))
    if timing is not None:
        notes.append(timing)
    if stop is not None:
        notes.append(say("note_stopped", language, why=stop.text(language)))
    elif stopped:
        notes.append(say("note_stopped", language, why=stopped))
    notes += estimate_notes
    for status in ("ambiguous", "already_sent", "in_progress"):
        if status in counts:
            messages = say_count("messages", counts[status], language)
            notes.append(say(f"note_{status}", language, messages=messages))
    if journal is None and not dry_run:
        notes.append(say("note_no_journal", language))
    return notes


def report_html(
    title: str,
    counts: dict[str, int],
    money: str,
    notes: list[str],
    problems: list[Problem],
    problem_count: int,
    language: Language,
) -> str:
    """Write a report as HTML: counts per status, money, notes, the first rows not sent."""
    from directcall_nb.i18n import say, say_count

    cells = "".join(
        "<div style='display:inline-block;margin-right:1.5em'>"
        f"<div style='font-size:80%;opacity:.7'>{html.escape(say(f'heading_{s}', language))}"
        f"</div><div style='font-size:140%;font-weight:bold'>{format_count(n)}</div></div>"
        for s, n in counts.items()
    )
    parts = [f"<div class='directcall-report'><b>{html.escape(title)}</b><br>{cells}"]
    parts.append(f"<div>{html.escape(money)}</div>")
    parts += [f"<div>⚠ {html.escape(n)}</div>" for n in notes]
    if problems:
        header = ("col_row", "col_phone_any", "col_status", "col_reason")
        parts.append(html_table([say(k, language) for k in header], problems))
        more = problem_count - len(problems)
        if more > 0:
            parts.append(f"<div>{html.escape(say_count('more_rows', more, language))}</div>")
    parts.append("</div>")
    return "".join(parts)
