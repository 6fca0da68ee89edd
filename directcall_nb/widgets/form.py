"""The compose form: write a message for a frame, see what it costs, simulate, then send.

``df.directcall.compose()`` returns a `ComposeForm`, a widget that shows itself as a cell's
value. Every input change re-estimates the whole frame synchronously (a few milliseconds after
the columns are first measured), so code can drive it too: set ``form.text.value`` and read
``form.estimate``. Sending asks for a confirmation that states recipients, segments and cost,
then runs `directcall_nb.dispatch.dispatch` in a background thread so that the stop button
can be clicked while it runs.

No widget trait ever holds a credential or a token: the client is a plain attribute.
"""

from __future__ import annotations

import html
from collections.abc import Hashable
from typing import TYPE_CHECKING

import ipywidgets as widgets
import pandas as pd

from directcall_nb.columns import require_column
from directcall_nb.errors import InputError
from directcall_nb.estimate import Estimate, Estimator
from directcall_nb.formatting import format_brl, format_count
from directcall_nb.options import Options, OptionValues
from directcall_nb.plan import Plan, build_plan
from directcall_nb.report import SendReport
from directcall_nb.widgets.i18n import Strings, explain, strings
from directcall_nb.widgets.inputs import (
    guess_phone_column,
    parse_price,
    parse_schedule,
    placeholder_for,
    replace_ucs2_in_literals,
)
from directcall_nb.widgets.preview import (
    error_html,
    figures_html,
    invalid_table_html,
    recipients_html,
)
from directcall_nb.widgets.sending import HIDDEN, SHOWN, SendPanel, classed
from directcall_nb.widgets.summary import Summary, describe_range, summarize

if TYPE_CHECKING:
    from directcall_nb.campaign import JournalChoice
    from directcall_nb.client import DirectCall

__all__ = ["ComposeForm"]

_WIDE = {"description_width": "14em"}


class ComposeForm(widgets.VBox):  # type: ignore[misc]
    """A form to compose, estimate, simulate and send a message to every row of a frame.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    phone : object, optional
        The phone column; by default the one that looks like phones (by name or content).
    client : DirectCall, optional
        The client to send with; by default `directcall_nb.campaign.default_client` at send
        time (set by ``%directcall sandbox`` or ``%directcall login``).
    sender : str, optional
        The sender number to fill in.
    language : {"pt", "en"}, default "pt"
        The language of labels and messages.
    journal : Journal, path, bool or None, default None
        Where each request is recorded, as in `directcall_nb.campaign.send`: None uses
        ``DIRECTCALL_NB_JOURNAL`` or the user's data directory.
    text : str, default ""
        The message to start with.

    Attributes
    ----------
    estimate : Estimate or None
        The estimate of the current inputs; None while they cannot be estimated (the reason is
        shown in the figures area).
    summary : Summary or None
        The figures and previews shown for `estimate`.
    report : SendReport or None
        The report of the last send, once it finished.
    simulation : SendReport or None
        The report of the last simulation (dry run).
    text, phone, channel, sender, policy, price : widgets
        The inputs; setting their ``value`` from code updates `estimate` at once.
    schedule_date, schedule_time, short_number, show_sender : widgets
        More inputs: a delivery date and ``HH:MM`` time (Brazil), and two options.
    simulate_button, send_button, confirm_button, cancel_button, stop_button, replace_button
        The buttons; ``.click()`` presses one from code.
    figures, preview, output, confirm_text : widgets.HTML
        What the form shows: live figures (or the problem), the recipients' preview and the
        first invalid rows, the answer of a simulation or a send, the confirmation question.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        phone: object = None,
        client: DirectCall | None = None,
        sender: str | None = None,
        language: str = "pt",
        journal: JournalChoice = None,
        text: str = "",
    ) -> None:
        super().__init__()
        self.words: Strings = strings(language)
        self.language = language
        self.frame = frame
        if phone is not None:
            require_column(frame, phone, what="phone column")
        self._estimators: dict[Hashable, Estimator] = {}
        self.estimate: Estimate | None = None
        self.summary: Summary | None = None
        self.output = classed(widgets.HTML(), "dc-output")
        self._panel = SendPanel(
            self.words,
            language,
            make_plan=self._plan,
            client=client,
            journal=journal,
            output=self.output,
        )
        self._build(phone if phone is not None else guess_phone_column(frame), sender, text)
        self.refresh()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self, phone: object, sender: str | None, text: str) -> None:
        w = self.words
        columns = [(str(label), label) for label in self.frame.columns]
        self.phone = classed(
            widgets.Dropdown(
                options=[(w["choose_column"], None), *columns],
                value=phone,
                description=w["phone"],
                style=_WIDE,
            ),
            "dc-phone",
        )
        self.channel = classed(
            widgets.ToggleButtons(
                options=[(w["sms"], "sms"), (w["voice"], "voice")],
                value="sms",
                description=w["channel"],
                style=_WIDE,
            ),
            "dc-channel",
        )
        self.sender = classed(
            widgets.Text(
                value=sender or "",
                placeholder=w["sender_placeholder"],
                description=w["sender"],
                style=_WIDE,
            ),
            "dc-sender",
        )
        self.text = classed(
            widgets.Textarea(
                value=text,
                placeholder=w["message_placeholder"],
                description=w["message"],
                rows=4,
                style=_WIDE,
                layout=widgets.Layout(width="100%"),
            ),
            "dc-message",
        )
        self.placeholder_buttons = []
        for label in self.frame.columns:
            written = placeholder_for(label)
            if written is None:
                continue
            button = classed(widgets.Button(description=written, tooltip=written), "dc-insert")
            button.layout = widgets.Layout(width="auto")
            button.on_click(lambda _b, written=written: self._insert(written))
            self.placeholder_buttons.append(button)
        inserts = classed(
            widgets.HBox(
                [widgets.Label(w["insert"]), *self.placeholder_buttons],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            "dc-placeholders",
        )
        self.policy = classed(
            widgets.Dropdown(
                options=[(w["policy_directcall"], "directcall"), (w["policy_gsm"], "gsm")],
                value="directcall",
                description=w["policy"],
                style=_WIDE,
                layout=widgets.Layout(width="34em"),
            ),
            "dc-policy",
        )
        self.price = classed(
            widgets.Text(placeholder=w["price_placeholder"], description=w["price"], style=_WIDE),
            "dc-price",
        )
        self.schedule_date = classed(
            widgets.DatePicker(value=None, description=w["schedule"], style=_WIDE),
            "dc-schedule-date",
        )
        self.schedule_time = classed(
            widgets.Text(placeholder=w["time_placeholder"], layout=widgets.Layout(width="6em")),
            "dc-schedule-time",
        )
        self.short_number = classed(
            widgets.Checkbox(value=False, description=w["short_number"], indent=False),
            "dc-short-number",
        )
        self.show_sender = classed(
            widgets.Checkbox(value=False, description=w["show_sender"], indent=False),
            "dc-show-sender",
        )
        self.figures = classed(widgets.HTML(), "dc-figures")
        self.replace_label = widgets.HTML()
        self.replace_button = classed(widgets.Button(description=w["replace"]), "dc-replace")
        self.replace_button.on_click(lambda _b: self._replace_ucs2())
        self.replace_box = widgets.HBox([self.replace_label, self.replace_button])
        self.preview = classed(widgets.HTML(), "dc-preview")
        panel = self._panel
        self.simulate_button, self.send_button = panel.simulate_button, panel.send_button
        self.confirm_text, self.confirm_box = panel.confirm_text, panel.confirm_box
        self.confirm_button, self.cancel_button = panel.confirm_button, panel.cancel_button
        self.stop_button, self.progress_box = panel.stop_button, panel.progress_box
        self.children = [
            self.phone,
            self.channel,
            self.sender,
            self.text,
            inserts,
            self.figures,
            self.replace_box,
            widgets.HBox([self.policy, self.price]),
            widgets.HBox([self.schedule_date, self.schedule_time]),
            widgets.HBox([self.short_number, self.show_sender]),
            self.preview,
            panel.buttons,
            self.confirm_box,
            self.progress_box,
            self.output,
        ]
        self.add_class("dc-compose")
        for control in (
            self.phone,
            self.channel,
            self.sender,
            self.text,
            self.policy,
            self.price,
            self.schedule_date,
            self.schedule_time,
            self.short_number,
            self.show_sender,
        ):
            control.observe(lambda _change: self.refresh(), names="value")

    def __repr__(self) -> str:
        return (
            f"ComposeForm(rows={len(self.frame)}, phone={self.phone.value!r}, "
            f"language={self.language!r})"
        )

    # -- live estimate ---------------------------------------------------------------------------

    def _estimator(self) -> Estimator | None:
        label = self.phone.value
        if label is None:
            return None
        if label not in self._estimators:
            self._estimators[label] = Estimator(self.frame, phone=label)
        return self._estimators[label]

    def _options(self, *, sending: bool = False) -> Options:
        """The options of the inputs; with ``sending``, the schedule and short number too."""
        sms = self.channel.value == "sms"
        values: OptionValues = {
            "channel": self.channel.value,
            "sender": self.sender.value.strip() or None,
            "show_sender": bool(self.show_sender.value) and sms,
            "policy": self.policy.value,
            "price_per_segment": parse_price(self.price.value, self.words),
        }
        if sending:
            values["schedule"] = parse_schedule(
                self.schedule_date.value, self.schedule_time.value, self.words
            )
            values["short_number"] = True if self.short_number.value and sms else None
        return Options(**values)

    def refresh(self) -> None:
        """Re-estimate from the inputs and redraw the figures and the preview."""
        self._panel.withdraw()
        estimate = summary = None
        problem: str | None = None
        try:
            estimator = self._estimator()
            if estimator is None:
                problem = self.words["choose_phone"]
            elif not self.text.value.strip():
                problem = self.words["write_message"]
            else:
                estimate = estimator.estimate(self.text.value, self._options())
                summary = summarize(estimator, estimate, self.words)
        except Exception as exc:  # shown in words, never as a traceback
            estimate = summary = None
            problem = explain(exc, self.language)
        self.estimate, self.summary = estimate, summary
        if estimate is None or summary is None:
            self.figures.value = error_html(problem) if problem else ""
            self.preview.value = ""
            self.replace_box.layout.display = HIDDEN
        else:
            self._draw(estimate, summary)
        self._panel.set_ready(self.estimate is not None)

    def _draw(self, estimate: Estimate, summary: Summary) -> None:
        w = self.words
        figures = [
            (w["characters"], describe_range(summary.characters, w)),
            (w["encoding"], _encoding(summary, estimate)),
            (w["per_message"], describe_range(summary.per_message, w)),
            (w["recipients"], format_count(estimate.recipients)),
            (w["invalid"], format_count(estimate.invalid)),
            (w["duplicates"], format_count(estimate.duplicates)),
            (w["segments"], format_count(estimate.segments)),
            (w["cost"], format_brl(estimate.cost) if estimate.cost is not None else w["no_price"]),
        ]
        notes = []
        if summary.ucs2_characters:
            shown = ", ".join(_visible(c) for c in summary.ucs2_characters)
            notes.append(w["ucs2_text"].format(chars=shown))
        elif summary.ucs2_from_data:
            columns = ", ".join("{" + c + "}" for c in summary.ucs2_columns)
            notes.append(
                w["ucs2_data"].format(count=format_count(summary.ucs2_from_data), columns=columns)
            )
        body = figures_html(figures, notes)
        try:
            parse_schedule(self.schedule_date.value, self.schedule_time.value, w)
        except Exception as exc:
            body += error_html(str(exc))
        self.figures.value = body
        if summary.replacements:
            changes = ", ".join(
                f"{_visible(a)}→{_visible(b)}" for a, b in summary.replacements.items()
            )
            self.replace_label.value = html.escape(w["replace_changes"].format(changes=changes))
            self.replace_box.layout.display = SHOWN
        else:
            self.replace_box.layout.display = HIDDEN
        cards = [(row.phone, row.parts) for row in summary.preview]
        self.preview.value = recipients_html(
            cards, w, channel=estimate.options.channel
        ) + invalid_table_html(summary.invalid, w, total=estimate.invalid)

    def _insert(self, placeholder: str) -> None:
        current = self.text.value
        gap = "" if not current or current[-1].isspace() else " "
        self.text.value = current + gap + placeholder

    def _replace_ucs2(self) -> None:
        self.text.value = replace_ucs2_in_literals(self.text.value)

    # -- simulate and send -----------------------------------------------------------------------

    def _plan(self) -> Plan:
        estimator = self._estimator()
        if self.estimate is None or estimator is None:
            raise InputError(self.words["fix_first"])
        return build_plan(estimator.estimate(self.text.value, self._options(sending=True)))

    @property
    def report(self) -> SendReport | None:
        """The report of the last send, once it finished."""
        return self._panel.report

    @property
    def simulation(self) -> SendReport | None:
        """The report of the last simulation (dry run)."""
        return self._panel.simulation

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the send in progress to finish; True when none is running any more."""
        return self._panel.wait(timeout)


def _encoding(summary: Summary, estimate: Estimate) -> str:
    if summary.ucs2_characters or (
        estimate.recipients and summary.ucs2_from_data == estimate.recipients
    ):
        return "UCS-2"
    return "GSM-7 + UCS-2" if summary.ucs2_from_data else "GSM-7"


def _visible(text: str) -> str:
    """A character as a reader can see it: invisible ones by their code (``U+00A0``)."""
    if text and all(ch.isprintable() and not ch.isspace() for ch in text):
        return text
    return " ".join(f"U+{ord(ch):04X}" for ch in text) or "''"
