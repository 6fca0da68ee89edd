"""Delivery windows end to end: nothing goes out outside them, through the sandbox over sockets.

The present is the real clock where a test can choose a window closed today whatever the hour
(every weekday but today's), and a clock the test moves (``prepare(now=)``, ``run(now=)``)
where the campaign must cross the window's end.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pandas as pd
import pytest

import directcall_nb
from directcall_nb import Journal, Sandbox
from directcall_nb.errors import OutsideWindow
from directcall_nb.estimation import estimate
from directcall_nb.i18n import explain
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options import OptionValues
from directcall_nb.plan import build_plan
from directcall_nb.report import SendReport
from directcall_nb.sandbox import ManualClock
from directcall_nb.sending import dry_run_report, prepare
from directcall_nb.windows import WEEKDAY_NAMES

SENDER = "551130600300"
TEMPLATE = "Olá {nome}, sua fatura vence amanhã."


def customers(n: int) -> pd.DataFrame:
    """Return ``n`` São Paulo mobiles, each with its own name (so each row is a request)."""
    return pd.DataFrame(
        {
            "celular": [f"(11) 9{1000_0000 + i:08d}" for i in range(n)],
            "nome": [f"Cliente {i}" for i in range(n)],
        }
    )


def brt(text: str) -> datetime:
    """Return a Brasília-time ``YYYY-MM-DD HH:MM`` as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=BRAZIL_TIME)


def every_day_but_today() -> str:
    """Return the weekdays of a window that is closed now, whatever the hour: all but today."""
    today = datetime.now(BRAZIL_TIME).weekday()
    return ", ".join(WEEKDAY_NAMES[d][0] for d in range(7) if d != today)


def tomorrow_at_eight() -> datetime:
    """Return when a window open every day but today, from 08:00, opens next."""
    tomorrow = datetime.now(BRAZIL_TIME).date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time(), BRAZIL_TIME).replace(hour=8)


def ticking(start: datetime, step: timedelta) -> Callable[[], datetime]:
    """Return a clock that reads ``start``, then ``step`` later at each read."""
    reads = itertools.count()
    lock = threading.Lock()

    def now() -> datetime:
        with lock:
            return start + next(reads) * step

    return now


def run_at(
    frame: pd.DataFrame,
    sb: Sandbox,
    journal: Journal,
    clock: Callable[[], datetime],
    **options: object,
) -> SendReport:
    """Send ``TEMPLATE`` to ``frame`` as `send` does, the present read from ``clock``."""
    values: OptionValues = {"sender": SENDER, "concurrency": 1, **options}  # type: ignore[typeddict-item]
    plan = build_plan(estimate(frame, TEMPLATE, phone="celular", **values))
    return prepare(plan, client=sb.client(), journal=journal, now=clock()).run(now=clock)


@pytest.fixture(autouse=True)
def no_session_window() -> Iterator[None]:
    """Leave the session without a default window after each test."""
    yield
    directcall_nb.options.window = None  # type: ignore[attr-defined]


def test_starting_outside_the_window_is_refused_with_nothing_sent(
    sb: Sandbox, journal: Journal
) -> None:
    with pytest.raises(OutsideWindow) as raised:
        customers(3).directcall.send(
            TEMPLATE, phone="celular", sender=SENDER, client=sb.client(), journal=journal,
            window=("08:00", "20:00"), weekdays=every_day_but_today(),
        )  # fmt: skip

    assert raised.value.next_opening == tomorrow_at_eight()
    assert sb.requests().empty  # not even a login
    assert journal.campaigns().empty
    assert journal.messages().empty
    words = explain(raised.value, "pt")
    assert words.startswith("Fora da janela de envio (08:00–20:00, ")
    assert f"A janela abre em {tomorrow_at_eight():%d/%m/%Y} 08:00" in words
    assert "schedule" not in words
    assert f"opens at {tomorrow_at_eight():%d/%m/%Y} 08:00" in str(raised.value)


def test_sunday_is_refused_under_seg_sab(sb: Sandbox, journal: Journal) -> None:
    sunday = brt("2026-12-06 10:00")
    with pytest.raises(OutsideWindow) as raised:
        run_at(customers(2), sb, journal, lambda: sunday, window=("08:00", "20:00"),
               weekdays="seg-sab")  # fmt: skip

    assert raised.value.next_opening == brt("2026-12-07 08:00")
    assert sb.requests().empty


def test_next_window_schedules_the_campaign_at_the_next_opening(
    sb: Sandbox, journal: Journal
) -> None:
    report = customers(3).directcall.send(
        TEMPLATE, phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        progress=False, window=("08:00", "20:00"), weekdays=every_day_but_today(),
        schedule="next_window",
    )  # fmt: skip

    assert report.counts == {"scheduled": 3}
    delivered = sb.messages()
    assert set(delivered["status"]) == {"agendado"}
    assert set(delivered["scheduled_for"]) == {pd.Timestamp(tomorrow_at_eight())}


def test_the_session_window_refuses_a_start_outside_and_false_ignores_it(
    sb: Sandbox, journal: Journal
) -> None:
    directcall_nb.options.window = directcall_nb.Window(weekdays=every_day_but_today())  # type: ignore[attr-defined]
    frame = customers(2)
    with pytest.raises(OutsideWindow):
        frame.directcall.send(TEMPLATE, phone="celular", sender=SENDER, client=sb.client(),
                              journal=journal)  # fmt: skip
    assert sb.requests().empty

    report = frame.directcall.send(
        TEMPLATE, phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        progress=False, window=False,
    )  # fmt: skip
    assert report.counts == {"sent": 2}


def test_a_campaign_reaching_the_window_end_stops_and_a_rerun_continues(
    sb: Sandbox, journal: Journal
) -> None:
    frame = customers(14)
    window = {"window": ("08:00", "20:00"), "weekdays": "seg-sab"}
    # Tuesday 19:55, 30 s later at each read (prepare reads first): nine requests before 20:00.
    evening = ticking(brt("2026-12-01 19:55"), timedelta(seconds=30))

    first = run_at(frame, sb, journal, evening, **window)

    assert first.counts == {"sent": 9, "not_sent": 5}
    late = first.rows["status"] == "not_sent"
    assert list(late[late].index) == list(range(9, 14))  # in order: the rest of the list
    reasons = {first.why([k], "pt")[0] for k in range(9, 14)}
    assert reasons == {"fora da janela de envio; rode de novo a partir de 02/12/2026 08:00"}
    assert "O envio parou antes do fim: fora da janela de envio" in first.notes("pt")[0]
    assert len(sb.messages()) == 9
    assert len(journal.messages()) == 9  # the rest was never claimed

    morning = ticking(brt("2026-12-02 08:00"), timedelta(seconds=30))
    second = run_at(frame, sb, journal, morning, **window)

    assert second.counts == {"already_sent": 9, "sent": 5}
    assert sb.messages()["phone"].value_counts().eq(1).all()
    assert len(sb.messages()) == 14


def test_voice_sends_carry_the_window_and_the_sandbox_keeps_calls_inside(
    journal: Journal,
) -> None:
    frame = customers(5).assign(nome="cliente")  # one text: one request of five calls
    with Sandbox(clock=ManualClock("2026-03-02 19:58:00")) as sb:  # a Monday
        sb.set_voice_calls_per_minute(1)
        report = run_at(
            frame, sb, journal, lambda: brt("2026-03-02 19:58"), channel="voice",
            window=("08:00", "20:00"),
        )  # fmt: skip
        sb.clock.set("2026-03-03 12:00:00")
        calls = sb.messages()

    assert report.counts == {"sent": 5}
    assert set(calls["enviar_de"]) == {8}
    assert set(calls["enviar_ate"]) == {19}
    hours = sorted(calls["sent_at"].dt.strftime("%d %H:%M"))
    assert hours == ["02 19:58", "02 19:59", "03 08:00", "03 08:01", "03 08:02"]


def test_an_sms_carries_no_voice_window(sb: Sandbox, journal: Journal) -> None:
    report = run_at(customers(2), sb, journal, lambda: brt("2026-12-01 10:00"),
                    window=("08:00", "20:00"))  # fmt: skip

    assert report.counts == {"sent": 2}
    assert sb.messages()["enviar_de"].isna().all()


def test_a_dry_run_says_when_the_send_would_go_out(sb: Sandbox) -> None:
    frame = customers(2)
    closed = frame.directcall.send(
        TEMPLATE, phone="celular", sender=SENDER, client=sb.client(), dry_run=True,
        window=("08:00", "20:00"), weekdays=every_day_but_today(),
    )  # fmt: skip
    opening = f"{tomorrow_at_eight():%d/%m/%Y} 08:00"

    assert closed.counts == {"dry_run": 2}
    assert f"o envio seria recusado. A janela abre em {opening}." in closed.notes("pt")[1]
    assert f"The window opens at {opening}." in closed.to_html("en")
    scheduled = frame.directcall.send(
        TEMPLATE, phone="celular", sender=SENDER, client=sb.client(), dry_run=True,
        window=("08:00", "20:00"), weekdays=every_day_but_today(), schedule="next_window",
    )  # fmt: skip
    assert scheduled.notes("pt")[1] == f"Seria agendada para {opening}."
    assert sb.requests().empty


def test_a_dry_run_inside_the_window_says_until_when() -> None:
    plan = build_plan(estimate(customers(2), TEMPLATE, phone="celular", sender=SENDER, window=True))

    report = dry_run_report(plan, now=brt("2026-12-01 10:00"))

    assert report.notes("pt")[1] == (
        "Seria enviada agora, dentro da janela de envio (08:00–20:00, seg–sáb); o que não sair "
        "até 01/12/2026 20:00 fica para a próxima abertura."
    )


def test_next_window_and_an_immediate_send_are_the_same_messages(
    sb: Sandbox, journal: Journal
) -> None:
    frame = customers(3)
    scheduled = frame.directcall.send(
        TEMPLATE, phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        progress=False, window=("08:00", "20:00"), weekdays=every_day_but_today(),
        schedule="next_window",
    )  # fmt: skip
    assert scheduled.counts == {"scheduled": 3}

    again = frame.directcall.send(
        TEMPLATE, phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        progress=False,
    )  # fmt: skip

    assert again.counts == {"already_sent": 3}  # once the window opened: not sent twice
    assert len(sb.messages()) == 3
