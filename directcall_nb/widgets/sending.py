"""The sending half of the compose form: Simular, Enviar, the confirmation, progress and stop.

`SendPanel` holds the buttons and the state of one form's sends. A send asks for a confirmation
that states recipients, segments and cost; Confirmar starts `directcall_nb.dispatch.dispatch`
in a background thread (so that the kernel can still process a click on Parar) and writes the
report into the form's output area. Two clicks on Confirmar send once: the plan waiting for
confirmation is taken under a lock, and only the first click finds it.

The client is held in a plain attribute, never in a widget trait.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from directcall_nb.formatting import Language, format_brl, format_count
from directcall_nb.plan import Plan
from directcall_nb.progress import Progress
from directcall_nb.report import SendReport
from directcall_nb.widgets.i18n import Strings, explain, explain_codigo
from directcall_nb.widgets.preview import error_html, notice_html
from directcall_nb.widgets.progress import WidgetProgress

if TYPE_CHECKING:
    from directcall_nb.campaign import JournalChoice
    from directcall_nb.client import DirectCall

__all__ = ["HIDDEN", "SHOWN", "SendPanel", "classed"]

HIDDEN, SHOWN = "none", "flex"
#: Report statuses summed up in the line above the report, with their text's key.
_SUMMARY = (
    ("sent", "summary_sent"),
    ("scheduled", "summary_scheduled"),
    ("already_sent", "summary_already"),
    ("failed", "summary_failed"),
    ("ambiguous", "summary_ambiguous"),
    ("not_sent", "summary_not_sent"),
)


def classed(widget: Any, name: str) -> Any:
    """``widget`` with the CSS class ``name`` (the classes a browser test selects by)."""
    widget.add_class(name)
    return widget


class SendPanel:
    """Buttons and state of the form's simulations and sends.

    Parameters
    ----------
    words : mapping
        The form's language table.
    language : {"pt", "en"}
        For errors put in words.
    make_plan : callable
        Builds the plan of the form's current inputs; raises when they cannot be sent.
    client : DirectCall or None
        The client to send with; None takes `directcall_nb.campaign.default_client` at send time.
    journal : Journal, path, bool or None
        As in `directcall_nb.campaign.send`; opened for each send, by the send pipeline.
    output : widgets.HTML
        Where results and errors are written.
    """

    def __init__(
        self,
        words: Strings,
        language: str,
        *,
        make_plan: Callable[[], Plan],
        client: DirectCall | None,
        journal: JournalChoice,
        output: widgets.HTML,
    ) -> None:
        self.words = words
        self.language = language
        self._html_language: Language = "pt" if language == "pt" else "en"
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

        w = words
        self.simulate_button = classed(widgets.Button(description=w["simulate"]), "dc-simulate")
        self.send_button = classed(
            widgets.Button(description=w["send"], button_style="primary"), "dc-send"
        )
        self.confirm_text = classed(widgets.HTML(), "dc-confirm-text")
        self.confirm_button = classed(
            widgets.Button(description=w["confirm"], button_style="danger"), "dc-confirm"
        )
        self.cancel_button = classed(widgets.Button(description=w["cancel"]), "dc-cancel")
        self.stop_button = classed(
            widgets.Button(description=w["stop"], button_style="warning", disabled=True),
            "dc-stop",
        )
        self.simulate_button.on_click(lambda _b: self.simulate())
        self.send_button.on_click(lambda _b: self.ask_confirmation())
        self.confirm_button.on_click(lambda _b: self.confirm())
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.stop_button.on_click(lambda _b: self.request_stop())
        self.buttons = widgets.HBox([self.simulate_button, self.send_button])
        self.confirm_box = widgets.HBox(
            [self.confirm_text, self.confirm_button, self.cancel_button],
            layout=widgets.Layout(display=HIDDEN),
        )
        self.progress_box = widgets.HBox([self.stop_button], layout=widgets.Layout(display=HIDDEN))

    @property
    def running(self) -> bool:
        """Whether a send is in progress."""
        return self._running

    def set_ready(self, ready: bool) -> None:
        """Enable Simular and Enviar when the inputs make an estimate (Enviar not while sending)."""
        self._ready = ready
        self.simulate_button.disabled = not ready
        self.send_button.disabled = not ready or self._running

    # -- simulate --------------------------------------------------------------------------------

    def simulate(self) -> None:
        """Show the requests a send would make, and the dry-run report; send nothing."""
        from directcall_nb.dispatch import dry_run_report

        try:
            plan = self._make_plan()
            report = dry_run_report(plan)
        except Exception as exc:
            self.output.value = error_html(explain(exc, self.language))
            return
        self.simulation = report
        self.output.value = (
            notice_html(self.words["simulation_title"])
            + plan.to_html(self._html_language)
            + report.to_html(self._html_language)
        )

    # -- confirmation ----------------------------------------------------------------------------

    def ask_confirmation(self) -> None:
        """Plan the send and ask to confirm it, stating recipients, segments and cost."""
        if self._running:
            self.output.value = notice_html(self.words["busy"])
            return
        try:
            plan = self._make_plan()
        except Exception as exc:
            self.output.value = error_html(explain(exc, self.language))
            return
        if plan.recipients == 0:
            self.output.value = notice_html(self.words["nothing_to_send"])
            return
        with self._lock:
            self._pending = plan
        self.confirm_text.value = html.escape(self.question(plan))
        self.confirm_button.disabled = self.cancel_button.disabled = False
        self.confirm_box.layout.display = SHOWN

    def question(self, plan: Plan) -> str:
        """``"Confirmar envio para 1.234 destinatários, 2.468 segmentos, R$ 197,44?"``."""
        w = self.words
        figures = {
            "recipients": format_count(plan.recipients),
            "segments": format_count(plan.segments),
        }
        if plan.cost is None:
            question = w["confirm_question_no_price"].format(**figures)
        else:
            question = w["confirm_question"].format(cost=format_brl(plan.cost), **figures)
        if plan.schedule is not None:
            question += w["confirm_schedule"].format(when=plan.schedule.strftime("%d/%m/%Y %H:%M"))
        return question

    def withdraw(self) -> None:
        """The inputs changed: a confirmation asked for the old ones must not send the new ones."""
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
        self.output.value = notice_html(self.words["cancelled"])

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
        progress = WidgetProgress(show=False, describe=self._describe_progress)
        self.progress_box.children = [progress.box, self.stop_button]
        self._show_running(True)
        self.output.value = notice_html(
            self.words["sending"].format(
                requests=format_count(len(plan)), recipients=format_count(plan.recipients)
            )
        )
        self._thread = threading.Thread(
            target=self._run, args=(plan, stop, progress), name="directcall-compose", daemon=True
        )
        self._thread.start()

    def _run(self, plan: Plan, stop: threading.Event, progress: WidgetProgress) -> None:
        from directcall_nb.campaign import prepare

        try:
            sending = prepare(plan, client=self._client, journal=self._journal)
            report = sending.run(progress=progress, stop=stop)
            self.report = report
            self.output.value = self.report_html(report)
        except Exception as exc:  # raised before the first claim: nothing was sent
            self.output.value = error_html(explain(exc, self.language))
        finally:
            with self._lock:
                self._running = False
            self._show_running(False)

    def _show_running(self, running: bool) -> None:
        self.confirm_button.disabled = self.cancel_button.disabled = running
        self.send_button.disabled = running or not self._ready
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
            self.output.value += notice_html(self.words["stopping"])

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the send in progress to finish; True when none is running any more."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    # -- words -----------------------------------------------------------------------------------

    def _describe_progress(self, progress: Progress) -> str:
        w = self.words
        figures = (
            ("progress_sent", progress.sent),
            ("progress_scheduled", progress.scheduled),
            ("progress_already", progress.already_sent),
            ("progress_failed", progress.failed),
            ("progress_uncertain", progress.uncertain),
            ("progress_not_sent", progress.not_sent),
        )
        parts = [w[key].format(n=format_count(n)) for key, n in figures if n]
        parts.append(w["progress_remaining"].format(n=format_count(progress.remaining)))
        if progress.billed is not None and progress.segments:
            parts.append(w["progress_billed"].format(cost=format_brl(progress.billed)))
        return " · ".join(parts)

    def report_html(self, report: SendReport) -> str:
        """What a send did: a line in the form's language, refusals in words, then the report."""
        w = self.words
        counts = report.counts
        parts = [
            w[key].format(count=format_count(counts[status]))
            for status, key in _SUMMARY
            if counts.get(status)
        ]
        if report.spent is not None:
            parts.append(w["spent"].format(cost=format_brl(report.spent)))
        summary = ", ".join(parts) or w["summary_nothing"]
        head = w["stopped" if report.stopped else "done"].format(summary=summary)
        refusals = sorted(
            {(r.codigo, r.msg) for r in report.requests if r.state == "failed" and r.codigo}
        )
        lines = dict.fromkeys(
            explain_codigo(codigo, msg, self.language) for codigo, msg in refusals if codigo
        )
        return (
            notice_html(head)
            + "".join(map(error_html, lines))
            + report.to_html(self._html_language)
        )
