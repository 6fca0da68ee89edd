"""A Dask frame gives the pandas frame's answers, computed on a real cluster, sends included.

The cluster is a `distributed.LocalCluster` of two worker processes with a memory limit each
(a real scheduler, not the synchronous one). Each test builds one customer list as a pandas
frame and as a Dask frame of it cut in partitions, with rows repeated across partitions, and
asks both the same thing; sends go to a sandbox over loopback.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from helpers import SENDER, deliveries

import directcall_nb
from directcall_nb import Journal, Sandbox
from directcall_nb.accessor import PartitionedAccessor
from directcall_nb.errors import (
    ColumnNotFound,
    CostLimitExceeded,
    InvalidOption,
    PartitionedFrameGiven,
    UnknownPlaceholder,
)
from directcall_nb.sending import Progress

TEXT = "Olá {nome}, sua fatura vence amanhã."
OFFER = "Oferta da semana: 20% de desconto. Responda SAIR para não receber mais."


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    """Yield a client of a local cluster: two worker processes, 1 GiB each."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit="1GiB",
            processes=True,
            dashboard_address=":0",
        ) as local,
        Client(local) as client,
    ):
        yield client


def customers(count: int = 600) -> pd.DataFrame:
    """Return mobiles as people type them, some invalid, a tenth repeated much later."""
    phones = [f"(11) 9{7000 + i // 100:04d}-{i % 10_000:04d}" for i in range(count)]
    names = [f"Cliente {i % 50}" for i in range(count)]
    for k in range(0, count, 37):
        phones[k] = ["n/a", "", "0800 123 4567", "(23) 91234-5678"][k % 4]
    frame = pd.DataFrame({"celular": phones, "nome": names})
    repeated = frame.iloc[: count // 10]  # the same phone and name again: a duplicate
    changed = frame.iloc[count // 10 : count // 5].assign(nome="Outro")  # another text
    return pd.concat([frame, repeated, changed], ignore_index=True)


def partitioned(frame: pd.DataFrame, parts: int = 4) -> dd.DataFrame:
    """Return ``frame`` as a Dask frame of ``parts`` partitions."""
    result: dd.DataFrame = dd.from_pandas(frame, npartitions=parts, sort=True)
    return result


def directcall(frame: dd.DataFrame) -> PartitionedAccessor:
    """Return ``frame.directcall``, which Dask knows only at run time."""
    accessor: PartitionedAccessor = frame.directcall
    return accessor


def plain(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with every missing value None and every value a Python object."""
    values = table.astype(object)
    return values.where(values.notna(), None)


def test_validate_is_a_dask_frame_with_the_pandas_answers(cluster: Client) -> None:
    frame = customers()
    result = directcall(partitioned(frame)).validate(phone="celular")
    assert isinstance(result, dd.DataFrame)
    expected = frame.directcall.validate(phone="celular")
    pd.testing.assert_frame_equal(plain(result.compute()), plain(expected))


def test_estimate_finds_duplicates_across_partitions(cluster: Client) -> None:
    frame = customers()
    ddf = partitioned(frame)
    options: dict[str, Any] = {"policy": "gsm", "price_per_segment": 0.07}
    estimate = directcall(ddf).estimate(TEXT, phone="celular", **options)
    expected = frame.directcall.estimate(TEXT, phone="celular", **options)
    # Every repeat is in a later partition than its first row: only the whole frame sees them.
    assert expected.duplicates == 60 - 2  # the first 60 rows again; two of them are invalid
    for figure in ("recipients", "invalid", "duplicates", "opted_out", "segments", "cost"):
        assert getattr(estimate, figure) == getattr(expected, figure), figure
    assert estimate.spans() == expected.spans()
    rows = estimate.rows
    assert isinstance(rows, dd.DataFrame)
    pd.testing.assert_frame_equal(plain(rows.compute()), plain(expected.table))
    assert repr(estimate) == repr(expected)
    assert estimate.to_html("pt") == expected.to_html("pt")


def test_estimate_leaves_out_the_suppression_list(cluster: Client, tmp_path: Path) -> None:
    frame = customers()
    listed = frame["celular"].iloc[[5, 300]].tolist()
    with Journal(tmp_path / "j.sqlite3") as journal:
        journal.suppress(listed, reason="pediu para sair", source="manual")
    path = tmp_path / "j.sqlite3"
    estimate = directcall(partitioned(frame)).estimate(TEXT, phone="celular", journal=path)
    expected = frame.directcall.estimate(TEXT, phone="celular", journal=path)
    assert estimate.opted_out == expected.opted_out == 2 + 1  # row 5 is repeated later
    assert estimate.recipients == expected.recipients
    assert estimate.to_html("pt") == expected.to_html("pt")
    ignored = directcall(partitioned(frame)).estimate(
        TEXT, phone="celular", journal=path, suppressions=False
    )
    assert ignored.notes("en") == frame.directcall.estimate(
        TEXT, phone="celular", journal=path, suppressions=False
    ).notes("en")


def test_a_send_messages_each_recipient_once_in_one_campaign(
    cluster: Client, tmp_path: Path
) -> None:
    frame = customers()
    path = tmp_path / "j.sqlite3"
    with Sandbox(balance=100_000) as sb:
        client = sb.client()
        report = directcall(partitioned(frame)).send(
            OFFER, phone="celular", sender=SENDER, client=client, journal=path,
            progress=False, chunk_size=100,
        )  # fmt: skip
        expected = frame.directcall.estimate(OFFER, phone="celular")
        assert report.counts == {
            "sent": expected.recipients,
            "invalid": expected.invalid,
            "duplicate": expected.duplicates,
        }
        received = deliveries(sb)
        assert len(received) == expected.recipients
        assert (received == 1).all()
        rows = report.rows.compute()
        sent = rows["status"] == "sent"
        assert rows.loc[sent, "phone"].nunique() == expected.recipients
        assert rows.loc[sent, "codigo"].eq("000").all()
        with Journal(path) as journal:
            assert len(journal.campaigns()) == 1

        again = frame.directcall.send(
            OFFER, phone="celular", sender=SENDER, client=client, journal=path, progress=False
        )
        assert again.counts["already_sent"] == expected.recipients
        assert len(deliveries(sb)) == expected.recipients
        assert (deliveries(sb) == 1).all()


def test_a_dry_run_plans_what_the_pandas_dry_run_plans(cluster: Client) -> None:
    frame = customers()
    report = directcall(partitioned(frame, parts=2)).send(
        OFFER, phone="celular", sender=SENDER, dry_run=True, chunk_size=10_000
    )
    expected = frame.directcall.send(
        OFFER, phone="celular", sender=SENDER, dry_run=True, chunk_size=10_000
    )
    assert report.counts == expected.counts
    assert report.requests == 2  # one file of numbers per partition
    assert report.rows.compute()["status"].value_counts().to_dict() == expected.counts
    shown = expected.problem_examples(10, "pt")
    cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>([^<]*)</td>", report.to_html("pt"))]
    assert len(shown) == 10
    assert [row[3] for row in shown] == cells[3::4]  # the same first rows not sent, and why


def test_what_cannot_be_done_is_refused_before_anything_is_computed_or_sent(
    cluster: Client,
) -> None:
    frame = customers()
    ddf = partitioned(frame)
    with pytest.raises(ColumnNotFound):
        directcall(ddf).validate(phone="telefone")
    with pytest.raises(UnknownPlaceholder):
        directcall(ddf).estimate("Olá {apelido}", phone="celular")
    with Sandbox() as sb:
        with pytest.raises(CostLimitExceeded):
            directcall(ddf).send(
                OFFER, phone="celular", sender=SENDER, client=sb.client(),
                price_per_segment=0.1, max_cost=1, progress=False,
            )  # fmt: skip
        with pytest.raises(InvalidOption, match="chunk_size"):
            directcall(ddf).send(OFFER, phone="celular", sender=SENDER, chunk_size=0)
        assert sb.messages().empty
    with pytest.raises(PartitionedFrameGiven):
        directcall(ddf).compose()
    with pytest.raises(PartitionedFrameGiven):
        directcall_nb.estimate(ddf, OFFER, phone="celular")  # type: ignore[arg-type]


def test_importing_dask_after_directcall_nb_registers_the_accessor() -> None:
    code = (
        "import sys, directcall_nb\n"
        "assert 'dask' not in sys.modules\n"
        "import pandas as pd, dask.dataframe as dd\n"
        "ddf = dd.from_pandas(pd.DataFrame({'t': ['11 98765-4321']}), npartitions=1)\n"
        "print(type(ddf.directcall).__name__, ddf.directcall.validate(phone='t').compute()"
        "['phone'].iloc[0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["PartitionedAccessor", "5511987654321"]


def test_a_campaign_stopped_half_way_leaves_later_partitions_unsent_and_continues(
    cluster: Client, tmp_path: Path
) -> None:
    frame = customers()
    ddf = partitioned(frame)
    path = tmp_path / "j.sqlite3"
    expected = frame.directcall.estimate(OFFER, phone="celular")
    with Sandbox(balance=150) as sb:  # pays for 150 messages: the balance runs out in partition 1
        client = sb.client()
        first = directcall(ddf).send(
            OFFER, phone="celular", sender=SENDER, client=client, journal=path,
            progress=False, chunk_size=50,
        )  # fmt: skip
        assert first.stop_reason is not None
        assert first.stop_reason.kind == "refused"
        rows = first.rows.compute()
        sent = int((rows["status"] == "sent").sum())
        # Requests of 50 and of 25 go out together: whichever is billed first decides.
        assert sent == first.counts["sent"] == len(deliveries(sb))
        assert 100 <= sent <= 150
        later = rows.loc[rows.index >= ddf.divisions[2]]  # partitions 2 and 3: never claimed
        assert set(later["status"]) <= {"not_sent", "invalid", "duplicate"}
        assert first.counts["not_sent"] + first.counts.get("failed", 0) + sent == (
            expected.recipients
        )
        assert "Saldo insuficiente" in first.notes("pt")[0]
        assert "Saldo insuficiente" in first.to_html("pt")

        sb.set_balance(100_000)
        second = directcall(ddf).send(
            OFFER, phone="celular", sender=SENDER, client=client, journal=path,
            progress=False, chunk_size=50,
        )  # fmt: skip
        assert second.stop_reason is None
        assert second.counts["already_sent"] == sent
        assert second.counts["sent"] == expected.recipients - sent
        assert len(deliveries(sb)) == expected.recipients
        assert (deliveries(sb) == 1).all()


def test_suppress_imports_a_dask_column(cluster: Client, tmp_path: Path) -> None:
    frame = customers()
    numbers = pd.DataFrame(
        {"numero": [frame["celular"].iloc[5], "n/a", frame["celular"].iloc[300]]}
    )
    path = tmp_path / "j.sqlite3"
    imported = directcall(partitioned(numbers, parts=2)).suppress(
        phone="numero", reason="lista Não Me Ligue", journal=path
    )
    assert (imported.added, imported.invalid) == (2, 1)
    estimate = directcall(partitioned(frame)).estimate(TEXT, phone="celular", journal=path)
    assert estimate.opted_out == 3  # row 5 appears twice


class Recorder:
    """A progress sink that keeps every state it is shown, and the one it is closed with."""

    def __init__(self) -> None:
        self.states: list[Progress] = []
        self.closed: list[Progress] = []

    def update(self, progress: Progress) -> None:
        self.states.append(progress)

    def close(self, progress: Progress) -> None:
        self.closed.append(progress)


def test_the_progress_counts_the_whole_campaign_across_partitions(
    cluster: Client, tmp_path: Path
) -> None:
    frame = customers()
    recorder = Recorder()
    expected = frame.directcall.estimate(OFFER, phone="celular")
    with Sandbox(balance=100_000) as sb:
        directcall(partitioned(frame)).send(
            OFFER, phone="celular", sender=SENDER, client=sb.client(),
            journal=tmp_path / "j.sqlite3", progress=recorder, chunk_size=100,
        )  # fmt: skip
    assert {state.total for state in recorder.states} == {expected.recipients}
    sent = [state.sent for state in recorder.states]
    assert sent == sorted(sent)  # it never goes back at a new partition
    assert len(recorder.closed) == 1
    assert recorder.closed[0].sent == expected.recipients


def test_the_funnel_of_a_dask_send_counts_its_replies_and_opt_outs(
    cluster: Client, tmp_path: Path
) -> None:
    frame = customers()
    journal = tmp_path / "dask.sqlite3"
    expected = frame.directcall.estimate(OFFER, phone="celular")
    with Sandbox(balance=100_000) as sb:
        client = sb.client()
        report = directcall(partitioned(frame)).send(
            OFFER, phone="celular", sender=SENDER, client=client, journal=journal, progress=False
        )
        rows = report.rows.compute()
        last, other = rows.loc[rows["status"] == "sent", "phone"].iloc[[-1, 3]]
        sb.reply(str(last), "SAIR", to=SENDER)  # a customer of the last partition
        sb.reply(str(other), "Obrigado!", to=SENDER)
        directcall_nb.sync_replies(client, journal=journal)
        funnel = report.funnel("pt")
    counts = funnel["count"].to_dict()
    assert counts["planned"] == counts["sent"] == expected.recipients
    assert (counts["replied"], counts["opted_out"]) == (2, 1)
    assert funnel.loc["planned", "stage"] == "planejadas"
    figure = report.plot("pt")
    assert len(figure.axes[0].patches) == len(funnel)  # one bar per stage


def second_read_differs(folder: Path, frame: pd.DataFrame, *, grow: bool) -> pd.DataFrame:
    """Return ``frame`` when first read; later, fail (or give more rows, with ``grow``).

    The reads are counted in a file, so that the worker processes share the count.
    """
    counter = folder / "reads"
    reads = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(reads + 1))
    if reads == 0:
        return frame
    if not grow:
        raise OSError("the file clientes-3.parquet is gone")
    extra = frame.assign(celular=[f"(21) 9{8000 + i:04d}-0000" for i in range(len(frame))])
    return pd.concat([frame, extra.set_axis(extra.index + 10_000)])


def changing(frame: pd.DataFrame, folder: Path, *, grow: bool) -> dd.DataFrame:
    """Return ``frame`` in two partitions, the second read differently the second time."""
    from dask.delayed import delayed

    first, second = frame.iloc[: len(frame) // 2], frame.iloc[len(frame) // 2 :]
    parts = [delayed(lambda: first)(), delayed(second_read_differs)(folder, second, grow=grow)]
    result: dd.DataFrame = dd.from_delayed(parts, meta=frame.iloc[:0], verify_meta=False)
    return result


@pytest.mark.parametrize(("grow", "kind"), [(False, "partition_unread"), (True, "list_changed")])
def test_a_partition_read_differently_when_sent_is_not_sent(
    cluster: Client, tmp_path: Path, grow: bool, kind: str
) -> None:
    frame = customers()
    ddf = changing(frame, tmp_path, grow=grow)
    first_half = frame.iloc[: len(frame) // 2].directcall.estimate(OFFER, phone="celular")
    with Sandbox(balance=100_000) as sb:
        report = directcall(ddf).send(
            OFFER, phone="celular", sender=SENDER, client=sb.client(),
            journal=tmp_path / "j.sqlite3", progress=False,
        )  # fmt: skip
        assert len(deliveries(sb)) == report.counts["sent"] == first_half.recipients
    assert report.stop_reason is not None
    assert report.stop_reason.kind == kind
    assert "partição 1" in report.notes("pt")[0]
    assert report.counts["not_sent"] > 0
    assert report.rows.npartitions == 2  # the partition not sent is in the report's rows


@pytest.mark.parametrize(
    ("text", "options"),
    [
        (TEXT, {"channel": "voice"}),
        ("Olá {nome} 😀, R$ {valor}", {"policy": "gsm", "fill": "cliente"}),
        ("{nome}: oferta só hoje", {"allow_international": True, "show_sender": True}),
    ],
    ids=["voice", "ucs2-fill", "international"],
)
def test_estimate_equals_pandas_whatever_the_options(
    cluster: Client, text: str, options: dict[str, Any]
) -> None:
    frame = customers()
    frame["valor"] = pd.array([None if k % 5 == 0 else f"{k},00" for k in range(720)], "string")
    frame.loc[7, "celular"] = "+351 912 345 678"
    frame.loc[8, "celular"] = "(11) 3030-4040"  # a landline: voice only
    options = {"sender": SENDER, **options}
    estimate = directcall(partitioned(frame, parts=3)).estimate(text, phone="celular", **options)
    expected = frame.directcall.estimate(text, phone="celular", **options)
    assert repr(estimate) == repr(expected)
    pd.testing.assert_frame_equal(plain(estimate.rows.compute()), plain(expected.table))


def test_without_dedupe_every_row_is_its_own_message_numbered_across_partitions(
    cluster: Client, tmp_path: Path
) -> None:
    frame = customers()
    path = tmp_path / "j.sqlite3"
    expected = frame.directcall.estimate(OFFER, phone="celular", dedupe=False)
    with Sandbox(balance=100_000) as sb:
        client = sb.client()
        report = directcall(partitioned(frame)).send(
            OFFER, phone="celular", sender=SENDER, client=client, journal=path,
            progress=False, dedupe=False,
        )  # fmt: skip
        assert report.counts == {"sent": expected.recipients, "invalid": expected.invalid}
        table = expected.table
        per_phone = table.loc[table["status"] == "ok"].groupby("phone").size()
        assert deliveries(sb).to_dict() == per_phone.to_dict()
        assert per_phone.max() == 2  # the first 120 rows again, in the last partition
        # The pandas send of the same rows finds each copy sent: the copies were numbered alike.
        again = frame.directcall.send(
            OFFER, phone="celular", sender=SENDER, client=client, journal=path,
            progress=False, dedupe=False,
        )  # fmt: skip
        assert again.counts == {"already_sent": expected.recipients, "invalid": expected.invalid}
        assert len(sb.messages()) == expected.recipients
