"""From a template and a frame to each row's message: its text, characters, encoding and parts.

A `Template` is a message with ``{column}`` placeholders; `format_value` says how a cell is
written into it. For one message, `count_segments` tells what it is billed under either policy
(DirectCall's 140 characters per SMS, or the carriers' GSM 03.38 parts) and `ucs2_replacements`
offers GSM-7 stand-ins for what forces UCS-2. For a whole frame, nothing loops over rows in
Python: `column_facts` measures each distinct value of a column once, `measure` adds those facts
for a template on every row, and `render` writes the messages that are needed.

Modules: ``_template`` (templates, writing a value, characters DirectCall cannot carry),
``_char_kinds`` (each character's grapheme-cluster-break kind), ``_gsm`` (the GSM 03.38 alphabet,
grapheme clusters, how items fill parts, and the vectorised part count), ``_segments`` (one
message's characters, encoding and parts; GSM-7 stand-ins), ``_columns`` (the facts of a column,
per distinct value), ``_pieces`` (a message as literal and column pieces, and sums over them),
``_measure`` (a template measured and rendered on every row).
"""

from __future__ import annotations

from directcall_nb.text._columns import ColumnFacts, column_facts
from directcall_nb.text._gsm import ItemIndex, fill_parts, grapheme_clusters, gsm_items, is_gsm
from directcall_nb.text._measure import TextMeasure, measure, render
from directcall_nb.text._segments import (
    SegmentCount,
    count_segments,
    replace_ucs2,
    sender_digits,
    ucs2_characters,
    ucs2_replacements,
)
from directcall_nb.text._template import (
    Template,
    forbidden_character,
    format_value,
    placeholder_for,
)

__all__ = [
    "ColumnFacts",
    "ItemIndex",
    "SegmentCount",
    "Template",
    "TextMeasure",
    "column_facts",
    "count_segments",
    "fill_parts",
    "forbidden_character",
    "format_value",
    "grapheme_clusters",
    "gsm_items",
    "is_gsm",
    "measure",
    "placeholder_for",
    "render",
    "replace_ucs2",
    "sender_digits",
    "ucs2_characters",
    "ucs2_replacements",
]
