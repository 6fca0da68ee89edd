"""Naming the frame's columns: a column the user named exists, once, or a clear error says so."""

from __future__ import annotations

import pandas as pd

from directcall_nb.errors import ColumnNotFound

__all__ = ["require_column"]


def require_column(frame: pd.DataFrame, name: object, *, what: str = "column") -> pd.Series:
    """Return ``frame[name]``, or raise `ColumnNotFound` listing the columns there are.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    name : object
        The column label the caller gave.
    what : str
        How to name the column in the error, e.g. ``"phone column"``.
    """
    if name not in frame.columns:
        raise ColumnNotFound(name, frame.columns, what=what)
    column = frame[name]
    if isinstance(column, pd.DataFrame):
        raise ColumnNotFound(name, frame.columns, what=what, duplicated=column.shape[1])
    return column
