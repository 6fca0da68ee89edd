"""The journal: each message sent once across re-runs, crashes, threads and concurrent kernels."""

from __future__ import annotations

import gc
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import platformdirs
import pytest

from directcall_nb import Sandbox
from directcall_nb.errors import InputError, JournalError
from directcall_nb.journal import Claim, Journal, SentRequest, default_journal_path
from directcall_nb.journal._schema import SCHEMA_VERSION

ACCOUNT = "analista@example.com.br"
SENDER = "5511930000000"
ANA = "5511912345678"
BRUNO = "5521987654321"
CARLA = "551134567890"
TEXT = "Olá, sua fatura vence amanhã"
SCHEDULE = datetime(2031, 12, 25, 14, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
SERVER = "https://api.directcallsoft.com"
CAMPAIGN: dict[str, Any] = {
    "server": SERVER,
    "account": ACCOUNT,
    "sender": SENDER,
    "channel": "sms",
    "schedule": None,
    "template": "Olá, sua fatura vence amanhã",
    "price_per_segment": Decimal("0.08"),
    "rows": 3,
}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(path: Path) -> Iterator[Journal]:
    with Journal(path) as journal:
        yield journal


def numbers(count: int, start: int = 0) -> list[str]:
    return [f"55119{n:08d}" for n in range(start, start + count)]


def send(journal: Journal, campaign: int, recipients: list[str], text: str = TEXT) -> Claim:
    return journal.claim(campaign, text=text, recipients=recipients, segments_each=1)


# -- the state machine -----------------------------------------------------------------------


def test_a_sent_message_is_not_claimed_again_and_keeps_its_callerid(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA, BRUNO])
    assert first.request_id is not None
    assert first.claimed == (ANA, BRUNO)
    journal.mark_sent(first.request_id, callerid="16245239335948", codigo="000", msg="ok")

    rerun = journal.start_campaign(**CAMPAIGN)
    again = send(journal, rerun, [ANA, BRUNO, CARLA])
    assert again.claimed == (CARLA,)
    assert again.already_sent == {ANA: "16245239335948", BRUNO: "16245239335948"}
    assert again.ambiguous == ()
    assert again.in_progress == ()
    assert again.request_id is not None
    assert again.request_id != first.request_id


def test_nothing_to_claim_gives_no_request(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA])
    assert first.request_id is not None
    journal.mark_sent(first.request_id, callerid="1", codigo="000", msg="ok")
    assert send(journal, campaign, [ANA]) == Claim(None, (), {ANA: "1"}, (), ())
    assert send(journal, campaign, []) == Claim(None, (), {}, (), ())


def test_a_failed_message_is_claimed_again(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA, BRUNO])
    assert first.request_id is not None
    journal.mark_failed(first.request_id, codigo="201", msg="Saldo insuficiente!")
    again = send(journal, campaign, [ANA, BRUNO])
    assert again.claimed == (ANA, BRUNO)
    assert again.already_sent == {}


def test_an_ambiguous_message_is_resent_only_when_asked(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA, BRUNO])
    assert first.request_id is not None
    journal.mark_ambiguous(first.request_id, reason="read timeout after sending")

    again = send(journal, campaign, [ANA, BRUNO, CARLA])
    assert again.ambiguous == (ANA, BRUNO)
    assert again.claimed == (CARLA,)

    forced = journal.claim(
        campaign, text=TEXT, recipients=[ANA], segments_each=1, resend_ambiguous=True
    )
    assert forced.claimed == (ANA,)
    assert forced.request_id is not None
    assert send(journal, campaign, [ANA, BRUNO]).in_progress == (ANA,)

    states = journal.messages().set_index(["request_id", "recipient"])
    assert states.loc[(first.request_id, ANA), "state"] == "superseded"
    assert states.loc[(first.request_id, ANA), "superseded_by"] == forced.request_id
    assert states.loc[(first.request_id, BRUNO), "state"] == "ambiguous"
    assert states.loc[(forced.request_id, ANA), "state"] == "pending"


def test_a_released_claim_is_as_if_never_made(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA, BRUNO])
    assert first.request_id is not None
    journal.release(first.request_id, reason="connection refused")
    again = send(journal, campaign, [ANA, BRUNO])
    assert again.claimed == (ANA, BRUNO)

    assert set(journal.messages()["request_id"]) == {again.request_id}
    requests = journal.requests().set_index("request_id")
    assert requests.loc[first.request_id, "state"] == "released"
    assert requests.loc[first.request_id, "recipients"] == 2
    history = str(requests.loc[first.request_id, "history"]).splitlines()
    assert [line.split()[1] for line in history] == ["pending:", "released:"]
    assert history[1].endswith("connection refused")


def test_a_late_answer_turns_an_ambiguous_request_into_sent(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA])
    assert first.request_id is not None
    journal.mark_ambiguous(first.request_id, reason="connection lost")
    journal.mark_sent(first.request_id, callerid="77", codigo="000", msg="ok")
    assert send(journal, campaign, [ANA]).already_sent == {ANA: "77"}


def test_a_settled_request_cannot_change_again(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA])
    assert first.request_id is not None
    journal.mark_sent(first.request_id, callerid="1", codigo="000", msg="ok")
    with pytest.raises(JournalError, match=f"request {first.request_id} is already sent"):
        journal.mark_failed(first.request_id, codigo="008", msg="erro")
    with pytest.raises(JournalError, match="already sent"):
        journal.release(first.request_id, reason="refused")
    with pytest.raises(JournalError, match="no request 999"):
        journal.mark_sent(999, callerid="1", codigo="000", msg="ok")
    with pytest.raises(JournalError, match="no campaign 42"):
        send(journal, 42, [ANA])
    assert send(journal, campaign, [ANA]).already_sent == {ANA: "1"}


# -- tags and reconciliation with the usage statement ----------------------------------------


def test_every_request_carries_a_tag_made_of_the_journals_uuid_and_its_id(
    journal: Journal, path: Path, tmp_path: Path
) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first, second = send(journal, campaign, [ANA]), send(journal, campaign, [BRUNO])
    assert re.fullmatch(r"[0-9a-f]{32}", journal.uuid)
    assert first.tag == f"{journal.uuid}-{first.request_id}"
    assert second.tag == f"{journal.uuid}-{second.request_id}"
    assert send(journal, campaign, [ANA]).tag is None  # nothing claimed, nothing to tag
    assert journal.requests()["tag"].tolist() == [first.tag, second.tag]
    with Journal(path) as again, Journal(tmp_path / "other.sqlite3") as other:
        assert again.uuid == journal.uuid
        assert other.uuid != journal.uuid
        elsewhere = other.claim(
            other.start_campaign(**CAMPAIGN), text=TEXT, recipients=[ANA], segments_each=1
        )
    assert elsewhere.request_id == first.request_id
    assert elsewhere.tag != first.tag


def ambiguous_request(journal: Journal, recipients: list[str], text: str = TEXT) -> int:
    campaign = journal.start_campaign(**CAMPAIGN)
    claim = send(journal, campaign, recipients, text=text)
    assert claim.request_id is not None
    journal.mark_ambiguous(claim.request_id, reason="the answer never came")
    return claim.request_id


def test_a_request_the_statement_lists_becomes_sent_with_its_callerid(journal: Journal) -> None:
    request_id = ambiguous_request(journal, [ANA, BRUNO])
    assert journal.record_reconciliation(
        request_id, "sent", detail="confirmed by the statement", callerid="4242"
    )
    rerun = journal.start_campaign(**CAMPAIGN)
    again = send(journal, rerun, [ANA, BRUNO])
    assert again.claimed == ()
    assert again.already_sent == {ANA: "4242", BRUNO: "4242"}
    assert again.settled == {ANA: "confirmed by the statement", BRUNO: "confirmed by the statement"}
    request = journal.requests().set_index("request_id").loc[request_id]
    assert (request["state"], request["callerid"]) == ("sent", "4242")
    assert request["reconciliation"] == "confirmed by the statement"
    assert request["msg"] == "the answer never came"
    assert isinstance(request["reconciled"], pd.Timestamp)
    history = str(request["history"]).splitlines()
    assert [line.split()[1] for line in history] == ["pending:", "ambiguous:", "sent:"]
    assert history[-1].endswith("sent: confirmed by the statement")
    campaigns = journal.campaigns().set_index("campaign_id")
    figures = campaigns.loc[1, ["sent", "ambiguous", "segments_sent"]].to_numpy()
    assert figures.tolist() == [2, 0, 2]
    assert campaigns.loc[1, "cost_sent"] == Decimal("0.16")


def test_a_request_the_statement_does_not_list_frees_its_messages(journal: Journal) -> None:
    request_id = ambiguous_request(journal, [ANA, BRUNO])
    assert journal.record_reconciliation(request_id, "not_sent", detail="not in the statement")
    rerun = journal.start_campaign(**CAMPAIGN)
    again = send(journal, rerun, [ANA, BRUNO])
    assert again.claimed == (ANA, BRUNO)
    assert again.request_id is not None
    messages = journal.messages().set_index(["request_id", "recipient"])
    assert messages.loc[(request_id, ANA), "state"] == "not_sent"
    assert messages.loc[(again.request_id, ANA), "state"] == "pending"
    request = journal.requests().set_index("request_id").loc[request_id]
    assert (request["state"], request["reconciliation"]) == ("not_sent", "not in the statement")
    assert str(request["history"]).splitlines()[-1].endswith("not_sent: not in the statement")
    assert journal.campaigns().set_index("campaign_id").loc[1, "ambiguous"] == 0


def test_a_statement_that_cannot_tell_leaves_the_request_ambiguous_and_says_why(
    journal: Journal,
) -> None:
    request_id = ambiguous_request(journal, [ANA])
    assert journal.record_reconciliation(request_id, "ambiguous", detail="could not tell: x")
    rerun = journal.start_campaign(**CAMPAIGN)
    again = send(journal, rerun, [ANA])
    assert again.ambiguous == (ANA,)
    assert again.settled == {ANA: "could not tell: x"}
    request = journal.requests().set_index("request_id").loc[request_id]
    assert (request["state"], request["reconciliation"]) == ("ambiguous", "could not tell: x")
    history = str(request["history"]).splitlines()
    assert [line.split()[1] for line in history] == ["pending:", "ambiguous:", "ambiguous:"]


def test_a_late_answer_after_a_reconciliation_that_could_not_tell_is_what_counts(
    journal: Journal,
) -> None:
    request_id = ambiguous_request(journal, [ANA])
    journal.record_reconciliation(request_id, "ambiguous", detail="could not tell")
    journal.mark_sent(request_id, callerid="88", codigo="000", msg="ok")
    again = send(journal, journal.start_campaign(**CAMPAIGN), [ANA])
    assert again.already_sent == {ANA: "88"}
    assert again.settled == {}


def test_only_an_ambiguous_request_is_reconciled(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    sent = send(journal, campaign, [ANA])
    assert sent.request_id is not None
    journal.mark_sent(sent.request_id, callerid="1", codigo="000", msg="ok")
    assert not journal.record_reconciliation(sent.request_id, "not_sent", detail="absent")
    assert not journal.record_reconciliation(999, "sent", detail="listed")
    assert send(journal, campaign, [ANA]).already_sent == {ANA: "1"}
    with pytest.raises(InputError, match="state must be"):
        journal.record_reconciliation(sent.request_id, "failed", detail="x")
    with pytest.raises(InputError, match="detail must not be empty"):
        journal.record_reconciliation(sent.request_id, "sent", detail="")


def test_the_ambiguous_requests_a_campaign_would_meet_are_found_by_content(
    journal: Journal,
) -> None:
    mine = ambiguous_request(journal, [ANA, BRUNO])
    other_text = ambiguous_request(journal, [ANA], text="Outro texto")
    other_sender = journal.start_campaign(**{**CAMPAIGN, "sender": "5511930000001"})
    lost = send(journal, other_sender, [ANA])
    assert lost.request_id is not None
    journal.mark_ambiguous(lost.request_id, reason="lost")
    campaign = journal.start_campaign(**{**CAMPAIGN, "account": ACCOUNT.upper()})
    found = journal.ambiguous_like(campaign, {TEXT})
    assert [(r.id, r.recipients, r.tag) for r in found] == [
        (mine, (ANA, BRUNO), f"{journal.uuid}-{mine}")
    ]
    assert found[0].sender == SENDER
    assert found[0].reason == "the answer never came"
    assert {r.id for r in journal.ambiguous()} == {mine, other_text, lost.request_id}
    assert [r.id for r in journal.ambiguous(sender="5511930000001")] == [lost.request_id]
    elsewhere = journal.start_campaign(**{**CAMPAIGN, "server": "http://127.0.0.1:9"})
    assert journal.ambiguous_like(elsewhere, {TEXT, "Outro texto"}) == []


def test_a_number_given_twice_is_claimed_once(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    claim = send(journal, campaign, [ANA, BRUNO, ANA])
    assert claim.claimed == (ANA, BRUNO)
    assert len(journal.messages()) == 2


def test_claims_of_this_journal_not_yet_answered_are_in_progress(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA])
    second = send(journal, campaign, [ANA, BRUNO])
    assert second.in_progress == (ANA,)
    assert second.claimed == (BRUNO,)
    assert second.request_id not in (None, first.request_id)


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("server", "http://127.0.0.1:8787"),
        ("account", "outra.conta@example.com.br"),
        ("sender", "5511930000001"),
        ("channel", "voice"),
        ("schedule", SCHEDULE),
    ],
)
def test_a_different_server_account_sender_channel_or_schedule_is_another_message(
    journal: Journal, field: str, other: object
) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA])
    assert first.request_id is not None
    journal.mark_sent(first.request_id, callerid="1", codigo="000", msg="ok")

    changed = journal.start_campaign(**{**CAMPAIGN, field: other})
    assert send(journal, changed, [ANA]).claimed == (ANA,)


def test_a_different_text_is_another_message(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    first = send(journal, campaign, [ANA])
    assert first.request_id is not None
    journal.mark_sent(first.request_id, callerid="1", codigo="000", msg="ok")
    assert send(journal, campaign, [ANA], text=TEXT + "!").claimed == (ANA,)


def test_the_same_moment_and_account_written_differently_are_the_same_message(
    journal: Journal,
) -> None:
    campaign = journal.start_campaign(**{**CAMPAIGN, "schedule": SCHEDULE})
    first = send(journal, campaign, [ANA])
    assert first.request_id is not None
    journal.mark_sent(first.request_id, callerid="9", codigo="000", msg="ok", scheduled=True)

    # Naive times are Brasília time; cron has no unit finer than a second.
    same = [
        SCHEDULE.astimezone(UTC),
        datetime(2031, 12, 25, 14, 30, 0, 250_000),
        {"account": " Analista@Example.com.br "},
    ]
    for variant in same:
        fields = variant if isinstance(variant, dict) else {"schedule": variant}
        rerun = journal.start_campaign(**{**CAMPAIGN, "schedule": SCHEDULE, **fields})
        assert send(journal, rerun, [ANA]).already_sent == {ANA: "9"}
    assert bool(journal.messages()["scheduled"].iloc[0]) is True


def test_bad_arguments_are_refused_with_their_name(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    with pytest.raises(InputError, match="recipients must be a sequence"):
        journal.claim(campaign, text=TEXT, recipients=ANA, segments_each=1)
    with pytest.raises(InputError, match="segments_each"):
        journal.claim(campaign, text=TEXT, recipients=[ANA], segments_each=-1)
    with pytest.raises(InputError, match="each recipient must be a string"):
        journal.claim(campaign, text=TEXT, recipients=[5511912345678], segments_each=1)  # type: ignore[list-item]
    with pytest.raises(InputError, match="text must not contain a NUL"):
        journal.claim(campaign, text="a\0b", recipients=[ANA], segments_each=1)
    with pytest.raises(InputError, match="price_per_segment"):
        journal.start_campaign(**{**CAMPAIGN, "price_per_segment": 0.08})
    assert journal.messages().empty


# -- crashes, other processes, threads ------------------------------------------------------

CHILD_CLAIMS = textwrap.dedent(
    """
    import json, sys
    from decimal import Decimal
    from directcall_nb.journal import Journal

    path, text, recipients = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    journal = Journal(path)
    campaign = journal.start_campaign(
        server="https://api.directcallsoft.com", account="analista@example.com.br",
        sender="5511930000000", channel="sms", schedule=None, template=text,
        price_per_segment=Decimal("0.08"), rows=len(recipients),
    )
    claim = journal.claim(campaign, text=text, recipients=recipients, segments_each=1)
    print(json.dumps(claim.claimed), flush=True)
    sys.stdin.readline()  # hold the claim until told to go on
    journal.mark_sent(claim.request_id, callerid="555", codigo="000", msg="ok")
    journal.close()
    print("done", flush=True)
    """
)


def start_child(path: Path, recipients: list[str], text: str = TEXT) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_CLAIMS, str(path), text, json.dumps(recipients)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert json.loads(child.stdout.readline()) == recipients
    return child


def test_claims_of_a_killed_process_are_ambiguous_not_claimable(path: Path) -> None:
    child = start_child(path, [ANA, BRUNO])
    os.kill(child.pid, signal.SIGKILL)
    # Wait for it to die, but leave it unreaped (a zombie still has its pid).
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
    try:
        with Journal(path) as journal:
            campaign = journal.start_campaign(**CAMPAIGN)
            again = send(journal, campaign, [ANA, BRUNO, CARLA])
            assert again.ambiguous == (ANA, BRUNO)
            assert again.in_progress == ()
            assert again.claimed == (CARLA,)
            assert send(journal, campaign, [ANA]).ambiguous == (ANA,)
    finally:
        child.wait()
    with Journal(path) as journal:
        states = journal.messages().set_index("recipient")["state"]
        assert states.to_dict() == {ANA: "ambiguous", BRUNO: "ambiguous", CARLA: "ambiguous"}


def test_recover_turns_every_claim_of_a_dead_process_ambiguous(path: Path) -> None:
    for recipients in ([ANA, BRUNO], [CARLA]):
        child = start_child(path, recipients, text=f"para {recipients[0]}")
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    with Journal(path) as journal:
        assert journal.recover() == 3
        assert journal.recover() == 0
        assert set(journal.messages()["state"]) == {"ambiguous"}
        assert set(journal.requests()["state"]) == {"ambiguous"}


def test_claims_of_a_live_process_are_in_progress_until_it_answers(path: Path) -> None:
    child = start_child(path, [ANA, BRUNO])
    assert child.stdin is not None
    assert child.stdout is not None
    with Journal(path) as journal:
        campaign = journal.start_campaign(**CAMPAIGN)
        assert send(journal, campaign, [ANA, BRUNO]).in_progress == (ANA, BRUNO)
        assert journal.recover() == 0
        child.stdin.write("go on\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "done"
        assert child.wait() == 0
        assert send(journal, campaign, [ANA, BRUNO]).already_sent == {ANA: "555", BRUNO: "555"}


def test_a_process_that_reused_a_dead_owners_pid_is_not_taken_for_it(path: Path) -> None:
    holder = Journal(path)
    campaign = holder.start_campaign(**CAMPAIGN)
    send(holder, campaign, [ANA])
    impostor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with sqlite3.connect(path) as raw:  # the owner's pid now names a process started later
            raw.execute("UPDATE owners SET pid = ?", (impostor.pid,))
        with Journal(path) as journal:
            campaign = journal.start_campaign(**CAMPAIGN)
            assert send(journal, campaign, [ANA]).ambiguous == (ANA,)
    finally:
        impostor.kill()
        impostor.wait()
        holder.close()


def test_no_writer_can_hold_two_live_copies_of_a_message(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    claim = send(journal, campaign, [ANA])
    with sqlite3.connect(journal.path) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO messages (request_id, content_id, recipient, state) "
            "SELECT request_id, content_id, recipient, 'sent' FROM messages WHERE request_id = ?",
            (claim.request_id,),
        )


def test_a_claim_made_on_another_machine_lives_for_the_lease(path: Path) -> None:
    elsewhere = Journal(path)
    campaign = elsewhere.start_campaign(**CAMPAIGN)
    send(elsewhere, campaign, [ANA])
    send(elsewhere, campaign, [BRUNO], text="outro texto")
    with sqlite3.connect(path) as raw:  # as if written on a shared disk by another machine
        raw.execute("UPDATE owners SET host = 'outra-maquina', pid = 1")
        old = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
        raw.execute("UPDATE requests SET created_at = ? WHERE id = 2", (old,))
    try:
        with Journal(path) as journal:
            campaign = journal.start_campaign(**CAMPAIGN)
            assert send(journal, campaign, [ANA]).in_progress == (ANA,)
            assert send(journal, campaign, [BRUNO], text="outro texto").ambiguous == (BRUNO,)
        with Journal(path, lease=timedelta(0)) as journal:
            assert journal.recover() == 1
    finally:
        elsewhere.close()


def test_closing_a_journal_makes_its_unanswered_claims_ambiguous(path: Path) -> None:
    with Journal(path) as journal:
        campaign = journal.start_campaign(**CAMPAIGN)
        send(journal, campaign, [ANA])
    with Journal(path) as journal:
        campaign = journal.start_campaign(**CAMPAIGN)
        assert send(journal, campaign, [ANA]).ambiguous == (ANA,)
        assert journal.requests()["msg"].iloc[0].startswith("the journal was closed")


def test_claims_of_a_journal_dropped_without_closing_are_ambiguous(path: Path) -> None:
    dropped = Journal(path)
    campaign = dropped.start_campaign(**CAMPAIGN)
    send(dropped, campaign, [ANA])
    with Journal(path) as journal:
        rerun = journal.start_campaign(**CAMPAIGN)
        assert send(journal, rerun, [ANA]).in_progress == (ANA,)
        del dropped
        gc.collect()
        assert send(journal, rerun, [ANA]).ambiguous == (ANA,)


RACER = textwrap.dedent(
    """
    import json, os, random, sys, time
    from directcall_nb.journal import Journal

    path, go, seed, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    recipients = [f"55119{n:08d}" for n in range(2000)]
    random.seed(seed)
    with Journal(path) as journal:
        campaign = journal.start_campaign(
            server="https://api.directcallsoft.com", account="analista@example.com.br",
            sender="5511930000000", channel="sms", schedule=None, template="rodada",
            price_per_segment=None, rows=len(recipients),
        )
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.001)
        claimed = {}
        for round_ in range(rounds):
            order = random.sample(recipients, len(recipients))
            mine = claimed[round_] = []
            for start in range(0, len(order), 20):
                claim = journal.claim(
                    campaign, text=f"rodada {round_}", recipients=order[start:start + 20],
                    segments_each=1,
                )
                if claim.request_id is not None:
                    journal.mark_sent(claim.request_id, callerid=str(seed), codigo="000", msg="ok")
                mine.extend(claim.claimed)
    print(json.dumps(claimed))
    """
)


def test_two_processes_racing_never_claim_the_same_message(path: Path, tmp_path: Path) -> None:
    Journal(path).close()  # both racers open an existing file
    go = tmp_path / "go"
    rounds = 6
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(path), str(go), str(seed), str(rounds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    for racer in racers:
        assert racer.stdout is not None
        assert racer.stdout.readline().strip() == "ready"
    go.touch()
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0]
    results = [json.loads(output) for output in outputs]
    everyone = set(numbers(2000))
    for round_ in range(rounds):
        first, second = (result[str(round_)] for result in results)
        assert set(first).isdisjoint(second)
        assert set(first) | set(second) == everyone
        assert len(first) + len(second) == 2000
    with Journal(path) as journal:
        messages = journal.messages()
    assert len(messages) == rounds * 2000
    assert set(messages["state"]) == {"sent"}


def test_threads_sharing_a_journal_never_claim_the_same_message(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    everyone = numbers(2000)
    claimed: list[str] = []
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        try:
            order = random.Random(seed).sample(everyone, len(everyone))
            for start in range(0, len(order), 100):
                claim = send(journal, campaign, order[start : start + 100])
                if claim.request_id is not None:
                    journal.mark_sent(claim.request_id, callerid="1", codigo="000", msg="ok")
                claimed.extend(claim.claimed)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Counter(claimed) == Counter(everyone)


# -- the file --------------------------------------------------------------------------------


def test_the_file_is_in_wal_mode(path: Path) -> None:
    Journal(path).close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_explicit_path_wins_over_the_environment(tmp_path: Path) -> None:
    explicit = tmp_path / "a" / "b" / "explicit.sqlite3"
    from_env = tmp_path / "env" / "journal.sqlite3"
    environ = {"DIRECTCALL_NB_JOURNAL": str(from_env)}
    with Journal(explicit, environ=environ) as journal:
        assert journal.path == explicit
    assert explicit.exists()
    assert not from_env.exists()
    with Journal(environ=environ) as journal:
        assert journal.path == from_env
    assert from_env.exists()


def test_without_a_path_the_journal_lives_in_the_user_data_directory() -> None:
    expected = Path(platformdirs.user_data_dir("directcall_nb")) / "journal.sqlite3"
    assert default_journal_path({}) == expected
    assert default_journal_path({"DIRECTCALL_NB_JOURNAL": "  "}) == expected
    assert default_journal_path({"DIRECTCALL_NB_JOURNAL": "/srv/j.sqlite3"}) == Path(
        "/srv/j.sqlite3"
    )


def test_a_file_that_is_not_a_journal_is_refused_by_name(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, " * 200)
    with pytest.raises(JournalError, match=r"notes\.txt cannot be used: it is not a directcall_nb"):
        Journal(notes)
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(JournalError, match="newer version of directcall_nb"):
        Journal(newer)


def test_a_closed_journal_says_so(path: Path) -> None:
    journal = Journal(path)
    journal.close()
    journal.close()
    with pytest.raises(JournalError, match="is closed"):
        journal.campaigns()


# -- the audit trail ---------------------------------------------------------------------------


def test_campaigns_and_messages_tell_what_was_sent_to_whom_and_at_what_cost(
    journal: Journal,
) -> None:
    before = pd.Timestamp.now(tz="UTC")
    campaign = journal.start_campaign(**{**CAMPAIGN, "schedule": SCHEDULE, "rows": 4})
    sent = journal.claim(campaign, text=TEXT, recipients=[ANA, BRUNO], segments_each=2)
    failed = send(journal, campaign, [CARLA], text="Olá Carla")
    lost = send(journal, campaign, ["5531999990000"], text="Olá Davi")
    assert sent.request_id
    assert failed.request_id
    assert lost.request_id
    journal.mark_sent(sent.request_id, callerid="111", codigo="000", msg="ok", scheduled=True)
    journal.mark_failed(failed.request_id, codigo="201", msg="Saldo insuficiente!")
    journal.mark_ambiguous(lost.request_id, reason="read timeout")
    after = pd.Timestamp.now(tz="UTC")

    campaigns = journal.campaigns()
    assert list(campaigns.columns) == [
        "campaign_id", "created", "server", "account", "sender", "channel", "schedule",
        "template", "price_per_segment", "rows", "requests", "sent", "failed", "ambiguous",
        "pending", "cancelled", "segments_sent", "cost_sent", "delivered", "delivery_rate",
        "unconfirmed", "replied", "reply_rate", "opted_out", "opt_out_rate", "cost",
        "created_brazil", "schedule_brazil",
    ]  # fmt: skip
    row = campaigns.iloc[0]
    assert before <= row["created"] <= after
    assert row["schedule"] == pd.Timestamp("2031-12-25 17:30", tz="UTC")
    assert (row["account"], row["sender"], row["channel"]) == (ACCOUNT, SENDER, "sms")
    assert (row["rows"], row["requests"]) == (4, 3)
    assert (row["sent"], row["failed"], row["ambiguous"], row["pending"]) == (2, 1, 1, 0)
    assert row["segments_sent"] == 4
    assert row["price_per_segment"] == Decimal("0.08")
    assert row["cost_sent"] == Decimal("0.32")

    messages = journal.messages(campaign)
    assert list(messages.columns) == [
        "message_id", "campaign_id", "request_id", "recipient", "text", "state", "superseded_by",
        "scheduled", "callerid", "codigo", "msg", "segments", "cost", "created", "updated",
    ]  # fmt: skip
    by_recipient = messages.set_index("recipient")
    assert by_recipient.loc[ANA, "text"] == TEXT
    assert by_recipient.loc[ANA, "state"] == "sent"
    assert by_recipient.loc[ANA, "callerid"] == "111"
    assert by_recipient.loc[ANA, "cost"] == Decimal("0.16")
    assert bool(by_recipient.loc[ANA, "scheduled"]) is True
    assert list(by_recipient.loc[CARLA, ["state", "codigo", "msg"]]) == [
        "failed", "201", "Saldo insuficiente!",
    ]  # fmt: skip
    assert by_recipient.loc["5531999990000", "state"] == "ambiguous"
    assert by_recipient.loc["5531999990000", "msg"] == "read timeout"
    assert str(messages["created"].dtype).endswith("UTC]")
    assert (messages["created"] <= messages["updated"]).all()
    assert (messages["updated"] <= after).all()
    assert journal.messages(campaign + 1).empty


def test_the_file_never_holds_a_secret_or_a_token(path: Path) -> None:
    secret = "s3cr3t-Client-Secret-9f8e7d"
    frame = pd.DataFrame({"tel": [ANA, BRUNO, "5531999990000"], "nome": ["Ana", "Bruno", "Davi"]})
    with Sandbox(client_id=ACCOUNT, client_secret=secret) as sb:
        client = sb.client()
        report = frame.directcall.send(
            "Oi {nome}", phone="tel", sender=SENDER, client=client, journal=path, progress=False
        )
        token = client._tokens.current().value.reveal()  # the token the campaign used
        assert report.counts == {"sent": 3}
        with Journal(path) as journal:
            journal.campaigns()
            journal.messages()
        files = [path, *path.parent.glob(path.name + "-*")]
        stored = b"".join(f.read_bytes() for f in files)
    assert ACCOUNT.encode() in stored
    assert b"Oi Bruno" in stored  # the bytes are readable
    for value in (secret, token):
        assert value.encode() not in stored
        assert value not in repr(client)
        assert value not in repr(report)


# -- cancellations, servers, upgrades ------------------------------------------------------------


def test_a_cancelled_scheduled_message_can_be_sent_again(journal: Journal) -> None:
    campaign = journal.start_campaign(**{**CAMPAIGN, "schedule": SCHEDULE})
    first = send(journal, campaign, [ANA, BRUNO])
    assert first.request_id is not None
    journal.mark_sent(first.request_id, callerid="31", codigo="000", msg="ok", scheduled=True)
    assert journal.requests_by_callerid(["31", "99"]) == {
        "31": SentRequest(first.request_id, campaign, "sent", True)
    }
    journal.mark_cancelled(first.request_id, detail="cancelled by the analyst")
    again = send(journal, campaign, [ANA, BRUNO])
    assert again.claimed == (ANA, BRUNO)
    assert not again.already_sent
    states = journal.messages().groupby("state").size().to_dict()
    assert states == {"cancelled": 2, "pending": 2}
    assert journal.campaigns()["cancelled"].iloc[0] == 2
    history = journal.requests()["history"].iloc[0]
    assert "cancelled: cancelled by the analyst" in history
    with pytest.raises(JournalError, match="already cancelled"):
        journal.mark_cancelled(first.request_id)


def test_only_a_scheduled_request_that_was_sent_can_be_cancelled(journal: Journal) -> None:
    campaign = journal.start_campaign(**CAMPAIGN)
    now = send(journal, campaign, [ANA])
    assert now.request_id is not None
    journal.mark_sent(now.request_id, callerid="5", codigo="000", msg="ok", scheduled=False)
    with pytest.raises(JournalError, match="cannot become cancelled"):
        journal.mark_cancelled(now.request_id)
    assert send(journal, campaign, [ANA]).already_sent == {ANA: "5"}


def test_a_directory_or_an_unwritable_place_is_a_journal_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match=r"journal .* cannot be used: it is a directory") as e:
        Journal(tmp_path)
    assert e.value.path == str(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(JournalError, match="cannot be used"):
        Journal(blocker / "journal.sqlite3")


V1_TABLES = """
CREATE TABLE owners (id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE, host TEXT NOT NULL,
    pid INTEGER NOT NULL, started INTEGER, boot TEXT, opened_at TEXT NOT NULL);
CREATE TABLE campaigns (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owners (id),
    created_at TEXT NOT NULL, account TEXT NOT NULL, sender TEXT NOT NULL, channel TEXT NOT NULL,
    schedule TEXT, template TEXT NOT NULL, price_per_segment TEXT, rows INTEGER NOT NULL);
CREATE TABLE contents (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, text TEXT NOT NULL);
CREATE TABLE requests (id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    owner_id INTEGER NOT NULL REFERENCES owners (id),
    content_id INTEGER NOT NULL REFERENCES contents (id),
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'ambiguous', 'released')),
    segments_each INTEGER NOT NULL, recipients INTEGER NOT NULL,
    scheduled INTEGER NOT NULL DEFAULT 0, callerid TEXT, codigo TEXT, msg TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, history TEXT NOT NULL);
CREATE TABLE messages (id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    content_id INTEGER NOT NULL REFERENCES contents (id), recipient TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'ambiguous', 'superseded')),
    superseded_by INTEGER REFERENCES requests (id));
CREATE UNIQUE INDEX messages_live
    ON messages (content_id, recipient) WHERE state IN ('pending', 'sent', 'ambiguous');
PRAGMA user_version = 1;
"""


def write_version_1_journal(path: Path) -> None:
    """Write a journal as version 1 wrote it: ANA sent TEXT; BRUNO's request failed."""
    import hashlib

    key = hashlib.sha256("\0".join((ACCOUNT, SENDER, "sms", "", TEXT)).encode("utf-8")).hexdigest()
    now = "2026-11-02T12:00:00.000000+00:00"
    with sqlite3.connect(path) as raw:
        raw.executescript(V1_TABLES)
        raw.execute("INSERT INTO owners VALUES (1, 'old', 'host', 1, NULL, NULL, ?)", (now,))
        raw.execute(
            "INSERT INTO campaigns VALUES (1, 1, ?, ?, ?, 'sms', NULL, ?, '0.08', 2)",
            (now, ACCOUNT, SENDER, TEXT),
        )
        raw.execute("INSERT INTO contents VALUES (1, ?, ?)", (key, TEXT))
        raw.execute(
            "INSERT INTO requests VALUES (1, 1, 1, 1, 'sent', 1, 1, 0, '777', '000', 'ok', ?, ?, "
            "'x')",
            (now, now),
        )
        raw.execute(
            "INSERT INTO requests VALUES (2, 1, 1, 1, 'failed', 1, 1, 0, NULL, '008', 'erro', ?, "
            "?, 'x')",
            (now, now),
        )
        raw.execute("INSERT INTO messages VALUES (1, 1, 1, ?, 'sent', NULL)", (ANA,))
        raw.execute("INSERT INTO messages VALUES (2, 2, 1, ?, 'failed', NULL)", (BRUNO,))


def test_a_version_1_journal_is_upgraded_and_its_messages_are_still_known(path: Path) -> None:
    write_version_1_journal(path)
    with Journal(path) as journal:
        assert journal.campaigns()["server"].tolist() == [SERVER]
        rerun = journal.start_campaign(**CAMPAIGN)
        claim = send(journal, rerun, [ANA, BRUNO])
        assert claim.already_sent == {ANA: "777"}
        assert claim.claimed == (BRUNO,)
        elsewhere = journal.start_campaign(**{**CAMPAIGN, "server": "http://127.0.0.1:9"})
        assert send(journal, elsewhere, [ANA]).claimed == (ANA,)
        old = journal.requests(1)
        assert old[["state", "callerid"]].fillna("").values.tolist() == [
            ["sent", "777"],
            ["failed", ""],
        ]
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert not {"requests_v1", "messages_v1"} & tables


V2_TABLES = """
CREATE TABLE owners (id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE, host TEXT NOT NULL,
    pid INTEGER NOT NULL, started INTEGER, boot TEXT, opened_at TEXT NOT NULL);
CREATE TABLE campaigns (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES owners (id),
    created_at TEXT NOT NULL, server TEXT NOT NULL, account TEXT NOT NULL, sender TEXT NOT NULL,
    channel TEXT NOT NULL, schedule TEXT, template TEXT NOT NULL, price_per_segment TEXT,
    rows INTEGER NOT NULL);
CREATE TABLE contents (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, text TEXT NOT NULL);
CREATE TABLE requests (id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    owner_id INTEGER NOT NULL REFERENCES owners (id),
    content_id INTEGER NOT NULL REFERENCES contents (id),
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'sent', 'failed', 'ambiguous', 'released', 'cancelled')),
    segments_each INTEGER NOT NULL, recipients INTEGER NOT NULL,
    scheduled INTEGER NOT NULL DEFAULT 0, callerid TEXT, codigo TEXT, msg TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, history TEXT NOT NULL);
CREATE INDEX requests_by_campaign ON requests (campaign_id);
CREATE INDEX requests_pending ON requests (owner_id) WHERE state = 'pending';
CREATE TABLE messages (id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id),
    content_id INTEGER NOT NULL REFERENCES contents (id), recipient TEXT NOT NULL,
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'sent', 'failed', 'ambiguous', 'superseded', 'cancelled')),
    superseded_by INTEGER REFERENCES requests (id));
CREATE UNIQUE INDEX messages_live
    ON messages (content_id, recipient) WHERE state IN ('pending', 'sent', 'ambiguous');
CREATE INDEX messages_by_request ON messages (request_id);
PRAGMA user_version = 2;
"""


def write_version_2_journal(path: Path) -> None:
    """Write a journal as version 2 wrote it: ANA sent TEXT; BRUNO's request is ambiguous."""
    from directcall_nb.journal._identity import content_key

    key = content_key(
        server=SERVER, account=ACCOUNT, sender=SENDER, channel="sms", schedule=None, text=TEXT
    )
    now = "2026-11-02T12:00:00.000000+00:00"
    with sqlite3.connect(path) as raw:
        raw.executescript(V2_TABLES)
        raw.execute("INSERT INTO owners VALUES (1, 'old', 'host', 1, NULL, NULL, ?)", (now,))
        raw.execute(
            "INSERT INTO campaigns VALUES (1, 1, ?, ?, ?, ?, 'sms', NULL, ?, '0.08', 2)",
            (now, SERVER, ACCOUNT, SENDER, TEXT),
        )
        raw.execute("INSERT INTO contents VALUES (1, ?, ?)", (key, TEXT))
        raw.execute(
            "INSERT INTO requests VALUES (1, 1, 1, 1, 'sent', 1, 1, 0, '777', '000', 'ok', ?, ?, "
            "'x')",
            (now, now),
        )
        raw.execute(
            "INSERT INTO requests VALUES (2, 1, 1, 1, 'ambiguous', 1, 1, 0, NULL, NULL, 'lost', "
            "?, ?, 'x')",
            (now, now),
        )
        raw.execute("INSERT INTO messages VALUES (1, 1, 1, ?, 'sent', NULL)", (ANA,))
        raw.execute("INSERT INTO messages VALUES (2, 2, 1, ?, 'ambiguous', NULL)", (BRUNO,))
    raw.close()


def test_a_version_2_journal_is_upgraded_its_old_requests_untagged_and_new_ones_tagged(
    path: Path,
) -> None:
    write_version_2_journal(path)
    with Journal(path) as journal:
        assert re.fullmatch(r"[0-9a-f]{32}", journal.uuid)
        old = journal.requests(1)
        assert old[["state", "callerid", "msg"]].fillna("").values.tolist() == [
            ["sent", "777", "ok"],
            ["ambiguous", "", "lost"],
        ]
        assert old["tag"].isna().all()
        assert old["reconciliation"].isna().all()
        (lost,) = journal.ambiguous()
        assert (lost.id, lost.tag, lost.recipients) == (2, None, (BRUNO,))
        rerun = journal.start_campaign(**CAMPAIGN)
        claim = send(journal, rerun, [ANA, BRUNO, CARLA])
        assert claim.already_sent == {ANA: "777"}
        assert claim.ambiguous == (BRUNO,)
        assert claim.claimed == (CARLA,)
        assert claim.tag == f"{journal.uuid}-3"
        assert journal.record_reconciliation(2, "not_sent", detail="absent")
        assert send(journal, rerun, [BRUNO]).claimed == (BRUNO,)
        uuid = journal.uuid
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
        indexes = {row[0] for row in raw.execute("SELECT name FROM sqlite_master "
                                                 "WHERE type = 'index'")}  # fmt: skip
    raw.close()
    assert not {"requests_old", "messages_old"} & tables
    assert {"messages_live", "requests_ambiguous", "requests_pending"} <= indexes
    with Journal(path) as reopened:
        assert reopened.uuid == uuid
