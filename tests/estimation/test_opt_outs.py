"""The suppression list as estimates read it: one lookup over the whole column, read once."""

from __future__ import annotations

import numpy as np
import pandas as pd

from directcall_nb import Estimator, Journal, Options


def mobiles(n: int) -> list[str]:
    return [f"5521 9{(i * 7919) % 10**8:08d}" for i in range(n)]


def test_the_lookup_over_a_large_column_agrees_with_a_row_by_row_check(journal: Journal) -> None:
    numbers = mobiles(20_000)
    listed = numbers[::7] + [f"5511 9{i:08d}" for i in range(3_000)]  # some not in frame
    journal.suppress(listed, reason="lista da empresa", source="import")
    frame = pd.DataFrame({"tel": [*numbers, "sem número", None]})
    est = Estimator(frame, phone="tel", journal=journal).estimate("Oi", Options())
    on_list = set(journal.suppressed()["phone"])
    expected = [isinstance(p, str) and p in on_list for p in est.rows["phone"].tolist()]
    assert (est.rows["status"] == "opted_out").tolist() == expected
    assert est.opted_out == sum(expected) == len(numbers[::7])
    assert est.recipients + est.opted_out + est.invalid == len(frame)
    opted = est.opted_out_positions()
    assert len({est.reason_at(int(k)).text("en") for k in opted}) == 1  # type: ignore[union-attr]
    assert est.reasons("en")[opted[0]].startswith("on the suppression list since ")


def test_the_list_is_read_once_until_asked_again(journal: Journal) -> None:
    frame = pd.DataFrame({"tel": mobiles(10)})
    estimator = Estimator(frame, phone="tel", journal=journal)
    assert estimator.estimate("Oi", Options()).opted_out == 0
    journal.suppress([frame["tel"][0]], reason="pediu para sair")
    assert estimator.estimate("Olá", Options()).opted_out == 0  # the list read at first
    estimator.reread_suppressions()
    again = estimator.estimate("Olá", Options())
    assert again.opted_out == 1
    assert again.rows["status"].iloc[0] == "opted_out"


def test_an_empty_list_leaves_every_row_as_it_was(journal: Journal) -> None:
    frame = pd.DataFrame({"tel": [*mobiles(50), "x"]})
    with_list = Estimator(frame, phone="tel", journal=journal).estimate("Oi", Options())
    without = Estimator(frame, phone="tel", journal=False).estimate("Oi", Options())
    assert with_list.rows.equals(without.rows)
    assert with_list.suppressions_consulted
    assert not without.suppressions_consulted
    assert with_list.notes("en") == []
    assert np.array_equal(with_list.sendable, without.sendable)
