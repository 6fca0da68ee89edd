"""Delivery windows of voice batches (``enviar_de`` / ``enviar_ate``), by the sandbox's clock.

DirectCall documents that a voice batch is delivered only within its daily window, continuing
on later days. The hours are Brazil time, both included; calls go out at the sandbox's rate
of calls (all at once unless one is set) **[assumed]**.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pandas as pd
import pytest
from helpers import access_token

from directcall_nb.sandbox import ManualClock, Sandbox
from directcall_nb.sandbox._schema import SCHEMA
from directcall_nb.sandbox._windows import call_times, is_open, next_opening, open_until

BRAZIL = ZoneInfo("America/Sao_Paulo")
SENDER = "5541999990000"
PHONES = [f"554199999000{n}" for n in range(1, 4)]


def at(text: str) -> float:
    """Return a Brazil-time ``YYYY-MM-DD HH:MM:SS`` as a POSIX time."""
    return datetime.fromisoformat(text).replace(tzinfo=BRAZIL).timestamp()


def stamp(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=BRAZIL)


# -- the windows themselves -----------------------------------------------------------------------


def test_a_window_includes_both_of_its_hours_and_may_run_past_midnight() -> None:
    assert not is_open((8, 18), at("2026-03-02 07:59:59"))
    assert is_open((8, 18), at("2026-03-02 08:00:00"))
    assert is_open((8, 18), at("2026-03-02 18:59:59"))
    assert not is_open((8, 18), at("2026-03-02 19:00:00"))
    night = (22, 5)
    assert is_open(night, at("2026-03-02 23:30:00"))
    assert is_open(night, at("2026-03-03 05:59:59"))
    assert not is_open(night, at("2026-03-02 12:00:00"))
    assert next_opening(night, at("2026-03-02 12:00:00")) == at("2026-03-02 22:00:00")
    assert open_until(night, at("2026-03-02 23:30:00")) == at("2026-03-03 06:00:00")
    assert open_until((0, 23), at("2026-03-02 23:30:00")) == float("inf")


def test_calls_at_a_rate_fill_the_window_and_the_rest_waits_for_the_next_day() -> None:
    times = call_times(at("2026-03-02 18:30:00"), 90, (18, 18), calls_per_minute=1)

    assert times[:2] == [at("2026-03-02 18:30:00"), at("2026-03-02 18:31:00")]
    assert times[29] == at("2026-03-02 18:59:00")
    assert times[30] == at("2026-03-03 18:00:00")
    assert times[-1] == at("2026-03-03 18:59:00")
    assert (
        call_times(at("2026-03-02 03:00:00"), 3, (8, 18), None) == [at("2026-03-02 08:00:00")] * 3
    )
    assert call_times(at("2026-03-02 03:00:00"), 2, None, 2) == [
        at("2026-03-02 03:00:00"),
        at("2026-03-02 03:00:30"),
    ]


# -- over HTTP ------------------------------------------------------------------------------------


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(clock=ManualClock("2026-03-02 06:00:00")) as sandbox:
        yield sandbox


def send(http: httpx.Client, sb: Sandbox, **fields: str) -> dict[str, Any]:
    data = {"access_token": access_token(http, sb), "origem": SENDER, "destino": ";".join(PHONES),
            "texto": "Sua consulta é amanhã", "tipo": "voz"}  # fmt: skip
    answer: dict[str, Any] = http.post("/sms/send", data={**data, **fields}).json()
    assert answer["codigo"] == "000", answer
    return answer


def statuses(http: httpx.Client, sb: Sandbox, callerid: str) -> list[str]:
    answer = http.get(
        "/sms/status", params={"access_token": access_token(http, sb), "code": callerid}
    ).json()
    return [d["status"] for d in answer["detalhe"]]


def test_a_voice_batch_sent_before_its_window_waits_for_it(sb: Sandbox, http: httpx.Client) -> None:
    callerid = send(http, sb, enviar_de="8", enviar_ate="18")["callerid"]

    assert statuses(http, sb, callerid) == ["agendado"] * 3
    sb.clock.set("2026-03-02 07:59:59")
    assert statuses(http, sb, callerid) == ["agendado"] * 3
    sb.clock.advance(1)
    assert statuses(http, sb, callerid) == ["entregue"] * 3
    assert set(sb.messages()["sent_at"]) == {stamp("2026-03-02 08:00:00")}
    assert sb.balance == 10_000 - 3  # billed when sent, as any send


def test_a_voice_batch_inside_its_window_and_an_sms_with_one_go_at_once(
    sb: Sandbox, http: httpx.Client
) -> None:
    voice = send(http, sb, enviar_de="5", enviar_ate="7")["callerid"]
    sms = send(http, sb, tipo="texto", enviar_de="8", enviar_ate="18")["callerid"]

    assert statuses(http, sb, voice) == statuses(http, sb, sms) == ["entregue"] * 3
    assert set(sb.messages()["sent_at"]) == {stamp("2026-03-02 06:00:00")}


def test_one_bound_alone_runs_to_the_end_or_from_the_start_of_the_day(
    sb: Sandbox, http: httpx.Client
) -> None:
    evening = send(http, sb, enviar_de="20")["callerid"]
    early = send(http, sb, enviar_ate="5")["callerid"]

    sb.clock.set("2026-03-02 19:59:59")
    assert statuses(http, sb, evening) == statuses(http, sb, early) == ["agendado"] * 3
    sb.clock.advance(1)
    assert statuses(http, sb, evening) == ["entregue"] * 3
    assert statuses(http, sb, early) == ["agendado"] * 3  # 00:00 to 05:59, tomorrow
    sb.clock.set("2026-03-03 00:00:00")
    assert statuses(http, sb, early) == ["entregue"] * 3


def test_at_a_rate_of_calls_a_batch_continues_on_the_next_day(
    sb: Sandbox, http: httpx.Client
) -> None:
    sb.set_voice_calls_per_minute(1)
    sb.clock.set("2026-03-02 18:58:00")
    callerid = send(http, sb, enviar_de="18", enviar_ate="18")["callerid"]

    assert statuses(http, sb, callerid) == ["entregue", "agendado", "agendado"]
    sb.clock.advance(minutes=1)
    assert statuses(http, sb, callerid) == ["entregue", "entregue", "agendado"]
    removed = http.post(
        "/sms/remove", data={"access_token": access_token(http, sb), "code": callerid}
    ).json()
    assert removed["codigo"] == "010"  # the batch has begun
    sb.clock.set("2026-03-03 17:59:59")
    assert statuses(http, sb, callerid) == ["entregue", "entregue", "agendado"]
    sb.clock.advance(1)
    assert statuses(http, sb, callerid) == ["entregue"] * 3
    assert sb.messages()["sent_at"].tolist() == [
        stamp("2026-03-02 18:58:00"),
        stamp("2026-03-02 18:59:00"),
        stamp("2026-03-03 18:00:00"),
    ]


def test_a_scheduled_voice_batch_starts_at_the_first_open_moment_after_its_cron(
    sb: Sandbox, http: httpx.Client
) -> None:
    callerid = send(http, sb, cron="02-03-2026-21-30-00", enviar_de="8", enviar_ate="20")[
        "callerid"
    ]

    sb.clock.set("2026-03-03 07:59:59")
    assert statuses(http, sb, callerid) == ["agendado"] * 3
    sb.clock.advance(1)
    assert statuses(http, sb, callerid) == ["entregue"] * 3
    [scheduled] = set(sb.messages()["scheduled_for"])
    assert scheduled == stamp("2026-03-02 21:30:00")
    assert set(sb.messages()["sent_at"]) == {stamp("2026-03-03 08:00:00")}


def test_a_batch_waiting_for_its_window_can_be_cancelled_and_is_refunded(
    sb: Sandbox, http: httpx.Client
) -> None:
    callerid = send(http, sb, enviar_de="9")["callerid"]

    removed = http.post(
        "/sms/remove", data={"access_token": access_token(http, sb), "code": callerid}
    ).json()
    sb.clock.set("2026-03-02 10:00:00")

    assert removed["codigo"] == "000"
    assert statuses(http, sb, callerid) == ["cancelado"] * 3
    assert sb.balance == 10_000


def test_the_statement_lists_each_call_when_it_was_placed(sb: Sandbox, http: httpx.Client) -> None:
    sb.set_voice_calls_per_minute(2)
    send(http, sb, enviar_de="7")
    sb.clock.set("2026-03-02 07:01:00")

    answer = http.post(
        "/extrato/list",
        data={"access_token": access_token(http, sb), "dataInicial": "20260302000000",
              "dataFinal": "20260302235959"},
    ).json()  # fmt: skip

    assert [e["data"] for e in answer["msg"]] == [
        "2026-03-02 07:00:00",
        "2026-03-02 07:00:30",
        "2026-03-02 07:01:00",
    ]


def test_the_rate_of_calls_over_http(sb: Sandbox, http: httpx.Client) -> None:
    assert http.get("/_sandbox/voice").json() == {"calls_per_minute": None}
    assert http.post("/_sandbox/voice", json={"calls_per_minute": 30}).status_code == 200
    assert sb.voice_calls_per_minute == 30
    for wrong in ({}, {"calls_per_minute": 0}, {"calls_per_minute": "muitas"}):
        assert http.post("/_sandbox/voice", json=wrong).status_code == 400
    assert http.post("/_sandbox/voice", json={"calls_per_minute": None}).json() == {
        "calls_per_minute": None
    }


@pytest.mark.parametrize(
    ("fields", "named"),
    [({"enviar_de": "24"}, "enviar_de"), ({"enviar_ate": "-1"}, "enviar_ate"),
     ({"enviar_de": "²"}, "enviar_de"), ({"enviar_ate": "8h"}, "enviar_ate"),
     ({"enviar_de": "8", "cron": "31-12-9999-23-00-00"}, "enviar_de")],
)  # fmt: skip
def test_hours_outside_0_to_23_and_windows_past_the_year_9999_are_refused(
    sb: Sandbox, http: httpx.Client, fields: dict[str, str], named: str
) -> None:
    data = {"access_token": access_token(http, sb), "origem": SENDER, "destino": PHONES[0],
            "texto": "Oi", "tipo": "voz", **fields}  # fmt: skip
    answer = http.post("/sms/send", data=data).json()

    assert answer["codigo"] == "001"
    assert named in answer["msg"]
    assert sb.messages().empty


def test_a_database_file_from_before_windows_still_delivers_its_scheduled_sends(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    before = SCHEMA.replace(",\n    due_at REAL", "")
    old.executescript(before.replace(",\n    attempts INTEGER NOT NULL DEFAULT 3", ""))
    old.execute(
        "INSERT INTO sends VALUES ('100', ?, 'sms', 'Oi', ?, 0, 0, 0, 1, 1, ?, NULL, NULL, "
        "'agendado')",
        (at("2026-03-01 10:00:00"), SENDER, at("2026-03-02 12:00:00")),
    )
    old.execute("INSERT INTO messages VALUES (101, '100', ?, 'agendado', NULL)", (PHONES[0],))
    old.commit()
    old.close()

    reopened = Sandbox(database=path, clock=ManualClock("2026-03-02 11:59:59"))
    assert reopened.messages()["status"].tolist() == ["agendado"]
    reopened.clock.advance(1)
    [row] = reopened.messages().to_dict("records")
    assert (row["status"], row["sent_at"]) == ("entregue", stamp("2026-03-02 12:00:00"))
