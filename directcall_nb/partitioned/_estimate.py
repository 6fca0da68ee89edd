"""``ddf.directcall.validate`` and ``estimate``: the pandas engines, partition by partition.

`validate` maps `directcall_nb.validate` over the partitions (lazy, like any Dask frame).
`estimate` computes on the cluster, in one pass: each partition's estimate gives its figures and
the keys of the rows it would send; the keys found in more than one partition are the rows
repeated across partitions (`directcall_nb.partitioned._keys`), and the totals are corrected by
them. The answer, a `PartitionedEstimate`, holds exact totals; its ``rows`` is a Dask frame
that estimates each partition again when it is computed, its repeats marked.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Unpack, cast

import numpy as np
import pandas as pd
from dask.base import compute
from dask.delayed import delayed

from directcall_nb.columns import require_column
from directcall_nb.display import EMPTY_VALUE
from directcall_nb.estimation import (
    Estimator,
    Example,
    SuppressionSnapshot,
    estimate_html,
    estimate_text,
    segment_cost,
    suppression_notes,
)
from directcall_nb.options import Options, OptionValues
from directcall_nb.partitioned._keys import KEYS_META, phone_codes, repeated_keys, spread_keys
from directcall_nb.partitioned._work import (
    Figures,
    Request,
    RowExample,
    figures_and_keys,
    partition_table,
    validate_partition,
)
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    import dask.dataframe as dd

    from directcall_nb.estimation._opt_outs import JournalSource

__all__ = [
    "PartitionedEstimate",
    "column_in_memory",
    "estimate",
    "estimate_request",
    "plan_request",
    "validate",
]


def validate(
    frame: dd.DataFrame, *, phone: object, allow_international: bool = False
) -> dd.DataFrame:
    """Validate a Dask frame's phone column, partition by partition (lazy).

    Returns a Dask frame with the columns of `directcall_nb.validate` (``phone``, ``valid``,
    ``line_type``, ``reason``), indexed like ``frame``.

    Raises
    ------
    ColumnNotFound
        ``frame`` has no column ``phone``; raised at once, before anything is computed.
    """
    require_column(frame._meta, phone, what="phone column")
    meta = validate_partition(frame._meta_nonempty, phone, allow_international).iloc[:0]
    validated = frame.map_partitions(
        validate_partition, phone, allow_international, meta=meta, align_dataframes=False
    )
    return cast("dd.DataFrame", validated)


def column_in_memory(frame: dd.DataFrame, column: object) -> pd.DataFrame:
    """Return one column of a Dask frame, computed, as a pandas frame indexed like it.

    Raises
    ------
    ColumnNotFound
        ``frame`` has no such column; raised before anything is computed.
    """
    require_column(frame._meta, column, what="phone column")
    return cast("pd.DataFrame", frame[[column]].compute())


class PartitionedEstimate:
    """What sending one message to every row of a Dask frame would do and cost.

    The totals are those of `directcall_nb.Estimate`, exact over the whole frame: a row is a
    ``duplicate`` when an earlier row, in its partition or an earlier one, has the same phone
    and final text.

    Attributes
    ----------
    recipients, invalid, duplicates, opted_out, ignored_opt_outs, segments : int
        As in `directcall_nb.Estimate`.
    cost : Decimal or None
        ``segments`` times the price per segment, or None when no price was given.
    suppressions_consulted : bool
        Whether a suppression list was read.
    options : Options
        The choices the estimate was made with.
    text : str
        The message template.
    partitions : int
        The partitions of the frame.
    rows_total : int
        The rows of the frame.
    repeated : DataFrame
        The phone and text digest of each message found in more than one partition, with the
        first partition that has it (``first``); empty with ``dedupe=False``.
    spread : DataFrame or None
        With ``dedupe=False``: the same messages, with their rows in each partition
        (``part``, ``count``), by which a send numbers its copies.
    """

    def __init__(
        self,
        frame: dd.DataFrame,
        request: Request,
        figures: list[Figures],
        repeated: pd.DataFrame,
        *,
        spread: pd.DataFrame | None = None,
    ) -> None:
        self._frame = frame
        self.request = request
        self.options = request.options
        self.text = request.text
        self.partitions = len(figures)
        self.repeated = repeated
        self.spread = spread
        self.suppressions_consulted = request.suppressions is not None
        self._figures = figures
        later = repeated["copies"] - 1  # the copies after the first partition's
        extra = int(later.sum())
        listed = request.suppressions.entries if request.suppressions is not None else {}
        ignored_extra = 0
        if listed and not self.options.suppressions:
            listed_codes = phone_codes(np.array(list(listed), dtype=object))
            ignored_extra = int(later[repeated["phone"].isin(listed_codes)].sum())
        self.rows_total = sum(f.rows for f in figures)
        self.recipients = sum(f.recipients for f in figures) - extra
        self.duplicates = sum(f.duplicates for f in figures) + extra
        self.invalid = sum(f.invalid for f in figures)
        self.opted_out = sum(f.opted_out for f in figures)
        self.ignored_opt_outs = sum(f.ignored_opt_outs for f in figures) - ignored_extra
        self.segments = sum(f.segments for f in figures) - int((later * repeated["segments"]).sum())
        self.cost: Decimal | None = segment_cost(self.options.price_per_segment, self.segments)

    @cached_property
    def rows(self) -> dd.DataFrame:
        """Per-row detail as a Dask frame (lazy): the columns of `directcall_nb.Estimate.rows`."""
        from dask.dataframe import from_delayed

        repeated = delayed(self.repeated, pure=True)
        parts = [
            delayed(partition_table, pure=True)(part, number, self.request, repeated)
            for number, part in enumerate(self._frame.to_delayed())
        ]
        meta = partition_table(self._frame._meta_nonempty, 0, self.request, _no_repeats()).iloc[:0]
        return cast("dd.DataFrame", from_delayed(parts, meta=meta, divisions=self._frame.divisions))

    def spans(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Return the fewest and most characters billed, and segments, per message sent."""
        spans = [f.spans for f in self._figures if f.spans is not None]
        if not spans:
            return None
        chars = (min(s[0][0] for s in spans), max(s[0][1] for s in spans))
        parts = (min(s[1][0] for s in spans), max(s[1][1] for s in spans))
        return chars, parts

    def notes(self, language: Language | None = None) -> list[str]:
        """Say, in words, when the suppression list was ignored or could not be consulted."""
        return suppression_notes(self, language)

    def invalid_examples(self, count: int, language: Language | None = None) -> list[Example]:
        """Return the first ``count`` invalid rows: label, phone as given (masked), reason."""
        return _examples([f.invalid_examples for f in self._figures], count, language)

    def opted_out_examples(self, count: int, language: Language | None = None) -> list[Example]:
        """Return the first ``count`` rows that opted out: label, phone (masked), when and why."""
        return _examples([f.opted_out_examples for f in self._figures], count, language)

    def __repr__(self) -> str:
        return estimate_text(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language | None = None) -> str:
        """Write the estimate as HTML: the figures, then the first invalid rows (numbers masked)."""
        return estimate_html(self, language or current_language())


def _examples(
    groups: list[tuple[RowExample, ...]], count: int, language: Language | None
) -> list[Example]:
    """Return the first ``count`` examples of the partitions, in order, in words."""
    empty = EMPTY_VALUE[language or current_language()]
    shown = [example for group in groups for example in group][:count]
    return [
        (
            e.label,
            e.phone or empty,
            "" if e.reason is None else e.reason.text(language, masked=True),
        )
        for e in shown
    ]


def estimate(
    frame: dd.DataFrame,
    text: str,
    *,
    phone: object,
    journal: JournalSource = None,
    options: Options | None = None,
    **values: Unpack[OptionValues],
) -> PartitionedEstimate:
    """Estimate ``text`` for every row of a Dask frame, on its cluster.

    What `directcall_nb.estimate` answers for a frame in memory, computed partition by partition.

    The options, the columns and the template are checked first, on the frame's columns,
    before anything is computed; the suppression list is read once, here, and sent with the
    work. Then the cluster estimates every partition and groups the keys of the rows each would
    send, to find the rows repeated across partitions.

    Raises
    ------
    InputError
        As `directcall_nb.estimate`, before anything is computed.
    """
    request = plan_request(frame, text, phone=phone, journal=journal, options=options, **values)
    return estimate_request(frame, request)


def estimate_request(frame: dd.DataFrame, request: Request) -> PartitionedEstimate:
    """Estimate every partition on the cluster, with a request `plan_request` checked."""
    outputs = [
        delayed(figures_and_keys, nout=2, pure=True)(part, number, request)
        for number, part in enumerate(frame.to_delayed())
    ]
    figures = [figure for figure, _ in outputs]
    from dask.dataframe import from_delayed

    keys = from_delayed([k for _, k in outputs], meta=KEYS_META, verify_meta=False)
    # With dedupe, the repeats are duplicates; without, each copy is numbered after the earlier.
    grouped = repeated_keys(keys) if request.options.dedupe else spread_keys(keys)
    # One graph: each partition is estimated once for its figures and its keys.
    computed, pieces = compute(figures, grouped.to_delayed())
    found = pd.concat(pieces, ignore_index=True)
    if request.options.dedupe:
        return PartitionedEstimate(frame, request, list(computed), found)
    return PartitionedEstimate(frame, request, list(computed), _no_repeats(), spread=found)


def plan_request(
    frame: dd.DataFrame,
    text: str,
    *,
    phone: object,
    journal: JournalSource,
    options: Options | None,
    **values: Unpack[OptionValues],
) -> Request:
    """Check the options, columns and template on the frame's columns; read the list once."""
    checked = Options.from_values(values, options)
    Estimator(frame._meta, phone=phone, journal=False).estimate(text, checked)
    return Request(text, phone, checked, SuppressionSnapshot.read(journal))


def _no_repeats() -> pd.DataFrame:
    empty = KEYS_META[["phone", "text_hash"]].copy()
    return empty.assign(
        first=pd.Series(dtype="int32"),
        copies=pd.Series(dtype="int64"),
        segments=pd.Series(dtype="int64"),
    )
