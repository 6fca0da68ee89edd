"""``df.directcall``: the DataFrame entry points, each a one-line delegation, pandas and Polars.

The one accessor class serves both: pandas' ``register_dataframe_accessor`` registers it at
import, and Polars' ``register_dataframe_namespace`` the moment Polars is imported — at once when
the session has imported it already, otherwise right after a later ``import polars`` (see
`directcall_nb.frames.when_imported`), so that ``import directcall_nb`` never imports Polars.
The functions it delegates to read a Polars frame through Arrow and give back Polars frames.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Literal, Unpack

import pandas as pd

from directcall_nb.frames import AnyFrame, ResultFrame, when_imported

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.estimation import Estimate
    from directcall_nb.opt_outs import SuppressionImport
    from directcall_nb.options import Options, OptionValues
    from directcall_nb.report import SendReport
    from directcall_nb.sending import JournalChoice, ProgressSink
    from directcall_nb.widgets import ComposeForm
    from directcall_nb.windows import Window

__all__ = ["DirectCallAccessor"]


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


def _register_with_polars(polars: ModuleType) -> None:
    """Make ``pl.DataFrame.directcall`` the same accessor (on a LazyFrame, it says to collect)."""
    polars.api.register_dataframe_namespace("directcall")(DirectCallAccessor)
    polars.api.register_lazyframe_namespace("directcall")(DirectCallAccessor)


when_imported("polars", _register_with_polars)
