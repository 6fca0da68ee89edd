"""The requests a send will make, built from an estimate: pure, so a dry run shows exactly them.

Rows whose final text is the same share one request. Up to 10 recipients go in the ``destino``
field; more go in a ``destino_csv`` file, cut into files of at most ``chunk_size`` numbers so
that one failed request never holds a whole campaign. Every option (schedule, short number,
spending limit, file size) comes from the estimate's `Options`, checked when they were built.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.display import format_brl, format_count, html_table
from directcall_nb.errors import CostLimitExceeded, InvalidSender
from directcall_nb.estimation import Estimate, segment_cost
from directcall_nb.options import Options
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import INLINE_RECIPIENTS, Language

__all__ = [
    "EarlierCopies",
    "Plan",
    "PlannedRequest",
    "build_plan",
    "check_cost",
    "require_sender",
]

_SHOWN_REQUESTS = 10


class EarlierCopies(Protocol):
    """Counts the copies of each message sent before a plan (with ``dedupe=False``)."""

    def __call__(
        self, phones: npt.NDArray[np.object_], texts: npt.NDArray[np.object_]
    ) -> npt.NDArray[np.int64]:
        """Return, per recipient, how many rows before the plan's have its phone and text."""


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
    keys : tuple of str
        Each recipient's name in the journal: the phone, or ``phone#2``, ``phone#3``, ... for
        the second and later rows of the campaign with the same phone and text (only with
        ``dedupe=False``), so that every row is its own message whatever the chunking.
    """

    number: int
    text: str
    phones: tuple[str, ...]
    positions: npt.NDArray[np.intp]
    segments_each: int
    keys: tuple[str, ...]

    @property
    def field(self) -> str:
        """``"destino"`` for up to 10 recipients, else ``"destino_csv"``."""
        return "destino" if len(self.phones) <= INLINE_RECIPIENTS else "destino_csv"

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
    """

    estimate: Estimate
    requests: tuple[PlannedRequest, ...]

    @property
    def options(self) -> Options:
        """The options the plan was made with (the estimate's)."""
        return self.estimate.options

    @property
    def schedule(self) -> datetime | None:
        """When DirectCall should deliver (``cron``); None sends now."""
        return self.estimate.options.schedule

    @property
    def segments(self) -> int:
        """Billable segments in all."""
        return sum(r.segments for r in self.requests)

    @property
    def cost(self) -> Decimal | None:
        """The cost in reais, or None when no price is known."""
        return segment_cost(self.estimate.options.price_per_segment, self.segments)

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
                "cost": [segment_cost(price, r.segments) for r in self.requests],
                "text": [r.text for r in self.requests],
            },
            index=pd.RangeIndex(len(self.requests), name="request"),
        )

    def _title(self, language: Language) -> str:
        from directcall_nb.i18n import say, say_count

        return say(
            "plan_title",
            language,
            requests=say_count("request_count", len(self.requests), language),
            recipients=say_count("recipient_count", self.recipients, language),
            segments=say_count("segment_count", self.segments, language),
            cost=format_brl(self.cost),
        )

    def __repr__(self) -> str:
        return f"<{self._title(current_language())}>"

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language | None = None) -> str:
        """Write the requests as an HTML table (the first 10), under a one-line summary.

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        from directcall_nb.i18n import say, say_count

        language = language or current_language()
        header = [
            say(key, language)
            for key in ("col_request", "col_field", "recipients", "segments_word", "col_text")
        ]
        rows = [
            (r.number, r.field, format_count(len(r.phones)), format_count(r.segments), r.text)
            for r in self.requests[:_SHOWN_REQUESTS]
        ]
        table = html_table(header, rows)
        more = len(self.requests) - len(rows)
        tail = (
            f"<div>{html.escape(say_count('more_requests', more, language))}</div>"
            if more > 0
            else ""
        )
        return f"<div><b>{html.escape(self._title(language))}</b>{table}{tail}</div>"


def build_plan(estimate: Estimate, earlier: EarlierCopies | None = None) -> Plan:
    """Build the requests that sending ``estimate`` makes.

    Parameters
    ----------
    estimate : Estimate
        What to send and to whom; its options give the file size (``chunk_size``) and the
        spending limit (``max_cost``).
    earlier : EarlierCopies, optional
        With ``dedupe=False``: how many copies of each message rows outside the estimate sent
        before it (earlier partitions of a Dask frame), so that its own are numbered after them.

    Raises
    ------
    InvalidSender
        No sender number was given.
    CostLimitExceeded
        The plan costs more than ``max_cost``.
    """
    options = estimate.options
    require_sender(options)
    positions = np.flatnonzero(estimate.sendable)
    texts = estimate.render(positions)
    phones = estimate.phones_at(positions)
    segments = estimate.segments_at(positions)
    codes, uniques = pd.factorize(pd.Series(texts, dtype=object), sort=False)
    keys = phones
    if not options.dedupe:
        before = None if earlier is None else earlier(phones, texts)
        keys = _numbered(phones, codes, before)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    requests: list[PlannedRequest] = []
    for group in np.split(order, bounds) if len(order) else []:
        text = str(uniques[codes[group[0]]])
        for start in range(0, len(group), options.chunk_size):
            part = group[start : start + options.chunk_size]
            requests.append(
                PlannedRequest(
                    number=len(requests),
                    text=text,
                    phones=tuple(phones[part].tolist()),
                    positions=positions[part],
                    segments_each=int(segments[part[0]]),
                    keys=tuple(keys[part].tolist()),
                )
            )
    plan = Plan(estimate, tuple(requests))
    check_cost(plan.cost, options.max_cost, segments=plan.segments, recipients=plan.recipients)
    return plan


def require_sender(options: Options) -> None:
    """Raise `InvalidSender` when ``options`` name no sender: a send needs one."""
    if options.sender is None:
        raise InvalidSender(
            "a send needs the sender number: pass sender='55…' (DDI DDD NUMERO)", problem="missing"
        )


def _numbered(
    phones: npt.NDArray[np.object_],
    codes: npt.NDArray[np.intp],
    before: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[Any]:
    """``phone``, then ``phone#2``, ``phone#3``... for repeats of a phone with the same text.

    ``before`` counts, per row, the copies of its message sent before this plan's first.
    """
    repeat = pd.DataFrame({"text": codes, "phone": phones}).groupby(["text", "phone"]).cumcount()
    occurrence = repeat.to_numpy() + (0 if before is None else before)
    keys = phones.copy()
    again = np.flatnonzero(occurrence > 0)
    keys[again] = [f"{phones[i]}#{occurrence[i] + 1}" for i in again]
    return keys


def check_cost(
    cost: Decimal | None, limit: Decimal | None, *, segments: int, recipients: int
) -> None:
    """Raise `CostLimitExceeded` when a campaign of ``cost`` goes over ``max_cost`` (``limit``)."""
    if limit is None or cost is None:
        return
    if cost > limit:
        raise CostLimitExceeded(
            f"this campaign costs {format_brl(cost)} ({format_count(segments)} segments "
            f"to {format_count(recipients)} recipients), more than max_cost "
            f"{format_brl(limit)}; nothing was sent",
            cost=cost,
            limit=limit,
            segments=segments,
            recipients=recipients,
        )
