"""Templates, the GSM 03.38 alphabet and SMS parts, and per-column text facts."""

from __future__ import annotations

from directcall_nb.text._gsm import ItemIndex, fill_parts, grapheme_clusters, is_gsm
from directcall_nb.text._gsm import items as gsm_items
from directcall_nb.text._measure import (
    ColumnFacts,
    Template,
    TextMeasure,
    column_facts,
    count_segments,
    measure,
    render,
    replace_ucs2,
    ucs2_replacements,
)
from directcall_nb.text._segments import sender_digits
from directcall_nb.text._template import forbidden_character, format_value

__all__ = [
    "ColumnFacts",
    "ItemIndex",
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
    "render",
    "replace_ucs2",
    "sender_digits",
    "ucs2_replacements",
]
