"""The usage statement's reader, on answers of any shape: it never guesses "not sent"."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from directcall_nb.client._statement import StatementReader

TAG = "0123456789abcdef0123456789abcdef-42"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.just(TAG),
    st.just(TAG + "x"),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["campos", "callerid", "destino", "x"]), inner, max_size=4),
    ),
    max_leaves=12,
)
entries = st.dictionaries(
    st.sampled_from(["campos", "callerid", "destino", "origem", "data"]), values, max_size=5
)
messages = st.one_of(values, st.lists(entries, max_size=5), st.lists(values, max_size=5))
pages = st.lists(
    st.fixed_dictionaries(
        {"codigo": st.just("000"), "msg": messages},
        optional={
            "pagina": st.integers(0, 4),
            "paginas": st.one_of(st.integers(0, 4), st.text(max_size=3)),
            "total": st.one_of(st.integers(0, 12), st.none()),
        },
    ),
    min_size=1,
    max_size=4,
)


def holds(value: Any) -> bool:
    """Whether ``value`` holds the tag as a whole value, at any depth."""
    if isinstance(value, dict):
        return any(holds(v) for v in value.values())
    if isinstance(value, list):
        return any(holds(v) for v in value)
    return bool(value == TAG) and isinstance(value, str)


@settings(max_examples=400, deadline=None)
@given(pages)
@example([{"codigo": "000", "msg": [], "paginas": "¹"}])  # a digit int() does not read
@example([{"codigo": "000", "msg": [], "paginas": "٣"}])
def test_absent_only_for_complete_lists_of_records_with_custom_fields_and_no_tag(
    answers: list[dict[str, Any]],
) -> None:
    reader = StatementReader(TAG, period="today", max_pages=len(answers))
    verdict = None
    read: list[dict[str, Any]] = []
    for answer in answers:
        read.append(answer)
        verdict = reader.feed(answer)
        if verdict is not None:
            break
    if verdict is None:  # it asked for more pages than there are: nothing concluded yet
        return
    assert verdict.verdict in ("listed", "absent", "unknown")
    assert verdict.reason
    tagged = any(holds(answer.get("msg")) for answer in read)
    if verdict.verdict == "listed":
        assert tagged
        assert all(holds(entry) for entry in verdict.entries)
    if verdict.verdict == "absent":
        assert not tagged
        for answer in read:
            msg = answer["msg"]
            listed = msg if isinstance(msg, list) else [] if msg in (None, "") else None
            assert listed is not None, msg
            assert all(isinstance(entry, dict) and "campos" in entry for entry in listed)


@given(st.lists(entries, min_size=1, max_size=5), st.integers(0, 4))
def test_an_entry_with_the_tag_is_found_wherever_it_stands(
    others: list[dict[str, Any]], where: int
) -> None:
    rows = [dict(e, campos={"directcall_nb": "other"}) for e in others]
    rows.insert(min(where, len(rows)), {"callerid": "77", "campos": {"directcall_nb": TAG}})
    reader = StatementReader(TAG, period="today", max_pages=1)
    verdict = reader.feed({"codigo": "000", "msg": rows, "pagina": 1, "paginas": 1})
    assert verdict is not None
    assert verdict.verdict == "listed"
    assert verdict.callerid == "77" or any(holds(e) for e in others)
