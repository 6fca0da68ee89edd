"""A column imported into the suppression list: what it says of each row, in either language."""

from __future__ import annotations

import pandas as pd
import pytest

import directcall_nb
from directcall_nb import Journal, Options
from directcall_nb.errors import ColumnNotFound, InvalidOption


def test_the_summary_counts_each_number_once_and_lists_the_invalid_rows_masked(
    journal: Journal,
) -> None:
    journal.suppress(["(21) 98765-4321"], reason="SAIR", source="reply")
    frame = pd.DataFrame(
        {"tel": ["(11) 91234-5678", "11912345678", "(21) 98765-4321", "(23) 91234-5678", None]},
        index=["a", "b", "c", "d", "e"],
    )
    imported = directcall_nb.suppress(
        frame, phone="tel", reason="lista Não Me Ligue", journal=journal
    )
    assert imported.rows["result"].tolist() == ["added", "added", "already", "invalid", "invalid"]
    assert imported.rows.index.equals(frame.index)
    assert imported.summary("pt") == (
        "1 número incluído, 1 já estava na lista, 2 inválidos, não incluídos"
    )
    assert imported.summary("en") == "1 number added, 1 already on the list, 2 invalid, not added"
    page = imported.to_html("pt")
    assert "o DDD 23 não existe" in page
    assert "(23) 9****-5678" in page
    assert "91234-5678" not in page
    assert "(vazio)" in page
    listed = journal.suppressed().set_index("phone")
    assert listed.loc["5521987654321", "source"] == "reply"  # its first entry is kept
    assert listed.loc["5511912345678", "reason"] == "lista Não Me Ligue"


def test_a_missing_column_is_named(journal: Journal) -> None:
    with pytest.raises(ColumnNotFound, match="telefone"):
        pd.DataFrame({"tel": ["1"]}).directcall.suppress("telefone", reason="x", journal=journal)


def test_the_suppressions_option_takes_only_a_bool() -> None:
    assert Options(suppressions=False).suppressions is False
    with pytest.raises(InvalidOption, match="write suppressions=False"):
        Options(suppressions="não")  # type: ignore[arg-type]
