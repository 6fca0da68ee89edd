"""Handing freed memory back to the system leaves what is in use as it was."""

from __future__ import annotations

import sys

import pandas as pd
import pyarrow as pa
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


def test_a_long_column_s_answers_are_kept_in_the_lasting_pool() -> None:
    column = pd.Series(
        [f"(11) 9{n % 10**4:04d}-{n // 10**4:04d}" for n in range(150_000)], dtype="string"
    )
    lasting, default = memory.lasting_pool(), pa.default_memory_pool()
    lasting_before, default_before = lasting.bytes_allocated(), default.bytes_allocated()
    answers = normalize_phones(column)
    written = sum(answers[name].array.__arrow_array__().nbytes for name in ("phone", "line_type"))
    assert lasting.bytes_allocated() - lasting_before >= written
    assert default.bytes_allocated() - default_before < written / 10  # the temporary arrays
    assert answers["line_type"].eq("mobile").all()
