"""The kind of frame a user gave: pandas as it is, Polars read through Arrow and given back.

Polars is looked up in ``sys.modules`` only: a session that has not imported it has no Polars
frame, and nothing here imports it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, TypeGuard, cast

import pandas as pd
import pyarrow as pa

from directcall_nb.errors import LazyFrameGiven, PartitionedFrameGiven, UnreadableFrame

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "PANDAS",
    "POLARS",
    "AnyFrame",
    "FrameKind",
    "ResultFrame",
    "is_partitioned",
    "not_in_memory",
    "read_frame",
]

#: A frame the entry points take: pandas, or Polars.
AnyFrame: TypeAlias = "pd.DataFrame | pl.DataFrame"
#: A frame they give back, of the kind they were given. It is `typing.Any` so that the code
#: using it type-checks with the methods of the kind it knows it has.
ResultFrame: TypeAlias = Any


@dataclass(frozen=True)
class FrameKind:
    """A kind of frame: how a result frame of the engines (pandas) is given back to the user.

    Attributes
    ----------
    name : str
        ``"pandas"`` or ``"polars"``.
    """

    name: str

    def present(self, table: pd.DataFrame) -> ResultFrame:
        """Return ``table`` as a frame of this kind (a pandas frame is returned as it is).

        A Polars frame gets the columns of ``table`` in order, without its index (for a frame
        read from Polars, the row positions).
        """
        if self.name == "pandas":
            return table
        polars = sys.modules["polars"]
        return polars.from_arrow(_to_arrow(table))


#: The engines' own kind.
PANDAS = FrameKind("pandas")
#: Polars' ``pl.DataFrame``.
POLARS = FrameKind("polars")


def _is_polars(frame: object) -> TypeGuard[pl.DataFrame]:
    polars = sys.modules.get("polars")
    if polars is not None and isinstance(frame, polars.LazyFrame):
        raise LazyFrameGiven(
            "a Polars LazyFrame is a query, not yet a list of customers: collect it first, "
            "e.g. frame.collect().directcall.estimate(...)"
        )
    return polars is not None and isinstance(frame, polars.DataFrame)


def is_partitioned(frame: object) -> bool:
    """Whether ``frame`` is a Dask DataFrame (looked up only if the session imported Dask's)."""
    dask_frames = sys.modules.get("dask.dataframe")
    return dask_frames is not None and isinstance(frame, dask_frames.DataFrame)


def not_in_memory() -> PartitionedFrameGiven:
    """Return the error of a Dask frame given where a frame in memory is needed."""
    return PartitionedFrameGiven(
        "a Dask DataFrame is not held in memory: use ddf.directcall.validate, .estimate or "
        ".send, which work partition by partition (the compose form needs a frame in memory: "
        "ddf.head(...) or ddf.compute())"
    )


def read_frame(frame: AnyFrame) -> tuple[pd.DataFrame, FrameKind]:
    """Return the pandas view of ``frame`` and its kind.

    Parameters
    ----------
    frame : DataFrame or polars.DataFrame
        The customer list. A pandas frame (or anything else) is returned as it is; a Polars
        frame is read through Arrow: its columns become ``pd.ArrowDtype`` columns (categorical
        ones their values), labelled by position (a ``RangeIndex``), without a Python object
        per cell.

    Raises
    ------
    LazyFrameGiven
        ``frame`` is a Polars ``LazyFrame`` (a query to collect first).
    UnreadableFrame
        One of its columns has a type Arrow cannot carry (such as Polars' ``Int128``).
    PartitionedFrameGiven
        ``frame`` is a Dask DataFrame: ``ddf.directcall`` works on it, partition by partition.
    """
    if is_partitioned(frame):
        raise not_in_memory()
    if not _is_polars(frame):
        return cast("pd.DataFrame", frame), PANDAS
    columns = [_decoded(_arrow_column(series)) for series in frame.get_columns()]
    table = pa.Table.from_arrays(columns, names=frame.columns)
    return table.to_pandas(types_mapper=pd.ArrowDtype), POLARS


def _arrow_column(series: pl.Series) -> pa.ChunkedArray:
    """One Polars column as Arrow (Polars' own buffers), or `UnreadableFrame` naming it."""
    try:
        array = series.to_arrow()
    except Exception as error:
        raise UnreadableFrame(
            f"column {series.name!r} has the type {series.dtype}, which cannot be read: cast "
            f"it to text or numbers (pl.col({series.name!r}).cast(pl.String)), or drop it",
            column=series.name,
            dtype=str(series.dtype),
        ) from error
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def _decoded(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column``, a categorical (dictionary) column as its values, chunk by chunk."""
    if not pa.types.is_dictionary(column.type):
        return column
    return pa.chunked_array(
        [chunk.dictionary_decode() for chunk in column.chunks], column.type.value_type
    )


def _to_arrow(table: pd.DataFrame) -> pa.Table:
    """``table``'s columns as an Arrow table (Arrow-backed columns as they are)."""
    return pa.Table.from_pandas(table, preserve_index=False)


def arrow_data(series: pd.Series) -> pa.ChunkedArray | None:
    """Return the Arrow data of an Arrow-backed pandas column (None for any other column).

    An ``ArrowDtype`` column or a pyarrow-backed ``StringDtype`` column holds its values as an
    Arrow chunked array, shared here, not copied.
    """
    dtype = series.dtype
    arrow = isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )
    to_arrow = getattr(series.array, "__arrow_array__", None) if arrow else None
    if to_arrow is None:
        return None
    data = to_arrow()
    return data if isinstance(data, pa.ChunkedArray) else None
