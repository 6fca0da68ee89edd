"""What a message to a whole frame would cost, computed from per-column facts.

`Estimator` holds what does not change while an analyst edits a message (the normalised phones,
the facts of each column a template uses), so that estimating a new text over a million rows is
a handful of array sums. `Estimate` is the answer: counts, segments, cost, and per-row detail.
"""

from __future__ import annotations

import html
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.columns import require_column
from directcall_nb.errors import InputError, InvalidSender, MessageTooLong
from directcall_nb.formatting import format_brl, format_count, html_table
from directcall_nb.text import (
    ColumnFacts,
    Template,
    TextMeasure,
    column_facts,
    measure,
    render,
)

__all__ = ["Estimate", "Estimator", "Options", "estimate"]

Channel = Literal["sms", "voice"]
Policy = Literal["directcall", "gsm"]

#: Line types that can receive an SMS.
SMS_LINE_TYPES = ("mobile", "fixed_line_or_mobile")
#: Row states in `Estimate.rows["status"]`.
OK, INVALID, DUPLICATE = "ok", "invalid", "duplicate"
_STATUS_NAMES = np.array([OK, INVALID, DUPLICATE], dtype=object)
_MAX_TEXT = 700
_SHOWN_INVALID = 10

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Options:
    """The choices, besides the text, that change what a message costs.

    Attributes
    ----------
    channel : {"sms", "voice"}
        SMS, or a voice call that reads the text aloud ("torpedo de voz").
    sender : str or None
        The sender number (``origem``), in DirectCall's format.
    show_sender : bool
        Whether the sender number is shown at the start of the SMS (``id_origem=s``); it then
        counts towards the 140 characters.
    policy : {"directcall", "gsm"}
        The billing rule: DirectCall's 140 characters per SMS, or the carriers' GSM 03.38 parts.
    price_per_segment : Decimal or None
        The price of one billable segment (one SMS part, or one voice call), in reais.
    dedupe : bool
        Send once to rows with the same phone and the same final text.
    fill : str or None
        Text used where a column the template names is empty; without it such rows are invalid.
    """

    channel: Channel = "sms"
    sender: str | None = None
    show_sender: bool = False
    policy: Policy = "directcall"
    price_per_segment: Decimal | None = None
    dedupe: bool = True
    fill: str | None = None

    def __post_init__(self) -> None:
        if self.channel not in ("sms", "voice"):
            raise InputError(f"channel must be 'sms' or 'voice', not {self.channel!r}")
        if self.policy not in ("directcall", "gsm"):
            raise InputError(f"policy must be 'directcall' or 'gsm', not {self.policy!r}")
        if self.price_per_segment is not None:
            object.__setattr__(self, "price_per_segment", _as_price(self.price_per_segment))
        if self.show_sender and not self.sender:
            raise InvalidSender("show_sender=True needs the sender number: pass sender='55…'")


def _as_price(value: object) -> Decimal:
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        raise InputError(
            f"price_per_segment must be a number of reais, e.g. '0.08', not {value!r}"
        ) from None
    if not price.is_finite() or price < 0:
        raise InputError(f"price_per_segment must be zero or more, not {value!r}")
    return price


class Estimator:
    """Estimates for one frame and one phone column, reusable across message texts.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    phone : object
        The label of the column that holds the phone numbers.
    allow_international : bool, default False
        Accept valid numbers of other countries.

    Notes
    -----
    The phones are normalised once, and each column a template uses is measured once (its
    length, encoding and distinct values); after that, `estimate` on a new text costs only
    array arithmetic. An `Estimator` reflects the frame as it was when each fact was first
    computed: make a new one after changing the frame.
    """

    def __init__(self, frame: pd.DataFrame, *, phone: object, allow_international: bool = False):
        self.frame = frame
        self.phone_column = phone
        self.allow_international = allow_international
        self._phone_input = require_column(frame, phone, what="phone column")
        self._facts: dict[Hashable, ColumnFacts] = {}

    @cached_property
    def phones(self) -> pd.DataFrame:
        """The normalised phones (see `directcall_nb.normalize_phones`)."""
        from directcall_nb.phones import normalize_phones

        return normalize_phones(self._phone_input, allow_international=self.allow_international)

    @cached_property
    def _phone_values(self) -> npt.NDArray[np.object_]:
        phones = self.phones["phone"].astype(object)
        return np.asarray(phones.where(phones.notna(), None), dtype=object)

    @cached_property
    def _phone_valid(self) -> BoolArray:
        return self.phones["valid"].to_numpy(dtype=bool)

    @cached_property
    def _sms_capable(self) -> BoolArray:
        return self.phones["line_type"].isin(SMS_LINE_TYPES).to_numpy(dtype=bool)

    @cached_property
    def _shared_phone(self) -> BoolArray:
        """Rows whose valid phone appears more than once: the only possible duplicates."""
        phones = self.phones["phone"].where(self._phone_valid)
        return (phones.notna() & phones.duplicated(keep=False)).to_numpy(dtype=bool)

    def facts(self, column: Hashable) -> ColumnFacts:
        """The measured facts of one column, computed on first use."""
        if column not in self._facts:
            self._facts[column] = column_facts(require_column(self.frame, column))
        return self._facts[column]

    def estimate(self, text: str, options: Options | None = None) -> Estimate:
        """Estimate a message for every row.

        Parameters
        ----------
        text : str
            The message template, e.g. ``"Olá {nome}, sua fatura vence amanhã"``.
        options : Options, optional
            Channel, sender, billing policy, price, dedupe and fill.

        Raises
        ------
        TemplateError, UnknownPlaceholder
            The template cannot be read, or names a column the frame lacks.
        MessageTooLong
            The template's own text, without any column value, is over 700 characters.
        """
        options = options or Options()
        template = Template.parse(text)
        template.check_columns(self.frame.columns)
        if options.sender is not None:
            _check_sender(options.sender)
        literal_chars = sum(len(piece) for piece in template.literals)
        if literal_chars > _MAX_TEXT:
            raise MessageTooLong(
                f"the message has {literal_chars} characters before any column is filled in; "
                f"DirectCall accepts at most {_MAX_TEXT}"
            )
        labels = template.resolve(self.frame.columns)
        facts = {name: self.facts(label) for name, label in labels.items()}
        measured = measure(
            template,
            facts,
            len(self.frame),
            policy=options.policy,
            channel=options.channel,
            sender=options.sender,
            show_sender=options.show_sender,
            fill=options.fill,
        )
        return Estimate(self, template, options, measured, facts)


def _check_sender(sender: str) -> None:
    from directcall_nb.phones import normalize_phone

    result = normalize_phone(sender, allow_international=True)
    if not result.valid or result.phone != str(sender):
        hint = f"; did you mean {result.phone}?" if result.valid else f": {result.reason}"
        raise InvalidSender(
            f"sender {sender!r} is not a number in DirectCall's format (55 + DDD + number){hint}"
        )


class Estimate:
    """What sending one message to every row of a frame would do and cost.

    Attributes
    ----------
    recipients : int
        Rows that will receive the message: valid, eligible for the channel, de-duplicated.
    invalid : int
        Rows that will not: an invalid phone, a landline for SMS, an empty column, a text too long.
    duplicates : int
        Rows skipped because an earlier row has the same phone and the same final text.
    segments : int
        Billable segments in all: SMS parts, or voice calls.
    cost : Decimal or None
        ``segments`` times the price per segment, or None when no price was given.
    options : Options
        The choices the estimate was made with.
    text : str
        The message template.
    """

    def __init__(
        self,
        estimator: Estimator,
        template: Template,
        options: Options,
        measured: TextMeasure,
        facts: dict[str, ColumnFacts],
    ) -> None:
        self._estimator = estimator
        self._template = template
        self._measured = measured
        self._facts = facts
        self.options = options
        self.text = template.source

        eligible = estimator._phone_valid.copy()
        if options.channel == "sms":
            eligible &= estimator._sms_capable
        ok = eligible & ~measured.missing & ~measured.too_long & ~measured.empty
        duplicate = self._find_duplicates(ok) if options.dedupe else np.zeros_like(ok)
        self._ok = ok & ~duplicate
        self._duplicate = duplicate
        self._eligible = eligible

        self.recipients = int(self._ok.sum())
        self.duplicates = int(duplicate.sum())
        self.invalid = int(len(ok) - ok.sum())
        self.segments = int(measured.segments[self._ok].sum())
        price = options.price_per_segment
        self.cost: Decimal | None = None if price is None else price * self.segments

    def _find_duplicates(self, ok: BoolArray) -> BoolArray:
        candidates = np.flatnonzero(ok & self._estimator._shared_phone)
        duplicate = np.zeros(len(ok), dtype=bool)
        if len(candidates) == 0:
            return duplicate
        pairs = pd.DataFrame(
            {
                "phone": self.phones_at(candidates),
                "text": self.render(candidates),
            }
        )
        duplicate[candidates[pairs.duplicated(keep="first").to_numpy()]] = True
        return duplicate

    def render(
        self, positions: npt.NDArray[np.intp] | slice | None = None
    ) -> npt.NDArray[np.object_]:
        """The final texts of the rows at ``positions`` (all rows when None)."""
        return render(
            self._template,
            self._facts,
            positions,
            fill=self.options.fill,
            n_rows=len(self._estimator.frame),
        )

    @property
    def sendable(self) -> BoolArray:
        """Per row: this row will be sent."""
        return self._ok

    def phones_at(self, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.object_]:
        """The normalised phones of the rows at ``positions``."""
        return self._estimator._phone_values[positions]

    def segments_at(self, positions: npt.NDArray[np.intp]) -> IntArray:
        """The billable segments per recipient of the rows at ``positions``."""
        return self._measured.segments[positions]

    @cached_property
    def rows(self) -> pd.DataFrame:
        """Per-row detail, indexed like the input frame.

        Columns: ``phone``, ``line_type``, ``status`` (``ok``, ``invalid``, ``duplicate``),
        ``reason``, ``text``, ``characters``, ``segments``, ``encoding``.
        """
        status = np.zeros(len(self._ok), dtype=np.int8)
        status[~self._ok] = 1
        status[self._duplicate] = 2
        phones = self._estimator.phones
        m = self._measured
        return pd.DataFrame(
            {
                "phone": phones["phone"].to_numpy(),
                "valid": status != 1,
                "line_type": phones["line_type"].to_numpy(),
                "status": _STATUS_NAMES[status],
                "reason": self._reasons(),
                "text": self.render(),
                "characters": m.chars,
                "segments": np.where(self._ok | self._duplicate, m.segments, 0),
                "encoding": np.where(m.ucs2, "UCS-2", "GSM-7"),
            },
            index=self._estimator.frame.index,
        ).astype({"phone": "string", "line_type": "string", "reason": "string"})

    def _reasons(self) -> npt.NDArray[np.object_]:
        n = len(self._ok)
        reasons = np.full(n, None, dtype=object)
        m = self._measured
        too_long = np.flatnonzero(m.too_long)
        for i in too_long:
            reasons[i] = (
                f"the message would have {m.chars[i]} characters; DirectCall accepts at most "
                f"{_MAX_TEXT}: shorten the text or the column values"
            )
        reasons[m.empty] = "the message would be empty for this row"
        for column in self._template.columns:
            empty = m.missing_column == column
            reasons[empty] = (
                f"column {column!r} is empty: fill it in, or pass fill='…' to use a default"
            )
        line_types = self._estimator.phones["line_type"].to_numpy(dtype=object, na_value="")
        ineligible = self._estimator._phone_valid & ~self._eligible
        for line_type in pd.unique(line_types[ineligible]):
            rows = ineligible & (line_types == line_type)
            kind = str(line_type).replace("_", " ")
            reasons[rows] = f"{kind} number: SMS needs a mobile; use channel='voice' to call it"
        invalid_phone = ~self._estimator._phone_valid
        reasons[invalid_phone] = self._estimator.phones["reason"].to_numpy()[invalid_phone]
        reasons[self._duplicate] = "same phone and same text as an earlier row"
        return reasons

    def __repr__(self) -> str:
        o = self.options
        lines = [
            f"Estimate ({o.channel}, policy {o.policy!r})",
            f"  recipients: {format_count(self.recipients)}",
            f"  invalid:    {format_count(self.invalid)}",
            f"  duplicates: {format_count(self.duplicates)}",
            f"  segments:   {format_count(self.segments)}",
            f"  cost:       {format_brl(self.cost)}",
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        o = self.options
        figures = [
            ("Recipients", format_count(self.recipients)),
            ("Invalid", format_count(self.invalid)),
            ("Duplicates", format_count(self.duplicates)),
            ("Segments", format_count(self.segments)),
            ("Cost", format_brl(self.cost)),
        ]
        cells = "".join(
            f"<div style='display:inline-block;margin-right:1.5em'><div style='font-size:80%;"
            f"opacity:.7'>{name}</div><div style='font-size:140%;font-weight:bold'>{value}</div>"
            "</div>"
            for name, value in figures
        )
        price = (
            f" at {format_brl(o.price_per_segment)} per segment"
            if o.price_per_segment is not None
            else " (no price given: pass price_per_segment= to see the cost)"
        )
        parts = [
            f"<div class='directcall-estimate'><b>Estimate</b>: {html.escape(o.channel.upper())}, "
            f"billing policy {html.escape(o.policy)}{html.escape(price)}<br>{cells}",
        ]
        if self.invalid:
            rows = self.rows
            bad = rows[rows["status"] == INVALID].head(_SHOWN_INVALID)
            given = self._estimator._phone_input.loc[bad.index]
            table = html_table(
                ["row", "phone as given", "reason"],
                zip(bad.index, given.astype(str).to_numpy(), bad["reason"], strict=True),
            )
            more = self.invalid - len(bad)
            tail = (
                f"<div>… and {format_count(more)} more in <code>.rows</code></div>" if more else ""
            )
            parts.append(
                f"<details open><summary>First invalid rows</summary>{table}{tail}</details>"
            )
        parts.append("</div>")
        return "".join(parts)


def estimate(
    frame: pd.DataFrame,
    text: str,
    *,
    phone: object,
    channel: Channel = "sms",
    sender: str | None = None,
    show_sender: bool = False,
    policy: Policy = "directcall",
    price_per_segment: Decimal | float | str | None = None,
    dedupe: bool = True,
    fill: str | None = None,
    allow_international: bool = False,
) -> Estimate:
    """Estimate what sending ``text`` to every row of ``frame`` would do and cost.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    text : str
        The message template; ``{column}`` is replaced by the row's value, ``{{``/``}}`` are
        literal braces.
    phone : object
        The column that holds the phone numbers.
    channel : {"sms", "voice"}, default "sms"
        SMS needs a mobile number; a voice call reaches mobiles and landlines.
    sender : str, optional
        The sender number, in DirectCall's format.
    show_sender : bool, default False
        Show the sender number at the start of the SMS (it then counts towards its size).
    policy : {"directcall", "gsm"}, default "directcall"
        DirectCall's rule (140 characters per SMS) or the carriers' GSM 03.38 parts.
    price_per_segment : Decimal, float or str, optional
        Price of one SMS part or voice call, in reais; without it ``cost`` is None.
    dedupe : bool, default True
        Count once the rows with the same phone and the same final text.
    fill : str, optional
        Text used where a column the template names is empty.
    allow_international : bool, default False
        Accept valid numbers of other countries.

    Returns
    -------
    Estimate
    """
    options = Options(
        channel=channel,
        sender=sender,
        show_sender=show_sender,
        policy=policy,
        price_per_segment=None if price_per_segment is None else _as_price(price_per_segment),
        dedupe=dedupe,
        fill=fill,
    )
    estimator = Estimator(frame, phone=phone, allow_international=allow_international)
    return estimator.estimate(text, options)
