"""Dask frames: lists larger than one machine, validated, estimated and sent partition by partition.

``ddf.directcall`` (`directcall_nb.accessor.PartitionedAccessor`) runs the pandas engines on each
partition, on the user's cluster: `validate` is a lazy Dask frame; `estimate` computes each
partition's figures and finds the rows repeated across partitions (same phone and text), so
that its totals are those the pandas path gives on the same rows; `send` plans and dispatches
through the same pipeline and journal, from the client, one partition at a time.

Modules: ``_estimate`` (`validate`, `estimate`, `PartitionedEstimate`; `column_in_memory`, what
``ddf.directcall.suppress`` imports), ``_work`` (what the
cluster runs on one partition), ``_keys`` (rows repeated across partitions), ``_send`` (the
streaming send) and ``_report`` (its report, rows as a Dask frame).
"""

from __future__ import annotations

from directcall_nb.partitioned._estimate import (
    PartitionedEstimate,
    column_in_memory,
    estimate,
    validate,
)
from directcall_nb.partitioned._report import PartitionedReport
from directcall_nb.partitioned._send import send

__all__ = [
    "PartitionedEstimate",
    "PartitionedReport",
    "column_in_memory",
    "estimate",
    "send",
    "validate",
]
