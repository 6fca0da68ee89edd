"""The usage statement (``/extrato/list``) read page by page, looking for one tagged send.

DirectCall does not document the statement's answer, so `StatementReader` reads it
defensively and concludes only what the pages allow: `StatementSearch` says the send is
``listed``, certainly ``absent``, or ``unknown``. The query itself is made by ``_listings``.
Nothing here speaks HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from directcall_nb.client._envelope import Answer, list_items
from directcall_nb.client._fields import CUSTOM_FIELDS
from directcall_nb.client._responses import shortened
from directcall_nb.vocabulary import is_digits

__all__ = ["StatementReader", "StatementSearch", "Verdict"]

#: What a search of the statement concluded: the entry is there, certainly not there, or
#: the answer does not allow to tell.
Verdict = Literal["listed", "absent", "unknown"]


@dataclass(frozen=True)
class StatementSearch:
    """What the usage statement (``/extrato/list``) says of one tagged send.

    Attributes
    ----------
    verdict : {"listed", "absent", "unknown"}
        ``listed``: an entry carries the tag. ``absent``: the statement answered every page of
        the period, every entry shows its custom fields, and none carries the tag.
        ``unknown``: anything else (an answer of a shape not understood, pages that cannot be
        told complete): never read as ``absent``.
    reason : str
        Why, in words.
    entries : tuple of dict
        The entries that carry the tag.
    callerid : str or None
        The send's callerid, when the entries that carry the tag agree on one.
    pages : int
        Pages read.
    """

    verdict: Verdict
    reason: str
    entries: tuple[Answer, ...] = ()
    callerid: str | None = None
    pages: int = 0

    def __repr__(self) -> str:
        return (
            f"StatementSearch(verdict={self.verdict!r}, callerid={self.callerid!r}, "
            f"entries={len(self.entries)}, pages={self.pages}, reason={shortened(self.reason)!r})"
        )


def _holds(value: Any, tag: str) -> bool:
    """Tell whether ``tag`` is, exactly, one of the values inside ``value`` (a dict or a list)."""
    if isinstance(value, dict):
        return any(_holds(item, tag) for item in value.values())
    if isinstance(value, list):
        return any(_holds(item, tag) for item in value)
    return isinstance(value, str) and value.strip() == tag


def _whole(value: Any) -> int | None:
    """Return a whole number given as an int or as digits; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and is_digits(value.strip()):
        return int(value.strip())
    return None


def _callerid_of(entries: list[Answer]) -> str | None:
    found = {str(e.get("callerid")).strip() for e in entries if e.get("callerid") not in (None, "")}
    found = {c for c in found if is_digits(c)}
    return found.pop() if len(found) == 1 else None


class StatementReader:
    """Reads the pages of a statement search, one answer at a time, and concludes.

    An entry is found when one of its values is exactly the tag, wherever it sits (the
    sandbox puts it in ``campos``; DirectCall does not document the answer). Absence is
    concluded only when every page was read and every entry shows its custom fields
    (a ``campos`` key), so that a tag left out of the answer is never taken for a send that
    is not there.

    Parameters
    ----------
    tag : str
        The value to look for.
    period : str
        The period asked for, in words, for the reasons.
    max_pages : int
        Pages read at most; more gives ``unknown``.
    """

    def __init__(self, tag: str, *, period: str, max_pages: int) -> None:
        self.tag = tag
        self.period = period
        self.max_pages = max_pages
        self.page = 1
        self._seen = 0
        self._previous: list[Any] | None = None

    def _unknown(self, why: str) -> StatementSearch:
        """Return the conclusion ``unknown``, for the reason ``why``."""
        return StatementSearch("unknown", why, pages=self.page)

    def feed(self, answer: Answer) -> StatementSearch | None:
        """Read the answer for `page`; return the conclusion, or None to ask for the next page."""
        entries = self._entries(answer.get("msg"))
        if isinstance(entries, StatementSearch):
            return entries
        matches = [entry for entry in entries if _holds(entry, self.tag)]
        if matches:
            return StatementSearch(
                "listed",
                self._listed(len(matches)),
                tuple(matches),
                _callerid_of(matches),
                self.page,
            )
        doubt = self._doubt(entries, answer.get("pagina"))
        if doubt is not None:
            return doubt
        self._seen += len(entries)
        total = _whole(answer.get("total"))
        if self._read_all(entries, _whole(answer.get("paginas")), total):
            return self._concluded(total)
        return self._turn_page(entries)

    def _entries(self, msg: Any) -> list[Answer] | StatementSearch:
        """Return the entries of a page's ``msg``, or ``unknown`` when it holds no list of them.

        An object alone that carries the tag is read as the one entry of its page.
        """
        if isinstance(msg, str) and msg.strip():
            return self._unknown(f"the statement answered a text, not a list: {shortened(msg)!r}")
        if isinstance(msg, dict):
            if _holds(msg, self.tag):
                return [msg]
            return self._unknown("the statement answered an object, not a list of entries")
        if msg is not None and not isinstance(msg, list | str):
            return self._unknown(f"the statement answered {type(msg).__name__}, not a list")
        entries = list_items(msg)
        if not all(isinstance(entry, dict) for entry in entries):
            return self._unknown("some entries of the statement are not records")
        return entries

    def _doubt(self, entries: list[Answer], answered_page: Any) -> StatementSearch | None:
        """Return ``unknown`` when a page without the tag cannot be told to lack it; else None.

        That is when an entry does not show its custom fields, or the page answered is not the
        one asked for.
        """
        if any(CUSTOM_FIELDS not in entry for entry in entries):
            return self._unknown(
                "the statement's entries do not show their custom fields, so whether the "
                "request is among them cannot be told"
            )
        if answered_page not in (None, "") and _whole(answered_page) != self.page:
            return self._unknown(
                f"page {self.page} was asked for and the statement answered page {answered_page!r}"
            )
        return None

    def _read_all(self, entries: list[Answer], pages: int | None, total: int | None) -> bool:
        """Tell whether this page is the last: empty, the last one counted, or the total reached."""
        last = not entries or (pages is not None and self.page >= pages)
        return last or (total is not None and self._seen >= total)

    def _concluded(self, total: int | None) -> StatementSearch:
        """Return ``absent`` after the last page, or ``unknown`` if the count disagrees."""
        if total is not None and self._seen != total:
            return self._unknown(f"the statement counts {total} entries but listed {self._seen}")
        return StatementSearch(
            "absent",
            f"not in the statement of {self.period} ({self._seen} entries on "
            f"{self.page} pages, none with this request's id)",
            pages=self.page,
        )

    def _turn_page(self, entries: list[Answer]) -> StatementSearch | None:
        """Move on to the next page; return ``unknown`` when no further page can be read."""
        if entries == self._previous:
            return self._unknown(
                "the statement gave the same entries for two pages, so the rest cannot be read"
            )
        if self.page >= self.max_pages:
            return self._unknown(f"the statement has more than {self.max_pages} pages")
        self._previous = entries
        self.page += 1
        return None

    def _listed(self, count: int) -> str:
        """Return why the send is ``listed``: ``count`` entries carry the tag."""
        return f"listed in the statement of {self.period} ({count} entries with this request's id)"
