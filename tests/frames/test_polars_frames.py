"""A Polars frame gives the same answers as the pandas frame of the same data, as Polars frames.

Each test builds one customer list twice, ``pl.DataFrame(data)`` and ``pd.DataFrame(data)``,
and asks both the same thing through ``df.directcall``; sends go to a sandbox over loopback.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest
from helpers import SENDER

import directcall_nb
from directcall_nb import Journal, Sandbox, SendReport
from directcall_nb.accessor import DirectCallAccessor
from directcall_nb.errors import LazyFrameGiven, UnreadableFrame
from directcall_nb.frames import read_frame
from directcall_nb.i18n import explain
from directcall_nb.moments import BRAZIL_TIME as BRAZIL
from directcall_nb.widgets import ComposeForm

TEXT = "Olá {nome}, {itens} itens, R$ {valor}, vence em {vencimento}."
VALIDATED = ["phone", "valid", "line_type", "reason"]
ESTIMATED = ["phone", "status", "reason", "text", "segments", "encoding"]
REPORTED = ["phone", "status", "reason", "text", "segments"]


def customer_data() -> dict[str, list[Any]]:
    """Return a small list with what real lists hold: nulls, whole numbers as phones, free text."""
    return {
        "celular": [
            "(11) 91234-5678",
            None,
            "0800 123 4567",
            "n/a",
            "11912345678",  # the first row again, with the same text: a duplicate
            "+55 21 98765-4321",
            "(23) 91234-5678",  # DDD 23 does not exist
            "(31) 99709-3471",
        ],
        "nome": ["Ana", "Bia", "Caio", "Davi", "Ana", None, "Gil", "Hélio"],
        "itens": [3, 1, None, 2, 3, 4, 5, 6],
        "valor": [10.5, 20.0, 30.25, None, 10.5, 1.0, 2.0, 3.0],
        "vencimento": [date(2026, 12, 10)] * 8,
    }


def directcall(frame: pl.DataFrame) -> DirectCallAccessor:
    """Return ``frame.directcall``, which Polars knows only at run time."""
    accessor: DirectCallAccessor = frame.directcall  # type: ignore[attr-defined]
    return accessor


def both(data: dict[str, list[Any]]) -> tuple[pl.DataFrame, pd.DataFrame]:
    return pl.DataFrame(data), pd.DataFrame(data)


def same(polars_rows: pl.DataFrame, pandas_rows: pd.DataFrame, columns: list[str]) -> None:
    """Check that both frames hold the same values, row by row (a missing value is None)."""
    assert isinstance(polars_rows, pl.DataFrame)
    assert polars_rows.columns[: len(pandas_rows.columns)] == list(pandas_rows.columns)
    expected = pandas_rows[columns].astype(object).where(pandas_rows[columns].notna(), None)
    assert polars_rows.select(columns).rows() == list(expected.itertuples(index=False, name=None))


def test_validate_gives_a_polars_frame_with_the_pandas_answers() -> None:
    polars_frame, pandas_frame = both(customer_data())
    checked = directcall(polars_frame).validate(phone="celular")
    assert checked.schema["valid"] == pl.Boolean
    same(checked, pandas_frame.directcall.validate(phone="celular"), VALIDATED)
    assert checked["reason"][1] == "empty"


def test_whole_numbers_and_nulls_as_phones_read_as_in_pandas() -> None:
    data = {"celular": [5511912345678, None, 551130600300, 12]}
    polars_frame = pl.DataFrame(data, schema={"celular": pl.Int64})
    pandas_frame = pd.DataFrame({"celular": pd.array(data["celular"], dtype="Int64")})
    checked = directcall(polars_frame).validate(phone="celular")
    same(checked, pandas_frame.directcall.validate(phone="celular"), VALIDATED)
    assert checked["valid"].to_list() == [True, False, True, False]


def test_a_categorical_phone_column_reads_as_its_text() -> None:
    data = customer_data()
    polars_frame = pl.DataFrame(data).with_columns(pl.col("celular").cast(pl.Categorical))
    checked = directcall(polars_frame).validate(phone="celular")
    same(checked, pd.DataFrame(data).directcall.validate(phone="celular"), VALIDATED)


def test_estimate_rows_are_polars_and_every_figure_equals_pandas() -> None:
    polars_frame, pandas_frame = both(customer_data())
    options: dict[str, Any] = {"policy": "gsm", "price_per_segment": "0.08", "journal": False}
    mine = directcall(polars_frame).estimate(TEXT, phone="celular", fill="-", **options)
    theirs = pandas_frame.directcall.estimate(TEXT, phone="celular", fill="-", **options)
    figures = ("recipients", "invalid", "duplicates", "segments", "cost")
    assert [getattr(mine, f) for f in figures] == [getattr(theirs, f) for f in figures]
    same(mine.rows, theirs.rows, ESTIMATED)
    assert mine.rows["text"][0] == "Olá Ana, 3 itens, R$ 10.5, vence em 10/12/2026."
    assert mine.rows["status"][4] == "duplicate"


def test_invalid_rows_are_named_by_their_row_number() -> None:
    polars_frame, _ = both(customer_data())
    shown = directcall(polars_frame).estimate(TEXT, phone="celular", journal=False, fill="-")
    invalid_rows = [1, 2, 3, 6]  # empty, toll-free (no SMS), "n/a", DDD 23
    assert shown.invalid_positions().tolist() == invalid_rows
    html = shown.to_html(language="pt")
    for row in invalid_rows:
        assert f">{row}</td>" in html
    assert "linha" in html


def test_a_template_naming_a_missing_column_lists_the_polars_columns() -> None:
    polars_frame, _ = both(customer_data())
    with pytest.raises(directcall_nb.errors.UnknownPlaceholder, match="vencimento"):
        directcall(polars_frame).estimate("Oi {nomee}", phone="celular", journal=False)


def plan_of(report: SendReport) -> list[tuple[str, tuple[str, ...]]]:
    return [(request.text, request.phones) for request in report.plan.requests]


def test_a_dry_run_plans_the_same_requests_and_reports_in_polars(sb: Sandbox) -> None:
    polars_frame, pandas_frame = both(customer_data())
    options: dict[str, Any] = {"sender": SENDER, "client": sb.client(), "fill": "-"}
    mine = directcall(polars_frame).send(TEXT, phone="celular", dry_run=True, **options)
    theirs = pandas_frame.directcall.send(TEXT, phone="celular", dry_run=True, **options)
    assert plan_of(mine) == plan_of(theirs)
    assert mine.counts == theirs.counts == {"dry_run": 3, "invalid": 4, "duplicate": 1}
    same(mine.rows, theirs.rows, REPORTED)
    assert sb.requests().empty


def test_a_send_reaches_the_sandbox_with_the_same_messages_as_pandas(tmp_path: Path) -> None:
    polars_frame, pandas_frame = both(customer_data())
    received: list[pd.DataFrame] = []
    reports: list[SendReport] = []
    for accessor, name in (
        (directcall(polars_frame), "polars"),
        (DirectCallAccessor(pandas_frame), "pandas"),
    ):
        with Sandbox(balance=1_000) as sb, Journal(tmp_path / f"{name}.sqlite3") as journal:
            report = accessor.send(
                TEXT, phone="celular", sender=SENDER, client=sb.client(), journal=journal,
                progress=False, fill="-",
            )  # fmt: skip
            reports.append(report)
            received.append(sb.messages()[["phone", "text"]].sort_values("phone"))
    mine, theirs = reports
    assert received[0].to_numpy().tolist() == received[1].to_numpy().tolist()
    assert len(received[0]) == 3
    assert mine.counts == theirs.counts == {"sent": 3, "invalid": 4, "duplicate": 1}
    same(mine.rows, theirs.rows, REPORTED)
    assert mine.rows["callerid"].null_count() == 5  # the rows not sent have no send
    assert mine.spent == theirs.spent
    assert mine.summary(language="pt") == theirs.summary(language="pt")


def test_compose_builds_the_form_of_a_polars_frame() -> None:
    polars_frame, pandas_frame = both(customer_data())
    mine = directcall(polars_frame).compose(text=TEXT)
    theirs = ComposeForm(pandas_frame, text=TEXT)
    assert mine.phone.value == theirs.phone.value == "celular"  # the phone column, guessed
    assert mine.estimate is not None
    assert theirs.estimate is not None
    assert mine.estimate.recipients == theirs.estimate.recipients
    assert mine.figures.value == theirs.figures.value
    assert mine.preview.value == theirs.preview.value


def test_opt_outs_import_from_a_polars_frame(journal: Journal) -> None:
    listed = pl.DataFrame({"numero": ["(11) 91234-5678", "sem telefone", None]})
    imported = directcall(listed).suppress(
        phone="numero", reason="lista Não Me Ligue", journal=journal
    )
    assert (imported.added, imported.invalid) == (1, 2)
    assert imported.rows.index.tolist() == [0, 1, 2]
    polars_frame, _ = both(customer_data())
    estimated = directcall(polars_frame).estimate(TEXT, phone="celular", journal=journal, fill="-")
    assert estimated.rows["status"].to_list()[:5] == [
        "opted_out", "invalid", "invalid", "invalid", "opted_out",
    ]  # fmt: skip


def test_a_polars_report_refreshes_counts_and_cancels_like_pandas(
    sb: Sandbox, tmp_path: Path
) -> None:
    client = sb.client()
    later = datetime.now(BRAZIL) + timedelta(days=1)
    polars_frame, pandas_frame = both(customer_data())
    reports = [
        accessor.send(
            TEXT, phone="celular", sender=SENDER, client=client, journal=journal, progress=False,
            fill="-", short_number=True, schedule=later,
        )
        for accessor, journal in (
            (directcall(polars_frame), tmp_path / "polars.sqlite3"),
            (DirectCallAccessor(pandas_frame), tmp_path / "pandas.sqlite3"),
        )
    ]  # fmt: skip
    mine, theirs = reports
    refreshed = mine.refresh_status(client)
    assert isinstance(refreshed, pl.DataFrame)
    same(refreshed, theirs.refresh_status(client), ["phone", "status", "delivery"])
    assert refreshed["delivery"].to_list()[:2] == ["agendado", None]  # scheduled; invalid
    assert mine.funnel("pt")["count"].to_dict() == theirs.funnel("pt")["count"].to_dict()
    cancelled = mine.cancel(client)
    assert isinstance(cancelled, pl.DataFrame)
    assert cancelled["result"].to_list() == ["cancelled"] * len(mine.requests)
    assert (
        mine.rows["status"].to_list()
        == theirs.table["status"].replace("scheduled", "cancelled").tolist()
    )


def test_the_numbers_of_a_polars_frame_are_read_in_place() -> None:
    polars_frame = pl.DataFrame({"itens": list(range(1_000))})
    table, _ = read_frame(polars_frame)
    (chunk,) = table["itens"].array.__arrow_array__().chunks
    assert chunk.buffers()[1].address == polars_frame["itens"].to_arrow().buffers()[1].address


def test_a_lazy_frame_is_refused_with_what_to_do_before_anything_is_sent(sb: Sandbox) -> None:
    lazy = pl.DataFrame(customer_data()).lazy()
    accessor: DirectCallAccessor = lazy.directcall  # type: ignore[attr-defined]
    with pytest.raises(LazyFrameGiven, match=r"collect it first") as caught:
        accessor.send(TEXT, phone="celular", sender=SENDER, client=sb.client(), fill="-")
    assert explain(caught.value, "pt").startswith("A lista é uma consulta do Polars")
    with pytest.raises(LazyFrameGiven):
        directcall_nb.validate(lazy, phone="celular")  # type: ignore[arg-type]
    assert sb.requests().empty


def test_a_column_arrow_cannot_carry_is_named_with_the_fix() -> None:
    frame = pl.DataFrame(customer_data()).with_columns(
        pl.Series("codigo", [10**30] * 8, dtype=pl.Int128)
    )
    with pytest.raises(UnreadableFrame, match=r"column 'codigo' has the type Int128") as caught:
        directcall(frame).estimate(TEXT, phone="celular", journal=False)
    assert "codigo" in explain(caught.value, "pt")


def test_a_column_of_lists_or_structs_is_written_into_the_message() -> None:
    frame = pl.DataFrame(
        {"celular": ["(11) 91234-5678"] * 2, "itens": [[1, 2], None], "loja": [{"id": 7}] * 2}
    )
    rows = (
        directcall(frame)
        .estimate("Itens {itens}, loja {loja}", phone="celular", fill="-", journal=False)
        .rows
    )
    assert rows["status"].to_list() == ["ok", "ok"]
    first, second = rows["text"].to_list()
    assert re.fullmatch(r"Itens \[1,? 2\], loja \{'id': 7\}", first)
    assert second == "Itens -, loja {'id': 7}"


def test_normalize_phones_reads_a_polars_series_as_its_list_gives() -> None:
    values = customer_data()["celular"]
    expected = directcall_nb.normalize_phones(values)
    for series in (pl.Series(values), pl.Series(values).cast(pl.Categorical)):
        pd.testing.assert_frame_equal(directcall_nb.normalize_phones(series), expected)
    numbers = pl.Series([11912345678, None])
    assert directcall_nb.normalize_phones(numbers)["phone"].tolist() == ["5511912345678", pd.NA]
