"""The listing endpoints: inbound SMS (``/sms/recebimento``) and the statement (``/extrato/list``).

Both take a period and answer one page of a list, oldest first, in ``msg``, with ``pagina``,
``paginas`` and ``total`` beside it (and ``itens_por_pagina``).

``/sms/recebimento`` **[doc]**: ``data_inicio`` / ``data_fim`` (``Y-m-d H:i:s``, Brazil time),
``pagina``, ``itens_por_pagina``; each item has ``id``, ``origem``, ``destino``, ``texto`` and
``data`` (``Y-m-d H:i:s``, Brazil time) **[assumed beyond origem, destino and texto]**. Replies
are listed once the sandbox's clock has reached the time they arrive.

``/extrato/list``: the fields are documented **[doc]** (``dataInicial`` / ``dataFinal`` as
``YmdHis``, Brazil time; optional ``numeroOrigem``, ``numeroDestino``, ``callerid``, ``pagina``,
``tipoFiltro``, ``campos[<key>]=<value>``; ``formato`` JSON or XML). Everything about the answer
is **[assumed]**: the envelope (``api`` ``"extrato"``, ``modulo`` ``"list"``), one entry per
recipient message delivered in the period, ordered by delivery, each::

    {"callerid": "…", "id_mensagem": 17…, "origem": "5541…", "destino": "5541…",
     "tipo": "texto" | "voz", "short_number": "s" | "n", "data": "2026-03-02 09:00:00",
     "status": "entregue", "unidades": 2, "campos": {"lote": "março"}}

``unidades`` are the units billed (SMS parts, or one call); ``tipoFiltro`` is read as ``texto``
or ``voz``, like ``tipo`` in ``/sms/send``; pages hold 100 entries (``itens_por_pagina`` is not
documented here and is not read). A delivered message appears only after the statement delay
(see :meth:`~directcall_nb.sandbox.Sandbox.set_statement_delay`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from directcall_nb.sandbox import _rules as rules
from directcall_nb.sandbox._endpoints import DirectCallAPI
from directcall_nb.sandbox._forms import Upload
from directcall_nb.sandbox._statement import StatementQuery
from directcall_nb.sandbox._wire import (
    WireError,
    envelope,
    format_brazil,
    parse_compact_date,
    parse_listing_date,
    shown,
)

__all__ = ["inbound", "statement"]

_DEFAULT_PAGE_SIZE = 100
#: The largest ``pagina`` and ``itens_por_pagina`` read **[assumed]**: DirectCall documents
#: no limit, and larger numbers cannot be an offset in the store.
_MAX_PAGE = 1_000_000_000
_MAX_PAGE_SIZE = 10_000
_NUMBER = re.compile(r"[0-9]{1,30}")
_CHANNELS = {"texto": "sms", "voz": "voice"}


def _page(
    api: str, modulo: str, items: list[dict[str, Any]], total: int, page: int, per_page: int
) -> dict[str, Any]:
    return envelope(
        api,
        modulo,
        "000",
        items,
        pagina=page,
        itens_por_pagina=per_page,
        total=total,
        paginas=math.ceil(total / per_page),
    )


def inbound(
    api: DirectCallAPI, fields: Mapping[str, str], files: Mapping[str, Upload], now: float
) -> dict[str, Any]:
    """Answer one page of the SMS received between ``data_inicio`` and ``data_fim``."""
    start = parse_listing_date("data_inicio", rules.required(fields, "data_inicio"))
    end = parse_listing_date("data_fim", rules.required(fields, "data_fim"))
    if start > end:
        raise WireError("001", "O campo data_inicio deve ser anterior a data_fim")
    page = rules.whole_number(fields, "pagina", 1, _MAX_PAGE)
    per_page = rules.whole_number(fields, "itens_por_pagina", _DEFAULT_PAGE_SIZE, _MAX_PAGE_SIZE)
    # data_fim names a whole second: everything received during it is included.
    until = min(end.timestamp() + 1.0, math.nextafter(now, math.inf))
    total, rows = api.state.inbox.page(start.timestamp(), until, page=page, per_page=per_page)
    items = [
        {"id": id_, "origem": origem, "destino": destino, "texto": texto, "data": format_brazil(at)}
        for id_, origem, destino, texto, at in rows
    ]
    return _page("sms", "recebimento", items, total, page, per_page)


def _number(fields: Mapping[str, str], name: str) -> str | None:
    value = fields.get(name, "").strip()
    if not value:
        return None
    if not _NUMBER.fullmatch(value):
        raise WireError("001", f"O campo {name} deve conter só dígitos, não '{shown(value)}'")
    return value


def statement(
    api: DirectCallAPI, fields: Mapping[str, str], files: Mapping[str, Upload], now: float
) -> dict[str, Any]:
    """Answer one page of the usage statement: the messages delivered between two dates."""
    start = parse_compact_date("dataInicial", rules.required(fields, "dataInicial"))
    end = parse_compact_date("dataFinal", rules.required(fields, "dataFinal"))
    if start > end:
        raise WireError("001", "O campo dataInicial deve ser anterior a dataFinal")
    kind = fields.get("tipoFiltro", "").strip().lower()
    if kind and kind not in _CHANNELS:
        raise WireError("001", f"O campo tipoFiltro deve ser 'texto' ou 'voz', não '{shown(kind)}'")
    page = rules.whole_number(fields, "pagina", 1, _MAX_PAGE)
    query = StatementQuery(
        start=start.timestamp(),
        end=end.timestamp() + 1.0,  # dataFinal names a whole second
        listed_until=now - api.statement_delay,
        page=page,
        per_page=api.statement_page_size,
        sender=_number(fields, "numeroOrigem"),
        phone=_number(fields, "numeroDestino"),
        callerid=_number(fields, "callerid"),
        channel=_CHANNELS.get(kind),
        custom_fields=rules.custom_fields(fields),
    )
    total, rows = api.state.statement(query)
    entries = [
        {
            "callerid": row["callerid"],
            "id_mensagem": row["id_mensagem"],
            "origem": row["sender"],
            "destino": row["phone"],
            "tipo": "voz" if row["channel"] == "voice" else "texto",
            "short_number": "s" if row["short_number"] else "n",
            "data": format_brazil(row["sent_at"]),
            "status": row["status"],
            "unidades": row["segments"],
            "campos": row["campos"],
        }
        for row in rows
    ]
    return _page("extrato", "list", entries, total, page, api.statement_page_size)
