"""Progress of a campaign as it is sent: a widget in a notebook, a line in a terminal."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol, TextIO, runtime_checkable

from directcall_nb.display import format_brl, format_count
from directcall_nb.vocabulary import Language

__all__ = ["Progress", "ProgressSink", "TextProgress", "default_progress"]


@dataclass(frozen=True)
class Progress:
    """Where a campaign stands.

    Attributes
    ----------
    total : int
        Messages the plan sends.
    sent : int
        Messages DirectCall accepted in this run, for delivery now.
    scheduled : int
        Messages DirectCall accepted in this run, for delivery at the scheduled time.
    already_sent : int
        Messages an earlier run had sent: not sent again.
    failed : int
        Messages refused by DirectCall, or that could not reach it.
    uncertain : int
        Messages whose fate is unknown (the answer never came) or held by another kernel.
    not_sent : int
        Messages not tried (the campaign stopped first).
    segments : int
        Billable segments of the messages accepted in this run.
    price : Decimal or None
        The price of one segment, when known.
    """

    total: int
    sent: int = 0
    scheduled: int = 0
    already_sent: int = 0
    failed: int = 0
    uncertain: int = 0
    not_sent: int = 0
    segments: int = 0
    price: Decimal | None = None

    @property
    def billed(self) -> Decimal | None:
        """What the messages accepted in this run cost, when the price is known."""
        return None if self.price is None else self.price * self.segments

    @property
    def remaining(self) -> int:
        """Messages not yet tried."""
        settled = self.sent + self.scheduled + self.already_sent + self.failed
        return self.total - settled - self.uncertain - self.not_sent

    def adding(self, statuses: Iterable[str], segments_each: int) -> Progress:
        """This progress with the rows of one more request, given by their statuses."""
        counts = Counter(statuses)
        return replace(
            self,
            sent=self.sent + counts["sent"],
            scheduled=self.scheduled + counts["scheduled"],
            already_sent=self.already_sent + counts["already_sent"],
            failed=self.failed + counts["failed"],
            uncertain=self.uncertain + counts["ambiguous"] + counts["in_progress"],
            not_sent=self.not_sent + counts["not_sent"],
            segments=self.segments + (counts["sent"] + counts["scheduled"]) * segments_each,
        )

    def describe(self, language: Language | None = None) -> str:
        """One line for a person: ``"sent 1.200 · failed 3 · remaining 800 · billed R$ 96,00"``.

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        from directcall_nb.i18n import say

        figures = (
            ("progress_sent", self.sent),
            ("progress_scheduled", self.scheduled),
            ("progress_already", self.already_sent),
            ("progress_failed", self.failed),
            ("progress_uncertain", self.uncertain),
            ("progress_not_sent", self.not_sent),
        )
        parts = [say(key, language, n=format_count(n)) for key, n in figures if n]
        parts.append(say("progress_remaining", language, n=format_count(self.remaining)))
        if self.billed is not None and self.segments:
            parts.append(say("progress_billed", language, cost=format_brl(self.billed)))
        return " · ".join(parts)


@runtime_checkable
class ProgressSink(Protocol):
    """Something that shows progress: called with each new state, then closed."""

    def update(self, progress: Progress) -> None: ...

    def close(self, progress: Progress) -> None: ...


class TextProgress:
    """Progress on one terminal line, rewritten in place."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr

    def update(self, progress: Progress) -> None:
        done = progress.total - progress.remaining
        self._stream.write(f"\r{done}/{progress.total} · {progress.describe()}   ")
        self._stream.flush()

    def close(self, progress: Progress) -> None:
        self.update(progress)
        self._stream.write("\n")
        self._stream.flush()


class _Silent:
    def update(self, progress: Progress) -> None:
        pass

    def close(self, progress: Progress) -> None:
        pass


def default_progress() -> ProgressSink:
    """A widget inside a Jupyter kernel, a text line on a terminal, nothing otherwise."""
    if "ipykernel" in sys.modules:
        from directcall_nb.widgets import WidgetProgress

        return WidgetProgress()
    if sys.stderr.isatty():
        return TextProgress()
    return _Silent()
