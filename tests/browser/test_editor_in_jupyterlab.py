"""The message editor in a real JupyterLab and a real Chromium, typed into with real keys.

A notebook that shows a `MessageEditor` inside a ``.dc-compose`` box (beside an ipywidgets
button, as in the form) is written into the served directory and run from the Run menu. The
test then clicks in the text box, types, clicks placeholder buttons and selects with the
keyboard, as an analyst would (never ``fill()``), and checks three things after each step:
what the text box holds, what the kernel's ``editor.value`` holds (printed by a cell run with
Ctrl+Enter), and that the notebook still has the same cells of the same types, i.e. that no
key reached the notebook's shortcuts. A last step shows that the same keys on a button
outside the guarded box do reach them, so that the checks before it can fail.

Screenshots of each step are saved in the test's ``screenshots`` directory.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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

pytestmark = [pytest.mark.browser, pytest.mark.timeout(480)]

NOTEBOOK = "editor.ipynb"
PLACEHOLDERS = [
    "{cliente_id}",
    "{nome}",
    "{celular}",
    "{valor}",
    "{vencimento}",
    "{observação}",
    "{endereco_de_cobranca_completo}",
    "{cidade}",
    "{estado}",
    "{cep}",
    "{plano}",
    "{data_de_adesao}",
    "{vendedor_responsavel}",
    "{segmento}",
]
SHOW = f"""\
import ipywidgets as widgets

from directcall_nb.widgets import MessageEditor

editor = MessageEditor(
    placeholders={PLACEHOLDERS!r},
    placeholders_label="Inserir coluna:",
    placeholder="Olá {{nome}}, sua fatura vence amanhã.",
    description="Mensagem",
    description_width="10em",
    layout=widgets.Layout(width="100%"),  # as the form sets its text box; it must still fit
)
sender = widgets.Text(description="Remetente", style={{"description_width": "10em"}})
sender.add_class("dc-sender")
inside = widgets.Button(description="Simular")
inside.add_class("dc-inside")
form = widgets.VBox([sender, editor, inside])
form.add_class("dc-compose")
outside = widgets.Button(description="Fora do formulário")
outside.add_class("dc-outside")
widgets.VBox([form, outside])"""
READ = """\
import json

read = {"value": editor.value, "selection": editor.selection}
print("EDITOR", json.dumps(read, ensure_ascii=False))"""
READ_LINE = re.compile(r"^EDITOR (\{.*\})$", re.M)


def _shot(page: Page, anchor: Locator, directory: Path, name: str) -> Path:
    anchor.evaluate("el => el.scrollIntoView({block: 'center'})")
    path = directory / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


def _run_all(page: Page) -> None:
    """Run → Run All Cells from the menu bar, again until the cells are seen to start."""
    deadline = time.monotonic() + OPEN_TIMEOUT / 1000
    while True:
        answer_dialogs(page)
        page.locator(CELLS).first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:
            page.locator(".dc-editor textarea").wait_for(state="visible", timeout=20_000)
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def _focused_class(page: Page) -> str:
    name: str = page.evaluate("() => document.activeElement && document.activeElement.className")
    return name


def _no_horizontal_overflow(page: Page, editor: Locator) -> None:
    facts = editor.evaluate(
        """el => {
            const area = el.closest('.jp-OutputArea-output') || el.parentElement;
            const bar = el.querySelector('.dc-editor-placeholders');
            const scroller = el.closest('.jp-WindowedPanel-outer') || document.scrollingElement;
            return {
                editorRight: el.getBoundingClientRect().right,
                areaRight: area.getBoundingClientRect().right,
                areaScroll: area.scrollWidth - area.clientWidth,
                barScroll: bar.scrollWidth - bar.clientWidth,
                barRows: new Set([...bar.children].map(b => b.offsetTop)).size,
                pageScroll: scroller.scrollWidth - scroller.clientWidth,
                textareaWidth: el.querySelector('textarea').getBoundingClientRect().width,
                bodyWidth: el.querySelector('.dc-editor-body').getBoundingClientRect().width,
                textareaLeft: el.querySelector('textarea').getBoundingClientRect().left,
                labelLeft: el.querySelector('label').getBoundingClientRect().left,
                labelRight: el.querySelector('label').getBoundingClientRect().right,
                senderLabelLeft:
                    document.querySelector('.dc-sender label').getBoundingClientRect().left,
                senderLabelRight:
                    document.querySelector('.dc-sender label').getBoundingClientRect().right,
                inputLeft: document.querySelector('.dc-sender input').getBoundingClientRect().left,
            };
        }"""
    )
    print(f"layout: {facts}")
    assert facts["editorRight"] <= facts["areaRight"] + 0.5, facts
    assert facts["areaScroll"] <= 0, facts
    assert facts["barScroll"] <= 0, facts
    assert facts["pageScroll"] <= 0, facts
    assert facts["barRows"] >= 2, "the placeholder buttons should wrap onto several rows"
    assert facts["textareaWidth"] >= facts["bodyWidth"] - 1, "the text box fills its column"
    # Lined up with ipywidgets' Text above it: the same label and the same start of the box.
    for mine, theirs in [
        ("labelLeft", "senderLabelLeft"),
        ("labelRight", "senderLabelRight"),
        ("textareaLeft", "inputLeft"),
    ]:
        assert abs(facts[mine] - facts[theirs]) <= 1, (mine, theirs, facts)


def test_typing_and_inserting_in_jupyterlab_keeps_keys_out_of_the_notebook(
    lab: Lab, chromium: Chromium, screenshots: Path
) -> None:
    """Type, insert and select in the editor with real keys; none reaches the notebook."""
    write_notebook(lab.root / NOTEBOOK, "Mensagem", SHOW, READ)
    page = chromium.new_page()
    page.set_viewport_size(WINDOW)
    page.set_default_timeout(STEP_TIMEOUT)
    page.goto(lab.page_url(NOTEBOOK), timeout=OPEN_TIMEOUT)
    page.locator(".jp-NotebookPanel .jp-Notebook").wait_for(timeout=OPEN_TIMEOUT)
    page.locator(".jp-NotebookPanel [data-status='idle']").first.wait_for(timeout=OPEN_TIMEOUT)
    try:
        _run_all(page)
    except PlaywrightTimeout:
        page.screenshot(path=str(screenshots / "0-no-editor.png"))
        raise

    editor = page.locator(".dc-editor")
    textarea = editor.locator("textarea")
    read_cell = page.locator(CELLS).nth(2)
    expect(read_cell.locator(".jp-OutputArea")).to_contain_text("EDITOR", timeout=OPEN_TIMEOUT)
    kinds = cell_kinds(page)
    assert kinds == ["markdown", "code", "code", "markdown"]
    expect(editor.locator(".dc-editor-label")).to_have_text("Mensagem")
    expect(editor.locator(".dc-editor-insert")).to_have_count(len(PLACEHOLDERS))
    expect(textarea).to_have_attribute("placeholder", "Olá {nome}, sua fatura vence amanhã.")
    assert editor.get_attribute("data-lm-suppress-shortcuts") == "true"
    form = page.locator(".dc-compose")
    expect(form).to_have_attribute("data-lm-suppress-shortcuts", "true")
    _no_horizontal_overflow(page, editor)
    _shot(page, editor, screenshots, "1-editor")

    # Type, insert with the mouse, keep typing: the keys all go to the text box.
    textarea.click()
    page.keyboard.type("Olá ", delay=40)
    expect(textarea).to_have_value("Olá ")
    _shot(page, editor, screenshots, "2-typed")
    nome = editor.locator(".dc-editor-insert", has_text=re.compile(r"^\{nome\}$"))
    nome.click()
    expect(textarea).to_have_value("Olá {nome}")
    assert "dc-editor-text" in _focused_class(page), "the focus should be back in the text box"
    _shot(page, editor, screenshots, "3-inserted")
    page.keyboard.type(", tudo bem?", delay=40)
    expect(textarea).to_have_value("Olá {nome}, tudo bem?")
    _shot(page, editor, screenshots, "4-kept-typing")
    assert cell_kinds(page) == kinds, "a key reached the notebook's shortcuts"

    read = kernel_reads(page, read_cell, READ_LINE)
    assert read == {"value": "Olá {nome}, tudo bem?", "selection": [21, 21]}
    assert cell_kinds(page) == kinds

    # Select a word with the keyboard and click a button: the word is replaced.
    textarea.click()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    for _ in "bem":
        page.keyboard.press("Shift+ArrowLeft")
    assert textarea.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)") == "bem"
    editor.locator(".dc-editor-insert", has_text="{valor}").click()
    page.keyboard.type(" reais", delay=40)
    expect(textarea).to_have_value("Olá {nome}, tudo {valor} reais?")
    _shot(page, editor, screenshots, "5-replaced")
    read = kernel_reads(page, read_cell, READ_LINE)
    assert read == {"value": "Olá {nome}, tudo {valor} reais?", "selection": [30, 30]}

    # An emoji is two UTF-16 units in the browser and one character in Python.
    textarea.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("🎉 ", delay=40)
    read = kernel_reads(page, read_cell, READ_LINE)
    assert read == {"value": "🎉 Olá {nome}, tudo {valor} reais?", "selection": [2, 2]}

    # Reached with Tab, a button is pressed once by Space or Enter; the focus comes back, so
    # the next Space is a space in the text.
    textarea.click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Tab")
    assert "dc-editor-insert" in _focused_class(page)
    page.keyboard.press(" ")
    assert "dc-editor-text" in _focused_class(page)
    page.keyboard.press(" ")
    page.keyboard.press("Tab")
    assert "dc-editor-insert" in _focused_class(page)
    page.keyboard.press("Enter")
    typed = "{cliente_id} {cliente_id}🎉 Olá {nome}, tudo {valor} reais?"
    expect(textarea).to_have_value(typed)
    assert "dc-editor-text" in _focused_class(page)
    _shot(page, editor, screenshots, "6-keyboard")
    read = kernel_reads(page, read_cell, READ_LINE)
    assert read == {"value": typed, "selection": [25, 25]}
    assert cell_kinds(page) == kinds

    # Keys typed on another control of the guarded form stay in it too.
    page.locator(".dc-inside").click()
    assert "dc-inside" in _focused_class(page)
    for key in ("b", "a", "m", "r", "d", "d"):
        page.keyboard.press(key)
    assert cell_kinds(page) == kinds, "a key on the form's button reached the notebook"
    _shot(page, editor, screenshots, "7-form-button")

    # From Python: an insertion at the caret the browser last reported, shown there.
    textarea.click()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    read = kernel_reads(page, read_cell, READ_LINE, source=f'editor.insert("{{cep}}")\n{READ}')
    typed = typed[:-1] + "{cep}?"
    assert read == {"value": typed, "selection": [len(typed) - 1] * 2}
    expect(textarea).to_have_value(typed)
    # The browser counts the emoji as two: its caret is one further than Python's.
    caret = textarea.evaluate("t => [t.selectionStart, t.selectionEnd]")
    assert caret == [len(typed), len(typed)]
    assert cell_kinds(page) == kinds
    _shot(page, editor, screenshots, "8-inserted-from-python")

    # The same keys on a button outside the form reach the notebook: the checks above can fail.
    page.locator(".dc-outside").click()
    page.keyboard.press("b")
    expect(page.locator(CELLS)).to_have_count(len(kinds) + 1)
    _shot(page, page.locator(".dc-outside"), screenshots, "9-outside-button")
