"""The errors of a frame that cannot be read here: a column Arrow cannot carry, a query not run."""

from __future__ import annotations

from typing import Any

from directcall_nb.errors._local import InputError

__all__ = ["LazyFrameGiven", "PartitionedFrameGiven", "UnreadableFrame"]


class UnreadableFrame(InputError):
    """A column of the frame cannot be read; the message names it and says what to do.

    Parameters
    ----------
    message : str
        What is wrong and the fix, in English.
    column : str, optional
        The column that cannot be read.
    dtype : str, optional
        The column's type, as Polars names it.
    """

    kind = "unreadable_column"

    def __init__(
        self, message: str, *, column: str | None = None, dtype: str | None = None
    ) -> None:
        self.column = column
        self.dtype = dtype
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``column`` and ``dtype``."""
        return {"column": self.column, "dtype": self.dtype}


class LazyFrameGiven(UnreadableFrame):
    """A Polars ``LazyFrame`` was given: a query, to ``collect()`` into a frame first."""

    kind = "lazy_frame"


class PartitionedFrameGiven(UnreadableFrame):
    """A Dask frame was given where a frame in memory is needed: ``ddf.directcall`` takes it."""

    kind = "partitioned_frame"
