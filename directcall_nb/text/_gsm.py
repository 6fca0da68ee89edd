"""The carriers' SMS rules: the GSM 03.38 alphabet, grapheme clusters and how texts fill parts.

These are the rules that ``policy="gsm"`` in :mod:`directcall_nb.text` bills by. They follow the
behaviour of the open-source message segment calculator that Twilio publishes:

- A text is GSM-7 when every character is in the GSM 03.38 basic set or its extension table;
  a single other character makes the whole text UCS-2 (no "smart encoding" substitutions).
- GSM-7: a basic character takes one septet, an extension character (``\\f ^ { } \\ [ ] ~ |`` and
  ``€``) two (escape + character). One part holds 160 septets; a text longer than that is split
  into parts of 153 septets (the other 7 octets carry the concatenation header).
- UCS-2: one part holds 70 UTF-16 code units, split texts 67 per part. A character outside the
  Basic Multilingual Plane (most emoji) takes two units.
- The text is cut into *items* that a part never splits: an extension character (two septets) in
  GSM-7, a grapheme cluster (an emoji with its skin tone or ZWJ sequence, a flag, a letter with
  combining accents) in UCS-2. A CR LF pair counts as two separate characters. Parts are filled
  greedily, so an item straddling a part boundary moves to the next part and the count can exceed
  ``ceil(units / 153)``.

Grapheme clusters follow the extended grapheme cluster rules of Unicode's UAX #29, with character
properties derived from :mod:`unicodedata` and a few listed ranges (emoji pictographs, Hangul
jamo, prepended concatenation marks). Rare sequences may cluster differently from other
implementations; only where such a cluster straddles a part boundary can the count differ.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
    "is_gsm",
    "items",
    "joiner_ranges",
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

_OTHER, _CONTROL, _EXTEND, _ZWJ, _SPACING, _PREPEND = range(6)
_L, _V, _T, _LV, _LVT, _RI, _PICT, _MODIFIER = range(6, 14)

#: Character kinds that can join a neighbour into one cluster.
_JOINERS = frozenset({_EXTEND, _ZWJ, _SPACING, _PREPEND, _L, _V, _T, _LV, _LVT, _RI, _MODIFIER})

_PREPEND_CHARS = frozenset(
    [*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x0D4E, 0x110BD, 0x110CD]
)
_PICT_RANGES = (
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x21AA),
    (0x2300, 0x23FF),
    (0x24C2, 0x24C2),
    (0x25AA, 0x25FE),
    (0x2600, 0x27BF),
    (0x2934, 0x2935),
    (0x2B05, 0x2B55),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
)
_PICTOGRAPHS = frozenset(cp for lo, hi in _PICT_RANGES for cp in range(lo, hi + 1))


@functools.lru_cache(maxsize=8192)
def _kind(ch: str) -> int:
    """The grapheme-cluster-break class of one character (a UAX #29 approximation)."""
    cp = ord(ch)
    if cp == 0x200D:
        return _ZWJ
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return _RI
    if 0x1F3FB <= cp <= 0x1F3FF:
        return _MODIFIER
    if 0xE0020 <= cp <= 0xE007F or cp in (0x200C, 0xFF9E, 0xFF9F):
        return _EXTEND
    if cp in _PREPEND_CHARS:
        return _PREPEND
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
        return _L
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return _V
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return _T
    if 0xAC00 <= cp <= 0xD7A3:
        return _LV if (cp - 0xAC00) % 28 == 0 else _LVT
    category = unicodedata.category(ch)
    if category in ("Mn", "Me"):
        return _EXTEND
    if category == "Mc":
        return _SPACING
    if category in ("Cc", "Cf", "Zl", "Zp"):
        return _CONTROL
    if cp in _PICTOGRAPHS or 0x1F000 <= cp <= 0x1FAFF or 0x1FC00 <= cp <= 0x1FFFD:
        return _PICT
    return _OTHER


def _joined(before: int, after: int, ri_run: int, pict_zwj: bool) -> bool:
    """Whether no cluster boundary falls between characters of kinds ``before`` and ``after``.

    ``ri_run`` counts the regional indicators just before; ``pict_zwj`` tells whether the text
    before ends with a pictograph, any extending characters, and a zero width joiner.
    """
    if before == _CONTROL or after == _CONTROL:
        return False  # includes CR LF, which are counted as two characters
    if after in (_EXTEND, _ZWJ, _SPACING) or before == _PREPEND:
        return True
    if after == _MODIFIER:  # a skin tone joins an emoji, and nothing else
        return before == _PICT
    if before == _L:
        return after in (_L, _V, _LV, _LVT)
    if before in (_LV, _V):
        return after in (_V, _T)
    if before in (_LVT, _T):
        return after == _T
    if after == _PICT:
        return pict_zwj
    return before == _RI and after == _RI and ri_run % 2 == 1


def grapheme_clusters(text: str) -> list[str]:
    """Split ``text`` into grapheme clusters (what a reader sees as one character).

    Examples
    --------
    >>> grapheme_clusters("Oi 🇧🇷👍🏽\\r\\n")
    ['O', 'i', ' ', '🇧🇷', '👍🏽', '\\r', '\\n']
    >>> [len(c) for c in grapheme_clusters("e\\u0301!")]  # e + combining acute
    [2, 1]
    """
    clusters: list[str] = []
    start = 0
    previous = -1
    ri_run = 0
    pict = 0  # 1: after a pictograph and extenders; 2: and then a zero width joiner
    for index, ch in enumerate(text):
        kind = _kind(ch)
        if index and not _joined(previous, kind, ri_run, pict == 2):
            clusters.append(text[start:index])
            start = index
        ri_run = ri_run + 1 if kind == _RI else 0
        if kind == _PICT or (pict == 1 and kind in (_EXTEND, _MODIFIER)):
            pict = 1
        else:
            pict = 2 if pict == 1 and kind == _ZWJ else 0
        previous = kind
    if text:
        clusters.append(text[start:])
    return clusters


@functools.cache
def joiner_ranges() -> tuple[tuple[int, int], ...]:
    """Ranges of Basic Multilingual Plane code points that can join a neighbouring character.

    A text with none of these and no character outside the BMP has only single-unit clusters.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if 0xD800 <= cp <= 0xDFFF or _kind.__wrapped__(chr(cp)) not in _JOINERS:
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return tuple(ranges)


# -- filling parts -----------------------------------------------------------------------------


def items(text: str) -> tuple[list[str], list[int], tuple[int, int]]:
    """The unsplittable items of ``text`` under the GSM rule, their sizes, and the part limits.

    A GSM-7 text is made of characters of 1 septet (2 for an extension character), with the
    limits 160 / 153; any other text of grapheme clusters of their UTF-16 units, with the
    limits 70 / 67.
    """
    if is_gsm(text):
        return list(text), [2 if ch in _EXTENSION else 1 for ch in text], GSM7_LIMITS
    clusters = grapheme_clusters(text)
    return clusters, [_utf16_units(c) for c in clusters], UCS2_LIMITS


def fill_parts(sizes: Iterable[int], single: int, capacity: int) -> list[int]:
    """How many items each part takes, when items of the given sizes fill SMS parts.

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
        joins_left=bool(text) and _kind(text[0]) in _JOINERS,
        joins_right=bool(text) and _kind(text[-1]) in _JOINERS,
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
        """The same index for a single text, filed under ``code`` instead of 0."""
        return ItemIndex(self.keys + code * 2**32, self.starts)

    def merged(self, other: ItemIndex) -> ItemIndex:
        """Both indexes in one; ``self``'s codes must all be below ``other``'s."""
        return ItemIndex(
            np.concatenate([self.keys, other.keys]), np.concatenate([self.starts, other.starts])
        )

    def lookup(self, codes: _I64, offsets: _I64) -> _I64:
        """The start of the item that ``offsets`` falls strictly inside, or -1."""
        wanted = codes * 2**32 + offsets
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
