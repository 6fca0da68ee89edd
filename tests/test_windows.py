"""Delivery windows: the hours and weekdays a campaign may go out, read as analysts write them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import directcall_nb
from directcall_nb import Options, Window
from directcall_nb.errors import InvalidOption, OutsideWindow
from directcall_nb.i18n import explain
from directcall_nb.windows import read_weekdays, read_window

BRT = ZoneInfo("America/Sao_Paulo")
MONDAY_TO_SATURDAY = frozenset(range(6))


def brt(text: str) -> datetime:
    """Return a Brasília-time ``YYYY-MM-DD HH:MM`` as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=BRT)


@pytest.fixture(autouse=True)
def no_session_window() -> Iterator[None]:
    """Leave the session without a default window after each test."""
    yield
    directcall_nb.options.window = None  # type: ignore[attr-defined]


# -- weekdays ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("seg-sab", MONDAY_TO_SATURDAY),
        ("seg-sáb", MONDAY_TO_SATURDAY),
        ("Seg–Sáb", MONDAY_TO_SATURDAY),
        ("segunda-feira a sábado", MONDAY_TO_SATURDAY),
        ("seg-sex", frozenset(range(5))),
        ("mon-fri", frozenset(range(5))),
        ("Monday to Friday", frozenset(range(5))),
        ("sex-seg", frozenset({4, 5, 6, 0})),
        ("seg, qua e sex", frozenset({0, 2, 4})),
        (["seg", "qua"], frozenset({0, 2})),
        (("Sat", "domingo"), frozenset({5, 6})),
        ("todos", frozenset(range(7))),
        ("every day", frozenset(range(7))),
    ],
)
def test_weekdays_are_read_in_portuguese_and_english(written: object, days: frozenset[int]) -> None:
    assert read_weekdays(written) == days


@pytest.mark.parametrize("bad", ["", "xyz", "seg-ter-qua", "seg-", 5, [], ["seg", 3], b"seg"])
def test_weekdays_that_cannot_be_read_are_refused_with_the_forms_that_are(bad: object) -> None:
    with pytest.raises(InvalidOption) as raised:
        read_weekdays(bad)

    assert raised.value.option == "weekdays"
    assert "'seg-sab'" in str(raised.value)
    assert "'mon-fri'" in str(raised.value)


# -- the window ----------------------------------------------------------------------------------


def test_the_default_window_is_eight_to_eight_monday_to_saturday() -> None:
    window = Window()

    assert (window.start, window.end, window.weekdays) == (time(8), time(20), MONDAY_TO_SATURDAY)
    assert window.describe("pt") == "08:00–20:00, seg–sáb"
    assert window.describe("en") == "08:00–20:00, Mon–Sat"
    assert repr(window) == "Window('08:00', '20:00', weekdays='seg–sáb')"
    assert eval(repr(window), {"Window": Window}) == window


def test_open_from_the_start_until_just_before_the_end() -> None:
    window = Window("08:00", "20:00")  # 2026-12-01 is a Tuesday

    assert not window.is_open(brt("2026-12-01 07:59:59"))
    assert window.is_open(brt("2026-12-01 08:00"))
    assert window.is_open(brt("2026-12-01 19:59:59"))
    assert not window.is_open(brt("2026-12-01 20:00"))
    assert window.closes_at(brt("2026-12-01 10:00")) == brt("2026-12-01 20:00")


def test_a_naive_moment_is_brasilia_time_and_an_aware_one_is_converted() -> None:
    window = Window("08:00", "20:00")

    assert window.is_open(datetime(2026, 12, 1, 8, 0))
    assert not window.is_open(datetime(2026, 12, 1, 10, 30, tzinfo=ZoneInfo("UTC")))  # 07:30


def test_sunday_is_closed_under_seg_sab_and_the_next_opening_is_monday() -> None:
    window = Window(weekdays="seg-sab")
    sunday = brt("2026-12-06 10:00")

    assert not window.is_open(sunday)
    assert window.next_opening(sunday) == brt("2026-12-07 08:00")
    assert window.next_opening(brt("2026-12-05 20:00")) == brt("2026-12-07 08:00")  # Saturday
    assert window.next_opening(brt("2026-12-01 06:00")) == brt("2026-12-01 08:00")
    assert window.next_opening(brt("2026-12-01 12:00")) == brt("2026-12-01 12:00")  # open


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("08:00", "20:00", (8, 19)),
        ("08:30", "20:00", (9, 19)),
        ("08:00", "20:30", (8, 19)),
        ("8h", "9h", (8, 8)),
        ("08:30", "09:15", None),
    ],
)
def test_the_voice_window_is_the_whole_hours_inside(
    start: str, end: str, hours: tuple[int, int] | None
) -> None:
    assert Window(start, end).voice_hours() == hours


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        ("20:00", "08:00", "order"),
        ("08:00", "08:00", "order"),
        ("25:00", "26:00", "time"),
        ("oito", "20:00", "time"),
        (8.5, "20:00", "time"),
    ],
)
def test_a_window_that_cannot_be_read_is_refused(start: object, end: object, problem: str) -> None:
    with pytest.raises(InvalidOption) as raised:
        read_window((start, end))

    assert (raised.value.option, raised.value.problem) == ("window", problem)
    assert "window=('08:00', '20:00')" in str(raised.value)


# -- the window in the options -------------------------------------------------------------------


def test_the_options_take_a_pair_or_a_window_and_the_weekdays() -> None:
    assert Options(window=("08:00", "20:00"), weekdays="seg-sex").window == Window(
        weekdays="seg-sex"
    )
    assert Options(window=Window("09:00", "18:00"), weekdays="todos").window == Window(
        "09:00", "18:00", weekdays="todos"
    )
    assert Options(weekdays="mon-fri").window == Window(weekdays="seg-sex")
    assert Options(window=True).window == Window()
    assert Options().window is None
    later = Options.from_values({"weekdays": "seg-sex"}, Options(sender="551130600300"))
    assert later.window == Window(weekdays="seg-sex")
    assert later.sender == "551130600300"


def test_bad_window_options_name_the_option_and_the_fix() -> None:
    with pytest.raises(InvalidOption, match="weekdays='xyz'") as raised:
        Options.from_values({"window": ("08:00", "20:00"), "weekdays": "xyz"})
    assert raised.value.option == "weekdays"
    with pytest.raises(InvalidOption, match="window=False turns it off"):
        Options(window=False, weekdays="seg-sex")
    with pytest.raises(InvalidOption, match="did you mean weekdays"):
        Options.from_values({"weekday": "seg-sex"})
    with pytest.raises(InvalidOption, match="no whole hour") as raised:
        Options(channel="voice", window=("08:30", "09:15"))
    assert raised.value.option == "window"


def test_a_session_default_window_applies_until_a_send_says_false() -> None:
    directcall_nb.options.window = ("09:00", "18:00")  # type: ignore[attr-defined]

    assert directcall_nb.options.window == Window("09:00", "18:00")  # type: ignore[attr-defined]
    assert Options().window == Window("09:00", "18:00")
    assert Options(weekdays="seg-sex").window == Window("09:00", "18:00", weekdays="seg-sex")
    assert Options(window=False).window is None
    assert Options.from_values({}, Options(window=False)).window is None
    with pytest.raises(InvalidOption):
        directcall_nb.options.window = "8-20"  # type: ignore[attr-defined]
    directcall_nb.options.window = True  # type: ignore[attr-defined]
    assert Options().window == Window("08:00", "20:00", weekdays="seg-sab")
    directcall_nb.options.window = None  # type: ignore[attr-defined]
    assert Options().window is None


def test_a_schedule_outside_the_window_is_refused_with_a_time_inside() -> None:
    sunday = datetime.now(BRT).replace(second=0, microsecond=0) + timedelta(days=7)
    sunday += timedelta(days=(6 - sunday.weekday()))
    with pytest.raises(OutsideWindow) as raised:
        Options(window=("08:00", "20:00"), weekdays="seg-sab", schedule=sunday)

    error = raised.value
    assert error.problem == "schedule"
    assert error.next_opening == (sunday + timedelta(days=1)).replace(hour=8, minute=0)
    words = explain(error, "pt")
    assert "fica fora da janela de envio (08:00–20:00, seg–sáb" in words
    assert f"{error.next_opening:%d/%m/%Y %H:%M}" in words
    assert "next_window" not in words  # no Python in Portuguese


def test_next_window_needs_a_window() -> None:
    with pytest.raises(InvalidOption, match="window=") as raised:
        Options(schedule="next_window")

    assert (raised.value.option, raised.value.problem) == ("schedule", "needs_window")


def test_a_window_open_every_day_says_so_in_either_language() -> None:
    window = Window("09:00", "18:00", weekdays="todos")

    assert window.describe("pt") == "09:00–18:00, todos os dias"
    assert window.describe("en") == "09:00–18:00, every day"
