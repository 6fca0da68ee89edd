"""The grapheme-cluster-break kind of each character, as the cluster rules of UAX #29 read it.

Unicode gives every code point a Grapheme_Cluster_Break property; :mod:`unicodedata` does not
expose it, so it is approximated here from the general category and a few listed ranges: the
joiners and regional indicators, emoji skin tones, prepended concatenation marks, Hangul jamo
and syllables, and the pictographs that emoji sequences start with. The rules that join kinds
into clusters are in :mod:`directcall_nb.text._gsm`.
"""

from __future__ import annotations

import functools
import unicodedata
from bisect import bisect_right

__all__ = [
    "CONTROL",
    "EXTEND",
    "JOINERS",
    "LV",
    "LVT",
    "MODIFIER",
    "OTHER",
    "PICT",
    "PREPEND",
    "RI",
    "SPACING",
    "ZWJ",
    "L",
    "T",
    "V",
    "char_kind",
    "joiner_ranges",
]

OTHER, CONTROL, EXTEND, ZWJ, SPACING, PREPEND = range(6)
L, V, T, LV, LVT, RI, PICT, MODIFIER = range(6, 14)

#: Character kinds that can join a neighbour into one cluster.
JOINERS = frozenset({EXTEND, ZWJ, SPACING, PREPEND, L, V, T, LV, LVT, RI, MODIFIER})

_PREPEND_CHARS = (
    *range(0x0600, 0x0606),
    0x06DD,
    0x070F,
    0x0890,
    0x0891,
    0x08E2,
    0x0D4E,
    0x110BD,
    0x110CD,
)
#: ``(first, last, kind)`` of the code points whose kind is listed rather than derived from
#: their category; the ranges do not overlap.
_LISTED = sorted(
    [
        (0x200D, 0x200D, ZWJ),
        (0x1F1E6, 0x1F1FF, RI),
        (0x1F3FB, 0x1F3FF, MODIFIER),
        (0xE0020, 0xE007F, EXTEND),
        (0x200C, 0x200C, EXTEND),
        (0xFF9E, 0xFF9F, EXTEND),
        *((cp, cp, PREPEND) for cp in _PREPEND_CHARS),
        (0x1100, 0x115F, L),
        (0xA960, 0xA97C, L),
        (0x1160, 0x11A7, V),
        (0xD7B0, 0xD7C6, V),
        (0x11A8, 0x11FF, T),
        (0xD7CB, 0xD7FB, T),
    ]
)
_LISTED_STARTS = [first for first, _, _ in _LISTED]
#: Hangul syllables: LV every 28 code points from the first, LVT between them.
_SYLLABLES = (0xAC00, 0xD7A3)
_CATEGORY_KINDS = {
    "Mn": EXTEND,
    "Me": EXTEND,
    "Mc": SPACING,
    "Cc": CONTROL,
    "Cf": CONTROL,
    "Zl": CONTROL,
    "Zp": CONTROL,
}
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


def _listed_kind(cp: int) -> int | None:
    """Return the listed kind of the code point, or None when it has none."""
    at = bisect_right(_LISTED_STARTS, cp) - 1
    if at >= 0 and cp <= _LISTED[at][1]:
        return _LISTED[at][2]
    return None


def _is_pictograph(cp: int) -> bool:
    return cp in _PICTOGRAPHS or 0x1F000 <= cp <= 0x1FAFF or 0x1FC00 <= cp <= 0x1FFFD


@functools.lru_cache(maxsize=8192)
def char_kind(ch: str) -> int:
    """Return the grapheme-cluster-break kind of one character (a UAX #29 approximation)."""
    cp = ord(ch)
    listed = _listed_kind(cp)
    if listed is not None:
        return listed
    if _SYLLABLES[0] <= cp <= _SYLLABLES[1]:
        return LV if (cp - _SYLLABLES[0]) % 28 == 0 else LVT
    by_category = _CATEGORY_KINDS.get(unicodedata.category(ch))
    if by_category is not None:
        return by_category
    return PICT if _is_pictograph(cp) else OTHER


@functools.cache
def joiner_ranges() -> tuple[tuple[int, int], ...]:
    """Return the ranges of Basic Multilingual Plane code points that can join a neighbour.

    A text with none of these and no character outside the BMP has only single-unit clusters.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x300, 0x10000):
        if 0xD800 <= cp <= 0xDFFF or char_kind.__wrapped__(chr(cp)) not in JOINERS:
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return tuple(ranges)
