"""Handing freed memory back to the system leaves what is in use as it was."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from directcall_nb import memory, normalize_phones


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_the_c_library_trim_is_found_on_linux() -> None:
    assert memory._malloc_trim() is not None


def test_answers_are_unchanged_by_handing_back_freed_memory() -> None:
    column = pd.Series(["(11) 91234-5678", "0800 123 4567", "n/a"] * 30_000, dtype="string")
    answers = normalize_phones(column)
    before = answers.copy()
    memory.release_freed()
    pd.testing.assert_frame_equal(answers, before)
    assert answers["phone"].iloc[:3].tolist() == ["5511912345678", "558001234567", pd.NA]
