"""Errors put in words, from their structured fields, never from their English message."""

from __future__ import annotations

from datetime import datetime

from directcall_nb.display import format_brl, mask_numbers
from directcall_nb.errors import (
    AccountNotFound,
    APIError,
    AuthenticationError,
    BillingError,
    ColumnNotFound,
    DirectCallError,
    InsufficientBalance,
    InvalidOption,
    JournalError,
    OutsideWindow,
    TemplateError,
    UnknownPlaceholder,
    api_error,
)
from directcall_nb.i18n._say import say, say_count
from directcall_nb.i18n._table import TABLE
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

__all__ = ["explain", "explain_codigo"]

#: Options whose problem has a sentence of its own: (option, problem) → key.
_OPTION_PROBLEMS = {
    ("show_sender", "needs_sender"): "err_show_sender",
    ("fill", "forbidden"): "err_fill",
    ("price_per_segment", "not_amount"): "err_price",
    ("audio", "missing"): "err_audio_missing",
    ("audio", "unreadable"): "err_audio_unreadable",
    ("audio", "empty"): "err_audio_empty",
    ("audio", "too_big"): "err_audio_too_big",
    ("audio", "type"): "err_audio_type",
    ("audio", "voice_only"): "err_audio_voice_only",
    ("num_tentativas", "range"): "err_attempts_range",
    ("num_tentativas", "voice_only"): "err_attempts_voice_only",
    ("window", "time"): "err_window_time",
    ("window", "order"): "err_window_order",
    ("window", "shape"): "err_window_shape",
    ("window", "no_whole_hour"): "err_window_no_whole_hour",
    ("weekdays", "weekdays"): "err_weekdays",
    ("weekdays", "without_window"): "err_weekdays_without_window",
    ("schedule", "needs_window"): "err_next_window_needs_window",
}


def _moment(value: object) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if isinstance(value, datetime) else str(value)


def _value(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return mask_numbers(f"'{text}'" if isinstance(value, str) else text)


def _option(error: InvalidOption, language: Language) -> str:
    d = error.details
    if error.kind == "sender":
        problem = d["problem"] if d["problem"] in ("missing", "format", "invalid") else "invalid"
        if problem == "format" and not d["suggestion"]:
            problem = "invalid"
        return say(f"err_sender_{problem}", language, value=_value(d["value"]),
                   suggestion=d["suggestion"])  # fmt: skip
    if error.kind == "schedule":
        problem = d["problem"] or "unreadable"
        return say(
            f"err_schedule_{problem}",
            language,
            value=_value(d["value"]),
            moment=_moment(d["moment"]),
            now=_moment(d["now"]),
        )
    special = _OPTION_PROBLEMS.get((d["option"], d["problem"]))
    if special is not None:
        return say(special, language, value=_value(d["value"]))
    text = say("err_option", language, option=d["option"], value=_value(d["value"]))
    if d["suggestion"]:
        text += say("err_option_suggestion", language, suggestion=d["suggestion"])
    return text


def _template(error: TemplateError, language: Language) -> str:
    if isinstance(error, UnknownPlaceholder):
        names = ", ".join("{" + name + "}" for name in error.placeholders)
        return say("err_unknown_placeholder", language, names=names,
                   columns=", ".join(error.columns) or "—")  # fmt: skip
    return say(f"err_template_{error.problem}", language, position=error.position,
               character=error.character)  # fmt: skip


def _column(error: ColumnNotFound, language: Language) -> str:
    if error.duplicated:
        return say("err_column_repeated", language, n=error.duplicated, column=error.column)
    return say("err_column_not_found", language, column=error.column,
               columns=", ".join(error.columns) or "—")  # fmt: skip


def _journal(error: JournalError, language: Language) -> str:
    key = f"err_journal_{error.problem}"
    return say(key if key in TABLE else "err_journal_other", language, path=error.path)


def _outside(error: OutsideWindow, language: Language) -> str:
    window = error.window
    return say(
        f"err_outside_window_{error.problem}",
        language,
        window=window.describe(language) if hasattr(window, "describe") else str(window),
        moment=_moment(error.moment),
        opening=_moment(error.next_opening),
    )


def _by_kind(error: DirectCallError, language: Language) -> str:
    """Return the sentence of an error that has no class of its own here, found by its kind."""
    details = error.details
    if error.kind == "cost_limit":
        return say(
            "err_cost_limit",
            language,
            cost=format_brl(details["cost"]),
            limit=format_brl(details["limit"]),
            segments=say_count("segment_count", details["segments"], language),
            recipients=say_count("recipient_count", details["recipients"], language),
        )
    if error.kind == "too_long":
        return say("err_too_long", language, characters=details["characters"])
    key = f"err_{error.kind}"
    if key in TABLE:
        return say(key, language, **details)
    return say("err_input" if isinstance(error, ValueError) else "err_other", language,
               name=type(error).__name__)  # fmt: skip


def explain(error: BaseException, language: Language | None = None) -> str:
    """Return what went wrong and what to do, for a person, written from the error's fields.

    Parameters
    ----------
    error : BaseException
        The error. Ours are written from their `DirectCallError.details`; any other is named,
        never shown as a traceback.
    language : {"pt", "en"}, optional
        The language; ``directcall_nb.options.language`` by default.
    """
    language = language or current_language()
    if not isinstance(error, DirectCallError):
        return say("err_other", language, name=type(error).__name__)
    if isinstance(error, APIError):
        return explain_codigo(error.codigo, error.msg, language)
    if isinstance(error, InvalidOption):
        return _option(error, language)
    if isinstance(error, TemplateError):
        return _template(error, language)
    if isinstance(error, ColumnNotFound):
        return _column(error, language)
    if isinstance(error, JournalError):
        return _journal(error, language)
    if isinstance(error, OutsideWindow):
        return _outside(error, language)
    return _by_kind(error, language)


def explain_codigo(codigo: str, msg: str, language: Language | None = None) -> str:
    """Return DirectCall's return code put in words, with what to do about it."""
    error = api_error(codigo, msg, endpoint="")
    if isinstance(error, InsufficientBalance):
        return say("code_201", language)
    if isinstance(error, AuthenticationError):
        return say("code_auth", language)
    if isinstance(error, AccountNotFound):
        return say("code_200", language)
    if isinstance(error, BillingError):
        return say("code_billing", language, codigo=codigo, msg=msg)
    return say("code_other", language, codigo=codigo, msg=msg)
