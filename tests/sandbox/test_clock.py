"""The sandbox's clock: tokens expire and schedules fall due when a test says time has passed.

Nothing here sleeps: the sandbox's time is a `ManualClock` that stands still until moved, or
the real clock moved by an offset, over a real loopback socket.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pandas as pd
import pytest
from helpers import access_token

from directcall_nb.sandbox import ManualClock, Sandbox

BRAZIL = ZoneInfo("America/Sao_Paulo")
SENDER = "5541999990000"
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=BRAZIL)


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(clock=ManualClock(START)) as sandbox:
        yield sandbox


def send(http: httpx.Client, token: str, **fields: str) -> dict[str, Any]:
    data = {"access_token": token, "origem": SENDER, "destino": "5541999990001", "texto": "Oi"}
    answer: dict[str, Any] = http.post("/sms/send", data={**data, **fields}).json()
    return answer


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * -len(payload)))
    return decoded


def test_a_manual_clock_stands_still_until_moved() -> None:
    clock = ManualClock("2026-03-02 09:00:00")

    assert clock() == clock() == START.timestamp()
    assert clock.advance(minutes=10) == START + timedelta(minutes=10)
    assert clock.advance(timedelta(hours=1), days=1) == START + timedelta(days=1, minutes=70)
    assert clock.set("2030-01-01 00:00:00") == datetime(2030, 1, 1, tzinfo=BRAZIL)
    for wrong in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="only moves forward, by a finite time"):
            clock.advance(wrong)


def test_the_default_clock_is_the_real_one_and_an_offset_moves_it() -> None:
    sb = Sandbox()
    before = time.time()
    now = sb.clock()
    after = time.time()
    assert before <= now <= after

    sb.clock.advance(hours=2)
    assert sb.clock.offset == 7200
    assert before + 7200 <= sb.clock() <= time.time() + 7200
    sb.clock.set(START)
    assert abs(sb.clock() - START.timestamp()) < 60  # the real clock goes on from there


def test_a_token_lives_an_hour_of_sandbox_time(sb: Sandbox, http: httpx.Client) -> None:
    token = access_token(http, sb)
    issued = claims(token)
    assert (issued["iat"], issued["exp"]) == (START.timestamp(), START.timestamp() + 3600)

    sb.clock.advance(minutes=59, seconds=59)
    assert send(http, token)["codigo"] == "000"
    sb.clock.advance(1)
    expired = http.post("/sms/send", data={"access_token": token, "origem": SENDER})
    assert expired.status_code == 401
    assert expired.json()["error"] == "invalid_token"
    assert send(http, access_token(http, sb))["codigo"] == "000"


def test_token_ttl_counts_in_sandbox_time() -> None:
    with (
        Sandbox(token_ttl=600, clock=ManualClock(START)) as sb,
        httpx.Client(base_url=sb.url) as http,
    ):
        token = access_token(http, sb)
        sb.clock.advance(minutes=10)
        assert (
            http.post("/sms/status", data={"access_token": token, "code": "1"}).status_code == 401
        )


def test_a_scheduled_send_is_due_at_its_cron_in_sandbox_time(
    sb: Sandbox, http: httpx.Client
) -> None:
    token = access_token(http, sb)
    tomorrow = send(http, token, cron="03-03-2026-08-30-00")
    assert tomorrow["codigo"] == "000"
    assert sb.messages()["status"].tolist() == ["agendado"]

    sb.clock.set("2026-03-03 08:29:59")
    assert sb.messages()["status"].tolist() == ["agendado"]
    sb.clock.advance(days=2)
    [row] = sb.messages().to_dict("records")
    assert row["status"] == "entregue"
    assert row["sent_at"] == pd.Timestamp("2026-03-03 08:30:00", tz=BRAZIL)  # when it was due


def test_a_cron_is_in_the_past_by_the_sandbox_clock_not_the_real_one(
    sb: Sandbox, http: httpx.Client
) -> None:
    sb.clock.set("2040-01-01 00:00:00")
    token = access_token(http, sb)

    answer = send(http, token, cron="31-12-2039-23-59-59")

    assert answer["codigo"] == "001"
    assert "cron" in answer["msg"]


def test_the_clock_route_shows_and_moves_the_time(sb: Sandbox, http: httpx.Client) -> None:
    token = access_token(http, sb)
    shown = http.get("/_sandbox/clock").json()
    assert datetime.fromisoformat(shown["now"]) == START
    assert shown["time"] == START.timestamp()

    later = http.post("/_sandbox/clock", json={"advance": 3600})
    assert later.status_code == 200
    assert datetime.fromisoformat(later.json()["now"]) == START + timedelta(hours=1)
    assert http.post("/sms/status", data={"access_token": token, "code": "1"}).status_code == 401

    jumped = http.post("/_sandbox/clock", data={"at": "2026-12-25 14:30:00"})
    assert datetime.fromisoformat(jumped.json()["now"]) == datetime(
        2026, 12, 25, 14, 30, tzinfo=BRAZIL
    )
    for wrong in (
        {},
        {"advance": -5},
        {"advance": "nan"},
        {"at": "amanhã"},
        {"advance": 1, "at": 1},
    ):
        assert http.post("/_sandbox/clock", json=wrong).status_code == 400, wrong
    assert sb.clock.now() == datetime(2026, 12, 25, 14, 30, tzinfo=BRAZIL)


def test_replies_and_the_request_log_are_stamped_with_sandbox_time(
    sb: Sandbox, http: httpx.Client
) -> None:
    access_token(http, sb)
    sb.clock.advance(minutes=5)
    sb.add_reply("5541999990001", "SAIR")

    assert sb.requests()["time"].tolist() == [pd.Timestamp(START)]
    token = access_token(http, sb)
    listed = http.post(
        "/sms/recebimento",
        data={
            "access_token": token,
            "data_inicio": "2026-03-02 09:00:00",
            "data_fim": "2026-03-02 09:10:00",
        },
    ).json()
    assert [(m["texto"], m["data"]) for m in listed["msg"]] == [("SAIR", "2026-03-02 09:05:00")]
