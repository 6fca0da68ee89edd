"""Whatever a request carries, the sandbox answers with DirectCall's envelope, never a 5xx.

Arbitrary field values (unicode digits, huge numbers, NUL, invalid UTF-8, repeated fields,
unknown fields) are posted to every endpoint over a real loopback socket, as a query string, a
form body or a multipart body, asking for JSON or XML. The answer must be an envelope in the
format asked for, with a three-character ``codigo``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_from_bytes

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directcall_nb.sandbox import Sandbox
from directcall_nb.sandbox._app import ROUTES

SENDER = "5541999990000"
BOUNDARY = "fuzz-7MA4YWxkTrZu0gW-boundary"

#: The fields each endpoint reads, and the one that chooses the answer's format.
FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "/request_token": (("client_id", "client_secret"), "format"),
    "/sms/send": (
        (
            "access_token",
            "origem",
            "destino",
            "texto",
            "tipo",
            "cron",
            "short_number",
            "id_origem",
            "enviar_de",
            "enviar_ate",
            "campos[lote]",
            "campos",
        ),
        "format",
    ),
    "/sms/status": (("access_token", "code"), "format"),
    "/sms/remove": (("access_token", "code"), "format"),
    "/sms/recebimento": (
        ("access_token", "data_inicio", "data_fim", "pagina", "itens_por_pagina"),
        "format",
    ),
    "/extrato/list": (
        (
            "access_token",
            "dataInicial",
            "dataFinal",
            "numeroOrigem",
            "numeroDestino",
            "callerid",
            "pagina",
            "tipoFiltro",
            "campos[lote]",
            "campos",
        ),
        "formato",
    ),
}

#: Values that tripped, or could trip, a parser of numbers, dates or flags.
TRICKY = [
    "",
    " ",
    "²",
    "٣",
    "１２",
    "¹²",
    "9" * 30,
    "9" * 5000,
    "-1",
    "0",
    "1.5",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "\x00",
    "5\x00",
    "s",
    "n",
    "voz",
    "texto",
    "23",
    "24",
    "5541999990001",
    "5541999990001;5541999990002",
    "00351912345678",
    "٥٥٤١٩٩٩٩٩٠٠٠١",
    "25-12-2030-10-00-00",
    "31-02-2030-10-00-00",
    "٢٥-١٢-٢٠٣٠-١٠-٠٠-٠٠",
    "31-12-9999-23-59-59",
    "2026-03-02 09:00:00",
    "9999-12-31 23:59:59",
    "0000-01-01 00:00:00",
    "20260302090000",
    "99991231235959",
    "1",
    "a" * 701,
]


@dataclass(frozen=True)
class Account:
    url: str
    client_id: str
    client_secret: str
    token: str


@pytest.fixture(scope="module")
def account() -> Iterator[Account]:
    # invalid_token="006": an unknown token is answered with an envelope too (the 401 form,
    # OAuth-style, is DirectCall's other habit and is tested in test_sandbox.py).
    with Sandbox(balance=10**12, invalid_token="006") as sb, httpx.Client(base_url=sb.url) as http:
        credentials = {"client_id": sb.client_id, "client_secret": sb.client_secret}
        token = http.post("/request_token", data=credentials).json()["access_token"]
        yield Account(sb.url, sb.client_id, sb.client_secret, token)


@pytest.fixture(scope="module")
def http(account: Account) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=account.url, timeout=30.0) as client:
        yield client


def test_every_endpoint_is_fuzzed() -> None:
    assert set(FIELDS) == set(ROUTES)


def valid_fields(account: Account, path: str) -> dict[str, str]:
    """Fields that make a request to ``path`` succeed, so that mutating one reaches its parser."""
    token = account.token
    return {
        "/request_token": {"client_id": account.client_id, "client_secret": account.client_secret},
        "/sms/send": {"access_token": token, "origem": SENDER, "destino": "5541999990001",
                      "texto": "Olá"},
        "/sms/status": {"access_token": token, "code": "1"},
        "/sms/remove": {"access_token": token, "code": "1"},
        "/sms/recebimento": {"access_token": token, "data_inicio": "2026-03-02 09:00:00",
                             "data_fim": "2026-03-02 10:00:00"},
        "/extrato/list": {"access_token": token, "dataInicial": "20260101000000",
                          "dataFinal": "20361231235959"},
    }[path]  # fmt: skip


#: A field's raw value: mostly a tricky one or digits of any kind, else any text or bytes.
VALUES = st.one_of(
    st.sampled_from(TRICKY).map(str.encode),
    st.sampled_from(TRICKY).map(str.encode),
    # digits of any script, and numbers that are not digits (², ½, Ⅻ)
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4).map(str.encode),
    st.text(max_size=40).map(str.encode),
    st.binary(max_size=40),
)

#: Unknown field names, some not even UTF-8 (none that would break a multipart header).
EXTRA_NAMES = (
    st.text(min_size=1, max_size=12).map(str.encode) | st.binary(min_size=1, max_size=8)
).filter(lambda n: not set(b'"\r\n\\') & set(n))


@st.composite
def requests(draw: st.DrawFn, account: Account, path: str) -> dict[str, Any]:
    """One request to ``path``: a valid one with a few fields changed, dropped, added, repeated.

    Also drawn: the method, the encoding (query string, form, multipart with files) and the
    format asked for.
    """
    known, format_field = FIELDS[path]
    fields = {k: v.encode() for k, v in valid_fields(account, path).items()}
    changed = min(draw(st.sampled_from([1, 1, 1, 2, 3])), len(known))
    for name in draw(
        st.lists(st.sampled_from(known), unique=True, min_size=changed, max_size=changed)
    ):
        fields[name] = draw(VALUES)
    if draw(st.sampled_from([False] * 5 + [True])):
        del fields[draw(st.sampled_from(sorted(fields)))]
    pairs = [(k.encode(), v) for k, v in fields.items()]
    for extra in draw(st.lists(EXTRA_NAMES, max_size=draw(st.sampled_from([0, 0, 1, 2])))):
        if extra.decode("utf-8", "replace") not in (*known, format_field):
            pairs.append((extra, draw(VALUES)))
    if pairs and draw(st.sampled_from([False] * 7 + [True])):
        pairs.append(draw(st.sampled_from(pairs)))  # a field sent twice
    fmt = draw(st.sampled_from([None, None, "JSON", "XML", "xml", " Xml ", "json"]))
    if draw(st.sampled_from([False] * 7 + [True])):
        fmt = draw(st.text())
    if fmt is not None:
        pairs.insert(draw(st.integers(0, len(pairs))), (format_field.encode(), fmt.encode()))
    pairs = draw(st.permutations(pairs))
    method = draw(st.sampled_from(["POST"] * 5 + ["GET"]))
    encoding = "query" if method == "GET" else draw(st.sampled_from(["form", "multipart", "query"]))
    files: list[tuple[str, bytes]] = []
    if encoding == "multipart" and path == "/sms/send":
        for name in draw(st.lists(st.sampled_from(["destino_csv", "audio"]), unique=True)):
            files.append((name, draw(st.binary(max_size=200))))
    return {
        "path": path,
        "method": method,
        "encoding": encoding,
        "pairs": pairs,
        "files": files,
        "format_field": format_field,
    }


def urlencoded(pairs: list[tuple[bytes, bytes]]) -> str:
    return "&".join(f"{quote_from_bytes(k)}={quote_from_bytes(v)}" for k, v in pairs)


def multipart(pairs: list[tuple[bytes, bytes]], files: list[tuple[str, bytes]]) -> bytes:
    parts = [
        b'Content-Disposition: form-data; name="' + name + b'"\r\n\r\n' + value
        for name, value in pairs
    ]
    parts += [
        f'Content-Disposition: form-data; name="{name}"; filename="{name}.bin"\r\n'.encode()
        + b"Content-Type: application/octet-stream\r\n\r\n"
        + data
        for name, data in files
    ]
    delimiter = b"--" + BOUNDARY.encode()
    body = b"".join(delimiter + b"\r\n" + part + b"\r\n" for part in parts)
    return body + delimiter + b"--\r\n"


def send(http: httpx.Client, request: dict[str, Any]) -> httpx.Response:
    pairs, path = request["pairs"], request["path"]
    if request["encoding"] == "query":
        return http.request(request["method"], f"{path}?{urlencoded(pairs)}")
    if request["encoding"] == "form":
        content = urlencoded(pairs).encode("ascii")
        content_type = "application/x-www-form-urlencoded"
    else:
        content = multipart(pairs, request["files"])
        content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return http.request(
        request["method"], path, content=content, headers={"Content-Type": content_type}
    )


def asks_for_xml(request: dict[str, Any]) -> bool:
    """Return whether the request asks for XML: one readable ``format`` field saying so."""
    name = request["format_field"].encode()
    given: list[bytes] = [value for key, value in request["pairs"] if key == name]
    if len(given) != 1:
        return False
    try:
        return given[0].decode("utf-8").strip().upper() == "XML"
    except UnicodeDecodeError:
        return False


def parsed(answer: httpx.Response, xml: bool) -> dict[str, Any]:
    """Return the answer's top-level fields, from JSON or from XML's children of ``<response>``."""
    content_type = answer.headers["content-type"]
    if xml:
        assert content_type.startswith("application/xml"), (content_type, answer.text[:300])
        root = ET.fromstring(answer.content)
        assert root.tag == "response"
        return {child.tag: child.text for child in root}
    assert content_type.startswith("application/json"), (content_type, answer.text[:300])
    body = json.loads(answer.content)
    assert isinstance(body, dict)
    return body


#: Examples drawn per endpoint: more where more fields meet before the one that fails.
EXAMPLES = {"/sms/send": 500, "/extrato/list": 400}


@pytest.mark.parametrize("path", sorted(FIELDS))
def test_any_request_gets_an_envelope_in_the_format_asked(
    account: Account, http: httpx.Client, path: str
) -> None:
    @settings(
        max_examples=EXAMPLES.get(path, 200),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(request=requests(account, path))
    def answers_with_an_envelope(request: dict[str, Any]) -> None:
        answer = send(http, request)

        assert answer.status_code < 500, answer.text[:300]
        body = parsed(answer, asks_for_xml(request))
        if path == "/request_token" and "access_token" in body:
            return  # a token, as DirectCall answers it: no envelope
        assert {"api", "modulo", "status", "codigo", "msg"} <= set(body), body
        codigo = body["codigo"]
        assert isinstance(codigo, str), body
        assert len(codigo) == 3, body

    answers_with_an_envelope()


@pytest.mark.parametrize("path", sorted(FIELDS))
def test_every_tricky_value_in_every_field_gets_an_envelope(
    account: Account, http: httpx.Client, path: str
) -> None:
    known, format_field = FIELDS[path]
    for name in known:
        for value in TRICKY:
            for fmt in ("JSON", "XML"):
                fields = {**valid_fields(account, path), name: value, format_field: fmt}
                answer = http.post(path, data=fields)

                assert answer.status_code < 500, (name, value, answer.text[:300])
                body = parsed(answer, fmt == "XML")
                if "access_token" not in body:
                    assert len(str(body["codigo"])) == 3, (name, value, body)


@pytest.mark.parametrize(
    ("path", "fields", "named"),
    [
        ("/sms/send", {"enviar_de": "²"}, "enviar_de"),
        ("/sms/send", {"enviar_ate": "٣"}, "enviar_ate"),
        ("/sms/send", {"cron": "٢٥-١٢-٢٠٣٠-١٠-٠٠-٠٠"}, "cron"),
        ("/sms/send", {"origem": "5541999990000\x00"}, "origem"),
        ("/sms/recebimento", {"pagina": "²"}, "pagina"),
        ("/sms/recebimento", {"pagina": "9" * 30}, "pagina"),
        ("/sms/recebimento", {"itens_por_pagina": "9" * 5000}, "itens_por_pagina"),
        ("/sms/recebimento", {"data_inicio": "٢٠٢٦-٠٣-٠٢ ٠٩:٠٠:٠٠"}, "data_inicio"),
    ],
)
def test_number_and_date_fields_take_only_ascii_digits_in_range(
    account: Account, http: httpx.Client, path: str, fields: dict[str, str], named: str
) -> None:
    base = {
        "/sms/send": {"origem": SENDER, "destino": "5541999990001", "texto": "Olá"},
        "/sms/recebimento": {
            "data_inicio": "2026-03-02 09:00:00",
            "data_fim": "2026-03-02 10:00:00",
        },
    }[path]
    for fmt in ("JSON", "XML"):
        form = {"access_token": account.token, **base, **fields, "format": fmt}
        answer = http.post(path, data=form)

        assert answer.status_code == 200
        body = parsed(answer, fmt == "XML")
        assert body["codigo"] == "001"
        assert named in str(body["msg"])


def test_invalid_utf8_repeated_fields_and_nul_are_refused_naming_the_field(
    account: Account, http: httpx.Client
) -> None:
    base = f"access_token={account.token}&origem={SENDER}&destino=5541999990001"
    cases = {
        "texto": base + "&texto=Ol%E1",  # latin-1, not UTF-8
        "destino": base + "&texto=oi&destino=5541999990002",
        "texto ": base + "&texto=o%00i",
    }
    for named, content in cases.items():
        answer = http.post(
            "/sms/send",
            content=content + "&format=XML",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        body = parsed(answer, xml=True)
        assert body["codigo"] == "001", body
        assert f"campo {named.strip()} " in str(body["msg"])
    multipart_latin1 = multipart(
        [(b"access_token", account.token.encode()), (b"texto", b"Ol\xe1"), (b"format", b"XML")], []
    )
    answer = http.post(
        "/sms/status",
        content=multipart_latin1,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert parsed(answer, xml=True)["codigo"] == "001"


def test_errors_before_the_body_is_read_follow_the_format_of_the_query_string(
    http: httpx.Client,
) -> None:
    wrong_method = http.get("/sms/send?format=XML")
    unreadable = http.post(
        "/sms/status?format=XML",
        content=b"--x\r\nContent-Disposition: form-data; name=code\r\n\r\n1",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )

    assert wrong_method.status_code == 405
    assert parsed(wrong_method, xml=True)["codigo"] == "001"
    assert unreadable.status_code == 400
    assert parsed(unreadable, xml=True)["codigo"] == "001"


def test_xml_answers_carry_any_text_and_any_key(account: Account, http: httpx.Client) -> None:
    answer = http.post(
        "/sms/send",
        data={
            "access_token": account.token,
            "origem": SENDER,
            "destino": "5541999990001",
            "texto": "Olá",
            "tipo": "\x01\x1b<&>",
            "format": "XML",
        },
    )

    body = parsed(answer, xml=True)
    assert body["codigo"] == "001"
    assert "tipo" in str(body["msg"])


# -- the sandbox's own routes -------------------------------------------------------------------

#: The keys the ``/_sandbox`` routes read.
CONTROL_KEYS = [
    "balance",
    "latency",
    "server_error",
    "drop_before",
    "drop_after",
    "seed",
    "endpoints",
    "origem",
    "texto",
    "when",
    "destino",
    "phone",
    "status",
    "advance",
    "at",
]

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(TRICKY),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
)


@pytest.fixture(scope="module")
def controlled() -> Iterator[httpx.Client]:
    # A sandbox of its own: these requests change its faults, latency and clock.
    with Sandbox() as sb, httpx.Client(base_url=sb.url, timeout=30.0) as client:
        yield client


def test_the_sandbox_routes_answer_json_and_never_fail(controlled: httpx.Client) -> None:
    listed = controlled.get("/_sandbox").json()["routes"]
    assert "/_sandbox/clock" in listed

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        route=st.sampled_from(listed),
        method=st.sampled_from(["GET", "POST"]),
        body=st.dictionaries(st.sampled_from(CONTROL_KEYS) | st.text(max_size=8), JSON_VALUES),
        as_form=st.booleans(),
    )
    def answers_in_json(route: str, method: str, body: dict[str, Any], as_form: bool) -> None:
        if method == "GET":
            answer = controlled.get(route)
        elif as_form:
            form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
            answer = controlled.post(route, data=form)
        else:
            answer = controlled.post(
                route,
                content=json.dumps(body, allow_nan=True),
                headers={"Content-Type": "application/json"},
            )

        assert answer.status_code in (200, 400, 404, 405), (route, body, answer.text[:300])
        assert isinstance(answer.json(), dict)

    answers_in_json()


def test_every_tricky_value_in_every_sandbox_route_is_answered_in_json(
    controlled: httpx.Client,
) -> None:
    routes = controlled.get("/_sandbox").json()["routes"]
    tricky: list[Any] = [
        10**400,
        -(10**400),
        1e308,
        -1,
        float("nan"),
        float("inf"),
        None,
        True,
        [],
        {},
        "²",
        "9" * 5000,
        "nan",
        "\x00",
    ]
    for route in routes:
        for key in CONTROL_KEYS:
            for value in tricky:
                content = json.dumps({key: value}, allow_nan=True)
                answer = controlled.post(
                    route, content=content, headers={"Content-Type": "application/json"}
                )
                assert answer.status_code in (200, 400, 405), (route, key, value, answer.text)
                assert isinstance(answer.json(), dict)
