"""Opt-outs imported: a frame's column of numbers put on the journal's suppression list.

A company's own opt-out list, or a "Não Me Ligue" export, read as a DataFrame:
``df.directcall.suppress(phone="telefone", reason="lista Não Me Ligue")`` (or
`directcall_nb.suppress`) puts every valid number of the column on the suppression list of the
journal, which every later estimate, dry run, send and compose form then leaves out. Numbers
are read as everywhere else (`directcall_nb.normalize_phones`, foreign numbers included); an
invalid one is reported with its reason, row by row, never dropped in silence.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from directcall_nb.columns import require_column
from directcall_nb.display import EMPTY_VALUE, html_table, mask_phone
from directcall_nb.errors import InvalidOption
from directcall_nb.frames import AnyFrame, read_frame
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

if TYPE_CHECKING:
    from directcall_nb.sending import JournalChoice

__all__ = ["SuppressionImport", "suppress"]

#: Invalid rows listed under the summary.
_SHOWN_INVALID = 10


@dataclass(frozen=True, eq=False)
class SuppressionImport:
    """What importing a column into the suppression list did, row by row.

    Attributes
    ----------
    rows : DataFrame
        Indexed like the frame: ``input`` (the value as given), ``phone`` (DirectCall's
        format, <NA> when invalid), ``result`` (``added``, ``already`` on the list, or
        ``invalid``) and ``reason`` (why an invalid value is not a phone number, in English).
    journal : Path
        The journal whose list was written.
    """

    rows: pd.DataFrame
    journal: Path

    @property
    def added(self) -> int:
        """Numbers put on the list by this import (each counted once)."""
        return self._distinct("added")

    @property
    def already(self) -> int:
        """Numbers that were on the list already (each counted once)."""
        return self._distinct("already")

    @property
    def invalid(self) -> int:
        """Rows whose value is not a phone number: nothing was added for them."""
        return int((self.rows["result"] == "invalid").sum())

    def _distinct(self, result: str) -> int:
        return int(self.rows.loc[self.rows["result"] == result, "phone"].nunique())

    def summary(self, language: Language | None = None) -> str:
        """Return the counts in one line: ``"2 números incluídos, 1 inválido, não incluído"``."""
        from directcall_nb.i18n import say_count

        counts = (("import_added", self.added), ("import_already", self.already))
        parts = [say_count(key, n, language) for key, n in counts if n or key == "import_added"]
        if self.invalid:
            parts.append(say_count("import_invalid", self.invalid, language))
        return ", ".join(parts)

    def __repr__(self) -> str:
        from directcall_nb.i18n import say

        language = current_language()
        lines = [f"{say('import_title', language)}: {self.summary(language)}"]
        lines += [f"  {label}: {phone} — {why}" for label, phone, why in self._invalid(language)]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, language: Language | None = None) -> str:
        """Write the summary as HTML, then the first invalid rows with their reasons (masked).

        Parameters
        ----------
        language : {"pt", "en"}, optional
            Default: ``directcall_nb.options.language``.
        """
        from directcall_nb.i18n import say, say_count

        language = language or current_language()
        head = f"<b>{html.escape(say('import_title', language))}</b>: "
        parts = [f"<div class='directcall-suppression'>{head}{html.escape(self.summary(language))}"]
        shown = self._invalid(language)
        if shown:
            header = [say(k, language) for k in ("col_row", "col_phone", "col_reason")]
            title = html.escape(say("import_invalid_title", language))
            parts.append(f"<details open><summary>{title}</summary>{html_table(header, shown)}")
            more = self.invalid - len(shown)
            if more:
                parts.append(f"<div>{html.escape(say_count('more_rows', more, language))}</div>")
            parts.append("</details>")
        parts.append("</div>")
        return "".join(parts)

    def _invalid(self, language: Language) -> list[tuple[object, str, str]]:
        """Return the first invalid rows: label, value as given (masked), reason in words."""
        from directcall_nb.display import mask_numbers
        from directcall_nb.phones import explain_phone

        invalid = self.rows[self.rows["result"] == "invalid"].head(_SHOWN_INVALID)
        return [
            (
                label,
                mask_phone(value) or EMPTY_VALUE[language],
                mask_numbers(
                    explain_phone(value, allow_international=True, language=language) or ""
                ),
            )
            for label, value in zip(invalid.index, invalid["input"], strict=True)
        ]


def suppress(
    frame: AnyFrame,
    *,
    phone: object,
    reason: str,
    source: Literal["import", "manual", "reply"] = "import",
    journal: JournalChoice = None,
) -> SuppressionImport:
    """Put the numbers of a frame's column on the journal's suppression list.

    Parameters
    ----------
    frame : DataFrame or polars.DataFrame
        The list to import (the company's opt-outs, a "Não Me Ligue" export). A Polars frame's
        rows are labelled by position in `SuppressionImport.rows` (a pandas frame).
    phone : object
        The column that holds the numbers, in any form `directcall_nb.normalize_phones` reads.
    reason : str
        Why they are on the list, in words (``"lista Não Me Ligue"``); the reason every row
        left out for it shows.
    source : {"import", "manual", "reply"}, default "import"
        Where the entries come from.
    journal : Journal, path, True or None, default None
        The journal whose list is written, as in `directcall_nb.send` (None: the default
        file). False is refused: without a journal there is no list.

    Returns
    -------
    SuppressionImport
        Per row of ``frame``: ``added``, ``already`` on the list, or ``invalid`` with the
        reason; its display sums it up.

    Raises
    ------
    ColumnNotFound
        ``phone`` names no column of ``frame``.
    InvalidOption
        ``reason`` is empty, ``source`` is unknown, or ``journal`` is False or not a journal.
    JournalError
        The journal cannot be written.
    """
    from directcall_nb.sending import open_journal

    frame, _ = read_frame(frame)
    column = require_column(frame, phone, what="phone column")
    opened, owned = open_journal(journal)
    if opened is None:
        raise InvalidOption(
            "the suppression list is kept in the journal, and journal=False has none: give "
            "journal=None (the default file), a path or a Journal",
            option="journal",
            value=journal,
        )
    try:
        result = opened.suppress(column, reason=reason, source=source)
    finally:
        if owned:
            opened.close()
    return SuppressionImport(result.set_axis(frame.index), opened.path)
