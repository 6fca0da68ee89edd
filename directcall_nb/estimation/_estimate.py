"""What sending one message to every row of a frame would do and cost, row by row.

`Estimate` is the answer of `directcall_nb.estimation.Estimator`: which rows are sent, which are
not and why (`Reason`), which repeat an earlier row, and the segments and cost of the rest.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.display import EMPTY_VALUE, mask_phone
from directcall_nb.estimation._opt_outs import OPTED_OUT
from directcall_nb.estimation._reasons import Reason
from directcall_nb.estimation._selection import RepeatCheck, at_least_int32, first_positions
from directcall_nb.estimation._summary import (
    Example,
    estimate_html,
    estimate_text,
    suppression_notes,
)
from directcall_nb.frames import FrameKind, ResultFrame
from directcall_nb.options import Options
from directcall_nb.settings import current_language
from directcall_nb.text import ColumnFacts, Template, TextMeasure, render
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from directcall_nb.estimation._estimator import Estimator

__all__ = [
    "DUPLICATE",
    "INVALID",
    "OK",
    "OPTED_OUT",
    "Estimate",
    "segment_cost",
]

#: Row states in `Estimate.rows["status"]` (and ``OPTED_OUT``: the number is on the list).
OK, INVALID, DUPLICATE = "ok", "invalid", "duplicate"
_STATUS_NAMES = np.array([OK, INVALID, DUPLICATE, OPTED_OUT], dtype=object)
_SURROGATE = re.compile("[\ud800-\udfff]")

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def segment_cost(price: Decimal | None, segments: int) -> Decimal | None:
    """Return what ``segments`` cost at ``price`` reais each; None when no price is known."""
    return None if price is None else price * segments


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
    opted_out : int
        Rows left out because their number is on the journal's suppression list (the customer
        opted out); 0 with ``suppressions=False``.
    ignored_opt_outs : int
        With ``suppressions=False``: the rows on the suppression list that will be sent anyway.
    suppressions_consulted : bool
        Whether a suppression list was read (False without a journal, ``journal=False``).
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
        repeats: RepeatCheck | None = None,
    ) -> None:
        self._estimator = estimator
        self.phones = estimator.phones(allow_international=options.allow_international)
        self._template = template
        self._measured = measured
        self._facts = facts
        self.options = options
        self.text = template.source

        opt_outs = estimator.opt_outs(allow_international=options.allow_international)
        self._opt_outs = opt_outs
        self.suppressions_consulted = opt_outs.consulted
        listed = opt_outs.listed  # only valid numbers can be on the list
        opted = listed if options.suppressions else np.zeros(len(listed), dtype=bool)
        self._opted = opted
        eligible = self.phones.eligible(options.channel)
        ok = measured.too_long | measured.empty
        np.logical_not(ok, out=ok)
        ok &= eligible
        for flagged in (measured.missing, measured.forbidden):
            if flagged.any():
                ok &= ~flagged
        if opt_outs.entries and options.suppressions:
            ok &= ~opted
        found = int(ok.sum())
        duplicate = self._find_duplicates(ok) if options.dedupe else None
        if repeats is not None and options.dedupe:
            earlier = repeats(self, ok if duplicate is None else ok & ~duplicate)
            duplicate = earlier if duplicate is None else duplicate | earlier
        # np.zeros, not zeros_like: its pages are the system's zeros until written
        self._duplicate = np.zeros(len(ok), dtype=bool) if duplicate is None else duplicate
        if duplicate is not None:
            ok[duplicate] = False
        self._ok = ok
        self._eligible = eligible

        self.duplicates = 0 if duplicate is None else int(duplicate.sum())
        self.recipients = found - self.duplicates
        self.opted_out = int(opted.sum()) if opt_outs.entries else 0
        self.ignored_opt_outs = (
            int((listed & self._ok).sum()) if opt_outs.entries and not options.suppressions else 0
        )
        self.invalid = len(ok) - found - self.opted_out
        self.segments = int(np.sum(measured.segments, where=self._ok))
        self.cost = segment_cost(options.price_per_segment, self.segments)

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
        """Write the final texts of the rows at ``positions`` (all rows when None)."""
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
        """Return the positions (``iloc``) of invalid rows (not duplicates); the first ``count``.

        With ``count``, no more of the frame is read than needed to find them. Rows that opted
        out are not invalid (see `opted_out_positions`).
        """
        invalid = ~(self._ok | self._duplicate | self._opted)
        return np.flatnonzero(invalid) if count is None else first_positions(invalid, count)

    def opted_out_positions(self, count: int | None = None) -> npt.NDArray[np.intp]:
        """Return the positions (``iloc``) of the rows that opted out; the first ``count``."""
        opted = self._opted
        return np.flatnonzero(opted) if count is None else first_positions(opted, count)

    def notes(self, language: Language | None = None) -> list[str]:
        """Say, in words, when the suppression list was ignored or could not be consulted.

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        return suppression_notes(self, language)

    def invalid_examples(self, count: int, language: Language | None = None) -> list[Example]:
        """Return the first ``count`` invalid rows: label, phone as given (masked), reason."""
        positions = self.invalid_positions(count)
        given = self.phone_input.iloc[positions]
        reasons = self.reasons(language, masked=True)[positions]
        empty = EMPTY_VALUE[language or current_language()]
        phones = [mask_phone(value) or empty for value in given.to_numpy()]
        return list(zip(given.index, phones, reasons, strict=True))

    def opted_out_examples(self, count: int, language: Language | None = None) -> list[Example]:
        """Return the first ``count`` rows that opted out: label, phone (masked), when and why."""
        positions = self.opted_out_positions(count)
        phones = map(mask_phone, self.phones_at(positions))
        reasons = self.reasons(language, masked=True)[positions]
        return list(zip(self.phone_input.index[positions], phones, reasons, strict=True))

    def sent_positions(self, count: int) -> npt.NDArray[np.intp]:
        """Return the positions (``iloc``) of the first ``count`` rows that will be sent."""
        return first_positions(self._ok, count)

    def phones_at(self, positions: npt.NDArray[np.intp]) -> npt.NDArray[np.object_]:
        """Return the normalised phones of the rows at ``positions``."""
        return self.phones.phones_at(positions)

    def spans(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Return the fewest and most characters billed, and segments, per message sent.

        The characters include the sender's digits when they are shown.
        """
        if self.recipients == 0:
            return None
        ok = self._ok

        def span(values: npt.NDArray[np.signedinteger[Any]]) -> tuple[int, int]:
            most = int(np.iinfo(values.dtype).max)
            return int(np.min(values, where=ok, initial=most)), int(
                np.max(values, where=ok, initial=0)
            )

        return span(self._measured.chars), span(self._measured.segments)

    def segments_at(self, positions: npt.NDArray[np.intp]) -> IntArray:
        """Return the billable segments per recipient of the rows at ``positions``."""
        return self._measured.segments[positions]

    @property
    def frame_kind(self) -> FrameKind:
        """The kind of the frame estimated (pandas, Polars): `rows` is a frame of that kind."""
        return self._estimator.frame_kind

    @cached_property
    def rows(self) -> ResultFrame:
        """Per-row detail: `table` as a frame of the kind of the input frame (Polars for Polars)."""
        return self.frame_kind.present(self.table)

    @cached_property
    def table(self) -> pd.DataFrame:
        """Per-row detail as a pandas frame, indexed like a pandas input (else by row position).

        Columns: ``phone``, ``line_type``, ``status`` (``ok``, ``invalid``, ``duplicate``,
        ``opted_out``), ``reason``, ``text``, ``characters``, ``segments``, ``encoding``.
        """
        status = np.zeros(len(self._ok), dtype=np.int8)
        status[~self._ok] = 1
        status[self._duplicate] = 2
        status[self._opted] = 3
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
                "characters": at_least_int32(m.chars),
                "segments": at_least_int32(np.where(self._ok | self._duplicate, m.segments, 0)),
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
        if self.opted_out:  # a number that opted out is explained by that first
            codes[self._opted] = self._opt_outs.codes[self._opted] + len(catalog)
            catalog += self._opt_outs.reasons
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
        if self._opted[position]:
            return self._opt_outs.reasons[int(self._opt_outs.codes[position])]
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

    def __repr__(self) -> str:
        return estimate_text(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language | None = None) -> str:
        """Write the estimate as HTML: the figures, then the first invalid rows (numbers masked).

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        return estimate_html(self, language or current_language())
