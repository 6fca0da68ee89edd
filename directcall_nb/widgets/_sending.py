"""The sending half of the compose form: Simular, Enviar, the confirmation, progress and stop.

`SendPanel` holds the buttons and the state of one form's sends. Enviar asks for a confirmation
that names the channel, the count, the price and the schedule; Confirmar runs the send pipeline
(`directcall_nb.sending.prepare`, then `Sending.run`) in a background thread, so that the
kernel can still process a click on Parar, and writes the report into the form's output area.
Two clicks on Confirmar send once: the plan waiting for confirmation is taken under a lock, and
only the first click finds it.

The client is held in a plain attribute, never in a widget trait.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from directcall_nb.display import format_brl
from directcall_nb.errors import OutsideWindow
from directcall_nb.i18n import explain, explain_codigo, say, say_count
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.plan import Plan
from directcall_nb.report import SendReport
from directcall_nb.vocabulary import Language
from directcall_nb.widgets._layout import HIDDEN, SHOWN, classed
from directcall_nb.widgets._preview import error_html, notice_html
from directcall_nb.widgets._progress import WidgetProgress
from directcall_nb.windows import outside_window

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.sending import JournalChoice

__all__ = ["SendPanel", "confirmation"]


def confirmation(plan: Plan, language: Language) -> str:
    """Ask before a send, naming the channel, the count, the money and the schedule.

    ``"Confirmar 213 ligações de voz, R$ 17,04 (R$ 0,08 por ligação), agendadas para
    02/12/2026 09:30?"``
    """
    options = plan.options
    voice = options.channel == "voice"
    price = options.price_per_segment
    if price is None:
        cost = say("price_unknown", language)
    else:
        cost = say(
            "price_each_voice" if voice else "price_each_sms",
            language,
            total=format_brl(plan.cost),
            price=format_brl(price),
        )
    when = ""
    if options.schedule is not None:
        key = "confirm_schedule_voice" if voice else "confirm_schedule_sms"
        when = say(key, language, when=f"{options.schedule:%d/%m/%Y %H:%M}")
    if voice:
        calls = say_count("call_count", plan.recipients, language)
        return say("confirm_voice", language, calls=calls, cost=cost, when=when)
    return say(
        "confirm_sms",
        language,
        messages=say_count("sms_count", plan.recipients, language),
        segments=say_count("segment_count", plan.segments, language),
        cost=cost,
        when=when,
    )


def _closed_now(plan: Plan) -> OutsideWindow | None:
    """Return the refusal of a send starting now outside its window, or None when it may start."""
    window, schedule = plan.options.window, plan.options.schedule
    now = datetime.now(BRAZIL_TIME)
    if window is None or schedule is not None or window.is_open(now):
        return None
    return outside_window(window, now, scheduled=False)


class SendPanel:
    """Buttons and state of the form's simulations and sends.

    Parameters
    ----------
    language : {"pt", "en"}
        The language of everything it writes.
    make_plan : callable
        Builds the plan of the form's current inputs; raises when they cannot be sent.
    client : DirectCall or None
        The client to send with; None takes `default_client` at send time.
    journal : Journal, path, bool or None
        As in `directcall_nb.send`; opened for each send, by the send pipeline.
    output : widgets.HTML
        Where results and errors are written.
    """

    def __init__(
        self,
        language: Language,
        *,
        make_plan: Callable[[], Plan],
        client: DirectCall | None,
        journal: JournalChoice,
        output: widgets.HTML,
    ) -> None:
        self.language = language
        self._make_plan = make_plan
        self._client = client
        self._journal = journal
        self.output = output
        self.report: SendReport | None = None
        self.simulation: SendReport | None = None
        self._lock = threading.Lock()
        self._running = False
        self._ready = False
        self._pending: Plan | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

        def button(key: str, name: str, **style: Any) -> widgets.Button:
            made = classed(widgets.Button(description=say(key, language), **style), name)
            made.layout = widgets.Layout(width="auto", min_width="8em")
            return made

        self.simulate_button = button("simulate", "dc-simulate")
        self.send_button = button("send", "dc-send", button_style="primary")
        # The question on a line of its own, both answers together under it.
        self.confirm_text = classed(
            widgets.HTML(layout=widgets.Layout(flex="1 1 100%")), "dc-confirm-text"
        )
        self.confirm_button = button("confirm", "dc-confirm", button_style="danger")
        self.cancel_button = button("cancel", "dc-cancel")
        self.stop_button = button("stop", "dc-stop", button_style="warning", disabled=True)
        self.simulate_button.on_click(lambda _b: self.simulate())
        self.send_button.on_click(lambda _b: self.ask_confirmation())
        self.confirm_button.on_click(lambda _b: self.confirm())
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.stop_button.on_click(lambda _b: self.request_stop())
        wrap = widgets.Layout(flex_flow="row wrap", align_items="center")
        self.buttons = widgets.HBox([self.simulate_button, self.send_button], layout=wrap)
        self.confirm_box = widgets.HBox(
            [self.confirm_text, self.confirm_button, self.cancel_button],
            layout=widgets.Layout(display=HIDDEN, flex_flow="row wrap", align_items="center"),
        )
        self.progress_box = widgets.HBox(
            [self.stop_button],
            layout=widgets.Layout(display=HIDDEN, flex_flow="row wrap", align_items="center"),
        )

    @property
    def running(self) -> bool:
        """Whether a send is in progress."""
        return self._running

    def set_ready(self, ready: bool) -> None:
        """Enable Simular and Enviar when the inputs can be sent, and no send runs."""
        self._ready = ready
        self.simulate_button.disabled = self.send_button.disabled = not ready or self._running

    def _clear(self) -> None:
        """Clear the previous progress and answer: a new action begins."""
        self.progress_box.layout.display = HIDDEN
        self.output.value = ""

    # -- simulate --------------------------------------------------------------------------------

    def _fresh_plan(self) -> Plan | None:
        """Plan the send anew for Simular or Enviar; None, with the answer shown, if it cannot."""
        if self._running:
            self.output.value = notice_html(say("busy", self.language))
            return None
        self._clear()
        if not self._ready:
            self.output.value = error_html(say("fix_first", self.language))
            return None
        try:
            return self._make_plan()
        except Exception as exc:
            self.output.value = error_html(explain(exc, self.language))
            return None

    def simulate(self) -> None:
        """Show the requests a send would make, and the dry-run report; send nothing."""
        from directcall_nb.sending import dry_run_report

        plan = self._fresh_plan()
        if plan is None:
            return
        try:
            report = dry_run_report(plan)
        except Exception as exc:
            self.output.value = error_html(explain(exc, self.language))
            return
        self.simulation = report
        self.output.value = (
            notice_html(say("simulation_title", self.language))
            + plan.to_html(self.language)
            + report.to_html(self.language)
        )

    # -- confirmation ----------------------------------------------------------------------------

    def ask_confirmation(self) -> None:
        """Plan the send and ask to confirm it, stating channel, count, cost and schedule."""
        plan = self._fresh_plan()
        if plan is None:
            return
        if plan.recipients == 0:
            self.output.value = notice_html(say("nothing_to_send", self.language))
            return
        closed = _closed_now(plan)
        if closed is not None:
            self.output.value = error_html(explain(closed, self.language))
            return
        with self._lock:
            self._pending = plan
        self.confirm_text.value = html.escape(confirmation(plan, self.language))
        self.confirm_button.disabled = self.cancel_button.disabled = False
        self.confirm_box.layout.display = SHOWN

    def withdraw(self) -> None:
        """Withdraw the confirmation asked: the inputs changed, it must not send the new ones."""
        with self._lock:
            withdrawn = self._pending is not None
            self._pending = None
        if withdrawn:
            self.confirm_box.layout.display = HIDDEN

    def cancel(self) -> None:
        """Drop the plan waiting for confirmation."""
        with self._lock:
            self._pending = None
        self.confirm_box.layout.display = HIDDEN
        self._clear()
        self.output.value = notice_html(say("cancelled", self.language))

    # -- sending ---------------------------------------------------------------------------------

    def confirm(self) -> None:
        """Send the confirmed plan in a background thread; a second click finds nothing to send."""
        with self._lock:
            plan, self._pending = self._pending, None
            if plan is None or self._running:
                return
            self._running = True
            self._stop = threading.Event()
            stop = self._stop
        progress = WidgetProgress(show=False, language=self.language)
        self.progress_box.children = [progress.box, self.stop_button]
        self._show_running(True)
        self.output.value = notice_html(
            say(
                "sending",
                self.language,
                requests=say_count("request_count", len(plan), self.language),
                recipients=say_count("recipient_count", plan.recipients, self.language),
            )
        )
        self._thread = threading.Thread(
            target=self._run, args=(plan, stop, progress), name="directcall-compose", daemon=True
        )
        self._thread.start()

    def _run(self, plan: Plan, stop: threading.Event, progress: WidgetProgress) -> None:
        from directcall_nb.sending import prepare

        try:
            sending = prepare(plan, client=self._client, journal=self._journal)
            report = sending.run(progress=progress, stop=stop)
            self.report = report
            self.output.value = self.report_html(report)
        except Exception as exc:  # raised before the first claim: nothing was sent
            self.progress_box.layout.display = HIDDEN
            self.output.value = error_html(explain(exc, self.language))
        finally:
            with self._lock:
                self._running = False
            self._show_running(False)

    def _show_running(self, running: bool) -> None:
        self.confirm_button.disabled = self.cancel_button.disabled = running
        self.send_button.disabled = self.simulate_button.disabled = running or not self._ready
        self.stop_button.disabled = not running
        self.stop_button.layout.display = SHOWN if running else HIDDEN
        if running:
            self.confirm_box.layout.display = HIDDEN
            self.progress_box.layout.display = SHOWN

    def request_stop(self) -> None:
        """Stop the send: the requests in flight finish, no other is made."""
        if self._running and not self._stop.is_set():
            self._stop.set()
            self.stop_button.disabled = True
            self.output.value += notice_html(say("stopping", self.language))

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the send in progress to finish; True when none is running any more."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    # -- words -----------------------------------------------------------------------------------

    def report_html(self, report: SendReport) -> str:
        """Say what a send did: a line in the form's language, the refusals, then the report."""
        summary = report.summary(self.language) or say("summary_nothing", self.language)
        head = say("stopped" if report.stopped else "done", self.language, summary=summary)
        refusals = sorted(
            {(r.codigo, r.msg) for r in report.requests if r.state == "failed" and r.codigo}
        )
        lines = dict.fromkeys(
            explain_codigo(codigo, msg, self.language) for codigo, msg in refusals if codigo
        )
        return notice_html(head) + "".join(map(error_html, lines)) + report.to_html(self.language)
