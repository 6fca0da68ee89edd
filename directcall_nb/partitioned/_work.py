"""What the cluster runs on one partition: the pandas estimate, its figures, its keys, its rows.

Every function here takes one partition (a pandas frame), its number and a `Request` (the
text, the phone column, the options and the suppression list, read once by the client), and
runs the same `directcall_nb.estimation.Estimator` a pandas frame gets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from directcall_nb.display import mask_phone
from directcall_nb.estimation import Estimate, Estimator, Reason, SuppressionSnapshot
from directcall_nb.options import Options
from directcall_nb.partitioned._keys import EarlierRows, sent_keys
from directcall_nb.phones import validate

__all__ = [
    "Figures",
    "Request",
    "RowExample",
    "estimate_partition",
    "figures_and_keys",
    "partition_table",
    "uniform",
    "validate_partition",
]

#: Rows of each kind kept as examples per partition (the summary shows the first ten).
_EXAMPLES = 10


@dataclass(frozen=True)
class Request:
    """What every partition is estimated with.

    Attributes
    ----------
    text : str
        The message template.
    phone : object
        The phone column's label.
    options : Options
        The checked options.
    suppressions : SuppressionSnapshot or None
        The suppression list as the client read it; None when no list is consulted.
    """

    text: str
    phone: object
    options: Options
    suppressions: SuppressionSnapshot | None


@dataclass(frozen=True)
class RowExample:
    """A row shown under the figures: its label, its phone (masked) and why it is not sent."""

    label: object
    phone: str | None
    reason: Reason | None


@dataclass(frozen=True)
class Figures:
    """The counts of one partition's estimate, before the rows repeated across partitions."""

    rows: int
    recipients: int
    invalid: int
    duplicates: int
    opted_out: int
    ignored_opt_outs: int
    segments: int
    spans: tuple[tuple[int, int], tuple[int, int]] | None
    invalid_examples: tuple[RowExample, ...]
    opted_out_examples: tuple[RowExample, ...]


def estimate_partition(
    part: pd.DataFrame, number: int, request: Request, repeated: pd.DataFrame | None = None
) -> Estimate:
    """Estimate one partition; with ``repeated``, rows an earlier partition has are duplicates."""
    journal = False if request.suppressions is None else request.suppressions
    estimator = Estimator(part, phone=request.phone, journal=journal)
    repeats = None if repeated is None else EarlierRows(repeated, number)
    return estimator.estimate(request.text, request.options, repeats=repeats)


def figures_and_keys(
    part: pd.DataFrame, number: int, request: Request
) -> tuple[Figures, pd.DataFrame]:
    """Return one partition's figures and the keys of the rows it would send."""
    estimate = estimate_partition(part, number, request)
    invalid = estimate.invalid_positions(_EXAMPLES)
    given = estimate.phone_input
    opted = estimate.opted_out_positions(_EXAMPLES)
    figures = Figures(
        rows=len(part),
        recipients=estimate.recipients,
        invalid=estimate.invalid,
        duplicates=estimate.duplicates,
        opted_out=estimate.opted_out,
        ignored_opt_outs=estimate.ignored_opt_outs,
        segments=estimate.segments,
        spans=estimate.spans(),
        invalid_examples=tuple(
            RowExample(given.index[k], mask_phone(given.iloc[k]), estimate.reason_at(k))
            for k in invalid.tolist()
        ),
        opted_out_examples=tuple(
            RowExample(given.index[k], mask_phone(phone), estimate.reason_at(k))
            for k, phone in zip(opted.tolist(), estimate.phones_at(opted), strict=True)
        ),
    )
    return figures, sent_keys(estimate, number)


def partition_table(
    part: pd.DataFrame, number: int, request: Request, repeated: pd.DataFrame
) -> pd.DataFrame:
    """Return the per-row detail of one partition (`directcall_nb.Estimate.table`)."""
    return uniform(estimate_partition(part, number, request, repeated).table)


def uniform(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with its text columns as pandas' ``string`` (missing: ``<NA>``).

    A Dask frame's partitions must share their columns' types; a column of Python strings is
    ``object`` in one table and ``str`` in another, depending on how it was built.
    """
    texts = [
        name
        for name, dtype in table.dtypes.items()
        if dtype == np.dtype(object)
        or (isinstance(dtype, pd.StringDtype) and dtype.na_value is not pd.NA)
    ]
    return table.astype(dict.fromkeys(texts, "string")) if texts else table


def validate_partition(
    part: pd.DataFrame, phone: object, allow_international: bool
) -> pd.DataFrame:
    """Validate one partition's phone column (`directcall_nb.validate`)."""
    table: pd.DataFrame = validate(part, phone=phone, allow_international=allow_international)
    return table
