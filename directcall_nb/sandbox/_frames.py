"""The sandbox's records as pandas DataFrames, with Brazil-time timestamps."""

from __future__ import annotations

from typing import Any

import pandas as pd

from directcall_nb.sandbox._wire import BRAZIL

__all__ = [
    "MESSAGE_COLUMNS",
    "REPLY_COLUMNS",
    "REQUEST_COLUMNS",
    "messages_frame",
    "replies_frame",
    "requests_frame",
]

#: Columns of `Sandbox.messages`, in order.
MESSAGE_COLUMNS = (
    "phone",
    "text",
    "channel",
    "callerid",
    "id_mensagem",
    "status",
    "segments",
    "scheduled_for",
    "sent_at",
    "sender",
    "show_sender",
    "short_number",
    "audio",
    "attempts",
    "campos",
    "enviar_de",
    "enviar_ate",
)

#: Columns of `Sandbox.requests`, in order.
REQUEST_COLUMNS = (
    "time",
    "method",
    "endpoint",
    "http_status",
    "codigo",
    "fault",
    "recipients",
    "texto",
)

#: Columns of `Sandbox.replies`, in order.
REPLY_COLUMNS = ("id", "origem", "destino", "texto", "received_at", "arrived")

_TEXT = ("phone", "text", "channel", "callerid", "status", "sender")


def _timestamps(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    moments = pd.to_datetime(numbers, unit="s", utc=True).dt.as_unit("us")
    return moments.dt.tz_convert(BRAZIL.key)


def messages_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Return one row per recipient message.

    Columns: ``phone``, ``text``, ``channel`` (``"sms"`` / ``"voice"``), ``callerid``,
    ``id_mensagem``, ``status`` (``entregue``, ``aguardando``, ``nao_entregue``, ``agendado``,
    ``cancelado``), ``segments`` (billed units per recipient), ``scheduled_for`` and ``sent_at``
    (Brazil-time timestamps or NaT), ``sender``, ``show_sender``, ``short_number``, ``audio``,
    ``attempts`` (``num_tentativas``: calls per number of a voice send, 3 unless asked),
    ``campos`` (a dict of the send's custom fields, ``campos[<key>]=<value>``), ``enviar_de``
    and ``enviar_ate`` (the daily window of a voice send, hours 0 to 23 as the sandbox reads
    them, missing when none was given).
    """
    frame = pd.DataFrame(rows, columns=list(MESSAGE_COLUMNS))
    for column in _TEXT:
        frame[column] = frame[column].astype("str")
    frame["id_mensagem"] = frame["id_mensagem"].astype("int64")
    frame["segments"] = frame["segments"].astype("int64")
    frame["attempts"] = frame["attempts"].astype("int64")
    for column in ("show_sender", "short_number", "audio"):
        frame[column] = frame[column].astype("bool")
    for column in ("scheduled_for", "sent_at"):
        frame[column] = _timestamps(frame[column])
    for column in ("enviar_de", "enviar_ate"):
        frame[column] = frame[column].astype("Int64")
    return frame


def requests_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Return one row per API request.

    Columns: ``time``, ``method``, ``endpoint``, ``http_status`` (nullable: missing when the
    connection was dropped), ``codigo`` and ``fault`` (missing when there is none), and for
    ``/sms/send`` what it asked for, whatever became of it: ``recipients`` (a tuple of the
    numbers in ``destino`` or in the ``destino_csv`` file, empty when the body could not be
    read; missing for other endpoints) and ``texto``.
    """
    frame = pd.DataFrame(rows, columns=list(REQUEST_COLUMNS))
    frame["time"] = _timestamps(frame["time"])
    frame["http_status"] = frame["http_status"].astype("Int64")
    frame["recipients"] = pd.Series(
        [None if r is None else tuple(r) for r in frame["recipients"]],
        index=frame.index,
        dtype=object,
    )
    for column in ("method", "endpoint", "codigo", "fault", "texto"):
        frame[column] = frame[column].astype("str")
    return frame


def replies_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Return one row per inbound SMS queued, oldest first.

    Columns: ``id``, ``origem`` (the phone that replied), ``destino`` (the number it wrote to),
    ``texto``, ``received_at`` (Brazil time) and ``arrived`` (whether the sandbox's clock has
    reached it, so that ``/sms/recebimento`` lists it).
    """
    frame = pd.DataFrame(rows, columns=list(REPLY_COLUMNS))
    frame["id"] = frame["id"].astype("int64")
    for column in ("origem", "destino", "texto"):
        frame[column] = frame[column].astype("str")
    frame["received_at"] = _timestamps(frame["received_at"])
    frame["arrived"] = frame["arrived"].astype("bool")
    return frame
