"""What a send works with: the client (the session's, or from the environment) and the journal.

`use_client` sets the client that `send`, `reconcile` and a report's follow-up calls use when
none is given (``%directcall sandbox`` and ``%directcall login`` set it); `open_journal` turns
the caller's choice of journal (`JournalChoice`) into an open `Journal`, or none.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeAlias

from directcall_nb.errors import InvalidOption

if TYPE_CHECKING:
    from directcall_nb.client import DirectCall
    from directcall_nb.journal import Journal

__all__ = ["JournalChoice", "default_client", "open_journal", "use_client"]

#: How a caller names the journal: one, a path, None (or True) for the default file, False for
#: none.
JournalChoice: TypeAlias = "Journal | str | os.PathLike[str] | bool | None"

_default_client: DirectCall | None = None


def use_client(client: DirectCall | None) -> None:
    """Make ``client`` the one `send` uses when none is passed (None forgets it).

    ``%directcall sandbox`` and ``%directcall login`` call this in a notebook.
    """
    global _default_client
    _default_client = client


def default_client() -> DirectCall:
    """Return the client set with `use_client`, else one built from the environment.

    Raises
    ------
    MissingCredentials
        When no client was set and the environment holds no credentials.
    """
    if _default_client is not None:
        return _default_client
    from directcall_nb.client import DirectCall

    return DirectCall()


def open_journal(
    journal: JournalChoice,
) -> tuple[Journal | None, bool]:
    """Return the journal a send records in, and whether the send opened it (and must close it).

    Raises
    ------
    InvalidOption
        ``journal`` is none of a `Journal`, a path, True, False or None.
    JournalError
        The file cannot be opened.
    """
    from directcall_nb.journal import Journal

    if journal is False:
        return None, False
    if isinstance(journal, Journal):
        return journal, False
    if journal is None or journal is True:
        return Journal(), True
    if isinstance(journal, str | os.PathLike):
        return Journal(journal), True
    raise InvalidOption(
        f"journal={journal!r} is not accepted: give a Journal, the path of its file, None (the "
        "default file) or False (no journal)",
        option="journal",
        value=journal,
    )
