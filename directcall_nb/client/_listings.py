"""The two listings, read page by page: inbound replies and the usage statement.

`read_received` asks ``/sms/recebimento`` for the SMS replies of a period and puts its pages
together in a DataFrame; `search_statement` asks ``/extrato/list`` for the usage statement,
filtered by a custom field, until `StatementReader` concludes. Both check their arguments before
the first call and make each call through the client (`Call`), which holds the token.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from directcall_nb.client._dates import compact_date_field, date_field
from directcall_nb.client._envelope import Answer, list_items
from directcall_nb.client._fields import FilePart, custom_fields, sender_field
from directcall_nb.client._statement import StatementReader, StatementSearch
from directcall_nb.errors import InputError
from directcall_nb.vocabulary import is_digits

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Call", "read_received", "search_statement"]

#: The columns a frame of replies always has, even when no reply came.
_REPLY_COLUMNS = ("origem", "destino", "texto")


class Call(Protocol):
    """Make one checked API call with the access token (`DirectCall`'s)."""

    def __call__(
        self,
        method: Literal["GET", "POST"],
        path: str,
        fields: dict[str, str],
        files: Mapping[str, FilePart] | None = ...,
        *,
        format_field: str | None = ...,
    ) -> Answer: ...


def read_received(
    call: Call,
    start: datetime | date | str,
    end: datetime | date | str,
    *,
    page: int,
    per_page: int,
) -> pd.DataFrame:
    """Return the SMS replies received between two moments (``POST /sms/recebimento``).

    The pages are read and put together as `DirectCall.received` describes.
    """
    import pandas as pd

    for name, number in (("page", page), ("per_page", per_page)):
        _check_count(name, number)
    fields = {
        "data_inicio": date_field(start, end_of_day=False),
        "data_fim": date_field(end, end_of_day=True),
    }
    _check_period(fields["data_inicio"], fields["data_fim"])
    rows: list[dict[str, Any]] = []
    previous: list[Any] | None = None
    number = page
    while True:
        fields.update(pagina=str(number), itens_por_pagina=str(per_page))
        answer = call("POST", "/sms/recebimento", fields)
        items = [item for item in list_items(answer.get("msg")) if isinstance(item, dict)]
        if items == previous:  # the server ignores ``pagina``: nothing new
            break
        rows.extend(items)
        pages = answer.get("paginas")
        last = is_digits(str(pages)) and number >= int(str(pages))
        if last or len(items) < per_page:
            break
        previous, number = items, number + 1
    frame = pd.DataFrame(rows)
    for column in _REPLY_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.Series(dtype="string")
    return frame


def search_statement(
    call: Call,
    fields: Mapping[str, str],
    *,
    start: datetime | str,
    end: datetime | str,
    sender: str | int | None,
    max_pages: int,
    response_format: str,
) -> StatementSearch:
    """Look for a send by its custom field in the usage statement (``POST /extrato/list``).

    The statement is asked for in ``response_format``, page after page, until
    `StatementReader` concludes; `DirectCall.search_statement` describes the search.
    """
    written = custom_fields(fields)
    if len(written) != 1:
        raise InputError("search_statement looks for one custom field at a time")
    (value,) = written.values()
    if not value.strip():
        raise InputError("the custom field looked for must have a value")
    _check_count("max_pages", max_pages)
    form = {
        "dataInicial": compact_date_field(start),
        "dataFinal": compact_date_field(end),
        # Its default is not documented (and the field is not ``format`` here): always said.
        "formato": response_format,
        **written,
    }
    _check_period(form["dataInicial"], form["dataFinal"])
    if sender is not None:
        form["numeroOrigem"] = sender_field(sender)
    period = f"{form['dataInicial']} to {form['dataFinal']} (Brasília time)"
    reader = StatementReader(value.strip(), period=period, max_pages=max_pages)
    while True:
        form["pagina"] = str(reader.page)
        found = reader.feed(call("POST", "/extrato/list", form, format_field=None))
        if found is not None:
            return found


def _check_count(name: str, number: object) -> None:
    """Raise `InputError` unless ``number`` is a whole number of at least 1."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InputError(f"{name} must be a whole number of at least 1, not {number!r}")


def _check_period(start: str, end: str) -> None:
    """Raise `InputError` when a period, as its two fields write it, starts after it ends."""
    if start > end:
        raise InputError(f"the period starts ({start}) after it ends ({end})")
