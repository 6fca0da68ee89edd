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

import html
from collections.abc import Hashable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd

from directcall_nb.columns import require_column
from directcall_nb.display import format_brl, format_count
from directcall_nb.errors import DirectCallError, InputError
from directcall_nb.estimation import Estimate, Estimator
from directcall_nb.i18n import explain, say, say_count
from directcall_nb.options import Options, OptionValues, check_schedule, checked_language
from directcall_nb.plan import Plan, build_plan
from directcall_nb.report import SendReport
from directcall_nb.vocabulary import Language
from directcall_nb.widgets._editor import MessageEditor
from directcall_nb.widgets._inputs import (
    guess_phone_column,
    parse_price,
    parse_schedule,
    placeholder_for,
)
from directcall_nb.widgets._preview import (
    error_html,
    figures_html,
    invalid_table_html,
    recipients_html,
)
from directcall_nb.widgets._sending import HIDDEN, SHOWN, SendPanel, classed
from directcall_nb.widgets._summary import (
    Offer,
    Summary,
    describe_range,
    replacement_offer,
    summarize,
)

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.sending import JournalChoice

__all__ = ["ComposeForm"]

#: The width of the labels' column: the longest label ("Preço por segmento (R$)") on one line.
_LABELS = "15em"
#: What the form's HTML needs in a notebook, scoped to the form. ipywidgets gives every line of
#: an HTML widget an input's height (28 px), which spreads the lines of a wrapped message, a
#: bubble or a table apart: text lines here are of the text's own height (the labels keep an
#: input's height by their padding). Tables keep every column but the last (the text, the
#: reason) on one line, so that a masked number is never cut in two, and scroll inside the
#: form should one still be too wide.
_STYLE = """<style>
.dc-compose .widget-html-content { line-height: 1.4; }
.dc-compose .dc-preview > .widget-html-content,
.dc-compose .dc-output > .widget-html-content { overflow-x: auto; }
.dc-compose td:not(:last-child), .dc-compose th:not(:last-child) { white-space: nowrap; }
</style>"""
_FIELDS = ("sender", "price", "schedule", "fill")


def _full_width() -> widgets.Layout:
    """The layout of an HTML area that takes the width of the controls' column, never more."""
    return widgets.Layout(width="100%", min_width="0")


class ComposeForm(widgets.VBox):  # type: ignore[misc]
    """A form to compose, estimate, simulate and send a message to every row of a frame.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    phone : object, optional
        The phone column; by default the one that looks like phones (by name or content).
    client : DirectCall, optional
        The client to send with; by default `directcall_nb.sending._pipeline.default_client` at send
        time (set by ``%directcall sandbox`` or ``%directcall login``).
    sender : str, optional
        The sender number to fill in.
    language : {"pt", "en"}, default "pt"
        The language of labels and messages.
    journal : Journal, path, bool or None, default None
        Where each request is recorded, as in `directcall_nb.sending._pipeline.send`: None uses
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
        super().__init__(layout=widgets.Layout(width="100%", max_width="64em"))
        self.language: Language = checked_language(language)
        self.frame = frame
        if phone is not None:
            require_column(frame, phone, what="phone column")
        self._estimators: dict[Hashable, Estimator] = {}
        self.estimate: Estimate | None = None
        self.summary: Summary | None = None
        self.offer: Offer | None = None
        self.problems: dict[str, str] = {}
        self.output = classed(widgets.HTML(layout=_full_width()), "dc-output")
        self._panel = SendPanel(
            self.language, make_plan=self._plan, client=client, journal=journal, output=self.output
        )
        self._build(phone if phone is not None else guess_phone_column(frame), sender, text)
        self.refresh()

    # -- layout ----------------------------------------------------------------------------------

    def _say(self, key: str, **fields: Any) -> str:
        return say(key, self.language, **fields)

    def _label_html(self, key: str) -> str:
        return (
            "<div style='text-align:right;padding:5px .8em 5px 0;line-height:18px'>"
            f"{html.escape(self._say(key))}</div>"
        )

    def _label(self, key: str) -> widgets.HTML:
        return widgets.HTML(
            self._label_html(key), layout=widgets.Layout(width=_LABELS, min_width=_LABELS)
        )

    @staticmethod
    def _row(label: widgets.Widget | None, *controls: widgets.Widget) -> widgets.HBox:
        head = label or widgets.HTML(layout=widgets.Layout(width=_LABELS, min_width=_LABELS))
        body = widgets.HBox(
            list(controls),
            layout=widgets.Layout(flex="1 1 0%", min_width="0", flex_flow="row wrap",
                                  align_items="center"),
        )  # fmt: skip
        return widgets.HBox(
            [head, body], layout=widgets.Layout(width="100%", align_items="flex-start")
        )

    def _build(self, phone: object, sender: str | None, text: str) -> None:
        say_ = self._say
        columns = [(str(label), label) for label in self.frame.columns]
        self.phone = classed(
            widgets.Dropdown(options=[(say_("choose_column"), None), *columns], value=phone),
            "dc-phone",
        )
        self.international = classed(
            widgets.Checkbox(value=False, description=say_("international"), indent=False),
            "dc-international",
        )
        self.channel = classed(
            widgets.ToggleButtons(
                options=[(say_("sms"), "sms"), (say_("voice"), "voice")], value="sms"
            ),
            "dc-channel",
        )
        self.channel.style.button_width = "6em"
        self.sender = classed(
            widgets.Text(value=sender or "", placeholder=say_("sender_placeholder")), "dc-sender"
        )
        self.sender.layout = widgets.Layout(width="22em")
        self.text = classed(
            MessageEditor(
                text,
                placeholders=[p for p in map(placeholder_for, self.frame.columns) if p],
                placeholders_label=say_("insert"),
                placeholder=say_("message_placeholder"),
                rows=4,
                layout=widgets.Layout(flex="1 1 auto", width="auto", min_width="0"),
            ),
            "dc-message",
        )
        self.fill = classed(widgets.Text(placeholder=say_("fill_placeholder")), "dc-fill")
        self.fill.layout = widgets.Layout(width="28em", max_width="100%")
        self.figures = classed(widgets.HTML(layout=_full_width()), "dc-figures")
        self.replace_label = classed(widgets.HTML(), "dc-replace-offer")
        self.replace_button = classed(widgets.Button(description=say_("replace")), "dc-replace")
        self.replace_button.layout = widgets.Layout(width="auto")
        self.replace_button.on_click(lambda _b: self._replace_ucs2())
        self.policy = classed(
            widgets.Dropdown(
                options=[
                    (say_("policy_directcall"), "directcall"),
                    (say_("policy_gsm"), "gsm"),
                ],
                value="directcall",
                layout=widgets.Layout(width="24em", max_width="100%"),
            ),
            "dc-policy",
        )
        self.price = classed(widgets.Text(placeholder=say_("price_placeholder")), "dc-price")
        self.price.layout = widgets.Layout(width="8em")
        self.schedule_date = classed(
            widgets.Text(placeholder=say_("date_placeholder"), layout=widgets.Layout(width="8em")),
            "dc-schedule-date",
        )
        self.schedule_time = classed(
            widgets.Text(placeholder=say_("time_placeholder"), layout=widgets.Layout(width="5em")),
            "dc-schedule-time",
        )
        self.short_number = classed(
            widgets.Checkbox(value=False, description=say_("short_number"), indent=False),
            "dc-short-number",
        )
        self.show_sender = classed(
            widgets.Checkbox(value=False, description=say_("show_sender"), indent=False),
            "dc-show-sender",
        )
        for check in (self.international, self.short_number, self.show_sender):
            check.layout = widgets.Layout(width="auto", margin="0 1.5em 0 0")
        self.preview = classed(widgets.HTML(layout=_full_width()), "dc-preview")
        self._errors = {name: classed(widgets.HTML(), f"dc-{name}-error") for name in _FIELDS}
        self._message_label = self._label("message")
        self._price_label = self._label("price_sms")
        self.replace_box = self._row(None, self.replace_label, self.replace_button)
        self._policy_row = self._row(self._label("policy"), self.policy)
        self._sms_row = self._row(self._label("sms_options"), self.short_number, self.show_sender)
        panel = self._panel
        self.simulate_button, self.send_button = panel.simulate_button, panel.send_button
        self.confirm_text, self.confirm_box = panel.confirm_text, panel.confirm_box
        self.confirm_button, self.cancel_button = panel.confirm_button, panel.cancel_button
        self.stop_button, self.progress_box = panel.stop_button, panel.progress_box
        style = widgets.HTML(_STYLE, layout=widgets.Layout(display=HIDDEN))
        self.children = [
            style,
            self._row(self._label("phone"), self.phone, self.international),
            self._row(self._label("channel"), self.channel),
            self._row(self._label("sender"), self.sender, self._errors["sender"]),
            self._row(self._message_label, self.text),
            self._row(self._label("fill"), self.fill, self._errors["fill"]),
            self._row(None, self.figures),
            self.replace_box,
            self._policy_row,
            self._row(self._price_label, self.price, self._errors["price"]),
            self._row(
                self._label("schedule"),
                self.schedule_date,
                self.schedule_time,
                self._errors["schedule"],
            ),
            self._sms_row,
            self._row(None, self.preview),
            self._row(None, panel.buttons),
            self._row(None, self.confirm_box),
            self._row(None, self.progress_box),
            self._row(None, self.output),
        ]
        self.add_class("dc-compose")
        for control in (
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
        ):
            control.observe(lambda _change: self.refresh(), names="value")

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
            self._estimators[label] = Estimator(self.frame, phone=label)
        return self._estimators[label]

    @property
    def voice(self) -> bool:
        """Whether the form is set for a voice call."""
        return bool(self.channel.value == "voice")

    def _checked(self, field: str, read: Any) -> Any:
        """``read()``, or None with the field's problem noted when it raises one of ours."""
        try:
            return read()
        except DirectCallError as exc:
            self.problems[field] = explain(exc, self.language)
            return None

    def _values(self) -> OptionValues:
        """The options of the inputs that have no problem (the problems are noted)."""
        self.problems = {}
        sms = not self.voice
        sender = self.sender.value.strip()
        if not sender:
            self.problems["sender"] = self._say("err_sender_missing")
        checked_sender = None
        if sender:
            checked_sender = self._checked("sender", lambda: Options(sender=sender).sender)
        show = bool(self.show_sender.value) and sms
        if show and checked_sender is None and "sender" not in self.problems:
            self.problems["sender"] = self._say("err_show_sender")
        fill = self.fill.value
        checked_fill = self._checked("fill", lambda: Options(fill=fill).fill) if fill else None
        return {
            "channel": self.channel.value,
            "sender": checked_sender,
            "show_sender": show and checked_sender is not None,
            "policy": self.policy.value,
            "price_per_segment": self._checked("price", lambda: parse_price(self.price.value)),
            "fill": checked_fill,
            "allow_international": bool(self.international.value),
        }

    def _schedule(self) -> datetime | None:
        """The schedule typed, checked against the clock (its problem noted)."""

        def read() -> datetime | None:
            moment = parse_schedule(self.schedule_date.value, self.schedule_time.value)
            return None if moment is None else check_schedule(moment)

        return self._checked("schedule", read)  # type: ignore[no-any-return]

    # -- live estimate ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Check the inputs, re-estimate, and redraw the figures, the preview and the problems."""
        self._panel.withdraw()
        values = self._values()
        self._schedule()
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
        for row in (self._policy_row, self._sms_row):
            row.layout.display = SHOWN if sms else HIDDEN
        self._message_label.value = self._label_html("message" if sms else "message_voice")
        self._price_label.value = self._label_html("price_sms" if sms else "price_voice")

    def _draw(self, estimate: Estimate, summary: Summary) -> None:
        say_ = self._say
        cost = format_brl(estimate.cost) if estimate.cost is not None else say_("no_price")
        notes = []
        if self.voice:
            figures = [
                (say_("characters"), describe_range(summary.characters, self.language)),
                (say_("calls"), format_count(estimate.recipients)),
                (say_("invalid"), format_count(estimate.invalid)),
                (say_("duplicates"), format_count(estimate.duplicates)),
                (say_("cost"), cost),
            ]
        else:
            figures = [
                (say_("characters"), describe_range(summary.characters, self.language)),
                (say_("encoding"), _encoding(summary, estimate)),
                (say_("per_message"), describe_range(summary.per_message, self.language)),
                (say_("recipients"), format_count(estimate.recipients)),
                (say_("invalid"), format_count(estimate.invalid)),
                (say_("duplicates"), format_count(estimate.duplicates)),
                (say_("segments"), format_count(estimate.segments)),
                (say_("cost"), cost),
            ]
            if summary.ucs2_characters:
                shown = ", ".join(_visible(c) for c in summary.ucs2_characters)
                notes.append(say_("ucs2_text", chars=shown))
            elif summary.ucs2_from_data:
                columns = ", ".join("{" + c + "}" for c in summary.ucs2_columns)
                count = say_count("messages", summary.ucs2_from_data, self.language)
                notes.append(say_("ucs2_data", count=count, columns=columns))
        self.figures.value = figures_html(figures, notes)
        if self.offer is not None:
            offer = self.offer
            changes = ", ".join(
                f"{_visible(a)}→{_visible(b)}" for a, b in offer.replacements.items()
            )

            def shown_figures(segments: int, money: Any) -> str:
                return say_(
                    "replace_figures",
                    segments=format_count(segments),
                    cost=format_brl(money) if money is not None else say_("no_price"),
                )

            self.replace_label.value = html.escape(
                say_(
                    "replace_offer",
                    changes=changes,
                    before=shown_figures(*offer.before),
                    after=shown_figures(*offer.after),
                )
            )
        cards = [(row.phone, row.parts) for row in summary.preview]
        self.preview.value = recipients_html(
            cards, self.language, channel=estimate.options.channel
        ) + invalid_table_html(summary.invalid, self.language, total=estimate.invalid)

    def _replace_ucs2(self) -> None:
        if self.offer is not None:
            self.text.value = self.offer.text

    # -- simulate and send -----------------------------------------------------------------------

    def _plan(self) -> Plan:
        """The plan of the inputs as they are now (every check made again)."""
        estimator = self._estimator()
        self.refresh()
        if self.estimate is None or estimator is None or self.problems:
            raise InputError(self._say("fix_first"))
        values = self._values()
        values["schedule"] = self._schedule()
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
