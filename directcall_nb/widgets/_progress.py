"""A progress bar widget for a campaign being sent: the compose form's `ProgressSink`."""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from directcall_nb.sending import Progress, ProgressSink
from directcall_nb.vocabulary import Language

__all__ = ["WidgetProgress"]


class WidgetProgress(ProgressSink):
    """A bar with the campaign's states and the money billed, shown where it is created.

    The send pipeline calls `update` with each new state and `close` with the last one, as it
    does any `directcall_nb.sending.ProgressSink`.

    Parameters
    ----------
    show : bool, default True
        Display the widget at once (the compose form places it itself and passes False).
    language : {"pt", "en"}, optional
        The language of the line beside the bar; default ``directcall_nb.options.language``.

    Attributes
    ----------
    bar : widgets.IntProgress
        The requests done out of all.
    label : widgets.Label
        The states in words, and the money billed.
    box : widgets.HBox
        Both, side by side (CSS class ``dc-progress``).
    """

    def __init__(self, *, show: bool = True, language: Language | None = None) -> None:
        self._language = language
        self.bar = widgets.IntProgress(value=0, min=0, max=1, description="")
        self.label = widgets.Label(value="")
        self.box = widgets.HBox([self.bar, self.label])
        self.box.add_class("dc-progress")
        if show:
            display(self.box)  # type: ignore[no-untyped-call]

    def update(self, progress: Progress) -> None:
        """Show ``progress``: the bar at the requests done, the states beside it."""
        self.bar.max = max(progress.total, 1)
        self.bar.value = progress.total - progress.remaining
        self.label.value = progress.describe(self._language)

    def close(self, progress: Progress) -> None:
        """Show the last state, the bar green when every message went, amber otherwise."""
        self.update(progress)
        self.bar.bar_style = (
            "success" if progress.failed == 0 and not progress.uncertain else "warning"
        )
