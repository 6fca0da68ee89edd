"""Reconciliation with the usage statement, against a server whose answers are written here.

The recording server of ``recording_server`` (the standard library's HTTP server on a loopback
port) answers ``/sms/send`` and ``/extrato/list`` as each test says: a send whose connection is
dropped leaves an ambiguous request in the journal, and the statement then lists its tag, or
does not, or answers something that cannot be read. What is asserted is what the journal, the
reports and the server's record of requests say.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pytest
from recording_server import (
    CLIENT_ID,
    SEND_OK,
    Recorded,
    RecordingServer,
    Reply,
    envelope,
    reply_json,
)

import directcall_nb
from directcall_nb import Journal
from directcall_nb.errors import AuthenticationError, InvalidOption
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.report import SendReport
from directcall_nb.sending._reconcile import settle

SENDER = "5541999990000"
ANA, BRUNO, CARLA = "5541999990001", "5541999990002", "5541999990003"
TEXT = "Olá {nome}, sua fatura vence amanhã."
T = TypeVar("T")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


def customers(*phones: str) -> pd.DataFrame:
    return pd.DataFrame({"tel": list(phones), "nome": [f"Cliente {p[-1]}" for p in phones]})


def send(server: RecordingServer, frame: pd.DataFrame, path: Path, **options: Any) -> SendReport:
    """Send TEXT to the frame's rows, one request at a time (so in the rows' order)."""
    report: SendReport = directcall_nb.send(
        frame,
        TEXT,
        phone="tel",
        sender=SENDER,
        client=server.client(),
        journal=path,
        progress=False,
        **{"concurrency": 1, **options},
    )
    return report


def dropping(*phones: str) -> Callable[[Recorded], Reply]:
    """Return a send route that drops the requests to ``phones`` (hangs up), answers the rest."""

    def route(request: Recorded) -> Reply:
        fields = request.form() if "urlencoded" in request.headers["content-type"] else {}
        if fields.get("destino") in phones:
            return Reply(hang_up=True)
        return reply_json(SEND_OK)

    return route


def tag_of(request: Recorded) -> str:
    return request.form()["campos[directcall_nb]"]


def listing(*callerids: str) -> Callable[[Recorded], Reply]:
    """Return a statement route listing the tag asked for, under ``callerids``, one entry each."""

    def route(request: Recorded) -> Reply:
        entries = [
            {"callerid": c, "origem": SENDER, "campos": {"directcall_nb": tag_of(request)}}
            for c in callerids
        ]
        return reply_json(envelope("000", entries, pagina=1, paginas=1, total=len(entries)))

    return route


EMPTY = lambda r: reply_json(envelope("000", [], pagina=1, paginas=0, total=0))  # noqa: E731


def later(minutes: float = 31) -> Callable[[], datetime]:
    """Return a clock ``minutes`` ahead of the real one, fixed when it is made."""
    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    return lambda: moment


def brasilia(moment: datetime) -> str:
    return f"{moment.astimezone(BRAZIL_TIME):%Y%m%d%H%M%S}"


def cell(frame: pd.DataFrame, row: int, column: str, kind: type[T]) -> T:
    """Return the value of ``frame`` in the row labelled ``row`` and ``column``: a ``kind``."""
    value = frame.loc[row, column]
    assert isinstance(value, kind), repr(value)
    return value


def requests_of(path: Path) -> pd.DataFrame:
    with Journal(path) as journal:
        return journal.requests()


# -- the tag ---------------------------------------------------------------------------------


def test_every_request_of_a_journal_carries_its_tag_and_a_send_without_one_carries_none(
    server: RecordingServer, path: Path
) -> None:
    many = [f"55419{9000_0000 + i:08d}" for i in range(12)]
    one_text = pd.DataFrame({"tel": many, "nome": ["todos"] * 12})
    send(server, customers(ANA, BRUNO), path)
    send(server, one_text, path)  # twelve recipients: a destino_csv file
    send(server, customers(CARLA), path, channel="voice")
    send(server, customers(CARLA), False)  # type: ignore[arg-type]
    inline_a, inline_b, csv, voice, untagged = server.calls("/sms/send")
    with Journal(path) as journal:
        tags = journal.requests()["tag"].tolist()
        uuid = journal.uuid
    assert tags == [f"{uuid}-{n}" for n in (1, 2, 3, 4)]
    assert [tag_of(inline_a), tag_of(inline_b), tag_of(voice)] == [tags[0], tags[1], tags[3]]
    assert csv.parts()["campos[directcall_nb]"].content.decode() == tags[2]
    assert voice.form()["tipo"] == "voz"
    assert not any(name.startswith("campos") for name in untagged.form())
    for request in (inline_a, voice):  # the tag is all the send says besides the message
        custom = {k: v for k, v in request.form().items() if k.startswith("campos")}
        assert list(custom) == ["campos[directcall_nb]"]


# -- reconcile() -----------------------------------------------------------------------------


def test_a_request_the_statement_lists_is_sent_and_a_rerun_skips_it(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA)
    first = send(server, customers(ANA, BRUNO), path, price_per_segment=Decimal("0.10"))
    assert first.rows["status"].tolist() == ["ambiguous", "sent"]
    server.routes["/extrato/list"] = listing("555")
    now = later()

    settled = directcall_nb.reconcile(server.client(), journal=path, now=now)

    assert settled[["request_id", "outcome", "callerid", "recipients"]].values.tolist() == [
        [1, "sent", "555", 1]
    ]
    assert cell(settled, 0, "detail", str).startswith("confirmed by the statement on ")
    assert settled.loc[0, "asked"] == pd.Timestamp(now())
    (asked,) = server.calls("/extrato/list")
    created = cell(requests_of(path), 0, "created", pd.Timestamp).to_pydatetime()
    assert asked.form()["campos[directcall_nb]"] == tag_of(server.calls("/sms/send")[0])
    assert asked.form()["numeroOrigem"] == SENDER
    assert asked.form()["dataInicial"] == brasilia(created - timedelta(minutes=10))
    assert asked.form()["dataFinal"] == brasilia(now())
    request = requests_of(path).loc[0]
    assert (request["state"], request["callerid"]) == ("sent", "555")
    assert request["reconciliation"] == settled.loc[0, "detail"]
    assert str(request["history"]).splitlines()[-1].split()[1] == "sent:"
    with Journal(path) as journal:
        assert journal.campaigns().loc[0, ["sent", "ambiguous"]].to_numpy().tolist() == [2, 0]
        assert journal.campaigns().loc[0, "cost_sent"] == Decimal("0.20")

    rerun = send(server, customers(ANA, BRUNO), path)
    assert len(server.calls("/sms/send")) == 2
    assert rerun.rows["status"].tolist() == ["already_sent", "already_sent"]
    assert rerun.rows["callerid"].tolist() == ["555", SEND_OK["callerid"]]
    assert rerun.rows.loc[0, "settlement"] == cell(settled, 0, "detail", str)
    assert rerun.rows["settlement"].isna().loc[1]


def test_a_request_the_statement_does_not_list_is_sent_once_by_the_next_run(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA)
    send(server, customers(ANA, BRUNO), path)
    server.routes["/extrato/list"] = EMPTY

    settled = directcall_nb.reconcile(server.client(), journal=path, now=later())

    assert settled["outcome"].tolist() == ["not_sent"]
    assert "not in the statement" in cell(settled, 0, "detail", str)
    assert requests_of(path)["state"].tolist() == ["not_sent", "sent"]
    server.routes["/sms/send"] = dropping()
    rerun = send(server, customers(ANA, BRUNO), path)
    sends = server.calls("/sms/send")
    assert [r.form()["destino"] for r in sends] == [ANA, BRUNO, ANA]
    assert tag_of(sends[2]) != tag_of(sends[0])
    assert rerun.rows["status"].tolist() == ["sent", "already_sent"]
    again = send(server, customers(ANA, BRUNO), path)
    assert len(server.calls("/sms/send")) == 3
    assert again.rows["status"].tolist() == ["already_sent", "already_sent"]


def test_a_statement_it_cannot_read_leaves_the_request_ambiguous_and_it_is_not_resent(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA)
    send(server, customers(ANA), path)
    server.routes["/extrato/list"] = lambda r: reply_json(envelope("000", "Sem registros"))

    settled = directcall_nb.reconcile(server.client(), journal=path, now=later())

    assert settled["outcome"].tolist() == ["ambiguous"]
    detail = cell(settled, 0, "detail", str)
    assert "could not tell" in detail
    assert "a text, not a list" in detail
    request = requests_of(path).loc[0]
    assert (request["state"], request["reconciliation"]) == ("ambiguous", detail)
    rerun = send(server, customers(ANA), path)
    assert len(server.calls("/sms/send")) == 1
    assert rerun.rows["status"].tolist() == ["ambiguous"]
    assert rerun.rows.loc[0, "settlement"] == detail
    assert rerun.rows.loc[0, "msg"] == detail


def test_a_request_too_recent_for_the_statement_is_not_asked_about(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA)
    send(server, customers(ANA), path)
    server.routes["/extrato/list"] = EMPTY

    settled = directcall_nb.reconcile(server.client(), journal=path)

    assert server.calls("/extrato/list") == []
    assert settled["outcome"].tolist() == ["ambiguous"]
    assert "too recent for the statement" in cell(settled, 0, "detail", str)
    assert settled["asked"].isna().loc[0]
    assert requests_of(path)["reconciliation"].isna().all()


def test_once_the_statement_cannot_be_reached_the_other_requests_are_not_asked(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA, BRUNO)
    send(server, customers(ANA, BRUNO), path)
    server.routes["/extrato/list"] = lambda r: Reply(hang_up=True)

    settled = directcall_nb.reconcile(server.client(), journal=path, now=later())

    assert len(server.calls("/extrato/list")) == 1
    assert settled["outcome"].tolist() == ["ambiguous", "ambiguous"]
    assert "the statement could not be asked on" in cell(settled, 0, "detail", str)
    assert cell(settled, 1, "detail", str).startswith("not asked: the statement could not be asked")
    for secret in (server.secret, *server.tokens):
        assert secret not in settled.to_string() + requests_of(path).to_string()
    assert requests_of(path)["state"].tolist() == ["ambiguous", "ambiguous"]


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (reply_json(envelope("001", "Parâmetro inválido")), "Parâmetro inválido"),
        (Reply(503, b"Service Unavailable", "text/plain"), "not a DirectCall envelope"),
    ],
)
def test_an_error_answer_of_the_statement_leaves_the_request_ambiguous(
    server: RecordingServer, path: Path, answer: Reply, why: str
) -> None:
    server.routes["/sms/send"] = dropping(ANA, BRUNO)
    send(server, customers(ANA, BRUNO), path)
    server.routes["/extrato/list"] = lambda r: answer

    settled = directcall_nb.reconcile(server.client(), journal=path, now=later())

    assert len(server.calls("/extrato/list")) == 2  # an answer, even an error, stops nothing
    assert settled["outcome"].tolist() == ["ambiguous", "ambiguous"]
    assert why in cell(settled, 0, "detail", str)
    assert why in cell(settled, 1, "detail", str)


def test_only_tagged_requests_of_the_clients_server_and_account_are_asked_about(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA, BRUNO)
    send(server, customers(ANA, BRUNO), path)
    with Journal(path) as journal:
        elsewhere = journal.start_campaign(
            server=server.url, account="outra@example.com.br", sender=SENDER, channel="sms",
            schedule=None, template="x", price_per_segment=None, rows=1,
        )  # fmt: skip
        claim = journal.claim(elsewhere, text="x", recipients=[CARLA], segments_each=1)
        assert claim.request_id is not None
        journal.mark_ambiguous(claim.request_id, reason="lost")
    with sqlite3.connect(path) as raw:  # as if request 1 had left before requests were tagged
        raw.execute("UPDATE requests SET tag = NULL WHERE id = 1")
    raw.close()
    server.routes["/extrato/list"] = EMPTY

    settled = directcall_nb.reconcile(server.client(), journal=path, now=later())

    assert settled["request_id"].tolist() == [1, 2]
    assert settled["outcome"].tolist() == ["ambiguous", "not_sent"]
    assert "made before requests carried their own id" in cell(settled, 0, "detail", str)
    assert len(server.calls("/extrato/list")) == 1
    assert requests_of(path)["state"].tolist() == ["ambiguous", "not_sent", "ambiguous"]


def test_a_scheduled_request_is_asked_about_only_after_its_schedule(
    server: RecordingServer, path: Path
) -> None:
    schedule = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
    with Journal(path) as journal:
        campaign = journal.start_campaign(
            server=server.url, account=CLIENT_ID, sender=SENDER, channel="sms",
            schedule=schedule, template="x", price_per_segment=None, rows=1,
        )  # fmt: skip
        claim = journal.claim(campaign, text="x", recipients=[ANA], segments_each=1)
        assert claim.request_id is not None
        journal.mark_ambiguous(claim.request_id, reason="lost")
    server.routes["/extrato/list"] = listing("9")

    soon = directcall_nb.reconcile(server.client(), journal=path, now=later(60))
    assert soon["outcome"].tolist() == ["ambiguous"]
    assert server.calls("/extrato/list") == []
    ready = brasilia(schedule + timedelta(minutes=30))
    assert f"from {ready[:4]}-{ready[4:6]}-{ready[6:8]}" in cell(soon, 0, "detail", str)

    after = schedule + timedelta(minutes=45)
    settled = directcall_nb.reconcile(server.client(), journal=path, now=lambda: after)
    assert settled["outcome"].tolist() == ["sent"]
    asked = server.calls("/extrato/list")[0].form()
    assert asked["dataFinal"] == brasilia(schedule + timedelta(minutes=40))


def test_reconcile_refuses_what_it_cannot_use_before_asking_anything(
    server: RecordingServer, path: Path
) -> None:
    client = server.client()
    for bad in (timedelta(minutes=-1), -30, None, "30", float("nan")):
        with pytest.raises(InvalidOption, match=r"older_than=.* is not accepted"):
            directcall_nb.reconcile(client, journal=path, older_than=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidOption, match="campaign must be a campaign id"):
        directcall_nb.reconcile(client, journal=path, campaign="1")  # type: ignore[arg-type]
    with pytest.raises(InvalidOption, match="needs a journal"):
        directcall_nb.reconcile(client, journal=False)
    with pytest.raises(InvalidOption, match="reconcile_older_than"):
        send(server, customers(ANA), path, reconcile_older_than=timedelta(seconds=-1))
    assert server.requests == []


def test_refused_credentials_are_raised_and_nothing_is_recorded(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA)
    send(server, customers(ANA), path)
    before = requests_of(path)
    wrong = directcall_nb.DirectCall(CLIENT_ID, "wrong", base_url=server.url, environ={})
    logins = len(server.calls("/request_token"))
    too_recent = directcall_nb.reconcile(wrong, journal=path)  # nothing to ask: no login
    assert too_recent["outcome"].tolist() == ["ambiguous"]
    assert len(server.calls("/request_token")) == logins
    with pytest.raises(AuthenticationError):
        directcall_nb.reconcile(wrong, journal=path, now=later())
    assert server.calls("/extrato/list") == []
    pd.testing.assert_frame_equal(requests_of(path), before)


def test_a_stopped_send_asks_about_nothing_more(server: RecordingServer, path: Path) -> None:
    server.routes["/sms/send"] = dropping(ANA, BRUNO)
    send(server, customers(ANA, BRUNO), path)
    server.routes["/extrato/list"] = EMPTY
    asked: list[int] = []

    def stopped() -> bool:  # the stop button is pressed while the first request is asked about
        asked.append(len(server.calls("/extrato/list")))
        return len(asked) > 1

    with Journal(path) as journal:
        found = journal.ambiguous()
        settled = settle(server.client(), journal, found, now=later(), stopped=stopped)
    assert [s.outcome for s in settled] == ["not_sent", "ambiguous"]
    assert settled[1].detail == "not asked: the send was stopped"
    assert len(server.calls("/extrato/list")) == 1


# -- at the start of a send ------------------------------------------------------------------


@pytest.mark.parametrize("listed", [True, False])
def test_a_send_settles_the_ambiguous_rows_of_its_campaign_before_it_reports(
    server: RecordingServer, path: Path, listed: bool
) -> None:
    server.routes["/sms/send"] = dropping(BRUNO)
    send(server, customers(ANA, BRUNO, CARLA), path)
    other = directcall_nb.send(
        customers(BRUNO), "Outro texto", phone="tel", sender=SENDER, client=server.client(),
        journal=path, progress=False,
    )  # fmt: skip
    assert other.rows["status"].tolist() == ["ambiguous"]
    server.routes["/sms/send"] = dropping()
    server.routes["/extrato/list"] = listing("321") if listed else EMPTY

    rerun = send(server, customers(ANA, BRUNO, CARLA), path, reconcile_older_than=timedelta(0))

    (asked,) = server.calls("/extrato/list")  # only this campaign's ambiguous request
    assert asked.form()["campos[directcall_nb]"] == requests_of(path).loc[1, "tag"]
    rows = rerun.rows
    assert rows.loc[[0, 2], "status"].tolist() == ["already_sent", "already_sent"]
    assert rows.loc[[0, 2], "settlement"].isna().all()
    if listed:
        assert (rows.loc[1, "status"], rows.loc[1, "callerid"]) == ("already_sent", "321")
        assert cell(rows, 1, "settlement", str).startswith("confirmed by the statement on ")
        assert len(server.calls("/sms/send")) == 4
    else:
        assert rows.loc[1, "status"] == "sent"
        assert cell(rows, 1, "settlement", str).startswith("not in the statement on ")
        assert [r.form()["destino"] for r in server.calls("/sms/send")][4:] == [BRUNO]
    states = requests_of(path)["state"].tolist()
    assert states[:4] == ["sent", "sent" if listed else "not_sent", "sent", "ambiguous"]


def test_a_send_leaves_rows_too_recent_for_the_statement_ambiguous_and_says_why(
    server: RecordingServer, path: Path
) -> None:
    server.routes["/sms/send"] = dropping(ANA)
    send(server, customers(ANA), path)
    server.routes["/extrato/list"] = EMPTY
    rerun = send(server, customers(ANA), path)
    assert server.calls("/extrato/list") == []
    assert rerun.rows["status"].tolist() == ["ambiguous"]
    assert "too recent for the statement" in cell(rerun.rows, 0, "settlement", str)
    assert rerun.rows.loc[0, "msg"] == cell(rerun.rows, 0, "settlement", str)
    assert len(server.calls("/sms/send")) == 1
