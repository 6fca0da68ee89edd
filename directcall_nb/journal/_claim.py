"""What a claim decides: how the recipients of one planned request are sorted.

Each recipient either is claimed now, or was sent before (with its callerid), or is ambiguous
(its earlier request may have left), or is being sent by another live process. `sort_recipients`
makes that decision from the live messages found in the journal; it reads and writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from directcall_nb.journal._store import LiveMessage

__all__ = ["Claim", "RecipientSort", "sort_recipients"]


@dataclass(frozen=True)
class Claim:
    """How the recipients of one planned request were sorted by `Journal.claim`.

    Attributes
    ----------
    request_id : int or None
        The new pending request holding exactly `claimed`; None when nothing was claimed.
    claimed : tuple of str
        The recipients to send to now.
    already_sent : dict of str to str
        Recipients sent before, with the callerid of that send.
    ambiguous : tuple of str
        Recipients whose earlier request may or may not have been sent: not sent again.
    in_progress : tuple of str
        Recipients another live process (or thread) is sending right now.
    tag : str or None
        The tag the request carries to DirectCall (a custom field); None when nothing was
        claimed.
    settled : dict of str to str
        Of the recipients already sent or ambiguous, those whose request the usage statement
        was asked about, with what it told, in words.
    """

    request_id: int | None
    claimed: tuple[str, ...]
    already_sent: dict[str, str]
    ambiguous: tuple[str, ...]
    in_progress: tuple[str, ...]
    tag: str | None = None
    settled: dict[str, str] = field(default_factory=dict)


@dataclass
class RecipientSort:
    """The recipients of a request as `sort_recipients` sorted them, before the request exists.

    Attributes
    ----------
    claimed : list of str
        The recipients to claim now.
    superseding : list of int
        The ids of the ambiguous messages that the new request claims anew.
    already_sent, ambiguous, in_progress, settled
        As in `Claim`.
    """

    claimed: list[str] = field(default_factory=list)
    superseding: list[int] = field(default_factory=list)
    already_sent: dict[str, str] = field(default_factory=dict)
    ambiguous: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)
    settled: dict[str, str] = field(default_factory=dict)

    def claim(self, request_id: int | None, tag: str | None) -> Claim:
        """Return the `Claim` of the request that holds `claimed` (None when nothing was)."""
        return Claim(
            request_id,
            tuple(self.claimed),
            self.already_sent,
            tuple(self.ambiguous),
            tuple(self.in_progress),
            tag,
            self.settled,
        )


def sort_recipients(
    recipients: Sequence[str],
    live: Mapping[str, LiveMessage],
    dead: Collection[int],
    *,
    resend_ambiguous: bool,
) -> RecipientSort:
    """Sort ``recipients`` by what became of their live messages.

    Parameters
    ----------
    recipients : sequence of str
        The numbers, each once.
    live : mapping of str to LiveMessage
        The live message of the same content to each recipient that has one.
    dead : collection of int
        The pending requests whose owner is gone: their messages count as ambiguous.
    resend_ambiguous : bool
        Claim ambiguous messages anew (they are then superseded).
    """
    sort = RecipientSort()
    for recipient in recipients:
        message = live.get(recipient)
        if message is None:
            sort.claimed.append(recipient)
            continue
        if message.state == "sent":
            sort.already_sent[recipient] = message.callerid or ""
        elif message.state == "pending" and message.request_id not in dead:
            sort.in_progress.append(recipient)
            continue
        elif resend_ambiguous:
            sort.superseding.append(message.id)
            sort.claimed.append(recipient)
            continue
        else:
            sort.ambiguous.append(recipient)
        if message.reconciliation:
            sort.settled[recipient] = message.reconciliation
    return sort
