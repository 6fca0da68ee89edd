"""The compose form in a real JupyterLab and a real Chromium, used as an analyst would.

A notebook written by the test into the served directory starts a sandbox, prints its address,
reads ``data/clientes.csv`` and shows ``clientes.directcall.compose(...)``; a read-back cell
prints what the kernel's form holds. The notebook is run from the Run menu; from then on the
test uses real keys and clicks only (never ``fill()``):

1. it writes the message by typing and clicking placeholder buttons, retypes the sender and
   types a price, checking after each that the text box and the kernel hold exactly what was
   typed and that the notebook kept the same cells (no key reached its shortcuts);
2. the figures follow the price (the cost in reais, with a comma);
3. under Voz the SMS-only controls, figures and notes are hidden, the price is per call and
   the preview says the text is read aloud; back on SMS they return;
4. at a notebook about 950 px wide nothing overflows the form or its output, nothing sticks
   out of the form's box, and no input, drop-down or text box clips its text;
5. a schedule in the past is explained in Portuguese beside the date and blocks Simular and
   Enviar until it is cleared with the keyboard;
6. Simular, Enviar, Confirmar: the sandbox (asked over loopback) delivered exactly as many
   messages as the confirmation stated, and the form's visible text never shows a whole phone
   number of the frame nor an English sentence;
7. Ctrl+S saves the widget state (on in the lab's settings): the file holds neither an access
   token nor a whole phone number.

Last, a key pressed on a cell outside the form is seen to reach the notebook's shortcuts, so
that the checks of the cells can fail.

Screenshots of every step go to the test's ``screenshots`` directory.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import directcall_nb  # noqa: F401  (registers df.directcall)
from directcall_nb import Estimator, Options
from directcall_nb.display import format_brl
from directcall_nb.i18n import words
from directcall_nb.phones import normalize_phones

from .conftest import Chromium, Lab
from .notebook_page import (
    CELLS,
    OPEN_TIMEOUT,
    STEP_TIMEOUT,
    WINDOW,
    answer_dialogs,
    cell_kinds,
    kernel_reads,
    write_notebook,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

NOTEBOOK = "compose.ipynb"
SENDER = "551130600300"
SETUP = """\
import pandas as pd

import directcall_nb

sb = directcall_nb.Sandbox().start()
print("sandbox running at", sb.url)
clientes = pd.read_csv("data/clientes.csv", dtype=str)"""
SHOW = f"""\
form = clientes.directcall.compose(
    sender={SENDER!r}, client=sb.client(), journal="journal.sqlite3", window=False
)
form"""
READ = """\
import json

read = {
    "text": form.text.value,
    "sender": form.sender.value,
    "price": form.price.value,
    "channel": form.channel.value,
    "policy": form.policy.value,
    "schedule": [form.schedule_date.value, form.schedule_time.value],
    "problems": sorted(form.problems),
    "sandbox": sb.url,
}
print("FORM", json.dumps(read, ensure_ascii=False))"""
READ_LINE = re.compile(r"^FORM (\{.*\})$", re.M)
KINDS = ["markdown", "code", "code", "code", "markdown"]

#: What is typed and inserted, in order: text typed, or a placeholder button clicked.
WRITTEN = [("type", "Olá "), ("insert", "{nome}"), ("type", ", sua fatura vence em ")]
WRITTEN += [("insert", "{vencimento}"), ("type", ".")]
MESSAGE = "Olá {nome}, sua fatura vence em {vencimento}."
#: Typed after the message under the carriers' rule: long enough for UCS-2 to need two parts,
#: so that replacing the accent is offered.
MORE = " Pague pelo aplicativo e evite juros."
PRICE = "0,10"
PT = words("pt")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
JWT = re.compile(rb"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}")
SANDBOX_URL = re.compile(r"sandbox running at (http://127\.0\.0\.1:\d+)")
#: A number as displays write one: digits, possibly separated by spaces, dashes, parentheses.
NUMBER = re.compile(r"\+?\(?\d(?:[ \-()]{0,2}\d){7,}")
#: Common English words: tests/widgets/test_form.py's and the form's own subjects (price, cost...);
#: DirectCall's field names ``destino`` and ``destino_csv`` are removed first.
ENGLISH = re.compile(
    r"\b(the|is|not|and|of|to|column|phone|message|sent|invalid|should|pass|rows?|"
    r"recipients?|empty|number|does|exist|missing|leading|call|price|cost|per|send|"
    r"simulation|schedule|error|characters?|segments?|encoding|requests?|none|true|false)\b"
    r"|[a-z_]+=|\.rows|\(\)|Traceback"
)


# -- the notebook and JupyterLab ---------------------------------------------------------------


def _same_cells(page: Page, after: str) -> None:
    assert cell_kinds(page) == KINDS, f"a key reached the notebook's shortcuts ({after})"
    assert page.locator(".jp-Dialog").count() == 0, f"a dialog opened ({after})"


def _run_all(page: Page) -> None:
    """Run → Run All Cells from the menu bar, until every code cell has run.

    On a busy machine the first choice of the menu can be lost (the notebook not yet ready, or
    the kernel replaced just after it started, taking the queued cells with it): when nothing
    runs any more and some cells never ran, the menu is used again, up to a deadline.
    """
    deadline = time.monotonic() + 2 * OPEN_TIMEOUT / 1000
    while True:
        answer_dialogs(page)
        page.locator(CELLS).first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        stalled = 0
        while stalled < 10:
            prompts = page.locator(f"{CELLS}.jp-CodeCell .jp-InputPrompt").all_inner_texts()
            if prompts and all(re.search(r"\[\d+\]", p) for p in prompts):
                return
            idle = page.locator(".jp-NotebookPanel [data-status='idle']").count() > 0
            running = any("*" in p for p in prompts)
            stalled = stalled + 1 if idle and not running else 0
            if time.monotonic() > deadline:
                raise AssertionError(f"the cells did not all run: {prompts}")
            page.wait_for_timeout(1000)
        print(f"the cells stopped before all ran ({prompts}): Run All Cells again")


def _wait_saved_with_state(path: Path, since: float) -> bytes:
    deadline = time.monotonic() + STEP_TIMEOUT / 1000
    while time.monotonic() < deadline:
        if path.stat().st_mtime > since:
            saved = path.read_bytes()
            state = json.loads(saved).get("metadata", {}).get("widgets", {}).get(WIDGET_STATE)
            if state and state.get("state"):
                return saved
        time.sleep(0.5)
    raise AssertionError(f"{path} was not saved with widget state")


# -- looking at the page -----------------------------------------------------------------------


class Shots:
    """Numbered screenshots of the window, scrolled to what each step is about."""

    def __init__(self, page: Page, directory: Path) -> None:
        self._page = page
        self._directory = directory
        self._count = 0

    def __call__(self, anchor: Locator, name: str, *, block: str = "center") -> Path:
        """Scroll ``anchor`` to ``block`` of the window and take the next screenshot, ``name``."""
        anchor.evaluate("(el, block) => el.scrollIntoView({block})", block)
        self._count += 1
        path = self._directory / f"{self._count:02d}-{name}.png"
        self._page.screenshot(path=str(path))
        print(f"screenshot: {path}")
        return path


def _figure(figures: Locator, label: str) -> str:
    """Return the value under ``label`` in the figures area (label and value on their own lines)."""
    lines = [line.strip() for line in figures.inner_text().splitlines() if line.strip()]
    assert label in lines, f"{label!r} not among the figures: {lines}"
    return lines[lines.index(label) + 1]


def _wait_figure(page: Page, figures: Locator, label: str, value: str) -> None:
    """Wait until the figure ``label`` shows ``value`` (the estimate follows the keys)."""
    page.wait_for_function(
        "([el, label, value]) => { const t = el.innerText.split('\\n').map(s => s.trim())"
        ".filter(Boolean); const i = t.indexOf(label); return i >= 0 && t[i + 1] === value; }",
        arg=[figures.element_handle(), label, value],
    )


def _count(text: str) -> int:
    """Read a count as the form writes it (``1.234``) as an int."""
    return int(text.replace(".", "").strip())


#: Everything about the form's geometry that the checks below need, measured in the page.
_MEASURE = """form => {
    const output = form.closest('.jp-OutputArea-output');
    const box = form.getBoundingClientRect();
    const shown = el => { const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
    const name = el => (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '') || el.tagName.toLowerCase();
    const outside = [...form.querySelectorAll('*')].filter(shown).filter(el => {
        const r = el.getBoundingClientRect();
        return r.right > box.right + 0.5 || r.left < box.left - 0.5;
    }).map(el => name(el) + ' ' + JSON.stringify(el.getBoundingClientRect()));
    const canvas = document.createElement('canvas').getContext('2d');
    const clipped = [];
    const inputs = 'input[type=text], input:not([type]), select, textarea';
    for (const el of form.querySelectorAll(inputs)) {
        if (!shown(el)) continue;
        const style = getComputedStyle(el);
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        const room = el.clientWidth - padding;
        canvas.font = style.font;
        const text = el.tagName === 'SELECT'
            ? (el.selectedOptions[0] || {text: ''}).text
            : (el.value || el.placeholder || '');
        const need = el.tagName === 'TEXTAREA' ? 0 : canvas.measureText(text).width;
        if (el.scrollWidth > el.clientWidth || need > room + 0.5) {
            clipped.push({el: name(el), text, need, room,
                          scroll: el.scrollWidth, client: el.clientWidth});
        }
    }
    // Each row is a label (an HTML widget, empty for some) and a box of controls.
    const labels = [];
    for (const row of form.children) {
        const [head, body] = row.children;
        const label = head && head.querySelector('.widget-html-content > div');
        if (!body || !label || !label.textContent.trim() || !shown(label)) continue;
        const first = [...body.querySelectorAll('input, select, textarea, button')].find(shown);
        // A check box is level with its words, which are as high as an input.
        const control = first.type === 'checkbox' ? first.closest('.widget-checkbox') : first;
        const l = label.getBoundingClientRect(), c = control.getBoundingClientRect();
        labels.push({text: label.textContent, right: Math.round(l.right), height: l.height,
                     offset: (l.top + 14) - (c.top + Math.min(c.height, 28) / 2)});
    }
    const panel = form.closest('.jp-NotebookPanel');
    return {
        labels,
        notebookWidth: panel.getBoundingClientRect().width,
        form: [form.scrollWidth, form.clientWidth],
        output: [output.scrollWidth, output.clientWidth],
        outside, clipped,
    };
}"""


def _check_layout(form: Locator, when: str) -> None:
    """Nothing overflows, sticks out of the form or clips its text (see ``_MEASURE``)."""
    facts = form.evaluate(_MEASURE)
    print(f"layout {when}: {facts}")
    assert 850 <= facts["notebookWidth"] <= 1050, facts["notebookWidth"]
    scroll, client = facts["form"]
    assert scroll <= client, f"the form scrolls sideways ({when}): {facts}"
    scroll, client = facts["output"]
    assert scroll <= client, f"the form's output scrolls sideways ({when}): {facts}"
    assert not facts["outside"], f"sticking out of the form ({when}): {facts['outside']}"
    assert not facts["clipped"], f"text cut in an input ({when}): {facts['clipped']}"
    labels = facts["labels"]
    assert len({label["right"] for label in labels}) == 1, f"labels not aligned: {labels}"
    for label in labels:
        assert label["height"] <= 29, f"a label on two lines ({when}): {label}"
        assert abs(label["offset"]) <= 3, f"a label beside, not level with, its input: {label}"


def _frame_phones(lab: Lab) -> set[str]:
    """Return the frame's phone numbers as digits: as typed, in DirectCall's format, the last 8."""
    column = pd.read_csv(lab.root / "data" / "clientes.csv", dtype=str)["celular"].dropna()
    typed = {re.sub(r"\D", "", found) for value in column for found in NUMBER.findall(value)}
    formatted = set(normalize_phones(column)["phone"].dropna())
    return {n for n in typed | formatted if len(n) >= 8} | {n[-8:] for n in typed | formatted}


def _whole_phones(text: str, phones: set[str]) -> list[str]:
    """Return the numbers in ``text`` that show one of ``phones`` whole (8 digits or more)."""
    found = []
    for number in NUMBER.findall(text):
        digits = re.sub(r"\D", "", number)
        if any(phone in digits for phone in phones):
            found.append(number)
    return found


def _check_words(form: Locator, phones: set[str], when: str) -> None:
    """No whole phone number and no English sentence in the form's visible text."""
    shown = form.inner_text()
    assert not _whole_phones(shown, phones), (when, _whole_phones(shown, phones))
    english = ENGLISH.findall(shown.replace("destino_csv", "").replace("destino", ""))
    assert not english, (when, english, shown)


def _expected(lab: Lab, message: str, **options: Any) -> Any:
    """Estimate ``message`` to the same CSV, here without the form."""
    frame = pd.read_csv(lab.root / "data" / "clientes.csv", dtype=str)
    return Estimator(frame, phone="celular").estimate(message, Options(sender=SENDER, **options))


# -- the test ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _patient_expect() -> Iterator[None]:
    """`expect` waits as long as a step may take here, and as usual again afterwards."""
    expect.set_options(timeout=STEP_TIMEOUT)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default


@dataclass(frozen=True)
class FormPage:
    """The notebook's page with the form in it, and what each step needs to check the form.

    Attributes
    ----------
    lab : Lab
        The JupyterLab server, whose directory holds the frame's CSV and the journal.
    page : Page
        The notebook's page.
    form : Locator
        The compose form (``.dc-compose``).
    figures : Locator
        Its live figures.
    read_cell : Locator
        The cell that prints what the kernel's form holds.
    shot : Shots
        The screenshots, numbered in the order taken.
    phones : set of str
        The frame's phone numbers, which the form must never show whole.
    """

    lab: Lab
    page: Page
    form: Locator
    figures: Locator
    read_cell: Locator
    shot: Shots
    phones: set[str]


def _open_the_form(
    lab: Lab, chromium: Chromium, screenshots: Path
) -> tuple[FormPage, re.Match[str]]:
    """Open the notebook, run it from the menu, check the form; return the sandbox line printed."""
    write_notebook(lab.root / NOTEBOOK, "Campanha de cobrança", SETUP, SHOW, READ)
    phones = _frame_phones(lab)
    page = chromium.new_page()
    page.set_viewport_size(WINDOW)
    page.set_default_timeout(STEP_TIMEOUT)
    shot = Shots(page, screenshots)
    page.goto(lab.page_url(NOTEBOOK), timeout=OPEN_TIMEOUT)
    page.locator(".jp-NotebookPanel .jp-Notebook").wait_for(timeout=OPEN_TIMEOUT)
    page.locator(".jp-NotebookPanel [data-status='idle']").first.wait_for(timeout=OPEN_TIMEOUT)
    form = page.locator(".dc-compose")
    read_cell = page.locator(CELLS).nth(3)
    try:
        _run_all(page)
        form.wait_for(state="visible", timeout=OPEN_TIMEOUT)
        expect(read_cell.locator(".jp-OutputArea")).to_contain_text("FORM", timeout=OPEN_TIMEOUT)
    except (PlaywrightTimeout, AssertionError):
        page.screenshot(path=str(screenshots / "00-no-form.png"))
        raise
    _same_cells(page, "opening")
    setup_output = page.locator(CELLS).nth(1).locator(".jp-OutputArea")
    setup_output.scroll_into_view_if_needed()
    printed = SANDBOX_URL.search(setup_output.inner_text())
    assert printed is not None, setup_output.inner_text()
    figures = form.locator(".dc-figures")
    expect(figures).to_contain_text(PT["write_message"])
    assert form.get_attribute("data-lm-suppress-shortcuts") == "true"
    _check_layout(form, "opened")
    shot(form, "form-opened", block="start")
    return FormPage(lab, page, form, figures, read_cell, shot, phones), printed


def _write_the_message(at: FormPage, printed: re.Match[str]) -> str:
    """Type the message, clicking placeholders in between; return the kernel's sandbox."""
    page, form = at.page, at.form
    textarea = form.locator(".dc-message textarea")
    textarea.click()
    so_far = ""
    for how, what in WRITTEN:
        if how == "type":
            page.keyboard.type(what, delay=30)
        else:
            form.locator(".dc-editor-insert", has_text=re.compile(f"^{re.escape(what)}$")).click()
        so_far += what
        expect(textarea).to_have_value(so_far)
    assert so_far == MESSAGE
    _same_cells(page, "typing the message")
    expected = _expected(at.lab, MESSAGE)
    _wait_figure(page, at.figures, PT["recipients"], f"{expected.recipients:,}".replace(",", "."))
    at.shot(form, "message-typed", block="start")
    read = kernel_reads(page, at.read_cell, READ_LINE)
    assert read["text"] == MESSAGE, read
    sandbox: str = read["sandbox"]
    assert sandbox == printed.group(1), (sandbox, printed.group(0))
    _same_cells(page, "reading the kernel")
    return sandbox


def _retype_the_sender(at: FormPage) -> None:
    """Retype the sender: digits are shortcuts in command mode (a heading), Backspace too."""
    page, form = at.page, at.form
    sender = form.locator(".dc-sender input")
    sender_error = form.locator(".dc-sender-error")
    sender.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    expect(sender_error).to_contain_text(PT["err_sender_missing"])
    expect(form.locator(".dc-simulate")).to_be_disabled()
    at.shot(sender, "sender-missing")
    page.keyboard.type(SENDER, delay=30)
    expect(sender).to_have_value(SENDER)
    expect(sender_error).to_be_empty()
    _same_cells(page, "typing the sender")


def _type_the_price(at: FormPage) -> None:
    """Type the price ("0" twice is the kernel's restart in command mode); the cost follows."""
    page, form, figures = at.page, at.form, at.figures
    price = form.locator(".dc-price input")
    assert _figure(figures, PT["cost"]) == PT["no_price"]
    price.click()
    page.keyboard.type(PRICE, delay=60)
    expect(price).to_have_value(PRICE)
    _same_cells(page, "typing the price")
    expected = _expected(at.lab, MESSAGE, price_per_segment=Decimal("0.10"))
    cost = format_brl(expected.cost)
    assert re.fullmatch(r"R\$ \d+,\d\d", cost), cost
    _wait_figure(page, figures, PT["cost"], cost)
    assert _count(_figure(figures, PT["segments"])) == expected.segments
    at.shot(form, "price-typed", block="start")
    read = kernel_reads(page, at.read_cell, READ_LINE)
    assert read["text"] == MESSAGE, read
    assert read["sender"] == SENDER, read
    assert read["price"] == PRICE, read
    assert read["problems"] == [], read
    _same_cells(page, "reading the kernel")


def _type_more_under_the_carriers_rule(at: FormPage) -> str:
    """Choose the carriers' rule and type more: a GSM-7 replacement is offered; return the text."""
    page, form = at.page, at.form
    policy = form.locator(".dc-policy select")
    policy.click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(policy).to_have_value(PT["policy_gsm"])
    textarea = form.locator(".dc-message textarea")
    textarea.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(MORE, delay=20)
    message = MESSAGE + MORE
    expect(textarea).to_have_value(message)
    offer = form.locator(".dc-replace-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("á→a")
    _same_cells(page, "choosing the billing and typing more")
    _check_layout(form, "offer")
    at.shot(offer, "sms-carriers-offer")
    return message


def _under_voice_only_calls_are_shown(at: FormPage) -> None:
    """Choose Voz: nothing that applies only to SMS is shown, and it all comes back with SMS."""
    form, figures = at.form, at.figures
    sms_only = {
        "billing": form.locator(".dc-policy"),
        "show sender": form.locator(".dc-show-sender"),
        "short number": form.locator(".dc-short-number"),
        "replace offer": form.locator(".dc-replace-offer"),
        "replace button": form.locator(".dc-replace"),
    }
    sms_figures = [PT["encoding"], PT["per_message"], "UCS-2"]
    price_label = form.get_by_text(PT["price_sms"], exact=True)
    expect(price_label).to_be_visible()
    for what, control in sms_only.items():
        expect(control, what).to_be_visible()
    for words_ in sms_figures:
        expect(figures).to_contain_text(words_)
    expect(form.get_by_text(PT["show_sender"])).to_be_visible()
    expect(form.get_by_text(PT["short_number"])).to_be_visible()

    form.locator(".dc-channel button", has_text=PT["voice"]).click()
    expect(form.get_by_text(PT["price_voice"], exact=True)).to_be_visible()
    for what, control in sms_only.items():
        expect(control, f"{what} under Voz").to_be_hidden()
    for words_ in sms_figures:
        expect(figures).not_to_contain_text(words_)
    expect(form.get_by_text(PT["show_sender"])).to_be_hidden()
    expect(form.get_by_text(PT["short_number"])).to_be_hidden()
    expect(price_label).to_be_hidden()
    expect(form.get_by_text(PT["message_voice"], exact=True)).to_be_visible()
    preview = form.locator(".dc-preview")
    expect(preview).to_contain_text(PT["voice_call"])
    expect(preview.locator(".dc-voice").first).to_be_visible()
    expect(figures).to_contain_text(PT["calls"])
    _same_cells(at.page, "choosing Voz")
    _check_layout(form, "voice")
    _check_words(form, at.phones, "voice")
    at.shot(form, "voice", block="start")

    form.locator(".dc-channel button", has_text=PT["sms"]).click()
    for what, control in sms_only.items():
        expect(control, f"{what} back under SMS").to_be_visible()
    for words_ in sms_figures:
        expect(figures).to_contain_text(words_)
    expect(price_label).to_be_visible()
    expect(preview).not_to_contain_text(PT["voice_call"])
    at.shot(form, "sms-again", block="start")


def _back_to_directcall_rule(at: FormPage) -> None:
    """Choose DirectCall's rule again, with the keyboard: nothing to replace under it."""
    page, form = at.page, at.form
    policy = form.locator(".dc-policy select")
    policy.click()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(policy).to_have_value(PT["policy_directcall"])
    expect(form.locator(".dc-replace-offer")).to_be_hidden()
    _same_cells(page, "choosing the billing")


def _schedule_in_the_past(at: FormPage) -> None:
    """Type a schedule in the past: a Portuguese error beside it, no Simular, no Enviar."""
    page, form = at.page, at.form
    day = form.locator(".dc-schedule-date input")
    clock = form.locator(".dc-schedule-time input")
    schedule_error = form.locator(".dc-schedule-error")
    buttons = [form.locator(".dc-simulate"), form.locator(".dc-send")]
    for button in buttons:
        expect(button).to_be_enabled()
    day.click()
    page.keyboard.type("01/01/2020", delay=40)
    clock.click()
    page.keyboard.type("09:00", delay=40)
    expect(schedule_error).to_contain_text("01/01/2020 09:00 já passou")
    for button in buttons:
        expect(button).to_be_disabled()
    beside = day.evaluate(
        """(input) => {
            const body = input.closest('.dc-schedule-date').parentElement;  // the controls
            const row = body.parentElement.getBoundingClientRect();  // with the label
            const e = body.querySelector('.dc-schedule-error .dc-error').getBoundingClientRect();
            const t = body.querySelector('.dc-schedule-time').getBoundingClientRect();
            return {inRow: e.top >= row.top - 0.5 && e.bottom <= row.bottom + 0.5,
                    after: e.left >= t.right - 0.5 || e.top >= t.bottom - 0.5}; }"""
    )
    assert beside == {"inRow": True, "after": True}, beside
    _same_cells(page, "typing a schedule")
    _check_layout(form, "schedule error")
    _check_words(form, at.phones, "schedule error")
    at.shot(day, "schedule-in-the-past")


def _clear_the_schedule(at: FormPage, message: str, sandbox: str) -> None:
    """Clear the schedule with the keyboard: the buttons come back; the kernel holds the rest."""
    page, form = at.page, at.form
    day = form.locator(".dc-schedule-date input")
    clock = form.locator(".dc-schedule-time input")
    schedule_error = form.locator(".dc-schedule-error")
    day.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    expect(schedule_error).to_contain_text(PT["err_schedule_no_date"])
    clock.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    expect(schedule_error).to_be_empty()
    for button in [form.locator(".dc-simulate"), form.locator(".dc-send")]:
        expect(button).to_be_enabled()
    expect(day).to_have_value("")
    expect(clock).to_have_value("")
    _same_cells(page, "clearing the schedule")
    at.shot(day, "schedule-cleared")
    read = kernel_reads(page, at.read_cell, READ_LINE)
    assert read == {
        "text": message,
        "sender": SENDER,
        "price": PRICE,
        "channel": "sms",
        "policy": "directcall",
        "schedule": ["", ""],
        "problems": [],
        "sandbox": sandbox,
    }, read


def _simulate(at: FormPage) -> None:
    """Press Simular: the requests and the dry-run report are shown."""
    form = at.form
    output = form.locator(".dc-output")
    form.locator(".dc-simulate").click()
    expect(output).to_contain_text(PT["simulation_title"])
    expect(output.locator("table").first).to_be_visible()
    _check_layout(form, "simulated")
    _check_words(form, at.phones, "simulated")
    at.shot(output, "simulated", block="start")


def _send_and_confirm(at: FormPage, message: str) -> tuple[int, str]:
    """Press Enviar, check the question, Confirmar; return the count stated and the words done."""
    form = at.form
    expected = _expected(at.lab, message, price_per_segment=Decimal("0.10"))
    output = form.locator(".dc-output")
    form.locator(".dc-send").click()
    confirm = form.locator(".dc-confirm")
    expect(confirm).to_be_visible()
    question = form.locator(".dc-confirm-text").inner_text()
    stated = re.fullmatch(
        r"Confirmar envio de ([\d.]+) SMS \(([\d.]+) segmentos?\), (R\$ [\d.]+,\d\d) "
        r"\(R\$ 0,10 por segmento\)\?",
        question,
    )
    assert stated is not None, question
    count = _count(stated.group(1))
    assert count == expected.recipients
    assert _count(stated.group(2)) == expected.segments
    assert stated.group(3) == format_brl(expected.cost)
    _check_layout(form, "confirmation")
    _check_words(form, at.phones, "confirmation")
    at.shot(confirm, "confirmation")

    confirm.click()
    done = PT["done"].split("{")[0]
    expect(output).to_contain_text(done, timeout=OPEN_TIMEOUT)
    expect(output.locator("table").first).to_be_visible()
    expect(confirm).to_be_hidden()
    expect(form.locator(".dc-send")).to_be_enabled()
    _same_cells(at.page, "sending")
    _check_layout(form, "sent")
    _check_words(form, at.phones, "sent")
    at.shot(form.locator(".dc-send"), "sent", block="start")
    at.shot(output.locator("table").first, "sent-report")
    return count, done


def _check_delivered(at: FormPage, sandbox: str, count: int) -> None:
    """Ask the sandbox (over loopback): it delivered what the form stated, each message once."""
    delivered = httpx.get(f"{sandbox}/_sandbox/messages", timeout=30).json()
    messages = delivered["messages"]
    assert len(messages) == count
    assert len({(m["phone"], m["text"]) for m in messages}) == count  # no message twice
    assert all(m["text"].startswith("Olá ") and m["text"].endswith(MORE) for m in messages)
    assert (at.lab.root / "journal.sqlite3").exists()


def _save_with_widget_state(at: FormPage, done: str) -> None:
    """Press Ctrl+S ("save widget state" on): no token, no whole phone number in the file."""
    page, lab = at.page, at.lab
    page.locator(CELLS).first.click()
    since = (lab.root / NOTEBOOK).stat().st_mtime
    page.keyboard.press("Control+s")
    saved = _wait_saved_with_state(lab.root / NOTEBOOK, since)
    assert JWT.search(saved) is None, "an access token was saved in the notebook"
    state = json.loads(saved)["metadata"]["widgets"][WIDGET_STATE]["state"]
    values = [m["state"].get("value") for m in state.values()]
    assert any(isinstance(v, str) and done in v for v in values), "the report was not saved"
    leaked = _whole_phones(saved.decode("utf-8"), at.phones)
    assert not leaked, f"whole phone numbers saved in the notebook: {leaked}"
    _same_cells(page, "saving")
    at.shot(page.locator(CELLS).first, "saved", block="start")


def _a_key_outside_the_form_reaches_the_notebook(at: FormPage) -> None:
    """Press a shortcut on a cell outside the form: a cell is added below.

    So the checks of the cells above can fail.
    """
    page = at.page
    page.locator(CELLS).last.click()
    page.keyboard.press("b")
    expect(page.locator(CELLS)).to_have_count(len(KINDS) + 1)


def test_compose_form_used_with_keys_and_clicks_in_jupyterlab(
    lab: Lab, chromium: Chromium, screenshots: Path
) -> None:
    """Use the form with keys and clicks only, the steps numbered in the module's docstring."""
    at, printed = _open_the_form(lab, chromium, screenshots)
    # 1. The message, typed with placeholders clicked in between; the sender; 2. the price.
    sandbox = _write_the_message(at, printed)
    _retype_the_sender(at)
    _type_the_price(at)
    # 3. The carriers' rule offers a replacement; Voz shows only what a call needs.
    message = _type_more_under_the_carriers_rule(at)
    _under_voice_only_calls_are_shown(at)
    _back_to_directcall_rule(at)
    # 5. A schedule in the past blocks Simular and Enviar until it is cleared.
    _schedule_in_the_past(at)
    _clear_the_schedule(at, message, sandbox)
    # 6. Simular, Enviar, Confirmar; the sandbox delivered what the form stated.
    _simulate(at)
    count, done = _send_and_confirm(at, message)
    _check_delivered(at, sandbox, count)
    # 7. The notebook saved with its widget state keeps no secret and no whole number.
    _save_with_widget_state(at, done)
    _a_key_outside_the_form_reaches_the_notebook(at)
