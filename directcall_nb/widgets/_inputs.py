"""Reading what the analyst typed: the phone column guess, price, schedule, placeholders.

Errors are raised with their fields (the option, the problem, the value), so that the form writes
them in its own language.

Pure functions, no widgets: the form calls them with the widgets' values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

import pandas as pd

from directcall_nb.errors import InputError, InvalidOption, InvalidSchedule
from directcall_nb.text import Template, grapheme_clusters, is_gsm, replace_ucs2, ucs2_replacements

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
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*[:hH.]\s*(\d{2})\s*$")
_DATE = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$")


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
    """Return the column that most likely holds phone numbers, or None.

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


def parse_price(text: str) -> Decimal | None:
    """Read a price in reais as typed (``"0,08"``, ``"0.08"``, ``"R$ 1.234,50"``); None if blank.

    Raises
    ------
    InvalidOption
        When the text is not an amount of zero or more (``problem="not_amount"``).
    """
    cleaned = text.strip().removeprefix("R$").strip()
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        price = Decimal(cleaned)
    except InvalidOperation:
        price = Decimal("NaN")
    if not price.is_finite() or price < 0:
        raise InvalidOption(
            f"the price {text!r} is not an amount of reais",
            option="price_per_segment",
            value=text,
            problem="not_amount",
        )
    return price


def parse_schedule(day: str, clock: str) -> datetime | None:
    """Read the delivery moment (naive, Brazil time): a ``dd/mm/aaaa`` date, an ``HH:MM`` time.

    None when both are blank. The date may also be written ``dd-mm-aaaa`` or ``dd.mm.aaaa``,
    with one-digit days and months; the time ``HHhMM`` or ``HH.MM``.

    Raises
    ------
    InvalidSchedule
        A time without a date (``no_date``), a date without a time (``no_time``), or a date or
        time that cannot be read (``bad_date``, ``bad_time``).
    """
    day, clock = day.strip(), clock.strip()
    if not day:
        if clock:
            raise InvalidSchedule("the schedule has a time but no date", problem="no_date")
        return None
    if not clock:
        raise InvalidSchedule("the schedule has a date but no time", problem="no_time", value=day)
    found_day = _DATE.match(day)
    moment: date | None = None
    if found_day is not None:
        try:
            moment = date(int(found_day["y"]), int(found_day["m"]), int(found_day["d"]))
        except ValueError:
            moment = None
    if moment is None:
        raise InvalidSchedule(f"the date {day!r} cannot be read", problem="bad_date", value=day)
    found = _CLOCK.match(clock)
    if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise InvalidSchedule(f"the time {clock!r} cannot be read", problem="bad_time", value=clock)
    return datetime.combine(moment, time(int(found.group(1)), int(found.group(2))))


def _template(source: str) -> Template | None:
    """Return ``source`` read by `Template`, or None when it cannot be read."""
    try:
        return Template.parse(source)
    except InputError:
        return None


def placeholder_for(label: object) -> str | None:
    """Return ``"{label}"`` as a template writes it, or None when no placeholder names the label.

    The placeholder is read back by `Template`: an empty label, one with braces, or one with
    spaces around it (a template drops those from a name) has none.
    """
    name = str(label)
    written = "{" + name + "}"
    template = _template(written)
    return written if template is not None and template.fields == (name,) else None


def literal_text(source: str) -> str:
    """Return the template's own text, without its placeholders ("" when it cannot be read)."""
    template = _template(source)
    return "".join(template.literals) if template is not None else ""


def literal_ucs2_characters(source: str) -> tuple[str, ...]:
    """Return the characters of the template's own text that force UCS-2, in order of appearance."""
    text = literal_text(source)
    if is_gsm(text):
        return ()
    return tuple(dict.fromkeys(c for c in grapheme_clusters(text) if not is_gsm(c)))


def literal_ucs2_replacements(source: str) -> dict[str, str]:
    """Return the GSM-7 stand-ins `replace_ucs2_in_literals` would apply, e.g. ``{"á": "a"}``."""
    return ucs2_replacements(literal_text(source))


def replace_ucs2_in_literals(source: str) -> str:
    """Return ``source``, its own text made GSM-7 where a stand-in exists; placeholders kept.

    A placeholder such as ``{observação}`` names a column and is left as written.
    """
    template = _template(source)
    return source if template is None else template.rewrite_text(replace_ucs2)
