"""The client end to end against the sandbox: what was sent is what the sandbox delivered."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from helpers import MovingClock

from directcall_nb.client import DirectCall
from directcall_nb.errors import (
    InsufficientBalance,
    InvalidParameters,
    ResponseLost,
    ServerFailure,
    UnknownIdentifier,
)
from directcall_nb.sandbox import Faults, ManualClock, Sandbox

SENDER = "5541999990000"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(balance=100_000) as sb:
        yield sb


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[DirectCall]:
    with sandbox.client(environ={}) as dc:
        yield dc


def numbers(count: int, start: int = 0) -> list[str]:
    return [f"55419{i:08d}" for i in range(start, start + count)]


def requests_made(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the client's log line of each request it made (``POST /sms/send -> HTTP 200 ...``)."""
    return [r.getMessage() for r in caplog.records if r.name == "directcall_nb.client"]


def count(lines: list[str], start: str) -> int:
    return sum(line.startswith(start) for line in lines)


@pytest.mark.parametrize("count", [1, 10, 5000])
def test_a_send_is_delivered_to_every_recipient(
    sandbox: Sandbox, client: DirectCall, count: int
) -> None:
    phones = numbers(count)
    before = sandbox.balance
    sent = client.send(iter(phones), "Olá, tudo bem? Promoção só hoje!", sender=SENDER)

    messages = sandbox.messages()
    assert sorted(messages["phone"]) == phones
    assert set(messages["text"]) == {"Olá, tudo bem? Promoção só hoje!"}
    assert set(messages["channel"]) == {"sms"}
    assert set(messages["callerid"]) == {sent.callerid}
    assert [r.destino for r in sent.recipients] == phones
    assert sorted((r.id_mensagem for r in sent.recipients), key=str) == sorted(
        str(i) for i in messages["id_mensagem"]
    )
    assert before - sandbox.balance == messages["segments"].sum()


def test_status_reports_each_recipient(sandbox: Sandbox, client: DirectCall) -> None:
    phones = numbers(3)
    sandbox.set_delivery_status(phones[1], "nao_entregue")
    sent = client.send(phones, "Oi", sender=SENDER)
    assert sent.callerid is not None

    status = client.status(sent.callerid)
    by_phone = {r.destino: r.status for r in status.recipients}
    assert set(by_phone) == set(phones)
    assert by_phone[phones[1]] == "nao_entregue"
    messages = sandbox.messages()
    assert by_phone == dict(zip(messages["phone"], messages["status"], strict=True))


def test_status_of_an_unknown_callerid(client: DirectCall) -> None:
    with pytest.raises(InvalidParameters) as caught:
        client.status("123456789")
    assert (caught.value.codigo, caught.value.endpoint) == ("009", "/sms/status")


def test_a_scheduled_send_can_be_cancelled(sandbox: Sandbox, client: DirectCall) -> None:
    before = sandbox.balance
    when = datetime.now() + timedelta(days=30)
    sent = client.send(numbers(12), "Lembrete", sender=SENDER, schedule=when)
    assert sent.callerid is not None
    assert {r.status for r in client.status(sent.callerid).recipients} == {"agendado"}
    assert sandbox.balance < before

    cancelled = client.cancel(sent.callerid)

    assert cancelled.codigo == "000"
    assert set(sandbox.messages()["status"]) == {"cancelado"}
    assert sandbox.balance == before
    with pytest.raises(UnknownIdentifier):
        client.cancel(sent.callerid)


def test_the_schedule_reaches_the_sandbox_in_brazil_time(
    sandbox: Sandbox, client: DirectCall
) -> None:
    client.send("5541999990001", "Oi", sender=SENDER, schedule=datetime(2031, 12, 25, 14, 30))
    scheduled = sandbox.messages()["scheduled_for"].iloc[0]
    assert (scheduled.year, scheduled.month, scheduled.day) == (2031, 12, 25)
    assert (scheduled.hour, scheduled.minute, scheduled.utcoffset()) == (
        14,
        30,
        timedelta(hours=-3),
    )


def test_received_lists_every_reply_across_pages(
    sandbox: Sandbox, client: DirectCall, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="directcall_nb.client")
    client.send(numbers(5), "Responda SAIR para não receber mais", sender=SENDER)
    for phone in numbers(5):
        sandbox.add_reply(phone, f"SAIR {phone[-1]}")

    now = datetime.now(UTC)
    replies = client.received(now - timedelta(hours=1), now + timedelta(hours=1), per_page=2)

    assert sorted(replies["origem"]) == numbers(5)
    assert sorted(replies["texto"]) == [f"SAIR {i}" for i in range(5)]
    assert set(replies["destino"]) == {SENDER}
    assert count(requests_made(caplog), "POST /sms/recebimento -> HTTP 200 codigo 000") == 3


def test_insufficient_balance_delivers_nothing(sandbox: Sandbox, client: DirectCall) -> None:
    sandbox.set_balance(3)
    with pytest.raises(InsufficientBalance) as caught:
        client.send(numbers(5), "Oi", sender=SENDER)
    assert (caught.value.codigo, caught.value.endpoint) == ("201", "/sms/send")
    assert len(sandbox.messages()) == 0
    assert sandbox.balance == 3


def test_voice_with_audio_and_options(sandbox: Sandbox, client: DirectCall) -> None:
    client.send(
        numbers(2),
        "Sua consulta é amanhã às 9h",
        sender=SENDER,
        channel="voice",
        audio=b"ID3" + bytes(1000),
        show_sender=True,
        short_number=False,
    )
    messages = sandbox.messages()
    assert set(messages["channel"]) == {"voice"}
    assert list(messages["audio"]) == [True, True]
    assert list(messages["show_sender"]) == [True, True]
    assert list(messages["short_number"]) == [False, False]


def test_a_token_that_expires_mid_use_is_renewed_transparently(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="directcall_nb.client")
    ours = MovingClock(100.0)
    with (
        Sandbox(token_ttl=3600, expires_in=True, clock=ManualClock()) as sandbox,
        sandbox.client(environ={}, clock=ours) as client,
    ):
        sent = client.send(numbers(2), "Oi", sender=SENDER)
        assert sent.callerid is not None
        ours.now += 3600 - 59  # renewed before its end, without a refusal
        sandbox.clock.advance(3600 - 59)
        client.status(sent.callerid)
        sandbox.clock.advance(3600)  # the server's token expired: refused, renewed, repeated
        client.send(numbers(2, start=10), "Oi de novo", sender=SENDER)

        assert len(sandbox.messages()) == 4
    made = requests_made(caplog)
    assert count(made, "POST /request_token -> HTTP 200") == 3  # first, before expiry, after 401
    assert count(made, "GET /sms/status -> HTTP 401") == 0
    assert count(made, "POST /sms/send -> HTTP 401") == 1


def test_xml_answers_from_the_sandbox(sandbox: Sandbox) -> None:
    with sandbox.client(environ={}, response_format="XML") as client:
        sent = client.send(numbers(11), "Olá em XML", sender=SENDER)
        assert sent.callerid is not None
        status = client.status(sent.callerid)
        sandbox.set_balance(0)
        with pytest.raises(InsufficientBalance):
            client.send(numbers(1), "Oi", sender=SENDER)
    assert [r.destino for r in sent.recipients] == numbers(11)
    assert all(r.id_mensagem and r.id_mensagem.isdigit() for r in sent.recipients)
    assert sorted(r.destino for r in status.recipients) == numbers(11)
    assert set(sandbox.messages()["callerid"]) == {sent.callerid}


@pytest.mark.parametrize(
    ("faults", "error", "delivered"),
    [
        (Faults(server_error=1.0), ServerFailure, 0),
        (Faults(drop_before=1.0), ResponseLost, 0),
        (Faults(drop_after=1.0), ResponseLost, 2),
    ],
)
def test_faults_are_reported_and_not_retried(
    sandbox: Sandbox,
    client: DirectCall,
    faults: Faults,
    error: type[Exception],
    delivered: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="directcall_nb.client")
    sandbox.set_faults(faults)
    with pytest.raises(error):
        client.send(numbers(2), "Oi", sender=SENDER)
    assert len(sandbox.messages()) == delivered
    assert count(requests_made(caplog), "POST /sms/send") == 1
