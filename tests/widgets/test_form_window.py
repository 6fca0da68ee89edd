"""The compose form's delivery window, driven headless: on by default, checked as it is typed.

Sends go to a real `Sandbox` over loopback sockets. A window closed now whatever the hour is one
open every day but today.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

import directcall_nb
from directcall_nb import Sandbox, Window
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.widgets import ComposeForm
from directcall_nb.windows import WEEKDAY_NAMES

SENDER = "551130600300"
TEXT = "Olá {nome}, sua fatura vence amanhã."


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nome": ["Ana Souza", "Bruno Lima", "Carla Dias"],
            "celular": ["(11) 91234-5678", "+55 21 98765-4321", "(31) 99709-3471"],
        }
    )


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(autouse=True)
def no_session_window() -> Iterator[None]:
    yield
    directcall_nb.options.window = None  # type: ignore[attr-defined]


def visible_text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def form_for(frame: pd.DataFrame, sb: Sandbox, tmp_path: Path, **kwargs: object) -> ComposeForm:
    form: ComposeForm = frame.directcall.compose(
        sender=SENDER, client=sb.client(), journal=tmp_path / "journal.sqlite3", **kwargs
    )
    form.text.value = TEXT
    return form


def every_day_but_today() -> str:
    today = datetime.now(BRAZIL_TIME).weekday()
    return ", ".join(WEEKDAY_NAMES[d][0] for d in range(7) if d != today)


def tomorrow() -> date:
    return datetime.now(BRAZIL_TIME).date() + timedelta(days=1)


def test_the_window_is_on_by_default_from_eight_to_eight_monday_to_saturday(
    customers: pd.DataFrame, sandbox: Sandbox, tmp_path: Path
) -> None:
    form = form_for(customers, sandbox, tmp_path)

    assert form.window_on.value is True
    assert (form.window_start.value, form.window_end.value) == ("08:00", "20:00")
    assert form.window_days.label == "seg a sáb"
    assert form.estimate is not None
    assert form.estimate.options.window == Window("08:00", "20:00", weekdays="seg-sab")
    form.window_on.value = False
    assert form.estimate.options.window is None


def test_a_schedule_outside_the_window_is_a_problem_beside_the_schedule(
    customers: pd.DataFrame, sandbox: Sandbox, tmp_path: Path
) -> None:
    form = form_for(customers, sandbox, tmp_path)
    sunday = tomorrow() + timedelta(days=7)
    sunday += timedelta(days=6 - sunday.weekday())
    form.schedule_date.value, form.schedule_time.value = f"{sunday:%d/%m/%Y}", "10:00"

    monday = sunday + timedelta(days=1)
    assert form.problems["schedule"] == (
        f"O agendamento {sunday:%d/%m/%Y} 10:00 fica fora da janela de envio (08:00–20:00, "
        f"seg–sáb, horário de Brasília): escolha um horário dentro dela, por exemplo "
        f"{monday:%d/%m/%Y} 08:00."
    )
    assert form.send_button.disabled
    assert form.simulate_button.disabled
    form.schedule_time.value = "21:00"
    form.schedule_date.value = f"{monday:%d/%m/%Y}"
    assert "fora da janela de envio" in form.problems["schedule"]
    form.schedule_time.value = "14:30"
    assert "schedule" not in form.problems
    form.send_button.click()
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert set(sandbox.messages()["scheduled_for"].dt.strftime("%d/%m/%Y %H:%M")) == {
        f"{monday:%d/%m/%Y} 14:30"
    }


def test_a_window_that_cannot_be_read_is_explained_beside_it(
    customers: pd.DataFrame, sandbox: Sandbox, tmp_path: Path
) -> None:
    form = form_for(customers, sandbox, tmp_path)
    form.window_end.value = "07:00"
    assert form.problems["window"] == (
        "A janela de envio precisa terminar depois de começar, no mesmo dia (por exemplo, das "
        "08:00 às 20:00)."
    )
    assert form.send_button.disabled
    form.window_end.value = "25h"
    assert form.problems["window"].startswith("O horário '25h' da janela de envio não é uma hora")
    form.window_on.value = False
    assert form.problems == {}
    assert not form.send_button.disabled


def test_starting_outside_the_window_says_the_next_opening_and_sends_nothing(
    customers: pd.DataFrame, sandbox: Sandbox, tmp_path: Path
) -> None:
    form = form_for(customers, sandbox, tmp_path, window=Window(weekdays=every_day_but_today()))
    opening = f"{tomorrow():%d/%m/%Y} 08:00"

    form.simulate_button.click()
    assert f"o envio seria recusado. A janela abre em {opening}." in visible_text(form.output.value)
    form.send_button.click()
    shown = visible_text(form.output.value)
    assert "Fora da janela de envio (08:00–20:00," in shown
    assert f"A janela abre em {opening}" in shown
    assert form.confirm_box.layout.display == "none"
    assert sandbox.requests().empty


def test_the_form_starts_with_the_session_window(
    customers: pd.DataFrame, sandbox: Sandbox, tmp_path: Path
) -> None:
    directcall_nb.options.window = Window("09:00", "18:00", weekdays="seg, qua")  # type: ignore[attr-defined]
    form = form_for(customers, sandbox, tmp_path)

    assert (form.window_start.value, form.window_end.value) == ("09:00", "18:00")
    assert form.window_days.label == "seg, qua"
    assert form.estimate is not None
    assert form.estimate.options.window == Window("09:00", "18:00", weekdays="seg, qua")
