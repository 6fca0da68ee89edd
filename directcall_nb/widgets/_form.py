"""The compose form: write a message for a frame, see what it costs, simulate, then send.

``df.directcall.compose()`` returns a `ComposeForm`, a widget that shows itself as a cell's
value. Every input change checks the inputs and re-estimates the whole frame synchronously (a
few milliseconds after the columns are first measured), so code can drive it too: set
``form.text.value`` and read ``form.estimate``. Each input's problem is shown beside it as it is
typed and goes away once fixed; Simular and Enviar stay disabled while any remains. Under Voz
the form shows only what applies to a voice call.

Sending asks for a confirmation that names the channel, the count, the price and the schedule,
then runs the send pipeline in a background thread so that the stop button can be clicked while
it runs. No widget trait ever holds a credential or a token: the client is a plain attribute.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from directcall_nb.columns import require_column
from directcall_nb.errors import InputError
from directcall_nb.estimation import Estimate, Estimator
from directcall_nb.frames import AnyFrame, read_frame
from directcall_nb.i18n import explain, say
from directcall_nb.options import Options, checked_language
from directcall_nb.plan import Plan, build_plan
from directcall_nb.report import SendReport
from directcall_nb.vocabulary import Language
from directcall_nb.widgets._checks import FIELDS, Checked, Typed, check_inputs
from directcall_nb.widgets._controls import (
    channel_choice,
    check_box,
    message_editor,
    phone_choice,
    policy_choice,
    schedule_input,
    text_input,
    window_controls,
)
from directcall_nb.widgets._figures import figures_of, offer_line
from directcall_nb.widgets._inputs import guess_phone_column
from directcall_nb.widgets._layout import (
    HIDDEN,
    SHOWN,
    STYLE,
    classed,
    full_width,
    label,
    label_html,
    row,
)
from directcall_nb.widgets._preview import (
    error_html,
    figures_html,
    invalid_table_html,
    recipients_html,
)
from directcall_nb.widgets._sending import SendPanel
from directcall_nb.widgets._summary import Offer, Summary, replacement_offer, summarize
from directcall_nb.windows import Window

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.sending import JournalChoice

__all__ = ["ComposeForm"]


class ComposeForm(widgets.VBox):  # type: ignore[misc]
    """A form to compose, estimate, simulate and send a message to every row of a frame.

    Parameters
    ----------
    frame : DataFrame or polars.DataFrame
        The customer list (a Polars frame is read through Arrow; its rows are named by
        position).
    phone : object, optional
        The phone column; by default the one that looks like phones (by name or content).
    client : DirectCall, optional
        The client to send with; by default `directcall_nb.sending.default_client` at send time
        (set by ``%directcall sandbox`` or ``%directcall login``).
    sender : str, optional
        The sender number to fill in.
    language : {"pt", "en"}, default "pt"
        The language of labels and messages.
    journal : Journal, path, bool or None, default None
        Where each request is recorded, as in `directcall_nb.send`: None uses
        ``DIRECTCALL_NB_JOURNAL`` or the user's data directory. Its suppression list leaves
        rows out, and the figures count them.
    text : str, default ""
        The message to start with.
    window : (start, end), Window or False, optional
        The delivery window the form starts with (Brasília time): by default the session's
        (``directcall_nb.options.window``), else 08:00 to 20:00 Monday to Saturday; False starts
        with it off. The analyst can change it in the form.

    Attributes
    ----------
    estimate : Estimate or None
        The estimate of the current inputs; None while they cannot be estimated (the reason is
        shown in the figures area).
    summary : Summary or None
        The figures and previews shown for `estimate`.
    offer : Offer or None
        The GSM-7 replacement offered, when it would make the campaign cheaper.
    problems : dict of str to str
        The problem of each input that has one (``sender``, ``price``, ``schedule``, ``fill``),
        in words, as shown beside it.
    report : SendReport or None
        The report of the last send, once it finished.
    simulation : SendReport or None
        The report of the last simulation (dry run).
    text : MessageEditor
        The message; its placeholder buttons insert a column at the caret.
    phone, international, channel, sender, fill, policy, price : widgets
        The inputs; setting their ``value`` from code updates `estimate` at once.
    schedule_date, schedule_time, short_number, show_sender : widgets
        More inputs: a delivery date (``dd/mm/aaaa``) and time (``HH:MM``, Brazil time), and
        the SMS options.
    window_on, window_start, window_end, window_days : widgets
        The delivery window: whether sends keep to it, its hours (``HH:MM``), its weekdays.
    simulate_button, send_button, confirm_button, cancel_button, stop_button, replace_button
        The buttons; ``.click()`` presses one from code.
    figures, preview, output, confirm_text : widgets.HTML
        What the form shows: live figures (or the problem), the recipients' preview and the
        first invalid rows, the answer of a simulation or a send, the confirmation question.
    """

    def __init__(
        self,
        frame: AnyFrame,
        *,
        phone: object = None,
        client: DirectCall | None = None,
        sender: str | None = None,
        language: str = "pt",
        journal: JournalChoice = None,
        text: str = "",
        window: Window | tuple[object, object] | bool | None = None,
    ) -> None:
        super().__init__(layout=widgets.Layout(width="100%", max_width="64em"))
        self.language: Language = checked_language(language)
        self.frame, _ = read_frame(frame)
        if phone is not None:
            require_column(self.frame, phone, what="phone column")
        self._journal = journal
        self._estimators: dict[Hashable, Estimator] = {}
        self.estimate: Estimate | None = None
        self.summary: Summary | None = None
        self.offer: Offer | None = None
        self.problems: dict[str, str] = {}
        self.output = classed(widgets.HTML(layout=full_width()), "dc-output")
        self._panel = SendPanel(
            self.language, make_plan=self._plan, client=client, journal=journal, output=self.output
        )
        guessed = phone if phone is not None else guess_phone_column(self.frame)
        self._build_inputs(guessed, sender, text)
        self._window = window_controls(window, self.language)
        self.window_on, self.window_start, self.window_end, self.window_days = self._window
        self._lay_out()
        for control in self._inputs():
            control.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    # -- the inputs ------------------------------------------------------------------------------

    def _say(self, key: str, **fields: Any) -> str:
        return say(key, self.language, **fields)

    def _build_inputs(self, phone: object, sender: str | None, text: str) -> None:
        """Make the inputs and the areas the form writes into."""
        language = self.language
        self.phone = phone_choice(self.frame, phone, language)
        self.international = check_box("international", "dc-international", language)
        self.channel = channel_choice(language)
        self.sender = text_input(
            "sender_placeholder", "dc-sender", language, value=sender or "", width="22em"
        )
        self.text = message_editor(self.frame, text, language)
        self.fill = text_input(
            "fill_placeholder", "dc-fill", language, width="28em", max_width="100%"
        )
        self.figures = classed(widgets.HTML(layout=full_width()), "dc-figures")
        self.replace_label = classed(widgets.HTML(), "dc-replace-offer")
        self.replace_button = classed(
            widgets.Button(description=self._say("replace")), "dc-replace"
        )
        self.replace_button.layout = widgets.Layout(width="auto")
        self.replace_button.on_click(lambda _b: self._replace_ucs2())
        self.policy = policy_choice(language)
        self.price = text_input("price_placeholder", "dc-price", language, width="8em")
        self.schedule_date = schedule_input("date_placeholder", "dc-schedule-date", "8em", language)
        self.schedule_time = schedule_input("time_placeholder", "dc-schedule-time", "5em", language)
        self.short_number = check_box("short_number", "dc-short-number", language)
        self.show_sender = check_box("show_sender", "dc-show-sender", language)
        self.preview = classed(widgets.HTML(layout=full_width()), "dc-preview")
        self._errors = {name: classed(widgets.HTML(), f"dc-{name}-error") for name in FIELDS}

    def _inputs(self) -> tuple[widgets.Widget, ...]:
        """Return the inputs whose every change re-estimates, in the form's order."""
        return (
            self.phone,
            self.international,
            self.channel,
            self.sender,
            self.text,
            self.fill,
            self.policy,
            self.price,
            self.schedule_date,
            self.schedule_time,
            self.short_number,
            self.show_sender,
            *self._window,
        )

    def _lay_out(self) -> None:
        """Put the inputs and the send panel's buttons in rows, one label column for all."""
        self._message_label = label(self._say("message"))
        self._price_label = label(self._say("price_sms"))
        self.replace_box = row(None, self.replace_label, self.replace_button)
        self._policy_row = row(label(self._say("policy")), self.policy)
        self._sms_row = row(label(self._say("sms_options")), self.short_number, self.show_sender)
        panel = self._panel
        self.simulate_button, self.send_button = panel.simulate_button, panel.send_button
        self.confirm_text, self.confirm_box = panel.confirm_text, panel.confirm_box
        self.confirm_button, self.cancel_button = panel.confirm_button, panel.cancel_button
        self.stop_button, self.progress_box = panel.stop_button, panel.progress_box
        style = widgets.HTML(STYLE, layout=widgets.Layout(display=HIDDEN))
        self.children = [
            style,
            row(label(self._say("phone")), self.phone, self.international),
            row(label(self._say("channel")), self.channel),
            row(label(self._say("sender")), self.sender, self._errors["sender"]),
            row(self._message_label, self.text),
            row(label(self._say("fill")), self.fill, self._errors["fill"]),
            row(None, self.figures),
            self.replace_box,
            self._policy_row,
            row(self._price_label, self.price, self._errors["price"]),
            row(
                label(self._say("schedule")),
                self.schedule_date,
                self.schedule_time,
                self._errors["schedule"],
            ),
            row(
                label(self._say("window")),
                *self._window.in_a_row(self.language),
                self._errors["window"],
            ),
            self._sms_row,
            row(None, self.preview),
            row(None, panel.buttons),
            row(None, self.confirm_box),
            row(None, self.progress_box),
            row(None, self.output),
        ]
        self.add_class("dc-compose")

    def __repr__(self) -> str:
        return (
            f"ComposeForm(rows={len(self.frame)}, phone={self.phone.value!r}, "
            f"language={self.language!r})"
        )

    # -- reading the inputs ----------------------------------------------------------------------

    def _estimator(self) -> Estimator | None:
        label = self.phone.value
        if label is None:
            return None
        if label not in self._estimators:
            self._estimators[label] = Estimator(self.frame, phone=label, journal=self._journal)
        return self._estimators[label]

    @property
    def voice(self) -> bool:
        """Whether the form is set for a voice call."""
        return bool(self.channel.value == "voice")

    def _check(self) -> Checked:
        """Check what the inputs hold, and note their problems in `problems`."""
        checked = check_inputs(
            Typed(
                channel=self.channel.value,
                sender=self.sender.value,
                show_sender=bool(self.show_sender.value),
                fill=self.fill.value,
                policy=self.policy.value,
                price=self.price.value,
                international=bool(self.international.value),
                day=self.schedule_date.value,
                clock=self.schedule_time.value,
                window_on=bool(self.window_on.value),
                window_start=self.window_start.value,
                window_end=self.window_end.value,
                weekdays=self.window_days.value,
            ),
            self.language,
        )
        self.problems = checked.problems
        return checked

    # -- live estimate ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Check the inputs, re-estimate, and redraw the figures, the preview and the problems."""
        self._panel.withdraw()
        values = self._check().values
        self._show_channel()
        estimate = summary = None
        problem: str | None = None
        try:
            estimator = self._estimator()
            if estimator is None:
                problem = self._say("choose_phone")
            elif not self.text.value.strip():
                problem = self._say("write_message")
            else:
                estimate = estimator.estimate(self.text.value, Options(**values))
                summary = summarize(estimator, estimate, self.language)
                self.offer = replacement_offer(estimator, estimate)
        except Exception as exc:  # shown in words, never as a traceback
            estimate = summary = None
            problem = explain(exc, self.language)
        self.estimate, self.summary = estimate, summary
        for name, shown in self._errors.items():
            shown.value = error_html(self.problems[name]) if name in self.problems else ""
        if estimate is None or summary is None:
            self.offer = None
            self.figures.value = error_html(problem) if problem else ""
            self.preview.value = ""
        else:
            self._draw(estimate, summary)
        self.replace_box.layout.display = SHOWN if self.offer is not None else HIDDEN
        self._panel.set_ready(self.estimate is not None and not self.problems)

    def _show_channel(self) -> None:
        """Under Voz, hide what applies to SMS only; name the price and the text for each."""
        sms = not self.voice
        for shown in (self._policy_row, self._sms_row):
            shown.layout.display = SHOWN if sms else HIDDEN
        self._message_label.value = label_html(self._say("message" if sms else "message_voice"))
        self._price_label.value = label_html(self._say("price_sms" if sms else "price_voice"))

    def _draw(self, estimate: Estimate, summary: Summary) -> None:
        """Show the figures of ``estimate``, the replacement offered, and the preview."""
        self.figures.value = figures_html(*figures_of(estimate, summary, self.language))
        if self.offer is not None:
            self.replace_label.value = offer_line(self.offer, self.language)
        cards = [(shown.phone, shown.parts) for shown in summary.preview]
        self.preview.value = recipients_html(
            cards, self.language, channel=estimate.options.channel
        ) + invalid_table_html(summary.invalid, self.language, total=estimate.invalid)

    def _replace_ucs2(self) -> None:
        if self.offer is not None:
            self.text.value = self.offer.text

    # -- simulate and send -----------------------------------------------------------------------

    def _plan(self) -> Plan:
        """Return the plan of the inputs as they are now (every check made again).

        The suppression list is read again: a number added since the last keystroke is left out.
        """
        estimator = self._estimator()
        if estimator is not None:
            estimator.reread_suppressions()
        self.refresh()
        if self.estimate is None or estimator is None or self.problems:
            raise InputError(self._say("fix_first"))
        checked = self._check()
        values = checked.values
        values["schedule"] = checked.schedule
        values["short_number"] = True if self.short_number.value and not self.voice else None
        if self.problems:
            raise InputError(self._say("fix_first"))
        return build_plan(estimator.estimate(self.text.value, Options(**values)))

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
