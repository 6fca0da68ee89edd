"""The tutorials, executed for real in a Jupyter kernel, as a reader would run them.

Each notebook is executed once (the tests below read the same run) with ``DIRECTCALL_*``
pointing at a server that does not exist: a tutorial starts its own sandbox and never depends
on what the environment names. The committed files themselves are checked too: they hold no
outputs, so no phone number and no widget state.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
BRAZIL = ZoneInfo("America/Sao_Paulo")

#: A server that is not there: a tutorial that used it would fail.
NO_SERVER = {
    "DIRECTCALL_BASE_URL": "http://127.0.0.1:9",
    "DIRECTCALL_CLIENT_ID": "not-a-sandbox@example.invalid",
    "DIRECTCALL_CLIENT_SECRET": "not-a-secret",
}
#: A phone number in DirectCall's format (55, DDD, 8 or 9 digits), whole.
WHOLE_NUMBER = re.compile(r"(?<!\d)55\d{10,11}(?!\d)")
#: A number as customers type it, whole: 91234-5678, (11) 4349-5955.
TYPED_NUMBER = re.compile(r"(?<!\d)\d{4,5}-\d{4}(?!\d)")


@functools.cache
def _executed(path: Path) -> tuple[nbformat.NotebookNode, datetime, datetime]:
    """Run the notebook; return it and the moments (Brazil time) the run began and ended."""
    notebook = nbformat.read(path, as_version=4)
    began = datetime.now(BRAZIL).replace(microsecond=0)
    with pytest.MonkeyPatch.context() as env:
        for name, value in NO_SERVER.items():
            env.setenv(name, value)
        NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": path.parent}},
        ).execute()
    return notebook, began, datetime.now(BRAZIL)


def _texts(cell: nbformat.NotebookNode) -> list[str]:
    """Every text a cell's outputs show: streams, and each representation of each result."""
    texts = []
    for output in cell.get("outputs", []):
        texts.append(output.get("text", ""))
        for value in output.get("data", {}).values():
            texts.append(value if isinstance(value, str) else json.dumps(value))
    return texts


def _outputs(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(text for cell in notebook.cells for text in _texts(cell))


def _tagged(notebook: nbformat.NotebookNode, tag: str) -> nbformat.NotebookNode:
    cells: list[nbformat.NotebookNode] = [
        c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])
    ]
    (cell,) = cells
    return cell


def _by_name(name: str) -> Path:
    (path,) = [p for p in NOTEBOOKS if p.name == name]
    return path


def test_there_are_tutorials() -> None:
    assert [p.name for p in NOTEBOOKS][:1] == ["01_validate_and_estimate.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tutorial_runs_without_errors(path: Path) -> None:
    notebook, _, _ = _executed(path)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    expected = notebook.metadata.get("directcall_nb", {}).get("expect_in_outputs", [])
    shown = _outputs(notebook)
    missing = [text for text in expected if text not in shown]
    assert missing == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tutorial_outputs_show_phone_numbers_masked(path: Path) -> None:
    notebook, _, _ = _executed(path)
    found = []
    for number, cell in enumerate(notebook.cells):
        for text in _texts(cell):
            found += [(number, n) for n in WHOLE_NUMBER.findall(text) + TYPED_NUMBER.findall(text)]
    assert found == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tutorial_outputs_write_money_as_a_brazilian_reads_it(path: Path) -> None:
    shown = _outputs(_executed(path)[0])

    assert re.findall(r"(?:Spent|Gasto:?|Would cost|Custaria) —", shown) == []
    assert re.findall(r"R\$ ?\d+\.\d\d(?!\d)|\bcost \d+\.\d+", shown) == []


def test_each_draft_shows_its_own_cost_with_a_decimal_comma() -> None:
    notebook, _, _ = _executed(_by_name("01_validate_and_estimate.ipynb"))
    cell = _tagged(notebook, "many-drafts")
    (table,) = [o["data"]["text/plain"] for o in cell.outputs if "data" in o]

    costs = re.findall(r"R\$ \d{1,3}(?:\.\d{3})*,\d\d", table)
    assert len(costs) >= 2, table
    assert len(set(costs)) == len(costs), table


def test_the_history_is_shown_in_brazil_time_to_the_second() -> None:
    notebook, began, ended = _executed(_by_name("03_reliable_campaigns.ipynb"))
    shown = "\n".join(_texts(_tagged(notebook, "history")))

    assert "+00:00" not in shown
    assert re.findall(r"\d\d:\d\d:\d\d[.,]\d", shown) == []
    moments = {
        datetime.strptime(m, "%d/%m/%Y %H:%M:%S").replace(tzinfo=BRAZIL)
        for m in re.findall(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", shown)
    }
    assert moments
    # The requests were made while the notebook ran: in Brazil time, within the run.
    assert all(began <= m <= ended + timedelta(seconds=1) for m in moments), (moments, began)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_tutorial_holds_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    run = [
        number
        for number, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert run == [], (
        f"cells {run} of {path.name} keep outputs: clear them before committing, e.g. with "
        f"jupyter nbconvert --clear-output --inplace notebooks/{path.name}"
    )
    assert "widgets" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_tutorial_holds_no_phone_number(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    for cell in document["cells"]:
        cell.pop("source")  # the code itself names the sender's number, 551130600300
    stored = json.dumps(document, ensure_ascii=False)

    assert WHOLE_NUMBER.findall(stored) == []


def test_the_opt_outs_replied_are_not_messaged_again() -> None:
    notebook, _, _ = _executed(_by_name("05_replies_and_opt_outs.ipynb"))
    replies = "\n".join(_texts(_tagged(notebook, "replies")))
    assert "pediu para sair" in replies
    assert replies.count(">sim<") == 3  # SAIR, "Pare." and "não quero mais"; not "Obrigado"
    offer = "\n".join(_texts(_tagged(notebook, "opt-outs-honoured")))
    assert "excluídas (opt-out)" in offer
    assert "respondeu &#x27;SAIR&#x27; em" in offer
    assert "mensagens da oferta a quem pediu para sair: 0" in offer
