"""The sandbox over real loopback sockets, spoken to with plain httpx as any client would.

Expected values come from DirectCall's rules (10 numbers in ``destino``, 700 characters, 140 per
billed part, the code table), never from the sandbox's own output.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pandas as pd
import pytest
from helpers import access_token

from directcall_nb.sandbox import Faults, ManualClock, Sandbox

BRAZIL = ZoneInfo("America/Sao_Paulo")
SENDER = "5541999990000"
SUCCESS_PREFIX = "001 - Mensagem enviada com sucessso - CALLER-ID: "


def phones(count: int, start: int = 1) -> list[str]:
    """``count`` distinct Brazilian mobile numbers in DirectCall's digit format."""
    return [f"55419{n:08d}" for n in range(start, start + count)]


def send(http: httpx.Client, token: str, **fields: Any) -> httpx.Response:
    """POST /sms/send as a form, with a sender and a text unless given."""
    files = fields.pop("files", None)
    data = {"access_token": token, "origem": SENDER, "texto": "Olá!", **fields}
    return http.post("/sms/send", data=data, files=files)


def cron_in(sb: Sandbox, seconds: float) -> str:
    """Return a ``cron`` value ``seconds`` after the sandbox's now (Brazil time, whole seconds)."""
    return (sb.clock.now() + timedelta(seconds=seconds)).strftime("%d-%m-%Y-%H-%M-%S")


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    # The sandbox's time stands still unless a test moves it.
    with Sandbox(balance=10_000, clock=ManualClock("2026-03-02 09:00:00")) as sandbox:
        yield sandbox


# -- sending ------------------------------------------------------------------------------------


def test_a_send_to_one_number_has_the_documented_answer_and_is_delivered(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    answer = send(http, token, destino="5541999990001", texto="Olá, tudo bem?")
    body = answer.json()

    assert answer.status_code == 200
    assert list(body)[:5] == ["api", "modulo", "status", "codigo", "msg"]
    assert (body["api"], body["modulo"], body["status"], body["codigo"]) == (
        "sms",
        "enviar",
        "ok",
        "000",
    )
    callerid = body["callerid"]
    assert isinstance(callerid, str)
    assert callerid.isdigit()
    assert body["msg"] == SUCCESS_PREFIX + callerid
    assert body["destino"] == ["5541999990001"]
    [detail] = body["detalhe"]
    assert detail["destino"] == "5541999990001"
    assert isinstance(detail["id_mensagem"], int)

    [row] = sb.messages().to_dict("records")
    assert row["phone"] == "5541999990001"
    assert row["text"] == "Olá, tudo bem?"
    assert row["channel"] == "sms"
    assert row["callerid"] == callerid
    assert row["id_mensagem"] == detail["id_mensagem"]
    assert row["status"] == "entregue"
    assert row["segments"] == 1
    assert row["sender"] == SENDER
    assert pd.isna(row["scheduled_for"])
    assert isinstance(row["sent_at"], pd.Timestamp)
    assert sb.balance == 10_000 - 1


def test_ten_numbers_in_destino_are_all_delivered(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    numbers = phones(10)
    body = send(http, token, destino=";".join(numbers)).json()

    assert body["codigo"] == "000"
    assert body["destino"] == numbers
    ids = [d["id_mensagem"] for d in body["detalhe"]]
    assert len(set(ids)) == 10
    assert sorted(sb.messages()["phone"]) == numbers
    assert sb.balance == 10_000 - 10


def test_eleven_numbers_in_destino_are_refused_and_nothing_is_sent(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    body = send(http, token, destino=";".join(phones(11))).json()

    assert body["codigo"] == "001"
    assert body["status"] != "ok"
    assert "10" in body["msg"]
    assert "destino_csv" in body["msg"]
    assert sb.messages().empty
    assert sb.balance == 10_000


def test_a_csv_file_of_2500_numbers_with_any_separators_is_delivered_and_billed_per_part(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    numbers = phones(2_500)
    separators = ["\n", ",", ";", " ", "\r\n", "\t|"]
    content = "telefone\n" + "".join(
        n + separators[i % len(separators)] for i, n in enumerate(numbers)
    )
    text = "x" * 141  # two parts of 140 characters

    answer = send(
        http,
        token,
        texto=text,
        files={"destino_csv": ("numeros.csv", content.encode(), "text/csv")},
    )

    body = answer.json()
    assert body["codigo"] == "000", body["msg"]
    assert len(body["detalhe"]) == 2_500
    messages = sb.messages()
    assert sorted(messages["phone"]) == numbers
    assert set(messages["segments"]) == {2}
    assert messages["callerid"].nunique() == 1
    assert sb.balance == 10_000 - 2 * 2_500


@pytest.mark.parametrize(("length", "parts"), [(1, 1), (140, 1), (141, 2), (280, 2), (700, 5)])
def test_sms_are_billed_per_140_character_part(
    sb: Sandbox, http: httpx.Client, token: str, length: int, parts: int
) -> None:
    body = send(http, token, destino=";".join(phones(3)), texto="é" * length).json()

    assert body["codigo"] == "000"
    assert set(sb.messages()["segments"]) == {parts}
    assert sb.balance == 10_000 - parts * 3


@pytest.mark.parametrize(
    ("id_origem", "length", "parts"), [("n", 128, 1), ("s", 127, 1), ("s", 128, 2)]
)
def test_a_shown_sender_counts_its_digits_in_the_140(
    sb: Sandbox, http: httpx.Client, token: str, id_origem: str, length: int, parts: int
) -> None:
    assert len(SENDER) == 13
    body = send(http, token, destino="5541999990001", texto="a" * length, id_origem=id_origem)

    assert body.json()["codigo"] == "000"
    [row] = sb.messages().to_dict("records")
    assert row["segments"] == parts
    assert row["show_sender"] == (id_origem == "s")
    assert sb.balance == 10_000 - parts


def test_more_than_700_characters_are_refused_and_nothing_is_sent(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    body = send(http, token, destino="5541999990001", texto="a" * 701).json()

    assert body["codigo"] == "001"
    assert "700" in body["msg"]
    assert sb.messages().empty
    assert sb.balance == 10_000


def test_an_insufficient_balance_answers_201_and_delivers_nothing(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sb.set_balance(5)

    refused = send(http, token, destino=";".join(phones(6))).json()
    assert (refused["codigo"], refused["msg"]) == ("201", "Saldo insuficiente!")
    assert sb.messages().empty
    assert sb.balance == 5

    accepted = send(http, token, destino=";".join(phones(5))).json()
    assert accepted["codigo"] == "000"
    assert sb.balance == 0


def test_voice_is_billed_one_call_per_recipient_whatever_the_length(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    body = send(http, token, destino=";".join(phones(3)), texto="b" * 600, tipo="voz").json()

    assert body["codigo"] == "000"
    messages = sb.messages()
    assert set(messages["channel"]) == {"voice"}
    assert set(messages["segments"]) == {1}
    assert sb.balance == 10_000 - 3


def test_a_voice_audio_file_is_accepted_up_to_4_mb_and_only_for_voice(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    mp3 = {"audio": ("aviso.mp3", b"ID3" + b"\x00" * 1000, "audio/mpeg")}
    assert (
        send(http, token, destino="5541999990001", tipo="voz", files=mp3).json()["codigo"] == "000"
    )
    assert sb.messages()["audio"].tolist() == [True]

    as_sms = send(http, token, destino="5541999990001", files=mp3).json()
    assert as_sms["codigo"] == "001"
    big = {"audio": ("big.mp3", b"\x00" * (4 * 1024 * 1024 + 1), "audio/mpeg")}
    too_big = send(http, token, destino="5541999990001", tipo="voz", files=big).json()
    assert too_big["codigo"] == "001"
    assert len(sb.messages()) == 1


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"origem": ""}, "origem"),
        ({"texto": ""}, "texto"),
        ({}, "destino"),
        ({"destino": "5541999990001;123;41999990002"}, "123, 41999990002"),
        ({"destino": "5541999990001", "tipo": "fax"}, "tipo"),
        ({"destino": "5541999990001", "short_number": "talvez"}, "short_number"),
        ({"destino": "5541999990001", "cron": "amanhã"}, "cron"),
    ],
)
def test_missing_or_invalid_fields_answer_001_naming_them(
    sb: Sandbox, http: httpx.Client, token: str, fields: dict[str, str], named: str
) -> None:
    body = send(http, token, **fields).json()

    assert body["codigo"] == "001"
    assert named in body["msg"]
    assert sb.messages().empty


def test_international_numbers_are_written_00_and_country_code(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    body = send(http, token, destino="00351912345678;001212555012").json()

    assert body["codigo"] == "000"
    assert sorted(sb.messages()["phone"]) == ["001212555012", "00351912345678"]


# -- scheduling, status, cancelling -------------------------------------------------------------


def test_a_scheduled_send_waits_and_cancelling_it_refunds_the_credits(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    body = send(http, token, destino=";".join(phones(2)), cron=cron_in(sb, 3600)).json()
    assert body["codigo"] == "000"
    code = body["callerid"]
    assert sb.balance == 10_000 - 2
    assert set(sb.messages()["status"]) == {"agendado"}
    assert sb.messages()["sent_at"].isna().all()

    status = http.get("/sms/status", params={"access_token": token, "code": code}).json()
    assert status["codigo"] == "000"
    assert [d["status"] for d in status["detalhe"]] == ["agendado", "agendado"]

    removed = http.get("/sms/remove", params={"access_token": token, "code": code}).json()
    assert removed["codigo"] == "000"
    assert sb.balance == 10_000
    assert set(sb.messages()["status"]) == {"cancelado"}
    status = http.post("/sms/status", data={"access_token": token, "code": code}).json()
    assert [d["status"] for d in status["detalhe"]] == ["cancelado", "cancelado"]

    again = http.post("/sms/remove", data={"access_token": token, "code": code}).json()
    assert again["codigo"] == "010"


def test_a_scheduled_send_is_delivered_when_its_time_comes(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    body = send(http, token, destino="5541999990001", cron=cron_in(sb, 600)).json()
    code = body["callerid"]

    def status() -> str:
        answer = http.get("/sms/status", params={"access_token": token, "code": code}).json()
        detail: str = answer["detalhe"][0]["status"]
        return detail

    sb.clock.advance(599)
    assert status() == "agendado"
    sb.clock.advance(1)
    assert status() == "entregue"
    [row] = sb.messages().to_dict("records")
    assert row["sent_at"] == row["scheduled_for"]
    assert row["scheduled_for"] == pd.Timestamp("2026-03-02 09:10:00", tz=BRAZIL)
    removed = http.post("/sms/remove", data={"access_token": token, "code": code}).json()
    assert removed["codigo"] == "010"


def test_a_schedule_in_the_past_is_refused(sb: Sandbox, http: httpx.Client, token: str) -> None:
    body = send(http, token, destino="5541999990001", cron="01-01-2020-10-00-00").json()

    assert body["codigo"] == "001"
    assert "cron" in body["msg"]
    assert sb.messages().empty


def test_status_reports_each_recipient_and_unknown_codes_answer_009(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sb.set_delivery_status("5541999990002", "nao_entregue")
    sb.set_delivery_status("5541999990003", "aguardando")
    numbers = "5541999990001;5541999990002;5541999990003"
    code = send(http, token, destino=numbers).json()["callerid"]

    status = http.get("/sms/status", params={"access_token": token, "code": code}).json()
    assert {d["destino"]: d["status"] for d in status["detalhe"]} == {
        "5541999990001": "entregue",
        "5541999990002": "nao_entregue",
        "5541999990003": "aguardando",
    }
    unknown = http.get("/sms/status", params={"access_token": token, "code": "424242"}).json()
    assert unknown["codigo"] == "009"
    assert "424242" in unknown["msg"]


def test_removing_a_send_already_delivered_or_unknown_answers_010(
    http: httpx.Client, token: str
) -> None:
    code = send(http, token, destino="5541999990001").json()["callerid"]

    delivered = http.post("/sms/remove", data={"access_token": token, "code": code}).json()
    unknown = http.post("/sms/remove", data={"access_token": token, "code": "1"}).json()
    assert (delivered["codigo"], unknown["codigo"]) == ("010", "010")


# -- tokens -------------------------------------------------------------------------------------


def test_a_wrong_secret_answers_006_and_a_missing_one_001(sb: Sandbox, http: httpx.Client) -> None:
    wrong = http.post("/request_token", data={"client_id": sb.client_id, "client_secret": "nope"})
    missing = http.post("/request_token", data={"client_id": sb.client_id})

    assert wrong.json()["codigo"] == "006"
    assert "access_token" not in wrong.json()
    assert missing.json()["codigo"] == "001"


def test_an_expired_or_unknown_token_gets_401_invalid_token() -> None:
    with Sandbox(clock=ManualClock()) as sb, httpx.Client(base_url=sb.url) as http:
        token = access_token(http, sb)
        sb.clock.advance(3599)
        assert send(http, token, destino="5541999990001").json()["codigo"] == "000"
        sb.clock.advance(1)  # DirectCall's tokens live an hour

        expired = send(http, token, destino="5541999990001")
        unknown = send(http, "not-a-token", destino="5541999990001")
        fresh = send(http, access_token(http, sb), destino="5541999990001")

        for answer in (expired, unknown):
            assert answer.status_code == 401
            assert answer.json()["error"] == "invalid_token"
            assert answer.json()["error_description"]
        assert fresh.json()["codigo"] == "000"
        assert len(sb.messages()) == 2


def test_invalid_tokens_can_be_answered_with_codigo_006_and_expiry_announced() -> None:
    sb = Sandbox(invalid_token="006", expires_in=True, token_ttl=120)
    with sb, httpx.Client(base_url=sb.url) as http:
        credentials = {"client_id": sb.client_id, "client_secret": sb.client_secret}
        issued = http.post("/request_token", data=credentials).json()
        answer = send(http, "not-a-token", destino="5541999990001")

    assert issued["expires_in"] == 120
    assert answer.status_code == 200
    assert (answer.json()["modulo"], answer.json()["codigo"]) == ("enviar", "006")
    assert sb.messages().empty


def test_expire_tokens_invalidates_tokens_already_issued(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sb.expire_tokens()

    assert send(http, token, destino="5541999990001").status_code == 401


# -- formats ------------------------------------------------------------------------------------


def test_xml_answers_have_one_element_per_key_and_items_for_lists(
    http: httpx.Client, token: str
) -> None:
    answer = send(http, token, destino="5541999990001;5541999990002", format="XML")

    assert answer.text.startswith('<?xml version="1.0" encoding="UTF-8"?><response>')
    root = ET.fromstring(answer.content)
    assert root.tag == "response"
    assert [child.tag for child in root] == [
        "api", "modulo", "status", "codigo", "msg", "destino", "detalhe", "callerid",
    ]  # fmt: skip
    assert root.findtext("codigo") == "000"
    callerid = root.findtext("callerid")
    assert root.findtext("msg") == SUCCESS_PREFIX + str(callerid)
    assert [i.text for i in root.findall("destino/item")] == ["5541999990001", "5541999990002"]
    details = root.findall("detalhe/item")
    assert [d.findtext("destino") for d in details] == ["5541999990001", "5541999990002"]
    assert all(str(d.findtext("id_mensagem")).isdigit() for d in details)

    error = ET.fromstring(send(http, token, destino="123", format="XML").content)
    assert error.findtext("codigo") == "001"


# -- inbound replies ----------------------------------------------------------------------------


def test_recebimento_lists_replies_in_the_date_range_page_by_page(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    send(http, token, destino="5541999990001")
    base = datetime(2026, 3, 2, 9, 0, 0)
    for minute, word in enumerate(["SIM", "NAO", "SAIR", "PARE", "OK"]):
        sb.add_reply("5541999990001", word, base + timedelta(minutes=minute))
    added = http.post(
        "/_sandbox/replies",
        json={"origem": "5541999990009", "texto": "fora", "when": "2026-03-03 09:00:00"},
    )
    assert added.status_code == 200
    sb.clock.advance(minutes=5)  # the sandbox's time is 09:00: the replies arrive until 09:04

    def page(number: int) -> dict[str, Any]:
        fields = {
            "access_token": token,
            "data_inicio": "2026-03-02 09:00:00",
            "data_fim": "2026-03-02 09:04:00",
            "pagina": str(number),
            "itens_por_pagina": "2",
        }
        answer: dict[str, Any] = http.post("/sms/recebimento", data=fields).json()
        return answer

    first, last = page(1), page(3)
    assert first["codigo"] == "000"
    assert (first["total"], first["paginas"]) == (5, 3)
    assert [m["texto"] for m in first["msg"]] == ["SIM", "NAO"]
    assert [m["texto"] for m in last["msg"]] == ["OK"]
    assert last["msg"][0]["data"] == "2026-03-02 09:04:00"
    assert first["msg"][0]["origem"] == "5541999990001"
    assert first["msg"][0]["destino"] == SENDER  # replies go to the number that wrote to them


def test_recebimento_needs_readable_dates(http: httpx.Client, token: str) -> None:
    answer = http.post(
        "/sms/recebimento",
        data={
            "access_token": token,
            "data_inicio": "02/03/2026",
            "data_fim": "2026-03-02 10:00:00",
        },
    ).json()

    assert answer["codigo"] == "001"
    assert "data_inicio" in answer["msg"]


# -- faults -------------------------------------------------------------------------------------


def test_a_server_error_answers_503_and_processes_nothing(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sb.set_faults(Faults(server_error=1.0, seed=1))

    answer = send(http, token, destino="5541999990001")

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert "codigo" not in answer.text
    assert sb.messages().empty
    assert sb.balance == 10_000
    assert sb.requests()["fault"].iloc[-1] == "server_error"
    # other endpoints are untouched
    assert http.get("/sms/status", params={"access_token": token, "code": "1"}).status_code == 200


def test_drop_before_closes_the_connection_without_a_byte_and_processes_nothing(
    sb: Sandbox, token: str
) -> None:
    sb.set_faults(Faults(drop_before=1.0))
    form = f"access_token={token}&origem={SENDER}&destino=5541999990001&texto=oi".encode()
    request = (
        b"POST /sms/send HTTP/1.1\r\nHost: sandbox\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(form), form)
    )
    with socket.create_connection((sb.host, sb.port), timeout=5) as raw:
        raw.sendall(request)
        received = raw.recv(65536)

    assert received == b""
    with httpx.Client(base_url=sb.url) as http, pytest.raises(httpx.RemoteProtocolError):
        send(http, token, destino="5541999990001")
    assert sb.messages().empty
    assert sb.balance == 10_000
    log = sb.requests()
    assert log["fault"].tolist()[-2:] == ["drop_before", "drop_before"]
    assert log["http_status"].isna().iloc[-1]


def test_drop_after_closes_the_connection_but_the_message_is_delivered(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sb.set_faults(Faults(drop_after=1.0))

    with pytest.raises(httpx.RemoteProtocolError):
        send(http, token, destino="5541999990001")

    assert sb.messages()["phone"].tolist() == ["5541999990001"]
    assert sb.balance == 10_000 - 1
    assert sb.requests()["codigo"].iloc[-1] == "000"


def test_faults_with_the_same_seed_strike_the_same_requests() -> None:
    def outcomes(seed: int) -> list[str]:
        faults = Faults(server_error=0.3, drop_before=0.2, drop_after=0.2, seed=seed)
        with Sandbox(faults=faults) as sb, httpx.Client(base_url=sb.url) as http:
            token = access_token(http, sb)
            for _ in range(30):
                with contextlib.suppress(httpx.TransportError):
                    send(http, token, destino="5541999990001")
            return sb.requests()["fault"].fillna("none").tolist()[1:]

    first, second = outcomes(7), outcomes(7)
    assert first == second
    assert {"server_error", "drop_before", "drop_after", "none"} <= set(first)


def test_faults_can_be_set_at_run_time_over_http(sb: Sandbox, http: httpx.Client) -> None:
    answer = http.post(
        "/_sandbox/faults", json={"server_error": 1, "endpoints": ["/request_token"]}
    )

    assert answer.status_code == 200
    assert sb.faults == Faults(server_error=1.0, endpoints=("/request_token",))
    token = http.post(
        "/request_token", data={"client_id": sb.client_id, "client_secret": sb.client_secret}
    )
    assert token.status_code == 503
    assert http.post("/_sandbox/faults", json={"server_error": 2}).status_code == 400


def test_latency_still_answers_and_concurrent_requests_all_succeed() -> None:
    with Sandbox(latency=0.3) as sb, httpx.Client(base_url=sb.url) as http:
        token = access_token(http, sb)
        results: list[str] = []

        took: list[float] = []

        def one(i: int) -> None:
            with httpx.Client(base_url=sb.url) as own:
                started = time.monotonic()
                results.append(send(own, token, destino=phones(1, i)[0]).json()["codigo"])
                took.append(time.monotonic() - started)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert results == ["000"] * 4
        assert len(sb.requests()) == 5
        assert min(took) >= 0.3  # every answer waited (a load can only make it later)


# -- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--x\r\nContent-Disposition: form-data; name=texto\r\n\r\noi"),
        ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: nonsense\r\n\r\n\x00"),
        ("application/x-www-form-urlencoded", b"texto=%E9%ZZ&&=&access_token"),
    ],
)
def test_malformed_bodies_get_an_001_envelope_and_the_server_carries_on(
    sb: Sandbox, http: httpx.Client, token: str, content_type: str, body: bytes
) -> None:
    answer = http.post("/sms/send", content=body, headers={"Content-Type": content_type})

    assert answer.json()["codigo"] == "001"
    assert "Traceback" not in answer.text
    assert send(http, token, destino="5541999990001").json()["codigo"] == "000"


def test_a_huge_body_gets_a_413_envelope_and_the_server_carries_on(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    huge = {"destino_csv": ("big.csv", b"5541999990001;" * (21 * 1024 * 1024 // 14), "text/csv")}

    answer = send(http, token, files=huge)

    assert answer.status_code == 413
    assert answer.json()["codigo"] == "001"
    assert sb.messages().empty
    assert send(http, token, destino="5541999990001").json()["codigo"] == "000"


def test_unknown_paths_and_wrong_methods_get_envelopes(http: httpx.Client) -> None:
    missing = http.post("/sms/enviar")
    wrong = http.get("/sms/send")

    assert missing.status_code == 404
    assert missing.json()["codigo"] == "001"
    assert wrong.status_code == 405
    assert wrong.json()["codigo"] == "001"
    assert wrong.headers["allow"] == "POST"


def test_eight_concurrent_senders_get_distinct_callerids_and_an_exact_balance(
    sb: Sandbox, token: str
) -> None:
    callerids: list[str] = []
    barrier = threading.Barrier(8)

    def sender(i: int) -> None:
        with httpx.Client(base_url=sb.url, timeout=10) as own:
            barrier.wait()
            for j in range(5):
                numbers = ";".join(phones(3, 100 * i + 10 * j))
                callerids.append(send(own, token, destino=numbers).json()["callerid"])

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(callerids) == len(set(callerids)) == 40
    assert len(sb.messages()) == 120
    assert sb.balance == 10_000 - 120


# -- the Python side: life cycle, inspection, secrets -------------------------------------------


def test_the_repr_and_the_inspection_routes_never_show_the_secret(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    send(http, token, destino="5541999990001")
    pages = [http.get(f"/_sandbox/{name}").text for name in ("", "messages", "requests", "faults")]

    assert sb.client_secret not in repr(sb)
    assert sb.url in repr(sb)
    for text in pages:
        assert sb.client_secret not in text
        assert token not in text


def test_the_inspection_routes_show_and_set_the_balance_and_messages(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    send(http, token, destino="5541999990001", texto="oi")

    assert http.get("/_sandbox/balance").json() == {"balance": 9_999}
    assert http.post("/_sandbox/balance", data={"balance": "50"}).json() == {"balance": 50}
    assert sb.balance == 50
    [message] = http.get("/_sandbox/messages").json()["messages"]
    assert (message["phone"], message["text"], message["status"]) == (
        "5541999990001",
        "oi",
        "entregue",
    )
    assert http.get("/_sandbox/nothing").status_code == 404


def test_delivery_outcomes_and_latency_can_be_set_over_http(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    chosen = http.post(
        "/_sandbox/outcomes", data={"phone": "5541999990001", "status": "aguardando"}
    )
    slowed = http.post("/_sandbox/latency", json={"latency": 0.05})
    refused = http.post("/_sandbox/outcomes", data={"phone": "5541999990001", "status": "lido"})
    send(http, token, destino="5541999990001")

    assert (chosen.status_code, slowed.status_code, refused.status_code) == (200, 200, 400)
    assert sb.latency == 0.05
    assert sb.messages()["status"].tolist() == ["aguardando"]


def test_only_loopback_addresses_are_served() -> None:
    for host in ("0.0.0.0", "192.168.0.10", "example.com"):
        with pytest.raises(ValueError, match="loopback"):
            Sandbox(host=host)


def test_stop_closes_the_port_and_start_serves_it_again_with_the_same_state() -> None:
    sb = Sandbox()
    with sb, httpx.Client(base_url=sb.url) as http:
        send(http, access_token(http, sb), destino="5541999990001")
    url = sb.url
    assert not sb.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/_sandbox/balance")

    with sb:
        assert sb.url == url
        assert httpx.get(url + "/_sandbox/balance").json()["balance"] == sb.balance
        assert len(sb.messages()) == 1


def test_a_database_file_keeps_sends_and_balance_but_no_secret(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite"
    with Sandbox(database=path) as sb, httpx.Client(base_url=sb.url) as http:
        token = access_token(http, sb)
        send(http, token, destino="5541999990001")
        secret = sb.client_secret

    reopened = Sandbox(database=path)
    assert len(reopened.messages()) == 1
    assert reopened.balance == 10_000 - 1
    raw = path.read_bytes()
    assert secret.encode() not in raw
    assert token.encode() not in raw
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM tokens").fetchone()[0] == 0


def test_it_starts_from_a_thread_that_already_runs_an_event_loop() -> None:
    async def in_a_notebook_cell() -> int:
        with Sandbox() as sb:
            answer = await asyncio.to_thread(httpx.get, sb.url + "/_sandbox/balance")
            balance: int = answer.json()["balance"]
            return balance

    assert asyncio.run(in_a_notebook_cell()) == 10_000


def test_the_requests_log_records_every_api_request(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    send(http, token, destino="5541999990001")
    http.get("/sms/status", params={"access_token": token, "code": "9"})

    log = sb.requests()
    assert log["endpoint"].tolist() == ["/request_token", "/sms/send", "/sms/status"]
    assert log["http_status"].tolist() == [200, 200, 200]
    assert log["codigo"].tolist()[1:] == ["000", "009"]
    assert log["fault"].isna().all()
