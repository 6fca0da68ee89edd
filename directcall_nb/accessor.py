"""``df.directcall``: the DataFrame entry points, each a one-line delegation."""

from __future__ import annotations

import os
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.estimate import Channel, Estimate, Policy
    from directcall_nb.journal import Journal
    from directcall_nb.report import SendReport
    from directcall_nb.widgets.form import ComposeForm

__all__ = ["DirectCallAccessor"]


@pd.api.extensions.register_dataframe_accessor("directcall")
class DirectCallAccessor:
    """Validate, estimate and send messages to the rows of a DataFrame.

    The accessor keeps nothing but the frame: every call works on the frame as it is now.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def validate(self, phone: object, *, allow_international: bool = False) -> pd.DataFrame:
        """Normalise a phone column; see `directcall_nb.validate`."""
        from directcall_nb.columns import validate

        return validate(self._frame, phone=phone, allow_international=allow_international)

    def estimate(
        self,
        text: str,
        *,
        phone: object,
        channel: Channel = "sms",
        sender: str | None = None,
        show_sender: bool = False,
        policy: Policy = "directcall",
        price_per_segment: Decimal | float | str | None = None,
        dedupe: bool = True,
        fill: str | None = None,
        allow_international: bool = False,
    ) -> Estimate:
        """Estimate a message for every row; see `directcall_nb.estimate`."""
        from directcall_nb.estimate import estimate

        return estimate(
            self._frame,
            text,
            phone=phone,
            channel=channel,
            sender=sender,
            show_sender=show_sender,
            policy=policy,
            price_per_segment=price_per_segment,
            dedupe=dedupe,
            fill=fill,
            allow_international=allow_international,
        )

    def send(
        self,
        text: str,
        *,
        phone: object,
        sender: str,
        client: DirectCall | None = None,
        channel: Channel = "sms",
        show_sender: bool = False,
        policy: Policy = "directcall",
        price_per_segment: Decimal | float | str | None = None,
        dedupe: bool = True,
        fill: str | None = None,
        allow_international: bool = False,
        schedule: datetime | None = None,
        short_number: bool | None = None,
        dry_run: bool = False,
        max_cost: Decimal | float | str | None = None,
        journal: Journal | str | os.PathLike[str] | bool | None = None,
        resend_ambiguous: bool = False,
        concurrency: int = 16,
        rate_limit: float | None = None,
        progress: bool = True,
    ) -> SendReport:
        """Send a message to every valid row, exactly once; see `directcall_nb.send`."""
        from directcall_nb.campaign import send

        return send(
            self._frame,
            text,
            phone=phone,
            sender=sender,
            client=client,
            channel=channel,
            show_sender=show_sender,
            policy=policy,
            price_per_segment=price_per_segment,
            dedupe=dedupe,
            fill=fill,
            allow_international=allow_international,
            schedule=schedule,
            short_number=short_number,
            dry_run=dry_run,
            max_cost=max_cost,
            journal=journal,
            resend_ambiguous=resend_ambiguous,
            concurrency=concurrency,
            rate_limit=rate_limit,
            progress=progress,
        )

    def compose(
        self,
        *,
        phone: object = None,
        client: DirectCall | None = None,
        sender: str | None = None,
        language: str = "pt",
        journal: Journal | str | os.PathLike[str] | bool | None = None,
        text: str = "",
    ) -> ComposeForm:
        """Open the compose form (a widget); see `directcall_nb.widgets.form.ComposeForm`."""
        from directcall_nb.widgets.form import ComposeForm

        return ComposeForm(
            self._frame,
            phone=phone,
            client=client,
            sender=sender,
            language=language,
            journal=journal,
            text=text,
        )
