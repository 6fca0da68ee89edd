"""Inbound SMS: replies queued in the sandbox and listed by ``POST /sms/recebimento``.

Documented **[doc]**: ``data_inicio`` / ``data_fim`` as ``Y-m-d H:i:s``, ``pagina``,
``itens_por_pagina``, and ``msg`` an array of the SMS received. Each item's ``origem``,
``destino``, ``texto`` and ``data`` are the sandbox's choice **[assumed]**.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pandas as pd
import pytest

from directcall_nb.sandbox import ManualClock, Sandbox

BRAZIL = ZoneInfo("America/Sao_Paulo")
SENDER = "5541999990000"
PHONE = "5541999990001"
MORNING = {"data_inicio": "2026-03-02 08:00:00", "data_fim": "2026-03-02 12:00:00"}


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(clock=ManualClock("2026-03-02 09:00:00")) as sandbox:
        yield sandbox


def received(http: httpx.Client, token: str, **fields: str) -> dict[str, Any]:
    answer: dict[str, Any] = http.post(
        "/sms/recebimento", data={"access_token": token, **MORNING, **fields}
    ).json()
    assert answer["codigo"] == "000", answer
    return answer


def texts(answer: dict[str, Any]) -> list[str]:
    return [item["texto"] for item in answer["msg"]]


def test_a_reply_goes_to_the_number_that_wrote_and_is_listed_with_its_time(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    http.post("/sms/send", data={"access_token": token, "origem": SENDER, "destino": PHONE,
                                 "texto": "Responda SAIR para sair"})  # fmt: skip
    reply_id = sb.reply(PHONE, "SAIR")

    [item] = received(http, token)["msg"]
    assert item == {
        "id": reply_id,
        "origem": PHONE,
        "destino": SENDER,
        "texto": "SAIR",
        "data": "2026-03-02 09:00:00",
    }


def test_a_queued_reply_is_listed_once_the_clock_reaches_it(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sb.reply(PHONE, "PARE", at=datetime(2026, 3, 2, 9, 15), to=SENDER)

    assert received(http, token)["msg"] == []
    assert sb.replies()["arrived"].tolist() == [False]
    sb.clock.advance(minutes=14, seconds=59)
    assert received(http, token)["total"] == 0
    sb.clock.advance(1)
    assert texts(received(http, token)) == ["PARE"]
    [row] = sb.replies().to_dict("records")
    assert (row["origem"], row["destino"], row["arrived"]) == (PHONE, SENDER, True)
    assert row["received_at"] == pd.Timestamp("2026-03-02 09:15:00", tz=BRAZIL)


def test_replies_come_in_pages_of_itens_por_pagina(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    start = datetime(2026, 3, 2, 8, 0)
    for minute in range(7):
        sb.reply(PHONE, f"r{minute}", at=start + timedelta(minutes=minute))

    pages = [received(http, token, pagina=str(n), itens_por_pagina="3") for n in (1, 2, 3, 4)]

    assert [texts(p) for p in pages] == [["r0", "r1", "r2"], ["r3", "r4", "r5"], ["r6"], []]
    assert {(p["total"], p["paginas"], p["itens_por_pagina"]) for p in pages} == {(7, 3, 3)}
    assert [p["pagina"] for p in pages] == [1, 2, 3, 4]
    assert received(http, token)["itens_por_pagina"] == 100  # the default


def test_only_the_replies_of_the_period_are_listed_both_ends_included(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    for at, text in [
        ("2026-03-02 07:59:59", "before"),
        ("2026-03-02 08:00:00", "first second"),
        ("2026-03-02 08:30:00.250", "half past"),
        ("2026-03-02 08:59:59.900", "last second"),
        ("2026-03-02 09:00:00", "after"),
    ]:
        sb.reply(PHONE, text, at=at)

    period = {"data_inicio": "2026-03-02 08:00:00", "data_fim": "2026-03-02 08:59:59"}
    assert texts(received(http, token, **period)) == ["first second", "half past", "last second"]


def test_replies_over_http_and_in_xml(sb: Sandbox, http: httpx.Client, token: str) -> None:
    queued = http.post(
        "/_sandbox/replies", json={"phone": PHONE, "text": "Não <quero> & pronto", "to": SENDER}
    )
    old_names = http.post(
        "/_sandbox/replies",
        data={"origem": "5541999990002", "texto": "SIM", "when": "2026-03-02 08:30:00"},
    )
    assert (queued.status_code, old_names.status_code) == (200, 200)
    listed = http.get("/_sandbox/replies").json()["replies"]
    assert [(r["texto"], r["arrived"]) for r in listed] == [
        ("SIM", True),
        ("Não <quero> & pronto", True),
    ]

    answer = http.post("/sms/recebimento", data={"access_token": token, **MORNING, "format": "XML"})
    root = ET.fromstring(answer.content)
    assert root.findtext("codigo") == "000"
    items = root.findall("msg/item")
    assert [i.findtext("texto") for i in items] == ["SIM", "Não <quero> & pronto"]
    assert [i.findtext("data") for i in items] == ["2026-03-02 08:30:00", "2026-03-02 09:00:00"]
    assert root.findtext("total") == "2"


@pytest.mark.parametrize(
    "body",
    [
        {"text": "SAIR"},
        {"phone": "+55 41 99999-0001", "text": "SAIR"},
        {"phone": "²", "text": "SAIR"},
        {"phone": PHONE, "text": "SAIR", "at": "ontem"},
        {"phone": PHONE, "text": "SAIR", "at": float("nan")},
        {"phone": PHONE, "text": "SAIR", "to": "nobody"},
        {"phone": PHONE, "origem": PHONE, "text": "SAIR"},
    ],
)
def test_a_reply_that_cannot_be_queued_is_refused(
    sb: Sandbox, http: httpx.Client, body: dict[str, Any]
) -> None:
    content = json.dumps(body)  # NaN included, as JavaScript would not but Python does
    answer = http.post(
        "/_sandbox/replies", content=content, headers={"Content-Type": "application/json"}
    )

    assert answer.status_code == 400
    assert answer.json()["error"]
    assert sb.replies().empty


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"data_inicio": "02/03/2026 08:00"}, "data_inicio"),
        ({"data_fim": "2026-02-30 10:00:00"}, "data_fim"),
        ({"data_inicio": "2026-03-02 13:00:00"}, "data_inicio"),  # after data_fim
        ({"pagina": "0"}, "pagina"),
        ({"itens_por_pagina": "-3"}, "itens_por_pagina"),
        ({"itens_por_pagina": "10001"}, "itens_por_pagina"),
    ],
)
def test_unreadable_listing_fields_answer_001_naming_them(
    http: httpx.Client, token: str, fields: dict[str, str], named: str
) -> None:
    answer = http.post("/sms/recebimento", data={"access_token": token, **MORNING, **fields}).json()

    assert answer["codigo"] == "001"
    assert named in answer["msg"]
