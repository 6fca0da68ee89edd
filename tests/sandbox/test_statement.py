"""Custom fields on sends and the usage statement (``/extrato/list``), over loopback sockets.

DirectCall documents the fields (``campos[<key>]=<value>`` on a send; the statement's period,
filters, page and ``formato``) but not the statement's answer: its shape here is the sandbox's
own **[assumed]** one, described in ``directcall_nb.sandbox.listings``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from directcall_nb.sandbox import Faults, ManualClock, Sandbox

SENDER = "5541999990000"
OTHER_SENDER = "5511988880000"
DAY = {"dataInicial": "20260302000000", "dataFinal": "20260302235959"}


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(balance=10_000, clock=ManualClock("2026-03-02 09:00:00")) as sandbox:
        yield sandbox


def send(http: httpx.Client, token: str, **fields: str) -> dict[str, Any]:
    data = {"access_token": token, "origem": SENDER, "destino": "5541999990001", "texto": "Oi"}
    answer: dict[str, Any] = http.post("/sms/send", data={**data, **fields}).json()
    assert answer["codigo"] == "000", answer
    return answer


def statement(http: httpx.Client, token: str, **fields: str) -> dict[str, Any]:
    answer: dict[str, Any] = http.post(
        "/extrato/list", data={"access_token": token, **DAY, **fields}
    ).json()
    return answer


def destinos(answer: dict[str, Any]) -> list[str]:
    return [entry["destino"] for entry in answer["msg"]]


# -- custom fields on a send ----------------------------------------------------------------------


def test_a_send_keeps_its_custom_fields(sb: Sandbox, http: httpx.Client, token: str) -> None:
    send(http, token, destino="5541999990001;5541999990002", **{
        "campos[lote]": "março-2026", "campos[id cliente]": "42", "campos[vazio]": "",
    })  # fmt: skip
    send(http, token, destino="5541999990003")

    campos = sb.messages()["campos"].tolist()
    both = {"lote": "março-2026", "id cliente": "42", "vazio": ""}
    assert campos == [both, both, {}]


@pytest.mark.parametrize("name", ["campos", "campos[]", "campos[ ]", "campos[a][b]", "campos[a"])
def test_custom_fields_must_be_written_campos_key(
    sb: Sandbox, http: httpx.Client, token: str, name: str
) -> None:
    answer = http.post(
        "/sms/send",
        data={"access_token": token, "origem": SENDER, "destino": "5541999990001",
              "texto": "Oi", name: "x"},
    ).json()  # fmt: skip

    assert answer["codigo"] == "001"
    assert "campos[<chave>]" in answer["msg"]
    assert sb.messages().empty


# -- the statement --------------------------------------------------------------------------------


def test_the_statement_lists_each_delivered_message_with_its_units_and_fields(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sms = send(http, token, destino="5541999990001;5541999990002", texto="a" * 141,
               **{"campos[lote]": "A"})  # fmt: skip
    sb.clock.advance(minutes=30)
    voice = send(http, token, destino="5541999990003", texto="b" * 300, tipo="voz")

    answer = statement(http, token)

    assert (answer["api"], answer["modulo"], answer["status"], answer["codigo"]) == (
        "extrato",
        "list",
        "ok",
        "000",
    )
    assert (answer["pagina"], answer["paginas"], answer["total"]) == (1, 1, 3)
    first, second, third = answer["msg"]
    assert first == {
        "callerid": sms["callerid"],
        "id_mensagem": sms["detalhe"][0]["id_mensagem"],
        "origem": SENDER,
        "destino": "5541999990001",
        "tipo": "texto",
        "short_number": "n",
        "data": "2026-03-02 09:00:00",
        "status": "entregue",
        "unidades": 2,
        "campos": {"lote": "A"},
    }
    assert second["destino"] == "5541999990002"
    assert (third["callerid"], third["tipo"], third["unidades"]) == (voice["callerid"], "voz", 1)
    assert (third["data"], third["campos"]) == ("2026-03-02 09:30:00", {})
    assert sum(e["unidades"] for e in answer["msg"]) == 10_000 - sb.balance


def test_the_statement_filters_by_number_callerid_type_fields_and_period(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    a = send(http, token, destino="5541999990001;5541999990002",
             **{"campos[lote]": "A", "campos[loja]": "1"})  # fmt: skip
    send(http, token, origem=OTHER_SENDER, destino="5541999990001", **{"campos[lote]": "B"})
    send(http, token, destino="5541999990003", tipo="voz", **{"campos[lote]": "A"})
    sb.clock.set("2026-03-03 10:00:00")
    token = http.post(
        "/request_token", data={"client_id": sb.client_id, "client_secret": sb.client_secret}
    ).json()["access_token"]
    send(http, token, destino="5541999990004")  # another day

    assert destinos(statement(http, token)) == phones_of(1, 2, 1, 3)
    assert destinos(statement(http, token, numeroOrigem=OTHER_SENDER)) == phones_of(1)
    assert destinos(statement(http, token, numeroDestino="5541999990001")) == phones_of(1, 1)
    assert destinos(statement(http, token, callerid=a["callerid"])) == phones_of(1, 2)
    assert destinos(statement(http, token, tipoFiltro="voz")) == phones_of(3)
    assert destinos(statement(http, token, tipoFiltro="texto")) == phones_of(1, 2, 1)
    assert destinos(statement(http, token, **{"campos[lote]": "A"})) == phones_of(1, 2, 3)
    both = {"campos[lote]": "A", "campos[loja]": "1"}
    assert destinos(statement(http, token, **both)) == phones_of(1, 2)
    assert destinos(statement(http, token, **{"campos[lote]": "C"})) == []
    next_day = {"dataInicial": "20260303100000", "dataFinal": "20260303100000"}
    assert destinos(statement(http, token, **next_day)) == phones_of(4)  # dataFinal's second too


def phones_of(*endings: int) -> list[str]:
    return [f"554199999000{n}" for n in endings]


def test_the_statement_comes_in_pages(sb: Sandbox, http: httpx.Client, token: str) -> None:
    sb.set_statement_page_size(2)
    send(http, token, destino=";".join(phones_of(1, 2, 3, 4, 5)))

    pages = [statement(http, token, pagina=str(n)) for n in (1, 2, 3, 4)]

    assert [destinos(p) for p in pages] == [phones_of(1, 2), phones_of(3, 4), phones_of(5), []]
    assert {(p["total"], p["paginas"], p["itens_por_pagina"]) for p in pages} == {(5, 3, 2)}
    assert http.get("/_sandbox/statement").json() == {"delay": 0.0, "page_size": 2}


def test_formato_chooses_xml_and_format_does_not(http: httpx.Client, token: str) -> None:
    send(http, token, **{"campos[lote]": "A", "campos[id cliente]": "42"})

    xml = http.post("/extrato/list", data={"access_token": token, **DAY, "formato": "XML"})
    json_anyway = statement(http, token, format="XML")

    root = ET.fromstring(xml.content)
    assert (root.tag, root.findtext("codigo")) == ("response", "000")
    [entry] = root.findall("msg/item")
    assert entry.findtext("destino") == "5541999990001"
    assert entry.findtext("campos/lote") == "A"
    assert entry.find("campos/item[@chave='id cliente']") is not None
    assert json_anyway["codigo"] == "000"
    wrong = statement(http, token, formato="CSV")
    assert wrong["codigo"] == "001"
    assert "formato" in wrong["msg"]


def test_a_delayed_statement_leaves_recent_sends_out(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    sb.set_statement_delay(600)
    send(http, token)

    assert statement(http, token)["total"] == 0
    sb.clock.advance(599)
    assert statement(http, token)["total"] == 0
    sb.clock.advance(1)
    assert destinos(statement(http, token)) == phones_of(1)

    over_http = http.post("/_sandbox/statement", json={"delay": 30})
    assert over_http.json() == {"delay": 30.0, "page_size": 100}
    assert sb.statement_delay == 30
    assert http.post("/_sandbox/statement", json={"delay": -1}).status_code == 400


def test_scheduled_sends_are_listed_once_delivered_and_cancelled_ones_never(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    later = send(http, token, destino="5541999990001", cron="02-03-2026-09-20-00")
    cancelled = send(http, token, destino="5541999990002", cron="02-03-2026-09-20-00")
    http.post("/sms/remove", data={"access_token": token, "code": cancelled["callerid"]})

    assert statement(http, token)["total"] == 0
    sb.clock.advance(minutes=20)
    [entry] = statement(http, token)["msg"]
    assert (entry["callerid"], entry["data"]) == (later["callerid"], "2026-03-02 09:20:00")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"dataInicial": "2026-03-02 00:00:00"}, "dataInicial"),
        ({"dataFinal": "20260230000000"}, "dataFinal"),
        ({"dataInicial": "20260303000000"}, "dataInicial"),  # after dataFinal
        ({"numeroOrigem": "+55 41 99999-0000"}, "numeroOrigem"),
        ({"numeroDestino": "٥٥٤١"}, "numeroDestino"),
        ({"callerid": "abc"}, "callerid"),
        ({"tipoFiltro": "fax"}, "tipoFiltro"),
        ({"pagina": "0"}, "pagina"),
        ({"campos[]": "A"}, "campos"),
    ],
)
def test_unreadable_statement_fields_answer_001_naming_them(
    http: httpx.Client, token: str, fields: dict[str, str], named: str
) -> None:
    answer = statement(http, token, **fields)

    assert answer["codigo"] == "001"
    assert named in answer["msg"]


def test_the_statement_needs_a_period_and_a_valid_token(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    missing = http.post("/extrato/list", data={"access_token": token}).json()
    sb.clock.advance(hours=1)
    expired = http.post("/extrato/list", data={"access_token": token, **DAY})

    assert (missing["codigo"], missing["modulo"]) == ("001", "list")
    assert "dataInicial" in missing["msg"]
    assert expired.status_code == 401


def test_fault_injection_applies_to_the_statement(
    sb: Sandbox, http: httpx.Client, token: str
) -> None:
    send(http, token)
    sb.set_faults(Faults(drop_after=1.0, endpoints=("/extrato/list",)))
    with pytest.raises(httpx.RemoteProtocolError):
        statement(http, token)
    sb.set_faults(Faults(server_error=1.0, endpoints=("/extrato/list",)))
    assert http.post("/extrato/list", data={"access_token": token, **DAY}).status_code == 503
    sb.set_faults(None)

    assert statement(http, token)["total"] == 1
    assert sb.requests()["fault"].fillna("none").tolist()[-3:] == [
        "drop_after",
        "server_error",
        "none",
    ]
