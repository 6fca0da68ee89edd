"""The compose form's inputs, made: each with its words, its width and its CSS class.

Each function makes one kind of input in the form's language. The CSS class (``dc-phone``,
``dc-sender``...) is what a browser test selects the input by. The form wires them: it observes
their values and lays them out in rows.
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import pandas as pd

from directcall_nb.i18n import say
from directcall_nb.settings import session_window
from directcall_nb.vocabulary import Language
from directcall_nb.widgets._editor import MessageEditor
from directcall_nb.widgets._inputs import placeholder_for
from directcall_nb.widgets._layout import classed, label_text
from directcall_nb.windows import Window, read_weekdays, read_window

__all__ = [
    "WindowInputs",
    "channel_choice",
    "check_box",
    "message_editor",
    "phone_choice",
    "policy_choice",
    "schedule_input",
    "text_input",
    "window_controls",
]


def phone_choice(frame: pd.DataFrame, phone: object, language: Language) -> widgets.Dropdown:
    """Return the drop-down of the frame's columns, ``phone`` chosen (None: none yet)."""
    columns = [(str(label), label) for label in frame.columns]
    return classed(
        widgets.Dropdown(options=[(say("choose_column", language), None), *columns], value=phone),
        "dc-phone",
    )


def channel_choice(language: Language) -> widgets.ToggleButtons:
    """Return the SMS / Voz toggle, on SMS."""
    channel = classed(
        widgets.ToggleButtons(
            options=[(say("sms", language), "sms"), (say("voice", language), "voice")],
            value="sms",
        ),
        "dc-channel",
    )
    channel.style.button_width = "6em"
    return channel


def message_editor(frame: pd.DataFrame, text: str, language: Language) -> MessageEditor:
    """Return the message's editor, with a button for each column a placeholder can name."""
    return classed(
        MessageEditor(
            text,
            placeholders=[p for p in map(placeholder_for, frame.columns) if p],
            placeholders_label=say("insert", language),
            placeholder=say("message_placeholder", language),
            rows=4,
            layout=widgets.Layout(flex="1 1 auto", width="auto", min_width="0"),
        ),
        "dc-message",
    )


def policy_choice(language: Language) -> widgets.Dropdown:
    """Return the drop-down of the billing rules, on DirectCall's."""
    return classed(
        widgets.Dropdown(
            options=[
                (say("policy_directcall", language), "directcall"),
                (say("policy_gsm", language), "gsm"),
            ],
            value="directcall",
            layout=widgets.Layout(width="24em", max_width="100%"),
        ),
        "dc-policy",
    )


def text_input(
    hint: str, name: str, language: Language, *, value: str = "", **layout: str
) -> widgets.Text:
    """Return a text box showing the words ``hint`` while empty, of the ``layout`` given."""
    box = classed(widgets.Text(value=value, placeholder=say(hint, language)), name)
    box.layout = widgets.Layout(**layout)
    return box


def schedule_input(hint: str, name: str, width: str, language: Language) -> widgets.Text:
    """Return a text box of the schedule (its date or its time), ``width`` wide."""
    return classed(
        widgets.Text(placeholder=say(hint, language), layout=widgets.Layout(width=width)), name
    )


def check_box(key: str, name: str, language: Language) -> widgets.Checkbox:
    """Return a check box, unchecked, its words ``key`` on its right."""
    check = classed(
        widgets.Checkbox(value=False, description=say(key, language), indent=False), name
    )
    check.layout = widgets.Layout(width="auto", margin="0 1.5em 0 0")
    return check


class WindowInputs(NamedTuple):
    """The delivery window's inputs: on or off, its start, its end, its weekdays."""

    on: widgets.Checkbox
    start: widgets.Text
    end: widgets.Text
    days: widgets.Dropdown

    def in_a_row(self, language: Language) -> list[widgets.Widget]:
        """Return them as a row shows them: ``[x] só enviar entre 08:00 e 20:00 seg a sáb``."""
        return [self.on, self.start, label_text(say("window_to", language)), self.end, self.days]


def window_controls(window: object, language: Language) -> WindowInputs:
    """Return the delivery window's inputs: on or off, its start, its end, its weekdays.

    ``window`` is the form's argument: a window (a `Window` or its start and end), shown
    checked; None (or True) for the session's (``directcall_nb.options.window``), else 08:00 to
    20:00 Monday to Saturday, checked; False for that default, unchecked.
    """
    shown = session_window() or Window()
    if window is not None and not isinstance(window, bool):
        shown = read_window(window)
    on = check_box("window_on", "dc-window-on", language)
    on.value = window is not False
    start = schedule_input("time_placeholder", "dc-window-start", "5em", language)
    end = schedule_input("time_placeholder", "dc-window-end", "5em", language)
    start.value, end.value = f"{shown.start:%H:%M}", f"{shown.end:%H:%M}"
    days = [
        (say("weekdays_mon_sat", language), "seg-sab"),
        (say("weekdays_mon_fri", language), "seg-sex"),
        (say("weekdays_every_day", language), "todos"),
    ]
    chosen = next((value for _, value in days if read_weekdays(value) == shown.weekdays), None)
    if chosen is None:  # the session's window, on days of its own
        chosen = shown.describe("pt").partition(", ")[2]
        days.append((shown.describe(language).partition(", ")[2], chosen))
    weekdays = classed(
        widgets.Dropdown(options=days, value=chosen, layout=widgets.Layout(width="12em")),
        "dc-window-days",
    )
    return WindowInputs(on, start, end, weekdays)
