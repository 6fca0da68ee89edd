"""Numbers, money and small HTML pieces written the way a Brazilian reader expects."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

__all__ = ["Language", "format_brl", "format_count", "html_table", "mask_phone"]

#: The languages summaries can be written in: English, or Portuguese (Brazil).
Language = Literal["en", "pt"]


def format_count(n: int) -> str:
    """Write an integer with Brazilian thousands separators: ``1234567`` → ``"1.234.567"``."""
    return f"{n:,}".replace(",", ".")


def format_brl(amount: Decimal | None) -> str:
    """Write an amount of money in reais: ``Decimal("1234.5")`` → ``"R$ 1.234,50"``.

    Parameters
    ----------
    amount : Decimal or None
        The amount; ``None`` (no price known) is written as ``"—"``.
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


def mask_phone(phone: str | None) -> str:
    """Hide the middle of a phone number for previews: ``5511912345678`` → ``55 11 9****-5678``.

    Parameters
    ----------
    phone : str or None
        A number in DirectCall's format (``55`` + DDD + number, or ``00`` + country code + number).
    """
    if not phone:
        return ""
    if phone.startswith("55") and len(phone) in (12, 13):
        ddd, local = phone[2:4], phone[4:]
        return f"55 {ddd} {local[0]}{'*' * (len(local) - 5)}-{local[-4:]}"
    keep = min(4, max(len(phone) - 4, 0))
    return phone[:keep] + "*" * max(len(phone) - keep - 4, 0) + phone[-4:]


def html_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Render a small HTML table, escaping every cell."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
