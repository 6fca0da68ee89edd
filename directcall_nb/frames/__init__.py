"""Frames of any kind: a Polars frame read through Arrow, and each result given back in its kind.

The engines (``phones``, ``text``, ``estimation``, ``sending``) work on pandas frames. A Polars
frame reaches them through Arrow, without a Python object per cell: `read_frame` gives the
pandas view of any frame (its columns Arrow-backed, ``pd.ArrowDtype``, sharing Polars' buffers
where Arrow allows) and its `FrameKind`, which turns a result frame back into the kind the user
gave (`FrameKind.present`). A Polars frame has no index: its rows are labelled by their
positions, 0 to n-1, in the reasons and reports that name rows.

Polars is optional and never imported here unless the session has imported it already: a frame
is recognised as Polars only when ``polars`` is in ``sys.modules``. `when_imported` runs a
function once a module is imported, at once if it already is, otherwise right after a later
``import`` of it executes (see `directcall_nb.frames._hook`): that is how ``import directcall_nb``
makes ``pl.DataFrame.directcall`` (and Dask's ``ddf.directcall``) available, whichever is
imported first. A Dask frame is not read here (`is_partitioned` tells it, `read_frame` refuses
it): `directcall_nb.partitioned` runs the engines on each of its partitions.
"""

from directcall_nb.frames._hook import when_imported
from directcall_nb.frames._kinds import (
    PANDAS,
    AnyFrame,
    FrameKind,
    ResultFrame,
    arrow_data,
    is_partitioned,
    not_in_memory,
    read_frame,
)

__all__ = [
    "PANDAS",
    "AnyFrame",
    "FrameKind",
    "ResultFrame",
    "arrow_data",
    "is_partitioned",
    "not_in_memory",
    "read_frame",
    "when_imported",
]
