"""The tutorials, executed for real in a Jupyter kernel, as a reader would run them."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def _run(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": path.parent}}
    ).execute()
    return notebook


def _outputs(notebook: nbformat.NotebookNode) -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            for value in output.get("data", {}).values():
                texts.append(value if isinstance(value, str) else str(value))
    return "\n".join(texts)


def test_there_are_tutorials() -> None:
    assert [p.name for p in NOTEBOOKS][:1] == ["01_validate_and_estimate.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tutorial_runs_without_errors(path: Path) -> None:
    notebook = _run(path)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    expected = notebook.metadata.get("directcall_nb", {}).get("expect_in_outputs", [])
    shown = _outputs(notebook)
    missing = [text for text in expected if text not in shown]
    assert missing == []
