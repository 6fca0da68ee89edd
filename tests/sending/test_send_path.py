"""The send path's promises, tried as a hostile user would, through a real sandbox.

Each test compares what the sandbox received and delivered with what the report and the journal
say: bad input is refused before the first claim; after it, a report always comes back; nothing
is sent twice, and nothing sent is reported unsent, nor the reverse.
"""

from __future__ import annotations

import io
import itertools
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest

from directcall_nb import Faults, Journal, Sandbox
from directcall_nb.errors import (
    AuthenticationError,
    InvalidOption,
    InvalidSchedule,
    JournalError,
    TemplateError,
)
from directcall_nb.estimation import estimate
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options import SCHEDULE_LEAD
from directcall_nb.plan import build_plan
from directcall_nb.sending import prepare
from directcall_nb.sending._dispatch import dispatch
from directcall_nb.sending._progress import TextProgress

SENDER = "551130600300"


def customers(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "celular": [f"55219{81000000 + i:08d}" for i in range(count)],
            "nome": [f"Cliente {i}" for i in range(count)],
        }
    )


def sends(sb: Sandbox) -> pd.DataFrame:
    log = sb.requests()
    return log[log["endpoint"] == "/sms/send"]


# -- checks before the first claim -------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"short_number": "s"},
        {"show_sender": 1},
        {"concurrency": "4"},
        {"rate_limit": float("nan")},
        {"max_cost": "0,08", "price_per_segment": "0.08"},
        {"schedule": "amanhã"},
    ],
)
def test_a_bad_option_is_refused_before_anything_is_claimed_and_the_fix_sends_all(
    sb: Sandbox, journal: Journal, bad: dict[str, Any]
) -> None:
    frame = customers(5)
    with pytest.raises(InvalidOption) as caught:
        frame.directcall.send(
            "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal,
            **bad,
        )  # fmt: skip
    assert caught.value.option in bad
    assert sb.requests().empty
    assert journal.campaigns().empty
    assert journal.messages().empty
    report = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal
    )
    assert report.counts == {"sent": 5}
    assert len(sb.messages()) == 5


def test_rows_that_cannot_be_sent_are_invalid_in_every_view_and_the_rest_is_sent(
    sb: Sandbox, journal: Journal
) -> None:
    frame = customers(6).astype({"nome": object})  # text as read from a badly decoded file
    frame.loc[1, "nome"] = "\u00a0"
    frame.loc[2, "nome"] = "Bi\x00a"
    frame.loc[3, "nome"] = "Caio\ud800"
    text = "{nome}"
    est = frame.directcall.estimate(text, phone="celular")
    dry = frame.directcall.send(text, phone="celular", sender=SENDER, dry_run=True)
    report = frame.directcall.send(
        text, phone="celular", sender=SENDER, client=sb.client(), journal=journal
    )
    for rows in (est.rows, dry.rows, report.rows):
        assert rows["status"].iloc[1:4].tolist() == ["invalid"] * 3
    assert report.counts == {"sent": 3, "invalid": 3}
    assert sorted(sb.messages()["text"]) == ["Cliente 0", "Cliente 4", "Cliente 5"]


def test_a_bad_text_is_refused_before_even_a_login(sb: Sandbox, journal: Journal) -> None:
    with pytest.raises(TemplateError, match="lone surrogate"):
        customers(3).directcall.send(
            "Olá \ud83d", phone="celular", sender=SENDER, client=sb.client(), journal=journal
        )
    assert sb.requests().empty


def test_a_directory_as_journal_is_refused_by_name_before_anything_is_sent(
    sb: Sandbox, tmp_path: Path
) -> None:
    with pytest.raises(JournalError, match=f"{tmp_path}.* is a directory"):
        customers(3).directcall.send(
            "Oi", phone="celular", sender=SENDER, client=sb.client(), journal=tmp_path
        )
    assert sends(sb).empty


def test_a_wrong_secret_stops_the_send_before_any_claim_with_one_login(
    sb: Sandbox, journal: Journal
) -> None:
    from directcall_nb.client import DirectCall

    wrong = DirectCall(sb.client_id, "not the secret", base_url=sb.url, environ={})
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            customers(50).directcall.send(
                "Oi {nome}", phone="celular", sender=SENDER, client=wrong, journal=journal
            )
    log = sb.requests()
    assert list(log["endpoint"]) == ["/request_token"]  # the second was not even asked
    assert journal.campaigns().empty


def test_a_schedule_that_passed_while_waiting_for_confirmation_claims_nothing(
    sb: Sandbox, journal: Journal
) -> None:
    when = datetime.now(BRAZIL_TIME) + timedelta(minutes=10)
    plan = build_plan(estimate(customers(3), "Oi", phone="celular", sender=SENDER, schedule=when))
    later = when - SCHEDULE_LEAD + timedelta(seconds=1)
    with pytest.raises(InvalidSchedule, match="less than 1 minute ahead"):
        prepare(plan, client=sb.client(), journal=journal, now=later)
    assert sb.requests().empty
    assert journal.campaigns().empty


def test_a_schedule_that_passes_mid_campaign_leaves_the_rest_not_sent_then_resent(
    sb: Sandbox, journal: Journal
) -> None:
    frame = customers(12)
    when = datetime.now(BRAZIL_TIME) + timedelta(minutes=10)
    plan = build_plan(
        estimate(frame, "Oi {nome}", phone="celular", sender=SENDER, schedule=when, concurrency=1)
    )
    reads = itertools.count()

    def now() -> datetime:  # the clock jumps past the lead after the fourth request
        return when - (timedelta(hours=1) if next(reads) < 4 else SCHEDULE_LEAD / 2)

    report = dispatch(plan, sb.client(), journal=journal, now=now)
    assert report.counts == {"scheduled": 4, "not_sent": 8}
    assert report.stopped is not None
    assert "less than 1 minute away" in report.stopped
    assert len(sb.messages()) == 4
    assert set(journal.messages()["state"]) == {"sent"}  # nothing left pending or ambiguous
    scheduled = set(report.rows.loc[report.rows["status"] == "scheduled", "phone"])
    assert scheduled == set(sb.messages()["phone"])
    again = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        schedule=when + timedelta(hours=1),
    )  # fmt: skip
    assert again.counts == {"scheduled": 12}  # a new schedule: new messages


# -- what the journal knows --------------------------------------------------------------------


def test_two_sandboxes_with_the_same_account_are_two_servers(journal: Journal) -> None:
    frame = customers(3)
    with Sandbox(client_id="analista@empresa.com.br") as first:
        one = frame.directcall.send(
            "Oi", phone="celular", sender=SENDER, client=first.client(), journal=journal
        )
    with Sandbox(client_id="analista@empresa.com.br") as second:
        two = frame.directcall.send(
            "Oi", phone="celular", sender=SENDER, client=second.client(), journal=journal
        )
        assert len(second.messages()) == 3
    assert one.counts == two.counts == {"sent": 3}


def test_a_cancelled_scheduled_campaign_can_be_scheduled_again(
    sb: Sandbox, journal: Journal
) -> None:
    frame = customers(14)  # 14 numbers: one destino_csv request
    when = datetime.now(BRAZIL_TIME) + timedelta(hours=3)
    options: dict[str, Any] = {"sender": SENDER, "schedule": when, "journal": journal}
    first = frame.directcall.send("Oi", phone="celular", client=sb.client(), **options)
    assert first.counts == {"scheduled": 14}
    again = frame.directcall.send("Oi", phone="celular", client=sb.client(), **options)
    assert again.counts == {"already_sent": 14}
    cancelled = again.cancel(sb.client())
    assert cancelled[["recipients", "result"]].values.tolist() == [[14, "cancelled"]]
    assert again.counts == {"cancelled": 14}
    assert set(sb.messages()["status"]) == {"cancelado"}
    third = frame.directcall.send("Oi", phone="celular", client=sb.client(), **options)
    assert third.counts == {"scheduled": 14}
    assert sb.messages()["status"].value_counts().to_dict() == {"cancelado": 14, "agendado": 14}
    assert third.cancel(sb.client())["result"].tolist() == ["cancelled"]
    assert first.cancel(sb.client())["result"].tolist() == []  # cancelled already, per journal


def test_without_dedupe_each_row_is_one_message_whatever_the_files(
    sb: Sandbox, journal: Journal
) -> None:
    phones = [f"55219{81000000 + i % 9:08d}" for i in range(27)]  # each phone three times
    frame = pd.DataFrame({"celular": phones})
    options: dict[str, Any] = {"dedupe": False, "chunk_size": 12, "journal": journal}
    report = frame.directcall.send(
        "Promoção", phone="celular", sender=SENDER, client=sb.client(), **options
    )
    assert [r.recipients for r in report.requests] == [12, 12, 3]
    assert report.counts == {"sent": 27}
    assert sb.messages().groupby("phone").size().eq(3).all()
    rerun = frame.directcall.send(
        "Promoção", phone="celular", sender=SENDER, client=sb.client(), **options
    )
    assert rerun.counts == {"already_sent": 27}
    assert len(sb.messages()) == 27


def test_cells_equal_in_python_but_written_differently_keep_their_own_text(
    sb: Sandbox, journal: Journal
) -> None:
    frame = pd.DataFrame(
        {"celular": [f"55219{81000000 + i:08d}" for i in range(3)], "v": [True, 1, 0]}
    )
    frame.directcall.send(
        "valor {v}", phone="celular", sender=SENDER, client=sb.client(), journal=journal
    )
    delivered = sb.messages().set_index("phone")["text"]
    assert [delivered[p] for p in frame["celular"]] == ["valor True", "valor 1", "valor 0"]


# -- delivery status -----------------------------------------------------------------------------


def test_refresh_status_aligns_by_position_and_survives_a_failed_call(
    sb: Sandbox, journal: Journal
) -> None:
    frame = pd.concat([customers(3), customers(14).iloc[3:].reset_index(drop=True)])
    assert not frame.index.is_unique
    frame["nome"] = [f"n{i}" if i < 3 else "todos" for i in range(len(frame))]
    sb.set_delivery_status(frame["celular"].iloc[0], "nao_entregue")
    report = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        short_number=True,
    )  # fmt: skip
    sb.set_faults(Faults(drop_before=1.0, endpoints=("/sms/status",)))
    rows = report.refresh_status(sb.client())
    assert (rows["delivery"] == "unknown").all()
    assert rows["delivery_note"].str.startswith("the status could not be asked").all()
    sb.set_faults(None)
    rows = report.refresh_status(sb.client())
    assert rows["delivery"].iloc[0] == "nao_entregue"
    assert rows["delivery"].iloc[1:].tolist() == ["entregue"] * 13
    assert rows["delivery_note"].isna().all()


# -- after the first claim: always a report --------------------------------------------------


class AnswerReplaced(httpx.BaseTransport):
    """Lets the sandbox handle every request, then answers HTTP 500 to the chosen sends."""

    def __init__(self, failing: set[int]) -> None:
        self.inner = httpx.HTTPTransport()
        self.failing = failing
        self.sends = itertools.count()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == "/sms/send" and next(self.sends) in self.failing:
            response.read()
            response.close()
            return httpx.Response(500, text="Internal Server Error")
        return response


def test_an_http_500_mid_campaign_is_ambiguous_and_the_rest_goes_on(
    sb: Sandbox, journal: Journal
) -> None:
    frame = customers(8)
    client = sb.client(transport=AnswerReplaced({2, 5}))
    report = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=client, journal=journal,
        concurrency=1,
    )  # fmt: skip
    assert report.counts == {"sent": 6, "ambiguous": 2}
    assert len(sb.messages()) == 8  # the sandbox did deliver the two
    ambiguous = set(report.rows.loc[report.rows["status"] == "ambiguous", "phone"])
    assert ambiguous == {frame["celular"].iloc[2], frame["celular"].iloc[5]}
    assert journal.messages()["state"].value_counts().to_dict() == {"sent": 6, "ambiguous": 2}
    again = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal
    )
    assert again.counts == {"already_sent": 6, "ambiguous": 2}
    assert len(sb.messages()) == 8


class Gate(httpx.BaseTransport):
    """Holds every send before it leaves, until the test opens the gate."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.opened = threading.Event()
        self.held = threading.Semaphore(0)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/sms/send":
            self.held.release()
            self.opened.wait(timeout=60)
        return self.inner.handle_request(request)


def test_a_second_ctrl_c_returns_the_report_at_once_and_the_journal_stays_true(
    sb: Sandbox, tmp_path: Path, ctrl_c: Callable[[], None]
) -> None:
    gate = Gate()
    stop = threading.Event()
    plan = build_plan(
        estimate(customers(20), "Oi {nome}", phone="celular", sender=SENDER, concurrency=4)
    )
    finished = threading.Event()
    own = Journal(tmp_path / "journal.sqlite3")

    def press_twice() -> None:
        for _ in range(4):
            assert gate.held.acquire(timeout=60)  # four requests are on their way
        ctrl_c()
        assert stop.wait(timeout=60)  # the first was taken: nothing more will be sent
        ctrl_c()

    def close_and_say_so() -> None:
        own.close()
        finished.set()

    presser = threading.Thread(target=press_twice)
    presser.start()
    try:
        report = dispatch(
            plan,
            sb.client(transport=gate),
            journal=own,
            stop=stop,
            on_finished=close_and_say_so,
        )
    except KeyboardInterrupt:
        pytest.fail("a Ctrl-C escaped dispatch")
    finally:
        presser.join()
    assert report.counts == {"ambiguous": 4, "not_sent": 16}
    assert "interrupted" in (report.stopped or "")
    assert sb.messages().empty
    assert not finished.is_set()
    gate.opened.set()  # the answers come after all
    assert finished.wait(timeout=60)
    assert len(sb.messages()) == 4
    with Journal(tmp_path / "journal.sqlite3") as later:
        assert later.messages()["state"].value_counts().to_dict() == {"sent": 4}
        rerun = dispatch(plan, sb.client(), journal=later)
    assert rerun.counts == {"already_sent": 4, "sent": 16}
    assert len(sb.messages()) == 20


class Stamped(httpx.BaseTransport):
    """Notes the moment (monotonic) each send starts, then lets it go to the sandbox."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.starts: list[float] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/sms/send":
            self.starts.append(time.monotonic())
        return self.inner.handle_request(request)


def test_a_rate_limit_spaces_the_requests_out(sb: Sandbox, journal: Journal) -> None:
    stamped = Stamped()
    before = time.monotonic()
    report = customers(6).directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(transport=stamped),
        journal=journal, rate_limit=5, concurrency=6,
    )  # fmt: skip
    assert report.counts == {"sent": 6}
    assert len(sb.messages()) == 6
    # The k-th request starts no sooner than k fifths of a second after the send began, however
    # busy the machine: a lower bound only, since a slow machine starts them later, never sooner.
    waited = [start - before for start in sorted(stamped.starts)]
    assert len(waited) == 6
    assert all(w >= k * 0.2 for k, w in enumerate(waited)), waited


def test_progress_outside_a_notebook_is_one_line_rewritten(sb: Sandbox, journal: Journal) -> None:
    stream = io.StringIO()
    customers(5).directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal,
        progress=TextProgress(stream), price_per_segment="0.10", concurrency=1,
    )  # fmt: skip
    lines = stream.getvalue().split("\r")
    assert lines[-1] == "5/5 · sent 5 · remaining 0 · billed R$ 0,50   \n"
    assert any(line.startswith("1/5 · sent 1 · remaining 4") for line in lines)


class SecretChangedAfter(httpx.BaseTransport):
    """Changes the account's secret right after the ``n``-th send has been answered."""

    def __init__(self, sb: Sandbox, n: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.sb, self.n = sb, n
        self.sends = itertools.count(1)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path == "/sms/send" and next(self.sends) == self.n:
            response.read()
            self.sb.change_secret()
        return response


def test_credentials_refused_mid_campaign_stop_it_with_one_login_and_a_report(
    sb: Sandbox, journal: Journal
) -> None:
    frame = customers(20)
    report = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, journal=journal, concurrency=1,
        client=sb.client(transport=SecretChangedAfter(sb, 5)),
    )  # fmt: skip
    assert report.counts == {"sent": 5, "failed": 1, "not_sent": 14}
    assert report.stop_reason is not None
    assert report.stop_reason.kind == "refused"
    assert "Falha de autenticação" in report.stop_reason.text("pt")
    failed = report.rows[report.rows["status"] == "failed"]
    assert failed["codigo"].tolist() == ["006"]
    logins = sb.requests()["endpoint"].tolist().count("/request_token")
    assert logins == 2  # the first, and one refused: not one per remaining row
    assert len(sb.messages()) == 5
    assert journal.messages()["state"].value_counts().to_dict() == {"sent": 5, "failed": 1}
