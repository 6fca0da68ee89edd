"""Naming the frame's columns: checks that a column exists, and ``validate`` on a whole column."""

from __future__ import annotations

import pandas as pd

from directcall_nb.errors import ColumnNotFound

__all__ = ["require_column", "validate"]


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


def validate(
    frame: pd.DataFrame, *, phone: object, allow_international: bool = False
) -> pd.DataFrame:
    """Validate and normalise a column of phone numbers.

    Parameters
    ----------
    frame : DataFrame
        The customer list.
    phone : object
        The label of the column that holds the phone numbers.
    allow_international : bool, default False
        Accept valid numbers of other countries (written ``00`` + country code + number).

    Returns
    -------
    DataFrame
        Indexed like ``frame``, with columns ``phone``, ``valid``, ``line_type`` and ``reason``;
        see `directcall_nb.normalize_phones`.
    """
    from directcall_nb.phones import normalize_phones

    column = require_column(frame, phone, what="phone column")
    return normalize_phones(column, allow_international=allow_international)
