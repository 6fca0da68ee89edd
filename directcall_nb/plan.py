"""The requests a send will make, built from an estimate: pure, so a dry run shows exactly them.

Rows whose final text is the same share one request. Up to 10 recipients go in the ``destino``
field; more go in a ``destino_csv`` file, cut into files of at most ``chunk_size`` numbers so
that one failed request never holds a whole campaign.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.errors import CostLimitExceeded, InputError, InvalidSender
from directcall_nb.estimate import Estimate, _as_price
from directcall_nb.formatting import Language, format_brl, format_count, html_table

__all__ = ["DESTINO_LIMIT", "Plan", "PlannedRequest", "build_plan"]


#: DirectCall's documented limit of numbers in the ``destino`` field.
DESTINO_LIMIT = 10
#: Default largest number of recipients in one ``destino_csv`` file.
CHUNK_SIZE = 5_000
_SHOWN_REQUESTS = 10


@dataclass(frozen=True)
class PlannedRequest:
    """One ``/sms/send`` call of a plan.

    Attributes
    ----------
    number : int
        Its place in the plan, from 0.
    text : str
        The final text every recipient of this request receives.
    phones : tuple of str
        The recipients, in DirectCall's format.
    positions : ndarray of int
        The positions (``iloc``) in the input frame of the rows these recipients come from.
    segments_each : int
        Billable segments per recipient.
    """

    number: int
    text: str
    phones: tuple[str, ...]
    positions: npt.NDArray[np.intp]
    segments_each: int

    @property
    def field(self) -> str:
        """``"destino"`` for up to 10 recipients, else ``"destino_csv"``."""
        return "destino" if len(self.phones) <= DESTINO_LIMIT else "destino_csv"

    @property
    def segments(self) -> int:
        """Billable segments of the whole request."""
        return self.segments_each * len(self.phones)


@dataclass(frozen=True)
class Plan:
    """Every request a send will make, and what they cost.

    Attributes
    ----------
    estimate : Estimate
        The estimate the plan was built from (per-row detail, options, price).
    requests : tuple of PlannedRequest
        The requests, in the order they will be made.
    schedule : datetime or None
        When DirectCall should deliver (``cron``); None sends now.
    short_number : bool or None
        Send through a short number (``short_number=s``); None leaves DirectCall's default.
    """

    estimate: Estimate
    requests: tuple[PlannedRequest, ...]
    schedule: datetime | None = None
    short_number: bool | None = None

    @property
    def segments(self) -> int:
        """Billable segments in all."""
        return sum(r.segments for r in self.requests)

    @property
    def cost(self) -> Decimal | None:
        """The cost in reais, or None when no price is known."""
        price = self.estimate.options.price_per_segment
        return None if price is None else price * self.segments

    @property
    def recipients(self) -> int:
        """Messages the plan sends."""
        return sum(len(r.phones) for r in self.requests)

    def __iter__(self) -> Iterator[PlannedRequest]:
        return iter(self.requests)

    def __len__(self) -> int:
        return len(self.requests)

    def to_frame(self) -> pd.DataFrame:
        """One row per request: the field used, recipients, segments, cost and text."""
        price = self.estimate.options.price_per_segment
        return pd.DataFrame(
            {
                "field": [r.field for r in self.requests],
                "recipients": [len(r.phones) for r in self.requests],
                "segments": [r.segments for r in self.requests],
                "cost": [None if price is None else price * r.segments for r in self.requests],
                "text": [r.text for r in self.requests],
            },
            index=pd.RangeIndex(len(self.requests), name="request"),
        )

    def __repr__(self) -> str:
        return (
            f"<Plan: {format_count(len(self.requests))} requests, "
            f"{format_count(self.recipients)} recipients, {format_count(self.segments)} segments, "
            f"cost {format_brl(self.cost)}>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language = "en") -> str:
        """The requests as an HTML table (the first 10), under a one-line summary.

        Parameters
        ----------
        language : {"en", "pt"}, default "en"
            English, or Portuguese (Brazil).
        """
        w = _WORDS[language]
        rows = [
            (r.number, r.field, format_count(len(r.phones)), format_count(r.segments), r.text)
            for r in self.requests[:_SHOWN_REQUESTS]
        ]
        table = html_table(w["header"].split("|"), rows)
        more = len(self.requests) - len(rows)
        tail = f"<div>{w['more'].format(n=format_count(more))}</div>" if more > 0 else ""
        title = w["title"].format(
            requests=format_count(len(self.requests)),
            recipients=format_count(self.recipients),
            segments=format_count(self.segments),
            cost=format_brl(self.cost),
        )
        return f"<div><b>{html.escape(title)}</b>{table}{tail}</div>"


#: The words of the plan's table, by language.
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Plan: {requests} requests, {recipients} recipients, {segments} segments, "
        "cost {cost}",
        "header": "request|field|recipients|segments|text",
        "more": "… and {n} more requests",
    },
    "pt": {
        "title": "Plano: {requests} requisições, {recipients} destinatários, {segments} "
        "segmentos, custo {cost}",
        "header": "requisição|campo|destinatários|segmentos|texto",
        "more": "… e mais {n} requisições",
    },
}


def build_plan(
    estimate: Estimate,
    *,
    schedule: datetime | None = None,
    short_number: bool | None = None,
    max_cost: Decimal | float | str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Plan:
    """Build the requests that sending ``estimate`` makes.

    Parameters
    ----------
    estimate : Estimate
        What to send and to whom.
    schedule : datetime, optional
        Delivery time; naive means Brazil time (America/Sao_Paulo).
    short_number : bool, optional
        Send through a short number.
    max_cost : Decimal, float or str, optional
        Refuse the plan if it costs more than this many reais.
    chunk_size : int, default 5000
        Largest number of recipients in one ``destino_csv`` file.

    Raises
    ------
    InvalidSender
        No sender number was given.
    CostLimitExceeded
        The plan costs more than ``max_cost``, or ``max_cost`` is set without a price.
    """
    if not estimate.options.sender:
        raise InvalidSender("a send needs the sender number: pass sender='55…' (DDI DDD NUMERO)")
    if chunk_size < 1:
        raise InputError(f"chunk_size must be at least 1, not {chunk_size}")
    positions = np.flatnonzero(estimate.sendable)
    texts = estimate.render(positions)
    phones = estimate.phones_at(positions)
    segments = estimate.segments_at(positions)
    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    requests: list[PlannedRequest] = []
    for group in np.split(order, bounds) if len(order) else []:
        text = str(uniques[codes[group[0]]])
        for start in range(0, len(group), chunk_size):
            part = group[start : start + chunk_size]
            requests.append(
                PlannedRequest(
                    number=len(requests),
                    text=text,
                    phones=tuple(phones[part].tolist()),
                    positions=positions[part],
                    segments_each=int(segments[part[0]]),
                )
            )
    plan = Plan(estimate, tuple(requests), schedule=schedule, short_number=short_number)
    _check_cost(plan, max_cost)
    return plan


def _check_cost(plan: Plan, max_cost: Decimal | float | str | None) -> None:
    if max_cost is None:
        return
    limit = _as_price(max_cost)
    if plan.cost is None:
        raise CostLimitExceeded(
            "max_cost is set but the price is not known: pass price_per_segment= as well"
        )
    if plan.cost > limit:
        raise CostLimitExceeded(
            f"this campaign costs {format_brl(plan.cost)} ({format_count(plan.segments)} segments "
            f"to {format_count(plan.recipients)} recipients), more than max_cost "
            f"{format_brl(limit)}; nothing was sent"
        )
