"""A phone column normalised once, and what every estimate reads of it, row by row."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from directcall_nb.estimation._reasons import Reason
from directcall_nb.vocabulary import Channel

__all__ = ["SMS_LINE_TYPES", "PhoneFacts"]

#: Line types that can receive an SMS.
SMS_LINE_TYPES = ("mobile", "fixed_line_or_mobile")

BoolArray = npt.NDArray[np.bool_]


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
        """Return the rows whose number can receive the channel: valid, and a mobile for SMS."""
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
