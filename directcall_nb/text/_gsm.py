r"""The carriers' SMS rules: the GSM 03.38 alphabet, grapheme clusters and how texts fill parts.

These are the rules that ``policy="gsm"`` in :mod:`directcall_nb.text` bills by. They follow the
behaviour of the open-source message segment calculator that Twilio publishes:

- A text is GSM-7 when every character is in the GSM 03.38 basic set or its extension table;
  a single other character makes the whole text UCS-2 (no "smart encoding" substitutions).
- GSM-7: a basic character takes one septet, an extension character (``\f ^ { } \ [ ] ~ |`` and
  ``€``) two (escape + character). One part holds 160 septets; a text longer than that is split
  into parts of 153 septets (the other 7 octets carry the concatenation header).
- UCS-2: one part holds 70 UTF-16 code units, split texts 67 per part. A character outside the
  Basic Multilingual Plane (most emoji) takes two units.
- The text is cut into *items* that a part never splits: an extension character (two septets) in
  GSM-7, a grapheme cluster (an emoji with its skin tone or ZWJ sequence, a flag, a letter with
  combining accents) in UCS-2. A CR LF pair counts as two separate characters. Parts are filled
  greedily, so an item straddling a part boundary moves to the next part and the count can exceed
  ``ceil(units / 153)``.

Grapheme clusters follow the extended grapheme cluster rules of Unicode's UAX #29, over the
character kinds of :mod:`directcall_nb.text._char_kinds`. Rare sequences may cluster differently
from other implementations; only where such a cluster straddles a part boundary can the count
differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from directcall_nb.text._char_kinds import (
    CONTROL,
    EXTEND,
    JOINERS,
    LV,
    LVT,
    MODIFIER,
    PICT,
    PREPEND,
    RI,
    SPACING,
    ZWJ,
    L,
    T,
    V,
    char_kind,
)

__all__ = [
    "GSM7_LIMITS",
    "GSM_BASIC",
    "GSM_EXTENSION",
    "MAX_LAYOUT_ITEM",
    "UCS2_LIMITS",
    "ItemIndex",
    "Layout",
    "count_parts",
    "count_parts_vectorised",
    "fill_parts",
    "grapheme_clusters",
    "gsm_items",
    "is_gsm",
    "layout",
]

#: The GSM 03.38 basic character set (the escape code 0x1B itself is not a character).
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The GSM 03.38 extension table: each of these takes two septets.
GSM_EXTENSION = "\f^{}\\[~]|€"

_BASIC = frozenset(GSM_BASIC)
_EXTENSION = frozenset(GSM_EXTENSION)

#: Part sizes: (single-part limit, per-part capacity once split), in septets or UTF-16 units.
GSM7_LIMITS = (160, 153)
UCS2_LIMITS = (70, 67)

#: Items longer than this many units are left to the scalar count (see :func:`layout`).
MAX_LAYOUT_ITEM = 32


def is_gsm(text: str) -> bool:
    """Return True when every character of ``text`` is in the GSM-7 basic or extension set."""
    return all(ch in _BASIC or ch in _EXTENSION for ch in text)


# -- grapheme clusters -------------------------------------------------------------------------


def _joined(before: int, after: int, ri_run: int, pict_zwj: bool) -> bool:
    """Whether no cluster boundary falls between characters of kinds ``before`` and ``after``.

    ``ri_run`` counts the regional indicators just before; ``pict_zwj`` tells whether the text
    before ends with a pictograph, any extending characters, and a zero width joiner.
    """
    if before == CONTROL or after == CONTROL:
        return False  # includes CR LF, which are counted as two characters
    if after in (EXTEND, ZWJ, SPACING) or before == PREPEND:
        return True
    if after == MODIFIER:  # a skin tone joins an emoji, and nothing else
        return before == PICT
    if before == L:
        return after in (L, V, LV, LVT)
    if before in (LV, V):
        return after in (V, T)
    if before in (LVT, T):
        return after == T
    if after == PICT:
        return pict_zwj
    return before == RI and after == RI and ri_run % 2 == 1


def grapheme_clusters(text: str) -> list[str]:
    r"""Split ``text`` into grapheme clusters (what a reader sees as one character).

    Examples
    --------
    >>> grapheme_clusters("Oi 🇧🇷👍🏽\r\n")
    ['O', 'i', ' ', '🇧🇷', '👍🏽', '\r', '\n']
    >>> [len(c) for c in grapheme_clusters("e\u0301!")]  # e + combining acute
    [2, 1]
    """
    clusters: list[str] = []
    start = 0
    previous = -1
    ri_run = 0
    pict = 0  # 1: after a pictograph and extenders; 2: and then a zero width joiner
    for index, ch in enumerate(text):
        kind = char_kind(ch)
        if index and not _joined(previous, kind, ri_run, pict == 2):
            clusters.append(text[start:index])
            start = index
        ri_run = ri_run + 1 if kind == RI else 0
        if kind == PICT or (pict == 1 and kind in (EXTEND, MODIFIER)):
            pict = 1
        else:
            pict = 2 if pict == 1 and kind == ZWJ else 0
        previous = kind
    if text:
        clusters.append(text[start:])
    return clusters


# -- filling parts -----------------------------------------------------------------------------


def gsm_items(text: str) -> tuple[list[str], list[int], tuple[int, int]]:
    """Return the unsplittable items of ``text`` under the GSM rule, their sizes and limits.

    A GSM-7 text is made of characters of 1 septet (2 for an extension character), with the
    limits 160 / 153; any other text of grapheme clusters of their UTF-16 units, with the
    limits 70 / 67.
    """
    if is_gsm(text):
        return list(text), [2 if ch in _EXTENSION else 1 for ch in text], GSM7_LIMITS
    clusters = grapheme_clusters(text)
    return clusters, [_utf16_units(c) for c in clusters], UCS2_LIMITS


def fill_parts(sizes: Iterable[int], single: int, capacity: int) -> list[int]:
    """Count the items each part takes, when items of the given sizes fill SMS parts.

    The first part holds up to ``single`` units. Once an item does not fit, the text is split:
    the first part keeps only the items that fit in ``capacity`` units (the rest move on), and
    every later part takes items while they fit in ``capacity``; an item never straddles two
    parts. An item larger than a whole part is put alone in a fresh part.

    Parameters
    ----------
    sizes : iterable of int
        The size of each item, in order (septets, or UTF-16 code units).
    single, capacity : int
        The single-part limit and the capacity of each part of a split text.

    Returns
    -------
    list of int
        The number of items in each part, in order (``[0]`` for an empty text).
    """
    parts: list[list[int]] = [[]]
    used = [0]
    for size in sizes:
        limit = single if len(parts) == 1 else capacity
        if limit - used[-1] < size:
            moved: list[int] = []
            if len(parts) == 1:  # the first part now carries a header too
                while used[0] > capacity:
                    last = parts[0].pop()
                    used[0] -= last
                    moved.insert(0, last)
            parts.append(moved)
            used.append(sum(moved))
        parts[-1].append(size)
        used[-1] += size
    return [len(part) for part in parts]


def count_parts(sizes: Iterable[int], single: int, capacity: int) -> int:
    """Count the parts that items of the given sizes fill (see `fill_parts`); 1 when empty."""
    return len(fill_parts(sizes, single, capacity))


def _utf16_units(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class Layout:
    """The unsplittable items of a text that take more than one unit.

    Attributes
    ----------
    gsm : tuple of (int, int)
        ``(start, size)`` in septets of each extension character (empty unless the text is
        GSM-7).
    ucs2 : tuple of (int, int)
        ``(start, size)`` in UTF-16 units of each grapheme cluster longer than one unit.
    joins_left, joins_right : bool
        Whether the first (last) character could join the text before (after) it into one
        cluster, so that the text's clusters cannot simply be added to a neighbour's.
    oversize : bool
        Whether a cluster is longer than :data:`MAX_LAYOUT_ITEM` units.
    """

    gsm: tuple[tuple[int, int], ...]
    ucs2: tuple[tuple[int, int], ...]
    joins_left: bool
    joins_right: bool
    oversize: bool

    @property
    def irregular(self) -> bool:
        """Whether the text must be counted whole, together with its neighbours."""
        return self.joins_left or self.joins_right or self.oversize


def layout(text: str) -> Layout:
    """Find where the multi-unit items of ``text`` start, in septets and in UTF-16 units."""
    gsm: list[tuple[int, int]] = []
    if is_gsm(text):
        septet = 0
        for ch in text:
            size = 2 if ch in _EXTENSION else 1
            if size == 2:
                gsm.append((septet, 2))
            septet += size
    ucs2: list[tuple[int, int]] = []
    unit = 0
    for cluster in grapheme_clusters(text):
        size = _utf16_units(cluster)
        if size > 1:
            ucs2.append((unit, size))
        unit += size
    return Layout(
        gsm=tuple(gsm),
        ucs2=tuple(ucs2),
        joins_left=bool(text) and char_kind(text[0]) in JOINERS,
        joins_right=bool(text) and char_kind(text[-1]) in JOINERS,
        oversize=any(size > MAX_LAYOUT_ITEM for _, size in ucs2),
    )


_I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ItemIndex:
    """For a set of distinct texts, the inner positions of their multi-unit items.

    ``keys`` holds ``code * 2**32 + offset`` for every offset that lies strictly inside an
    item (a part cannot end there), sorted; ``starts`` holds where that item starts.
    """

    keys: _I64
    starts: _I64

    @classmethod
    def build(cls, items: Iterable[tuple[int, Sequence[tuple[int, int]]]]) -> ItemIndex:
        """Index ``(code, [(start, size), ...])`` pairs."""
        keys: list[int] = []
        starts: list[int] = []
        for code, spans in items:
            for start, size in spans:
                for inner in range(start + 1, start + size):
                    keys.append(code * 2**32 + inner)
                    starts.append(start)
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        return cls(
            np.asarray(keys, dtype=np.int64)[order], np.asarray(starts, dtype=np.int64)[order]
        )

    def recoded(self, code: int) -> ItemIndex:
        """Return the same index for a single text, filed under ``code`` instead of 0."""
        return ItemIndex(self.keys + code * 2**32, self.starts)

    def merged(self, other: ItemIndex) -> ItemIndex:
        """Return both indexes in one; ``self``'s codes must all be below ``other``'s."""
        return ItemIndex(
            np.concatenate([self.keys, other.keys]), np.concatenate([self.starts, other.starts])
        )

    def lookup(self, codes: _I64, offsets: _I64) -> _I64:
        """Return the start of the item that each offset falls strictly inside, or -1."""
        wanted = codes.astype(np.int64) * 2**32 + offsets
        found = np.full(len(wanted), -1, dtype=np.int64)
        if len(self.keys) == 0:
            return found
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        hit = self.keys[at] == wanted
        found[hit] = self.starts[at[hit]]
        return found


def count_parts_vectorised(
    lengths: _I64, codes: _I64, indexes: Sequence[ItemIndex], capacity: int
) -> _I64:
    """Count parts row by row for texts made of pieces, without rendering them.

    Each row's text is the concatenation of ``len(indexes)`` pieces; piece ``k`` of row ``r``
    is ``lengths[r, k]`` units long and is text number ``codes[r, k]`` of ``indexes[k]``. Rows
    must all exceed the single-part limit and contain no cluster larger than
    :data:`MAX_LAYOUT_ITEM` nor one spanning two pieces. Every part then ends ``capacity`` units
    after it starts, or earlier, at the start of an item that would straddle that point.

    Returns
    -------
    numpy.ndarray of int64
        The number of parts of each row.
    """
    n_rows = lengths.shape[0]
    starts = np.cumsum(lengths, axis=1) - lengths
    totals = lengths.sum(axis=1)
    position = np.zeros(n_rows, dtype=np.int64)
    parts = np.zeros(n_rows, dtype=np.int64)
    active = np.arange(n_rows)
    while len(active):
        parts[active] += 1
        end = position[active] + capacity
        going = end < totals[active]
        active, end = active[going], end[going]
        row_starts = starts[active]
        piece = (row_starts <= end[:, None]).sum(axis=1) - 1
        piece_start = row_starts[np.arange(len(active)), piece]
        offset = end - piece_start
        piece_code = codes[active, piece]
        item_start = np.full(len(active), -1, dtype=np.int64)
        for k, index in enumerate(indexes):
            in_piece = piece == k
            if len(index.keys) and in_piece.any():
                item_start[in_piece] = index.lookup(piece_code[in_piece], offset[in_piece])
        position[active] = np.where(item_start >= 0, piece_start + item_start, end)
    return parts
