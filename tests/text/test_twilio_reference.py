"""``policy="gsm"`` agrees with the reference calculator Twilio publishes.

``data/twilio_segments.json`` beside this file holds 400 texts (Portuguese words, accents, emoji,
flags, GSM-7 extension characters and line breaks, at lengths around every part boundary) with the
answers of Twilio's calculator (the ``sms-segments-calculator`` npm package, version 1.3.0:
``new SegmentedMessage(text)``'s ``encodingName``, ``segmentsCount`` and ``numberOfCharacters``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from directcall_nb.text import Template, column_facts, count_segments, measure

CASES = json.loads((Path(__file__).parent / "data" / "twilio_segments.json").read_text("utf-8"))[
    "cases"
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{len(c['text'])}-{c['encoding']}")
def test_one_text_matches_the_reference(case: dict[str, object]) -> None:
    counted = count_segments(str(case["text"]), policy="gsm")
    assert (counted.encoding, counted.segments) == (case["encoding"], case["segments"])


def test_whole_columns_match_the_reference() -> None:
    texts = pd.Series([c["text"] for c in CASES], dtype=object)
    measured = measure(Template.parse("{t}"), {"t": column_facts(texts)}, len(texts), policy="gsm")
    expected = [c["segments"] for c in CASES]
    assert measured.segments.tolist() == expected
    assert ["UCS-2" if u else "GSM-7" for u in measured.ucs2] == [c["encoding"] for c in CASES]
