"""What every display shows the same way: masked phone numbers, reais, counts, small HTML tables.

Also how a message quotes a value it refuses: `quoted` (its repr, cut to `QUOTED_CHARACTERS`).

One masking rule serves every display (the form, previews, simulations, reports, reasons, reprs,
the magics): a number of 8 digits or more, written with or without spaces, dashes or parentheses
between its digits, hides the 4 digits before its last 4 (the subscriber's own digits). A phone
in DirectCall's format is first written in groups (``55 11 91234-5678``), so it shows as
``55 11 9****-5678``; as typed, ``(11) 91234-5678`` shows as ``(11) 9****-5678``.
``directcall_nb.options.mask_phones = False`` turns masking off. DataFrames are data, not
displays: their phone columns are never masked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext

from directcall_nb.settings import masking_phones

__all__ = [
    "EMPTY_VALUE",
    "QUOTED_CHARACTERS",
    "clipped",
    "format_brl",
    "format_count",
    "html_table",
    "mask_numbers",
    "mask_phone",
    "pretty_phone",
    "quoted",
]

#: What a display shows for an empty or missing value.
EMPTY_VALUE = {"pt": "(vazio)", "en": "(empty)"}

#: A message quotes at most this many characters of a value.
QUOTED_CHARACTERS = 40

#: A number of 8 digits or more, its digits possibly separated by a space, a dash or parentheses.
_LONG_NUMBER = re.compile(r"\+?\(?\d(?:[ \-()]{0,2}\d){7,}")
_KEPT, _HIDDEN = 4, 4


def clipped(text: str) -> str:
    """Return `text`, cut to `QUOTED_CHARACTERS` with ``...`` at the end when it is longer."""
    if len(text) <= QUOTED_CHARACTERS:
        return text
    return text[: QUOTED_CHARACTERS - 3] + "..."


def quoted(value: object) -> str:
    """Return `value` as a message quotes it: its repr, cut by `clipped`.

    A whole number too long for ``repr`` (Python refuses thousands of digits) shows its first
    digits instead.
    """
    if isinstance(value, int) and value.bit_length() > 64:
        sign, digits, _ = Decimal(value).as_tuple()
        return clipped(("-" if sign else "") + "".join(map(str, digits[: QUOTED_CHARACTERS + 1])))
    return clipped(repr(value))


def format_count(n: int) -> str:
    """Write an integer with Brazilian thousands separators: ``1234567`` → ``"1.234.567"``."""
    return f"{n:,}".replace(",", ".")


def format_brl(amount: Decimal | None) -> str:
    """Write an amount of money in reais: ``Decimal("1234.5")`` → ``"R$ 1.234,50"``.

    Parameters
    ----------
    amount : Decimal or None
        The amount; ``None`` (no price known) is written as ``"—"``. An amount of any size is
        written whole.
    """
    if amount is None:
        return "—"
    if not amount.is_finite():
        return str(amount)
    with localcontext() as context:  # room for every digit of a large amount, and the cents
        context.prec = max(context.prec, amount.adjusted() + 3)
        cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    whole, _, frac = f"{abs(cents):.2f}".partition(".")
    return f"{sign}R$ {format_count(int(whole))},{frac}"


def _hide(found: re.Match[str]) -> str:
    text = found.group(0)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    hidden = set(digits[len(digits) - _KEPT - _HIDDEN : len(digits) - _KEPT])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def mask_numbers(text: str, *, force: bool = False) -> str:
    """``text`` with every long number masked (the one rule above).

    Parameters
    ----------
    text : str
        A reason, a value as typed, a line of a report.
    force : bool, default False
        Mask even when ``directcall_nb.options.mask_phones`` is False.

    Examples
    --------
    >>> mask_numbers("did you mean 5571981829474?")
    'did you mean 55719****9474?'
    >>> mask_numbers("(11) 91234-5678")
    '(11) 9****-5678'
    """
    if not (force or masking_phones()):
        return text
    return _LONG_NUMBER.sub(_hide, text)


def pretty_phone(phone: str) -> str:
    """Return a phone in DirectCall's format in groups: ``5511912345678`` → ``55 11 91234-5678``.

    Numbers of other countries (``00`` + country code + number) are left as they are.
    """
    if phone.startswith("55") and len(phone) in (12, 13) and phone.isascii() and phone.isdigit():
        ddd, local = phone[2:4], phone[4:]
        return f"55 {ddd} {local[:-4]}-{local[-4:]}"
    return phone


def mask_phone(phone: object) -> str:
    """Return a phone as displays show it: in groups, masked (``55 11 9****-5678``).

    A missing value (None, NaN, ``<NA>``, ``""``) is shown as ``""``.

    Parameters
    ----------
    phone : object
        A number in DirectCall's format, or a value as typed (a str, an int, a float).
    """
    if phone is None or (isinstance(phone, float) and phone != phone):
        return ""
    text = str(phone)
    if text in ("", "<NA>", "nan", "None"):
        return ""
    return mask_numbers(pretty_phone(text))


def html_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render a small HTML table, escaping every cell.

    The cells are padded so that columns never run together.
    """
    cell = "padding:.15em 1.2em .15em 0;text-align:left;vertical-align:top"
    head = "".join(f"<th style='{cell}'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td style='{cell}'>{html.escape(str(value))}</td>" for value in row)
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
