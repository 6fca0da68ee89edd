"""Numbers on the suppression list are left out of estimates, dry runs and sends.

Every send goes to a real sandbox over loopback sockets; what it delivered is read from its own
records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Unpack

import pandas as pd
import pytest

import directcall_nb
from directcall_nb import Journal, Sandbox
from directcall_nb.errors import InvalidOption
from directcall_nb.options import OptionValues

SENDER = "551130600300"
TEXT = "Olá {nome}, sua fatura vence amanhã."
#: Customers 3 and 7, as a "Não Me Ligue" export writes them, plus a line that is no number.
DO_NOT_CALL = pd.DataFrame(
    {"telefone": ["+55 (11) 91000-0003", "11 9 1000 0007", "ligar só à tarde"]},
    index=[101, 102, 103],
)
OPTED = ["5511910000003", "5511910000007"]


def customers(n: int = 10) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "celular": [f"(11) 9{1000_0000 + i:08d}" for i in range(n)],
            "nome": [f"Cliente {i}" for i in range(n)],
        }
    )


def delivered_to(sb: Sandbox) -> set[str]:
    return set(sb.messages()["phone"])


def send(
    sb: Sandbox,
    journal: Journal | Path | bool,
    *,
    dry_run: bool = False,
    **options: Unpack[OptionValues],
) -> directcall_nb.SendReport:
    report: directcall_nb.SendReport = customers().directcall.send(
        TEXT,
        phone="celular",
        sender=SENDER,
        client=sb.client(),
        journal=journal,
        progress=False,
        dry_run=dry_run,
        **options,
    )
    return report


def test_an_imported_list_reports_its_invalid_number_and_is_kept(journal: Journal) -> None:
    imported = DO_NOT_CALL.directcall.suppress(
        "telefone", reason="lista Não Me Ligue", journal=journal
    )
    assert imported.rows.index.tolist() == [101, 102, 103]
    assert imported.rows["result"].tolist() == ["added", "added", "invalid"]
    assert (imported.added, imported.already, imported.invalid) == (2, 0, 1)
    assert "103: ligar só à tarde — " in repr(imported)
    assert sorted(journal.suppressed()["phone"]) == OPTED


def test_the_listed_rows_are_opted_out_of_estimate_dry_run_and_send(
    sb: Sandbox, journal: Journal
) -> None:
    DO_NOT_CALL.directcall.suppress("telefone", reason="lista Não Me Ligue", journal=journal)
    today = datetime.now(directcall_nb.moments.BRAZIL_TIME).strftime("%d/%m/%Y")

    est = customers().directcall.estimate(TEXT, phone="celular", journal=journal)
    assert (est.recipients, est.opted_out, est.invalid) == (8, 2, 0)
    opted = est.rows[est.rows["status"] == "opted_out"]
    assert opted.index.tolist() == [3, 7]
    assert est.reasons("pt")[3] == f"na lista de supressão desde {today} (lista Não Me Ligue)"
    assert "Opted out:  2" in repr(est)

    dry = send(sb, journal, dry_run=True)
    assert dry.counts == {"dry_run": 8, "opted_out": 2}
    assert not set(OPTED) & {p for r in dry.plan.requests for p in r.phones}

    report = send(sb, journal)
    assert report.counts == {"sent": 8, "opted_out": 2}
    assert report.rows.loc[[3, 7], "status"].tolist() == ["opted_out", "opted_out"]
    assert len(sb.messages()) == 8
    assert not set(OPTED) & delivered_to(sb)
    assert not set(OPTED) & set(journal.messages()["recipient"])
    assert report.summary("pt") == "8 enviadas, 2 excluídas (opt-out)"
    page = report.to_html("pt")
    assert f"na lista de supressão desde {today} (lista Não Me Ligue)" in page
    assert "55 11 9****-0003" in page
    assert "5511910000003" not in page


def test_suppressions_false_sends_to_them_and_the_report_says_so(
    sb: Sandbox, journal: Journal
) -> None:
    journal.suppress(OPTED, reason="lista Não Me Ligue", source="import")
    report = send(sb, journal, suppressions=False)
    assert report.counts == {"sent": 10}
    assert set(OPTED) <= delivered_to(sb)
    assert report.notes("pt")[-1] == (
        "A lista de supressão foi ignorada a pedido (mensagem transacional): 2 destinatários "
        "que pediram para sair recebem esta mensagem."
    )
    assert "2 recipients who opted out receive this message" in report.notes("en")[-1]


def test_unsuppress_lets_them_be_sent_to_again(sb: Sandbox, journal: Journal) -> None:
    journal.suppress(OPTED, reason="lista Não Me Ligue", source="import")
    assert send(sb, journal).counts == {"sent": 8, "opted_out": 2}
    journal.unsuppress(["(11) 91000-0003"])
    again = send(sb, journal)
    assert again.counts == {"sent": 1, "already_sent": 8, "opted_out": 1}
    assert again.rows.loc[3, "status"] == "sent"
    assert "5511910000003" in delivered_to(sb)
    assert "5511910000007" not in delivered_to(sb)


def test_a_reply_says_what_the_customer_wrote_and_when_in_brazil_time(journal: Journal) -> None:
    late_evening = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)  # 22:30 on the 2nd in Brasília
    journal.suppress(
        ["(11) 91000-0003"], reason="SAIR", source="reply", since=late_evening, reply_text="SAIR"
    )
    journal.suppress(
        ["(11) 91000-0004"],
        reason="PARE",
        source="reply",
        since=late_evening,
        reply_text="Pare.  Não quero mais",
    )
    journal.suppress(["(11) 91000-0005"], reason="pediu por telefone", since=late_evening)
    est = customers().directcall.estimate(TEXT, phone="celular", journal=journal)
    assert est.reasons("pt").tolist()[3:6] == [
        "respondeu 'SAIR' em 02/11/2026",
        "respondeu 'Pare. Não quero mais' em 02/11/2026",
        "incluído à mão na lista de supressão em 02/11/2026 (pediu por telefone)",
    ]
    assert est.reasons("en")[3] == "replied 'SAIR' on 02/11/2026"
    assert est.reason_at(4) is not None
    assert est.reason_at(4).text("en") == "replied 'Pare. Não quero mais' on 02/11/2026"


def test_a_listed_number_is_opted_out_whatever_else_is_wrong_with_its_row(
    journal: Journal,
) -> None:
    frame = pd.DataFrame(
        {
            "celular": ["(11) 3456-7890", "(11) 91000-0001", "(11) 91000-0001"],
            "nome": ["a", None, "b"],
        }
    )
    journal.suppress(frame["celular"], reason="lista da empresa", source="import")
    est = frame.directcall.estimate("Oi {nome}", phone="celular", journal=journal)
    assert est.rows["status"].tolist() == ["opted_out"] * 3
    assert (est.invalid, est.duplicates, est.recipients) == (0, 0, 0)
    assert est.invalid_positions().tolist() == []


def test_the_default_journal_is_read_and_no_file_is_made_to_estimate(
    private_journal: Path,
) -> None:
    customers().directcall.estimate(TEXT, phone="celular")
    assert not private_journal.exists()
    directcall_nb.suppress(DO_NOT_CALL, phone="telefone", reason="lista Não Me Ligue")
    assert customers().directcall.estimate(TEXT, phone="celular").opted_out == 2


def test_without_a_journal_the_list_is_not_consulted_and_the_report_says_so(
    sb: Sandbox, private_journal: Path
) -> None:
    with Journal(private_journal) as journal:
        journal.suppress(OPTED, reason="lista Não Me Ligue", source="import")
    report = send(sb, False)
    assert report.counts == {"sent": 10}
    assert (
        "Sem diário, a lista de supressão não foi consultada: quem pediu para sair pode receber "
        "esta mensagem." in report.notes("pt")
    )


def test_an_import_needs_a_journal_and_a_reason(tmp_path: Path) -> None:
    with pytest.raises(InvalidOption, match="journal=False has none"):
        DO_NOT_CALL.directcall.suppress("telefone", reason="lista", journal=False)
    with pytest.raises(InvalidOption, match="reason must say why"):
        DO_NOT_CALL.directcall.suppress("telefone", reason=" ", journal=tmp_path / "j.sqlite3")
