"""The compose form in a real JupyterLab and a real Chromium, used as an analyst would.

The tutorial ``04_compose_form.ipynb`` is opened and run from the Run menu; the test then types a
message into the form, watches the live figures change, simulates, sends, confirms, waits for
the report in the form, and asks the sandbox (over loopback, at the address the notebook
printed) what it delivered. Screenshots of each step are saved in the test's directory.
Finally the notebook is saved with its widget state (enabled in the lab's settings), and the
file is searched for anything shaped like an access token.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import directcall_nb  # noqa: F401  (registers df.directcall)
from directcall_nb import Estimator, Options
from directcall_nb.i18n import words

from .conftest import COMPOSE_NOTEBOOK, Chromium, Lab

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]

SENDER = "551130600300"
MESSAGE = "Oi {nome}, sua fatura vence dia {vencimento}. Teste no navegador."
PT = words("pt")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
JWT = re.compile(rb"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}")
SANDBOX_URL = re.compile(r"sandbox running at (http://127\.0\.0\.1:\d+)")

#: Generous waits (ms): the first start of a kernel and of the widgets can be slow on 2 cores.
OPEN_TIMEOUT = 120_000
STEP_TIMEOUT = 60_000


def _shot(
    page: Page, anchor: Locator, directory: Path, name: str, *, block: str = "center"
) -> Path:
    """A screenshot of the window, scrolled so that ``anchor`` is in view (``block`` as in CSS)."""
    anchor.evaluate("(el, block) => el.scrollIntoView({block})", block)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


def _figure(figures_text: str, label: str) -> str:
    """The value under ``label`` in the figures area's text (label and value on their lines)."""
    lines = [line.strip() for line in figures_text.splitlines() if line.strip()]
    assert label in lines, f"{label!r} not among the figures: {lines}"
    return lines[lines.index(label) + 1]


def _count(text: str) -> int:
    """A count as the form writes it (``1.234``) as an int."""
    return int(text.replace(".", "").replace("\u00a0", "").strip())


def _expected_recipients(lab: Lab, message: str) -> int:
    """How many recipients the message has, estimated here from the same CSV."""
    frame = pd.read_csv(lab.root / "data" / "clientes.csv", dtype=str)
    estimate = Estimator(frame, phone="celular").estimate(message, Options(sender=SENDER))
    return estimate.recipients


def _answer_dialogs(page: Page) -> list[str]:
    """Accept any dialog JupyterLab put up (e.g. about the kernel), returning their texts."""
    texts = []
    for dialog in page.locator(".jp-Dialog").all():
        texts.append(dialog.inner_text())
        accept = dialog.locator(".jp-Dialog-button.jp-mod-accept")
        if accept.count():
            accept.first.click()
        else:
            page.keyboard.press("Escape")
    if texts:
        print(f"dialogs answered: {texts}")
    return texts


def _run_all_cells(page: Page) -> None:
    """Run → Run All Cells, from the menu bar, until the cells are seen to start.

    On a busy machine the first choice of the menu can come before the notebook is ready to
    run anything and be lost: the menu is then used again, up to a deadline.
    """
    deadline = time.monotonic() + OPEN_TIMEOUT / 1000
    while True:
        _answer_dialogs(page)
        page.locator(".jp-NotebookPanel .jp-Cell").first.click()  # the notebook has the focus
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:
            page.wait_for_function(
                """() => [...document.querySelectorAll(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
                    .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""",
                timeout=15_000,
            )
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def _all_cells_ran(page: Page) -> None:
    """Wait until every code cell shows an execution count and the kernel is idle."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=OPEN_TIMEOUT,
    )


def _sandbox_url(page: Page) -> str:
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    for text in outputs:
        found = SANDBOX_URL.search(text)
        if found:
            return found.group(1)
    raise AssertionError(f"no sandbox address in the outputs: {outputs[:3]}")


def _wait_saved_with_state(path: Path) -> bytes:
    deadline = time.monotonic() + STEP_TIMEOUT / 1000
    while time.monotonic() < deadline:
        saved = path.read_bytes()
        state = json.loads(saved).get("metadata", {}).get("widgets", {}).get(WIDGET_STATE)
        if state and state.get("state"):
            return saved
        time.sleep(0.5)
    raise AssertionError(f"{path} was not saved with widget state")


def test_compose_simulate_send_and_confirm_in_jupyterlab(
    lab: Lab, chromium: Chromium, screenshots: Path
) -> None:
    page = chromium.new_page()
    page.set_default_timeout(STEP_TIMEOUT)
    page.goto(lab.page_url(COMPOSE_NOTEBOOK), timeout=OPEN_TIMEOUT)
    page.locator(".jp-NotebookPanel .jp-Notebook").wait_for(timeout=OPEN_TIMEOUT)
    page.locator(".jp-NotebookPanel [data-status='idle']").first.wait_for(timeout=OPEN_TIMEOUT)
    _run_all_cells(page)

    form = page.locator(".dc-compose")
    try:
        form.wait_for(state="visible", timeout=OPEN_TIMEOUT)
    except PlaywrightTimeout:
        page.screenshot(path=str(screenshots / "0-no-form.png"))
        raise
    _all_cells_ran(page)
    figures = form.locator(".dc-figures")
    expect(figures).to_contain_text(PT["recipients"])
    _shot(page, form, screenshots, "1-form", block="start")

    before = figures.inner_text()
    textarea = form.locator(".dc-message textarea")
    textarea.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    expect(figures).to_contain_text(PT["write_message"])
    textarea.press_sequentially(MESSAGE, delay=15)
    expect(textarea).to_have_value(MESSAGE)
    expected = _expected_recipients(lab, MESSAGE)
    # The figures follow the text: wait for the estimate of the whole message.
    expect(figures).to_contain_text(PT["segments"])
    page.wait_for_function(
        "([el, label, n]) => { const t = el.innerText.split('\\n').map(s => s.trim());"
        " const i = t.indexOf(label); return i >= 0 && t[i + 1] === n; }",
        arg=[figures.element_handle(), PT["recipients"], str(expected)],
    )
    after = figures.inner_text()
    assert after != before
    assert _count(_figure(after, PT["recipients"])) == expected
    _shot(page, form, screenshots, "2-typed", block="start")

    output = form.locator(".dc-output")
    form.locator(".dc-simulate").click()
    expect(output).to_contain_text(PT["simulation_title"])
    expect(output.locator("table").first).to_be_visible()
    _shot(page, output, screenshots, "3-simulated")

    form.locator(".dc-send").click()
    confirm = form.locator(".dc-confirm")
    expect(confirm).to_be_visible()
    question = form.locator(".dc-confirm-text").inner_text()
    stated = re.search(r"de ([\d.]+) SMS", question)
    assert stated is not None, question
    assert _count(stated.group(1)) == expected
    _shot(page, confirm, screenshots, "4-confirmation")

    confirm.click()
    done = PT["done"].split("{")[0]
    expect(output).to_contain_text(done, timeout=OPEN_TIMEOUT)
    expect(output.locator("table").first).to_be_visible()
    expect(confirm).to_be_hidden()
    expect(form.locator(".dc-stop")).to_be_disabled()
    expect(form.locator(".dc-send")).to_be_enabled()
    _shot(page, output, screenshots, "5-sent")

    delivered = httpx.get(f"{_sandbox_url(page)}/_sandbox/messages", timeout=10).json()["messages"]
    assert len(delivered) == expected
    prefix, suffix = MESSAGE.split("{nome}")[0], MESSAGE.rsplit("}", 1)[1]
    assert all(m["text"].startswith(prefix) and m["text"].endswith(suffix) for m in delivered)
    assert len({(m["phone"], m["text"]) for m in delivered}) == expected  # no message twice

    # Save (Ctrl+S) with "save widget state" on: the file holds the form, never a token.
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    saved = _wait_saved_with_state(lab.root / COMPOSE_NOTEBOOK)
    models = json.loads(saved)["metadata"]["widgets"][WIDGET_STATE]["state"].values()
    reports = [
        m["state"]["value"]
        for m in models
        if "dc-output" in m["state"].get("_dom_classes", []) and done in m["state"]["value"]
    ]
    assert len(reports) == 1 and "<table" in reports[0]
    assert JWT.search(saved) is None, "an access token was saved in the notebook"
