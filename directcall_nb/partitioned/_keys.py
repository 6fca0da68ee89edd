"""Rows that repeat a row of an earlier partition: found once over the cluster, then checked.

A row is a duplicate when an earlier row has the same phone and the same final text. Inside a
partition the pandas estimate finds those; across partitions, each partition gives the keys of
the rows it would send (`sent_keys`: the phone as one exact 64-bit number, `phone_codes`, and a
64-bit BLAKE2 digest of the text), the cluster groups them on those two numbers
(`repeated_keys`), and the keys found in more than one partition are kept, each with the first
partition that has it. `EarlierRows` then marks, in any later partition, the rows whose phone
and text such a key names: the estimate of that partition calls it
(`directcall_nb.estimation.RepeatCheck`). Two different texts of one phone would have to share
a 64-bit digest to be taken for each other. Without dedupe, `spread_keys` counts each key's
rows per partition and `EarlierCopiesOf` numbers a later partition's copies after them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    import dask.dataframe as dd

    from directcall_nb.estimation import Estimate

__all__ = [
    "KEYS_META",
    "EarlierCopiesOf",
    "EarlierRows",
    "phone_codes",
    "repeated_keys",
    "sent_keys",
    "spread_keys",
    "text_digests",
]

BoolArray = npt.NDArray[np.bool_]

#: The columns of `sent_keys`, empty: what the cluster is told to expect.
KEYS_META = pd.DataFrame(
    {
        "phone": pd.Series(dtype=np.uint64),
        "text_hash": pd.Series(dtype=np.uint64),
        "part": pd.Series(dtype=np.int32),
        "segments": pd.Series(dtype=np.int64),
    }
)


#: Added to the number of a phone abroad (``"00"`` + country code + number), to keep it apart.
_ABROAD = np.uint64(10**18)


def phone_codes(phones: npt.NDArray[np.object_]) -> npt.NDArray[np.uint64]:
    """Return each phone (DirectCall's format) as one exact 64-bit number.

    A Brazilian number (``55`` + DDD + number, 12 or 13 digits) is its digits; a number abroad
    (``00`` + at most 15 digits) is its digits after the ``00``, plus 10**18. Grouping on two
    numbers is much cheaper than on a text and a number.
    """
    text = pa.array(phones, type=pa.string())
    abroad = pc.starts_with(text, "00")
    digits = pc.if_else(abroad, pc.utf8_slice_codeunits(text, 2), text)
    number = np.asarray(pc.cast(digits, pa.uint64()).to_numpy(zero_copy_only=False), np.uint64)
    return np.where(
        np.asarray(abroad.to_numpy(zero_copy_only=False), bool), number + _ABROAD, number
    )


def text_digests(texts: npt.NDArray[np.object_]) -> npt.NDArray[np.uint64]:
    """Return a 64-bit digest of each text, the same on every machine (BLAKE2b, 8 bytes).

    A campaign without placeholders, the same text on every row, costs one digest; otherwise
    each text is digested (telling the distinct ones apart first would cost more).
    """
    if len(texts) == 0:
        return np.zeros(0, dtype=np.uint64)
    first = texts[0]
    if isinstance(first, str) and bool((texts == first).all()):
        return np.full(len(texts), _digest(first), dtype=np.uint64)
    digests = b"".join(
        hashlib.blake2b(str(text).encode("utf-8", "surrogatepass"), digest_size=8).digest()
        for text in texts
    )
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


def _digest(text: str) -> int:
    data = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(data, "little")


def sent_keys(estimate: Estimate, number: int) -> pd.DataFrame:
    """Return the key of each row of ``estimate`` that would be sent, in partition ``number``."""
    positions = np.flatnonzero(estimate.sendable)
    return pd.DataFrame(
        {
            "phone": phone_codes(estimate.phones_at(positions)),
            "text_hash": text_digests(estimate.render(positions)),
            "part": np.full(len(positions), number, dtype=np.int32),
            "segments": estimate.segments_at(positions).astype(np.int64),
        }
    )


def repeated_keys(keys: dd.DataFrame) -> dd.DataFrame:
    """Gather every partition's keys by phone; keep those of more than one partition (lazy).

    Columns ``phone`` and ``text_hash``, then ``first`` (the first partition that has the key),
    ``copies`` (how many partitions have it) and ``segments`` (per message). The keys are
    shuffled by phone, so that all the rows of a key meet in one partition, where pandas finds
    the repeated ones.
    """
    together = keys.shuffle(on="phone")
    return cast("dd.DataFrame", together.map_partitions(_repeated, meta=_repeated(KEYS_META)))


def _repeated(keys: pd.DataFrame) -> pd.DataFrame:
    """Return the keys of ``keys`` found more than once, with their first partition and count."""
    again = keys[keys.duplicated(["phone", "text_hash"], keep=False)]
    grouped = again.groupby(["phone", "text_hash"], sort=False).agg(
        first=("part", "min"), copies=("part", "size"), segments=("segments", "max")
    )
    return grouped.reset_index().astype({"first": np.int32, "copies": np.int64})


def spread_keys(keys: dd.DataFrame) -> dd.DataFrame:
    """Count each key's rows per partition; keep the keys of more than one partition (lazy).

    What a send with ``dedupe=False`` numbers its copies by: columns ``phone``, ``text_hash``,
    ``part`` and ``count`` (the rows of that partition with that phone and text).
    """
    together = keys.shuffle(on="phone")
    return cast("dd.DataFrame", together.map_partitions(_spread, meta=_spread(KEYS_META)))


def _spread(keys: pd.DataFrame) -> pd.DataFrame:
    """Return the rows per partition of the keys of ``keys`` found in more than one partition."""
    sizes = keys.groupby(["phone", "text_hash", "part"], sort=False).size()
    counted = sizes.rename("count").reset_index().astype({"count": np.int64})
    parts = counted.groupby(["phone", "text_hash"], sort=False)["part"].transform("size")
    kept: pd.DataFrame = counted[parts.to_numpy() > 1]
    return kept


def _keys_among(
    codes: npt.NDArray[np.uint64],
    earlier: pd.DataFrame,
    texts_at: Callable[[npt.NDArray[np.intp]], npt.NDArray[np.object_]],
) -> tuple[npt.NDArray[np.intp], pd.MultiIndex]:
    """Return the rows whose phone ``earlier`` has, and their keys (their texts digested).

    Only those rows' texts are asked for (``texts_at``): rendering is the costly part.
    """
    rows = np.flatnonzero(np.isin(codes, earlier["phone"].to_numpy()))
    digests = text_digests(texts_at(rows)) if len(rows) else np.zeros(0, dtype=np.uint64)
    keys = pd.MultiIndex.from_arrays([codes[rows], digests], names=["phone", "text_hash"])
    return rows, keys


@dataclass(frozen=True)
class EarlierCopiesOf:
    """Counts, for partition `number`, the copies of each message earlier partitions hold.

    The `directcall_nb.plan.EarlierCopies` of a Dask send with ``dedupe=False``.

    Attributes
    ----------
    spread : DataFrame
        The keys of more than one partition, as `spread_keys` gives them (computed).
    number : int
        The partition being planned.
    """

    spread: pd.DataFrame
    number: int

    def __call__(
        self, phones: npt.NDArray[np.object_], texts: npt.NDArray[np.object_]
    ) -> npt.NDArray[np.int64]:
        """Return, per recipient, the rows of earlier partitions with its phone and text."""
        before = np.zeros(len(phones), dtype=np.int64)
        earlier = self.spread[self.spread["part"] < self.number]
        if earlier.empty:
            return before
        counts = earlier.groupby(["phone", "text_hash"])["count"].sum()
        rows, found = _keys_among(phone_codes(phones), earlier, lambda rows: texts[rows])
        before[rows] = counts.reindex(found, fill_value=0).to_numpy(dtype=np.int64)
        return before


@dataclass(frozen=True)
class EarlierRows:
    """Marks the rows of partition `number` whose phone and text an earlier partition has.

    Attributes
    ----------
    repeated : DataFrame
        The keys of more than one partition, as `repeated_keys` gives them (computed).
    number : int
        The partition being estimated.
    """

    repeated: pd.DataFrame
    number: int

    def __call__(self, estimate: Estimate, candidates: BoolArray) -> BoolArray:
        """Return, per row, whether it is one of ``candidates`` and an earlier partition's."""
        marked = np.zeros(len(candidates), dtype=bool)
        earlier = self.repeated[self.repeated["first"] < self.number]
        if earlier.empty:
            return marked
        positions = np.flatnonzero(candidates)
        rows, found = _keys_among(
            phone_codes(estimate.phones_at(positions)),
            earlier,
            lambda rows: estimate.render(positions[rows]),
        )
        index = pd.MultiIndex.from_frame(earlier[["phone", "text_hash"]])
        marked[positions[rows[found.isin(index)]]] = True
        return marked
