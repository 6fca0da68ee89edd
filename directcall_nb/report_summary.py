"""What a report says at a glance, in words and in HTML: its notes, its counts, its problems.

Shared by `directcall_nb.report.SendReport` and the report of a Dask frame's send
(`directcall_nb.partitioned`), which has the same figures without holding every row.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from directcall_nb.display import format_brl, format_count, html_table
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from decimal import Decimal

    from directcall_nb.outcomes import Stop

__all__ = ["Problem", "ReportDisplay", "report_html", "report_notes"]

#: A row shown under a report's figures: label, phone (masked), state and why, in words.
Problem = tuple[object, str, str, str]
#: The first rows shown under a report's figures.
SHOWN_PROBLEMS = 10
#: Statuses of the rows that are not a problem: accepted, or would be sent.
_FINE = ("sent", "scheduled", "already_sent", "dry_run")


class ReportDisplay:
    """How a report shows itself: title, counts, money, notes and the first rows not sent.

    A report gives its `counts`, `notes`, `dry_run`, the money figures (`_money_figures`) and its
    first rows not sent (`problem_examples`); the text and HTML follow from them alike for every
    kind of report.
    """

    dry_run: bool

    @property
    def counts(self) -> dict[str, int]:
        """Rows per status, for the statuses present."""
        raise NotImplementedError

    def notes(self, language: Language | None = None) -> list[str]:
        """Return what the reader must know, in words."""
        raise NotImplementedError

    def problem_examples(self, count: int, language: Language | None = None) -> list[Problem]:
        """Return the first ``count`` rows not sent: label, phone (masked), state, why."""
        raise NotImplementedError

    def _money_figures(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """Return the price per segment, what the plan would cost, and what was billed."""
        raise NotImplementedError

    def summary(self, language: Language | None = None) -> str:
        """Return the counts per status in one line: ``"38 enviadas, 2 inválidas"``."""
        from directcall_nb.i18n import say, say_count

        return ", ".join(
            say_count(f"status_{status}", n, language) for status, n in self.counts.items()
        ) or say("status_none", language)

    def _money(self, language: Language) -> str:
        """Return the money line: what was billed (or would be), or that no price was given."""
        from directcall_nb.i18n import say

        price, planned, spent = self._money_figures()
        if price is None:
            return say("price_unknown", language)
        if self.dry_run:
            return say("would_cost", language, cost=format_brl(planned))
        return say("billed", language, cost=format_brl(spent))

    def _title(self, language: Language) -> str:
        from directcall_nb.i18n import say

        return say("dry_title" if self.dry_run else "report_title", language)

    def __repr__(self) -> str:
        language = current_language()
        lines = [f"{self._title(language)}: {self.summary(language)}; {self._money(language)}"]
        return "\n".join(lines + self.notes(language))

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language | None = None) -> str:
        """Return the summary as HTML: counts per status, money, notes, the first rows not sent.

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``. Phone numbers are masked.
        """
        language = language or current_language()
        counts = self.counts
        return report_html(
            self._title(language),
            counts,
            self._money(language),
            self.notes(language),
            self.problem_examples(SHOWN_PROBLEMS, language),
            sum(n for status, n in counts.items() if status not in _FINE),
            language,
        )


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
