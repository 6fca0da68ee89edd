"""Dispatch: stopping, Ctrl-C, the rate limit, repeats, a lost answer, the balance, and races.

Every campaign goes over real sockets to a sandbox, whose records of what it received and
delivered are compared with what the report says.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from helpers import deliveries

from directcall_nb import Faults, Journal, Sandbox
from directcall_nb.client import DirectCall
from directcall_nb.estimation import estimate
from directcall_nb.plan import Plan, build_plan
from directcall_nb.report import SendReport
from directcall_nb.sending import Progress
from directcall_nb.sending._dispatch import dispatch
from directcall_nb.sending._rate import RateLimiter
from directcall_nb.sending._retry import MAX_ATTEMPTS

SENDER = "551130600300"
TEMPLATE = "Oi {nome}, seu pedido {pedido} saiu para entrega."


def customers(count: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "celular": [f"(21) 9{8100 + i // 10_000:04d}-{i % 10_000:04d}" for i in range(count)],
            "nome": [f"Cliente {i}" for i in range(count)],
            "pedido": [f"#{10_000 + i}" for i in range(count)],
        }
    )


def plan_for(frame: pd.DataFrame, **options: Any) -> Plan:
    return build_plan(estimate(frame, TEMPLATE, phone="celular", sender=SENDER, **options))


def no_wait(seconds: float) -> None:
    """Wait for nothing, as dispatch's ``sleep``: repeats go out at once, without backoff."""


def requested(sb: Sandbox) -> pd.DataFrame:
    """Return the ``/sms/send`` requests the sandbox received, with their single recipient."""
    log = sb.requests()
    sends = log[log["endpoint"] == "/sms/send"].reset_index(drop=True)
    sends["phone"] = sends["recipients"].str[0]
    return sends


def phones_with(report: SendReport, *statuses: str) -> set[str]:
    return set(report.rows.loc[report.rows["status"].isin(statuses), "phone"])


def when_delivered(sb: Sandbox, count: int, action: Callable[[], None]) -> threading.Thread:
    """Start a thread that runs ``action`` once the sandbox has delivered ``count`` messages."""

    def watch() -> None:
        while len(sb.messages()) < count:
            time.sleep(0.005)
        action()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def assert_stopped_half_way(sb: Sandbox, report: SendReport, rows: int) -> None:
    """In-flight requests finished, nothing else was sent, and the report says so per row."""
    delivered = deliveries(sb)
    assert delivered.max() == 1
    assert set(report.counts) == {"sent", "not_sent"}
    assert phones_with(report, "sent") == set(delivered.index) == set(requested(sb)["phone"])
    assert report.counts["sent"] == len(delivered) < rows
    untried = set(report.rows["phone"]) - set(requested(sb)["phone"])
    assert phones_with(report, "not_sent") == untried
    assert report.rows.loc[report.rows["status"] == "not_sent", "callerid"].isna().all()


# -- stopping ------------------------------------------------------------------------------------


def test_a_stop_signal_lets_the_requests_in_flight_finish_and_sends_nothing_else(
    journal: Journal,
) -> None:
    rows = 200
    stop = threading.Event()
    with Sandbox(latency=0.02) as sb:
        watcher = when_delivered(sb, 20, stop.set)
        report = dispatch(
            plan_for(customers(rows), concurrency=4), sb.client(), journal=journal, stop=stop
        )
        watcher.join()
        assert report.stopped is not None
        assert "stopped" in report.stopped
        assert_stopped_half_way(sb, report, rows)


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_in_the_middle_lets_the_requests_in_flight_finish_and_returns_the_report(
    journal: Journal,
) -> None:
    rows = 200
    sending = threading.Event()
    sending.set()

    def press_ctrl_c() -> None:
        if sending.is_set():
            os.kill(os.getpid(), signal.SIGINT)

    with Sandbox(latency=0.02) as sb:
        watcher = when_delivered(sb, 20, press_ctrl_c)
        try:
            report = dispatch(
                plan_for(customers(rows), concurrency=4), sb.client(), journal=journal
            )
        except KeyboardInterrupt:
            pytest.fail("Ctrl-C escaped dispatch instead of stopping the campaign")
        finally:
            sending.clear()
        watcher.join()
        assert report.stopped is not None
        assert "interrupted" in report.stopped
        assert_stopped_half_way(sb, report, rows)


class CtrlCWhileShowing:
    """A progress display that the user interrupts (Ctrl-C) while it draws the first update."""

    def __init__(self) -> None:
        self.updates = 0

    def update(self, progress: Progress) -> None:
        self.updates += 1
        if self.updates == 1:
            os.kill(os.getpid(), signal.SIGINT)  # handled at once, inside this method

    def close(self, progress: Progress) -> None:
        pass


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_while_the_progress_is_drawn_still_reports_every_message_sent(
    journal: Journal,
) -> None:
    frame = customers(10)  # fewer than 2 x concurrency: all ten answers are collected at once
    with Sandbox() as sb:
        try:
            report = dispatch(
                plan_for(frame, concurrency=8),
                sb.client(),
                journal=journal,
                progress=CtrlCWhileShowing(),
            )
        except KeyboardInterrupt:
            pytest.fail("Ctrl-C escaped dispatch instead of stopping the campaign")
        delivered = deliveries(sb)
    assert len(delivered) == 10
    # What the sandbox delivered, the report must call sent: not "not tried".
    assert phones_with(report, "sent") == set(delivered.index)
    assert report.counts == {"sent": 10}
    assert report.stopped is not None
    assert "interrupted" in report.stopped


# -- the rate limit ------------------------------------------------------------------------------


class FakeTime:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self, start: float) -> None:
        self.now = start
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_the_rate_limiter_starts_requests_exactly_one_interval_apart() -> None:
    fake = FakeTime(1_000.0)
    limiter = RateLimiter(4, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(5):
        limiter.wait()
        starts.append(fake.now)
    assert starts == [1_000.0, 1_000.25, 1_000.5, 1_000.75, 1_001.0]
    assert fake.slept == [0.25, 0.25, 0.25, 0.25]
    # After a pause no burst is saved up: the next request starts at once, the one after waits.
    fake.now += 60.0
    limiter.wait()
    limiter.wait()
    assert fake.now == 1_061.25
    assert fake.slept[-1] == 0.25
    assert len(fake.slept) == 5


def test_a_rate_limit_must_be_positive() -> None:
    for bad in (0, -1.5):
        with pytest.raises(ValueError, match="rate_limit must be a positive number"):
            RateLimiter(bad)


# -- repeats and lost answers --------------------------------------------------------------------


def test_server_errors_are_repeated_and_nothing_is_delivered_twice(journal: Journal) -> None:
    frame = customers(40)
    with Sandbox(faults=Faults(server_error=0.5, seed=11)) as sb:
        report = dispatch(plan_for(frame), sb.client(), journal=journal, sleep=no_wait)
        log = requested(sb)
        delivered = deliveries(sb)
    assert delivered.max() == 1
    tries = log.groupby("phone").size()
    accepted = set(log.loc[log["codigo"] == "000", "phone"])
    plan = report.plan
    attempts = {
        phone: result.attempts
        for result in report.requests
        for phone in plan.requests[result.number].phones
    }
    # Every attempt the report counts reached the sandbox, and no other.
    assert attempts == tries.to_dict()
    assert max(attempts.values()) > 1
    assert phones_with(report, "sent") == accepted == set(delivered.index)
    # A row is only left unsent after every allowed attempt met a 503: and then it is failed.
    unsent = set(report.rows["phone"]) - accepted
    assert all(tries[phone] == MAX_ATTEMPTS for phone in unsent)
    assert phones_with(report, "failed") == unsent


def test_a_request_refused_503_every_time_is_failed_and_sent_by_the_next_run(
    journal: Journal,
) -> None:
    frame = customers(3)
    with Sandbox(faults=Faults(server_error=1.0)) as sb:
        client = sb.client()
        first = dispatch(plan_for(frame), client, journal=journal, sleep=no_wait)
        assert [r.attempts for r in first.requests] == [MAX_ATTEMPTS] * 3
        assert sb.messages().empty
        assert (requested(sb)["http_status"] == 503).all()
        # 503 means the server did not handle the request: certainly not sent, so not ambiguous.
        assert first.counts == {"failed": 3}
        sb.set_faults(None)
        second = dispatch(plan_for(frame), client, journal=journal, sleep=no_wait)
        assert second.counts == {"sent": 3}
        assert deliveries(sb).to_dict() == dict.fromkeys(second.rows["phone"], 1)


@pytest.mark.parametrize("fault", ["drop_before", "drop_after"])
def test_a_lost_answer_is_never_repeated_and_is_ambiguous(journal: Journal, fault: str) -> None:
    frame = customers(5)
    faults = Faults(drop_before=1.0) if fault == "drop_before" else Faults(drop_after=1.0)
    with Sandbox(faults=faults) as sb:
        client = sb.client()
        report = dispatch(plan_for(frame), client, journal=journal, sleep=no_wait)
        assert report.counts == {"ambiguous": 5}
        assert [r.attempts for r in report.requests] == [1] * 5
        assert requested(sb)["phone"].value_counts().eq(1).all()
        assert len(sb.messages()) == (5 if fault == "drop_after" else 0)
        # A later run does not send them either: they may have arrived.
        sb.set_faults(None)
        again = dispatch(plan_for(frame), client, journal=journal)
        assert again.counts == {"ambiguous": 5}
        assert len(requested(sb)) == 5


def test_a_lost_token_answer_sends_nothing_and_leaves_nothing_ambiguous(
    journal: Journal,
) -> None:
    frame = customers(3)
    lost_tokens = Faults(drop_before=1.0, endpoints=("/request_token",))
    with Sandbox(faults=lost_tokens) as sb:
        client = sb.client()
        first = dispatch(plan_for(frame), client, journal=journal, sleep=no_wait)
        assert requested(sb).empty  # no send ever left: the token never came
        assert "ambiguous" not in first.counts
        assert set(first.counts) <= {"failed", "not_sent"}
        sb.set_faults(None)
        second = dispatch(plan_for(frame), client, journal=journal)
        assert second.counts == {"sent": 3}


# -- the balance ---------------------------------------------------------------------------------


def test_running_out_of_balance_stops_the_campaign_and_the_rest_is_sent_later(
    journal: Journal,
) -> None:
    frame = customers(60)
    with Sandbox(balance=25) as sb:
        client = sb.client()
        first = dispatch(plan_for(frame, concurrency=8), client, journal=journal)
        log = requested(sb)
        assert first.stopped is not None
        assert "201" in first.stopped
        assert phones_with(first, "sent") == set(deliveries(sb).index)
        assert first.counts["sent"] == 25
        refused = first.rows[first.rows["status"] == "failed"]
        assert len(refused) >= 1
        assert set(refused["codigo"]) == {"201"}
        assert phones_with(first, "not_sent") == set(first.rows["phone"]) - set(log["phone"])
        assert first.counts["sent"] + len(refused) + first.counts["not_sent"] == 60

        sb.set_balance(1_000)
        second = dispatch(plan_for(frame, concurrency=8), client, journal=journal)
        assert phones_with(second, "already_sent") == phones_with(first, "sent")
        assert phones_with(second, "sent") == phones_with(first, "failed", "not_sent")
        assert deliveries(sb).eq(1).all()
        assert len(deliveries(sb)) == 60


# -- two senders at once -------------------------------------------------------------------------


def test_a_journal_opened_while_another_program_writes_the_file_waits_for_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "new.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another kernel is creating the same new journal
    finishing = threading.Timer(0.3, other.execute, args=("COMMIT",))
    finishing.start()
    try:
        with Journal(path) as journal:
            assert journal.messages().empty
    finally:
        finishing.join()
        other.close()


def test_two_journals_sending_the_same_campaign_at_once_deliver_each_message_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shared.sqlite3"
    frame = customers(300)
    reports: list[SendReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=60)

    def kernel(client: DirectCall) -> None:
        try:
            start.wait()
            with Journal(path) as own:  # both open the new file at the same moment
                reports.append(dispatch(plan_for(frame, concurrency=4), client, journal=own))
        except BaseException as exc:
            errors.append(exc)
            start.abort()

    with Sandbox(latency=0.005) as sb:
        kernels = [threading.Thread(target=kernel, args=(sb.client(),)) for _ in range(2)]
        for thread in kernels:
            thread.start()
        for thread in kernels:
            thread.join()
        assert errors == []
        delivered = deliveries(sb)
        with Journal(path) as later:
            third = dispatch(plan_for(frame), sb.client(), journal=later)
        assert len(sb.messages()) == 300

    assert len(delivered) == 300
    assert delivered.max() == 1
    first, second = (report.rows["status"] for report in reports)
    sent_by_one = (first == "sent").astype(int) + (second == "sent").astype(int)
    assert sent_by_one.eq(1).all()
    others = pd.concat([first[first != "sent"], second[second != "sent"]])
    assert set(others) <= {"already_sent", "in_progress"}
    assert third.counts == {"already_sent": 300}
