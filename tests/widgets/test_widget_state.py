"""A notebook saved with its widget state keeps neither the client secret nor the access token.

JupyterLab can save every widget's state into the ``.ipynb``. The test runs a notebook in a real
kernel, as an analyst would: credentials from the environment, a sandbox, the compose form
filled in and sent, ``%directcall status``, the client and the sandbox shown as cell values.
It saves the notebook with the widget state, then searches the file's bytes for the secrets and
the tokens that the kernel really used (the kernel writes them to a side file the test reads;
they never enter the notebook).
"""

from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SIDE_FILE_VARIABLE = "DIRECTCALL_NB_TEST_SIDE_FILE"

CELLS = [
    """\
import json
import os
from pathlib import Path

import pandas as pd

import directcall_nb
from directcall_nb import DirectCall
from directcall_nb.sandbox import Sandbox

%load_ext directcall_nb""",
    # An account whose credentials come from the environment, as a real one would.
    """\
sb = Sandbox(
    client_id=os.environ["DIRECTCALL_CLIENT_ID"],
    client_secret=os.environ["DIRECTCALL_CLIENT_SECRET"],
).start()
client = DirectCall(base_url=sb.url)
directcall_nb.use_client(client)
print(client)
sb""",
    """\
clientes = pd.DataFrame(
    {
        "nome": ["Ana Souza", "Bruno Lima", "Carla Dias", "Davi Reis"],
        "celular": ["(11) 91234-5678", "+55 21 98765-4321", "(31) 99709-3471", "(11) 3456-7890"],
    }
)
form = clientes.directcall.compose(sender="551130600300", client=client, window=False)
form""",
    """\
form.price.value = "0,08"
form.text.value = "Olá {nome}, sua fatura vence amanhã."
form.simulate_button.click()
form.send_button.click()
form.confirm_button.click()
assert form.wait(120), "the send did not finish"
form.report""",
    "%directcall status",
    # The magic's own sandbox and client, sent through by a second form.
    "%directcall sandbox",
    """\
form2 = clientes.directcall.compose(sender="551130600300", text="Oi {nome}.", window=False)
form2.send_button.click()
form2.confirm_button.click()
assert form2.wait(120), "the second send did not finish"
form2""",
    "%directcall status",
    "%directcall messages",
    # What the test searches the file for: written to a side file, never shown in the notebook.
    """\
from directcall_nb.sending import default_client
from directcall_nb.magics import running_sandbox

magic_sandbox, magic_client = running_sandbox(), default_client()
side = {
    "secrets": [sb.client_secret, magic_sandbox.client_secret],
    "tokens": [c._tokens._token.value.reveal() for c in (client, magic_client)],
    "delivered": [len(sb.messages()), len(magic_sandbox.messages())],
}
Path(os.environ["DIRECTCALL_NB_TEST_SIDE_FILE"]).write_text(json.dumps(side))
print("side file written")""",
]


def _classed_states(notebook: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """Return the saved states of the widgets that carry a ``dc-`` CSS class, by class."""
    state = notebook.metadata["widgets"][WIDGET_STATE]["state"]
    return [
        model["state"]
        for model in state.values()
        if any(str(c).startswith("dc-") for c in model["state"].get("_dom_classes", []))
    ]


def _spellings(value: str) -> list[bytes]:
    """Return the ways a string could sit in a JSON file: as is, escaped, in base64."""
    return [
        value.encode(),
        json.dumps(value).encode(),
        json.dumps(value, ensure_ascii=False).encode(),
        base64.b64encode(value.encode()),
        base64.urlsafe_b64encode(value.encode()).rstrip(b"="),
    ]


@pytest.fixture
def saved_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, Any]]:
    """Run the notebook in a kernel and save it with its widget state; return it and the side."""
    side_file = tmp_path / "side.json"
    monkeypatch.setenv("DIRECTCALL_CLIENT_ID", "analista@empresa.com.br")
    monkeypatch.setenv("DIRECTCALL_CLIENT_SECRET", "s3cr3t-" + secrets.token_urlsafe(24))
    monkeypatch.setenv(SIDE_FILE_VARIABLE, str(side_file))
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    path = tmp_path / "campanha.ipynb"
    nbformat.write(notebook, path)
    return path, json.loads(side_file.read_text())


def test_saved_widget_state_holds_no_secret_and_no_token(
    saved_notebook: tuple[Path, dict[str, Any]],
) -> None:
    path, side = saved_notebook
    saved = path.read_bytes()
    notebook = nbformat.reads(saved.decode("utf-8"), as_version=4)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    # The kernel really used its credentials: both accounts delivered, both held a token.
    assert side["delivered"][0] == 3
    assert side["delivered"][1] == 3
    assert len(side["secrets"]) == 2
    assert all(len(s) >= 16 for s in side["secrets"])
    assert len(side["tokens"]) == 2
    assert all(len(t) >= 16 for t in side["tokens"])
    # The file does hold the widget state, down to the forms' answers after the sends.
    state = notebook.metadata["widgets"][WIDGET_STATE]["state"]
    assert len(state) > 20
    classed = _classed_states(notebook)
    outputs = [s for s in classed if "dc-output" in s["_dom_classes"]]
    assert len(outputs) == 2
    assert all("<table" in s["value"] for s in outputs)
    assert any("dc-compose" in s["_dom_classes"] for s in classed)
    print(f"saved {path} ({len(saved)} bytes, {len(state)} widget models)")
    for kind in ("secrets", "tokens"):
        for n, value in enumerate(side[kind]):
            leaked = sum(spelling in saved for spelling in _spellings(value))
            assert leaked == 0, f"{kind}[{n}] is in the saved notebook (not shown here)"
