"""The suppression list in the journal: adding, reading, removing, an old file upgraded."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from directcall_nb.errors import InvalidOption
from directcall_nb.journal import Journal, Suppression
from directcall_nb.journal._schema import SCHEMA_VERSION

ANA = "5511912345678"
BRUNO = "5521987654321"


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal.sqlite3")


def test_numbers_in_any_form_are_listed_once_in_directcall_format(journal: Journal) -> None:
    added = journal.suppress(
        ["(11) 91234-5678", "+55 21 98765-4321", "sem telefone", 5511912345678],
        reason="lista Não Me Ligue",
        source="import",
    )
    assert added["result"].tolist() == ["added", "added", "invalid", "added"]
    assert added["phone"].tolist()[:2] == [ANA, BRUNO]
    assert added["input"][2] == "sem telefone"
    assert added["reason"][2] != ""
    listed = journal.suppressed()
    assert sorted(listed["phone"]) == [ANA, BRUNO]
    assert set(listed["source"]) == {"import"}
    assert set(listed["reason"]) == {"lista Não Me Ligue"}
    assert str(listed["since"].dt.tz) == "UTC"


def test_a_number_keeps_its_first_entry(journal: Journal) -> None:
    replied = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)
    journal.suppress([ANA], reason="SAIR", source="reply", since=replied, reply_text="Sair!")
    again = journal.suppress([ANA], reason="outra", source="manual")
    assert again["result"].tolist() == ["already"]
    assert journal.suppressions() == {
        ANA: Suppression(ANA, "SAIR", "reply", replied, "Sair!"),
    }


def test_unsuppress_takes_numbers_off_and_says_which_were_not_on(journal: Journal) -> None:
    journal.suppress([ANA, BRUNO], reason="pediu")
    removed = journal.unsuppress(["11 91234-5678", "5531999998888", "x"])
    assert removed["result"].tolist() == ["removed", "absent", "invalid"]
    assert journal.suppressed()["phone"].tolist() == [BRUNO]
    assert list(journal.suppressions()) == [BRUNO]


def test_the_list_outlives_the_journal_object(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite3") as first:
        first.suppress(pd.Series([ANA]), reason="pediu")
    with Journal(tmp_path / "j.sqlite3") as second:
        assert list(second.suppressions()) == [ANA]


@pytest.mark.parametrize(
    ("values", "option"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x", "source": "reply_"}, "source"),
        ({"reason": "x", "since": "2026-11-03"}, "since"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_written(
    journal: Journal, values: dict[str, object], option: str
) -> None:
    with pytest.raises(InvalidOption) as raised:
        journal.suppress([ANA], **values)  # type: ignore[arg-type]
    assert raised.value.option == option
    assert journal.suppressed().empty


def test_a_version_3_journal_gains_an_empty_list(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    with Journal(path) as journal:
        uuid = journal.uuid
    with sqlite3.connect(path) as raw:
        for table in ("suppressions", "replies", "reply_syncs", "deliveries"):
            raw.execute(f"DROP TABLE {table}")
        raw.execute("PRAGMA user_version = 3")
    raw.close()
    with Journal(path) as upgraded:
        assert upgraded.uuid == uuid
        assert upgraded.suppressed().empty
        upgraded.suppress([ANA], reason="pediu")
        assert list(upgraded.suppressions()) == [ANA]
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()
