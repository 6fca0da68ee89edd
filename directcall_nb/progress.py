"""Progress of a campaign as it is sent: a widget in a notebook, a line in a terminal."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TextIO

from directcall_nb.formatting import format_brl, format_count

__all__ = ["Progress", "ProgressSink", "TextProgress", "default_progress"]


@dataclass(frozen=True)
class Progress:
    """Where a campaign stands.

    Attributes
    ----------
    total : int
        Messages the plan sends.
    sent : int
        Messages DirectCall accepted (now or earlier, for messages sent by a previous run).
    failed : int
        Messages refused, or that could not be sent.
    uncertain : int
        Messages whose fate is unknown (the answer never came) or held by another kernel.
    spent : Decimal or None
        The cost of what was sent so far, when the price is known.
    """

    total: int
    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    spent: Decimal | None = None

    @property
    def remaining(self) -> int:
        """Messages not yet tried."""
        return self.total - self.sent - self.failed - self.uncertain

    def describe(self) -> str:
        """One line for a person: ``"sent 1.200 · failed 3 · remaining 800 · spent R$ 96,00"``."""
        parts = [f"sent {format_count(self.sent)}", f"failed {format_count(self.failed)}"]
        if self.uncertain:
            parts.append(f"uncertain {format_count(self.uncertain)}")
        parts.append(f"remaining {format_count(self.remaining)}")
        if self.spent is not None:
            parts.append(f"spent {format_brl(self.spent)}")
        return " · ".join(parts)


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
        from directcall_nb.widgets.progress import WidgetProgress

        return WidgetProgress()
    if sys.stderr.isatty():
        return TextProgress()
    return _Silent()
