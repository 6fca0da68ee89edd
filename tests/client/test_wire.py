"""The client's wire format, checked against DirectCall's documentation, not against our sandbox.

The recording server of ``recording_server`` (the standard library's ``ThreadingHTTPServer`` on
a loopback port) keeps every raw request (method, path, headers, body) and answers envelopes
written by hand from the documentation: what is asserted is what DirectCall would see and say.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from helpers import MovingClock, free_port
from recording_server import (
    CLIENT_ID,
    SEND_OK,
    Recorded,
    RecordingServer,
    Reply,
    envelope,
    reply_json,
    reply_xml,
)

from directcall_nb.client import DirectCall
from directcall_nb.client._credentials import REFUSED_LOGIN_PAUSE
from directcall_nb.errors import (
    AccountNotFound,
    APIError,
    AuthenticationError,
    BillingError,
    DirectCallError,
    InputError,
    InsecureURL,
    InsufficientBalance,
    InvalidParameters,
    InvalidSchedule,
    InvalidSender,
    MessageTooLong,
    MissingCredentials,
    RequestNotSent,
    ResponseLost,
    ServerFailure,
    ServiceError,
    UnknownIdentifier,
)

SENDER = "5541999990000"


def token_of(request: Recorded) -> str:
    """Return the access token a request carried: a form field, or a query field of a GET."""
    if request.method == "GET":
        return request.query["access_token"][0]
    if request.headers["content-type"].startswith("multipart/"):
        return request.parts()["access_token"].content.decode()
    return request.form()["access_token"]


def numbers(count: int, start: int = 0) -> Iterator[str]:
    return (f"55419{i:08d}" for i in range(start, start + count))


# -- form fields -----------------------------------------------------------------------------


def test_send_writes_the_documented_form_fields(server: RecordingServer) -> None:
    text = "Olá, João! Sua fatura de R$ 10,00 vence amanhã às 14h — ação necessária."
    with server.client() as dc:
        dc.send("5541999990001", text, sender=SENDER)

    token_request, send = server.requests
    assert (token_request.method, token_request.path) == ("POST", "/request_token")
    assert token_request.form() == {"client_id": CLIENT_ID, "client_secret": server.secret}
    assert (send.method, send.path) == ("POST", "/sms/send")
    assert send.form() == {
        "access_token": server.tokens[0],
        "origem": SENDER,
        "destino": "5541999990001",
        "texto": text,
        "tipo": "texto",
    }
    assert b"texto=Ol%C3%A1%2C+Jo%C3%A3o%21" in send.body  # UTF-8, url-encoded
    assert "authorization" not in send.headers
    assert not any(server.tokens[0] in value for value in send.headers.values())


def test_up_to_ten_recipients_go_in_destino_joined_by_semicolons(
    server: RecordingServer,
) -> None:
    ten = list(numbers(10))
    with server.client() as dc:
        dc.send(ten, "Oi", sender=int(SENDER))
    form = server.calls("/sms/send")[0].form()
    assert form["destino"] == ";".join(ten)
    assert form["origem"] == SENDER


def test_voice_and_the_yes_no_options(server: RecordingServer) -> None:
    with server.client() as dc:
        dc.send(
            5541999990001,
            "Sua consulta é amanhã",
            sender=SENDER,
            channel="voice",
            short_number=True,
            show_sender=False,
        )
    form = server.calls("/sms/send")[0].form()
    assert form["tipo"] == "voz"
    assert form["destino"] == "5541999990001"
    assert (form["short_number"], form["id_origem"]) == ("s", "n")


def test_voice_audio_goes_as_a_file_part(server: RecordingServer) -> None:
    mp3 = b"ID3" + bytes(range(256)) * 8
    with server.client() as dc:
        dc.send(["5541999990001"], "Olá", sender=SENDER, channel="voice", audio=mp3)
    parts = server.calls("/sms/send")[0].parts()
    assert parts["audio"].content == mp3
    assert parts["audio"].filename
    assert parts["destino"].content == b"5541999990001"
    assert parts["tipo"].content == b"voz"


def test_a_voice_window_goes_as_enviar_de_and_enviar_ate(server: RecordingServer) -> None:
    with server.client() as dc:
        dc.send(["5541999990001"], "Olá", sender=SENDER, channel="voice", daily_hours=(8, 19))
        dc.send(["5541999990002"], "Olá", sender=SENDER, channel="voice")
    with_window, without = (call.form() for call in server.calls("/sms/send"))
    assert (with_window["enviar_de"], with_window["enviar_ate"]) == ("8", "19")
    assert "enviar_de" not in without
    assert "enviar_ate" not in without


@pytest.mark.parametrize(
    ("channel", "hours", "words"),
    [("sms", (8, 19), "channel='voice' only"), ("voice", (19, 8), "not after the last"),
     ("voice", (8, 24), "from 0 to 23"), ("voice", (8.0, 19), "whole hours")],
)  # fmt: skip
def test_a_voice_window_that_cannot_be_sent_is_refused_before_anything_leaves(
    server: RecordingServer, channel: Any, hours: Any, words: str
) -> None:
    with server.client() as dc, pytest.raises(InputError, match=words):
        dc.send("5541999990001", "Oi", sender=SENDER, channel=channel, daily_hours=hours)
    assert server.requests == []


def test_a_naive_schedule_is_brazil_time(server: RecordingServer) -> None:
    with server.client() as dc:
        dc.send(
            "5541999990001",
            "Feliz Natal",
            sender=SENDER,
            schedule=datetime(2031, 12, 25, 14, 30, 5),
        )
    assert server.calls("/sms/send")[0].form()["cron"] == "25-12-2031-14-30-05"


def test_an_aware_schedule_is_converted_to_brazil_time(server: RecordingServer) -> None:
    # Brasília is UTC-3 all year (no daylight saving since 2019).
    with server.client() as dc:
        dc.send(
            "5541999990001", "Oi", sender=SENDER, schedule=datetime(2031, 7, 1, 2, 0, 0, tzinfo=UTC)
        )
        dc.send(
            "5541999990001",
            "Oi",
            sender=SENDER,
            schedule=datetime(2031, 7, 1, 12, 15, 0, tzinfo=timezone(timedelta(hours=2))),
        )
    first, second = server.calls("/sms/send")
    assert first.form()["cron"] == "30-06-2031-23-00-00"
    assert second.form()["cron"] == "01-07-2031-07-15-00"


def test_xml_format_is_asked_for_and_its_answers_read(server: RecordingServer) -> None:
    server.routes["/sms/send"] = lambda r: reply_xml(
        '<?xml version="1.0" encoding="UTF-8"?><response><api>sms</api><modulo>enviar</modulo>'
        "<status>ok</status><codigo>000</codigo>"
        "<msg>001 - Mensagem enviada com sucessso - CALLER-ID: 777001</msg>"
        "<destino><item>5541999990001</item><item>5541999990002</item></destino>"
        "<detalhe><item><destino>5541999990001</destino><id_mensagem>91</id_mensagem></item>"
        "<item><destino>5541999990002</destino><id_mensagem>92</id_mensagem></item></detalhe>"
        "<callerid>777001</callerid></response>"
    )
    with server.client(response_format="XML") as dc:
        sent = dc.send(["5541999990001", "5541999990002"], "Oi", sender=SENDER)
    assert server.calls("/sms/send")[0].form()["format"] == "XML"
    assert server.calls("/request_token")[0].form()["format"] == "XML"
    assert sent.codigo == "000"
    assert sent.callerid == "777001"
    assert [(r.destino, r.id_mensagem) for r in sent.recipients] == [
        ("5541999990001", "91"),
        ("5541999990002", "92"),
    ]


def test_xml_error_answer_raises_the_code_exception(server: RecordingServer) -> None:
    server.routes["/sms/send"] = lambda r: reply_xml(
        '<?xml version="1.0" encoding="UTF-8"?><response><api>sms</api><modulo>enviar</modulo>'
        "<status>erro</status><codigo>201</codigo><msg>Saldo insuficiente!</msg></response>"
    )
    with server.client(response_format="XML") as dc, pytest.raises(InsufficientBalance) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert (caught.value.codigo, caught.value.msg) == ("201", "Saldo insuficiente!")


def test_json_format_sends_no_format_field(server: RecordingServer) -> None:
    with server.client() as dc:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert "format" not in server.calls("/sms/send")[0].form()


# -- many recipients: a streamed file with a known length ------------------------------------


@pytest.mark.parametrize("count", [11, 250_000])
def test_more_than_ten_recipients_go_as_a_destino_csv_file(
    server: RecordingServer, count: int
) -> None:
    server.routes["/sms/send"] = lambda r: reply_json(envelope("000", "ok", callerid="55"))
    with server.client() as dc:
        sent = dc.send(numbers(count), "Promoção de verão", sender=SENDER)

    assert sent.callerid == "55"
    request = server.calls("/sms/send")[0]
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert "transfer-encoding" not in request.headers
    assert int(request.headers["content-length"]) == len(request.body)
    parts = request.parts()
    assert "destino" not in parts
    csv = parts["destino_csv"]
    assert csv.filename
    assert re.split(rb"\D+", csv.content.strip()) == [n.encode() for n in numbers(count)]
    assert parts["texto"].content.decode("utf-8") == "Promoção de verão"
    assert parts["origem"].content == SENDER.encode()
    assert parts["access_token"].content.decode() == server.tokens[0]


# -- the token -------------------------------------------------------------------------------


def test_the_token_is_requested_once_and_reused(server: RecordingServer) -> None:
    server.routes["/sms/status"] = lambda r: reply_json(
        envelope("000", "ok", callerid="1", detalhe=[])
    )
    with server.client() as dc:
        assert dc.token_expires_in() is None
        dc.send("5541999990001", "Oi", sender=SENDER)
        dc.send("5541999990002", "Oi", sender=SENDER)
        dc.status("1")
        left = dc.token_expires_in()
    assert len(server.calls("/request_token")) == 1
    used = [token_of(r) for r in server.requests if r.path != "/request_token"]
    assert used == [server.tokens[0]] * 3
    assert left is not None
    assert 3000 < left <= 3600  # no expires_in: one hour assumed


def test_the_token_is_shared_by_threads(server: RecordingServer) -> None:
    server.token_delay = 0.2
    with server.client() as dc:
        threads = [
            threading.Thread(
                target=dc.send, args=(f"554199999000{i}", "Oi"), kwargs={"sender": SENDER}
            )
            for i in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(server.calls("/request_token")) == 1
    assert len(server.calls("/sms/send")) == 8


def _refuse_tokens(refused: set[str], answer: Reply) -> Callable[[Recorded], Reply]:
    def route(request: Recorded) -> Reply:
        if token_of(request) in refused:
            return answer
        return reply_json(SEND_OK)

    return route


INVALID_TOKEN = reply_json(
    {"error": "invalid_token", "error_description": "The access token provided has expired"}, 401
)


@pytest.mark.parametrize(
    "refusal",
    [
        INVALID_TOKEN,
        Reply(401, b"Unauthorized", "text/plain"),
        reply_json(envelope("006", "Falha na autenticação")),
    ],
    ids=["401 invalid_token", "401 plain", "codigo 006"],
)
def test_a_refused_token_is_renewed_once_and_the_call_repeated(
    server: RecordingServer, refusal: Reply
) -> None:
    refused: set[str] = set()
    server.routes["/sms/send"] = _refuse_tokens(refused, refusal)
    with server.client() as dc:
        dc.send("5541999990001", "Oi", sender=SENDER)
        refused.add(server.tokens[0])  # the server forgets the token
        sent = dc.send("5541999990002", "Oi", sender=SENDER)
    assert sent.callerid == "16245239335948"
    assert len(server.tokens) == 2
    assert [token_of(r) for r in server.calls("/sms/send")] == [
        server.tokens[0],
        server.tokens[0],
        server.tokens[1],
    ]
    assert [r.form()["destino"] for r in server.calls("/sms/send")[1:]] == ["5541999990002"] * 2


def test_codigo_006_on_a_get_endpoint_renews_too(server: RecordingServer) -> None:
    refused: set[str] = set()

    def status(request: Recorded) -> Reply:
        if token_of(request) in refused:
            return reply_json(envelope("006", "Token inválido"))
        return reply_json(
            envelope(
                "000",
                "ok",
                callerid="12",
                detalhe=[{"destino": "5541999990001", "id_mensagem": 5, "status": "entregue"}],
            )
        )

    server.routes["/sms/status"] = status
    with server.client() as dc:
        dc.status("12")
        refused.add(server.tokens[0])
        answer = dc.status(12)
    assert [(r.destino, r.status) for r in answer.recipients] == [("5541999990001", "entregue")]
    assert len(server.tokens) == 2


def test_a_fresh_token_refused_again_raises_authentication_error(
    server: RecordingServer,
) -> None:
    server.routes["/sms/send"] = lambda r: INVALID_TOKEN
    with server.client() as dc, pytest.raises(AuthenticationError) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert caught.value.endpoint == "/sms/send"
    assert caught.value.codigo == "006"
    assert len(server.calls("/request_token")) == 2
    assert len(server.calls("/sms/send")) == 2


def test_wrong_credentials_raise_authentication_error_without_retrying(
    server: RecordingServer,
) -> None:
    dc = DirectCall(CLIENT_ID, "wrong-secret", base_url=server.url, environ={})
    with dc, pytest.raises(AuthenticationError) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert (caught.value.codigo, caught.value.endpoint) == ("006", "/request_token")
    assert caught.value.msg == "Falha na autenticação"
    assert [r.path for r in server.requests] == ["/request_token"]


def test_a_short_lived_token_is_renewed_before_it_expires(server: RecordingServer) -> None:
    server.token_fields = {"expires_in": 100}  # renewed RENEWAL_MARGIN or a quarter before
    clock = MovingClock(1_000.0)
    with server.client(clock=clock) as dc:
        dc.send("5541999990001", "Oi", sender=SENDER)
        clock.now += 74.9
        dc.send("5541999990001", "Oi", sender=SENDER)
        assert len(server.tokens) == 1
        assert dc.token_expires_in() == pytest.approx(25.1)
        clock.now += 0.2
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert len(server.tokens) == 2
    assert [token_of(r) for r in server.calls("/sms/send")] == [server.tokens[0]] * 2 + [
        server.tokens[1]
    ]


def _jwt(claims: dict[str, int]) -> str:
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64(claims)}.c2lnbmF0dXJl"


def test_a_jwt_exp_claim_gives_the_token_lifetime(server: RecordingServer) -> None:
    issued: list[str] = []

    def token(request: Recorded) -> Reply:
        now = int(time.time())
        issued.append(_jwt({"iat": now, "exp": now + 600, "n": len(issued)}))
        return reply_json({"access_token": issued[-1]})

    server.routes["/request_token"] = token
    with server.client() as dc:
        dc.send("5541999990001", "Oi", sender=SENDER)
        left = dc.token_expires_in()
    assert left is not None
    assert 500 < left <= 600


# -- the code table --------------------------------------------------------------------------

CODE_TABLE = [
    ("001", InvalidParameters),
    ("002", ServiceError),
    ("003", ServiceError),
    ("004", ServiceError),
    ("005", ServiceError),
    ("007", ServiceError),
    ("008", ServiceError),
    ("009", InvalidParameters),
    ("010", UnknownIdentifier),
    ("011", BillingError),
    ("100", BillingError),
    ("101", BillingError),
    ("102", BillingError),
    ("200", AccountNotFound),
    ("201", InsufficientBalance),
]


@pytest.mark.parametrize(("codigo", "exception"), CODE_TABLE)
def test_every_documented_code_raises_its_exception(
    server: RecordingServer, codigo: str, exception: type[APIError]
) -> None:
    msg = f"Mensagem do servidor para {codigo}"
    server.routes["/sms/send"] = lambda r: reply_json(envelope(codigo, msg))
    with server.client() as dc, pytest.raises(exception) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert type(caught.value) is exception
    assert (caught.value.codigo, caught.value.msg, caught.value.endpoint) == (
        codigo,
        msg,
        "/sms/send",
    )
    assert len(server.calls("/sms/send")) == 1  # sends are never retried


def test_codigo_006_twice_is_an_authentication_error_with_the_server_message(
    server: RecordingServer,
) -> None:
    server.routes["/sms/send"] = lambda r: reply_json(envelope("006", "Autenticação falhou"))
    with server.client() as dc, pytest.raises(AuthenticationError) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert (caught.value.codigo, caught.value.msg) == ("006", "Autenticação falhou")


def test_an_unknown_code_is_still_an_api_error(server: RecordingServer) -> None:
    server.routes["/sms/send"] = lambda r: reply_json(envelope("999", "Erro novo"))
    with server.client() as dc, pytest.raises(APIError) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert caught.value.codigo == "999"


def test_an_error_envelope_with_http_500_is_read_by_its_code(server: RecordingServer) -> None:
    server.routes["/sms/send"] = lambda r: reply_json(envelope("201", "Saldo insuficiente!"), 500)
    with server.client() as dc, pytest.raises(InsufficientBalance):
        dc.send("5541999990001", "Oi", sender=SENDER)


# -- the quirks ------------------------------------------------------------------------------


def test_a_success_whose_msg_starts_with_001_is_a_success(server: RecordingServer) -> None:
    answer = envelope(
        "000",
        "001 - Mensagem enviada com sucessso - CALLER-ID: 16245239335948",
        destino=["5541999990001"],
        detalhe=[{"destino": "5541999990001", "id_mensagem": 16245239336055}],
    )  # no callerid field: it is read from msg
    server.routes["/sms/send"] = lambda r: reply_json(answer)
    with server.client() as dc:
        sent = dc.send("5541999990001", "Oi", sender=SENDER)
    assert sent.codigo == "000"
    assert sent.callerid == "16245239335948"
    assert sent.recipients[0].id_mensagem == "16245239336055"
    assert sent.raw == answer


def test_a_send_response_repr_stays_short(server: RecordingServer) -> None:
    many = [f"55419{i:08d}" for i in range(5000)]
    server.routes["/sms/send"] = lambda r: reply_json(
        envelope(
            "000",
            "001 - Mensagem enviada com sucessso - CALLER-ID: 42",
            destino=many,
            detalhe=[{"destino": n, "id_mensagem": i} for i, n in enumerate(many)],
            callerid="42",
        )
    )
    with server.client() as dc:
        sent = dc.send(many, "Oi", sender=SENDER)
    assert len(sent.recipients) == 5000
    assert len(repr(sent)) < 200
    assert "42" in repr(sent)
    assert "5000" in repr(sent)


# -- status, cancel, replies -----------------------------------------------------------------


def test_status_and_cancel_are_gets_with_code_and_token_in_the_query(
    server: RecordingServer,
) -> None:
    server.routes["/sms/status"] = lambda r: reply_json(
        envelope(
            "000",
            "ok",
            callerid="31",
            detalhe=[
                {"destino": "5541999990001", "id_mensagem": 1, "status": "agendado"},
                {"destino": "5541999990002", "id_mensagem": 2, "status": "agendado"},
            ],
        )
    )
    server.routes["/sms/remove"] = lambda r: reply_json(
        envelope("000", "Agendamento cancelado")
        if len(server.calls("/sms/remove")) == 1
        else envelope("010", "O identificador não existe ou já foi cancelado")
    )
    with server.client() as dc:
        status = dc.status("31")
        cancelled = dc.cancel(31)
        with pytest.raises(UnknownIdentifier) as caught:
            dc.cancel("31")
    assert [r.status for r in status.recipients] == ["agendado", "agendado"]
    assert status.callerid == "31"
    assert cancelled.codigo == "000"
    assert cancelled.msg == "Agendamento cancelado"
    assert caught.value.endpoint == "/sms/remove"
    status_request, *remove_requests = [r for r in server.requests if r.path != "/request_token"]
    assert status_request.method == "GET"
    assert status_request.query == {"code": ["31"], "access_token": [server.tokens[0]]}
    assert all(r.method == "GET" and r.query["code"] == ["31"] for r in remove_requests)


def test_received_fetches_pages_until_a_short_one(server: RecordingServer) -> None:
    replies = [
        {
            "origem": f"55419{i:08d}",
            "destino": SENDER,
            "texto": f"SAIR {i}",
            "data": "2026-03-01 10:00:00",
        }
        for i in range(250)
    ]

    def listing(request: Recorded) -> Reply:
        form = request.form()
        page, size = int(form["pagina"]), int(form["itens_por_pagina"])
        return reply_json(envelope("000", replies[(page - 1) * size : page * size]))

    server.routes["/sms/recebimento"] = listing
    with server.client() as dc:
        frame = dc.received(date(2026, 3, 1), datetime(2026, 3, 2, 8, 30))
    forms = [r.form() for r in server.calls("/sms/recebimento")]
    assert [(f["pagina"], f["itens_por_pagina"]) for f in forms] == [
        ("1", "100"),
        ("2", "100"),
        ("3", "100"),
    ]
    assert {f["data_inicio"] for f in forms} == {"2026-03-01 00:00:00"}
    assert {f["data_fim"] for f in forms} == {"2026-03-02 08:30:00"}
    assert list(frame["texto"]) == [f"SAIR {i}" for i in range(250)]
    assert list(frame["origem"][:2]) == ["5541900000000", "5541900000001"]


def test_received_stops_at_the_last_page_the_answer_names(server: RecordingServer) -> None:
    replies = [{"origem": f"55419{i:08d}", "destino": SENDER, "texto": "PARE"} for i in range(200)]

    def listing(request: Recorded) -> Reply:
        page = int(request.form()["pagina"])
        items = replies[(page - 1) * 100 : page * 100]
        return reply_json(envelope("000", items, pagina=page, total=200, paginas=2))

    server.routes["/sms/recebimento"] = listing
    with server.client() as dc:
        frame = dc.received("2026-03-01", "2026-03-31")
    assert len(frame) == 200
    assert [r.form()["pagina"] for r in server.calls("/sms/recebimento")] == ["1", "2"]


def test_received_stops_when_the_server_ignores_the_page(server: RecordingServer) -> None:
    same = [{"origem": f"55419{i:08d}", "destino": SENDER, "texto": "SAIR"} for i in range(3)]
    server.routes["/sms/recebimento"] = lambda r: reply_json(envelope("000", same))
    with server.client() as dc:
        frame = dc.received("2026-03-01", "2026-03-31", per_page=3)
    assert list(frame["origem"]) == [item["origem"] for item in same]
    assert len(server.calls("/sms/recebimento")) == 2


def test_received_with_nothing_gives_an_empty_frame(server: RecordingServer) -> None:
    server.routes["/sms/recebimento"] = lambda r: reply_json(envelope("000", []))
    with server.client() as dc:
        frame = dc.received(date(2026, 3, 1), date(2026, 3, 1))
    assert len(frame) == 0
    assert {"origem", "destino", "texto"} <= set(frame.columns)
    assert server.calls("/sms/recebimento")[0].form()["data_fim"] == "2026-03-01 23:59:59"


# -- custom fields and the usage statement ---------------------------------------------------

TAG = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-7"
OTHER_TAG = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-8"
MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 06:00 in Brasília


def entry(tag: str | None, **fields: object) -> dict[str, Any]:
    """Return a statement entry as the sandbox writes one (DirectCall documents none)."""
    base: dict[str, Any] = {
        "callerid": "16245239335948",
        "id_mensagem": 16245239336055,
        "origem": SENDER,
        "destino": "5541999990001",
        "tipo": "texto",
        "data": "2026-03-02 06:00:05",
        "status": "entregue",
        "unidades": 1,
        "campos": {} if tag is None else {"directcall_nb": tag},
    }
    return {**base, **fields}


def statement_of(pages: list[list[dict[str, Any]]], **extra: object) -> Callable[[Recorded], Reply]:
    """Return a statement route answering ``pages`` (page numbers from 1) with their counts."""
    total = sum(len(page) for page in pages)

    def route(request: Recorded) -> Reply:
        page = int(request.form()["pagina"])
        items = pages[page - 1] if page <= len(pages) else []
        counts = {"pagina": page, "paginas": len(pages), "total": total}
        return reply_json(envelope("000", items, **{**counts, **extra}))

    return route


def search(dc: DirectCall, tag: str = TAG) -> Any:
    return dc.search_statement(
        {"directcall_nb": tag},
        start=MORNING - timedelta(minutes=10),
        end=MORNING + timedelta(minutes=40),
        sender=SENDER,
    )


def test_custom_fields_go_with_a_send_as_campos_inline_and_with_a_file(
    server: RecordingServer,
) -> None:
    with server.client() as dc:
        dc.send("5541999990001", "Oi", sender=SENDER, fields={"directcall_nb": TAG})
        dc.send(list(numbers(12)), "Oi", sender=SENDER, fields={"lote": "março 2026"})
        dc.send("5541999990001", "Oi", sender=SENDER, channel="voice", fields={"a b": ""})
        dc.send("5541999990001", "Oi", sender=SENDER)
    inline, csv, voice, plain = server.calls("/sms/send")
    assert inline.form()["campos[directcall_nb]"] == TAG
    assert csv.parts()["campos[lote]"].content.decode() == "março 2026"
    assert "destino_csv" in csv.parts()
    assert voice.form()["campos[a b]"] == ""
    assert voice.form()["tipo"] == "voz"
    assert not any(name.startswith("campos") for name in plain.form())


@pytest.mark.parametrize(
    "fields",
    [{"": "x"}, {" ": "x"}, {"a[b]": "x"}, {"a]": "x"}, {"a\n": "x"}, {1: "x"}, {"a": 1},
     {"a": "x\x00"}, ["a"]],
)  # fmt: skip
def test_a_custom_field_that_cannot_be_sent_is_refused_before_anything_leaves(
    server: RecordingServer, fields: Any
) -> None:
    with server.client() as dc, pytest.raises(InputError, match="custom field"):
        dc.send("5541999990001", "Oi", sender=SENDER, fields=fields)
    assert server.requests == []


def test_the_statement_is_asked_with_the_documented_fields(server: RecordingServer) -> None:
    server.routes["/extrato/list"] = statement_of([[entry(TAG)]])
    with server.client() as dc:
        found = search(dc)
    (asked,) = server.calls("/extrato/list")
    assert asked.method == "POST"
    assert asked.form() == {
        "access_token": server.tokens[0],
        "dataInicial": "20260302055000",  # Brasília time, YmdHis
        "dataFinal": "20260302064000",
        "numeroOrigem": SENDER,
        "campos[directcall_nb]": TAG,
        "pagina": "1",
        "formato": "JSON",
    }
    assert (found.verdict, found.callerid, found.pages) == ("listed", "16245239335948", 1)
    assert found.entries == (entry(TAG),)
    assert "listed in the statement" in found.reason


def test_an_xml_client_asks_the_statement_with_formato_and_reads_its_entries(
    server: RecordingServer,
) -> None:
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><response><api>extrato</api><modulo>list</modulo>'
        "<status>ok</status><codigo>000</codigo><msg><item><callerid>77</callerid>"
        "<destino>5541999990001</destino><campos><lote>A</lote></campos></item>"
        f"<item><callerid>78</callerid><campos><directcall_nb>{TAG}</directcall_nb></campos>"
        "</item></msg><pagina>1</pagina><paginas>1</paginas><total>2</total></response>"
    )
    server.routes["/extrato/list"] = lambda r: reply_xml(document)
    with server.client(response_format="XML") as dc:
        found = search(dc)
    form = server.calls("/extrato/list")[0].form()
    assert form["formato"] == "XML"
    assert "format" not in form
    assert (found.verdict, found.callerid) == ("listed", "78")


def test_an_empty_statement_of_the_period_says_absent(server: RecordingServer) -> None:
    server.routes["/extrato/list"] = lambda r: reply_json(
        envelope("000", [], pagina=1, paginas=0, total=0)
    )
    with server.client() as dc:
        found = search(dc)
    assert found.verdict == "absent"
    assert "20260302055000 to 20260302064000" in found.reason


def test_an_empty_xml_statement_says_absent(server: RecordingServer) -> None:
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><response><codigo>000</codigo><status>ok</status>'
        "<msg/><pagina>1</pagina><paginas>0</paginas><total>0</total></response>"
    )
    server.routes["/extrato/list"] = lambda r: reply_xml(document)
    with server.client(response_format="XML") as dc:
        assert search(dc).verdict == "absent"


def test_the_statement_is_read_page_after_page_until_the_tag(server: RecordingServer) -> None:
    others = [entry(OTHER_TAG, destino=f"55419{i:08d}") for i in range(100)]
    server.routes["/extrato/list"] = statement_of([others, [*others[:3], entry(TAG)], others])
    with server.client() as dc:
        found = search(dc)
    assert [r.form()["pagina"] for r in server.calls("/extrato/list")] == ["1", "2"]
    assert (found.verdict, found.pages) == ("listed", 2)


def test_every_page_read_and_no_tag_says_absent(server: RecordingServer) -> None:
    others = [entry(OTHER_TAG), entry(None)]  # a filter the server ignored: entries of others
    server.routes["/extrato/list"] = statement_of([others, others[:1]])
    with server.client() as dc:
        found = search(dc)
    assert [r.form()["pagina"] for r in server.calls("/extrato/list")] == ["1", "2"]
    assert (found.verdict, found.pages) == ("absent", 2)
    assert "3 entries on 2 pages" in found.reason


def test_pages_without_counts_end_with_an_empty_page(server: RecordingServer) -> None:
    pages = [[entry(OTHER_TAG)], [entry(None)], []]
    server.routes["/extrato/list"] = lambda r: reply_json(
        envelope("000", pages[int(r.form()["pagina"]) - 1])
    )
    with server.client() as dc:
        assert search(dc).verdict == "absent"
    assert len(server.calls("/extrato/list")) == 3


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (envelope("000", "Nenhum registro encontrado"), "a text, not a list"),
        (envelope("000", {"callerid": "1", "campos": {}}), "an object"),
        (envelope("000", [entry(OTHER_TAG), "x"]), "not records"),
        (envelope("000", [{"callerid": "1", "destino": "5541999990001"}]), "custom fields"),
        (envelope("000", [entry(OTHER_TAG)], pagina=1, paginas=1, total=5), "counts 5"),
        (envelope("000", [], total=3), "counts 3"),
        (envelope("000", 12), "int, not a list"),
    ],
)
def test_an_answer_of_another_shape_is_unknown_never_absent(
    server: RecordingServer, answer: dict[str, Any], why: str
) -> None:
    server.routes["/extrato/list"] = lambda r: reply_json(answer)
    with server.client() as dc:
        found = search(dc)
    assert found.verdict == "unknown"
    assert why in found.reason


def test_a_server_that_ignores_the_page_is_unknown(server: RecordingServer) -> None:
    same = [entry(OTHER_TAG)]
    server.routes["/extrato/list"] = lambda r: reply_json(envelope("000", same))
    with server.client() as dc:
        found = search(dc)
    assert found.verdict == "unknown"
    assert "same entries for two pages" in found.reason
    server.routes["/extrato/list"] = lambda r: reply_json(
        envelope("000", same, pagina=1, paginas=3)
    )
    with server.client() as dc:
        found = search(dc)
    assert found.verdict == "unknown"
    assert "answered page 1" in found.reason


def test_a_statement_longer_than_allowed_is_unknown(server: RecordingServer) -> None:
    server.routes["/extrato/list"] = lambda r: reply_json(
        envelope("000", [entry(OTHER_TAG, id_mensagem=int(r.form()["pagina"]))], paginas=9)
    )
    with server.client() as dc:
        found = dc.search_statement({"directcall_nb": TAG}, start=MORNING, end=MORNING, max_pages=3)
    assert found.verdict == "unknown"
    assert "more than 3 pages" in found.reason
    assert len(server.calls("/extrato/list")) == 3


def test_the_tag_must_be_a_whole_value_not_part_of_a_text(server: RecordingServer) -> None:
    echoed = [entry(OTHER_TAG, obs=f"filtro campos[directcall_nb]={TAG}")]
    server.routes["/extrato/list"] = statement_of([echoed])
    with server.client() as dc:
        assert search(dc).verdict == "absent"


def test_statement_errors_are_ours_and_named(server: RecordingServer) -> None:
    with server.client() as dc:
        server.routes["/extrato/list"] = lambda r: reply_json(envelope("001", "dataInicial"))
        with pytest.raises(InvalidParameters, match="/extrato/list"):
            search(dc)
        server.routes["/extrato/list"] = lambda r: Reply(502, b"<html>Bad gateway</html>")
        with pytest.raises(ServerFailure):
            search(dc)
        server.routes["/extrato/list"] = lambda r: Reply(hang_up=True)
        with pytest.raises(ResponseLost):
            search(dc)
        with pytest.raises(InputError, match="one custom field"):
            dc.search_statement({}, start=MORNING, end=MORNING)
        with pytest.raises(InputError, match="after it ends"):
            dc.search_statement(
                {"directcall_nb": TAG}, start=MORNING, end=MORNING - timedelta(seconds=1)
            )
    assert len(server.calls("/extrato/list")) == 3


# -- refused before sending ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://api.directcallsoft.com", "http://192.168.0.10:8000", "http://10.0.0.1"]
)
def test_plain_http_to_another_host_is_refused(url: str) -> None:
    with pytest.raises(InsecureURL, match="https://"):
        DirectCall(CLIENT_ID, "x", base_url=url, environ={})
    with pytest.raises(InsecureURL):
        DirectCall(CLIENT_ID, "x", environ={"DIRECTCALL_BASE_URL": url})


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://127.8.9.1", "http://localhost:1", "http://[::1]:9"]
)
def test_plain_http_to_loopback_is_accepted(url: str) -> None:
    with DirectCall(CLIENT_ID, "x", base_url=url, environ={}) as dc:
        assert dc.base_url.startswith("http://")


def test_credentials_and_url_come_from_the_environment(server: RecordingServer) -> None:
    environ = {
        "DIRECTCALL_CLIENT_ID": CLIENT_ID,
        "DIRECTCALL_CLIENT_SECRET": server.secret,
        "DIRECTCALL_BASE_URL": server.url,
    }
    with DirectCall(environ=environ) as dc:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert server.calls("/request_token")[0].form()["client_secret"] == server.secret


@pytest.mark.parametrize(
    ("args", "environ", "missing"),
    [
        ((), {}, "client id and no client secret"),
        (("a@b.com",), {}, "client secret"),
        ((), {"DIRECTCALL_CLIENT_SECRET": "x"}, "client id"),
    ],
)
def test_missing_credentials_say_how_to_provide_them(
    args: tuple[str, ...], environ: dict[str, str], missing: str
) -> None:
    with pytest.raises(MissingCredentials) as caught:
        DirectCall(*args, environ=environ)
    message = str(caught.value)
    assert missing in message
    for hint in (
        "DIRECTCALL_CLIENT_ID",
        "DIRECTCALL_CLIENT_SECRET",
        "%directcall login",
        "Sandbox()",
        "directcall-nb sandbox",
    ):
        assert hint in message


def test_a_schedule_in_the_past_is_refused_before_sending(server: RecordingServer) -> None:
    with server.client() as dc:
        with pytest.raises(InvalidSchedule, match="past"):
            dc.send("5541999990001", "Oi", sender=SENDER, schedule=datetime(2020, 1, 1, 9, 0))
        with pytest.raises(InvalidSchedule, match="past"):
            dc.send(
                "5541999990001",
                "Oi",
                sender=SENDER,
                schedule=datetime.now(UTC) - timedelta(minutes=1),
            )
    assert server.requests == []


def test_a_bad_recipient_is_named_with_its_position(server: RecordingServer) -> None:
    def recipients() -> Iterator[str]:
        yield from numbers(12)
        yield "+55 41 99999-0001"
        yield from numbers(5, start=100)

    with server.client() as dc:
        with pytest.raises(InputError) as caught:
            dc.send(recipients(), "Oi", sender=SENDER)
        with pytest.raises(InputError, match=r"position 1 .*5541999900000\.0.* as text"):
            dc.send(["5541999990001", 5.5419999e12], "Oi", sender=SENDER)  # type: ignore[list-item]
        with pytest.raises(InputError, match="position 0"):
            dc.send("41999990001", "Oi", sender=SENDER)
    assert "position 12" in str(caught.value)
    assert "'+55 41 99999-0001'" in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"sender": "abc"}, InvalidSender, "'abc'"),
        ({"sender": "419999"}, InvalidSender, "'419999'"),
        ({"text": ""}, InputError, "empty"),
        ({"text": "x" * 701}, MessageTooLong, "701"),
        ({"to": []}, InputError, "no recipients"),
        ({"channel": "fax"}, InputError, "'fax'"),
        ({"audio": b"ID3"}, InputError, "voice"),
        ({"channel": "voice", "audio": b"x" * (4 * 1024 * 1024 + 1)}, InputError, "4 MB"),
        ({"short_number": "s"}, InputError, "short_number"),
    ],
)
def test_bad_send_arguments_are_refused_before_sending(
    server: RecordingServer, options: dict[str, Any], error: type[Exception], words: str
) -> None:
    arguments: dict[str, Any] = {"to": "5541999990001", "text": "Oi", "sender": SENDER, **options}
    with server.client() as dc, pytest.raises(error) as caught:
        dc.send(arguments.pop("to"), arguments.pop("text"), **arguments)
    assert words in str(caught.value)
    assert server.requests == []


def test_seven_hundred_characters_are_accepted(server: RecordingServer) -> None:
    with server.client() as dc:
        dc.send("5541999990001", "á" * 700, sender=SENDER)
    assert server.calls("/sms/send")[0].form()["texto"] == "á" * 700


# -- the connection fails --------------------------------------------------------------------


def test_connection_refused_is_request_not_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    dc = DirectCall(CLIENT_ID, "x", base_url=url, environ={})
    with dc, pytest.raises(RequestNotSent) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert caught.value.endpoint == "/request_token"
    assert "nothing was sent" in str(caught.value)


def test_a_server_hanging_up_after_the_request_is_response_lost(
    server: RecordingServer,
) -> None:
    server.routes["/sms/send"] = lambda r: Reply(hang_up=True)
    with server.client() as dc, pytest.raises(ResponseLost) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert caught.value.endpoint == "/sms/send"
    assert len(server.calls("/sms/send")) == 1  # not retried


def test_an_answer_slower_than_the_timeout_is_response_lost(server: RecordingServer) -> None:
    server.routes["/sms/send"] = lambda r: Reply(body=json.dumps(SEND_OK).encode(), delay=1.5)
    with server.client(timeout=0.3) as dc, pytest.raises(ResponseLost):
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert len(server.calls("/sms/send")) == 1


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (Reply(500, b"Internal Server Error", "text/plain"), 500),
        (Reply(502, b"<html><body>Bad Gateway</body></html>", "text/html"), 502),
        (Reply(200, b"<html><body>Manuten\xc3\xa7\xc3\xa3o</body>", "text/html"), 200),
        (Reply(200, b'{"api": "sms"', "application/json"), 200),
    ],
)
def test_an_answer_without_an_envelope_is_server_failure(
    server: RecordingServer, reply: Reply, status: int
) -> None:
    server.routes["/sms/send"] = lambda r: reply
    with server.client() as dc, pytest.raises(ServerFailure) as caught:
        dc.send("5541999990001", "Oi", sender=SENDER)
    assert caught.value.status_code == status
    assert caught.value.endpoint == "/sms/send"
    assert f"HTTP {status}" in str(caught.value)


# -- secrets ---------------------------------------------------------------------------------


def test_the_secret_and_tokens_never_reach_logs_reprs_or_errors(
    server: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    refused: set[str] = set()
    status_calls: list[int] = []

    def status(request: Recorded) -> Reply:
        status_calls.append(1)
        if token_of(request) in refused:
            return INVALID_TOKEN
        if len(status_calls) > 3:
            return Reply(hang_up=True)
        return reply_json(envelope("000", "ok", callerid="9", detalhe=[]))

    server.routes["/sms/status"] = status
    server.routes["/sms/remove"] = lambda r: Reply(500, b"oops", "text/plain")
    server.routes["/sms/send"] = lambda r: reply_json(envelope("201", "Saldo insuficiente!"))
    shown: list[str] = []
    dc = server.client(response_format="XML")
    with dc:
        shown.append(repr(dc))
        shown.append(repr(dc.status("9")))
        refused.add(server.tokens[0])
        shown.append(repr(dc.status("9")))  # 401, renewed, repeated
        for call in (
            lambda: dc.send("5541999990001", "Oi", sender=SENDER),
            lambda: dc.status("9"),
            lambda: dc.cancel("9"),
        ):
            with pytest.raises(DirectCallError) as caught:
                call()
            shown += [str(caught.value), repr(caught.value)]
            shown += [str(caught.value.__cause__), repr(caught.value.__cause__)]
        shown.append(repr(dc))
    closed = f"http://127.0.0.1:{free_port()}"
    unreachable = DirectCall(CLIENT_ID, server.secret, base_url=closed, environ={})
    with unreachable, pytest.raises(RequestNotSent) as not_sent:
        unreachable.status("9")
    shown += [str(not_sent.value), repr(not_sent.value), str(not_sent.value.__cause__)]
    refused_login = DirectCall(CLIENT_ID, "wrong", base_url=server.url, environ={})
    with refused_login, pytest.raises(AuthenticationError) as wrong:
        refused_login.status("9")
    shown += [str(wrong.value), repr(wrong.value)]

    assert len(server.tokens) == 2
    ours = [r for r in caplog.records if r.name == "directcall_nb.client"]
    assert len(ours) == len(server.requests) + 1  # + the connection that was refused
    assert "GET /sms/status -> HTTP 401" in caplog.text
    assert "POST /sms/send -> HTTP 200 codigo 201" in caplog.text
    everything = caplog.text + "\n".join(shown)
    for secret in (server.secret, *server.tokens):
        assert secret not in everything


def _everything_reachable(error: BaseException) -> str:
    """Return the reprs of all an error lets a curious user reach: its chain, its frames' locals."""
    seen: list[str] = []
    stack: list[BaseException] = [error]
    while stack:
        current = stack.pop()
        seen += [repr(current), str(current), repr(vars(current))]
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
        frame_tb = current.__traceback__
        while frame_tb is not None:
            for name, value in frame_tb.tb_frame.f_locals.items():
                seen.append(f"{name}={value!r}")
                if isinstance(value, dict | list | tuple):
                    seen.append(repr(list(value.values() if isinstance(value, dict) else value)))
            frame_tb = frame_tb.tb_next
    return "\n".join(seen)


def _verbose_traceback(error: BaseException) -> str:
    """Return what ``%xmode Verbose`` prints for ``error``: every frame, with its locals."""
    from IPython.core.ultratb import VerboseTB

    return VerboseTB(theme_name="nocolor").text(type(error), error, error.__traceback__)


def _errors_of_every_kind(server: RecordingServer) -> list[BaseException]:
    """Make the client fail in every way; the frames of these errors end here."""
    caught: list[BaseException] = []
    with server.client() as dc:
        dc.send("5541999990001", "Oi", sender=SENDER)  # a token in hand
        server.routes["/sms/status"] = lambda r: Reply(hang_up=True)  # the token is in the URL
        server.routes["/sms/remove"] = lambda r: Reply(500, b"oops", "text/plain")
        server.routes["/sms/send"] = lambda r: reply_json(envelope("201", "Saldo insuficiente!"))
        server.routes["/extrato/list"] = lambda r: Reply(hang_up=True)
        for call in (
            lambda: dc.status("9"),
            lambda: dc.cancel("9"),
            lambda: dc.send("5541999990001", "Oi", sender=SENDER),
            lambda: dc.search_statement({"directcall_nb": "x-1"}, start=MORNING, end=MORNING),
        ):
            with pytest.raises(DirectCallError) as error:
                call()
            caught.append(error.value)
    closed = f"http://127.0.0.1:{free_port()}"
    with DirectCall(CLIENT_ID, server.secret, base_url=closed, environ={}) as unreachable:
        with pytest.raises(RequestNotSent) as not_sent:  # the secret was in the login form
            unreachable.send("5541999990001", "Oi", sender=SENDER)
        caught.append(not_sent.value)
    server.routes["/request_token"] = lambda r: Reply(hang_up=True)
    with server.client() as lost_login, pytest.raises(RequestNotSent) as lost:
        lost_login.status("9")
    caught.append(lost.value)
    return caught


def test_no_error_lets_anyone_reach_the_secret_or_the_token(server: RecordingServer) -> None:
    caught = _errors_of_every_kind(server)
    assert [type(e).__name__ for e in caught] == [
        "ResponseLost",
        "ServerFailure",
        "InsufficientBalance",
        "ResponseLost",
        "RequestNotSent",
        "RequestNotSent",
    ]
    assert server.tokens
    for error in caught:
        assert error.__cause__ is None or isinstance(error.__cause__, DirectCallError)
        assert "httpx" not in repr(error.__context__)
        reachable = _everything_reachable(error) + _verbose_traceback(error)
        assert "analista@example.com.br" in reachable or "sms" in reachable  # it does show things
        for secret in (server.secret, *server.tokens):
            assert secret not in reachable, type(error).__name__


def test_threads_waiting_for_a_login_that_fails_share_its_failure(
    server: RecordingServer,
) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(8)
    clock = MovingClock(1_000.0)
    dc = DirectCall(CLIENT_ID, "wrong secret", base_url=server.url, environ={}, clock=clock)

    def send() -> None:
        start.wait()
        try:
            dc.send("5541999990001", "Oi", sender=SENDER)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(8)]
    with dc:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(server.calls("/request_token")) == 1
        assert len(errors) == 8
        assert all(isinstance(e, AuthenticationError) for e in errors)
        assert len({id(e) for e in errors}) == 8  # each thread raised its own copy
        with pytest.raises(AuthenticationError, match="Falha na autenticação"):
            dc.authenticate()  # not asked again so soon: the answer is remembered
        assert len(server.calls("/request_token")) == 1
        clock.now += REFUSED_LOGIN_PAUSE
        with pytest.raises(AuthenticationError):  # a minute later, it asks again
            dc.authenticate()
    assert len(server.calls("/request_token")) == 2
    assert server.calls("/sms/send") == []


def test_a_status_whose_msg_is_a_string_is_read_for_every_recipient(
    server: RecordingServer,
) -> None:
    server.routes["/sms/status"] = lambda r: reply_json(envelope("000", "Entregue"))
    with server.client() as dc:
        answer = dc.status("123")
    assert answer.recipients == ()
    assert answer.status_of("5541999990001") == "Entregue"


def test_neither_the_client_nor_its_secrets_can_be_pickled(server: RecordingServer) -> None:
    import copy
    import pickle

    from directcall_nb.client._credentials import Secret

    secret = Secret(server.secret)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(secret)
    with pytest.raises(TypeError, match="cannot be pickled"):
        copy.deepcopy(secret)
    with server.client() as dc:
        dc.send("5541999990001", "Oi", sender=SENDER)
        with pytest.raises(TypeError):
            pickle.dumps(dc)
    assert server.secret not in repr(secret) + str(secret)
