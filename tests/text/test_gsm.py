"""The GSM 03.38 alphabet, grapheme clusters, and how items fill SMS parts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from directcall_nb.text import _gsm as gsm

# The GSM 03.38 default alphabet, typed from the standard's table row by row (0x1B, the escape,
# is not a character), and its extension table.
STANDARD_BASIC = set(
    "@Δ 0¡P¿p£_!1AQaq$Φ\"2BRbr¥Γ#3CScsèΛ¤4DTdtéΩ%5EUeuùΠ&6FVfvìΨ'7GWgwòΣ(8HXhx"
    "ÇΘ)9IYiy\nΞ*:JZjzØ+;KÄkäøÆ,<LÖlöæ-=MÑmñÅß.>NÜnüåÉ/?O§oà\r"
)
STANDARD_EXTENSION = set("\f^{}\\[]~|€")


def test_alphabet_is_the_standard_one() -> None:
    assert set(gsm.GSM_BASIC) == STANDARD_BASIC
    assert set(gsm.GSM_EXTENSION) == STANDARD_EXTENSION
    assert len(gsm.GSM_BASIC) == 127  # 128 codes less the escape


@pytest.mark.parametrize("ch", ["ç", "á", "ã", "õ", "ê", "í", "ú", "`", "\t", "À", "“", "😀"])
def test_characters_outside_gsm(ch: str) -> None:
    assert not gsm.is_gsm(ch)


@pytest.mark.parametrize("ch", ["é", "É", "à", "Ç", "ü", "ñ", "€", "{", "\r", "\n", "@", "$"])
def test_characters_inside_gsm(ch: str) -> None:
    assert gsm.is_gsm(ch)


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("abc", ["a", "b", "c"]),
        ("e\u0301x", ["e\u0301", "x"]),  # combining acute joins its letter
        ("🇧🇷🇵🇹", ["🇧🇷", "🇵🇹"]),  # regional indicators pair up
        ("🇧🇷🇵", ["🇧🇷", "🇵"]),
        ("👍🏽!", ["👍🏽", "!"]),  # skin tone
        ("👨\u200d👩\u200d👧", ["👨\u200d👩\u200d👧"]),  # ZWJ family
        ("👩\u200d❤\ufe0f\u200d👨", ["👩\u200d❤\ufe0f\u200d👨"]),
        ("a\u200d🎉", ["a\u200d", "🎉"]),  # a joiner glues pictographs only
        ("a🏽", ["a", "🏽"]),  # a skin tone joins an emoji only
        ("❤\ufe0f", ["❤\ufe0f"]),  # emoji presentation selector
        ("1\ufe0f\u20e3", ["1\ufe0f\u20e3"]),  # keycap
        ("\r\n", ["\r", "\n"]),  # CR LF count as two characters
        ("\n\u0301", ["\n", "\u0301"]),  # nothing attaches to a control character
        ("\u1100\u1161\u11a8", ["\u1100\u1161\u11a8"]),  # Hangul jamo L V T
        ("", []),
    ],
)
def test_grapheme_clusters(text: str, clusters: list[str]) -> None:
    assert gsm.grapheme_clusters(text) == clusters


@given(st.text())
def test_clusters_rebuild_the_text(text: str) -> None:
    clusters = gsm.grapheme_clusters(text)
    assert "".join(clusters) == text
    assert all(clusters)


# count_parts: the first part holds `single` units; once split, every part holds `capacity`
# and an item never straddles two parts.
@pytest.mark.parametrize(
    ("sizes", "parts"),
    [
        ([], 1),
        ([1] * 160, 1),
        ([1] * 161, 2),  # 153 + 8
        ([1] * 306, 2),
        ([1] * 307, 3),
        ([1] * 152 + [2] + [1] * 6, 1),  # 160 septets exactly
        ([1] * 152 + [2] + [1] * 7, 2),  # the pair cannot end part 1 at 153: 152 | 2 + 7
        ([2] * 80, 1),
        ([2] * 81, 2),  # 76 pairs (152) | 5 pairs
        ([2] * 153, 3),  # 76 | 76 | 1 pairs
    ],
)
def test_count_parts_gsm7(sizes: list[int], parts: int) -> None:
    assert gsm.count_parts(sizes, 160, 153) == parts


@pytest.mark.parametrize(
    ("sizes", "parts"),
    [
        ([1] * 70, 1),
        ([1] * 71, 2),
        ([1] * 134, 2),
        ([1] * 135, 3),
        ([1] * 66 + [2] + [1] * 66, 3),  # 66 | 2 + 65 | 1
        ([1] * 65 + [2] + [1] * 67, 2),  # the pair fits at units 66-67: 67 | 67
        ([8] * 9, 2),  # 72 units: 8 clusters (64) | 1
        ([1] * 66 + [4] + [1] * 63, 2),  # the flag moves whole: 66 | 4 + 63 = 67
    ],
)
def test_count_parts_ucs2(sizes: list[int], parts: int) -> None:
    assert gsm.count_parts(sizes, 70, 67) == parts


def test_an_item_larger_than_a_part_stands_alone() -> None:
    # 10 units, then a 68-unit cluster: part 1 keeps the 10, the cluster fills a part by
    # itself, and the next unit opens a third part.
    assert gsm.count_parts([1] * 10 + [68] + [1], 70, 67) == 3


def test_layout_finds_multi_unit_items() -> None:
    found = gsm.layout("a€b😀c")
    assert found.gsm == ()  # not a GSM-7 text, so no septet layout
    assert found.ucs2 == ((3, 2),)  # a € b are one unit each in UCS-2
    assert gsm.layout("a€b{").gsm == ((1, 2), (4, 2))
    assert gsm.layout("x👨\u200d👩\u200d👧").ucs2 == ((1, 8),)
    assert not gsm.layout("olá 😀").irregular
    assert gsm.layout("\u0301a").joins_left
    assert gsm.layout("a\u200d").joins_right
    assert gsm.layout("a" + "\u0301" * 40).oversize


def test_item_index_lookup() -> None:
    index = gsm.ItemIndex.build([(0, [(2, 2)]), (3, [(0, 4), (5, 2)])])
    codes = np.array([0, 0, 3, 3, 3, 3, 1], dtype=np.int64)
    offsets = np.array([3, 2, 1, 3, 6, 5, 3], dtype=np.int64)
    assert index.lookup(codes, offsets).tolist() == [2, -1, 0, 0, 5, -1, -1]
    single = gsm.ItemIndex.build([(0, [(2, 2)])]).recoded(-1)  # a fill value, under code -1
    assert single.lookup(np.array([-1, 0, -1]), np.array([3, 3, 2])).tolist() == [2, -1, -1]
    merged = single.merged(index)
    assert merged.lookup(codes, offsets).tolist() == [2, -1, 0, 0, 5, -1, -1]
    assert merged.lookup(np.array([-1]), np.array([3])).tolist() == [2]


def test_vectorised_parts_match_the_item_filler() -> None:
    # Two rows of three pieces; the middle piece has items in row 0 only.
    items = [gsm.ItemIndex.build([]), gsm.ItemIndex.build([(0, [(0, 2), (151, 2)])])]
    lengths = np.array([[150, 200, 10], [100, 120, 0]], dtype=np.int64)
    codes = np.array([[0, 0, 0], [0, 1, 0]], dtype=np.int64)
    parts = gsm.count_parts_vectorised(lengths, codes, [items[0], items[1], items[0]], 153)
    row0 = [1] * 150 + [2] + [1] * 149 + [2] + [1] * 47 + [1] * 10
    assert parts.tolist() == [gsm.count_parts(row0, 160, 153), gsm.count_parts([1] * 220, 160, 153)]
