"""Progress of a campaign as it is sent: a bar in a notebook, a line in a terminal.

The sinks here need nothing but IPython's display (already loaded in a notebook's kernel); the
compose form shows its own widget, `directcall_nb.widgets.WidgetProgress`, through the same
`ProgressSink` face.
"""

from __future__ import annotations

import html
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Protocol, TextIO, runtime_checkable

from directcall_nb.display import format_brl, format_count
from directcall_nb.vocabulary import Language

__all__ = ["NotebookProgress", "Progress", "ProgressSink", "TextProgress", "default_progress"]


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

    @property
    def done(self) -> int:
        """Messages whose turn has come: every one but the `remaining`."""
        return self.total - self.remaining

    @property
    def troubled(self) -> int:
        """Messages that failed or whose fate is uncertain: a campaign ends well without any."""
        return self.failed + self.uncertain

    def adding(self, statuses: Iterable[str], segments_each: int) -> Progress:
        """Return this progress with the rows of one more request, given by their statuses."""
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

    def update(self, progress: Progress) -> None:
        """Show ``progress``, the state after one more request."""

    def close(self, progress: Progress) -> None:
        """Show ``progress``, the final state: the campaign is over."""


def _counted(progress: Progress, language: Language | None = None) -> str:
    """Return the state in one line led by the count: ``"25/100 · enviadas 25 · ..."``."""
    return f"{progress.done}/{progress.total} · {progress.describe(language)}"


class TextProgress:
    """Progress on one terminal line, rewritten in place.

    Parameters
    ----------
    stream : text stream, optional
        Where the line is written; default ``sys.stderr``.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr

    def update(self, progress: Progress) -> None:
        """Rewrite the line with ``progress``."""
        self._stream.write(f"\r{_counted(progress)}   ")
        self._stream.flush()

    def close(self, progress: Progress) -> None:
        """Write the final state and end the line."""
        self.update(progress)
        self._stream.write("\n")
        self._stream.flush()


#: The bar's colour while the campaign runs, once it ended well, and once it did not (those of
#: JupyterLab's theme, with its default colours where there is no theme).
_RUNNING = "var(--jp-brand-color1, #1976d2)"
_ENDED_WELL = "var(--jp-success-color1, #388e3c)"
_ENDED_TROUBLED = "var(--jp-warn-color1, #f57c00)"


def _bar(progress: Progress | None, language: Language | None, colour: str) -> dict[str, str]:
    """Return the display of the bar and its line (HTML, with a plain-text twin).

    Before the first request ends (``progress`` None) the bar is empty and has no line.
    """
    done, total = (0, 1) if progress is None else (progress.done, max(progress.total, 1))
    line = "" if progress is None else progress.describe(language)
    markup = (
        "<div class='dc-progress' style='display:flex;align-items:center;gap:0.5em'>"
        f"<progress value='{done}' max='{total}' style='width:300px;accent-color:{colour}'>"
        f"</progress><span>{html.escape(line)}</span></div>"
    )
    plain = "" if progress is None else _counted(progress, language)
    return {"text/html": markup, "text/plain": plain}


class NotebookProgress:
    """A bar with the campaign's states and the money billed, in a notebook's output.

    One display, shown where the sink is created and updated in place: plain HTML, so that it
    needs no widget library and a saved notebook keeps the last state.

    Parameters
    ----------
    language : {"pt", "en"}, optional
        The language of the line beside the bar; default ``directcall_nb.options.language``.
    """

    def __init__(self, language: Language | None = None) -> None:
        from IPython.display import display

        self._language = language
        bar = _bar(None, language, _RUNNING)
        self._handle = display(bar, raw=True, display_id=True)  # type: ignore[no-untyped-call]

    def update(self, progress: Progress) -> None:
        """Show ``progress`` in the bar and its line."""
        self._show(progress, _RUNNING)

    def close(self, progress: Progress) -> None:
        """Show the final state; the bar turns green when it ended well, orange otherwise."""
        self._show(progress, _ENDED_TROUBLED if progress.troubled else _ENDED_WELL)

    def _show(self, progress: Progress, colour: str) -> None:
        if self._handle is not None:
            self._handle.update(_bar(progress, self._language, colour), raw=True)


class _Silent:
    def update(self, progress: Progress) -> None:
        pass

    def close(self, progress: Progress) -> None:
        pass


def _in_a_kernel() -> bool:
    """Tell whether this runs in a Jupyter kernel, where a display reaches a notebook."""
    if "ipykernel" not in sys.modules:
        return False
    from IPython.core.interactiveshell import InteractiveShell

    return InteractiveShell.initialized()


def default_progress() -> ProgressSink:
    """Return a bar inside a Jupyter kernel, a text line on a terminal, nothing otherwise."""
    if _in_a_kernel():
        return NotebookProgress()
    if sys.stderr.isatty():
        return TextProgress()
    return _Silent()
