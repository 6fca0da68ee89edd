"""``df.directcall``: the DataFrame entry points, each a one-line delegation: pandas, Polars, Dask.

One accessor class serves pandas and Polars: pandas' ``register_dataframe_accessor`` registers
it at import, and Polars' ``register_dataframe_namespace`` the moment Polars is imported — at
once when the session has imported it already, otherwise right after a later ``import polars``
(see `directcall_nb.frames.when_imported`), so that ``import directcall_nb`` never imports
Polars. The functions it delegates to read a Polars frame through Arrow and give back Polars
frames. Dask's frames get `PartitionedAccessor` the same way, when ``dask.dataframe`` is
imported: the same methods, run partition by partition (`directcall_nb.partitioned`).
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Literal, Unpack

import pandas as pd

from directcall_nb.frames import AnyFrame, ResultFrame, when_imported

if TYPE_CHECKING:
    import dask.dataframe as dd

    from directcall_nb.client import DirectCall
    from directcall_nb.estimation import Estimate
    from directcall_nb.opt_outs import SuppressionImport
    from directcall_nb.options import Options, OptionValues
    from directcall_nb.partitioned import PartitionedEstimate, PartitionedReport
    from directcall_nb.report import SendReport
    from directcall_nb.sending import JournalChoice, ProgressSink
    from directcall_nb.widgets import ComposeForm
    from directcall_nb.windows import Window

__all__ = ["DirectCallAccessor", "PartitionedAccessor"]


@pd.api.extensions.register_dataframe_accessor("directcall")
class DirectCallAccessor:
    """Validate, estimate and send messages to the rows of a DataFrame.

    The accessor keeps nothing but the frame: every call works on the frame as it is now. The
    options (``sender``, ``channel``, ``price_per_segment``, ``schedule``, ...) are those of
    `directcall_nb.Options`, passed by name.
    """

    def __init__(self, frame: AnyFrame) -> None:
        self._frame = frame

    def validate(self, phone: object, *, allow_international: bool = False) -> ResultFrame:
        """Normalise a phone column; see `directcall_nb.validate`."""
        from directcall_nb.phones import validate

        return validate(self._frame, phone=phone, allow_international=allow_international)

    def estimate(
        self,
        text: str,
        *,
        phone: object,
        journal: JournalChoice = None,
        options: Options | None = None,
        **values: Unpack[OptionValues],
    ) -> Estimate:
        """Estimate a message for every row; see `directcall_nb.estimate`."""
        from directcall_nb.estimation import estimate

        return estimate(self._frame, text, phone=phone, journal=journal, options=options, **values)

    def suppress(
        self,
        phone: object,
        *,
        reason: str,
        source: Literal["import", "manual", "reply"] = "import",
        journal: JournalChoice = None,
    ) -> SuppressionImport:
        """Put a column's numbers on the suppression list; see `directcall_nb.suppress`."""
        from directcall_nb.opt_outs import suppress

        return suppress(self._frame, phone=phone, reason=reason, source=source, journal=journal)

    def send(
        self,
        text: str,
        *,
        phone: object,
        client: DirectCall | None = None,
        journal: JournalChoice = None,
        dry_run: bool = False,
        progress: bool | ProgressSink = True,
        options: Options | None = None,
        **values: Unpack[OptionValues],
    ) -> SendReport:
        """Send a message to every valid row, exactly once; see `directcall_nb.send`."""
        from directcall_nb.sending import send

        return send(
            self._frame,
            text,
            phone=phone,
            client=client,
            journal=journal,
            dry_run=dry_run,
            progress=progress,
            options=options,
            **values,
        )

    def compose(
        self,
        *,
        phone: object = None,
        client: DirectCall | None = None,
        sender: str | None = None,
        language: str = "pt",
        journal: JournalChoice = None,
        text: str = "",
        window: Window | tuple[object, object] | bool | None = None,
    ) -> ComposeForm:
        """Open the compose form (a widget); see `directcall_nb.widgets._form.ComposeForm`."""
        from directcall_nb.widgets import ComposeForm

        return ComposeForm(
            self._frame,
            phone=phone,
            client=client,
            sender=sender,
            language=language,
            journal=journal,
            text=text,
            window=window,
        )


class PartitionedAccessor:
    """``ddf.directcall`` on a Dask DataFrame: validate, estimate and send, partition by partition.

    The methods take what `DirectCallAccessor`'s take; see `directcall_nb.partitioned`. The
    compose form needs a frame in memory: it says so (`PartitionedFrameGiven`).
    """

    def __init__(self, frame: dd.DataFrame) -> None:
        self._frame = frame

    def validate(self, phone: object, *, allow_international: bool = False) -> dd.DataFrame:
        """Normalise a phone column, lazily, partition by partition."""
        from directcall_nb.partitioned import validate

        return validate(self._frame, phone=phone, allow_international=allow_international)

    def estimate(
        self,
        text: str,
        *,
        phone: object,
        journal: JournalChoice = None,
        options: Options | None = None,
        **values: Unpack[OptionValues],
    ) -> PartitionedEstimate:
        """Estimate a message for every row, on the cluster; see `directcall_nb.partitioned`."""
        from directcall_nb.partitioned import estimate

        return estimate(self._frame, text, phone=phone, journal=journal, options=options, **values)

    def send(
        self,
        text: str,
        *,
        phone: object,
        client: DirectCall | None = None,
        journal: JournalChoice = None,
        dry_run: bool = False,
        progress: bool | ProgressSink = True,
        options: Options | None = None,
        **values: Unpack[OptionValues],
    ) -> PartitionedReport:
        """Send a message to every valid row, exactly once, streaming the partitions."""
        from directcall_nb.partitioned import send

        return send(
            self._frame,
            text,
            phone=phone,
            client=client,
            journal=journal,
            dry_run=dry_run,
            progress=progress,
            options=options,
            **values,
        )

    def suppress(
        self,
        phone: object,
        *,
        reason: str,
        source: Literal["import", "manual", "reply"] = "import",
        journal: JournalChoice = None,
    ) -> SuppressionImport:
        """Put a column's numbers on the suppression list; see `directcall_nb.suppress`.

        Only that column is computed and brought to the client (a list of numbers).
        """
        from directcall_nb.partitioned import column_in_memory

        frame = column_in_memory(self._frame, phone)
        return DirectCallAccessor(frame).suppress(
            phone, reason=reason, source=source, journal=journal
        )

    def compose(self, **_: object) -> ComposeForm:
        """Refuse: the compose form needs a frame in memory (`PartitionedFrameGiven`)."""
        from directcall_nb.frames import not_in_memory

        raise not_in_memory()


def _register_with_dask(dask_frames: ModuleType) -> None:
    """Make ``ddf.directcall`` the partition-by-partition accessor."""
    dask_frames.extensions.register_dataframe_accessor("directcall")(PartitionedAccessor)


def _register_with_polars(polars: ModuleType) -> None:
    """Make ``pl.DataFrame.directcall`` the same accessor (on a LazyFrame, it says to collect)."""
    polars.api.register_dataframe_namespace("directcall")(DirectCallAccessor)
    polars.api.register_lazyframe_namespace("directcall")(DirectCallAccessor)


when_imported("polars", _register_with_polars)
when_imported("dask.dataframe", _register_with_dask)
