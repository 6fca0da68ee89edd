"""The compose form counts the rows that opted out, and never sends to them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from directcall_nb import Journal
from directcall_nb.sandbox import Sandbox
from directcall_nb.widgets import ComposeForm

SENDER = "551130600300"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "celular": [f"(11) 9{1000_0000 + i:08d}" for i in range(6)],
            "nome": [f"Cliente {i}" for i in range(6)],
        }
    )


def figures(form: ComposeForm) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", form.figures.value)).split())


def test_the_form_counts_the_opted_out_and_sends_to_none_of_them(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        journal.suppress(["(11) 91000-0001", "(11) 91000-0004"], reason="SAIR", source="reply")
    form: ComposeForm = customers().directcall.compose(  # sends at any hour: no window
        sender=SENDER, journal=path, client=sandbox.client(), window=False
    )
    form.text.value = "Olá {nome}!"
    assert "Destinatários 4" in figures(form)
    assert "Excluídos (opt-out) 2" in figures(form)

    with Journal(path) as journal:  # a reply synced while the form is open
        journal.suppress(["(11) 91000-0002"], reason="PARE", source="reply", reply_text="Pare.")
    form.send_button.click()
    assert form.confirm_text.value.startswith("Confirmar envio de 3 SMS")
    assert "Excluídos (opt-out) 3" in figures(form)
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert sorted(sandbox.messages()["phone"]) == [
        "5511910000000",
        "5511910000003",
        "5511910000005",
    ]
    assert form.report is not None
    assert form.report.counts == {"sent": 3, "opted_out": 3}
    assert "respondeu 'Pare.' em " in html.unescape(form.output.value)


def test_in_english_the_count_is_named_too(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        journal.suppress(["(11) 91000-0003"], reason="lista Não Me Ligue", source="import")
    form: ComposeForm = customers().directcall.compose(
        sender=SENDER, journal=path, language="en", text="Hi {nome}"
    )
    assert "Opted out 1" in figures(form)
    assert form.estimate is not None
    assert form.estimate.opted_out == 1
