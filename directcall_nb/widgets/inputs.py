"""Reading what the analyst typed: the phone column guess, price, schedule, placeholders.

Pure functions, no widgets: the form calls them with the widgets' values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

import pandas as pd

from directcall_nb.errors import InputError, InvalidSchedule
from directcall_nb.gsm import grapheme_clusters, is_gsm
from directcall_nb.text import replace_ucs2, ucs2_replacements
from directcall_nb.widgets.i18n import Strings

__all__ = [
    "PHONE_NAMES",
    "guess_phone_column",
    "literal_text",
    "literal_ucs2_characters",
    "literal_ucs2_replacements",
    "parse_price",
    "parse_schedule",
    "placeholder_for",
    "replace_ucs2_in_literals",
]

#: Column names (or the start of a word in them) that say "phone numbers", accents removed.
PHONE_NAMES = ("tel", "cel", "phone", "fone", "whats", "zap", "mobile", "movel")
_CONTENT_SAMPLE = 200
_CONTENT_SHARE = 0.6
#: A template's placeholders and escaped braces, which the literal text lies between.
_NOT_LITERAL = re.compile(r"(\{\{|\}\}|\{[^{}]*\})")
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:hH.]\s*(\d{2})\s*$")


def _words(label: object) -> list[str]:
    plain = unicodedata.normalize("NFKD", str(label)).encode("ascii", "ignore").decode()
    return [w for w in re.split(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])", plain.lower()) if w]


def _named_like_phones(label: object) -> bool:
    return any(word.startswith(name) for word in _words(label) for name in PHONE_NAMES)


def _mostly_phones(column: pd.Series) -> bool:
    from directcall_nb.phones import normalize_phones

    sample = column.head(_CONTENT_SAMPLE * 5).dropna().head(_CONTENT_SAMPLE)
    kind = sample.dtype
    if len(sample) == 0 or pd.api.types.is_bool_dtype(kind):
        return False
    if not (pd.api.types.is_string_dtype(kind) or pd.api.types.is_numeric_dtype(kind)):
        return False
    valid = normalize_phones(sample)["valid"].to_numpy(dtype=bool)
    return bool(valid.mean() >= _CONTENT_SHARE)


def guess_phone_column(frame: pd.DataFrame) -> Hashable | None:
    """The column that most likely holds phone numbers, or None.

    A column named like one (a word starting ``tel``, ``cel``, ``fone``, ``phone``, ``whats``,
    ``zap``, ``mobile`` or ``movel``, in any case, accents ignored: ``telefone``, ``Celular``,
    ``WhatsApp``, ``fone_1``) whose sample holds mostly valid numbers wins; then the first column
    named like one; then the first column where most of a small sample reads as valid numbers.
    """
    unique = [label for label in frame.columns if isinstance(frame[label], pd.Series)]
    named = [label for label in unique if _named_like_phones(label)]
    for label in named:
        if _mostly_phones(frame[label]):
            return label
    if named:
        return named[0]
    for label in unique:
        if _mostly_phones(frame[label]):
            return label
    return None


def placeholder_for(label: object) -> str | None:
    """``"{label}"`` as a template writes it, or None when the label cannot be written so."""
    name = str(label)
    if not name or name != name.strip() or "{" in name or "}" in name:
        return None
    return "{" + name + "}"


def parse_price(text: str, words: Strings) -> Decimal | None:
    """Read a price in reais as typed (``"0,08"``, ``"0.08"``, ``"R$ 1.234,50"``); None if blank.

    Raises
    ------
    InputError
        When the text is not an amount of zero or more.
    """
    cleaned = text.strip().removeprefix("R$").strip()
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(words["price_bad"].format(price=text)) from None
    if not price.is_finite() or price < 0:
        raise InputError(words["price_bad"].format(price=text))
    return price


def parse_schedule(day: date | None, clock: str, words: Strings) -> datetime | None:
    """The delivery moment (naive, Brazil time) from a date and an ``HH:MM`` text; None if neither.

    Raises
    ------
    InvalidSchedule
        A time without a date, a date without a time, or a time that is not ``HH:MM``.
    """
    clock = clock.strip()
    if day is None:
        if clock:
            raise InvalidSchedule(words["schedule_no_date"])
        return None
    if not clock:
        raise InvalidSchedule(words["schedule_time"])
    found = _CLOCK.match(clock)
    if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise InvalidSchedule(words["schedule_bad_time"].format(time=clock))
    return datetime.combine(day, time(int(found.group(1)), int(found.group(2))))


def _pieces(source: str) -> list[str]:
    """The template split so that even positions are literal text and odd ones are not."""
    return _NOT_LITERAL.split(source)


def literal_text(source: str) -> str:
    """The template's own text, without its placeholders and escaped braces."""
    return "".join(_pieces(source)[::2])


def literal_ucs2_characters(source: str) -> tuple[str, ...]:
    """The characters of the template's own text that force UCS-2, in order of appearance."""
    text = literal_text(source)
    if is_gsm(text):
        return ()
    return tuple(dict.fromkeys(c for c in grapheme_clusters(text) if not is_gsm(c)))


def literal_ucs2_replacements(source: str) -> dict[str, str]:
    """The GSM-7 stand-ins `replace_ucs2_in_literals` would apply, e.g. ``{"á": "a"}``."""
    return ucs2_replacements(literal_text(source))


def replace_ucs2_in_literals(source: str) -> str:
    """``source`` with its own text made GSM-7 where a stand-in exists; placeholders untouched.

    A placeholder such as ``{observação}`` names a column and is left as written.
    """
    pieces = _pieces(source)
    return "".join(
        replace_ucs2(piece) if i % 2 == 0 and piece else piece for i, piece in enumerate(pieces)
    )
