"""The option bundle: every option checked once, where it is built, naming itself and the fix."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, get_type_hints

import pandas as pd
import pytest

from directcall_nb.errors import InputError, InvalidOption, InvalidSchedule, InvalidSender
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.options import (
    DEFAULT_CONCURRENCY,
    SCHEDULE_LEAD,
    Options,
    OptionValues,
    check_schedule,
)

SENDER = "551130600300"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BRAZIL_TIME)


def test_the_keyword_table_lists_every_option_and_nothing_else() -> None:
    folded = {"weekdays"}  # read into the window, which holds them
    assert set(get_type_hints(OptionValues)) == {f.name for f in fields(Options)} | folded


def test_defaults_and_checked_values() -> None:
    default = Options()
    assert (default.channel, default.policy, default.dedupe) == ("sms", "directcall", True)
    assert default.concurrency == DEFAULT_CONCURRENCY
    built = Options(sender=551130600300, price_per_segment=0.08, max_cost="50", rate_limit=2)
    assert built.sender == SENDER
    assert built.price_per_segment == Decimal("0.08")
    assert built.max_cost == Decimal("50")
    assert built.rate_limit == 2.0


@pytest.mark.parametrize(
    ("values", "option", "says"),
    [
        ({"short_number": "s"}, "short_number", "write short_number=True"),
        ({"show_sender": 1, "sender": SENDER}, "show_sender", "write show_sender=True"),
        ({"dedupe": "no"}, "dedupe", "write dedupe=False"),
        ({"allow_international": None}, "allow_international", "True or False"),
        ({"resend_ambiguous": "yes"}, "resend_ambiguous", "write resend_ambiguous=True"),
        ({"channel": "voz"}, "channel", "write channel='voice'"),
        ({"channel": "fax"}, "channel", "'sms' or 'voice'"),
        ({"policy": "GSM"}, "policy", "'directcall' or 'gsm'"),
        ({"price_per_segment": "grátis"}, "price_per_segment", "not an amount of reais"),
        ({"price_per_segment": "0,08"}, "price_per_segment", "price_per_segment='0.08'"),
        ({"price_per_segment": -1}, "price_per_segment", "zero reais or more"),
        ({"price_per_segment": math.inf}, "price_per_segment", "zero reais or more"),
        ({"price_per_segment": True}, "price_per_segment", "not an amount"),
        (
            {"max_cost": "0,08", "price_per_segment": "0.08"},
            "max_cost",
            "in Python write the amount with a dot: max_cost='0.08'",
        ),
        ({"max_cost": "1.234,50", "price_per_segment": "0.08"}, "max_cost", "'1234.50'"),
        ({"max_cost": 10}, "max_cost", "needs the price"),
        ({"concurrency": 0}, "concurrency", "whole number from 1 to 64"),
        ({"concurrency": "4"}, "concurrency", "write concurrency=4"),
        ({"concurrency": 2.5}, "concurrency", "whole number"),
        ({"concurrency": True}, "concurrency", "whole number"),
        ({"concurrency": 1000}, "concurrency", "from 1 to 64"),
        ({"concurrency": 10**5000}, "concurrency", "=1000000000000000000000000000000000000..."),
        ({"chunk_size": -(10**5000)}, "chunk_size", "whole number of 1 or more"),
        ({"rate_limit": 0}, "rate_limit", "positive number of requests per second"),
        ({"rate_limit": math.nan}, "rate_limit", "positive number"),
        ({"rate_limit": "5"}, "rate_limit", "positive number"),
        ({"chunk_size": 0}, "chunk_size", "whole number of 1 or more"),
        ({"fill": 0}, "fill", "must be text"),
        ({"fill": "a\x00"}, "fill", "U+0000"),
        ({"show_sender": True}, "show_sender", "needs the sender"),
        ({"channel": "voice", "short_number": True}, "short_number", "SMS only"),
        ({"channel": "voice", "show_sender": True, "sender": SENDER}, "show_sender", "SMS only"),
        ({"sender": "abc"}, "sender", "not a number in DirectCall's format"),
        ({"sender": "(11) 3060-0300"}, "sender", "write it as 551130600300"),
        ({"sender": 5.5}, "sender", "write it as text"),
    ],
)
def test_a_bad_value_names_the_option_the_value_and_the_fix(
    values: dict[str, Any], option: str, says: str
) -> None:
    with pytest.raises(InvalidOption, match=None) as caught:
        Options(**values)
    error = caught.value
    assert isinstance(error, InputError)
    assert isinstance(error, ValueError)
    assert error.option == option
    assert says in str(error)
    assert option in str(error)


def test_sender_errors_are_invalid_sender() -> None:
    with pytest.raises(InvalidSender) as caught:
        Options(sender="(11) 3060-0300")
    assert caught.value.suggestion == SENDER


def test_an_unknown_option_suggests_the_nearest_name() -> None:
    with pytest.raises(InvalidOption, match="no option 'shortnumber'; did you mean short_number"):
        Options.from_values({"shortnumber": True})
    frame = pd.DataFrame({"tel": ["5511912345678"]})
    with pytest.raises(InvalidOption, match="did you mean price_per_segment"):
        frame.directcall.estimate("Oi", phone="tel", price_per_segmnet="0.08")
    with pytest.raises(InvalidOption, match="did you mean schedule"):
        frame.directcall.send("Oi", phone="tel", sender=SENDER, shedule=NOW)


def test_from_values_applies_keywords_on_top_of_options() -> None:
    base = Options(sender=SENDER, price_per_segment="0.10")
    on_top = Options.from_values({"policy": "gsm"}, base)
    assert (on_top.sender, on_top.policy, on_top.price_per_segment) == (
        SENDER,
        "gsm",
        Decimal("0.10"),
    )
    assert on_top.values()["policy"] == "gsm"


def test_a_schedule_is_read_in_brazil_time_and_must_be_far_enough_ahead() -> None:
    naive = datetime(2026, 12, 1, 9, 30, 15, 999)
    checked = check_schedule(naive, now=NOW)
    assert checked == datetime(2026, 12, 1, 9, 30, 15, tzinfo=BRAZIL_TIME)
    assert check_schedule("2026-12-01T12:30:00+00:00", now=NOW).hour == 9
    with pytest.raises(InvalidSchedule, match="in the past") as past:
        check_schedule(NOW - timedelta(minutes=5), now=NOW)
    assert past.value.option == "schedule"
    with pytest.raises(InvalidSchedule, match="less than 1 minute ahead"):
        check_schedule(NOW + SCHEDULE_LEAD - timedelta(seconds=1), now=NOW)
    check_schedule(NOW + SCHEDULE_LEAD, now=NOW)
    with pytest.raises(InvalidSchedule, match="date without a time"):
        check_schedule(NOW.date(), now=NOW)
    with pytest.raises(InvalidSchedule, match="cannot be read"):
        check_schedule("amanhã", now=NOW)
    with pytest.raises(InvalidSchedule, match="NaT"):
        check_schedule(pd.NaT, now=NOW)


def test_a_schedule_stays_open_until_the_lead_is_reached() -> None:
    options = Options(schedule=datetime.now(BRAZIL_TIME) + timedelta(hours=1))
    assert options.schedule is not None
    assert options.schedule_is_open(options.schedule - SCHEDULE_LEAD)
    assert not options.schedule_is_open(options.schedule - SCHEDULE_LEAD + timedelta(seconds=1))
    assert Options().schedule_is_open()


def test_an_entry_point_argument_of_thousands_of_digits_is_quoted_not_a_bare_error() -> None:
    from directcall_nb import sync_replies

    frame = pd.DataFrame({"celular": ["11 91234-5678"]})
    calls: dict[str, Callable[[], object]] = {
        "per_page": lambda: sync_replies(per_page=10**5000),
        "journal": lambda: frame.directcall.estimate("Oi", phone="celular", journal=10**5000),
        "progress": lambda: frame.directcall.send(
            "Oi", phone="celular", sender=SENDER, dry_run=True, progress=10**5000
        ),
    }
    for option, call in calls.items():
        with pytest.raises(InvalidOption) as caught:
            call()
        assert caught.value.option == option
        assert f"{option}=1000000000000000000000000000000000000..." in str(caught.value)
