"""What a message to a whole frame would cost, computed from per-column facts.

`Estimator` holds what does not change while an analyst edits a message (the normalised phones,
the facts of each column a template uses), so that estimating a new text over a million rows is
a handful of array sums. `Estimate` is the answer: counts, segments, cost, and per-row detail.
"""

from __future__ import annotations

import html
import re
from collections.abc import Hashable
from decimal import Decimal
from functools import cached_property
from typing import Unpack

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.columns import require_column
from directcall_nb.display import (
    EMPTY_VALUE,
    format_brl,
    format_count,
    html_table,
    mask_numbers,
    mask_phone,
)
from directcall_nb.errors import MessageTooLong
from directcall_nb.options import Options, OptionValues
from directcall_nb.settings import current_language
from directcall_nb.text import (
    ColumnFacts,
    Template,
    TextMeasure,
    column_facts,
    measure,
    render,
)
from directcall_nb.vocabulary import MAX_TEXT_CHARACTERS, Channel, Language

__all__ = ["Estimate", "Estimator", "Reason", "estimate"]

#: Line types that can receive an SMS.
SMS_LINE_TYPES = ("mobile", "fixed_line_or_mobile")
#: Row states in `Estimate.rows["status"]`.
OK, INVALID, DUPLICATE = "ok", "invalid", "duplicate"
_STATUS_NAMES = np.array([OK, INVALID, DUPLICATE], dtype=object)
_SHOWN_INVALID = 10
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The reason `normalize_phones` gives a missing or blank number.
_EMPTY_PHONE = "empty"

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def first_positions(mask: BoolArray, count: int) -> npt.NDArray[np.intp]:
    """The positions of the first ``count`` true values, reading no more of ``mask`` than needed."""
    found: list[npt.NDArray[np.intp]] = []
    have, start, step = 0, 0, 4096
    while have < count and start < len(mask):
        chunk = np.flatnonzero(mask[start : start + step]) + start
        found.append(chunk)
        have += len(chunk)
        start, step = start + step, step * 4
    return np.concatenate(found)[:count] if found else np.zeros(0, dtype=np.intp)


class Reason:
    """Why a row is not sent: a kind and its fields, written in either language on demand.

    Parameters
    ----------
    kind : str
        ``phone`` (an invalid number; ``detail``), ``line_type`` (SMS to a number that is no
        mobile; ``line_type``), ``missing_column`` / ``forbidden`` (``column``), ``empty``,
        ``too_long`` (``chars``) or ``duplicate``.
    **fields
        The fields its sentence needs.
    """

    __slots__ = ("fields", "kind")

    def __init__(self, kind: str, **fields: object) -> None:
        self.kind = kind
        self.fields = fields

    def text(self, language: Language | None = None, *, masked: bool = False) -> str:
        """The sentence, in ``language`` (``directcall_nb.options.language`` by default)."""
        from directcall_nb.i18n import reason_text

        language = language or current_language()
        fields = self.fields
        if self.kind == "phone" and fields["detail"] == _EMPTY_PHONE:
            return reason_text("phone_empty", language)
        if self.kind == "phone" and language != "en":  # the number explained again, in words
            from directcall_nb.phones import explain_phone

            detail = explain_phone(
                fields["value"],
                allow_international=bool(fields["allow_international"]),
                language=language,
            )
            fields = {"detail": detail}
        elif self.kind == "phone":
            fields = {"detail": fields["detail"]}
        sentence = reason_text(self.kind, language, **fields)
        return mask_numbers(sentence) if masked else sentence

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.fields.items())
        return f"Reason({self.kind!r}{', ' if fields else ''}{fields})"


class PhoneFacts:
    """A phone column normalised once, and the per-row arrays every estimate reads.

    Parameters
    ----------
    column : Series
        The phone numbers as given.
    allow_international : bool
        Accept valid numbers of other countries.
    """

    def __init__(self, column: pd.Series, *, allow_international: bool) -> None:
        from directcall_nb.phones import normalize_phones

        self.column = column
        self.allow_international = allow_international
        self.frame = normalize_phones(column, allow_international=allow_international)
        phones = self.frame["phone"].astype(object)
        self.values: npt.NDArray[np.object_] = np.asarray(
            phones.where(phones.notna(), None), dtype=object
        )
        self.valid: BoolArray = self.frame["valid"].to_numpy(dtype=bool)
        self.sms_capable: BoolArray = (
            self.frame["line_type"].isin(SMS_LINE_TYPES).to_numpy(dtype=bool)
        )
        self._eligible: dict[str, BoolArray] = {}

    @cached_property
    def reasons(self) -> tuple[npt.NDArray[np.intp], list[Reason]]:
        """Each invalid row's reason as an index into the distinct reasons (-1: valid).

        A reason keeps one of the values it explains, to write it again in another language
        (equal English reasons are written alike in Portuguese too: same sentence, same fields).
        """
        reasons = self.frame["reason"]
        codes, distinct = pd.factorize(reasons.where(~self.valid), use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.intp)
        first = np.full(len(distinct), -1, dtype=np.intp)
        rows = np.flatnonzero(codes >= 0)
        first[codes[rows[::-1]]] = rows[::-1]  # the first row of each reason
        values = self.column.to_numpy(dtype=object)
        return codes, [
            Reason(
                "phone",
                detail=str(detail),
                value=values[first[k]],
                allow_international=self.allow_international,
            )
            for k, detail in enumerate(distinct)
        ]

    def eligible(self, channel: Channel) -> BoolArray:
        """Rows whose number can receive the channel: valid, and a mobile for SMS."""
        if channel not in self._eligible:
            self._eligible[channel] = (
                self.valid & self.sms_capable if channel == "sms" else self.valid
            )
        return self._eligible[channel]

    @cached_property
    def line_types(self) -> tuple[npt.NDArray[np.intp], list[str]]:
        """Each row's line type as an index into the distinct types (-1: none)."""
        codes, names = pd.factorize(self.frame["line_type"], use_na_sentinel=True)
        return np.asarray(codes, dtype=np.intp), [str(name) for name in names]

    @cached_property
    def shared(self) -> BoolArray:
        """Rows whose valid phone appears more than once: the only possible duplicates."""
        phones = self.frame["phone"].where(self.valid)
        return (phones.notna() & phones.duplicated(keep=False)).to_numpy(dtype=bool)


class Estimator:
    """Estimates for one frame and one phone column, reusable across message texts.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    phone : object
        The label of the column that holds the phone numbers.

    Notes
    -----
    The phones are normalised once (once more if ``allow_international`` changes), and each
    column a template uses is measured once (its length, encoding and distinct values); after
    that, `estimate` on a new text costs only array arithmetic. An `Estimator` reflects the
    frame as it was when each fact was first computed: make a new one after changing the frame.
    """

    def __init__(self, frame: pd.DataFrame, *, phone: object) -> None:
        self.frame = frame
        self.phone_column = phone
        self.phone_input = require_column(frame, phone, what="phone column")
        self._facts: dict[Hashable, ColumnFacts] = {}
        self._phones: dict[bool, PhoneFacts] = {}

    def phones(self, *, allow_international: bool = False) -> PhoneFacts:
        """The normalised phones (see `directcall_nb.normalize_phones`), computed on first use."""
        if allow_international not in self._phones:
            self._phones[allow_international] = PhoneFacts(
                self.phone_input, allow_international=allow_international
            )
        return self._phones[allow_international]

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
            Channel, sender, billing policy, price, dedupe, fill and the rest (already checked).

        Raises
        ------
        TemplateError, UnknownPlaceholder
            The template cannot be read, holds a character DirectCall cannot carry, or names a
            column the frame lacks.
        MessageTooLong
            The template's own text, without any column value, is over 700 characters.
        """
        options = options or Options()
        template = Template.parse(text)
        template.check_columns(self.frame.columns)
        literal_chars = sum(len(piece) for piece in template.literals)
        if literal_chars > MAX_TEXT_CHARACTERS:
            raise MessageTooLong(
                f"the message has {literal_chars} characters before any column is filled in; "
                f"DirectCall accepts at most {MAX_TEXT_CHARACTERS}",
                characters=literal_chars,
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
        self.phones = estimator.phones(allow_international=options.allow_international)
        self._template = template
        self._measured = measured
        self._facts = facts
        self.options = options
        self.text = template.source

        eligible = self.phones.eligible(options.channel)
        ok = eligible & ~(measured.too_long | measured.empty)
        for flagged in (measured.missing, measured.forbidden):
            if flagged.any():
                ok &= ~flagged
        found = int(ok.sum())
        duplicate = self._find_duplicates(ok) if options.dedupe else None
        self._duplicate = np.zeros_like(ok) if duplicate is None else duplicate
        self._ok = ok if duplicate is None else ok & ~duplicate
        self._eligible = eligible

        self.duplicates = 0 if duplicate is None else int(duplicate.sum())
        self.recipients = found - self.duplicates
        self.invalid = len(ok) - found
        self.segments = int(np.sum(measured.segments, where=self._ok))
        price = options.price_per_segment
        self.cost: Decimal | None = None if price is None else price * self.segments

    def _find_duplicates(self, ok: BoolArray) -> BoolArray:
        candidates = np.flatnonzero(ok & self.phones.shared)
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

    @property
    def phone_input(self) -> pd.Series:
        """The phone column as given (before it was normalised)."""
        return self._estimator.phone_input

    def invalid_positions(self, count: int | None = None) -> npt.NDArray[np.intp]:
        """The positions (``iloc``) of the invalid rows (duplicates are not); the first ``count``.

        With ``count``, no more of the frame is read than needed to find them.
        """
        invalid = ~(self._ok | self._duplicate)
        return np.flatnonzero(invalid) if count is None else first_positions(invalid, count)

    def sent_positions(self, count: int) -> npt.NDArray[np.intp]:
        """The positions (``iloc``) of the first ``count`` rows that will be sent."""
        return first_positions(self._ok, count)

    def phones_at(self, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.object_]:
        """The normalised phones of the rows at ``positions``."""
        return self.phones.values[positions]

    def spans(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Fewest and most characters billed, and segments, per message sent; None if none is.

        The characters include the sender's digits when they are shown.
        """
        if self.recipients == 0:
            return None
        m, ok = self._measured, self._ok
        big = np.iinfo(np.int64).max
        chars = (
            int(np.min(m.chars, where=ok, initial=big)),
            int(np.max(m.chars, where=ok, initial=0)),
        )
        parts = (
            int(np.min(m.segments, where=ok, initial=big)),
            int(np.max(m.segments, where=ok, initial=0)),
        )
        return chars, parts

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
        phones = self.phones.frame
        m = self._measured
        return pd.DataFrame(
            {
                "phone": phones["phone"].to_numpy(),
                "valid": status != 1,
                "line_type": phones["line_type"].to_numpy(),
                "status": _STATUS_NAMES[status],
                "reason": self.reasons(),
                "text": self._texts(),
                "characters": m.chars,
                "segments": np.where(self._ok | self._duplicate, m.segments, 0),
                "encoding": np.where(m.ucs2, "UCS-2", "GSM-7"),
            },
            index=self._estimator.frame.index,
        ).astype({"phone": "string", "line_type": "string", "reason": "string"})

    def _texts(self) -> npt.NDArray[np.object_]:
        """Every row's text; a lone surrogate (not Unicode) shows as U+FFFD, the usual mark."""
        texts = self.render()
        for position in np.flatnonzero(self._measured.forbidden):
            text = texts[position]
            if isinstance(text, str):
                texts[position] = _SURROGATE.sub("\ufffd", text)
        return texts

    @cached_property
    def _coded_reasons(self) -> tuple[npt.NDArray[np.int64], list[Reason]]:
        """Each row's reason as an index into a list of distinct reasons (-1: none).

        Later rules win, in the order of `reason_at`: an invalid phone explains a row before its
        message does.
        """
        n = len(self._ok)
        codes = np.full(n, -1, dtype=np.int64)
        catalog: list[Reason] = []

        def assign(rows: BoolArray | npt.NDArray[np.intp], reason: Reason) -> None:
            codes[rows] = len(catalog)
            catalog.append(reason)

        m = self._measured
        too_long = np.flatnonzero(m.too_long)
        for chars in np.unique(m.chars[too_long]):
            assign(too_long[m.chars[too_long] == chars], Reason("too_long", chars=int(chars)))
        assign(m.empty, Reason("empty"))
        columns = self._template.columns
        for kind, which in (
            ("forbidden", m.forbidden_column),
            ("missing_column", m.missing_column),
        ):
            for k in np.unique(which[which >= 0]).tolist():
                assign(which == k, Reason(kind, column=columns[k]))
        line_codes, line_names = self.phones.line_types
        ineligible = self.phones.valid & ~self._eligible
        for k in np.unique(line_codes[ineligible]).tolist():
            assign(ineligible & (line_codes == k), Reason("line_type", line_type=line_names[k]))
        phone_codes, phone_reasons = self.phones.reasons
        invalid = phone_codes >= 0
        codes[invalid] = phone_codes[invalid] + len(catalog)
        catalog += phone_reasons
        assign(self._duplicate, Reason("duplicate"))
        return codes, catalog

    def reasons(
        self, language: Language | None = None, *, masked: bool = False
    ) -> npt.NDArray[np.object_]:
        """Why each row is not sent, in words (None for the rows that are).

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        masked : bool, default False
            Mask the phone numbers the reasons quote (displays do; `rows` does not).
        """
        codes, catalog = self._coded_reasons
        texts = [reason.text(language, masked=masked) for reason in catalog]
        table = np.array([*texts, None], dtype=object)
        return table[codes]

    def reason_at(self, position: int) -> Reason | None:
        """Why the row at ``position`` (``iloc``) is not sent, or None when it is.

        Reads only that row: what the form shows after each keystroke.
        """
        if self._ok[position]:
            return None
        if self._duplicate[position]:
            return Reason("duplicate")
        phone_codes, phone_reasons = self.phones.reasons
        if phone_codes[position] >= 0:
            return phone_reasons[int(phone_codes[position])]
        if not self._eligible[position]:
            line_codes, line_names = self.phones.line_types
            return Reason("line_type", line_type=line_names[line_codes[position]])
        m = self._measured
        columns = self._template.columns
        if m.missing_column[position] >= 0:
            return Reason("missing_column", column=columns[m.missing_column[position]])
        if m.forbidden_column[position] >= 0:
            return Reason("forbidden", column=columns[m.forbidden_column[position]])
        if m.empty[position]:
            return Reason("empty")
        return Reason("too_long", chars=int(m.chars[position]))

    def _figures(self, language: Language) -> list[tuple[str, str]]:
        from directcall_nb.i18n import say

        voice = self.options.channel == "voice"
        figures = [
            (say("calls" if voice else "recipients", language), format_count(self.recipients)),
            (say("invalid", language), format_count(self.invalid)),
            (say("duplicates", language), format_count(self.duplicates)),
        ]
        if not voice:
            figures.append((say("segments_word", language), format_count(self.segments)))
        figures.append((say("cost", language), format_brl(self.cost)))
        return figures

    def _title(self, language: Language) -> str:
        from directcall_nb.i18n import say

        o = self.options
        voice = o.channel == "voice"
        price = (
            say(
                "estimate_price_voice" if voice else "estimate_price",
                language,
                price=format_brl(o.price_per_segment),
            )
            if o.price_per_segment is not None
            else say("estimate_no_price", language)
        )
        policy = "" if voice else say(f"policy_name_{o.policy}", language)
        channel = say("voice" if voice else "sms", language)
        return say("estimate_title", language, channel=channel, policy=policy, price=price)

    def __repr__(self) -> str:
        language = current_language()
        figures = self._figures(language)
        width = max(len(name) for name, _ in figures) + 1
        lines = [self._title(language)]
        lines += [f"  {name + ':':<{width}} {value}" for name, value in figures]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language | None = None) -> str:
        """The estimate as HTML: the figures, then the first invalid rows (numbers masked).

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        from directcall_nb.i18n import say, say_count

        language = language or current_language()
        cells = "".join(
            "<div style='display:inline-block;margin-right:1.5em'><div style='font-size:80%;"
            f"opacity:.7'>{html.escape(name)}</div><div style='font-size:140%;font-weight:bold;"
            f"white-space:nowrap'>{html.escape(value)}</div></div>"
            for name, value in self._figures(language)
        )
        parts = [
            f"<div class='directcall-estimate'><b>{html.escape(self._title(language))}</b>"
            f"<br>{cells}"
        ]
        if self.invalid:
            positions = self.invalid_positions(_SHOWN_INVALID)
            given = self._estimator.phone_input.iloc[positions]
            reasons = self.reasons(language, masked=True)[positions]
            table = html_table(
                [say("col_row", language), say("col_phone", language), say("col_reason", language)],
                zip(
                    self._estimator.frame.index[positions],
                    [mask_phone(v) or EMPTY_VALUE[language] for v in given.to_numpy()],
                    reasons,
                    strict=True,
                ),
            )
            more = self.invalid - len(positions)
            tail = (
                f"<div>{html.escape(say_count('more_invalid', more, language))}</div>"
                if more
                else ""
            )
            title = say_count("invalid_title", self.invalid, language, shown=len(positions))
            parts.append(
                f"<details open><summary>{html.escape(title)}</summary>{table}{tail}</details>"
            )
        parts.append("</div>")
        return "".join(parts)


def estimate(
    frame: pd.DataFrame,
    text: str,
    *,
    phone: object,
    options: Options | None = None,
    **values: Unpack[OptionValues],
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
    options : Options, optional
        The options, built beforehand; keyword options below are applied on top of them.
    **values
        Any option of `directcall_nb.Options`, by name: ``channel`` ("sms" needs a mobile, a
        "voice" call reaches mobiles and landlines), ``sender``, ``show_sender``, ``policy``
        ("directcall": 140 characters per SMS; "gsm": the carriers' GSM 03.38 parts),
        ``price_per_segment`` (reais; without it ``cost`` is None), ``dedupe``, ``fill``,
        ``allow_international``, ...

    Returns
    -------
    Estimate

    Raises
    ------
    InvalidOption
        An unknown option or a value that cannot be used, named with the fix.
    ColumnNotFound, TemplateError, MessageTooLong
        The phone column or a placeholder's column is missing, or the template is unusable.
    """
    checked = Options.from_values(values, options)
    return Estimator(frame, phone=phone).estimate(text, checked)
