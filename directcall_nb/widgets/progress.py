"""A progress bar widget for a campaign being sent."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
from IPython.display import display

from directcall_nb.progress import Progress

__all__ = ["WidgetProgress"]


class WidgetProgress:
    """A bar with sent / failed / remaining and the money spent, shown where it is created.

    Parameters
    ----------
    show : bool, default True
        Display the widget at once (the compose form places it itself and passes False).
    describe : callable, optional
        Writes the line beside the bar for a `Progress`; default `Progress.describe` (English).
        The compose form passes one in its own language.
    """

    def __init__(
        self, *, show: bool = True, describe: Callable[[Progress], str] | None = None
    ) -> None:
        self._describe = describe or Progress.describe
        self.bar = widgets.IntProgress(value=0, min=0, max=1, description="")
        self.label = widgets.Label(value="")
        self.box = widgets.HBox([self.bar, self.label])
        self.box.add_class("dc-progress")
        if show:
            display(self.box)  # type: ignore[no-untyped-call]

    def update(self, progress: Progress) -> None:
        self.bar.max = max(progress.total, 1)
        self.bar.value = progress.total - progress.remaining
        self.label.value = self._describe(progress)

    def close(self, progress: Progress) -> None:
        self.update(progress)
        self.bar.bar_style = (
            "success" if progress.failed == 0 and not progress.uncertain else "warning"
        )
