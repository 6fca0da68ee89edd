"""The recipients of one send, written as DirectCall takes them: inline, or as a file.

Up to `INLINE_RECIPIENTS` numbers go in the ``destino`` field, joined by ``;``; more go one per
line in a ``destino_csv`` file, spooled so that a generator of millions is never held whole in
memory. Each number is checked first (`recipient_number`). Nothing here speaks HTTP.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from directcall_nb.client._fields import FilePart, recipient_number
from directcall_nb.errors import InputError
from directcall_nb.vocabulary import INLINE_RECIPIENTS

__all__ = ["SPOOL_IN_MEMORY_BYTES", "Recipients", "spool_recipients"]

#: A recipient file is kept in memory up to this size, and spooled to a temporary file above it.
SPOOL_IN_MEMORY_BYTES = 1 << 20

_LINES_PER_WRITE = 8192


@dataclass(frozen=True)
class Recipients:
    """The recipients of one send, written either inline or as a file.

    Attributes
    ----------
    count : int
        How many there are.
    inline : str or None
        The ``destino`` field (numbers joined by ``;``) when there are at most 10.
    file : FilePart or None
        The ``destino_csv`` file part (one number per line) when there are more.
    """

    count: int
    inline: str | None
    file: FilePart | None

    def form_fields(self) -> dict[str, str]:
        """Return the ``destino`` field when the recipients go inline; none otherwise."""
        return {} if self.inline is None else {"destino": self.inline}

    def file_parts(self) -> dict[str, FilePart]:
        """Return the ``destino_csv`` file part when the recipients go in a file; none otherwise."""
        return {} if self.file is None else {"destino_csv": self.file}


def _numbers(to: object) -> Iterator[str]:
    if isinstance(to, str | int) and not isinstance(to, bool):
        yield recipient_number(to, 0)
        return
    if isinstance(to, bytes | bytearray) or not isinstance(to, Iterable):
        raise InputError(
            f"recipients must be a number, a list or another iterable of numbers, "
            f"not {type(to).__name__}"
        )
    for position, value in enumerate(to):
        yield recipient_number(value, position)


@contextmanager
def spool_recipients(to: object) -> Iterator[Recipients]:
    """Check every recipient, then write them as DirectCall takes them.

    Up to 10 go inline. More are written one per line to a ``tempfile.SpooledTemporaryFile``
    (in memory up to `SPOOL_IN_MEMORY_BYTES`, on disk above), so that millions of numbers from a
    generator are never held whole in memory, and the upload still has a known length. The file
    is removed when the block ends.

    Parameters
    ----------
    to : str, int or iterable of str / int
        One recipient, or many.

    Raises
    ------
    InputError
        When there is none, or one is not a DirectCall number (named with its position).
    """
    numbers = _numbers(to)
    first = list(itertools.islice(numbers, INLINE_RECIPIENTS + 1))
    if not first:
        raise InputError("there are no recipients")
    if len(first) <= INLINE_RECIPIENTS:
        yield Recipients(len(first), ";".join(first), None)
        return
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES, mode="w+b") as spool:
        count = 0
        block = first
        while block:
            spool.write(("\n".join(block) + "\n").encode("ascii"))
            count += len(block)
            block = list(itertools.islice(numbers, _LINES_PER_WRITE))
        size = spool.tell()
        content: IO[bytes] | bytes
        if size <= SPOOL_IN_MEMORY_BYTES:  # still in memory: hand over the bytes
            spool.seek(0)
            content = spool.read()
        else:  # on disk: httpx streams the file and reads its length from the file system
            spool.flush()
            spool.seek(0)
            content = spool
        yield Recipients(count, None, ("destinos.csv", content, "text/csv"))
