"""The suppression list as an estimate reads it: which rows' numbers opted out, and why.

The list lives in the journal's file (`directcall_nb.journal.Journal.suppressed`). An
`Estimator` reads it once per phone column (`find_opt_outs`): the numbers on the list first,
then, whole, only the entries of the numbers the column holds. The lookup is one hash join
over the column (Arrow's ``index_in``), not a loop over rows, and costs nothing when the list
is empty. Reading never creates a journal: without a file there is no list.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.display import clipped, quoted
from directcall_nb.errors import InvalidOption
from directcall_nb.estimation._reasons import Reason
from directcall_nb.moments import BRAZIL_TIME

if TYPE_CHECKING:
    from directcall_nb.estimation._phone_facts import PhoneFacts
    from directcall_nb.journal import Journal, Suppression

__all__ = [
    "OPTED_OUT",
    "JournalSource",
    "OptOuts",
    "SuppressionSnapshot",
    "find_opt_outs",
    "opt_out_reason",
]

#: The row status of a number on the suppression list.
OPTED_OUT = "opted_out"

#: Where the suppression list is read from: a journal, its file, None (or True) for the default
#: file, False for none (then no list is consulted), or a `SuppressionSnapshot` read before.
JournalSource: TypeAlias = "Journal | SuppressionSnapshot | str | os.PathLike[str] | bool | None"

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SuppressionSnapshot:
    """The suppression list as it was read at one moment, held in memory.

    What the estimate of each partition of a Dask frame reads, on whichever machine it runs:
    the list is read once, where the journal is, and travels with the work. It answers the two
    questions an estimate asks of a journal.

    Attributes
    ----------
    entries : dict of str to Suppression
        The whole list, by number (DirectCall's format).
    """

    entries: dict[str, Suppression]

    @classmethod
    def read(cls, journal: JournalSource) -> SuppressionSnapshot | None:
        """Read the list ``journal`` names (empty without a file); None for ``journal=False``.

        Raises
        ------
        InvalidOption
            ``journal`` is none of a `Journal`, a path, True, False or None.
        JournalError
            The file exists but cannot be read as a journal.
        """
        if journal is False:
            return None
        with _existing(journal) as opened:
            return cls({} if opened is None else dict(opened.suppressions()))

    def suppressed_phones(self) -> list[str]:
        """Return the numbers on the list."""
        return list(self.entries)

    def suppressions(self, phones: Iterable[str] | None = None) -> dict[str, Suppression]:
        """Return the entries of those of ``phones`` that are on the list (all when None)."""
        if phones is None:
            return dict(self.entries)
        return {phone: self.entries[phone] for phone in phones if phone in self.entries}


@dataclass(frozen=True)
class OptOuts:
    """Which rows of a phone column are on the suppression list, and why.

    Attributes
    ----------
    consulted : bool
        Whether a list was read; False when there is no journal (``journal=False``).
    codes : ndarray of int
        Per row, the index of its entry in `entries`; -1 for a number not on the list.
    entries : tuple of Suppression
        The entries of the list that the column's numbers match.
    """

    consulted: bool
    codes: IntArray
    entries: tuple[Suppression, ...]

    @cached_property
    def listed(self) -> BoolArray:
        """Per row: its number is on the list (computed once: estimates read it on every text)."""
        return self.codes >= 0 if self.entries else np.zeros(len(self.codes), dtype=bool)

    @cached_property
    def reasons(self) -> list[Reason]:
        """The reason of each entry, in the order of `entries`."""
        return [opt_out_reason(entry) for entry in self.entries]


def opt_out_reason(entry: Suppression) -> Reason:
    """Return why a row whose number is ``entry``'s is not sent: when and why it opted out.

    For a reply, the reply's own words (or the keyword it matched); for an imported list or a
    manual entry, the reason given. The date is Brazil time.
    """
    words = " ".join((entry.reply_text or entry.reason).split())
    return Reason(
        OPTED_OUT,
        source=entry.source,
        date=f"{entry.since.astimezone(BRAZIL_TIME):%d/%m/%Y}",
        text=clipped(words),
        reason=clipped(" ".join(entry.reason.split())),
    )


def find_opt_outs(phones: PhoneFacts, journal: JournalSource) -> OptOuts:
    """Read the suppression list of ``journal`` and find the rows of ``phones`` it holds.

    Parameters
    ----------
    phones : PhoneFacts
        The phone column, normalised.
    journal : Journal, path, bool, None or SuppressionSnapshot
        Where the list is: as ``journal=`` of `directcall_nb.send`, or a list read before. A
        file that does not exist holds no list (nothing is created); False consults none.

    Raises
    ------
    InvalidOption
        ``journal`` is none of a `Journal`, a path, True, False or None.
    JournalError
        The file exists but cannot be read as a journal.
    """
    none = np.broadcast_to(np.asarray(-1, dtype=np.int64), (len(phones),))  # no memory
    if journal is False:
        return OptOuts(False, none, ())
    with _existing(journal) as opened:
        listed = [] if opened is None else opened.suppressed_phones()
        if opened is None or not listed:
            return OptOuts(True, none, ())
        column = phones.answers.phone
        where = pc.index_in(column, value_set=pa.array(listed, type=column.type))
        codes = np.asarray(where.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
        found = np.unique(codes[codes >= 0])
        details = opened.suppressions([listed[k] for k in found.tolist()])
    kept = [k for k in found.tolist() if listed[k] in details]  # unless taken off meanwhile
    remap = np.full(len(listed) + 1, -1, dtype=np.int64)  # the last place stands for -1
    remap[kept] = np.arange(len(kept), dtype=np.int64)
    entries = tuple(details[listed[k]] for k in kept)
    return OptOuts(True, remap[codes], entries)


@contextmanager
def _existing(journal: JournalSource) -> Iterator[Journal | SuppressionSnapshot | None]:
    """Lend the journal ``journal`` names, opened only if its file exists; close what it opened."""
    from directcall_nb.journal import Journal, default_journal_path

    if isinstance(journal, Journal | SuppressionSnapshot):
        yield journal
        return
    if journal is None or journal is True:
        path = default_journal_path()
    elif isinstance(journal, str | os.PathLike):
        path = Path(journal).expanduser()
    else:
        raise InvalidOption(
            f"journal={quoted(journal)} is not accepted: give a Journal, the path of its file, "
            "None (the default file) or False (no journal)",
            option="journal",
            value=journal,
        )
    if not path.exists():
        yield None
        return
    with Journal(path) as opened:
        yield opened
