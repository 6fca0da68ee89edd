"""What both browser tests do to a notebook in JupyterLab: write it, read its cells, run one."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
from playwright.sync_api import Locator, Page, ViewportSize

#: How long opening the notebook (JupyterLab, the kernel, the widgets) may take, in ms.
OPEN_TIMEOUT = 120_000
#: How long one step (a keystroke's effect, a cell run) may take, in ms.
STEP_TIMEOUT = 60_000
#: A laptop's window: JupyterLab's side bar open, the notebook about 950 px wide.
WINDOW: ViewportSize = {"width": 1280, "height": 900}
#: The cells of the notebook shown.
CELLS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell"


def write_notebook(path: Path, title: str, *sources: str) -> None:
    """Write a notebook: a markdown ``title``, a code cell per source, then a closing "Fim."."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# {title}"),
        *(nbformat.v4.new_code_cell(source) for source in sources),
        nbformat.v4.new_markdown_cell("Fim."),
    ]
    nbformat.write(notebook, path)


def cell_kinds(page: Page) -> list[str]:
    """Return the kind of each cell shown, in order: code, markdown or raw."""
    kinds: list[str] = page.locator(CELLS).evaluate_all(
        """cells => cells.map(c => c.classList.contains('jp-CodeCell') ? 'code'
            : c.classList.contains('jp-MarkdownCell') ? 'markdown'
            : c.classList.contains('jp-RawCell') ? 'raw' : c.className)"""
    )
    return kinds


def answer_dialogs(page: Page) -> None:
    """Accept (or close) the dialogs JupyterLab shows, such as the kernel's choice."""
    for dialog in page.locator(".jp-Dialog").all():
        accept = dialog.locator(".jp-Dialog-button.jp-mod-accept")
        if accept.count():
            accept.first.click()
        else:
            page.keyboard.press("Escape")


def prompt(cell: Locator) -> str:
    """Return a code cell's prompt: ``[3]:``, ``[*]:`` or ``[ ]:``."""
    return cell.locator(".jp-InputPrompt").inner_text().strip()


def kernel_reads(
    page: Page, cell: Locator, read_line: re.Pattern[str], source: str = ""
) -> dict[str, Any]:
    """Run the read-back cell (click in it, Ctrl+Enter) and return the JSON the kernel printed.

    ``read_line`` finds the printed line, its JSON as group 1. ``source``, when given, is
    typed as the cell's whole source first (the cell's code is not what is tested).
    """
    before = prompt(cell)
    cell.locator(".jp-InputArea-editor .cm-content").click()
    if source:
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(source)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "([el, before]) => { const p = el.querySelector('.jp-InputPrompt').textContent.trim();"
        " return /\\[\\d+\\]/.test(p) && p !== before; }",
        arg=[cell.element_handle(), before],
        timeout=STEP_TIMEOUT,
    )
    found = read_line.search(cell.locator(".jp-OutputArea").inner_text())
    assert found is not None, cell.locator(".jp-OutputArea").inner_text()
    read: dict[str, Any] = json.loads(found.group(1))
    return read
