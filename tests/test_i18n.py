"""Every error and reason in both languages, written from its fields; the language setting."""

from __future__ import annotations

import inspect
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pandas as pd
import pytest

import directcall_nb
from directcall_nb import errors
from directcall_nb.errors import (
    ColumnNotFound,
    CostLimitExceeded,
    DirectCallError,
    InvalidOption,
    InvalidSchedule,
    InvalidSender,
    JournalError,
    MessageTooLong,
    ServerFailure,
    TemplateError,
    UnknownPlaceholder,
    api_error,
)
from directcall_nb.i18n import explain, say_count
from directcall_nb.moments import BRAZIL_TIME
from directcall_nb.settings import locale_language
from directcall_nb.windows import Window

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=BRAZIL_TIME)

#: One of each error the package raises, as its code raises it.
SAMPLES: list[DirectCallError] = [
    ColumnNotFound("telefone", ["nome", "celular"], what="phone column"),
    ColumnNotFound("nome", ["nome", "nome"], duplicated=2),
    UnknownPlaceholder(["nomes"], ["nome", "valor"]),
    TemplateError("…", problem="unclosed", position=5),
    TemplateError("…", problem="unopened", position=13),
    TemplateError("…", problem="empty_placeholder", position=2),
    TemplateError("…", problem="forbidden", position=4, character="U+0000"),
    TemplateError("…", problem="not_text"),
    MessageTooLong("…", characters=701),
    InvalidSender("…", problem="missing"),
    InvalidSender("…", value="(11) 3060-0300", suggestion="551130600300", problem="format"),
    InvalidSender("…", value="abc", problem="invalid"),
    InvalidSchedule("…", problem="past", moment=NOW - timedelta(hours=1), now=NOW),
    InvalidSchedule("…", problem="too_close", moment=NOW, now=NOW),
    InvalidSchedule("…", value="amanhã", problem="unreadable"),
    InvalidSchedule("…", problem="no_time"),
    InvalidSchedule("…", problem="no_date"),
    InvalidSchedule("…", value="25:10", problem="bad_time"),
    InvalidSchedule("…", value="31/02/2026", problem="bad_date"),
    InvalidSchedule("…", problem="missing"),
    InvalidOption("…", option="show_sender", value=True, problem="needs_sender"),
    InvalidOption("…", option="fill", value="a\0", problem="forbidden"),
    InvalidOption("…", option="price_per_segment", value="dez", problem="not_amount"),
    InvalidOption("…", option="concurrency", value="4", suggestion="concurrency=4"),
    InvalidOption("…", option="window", value="25:00", problem="time"),
    InvalidOption("…", option="window", value=("20:00", "08:00"), problem="order"),
    InvalidOption("…", option="window", value="8-20", problem="shape"),
    InvalidOption("…", option="window", value=None, problem="no_whole_hour"),
    InvalidOption("…", option="weekdays", value="xyz", problem="weekdays"),
    InvalidOption("…", option="weekdays", value="seg-sex", problem="without_window"),
    InvalidOption("…", option="schedule", value="next_window", problem="needs_window"),
    errors.OutsideWindow(
        "…", window=Window(), moment=NOW.replace(hour=21), next_opening=NOW.replace(day=2, hour=8)
    ),
    errors.OutsideWindow(
        "…",
        window=Window(),
        moment=NOW.replace(day=6),
        next_opening=NOW.replace(day=7, hour=8),
        problem="schedule",
    ),
    CostLimitExceeded("…", cost=Decimal("12.5"), limit=Decimal("10"), segments=125, recipients=100),
    errors.UnreadableFrame("…", column="codigo", dtype="Int128"),
    errors.LazyFrameGiven("…"),
    errors.PartitionedFrameGiven("…"),
    errors.MissingCredentials("…"),
    errors.InsecureURL("…"),
    JournalError("…", path="/tmp/j", problem="directory"),
    JournalError("…", path="/tmp/j", problem="locked"),
    JournalError("…", path="/tmp/j", problem="not_journal"),
    JournalError("…", path="/tmp/j", problem="newer"),
    JournalError("…", path="/tmp/j", problem="closed"),
    JournalError("…", path="/tmp/j", problem="state"),
    errors.RequestNotSent("…", endpoint="/sms/send"),
    errors.ResponseLost("…", endpoint="/sms/send"),
    ServerFailure("…", endpoint="/sms/send", status_code=500),
    *(api_error(code, "Mensagem do servidor", endpoint="/sms/send") for code in errors.CODES),
]

ENGLISH = re.compile(r"\b(the|is|not|and|of|to|column|message|sender|schedule|pass|was)\b")
PYTHON = re.compile(r"[a-z_]+=|\(\)|\.rows|\bTrue\b|\bFalse\b|\bNone\b")


def test_every_error_class_is_sampled() -> None:
    classes = {
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, DirectCallError) and cls.__module__ == errors.__name__
    }
    sampled = {type(error) for error in SAMPLES}
    abstract = {
        DirectCallError,
        errors.InputError,
        errors.ConfigurationError,
        errors.TransportError,
        errors.APIError,
        errors.BillingError,
    }
    assert classes - abstract <= sampled, classes - abstract - sampled


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: f"{type(e).__name__}-{e.details}")
def test_every_error_reads_in_portuguese_without_english_or_python(error: DirectCallError) -> None:
    pt, en = explain(error, "pt"), explain(error, "en")
    assert pt
    assert en
    assert pt != en
    assert "Erro inesperado" not in pt
    assert "Entrada inválida" not in pt
    server_words = "Mensagem do servidor"
    assert not ENGLISH.findall(pt.replace(server_words, "")), pt
    if type(error) is not InvalidOption or error.problem is not None:
        assert not PYTHON.findall(pt), pt  # a keyword typed in Python is fixed in Python


def test_a_schedule_error_names_the_moments_in_brazil_time() -> None:
    error = InvalidSchedule("…", problem="past", moment=NOW - timedelta(hours=1), now=NOW)
    assert explain(error, "pt") == (
        "O agendamento 01/12/2026 08:00 já passou (agora são 01/12/2026 09:00 em Brasília): "
        "escolha um horário mais tarde."
    )


def test_an_option_error_from_the_python_api_reads_in_portuguese_too() -> None:
    with pytest.raises(InvalidOption) as caught:
        directcall_nb.Options(short_number="s")  # type: ignore[arg-type]
    assert explain(caught.value, "pt") == (
        "A opção short_number não aceita o valor 's'. Use short_number=True."
    )


def test_counts_and_plurals() -> None:
    assert say_count("status_invalid", 1, "pt") == "1 inválida"
    assert say_count("status_invalid", 2, "pt") == "2 inválidas"
    assert say_count("call_count", 1234, "pt") == "1.234 ligações de voz"
    assert say_count("call_count", 1, "en") == "1 voice call"


def test_the_language_follows_the_locale_until_set() -> None:
    assert locale_language({"LANG": "pt_BR.UTF-8"}) == "pt"
    assert locale_language({"LC_ALL": "en_US.UTF-8", "LANG": "pt_BR.UTF-8"}) == "en"
    assert locale_language({"LC_MESSAGES": "pt_PT"}) == "pt"
    assert locale_language({}) == "en"


def test_the_language_setting_changes_reprs_and_reports() -> None:
    frame = pd.DataFrame({"tel": ["5511912345678", "(23) 91234-5678"], "nome": ["Ana", "Bia"]})
    est = frame.directcall.estimate("Oi {nome}", phone="tel")
    directcall_nb.options.language = "pt"  # type: ignore[attr-defined]
    try:
        assert repr(est).startswith("Estimativa: SMS")
        assert est.rows["reason"].iloc[1] == "telefone inválido: o DDD 23 não existe"
        assert "Destinatários" in est._repr_html_()
    finally:
        directcall_nb.options.language = None  # type: ignore[attr-defined]
    fresh = frame.directcall.estimate("Oi {nome}", phone="tel")
    assert repr(fresh).startswith("Estimate: SMS")
    assert fresh.rows["reason"].iloc[1] == "DDD 23 does not exist"
    with pytest.raises(InvalidOption, match=r"'pt' .* or 'en'"):
        directcall_nb.options.language = "es"  # type: ignore[attr-defined]
