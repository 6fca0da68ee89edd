"""Templates, value formatting, segment counting under both policies, and the frame-wide measure."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import TypedDict

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directcall_nb.errors import (
    InputError,
    InvalidSender,
    MessageTooLong,
    TemplateError,
    UnknownPlaceholder,
)
from directcall_nb.text import (
    ColumnFacts,
    Template,
    column_facts,
    count_segments,
    forbidden_character,
    format_value,
    measure,
    render,
    replace_ucs2,
    ucs2_replacements,
)
from directcall_nb.vocabulary import Channel, Policy

# -- templates ---------------------------------------------------------------------------------


def test_parse_splits_literals_and_fields() -> None:
    template = Template.parse("Olá {nome}, sua fatura de R$ {valor} vence amanhã")
    assert template.fields == ("nome", "valor")
    assert template.literals == ("Olá ", ", sua fatura de R$ ", " vence amanhã")
    assert template.render({"nome": "Ana", "valor": "10"}) == (
        "Olá Ana, sua fatura de R$ 10 vence amanhã"
    )


def test_doubled_braces_are_literal() -> None:
    template = Template.parse("{{nome}} é {nome} }} {{")
    assert template.fields == ("nome",)
    assert template.render({"nome": "Ana"}) == "{nome} é Ana } {"


def test_names_keep_spaces_and_accents_but_not_surrounding_blanks() -> None:
    template = Template.parse("Caro(a) { nome completo }, {cidade natal}{nome completo}")
    assert template.fields == ("nome completo", "cidade natal", "nome completo")
    assert template.columns == ("nome completo", "cidade natal")


def test_template_without_placeholders() -> None:
    template = Template.parse("Promoção só hoje!")
    assert template.fields == ()
    assert template.literals == ("Promoção só hoje!",)


@pytest.mark.parametrize(
    ("source", "position"),
    [
        ("Olá {nome", "character 5"),
        ("Olá nome}", "character 9"),
        ("Olá {}", "character 5"),
        ("Olá {  }", "character 5"),
        ("{a{b}}", "character 1"),
    ],
)
def test_unreadable_templates_name_the_position(source: str, position: str) -> None:
    with pytest.raises(TemplateError, match=position) as caught:
        Template.parse(source)
    assert "{{ and }}" in str(caught.value)


def test_unknown_placeholder_lists_the_columns() -> None:
    template = Template.parse("Olá {nome}, CPF {cpf} {rg}")
    with pytest.raises(UnknownPlaceholder) as caught:
        template.check_columns(["nome", "telefone"])
    assert caught.value.placeholders == ["cpf", "rg"]
    assert "'nome', 'telefone'" in str(caught.value)
    assert "{cpf}" in str(caught.value)


def test_resolve_maps_names_to_labels() -> None:
    template = Template.parse("{2024} {nome}")
    assert template.resolve([2024, "nome"]) == {"2024": 2024, "nome": "nome"}
    template.check_columns([2024, "nome", "x"])


# -- value formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        (float("nan"), None),
        (np.nan, None),
        (pd.NA, None),
        (pd.NaT, None),
        (Decimal("NaN"), None),
        (np.datetime64("NaT"), None),
        ("Ana", "Ana"),
        ("", ""),
        (12.0, "12"),
        (np.float64(-3.0), "-3"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (np.float32(0.1), "0.1"),
        (float("inf"), "inf"),
        (7, "7"),
        (np.int64(42), "42"),
        (True, "True"),
        (np.bool_(False), "False"),
        (Decimal("10.50"), "10.50"),
        (dt.datetime(2024, 3, 5), "05/03/2024"),
        (dt.datetime(2024, 3, 5, 14, 30, 59), "05/03/2024 14:30"),
        (pd.Timestamp("2024-12-25 00:00"), "25/12/2024"),
        (pd.Timestamp("2024-12-25 08:05", tz="America/Sao_Paulo"), "25/12/2024 08:05"),
        (np.datetime64("2024-03-05T08:05"), "05/03/2024 08:05"),
        (dt.date(2024, 1, 9), "09/01/2024"),
    ],
)
def test_format_value(value: object, text: str | None) -> None:
    assert format_value(value) == text


def test_column_facts_formats_like_format_value() -> None:
    cases = [
        pd.Series([1.0, None, 2.5]),
        pd.Series([3, 4, 3]),
        pd.Series([3, None], dtype="Int64"),
        pd.Series([True, False]),
        pd.to_datetime(pd.Series(["2024-03-05", "2024-03-05 10:15", None]), format="ISO8601"),
        pd.Series(["b", None, "a"], dtype="category"),
        pd.Series(["Zoë", None, ""], dtype="string"),
        pd.Series([Decimal("1.10"), dt.date(2020, 2, 1), "x", None], dtype=object),
    ]
    for column in cases:
        facts = column_facts(column)
        expected = [format_value(v) for v in column.astype(object)]
        assert facts.values.tolist() == [("" if t is None else t) for t in expected]
        assert facts.missing.tolist() == [t is None for t in expected]


def test_equal_formatted_values_share_a_code() -> None:
    facts = column_facts(pd.Series([1, 1.0, "1", None, "2"], dtype=object))
    assert facts.codes[0] == facts.codes[1] == facts.codes[2]
    assert facts.codes[3] == -1
    assert facts.codes[4] not in (facts.codes[0], -1)


def test_column_facts_measures_each_value() -> None:
    facts = column_facts(pd.Series(["José", "a€{", "😀x", None, "ç"]))
    assert facts.chars.tolist() == [4, 3, 2, 0, 1]
    assert facts.utf16.tolist() == [4, 3, 3, 0, 1]
    assert facts.septets[:2].tolist() == [4, 5]
    assert facts.gsm.tolist() == [True, True, False, True, False]
    assert facts.wide.tolist() == [False, True, True, False, False]


def test_characters_directcall_cannot_carry_flag_only_their_rows() -> None:
    values = ["ok", "bad\ud800", "nul\x00", "bell\x07", "tab\tline\nfeed\x0c", "\ufffe", None]
    facts = column_facts(pd.Series(values, name="nome", dtype=object))
    assert facts.forbidden.tolist() == [False, True, True, True, False, True, False]
    assert facts.chars.tolist()[:3] == [2, 0, 4]  # text that is not Unicode is measured empty
    assert facts.values[1] == "bad\ud800"


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("a\x00b", "U+0000 (a control character) at character 2"),
        ("\x85", "U+0085 (a control character) at character 1"),
        ("ok\ud83d", "U+D83D (a lone surrogate: not valid Unicode text) at character 3"),
        ("\uffff", "U+FFFF (a non-character) at character 1"),
        ("tab\t, lines\r\n, a page\x0c: all fine", None),
    ],
)
def test_forbidden_character_names_the_first_one(text: str, described: str | None) -> None:
    assert forbidden_character(text) == described
    if described is not None:
        with pytest.raises(TemplateError, match=re.escape(described)):
            Template.parse(text)


# -- count_segments: DirectCall's rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "segments"), [(1, 1), (140, 1), (141, 2), (280, 2), (281, 3), (700, 5)]
)
def test_directcall_counts_140_characters_per_sms(length: int, segments: int) -> None:
    count = count_segments("a" * length)
    assert (count.characters, count.units, count.segments) == (length, length, segments)
    assert count.encoding == "GSM-7"


def test_directcall_reports_the_encoding_but_bills_characters() -> None:
    count = count_segments("ã" * 140)
    assert (count.encoding, count.segments, count.ucs2_characters) == ("UCS-2", 1, ("ã",))


def test_shown_sender_digits_count() -> None:
    sender = "+55 (41) 99999-0001"  # 13 digits
    assert count_segments("a" * 127, sender=sender, show_sender=True).segments == 1
    count = count_segments("a" * 128, sender=sender, show_sender=True)
    assert (count.characters, count.segments) == (141, 2)
    assert count_segments("a" * 128, sender=sender).segments == 1  # not shown: not counted
    gsm = count_segments("a" * 147, policy="gsm", sender=5541999990001, show_sender=True)
    assert (gsm.characters, gsm.units, gsm.segments) == (160, 160, 1)
    assert count_segments("a" * 148, policy="gsm", sender=sender, show_sender=True).segments == 2


def test_showing_the_sender_needs_one() -> None:
    with pytest.raises(InvalidSender, match="sender"):
        count_segments("oi", show_sender=True)
    with pytest.raises(InputError):
        count_segments("oi", show_sender=True, sender="---")


def test_over_700_characters_is_refused_with_the_numbers() -> None:
    count_segments("a" * 700)
    with pytest.raises(MessageTooLong, match=r"701 characters.*700"):
        count_segments("a" * 701)
    with pytest.raises(MessageTooLong):
        count_segments("😀" * 701, policy="gsm")
    with pytest.raises(MessageTooLong):
        count_segments("a" * 701, channel="voice")
    # the limit is on the text: a shown sender does not push 700 characters over it
    count_segments("a" * 700, sender="5541999990001", show_sender=True)


@pytest.mark.parametrize("bad", ["", None, 12])
def test_empty_or_non_text_message(bad: object) -> None:
    with pytest.raises(InputError):
        count_segments(bad)  # type: ignore[arg-type]


def test_unknown_policy_or_channel() -> None:
    with pytest.raises(InputError, match="policy"):
        count_segments("oi", policy="carrier")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="channel"):
        count_segments("oi", channel="fax")  # type: ignore[arg-type]


def test_lone_surrogate_is_an_input_error() -> None:
    with pytest.raises(InputError, match="character 3"):
        count_segments("ab\udc00")


def test_voice_is_one_call_whatever_the_length() -> None:
    count = count_segments("Olá! " * 100, channel="voice", sender="1", show_sender=True)
    assert (count.segments, count.characters, count.units) == (1, 500, 500)
    assert count.encoding == "UCS-2"


# -- count_segments: the GSM 03.38 rule --------------------------------------------------------
# Hand-checked examples, derived from the rules (GSM-7: 160 septets in one part, 153 per part
# once split, extension characters take 2 septets; UCS-2: 70 / 67 UTF-16 units, an emoji
# outside the BMP takes 2; greedy filling, no item split across parts):
#   "a" * 160                      160 septets                      -> 1
#   "a" * 161                      153 | 8                          -> 2
#   "a" * 306                      153 | 153                        -> 2
#   "a" * 307                      153 | 153 | 1                    -> 3
#   "{" + 158 digits               2 + 158 = 160 septets            -> 1
#   "{" + 159 digits               161 septets: 153 | 8             -> 2
#   "a"*152 + "€" + "a"*152        306 septets, but € cannot sit at 153-154:
#                                  152 | € + 151 | 1                -> 3 (ceil would say 2)
#   "]" * 153                      306 septets: 76 pairs | 76 | 1   -> 3
#   "á" * 70                       70 units                         -> 1
#   "á" * 71                       67 | 4                           -> 2
#   "á" * 134                      67 | 67                          -> 2
#   "á" * 135                      67 | 67 | 1                      -> 3
#   "😜" + 68 digits               70 units                         -> 1
#   "😜" + 69 digits               71 units: 67 | 4                 -> 2
#   "😜" + 133 digits              135 units                        -> 3
#   "á"*66 + "😀" + "á"*66         134 units, 😀 cannot sit at 67-68:
#                                  66 | 😀 + 65 | 1                 -> 3 (ceil would say 2)
#   "á"*66 + "🇧🇷" + "á"*63        133 units; the flag (4 units) moves whole:
#                                  66 | 4 + 63 = 67                 -> 2
#   "ç" makes a text UCS-2, "Ç" does not; "\r\n" is two GSM-7 characters.
GSM_EXAMPLES = [
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("{" + "1234567890" * 15 + "12345678", "GSM-7", 160, 1),
    ("{" + "1234567890" * 15 + "123456789", "GSM-7", 161, 2),
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 306, 3),
    ("]" * 153, "GSM-7", 306, 3),
    ("á" * 70, "UCS-2", 70, 1),
    ("á" * 71, "UCS-2", 71, 2),
    ("á" * 134, "UCS-2", 134, 2),
    ("á" * 135, "UCS-2", 135, 3),
    ("😜" + "1234567890" * 6 + "12345678", "UCS-2", 70, 1),
    ("😜" + "1234567890" * 6 + "123456789", "UCS-2", 71, 2),
    ("😜" + "1234567890" * 13 + "123", "UCS-2", 135, 3),
    ("á" * 66 + "😀" + "á" * 66, "UCS-2", 134, 3),
    ("á" * 66 + "🇧🇷" + "á" * 63, "UCS-2", 133, 2),
    ("Ç\r\n", "GSM-7", 3, 1),
    ("ç", "UCS-2", 1, 1),
]


@pytest.mark.parametrize(("text", "encoding", "units", "segments"), GSM_EXAMPLES)
def test_gsm_examples(text: str, encoding: str, units: int, segments: int) -> None:
    count = count_segments(text, policy="gsm")
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)
    assert count.characters == len(text)


def test_ucs2_characters_are_listed_once_in_order() -> None:
    count = count_segments("Olá, João! 👍🏽 Até já 👍🏽", policy="gsm")
    assert count.ucs2_characters == ("á", "ã", "👍🏽")


# An independent reference for the GSM rule, in the terms of the SMS user data: 140 octets
# (1120 bits) per part, of which a split text's concatenation header takes 6 octets (48 bits);
# a GSM-7 character is 7 bits (14 for an extension one), a UCS-2 character 16 bits per UTF-16
# unit. Characters are placed one after another; one that does not fit opens a new part.
REFERENCE_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
REFERENCE_EXTENSION = set("\f^{}\\[~]|€")


def reference_segments(text: str) -> tuple[str, int, int]:
    """Return (encoding, units, parts) by a plain greedy filler over characters."""
    is_gsm = all(ch in REFERENCE_BASIC or ch in REFERENCE_EXTENSION for ch in text)

    def bits(ch: str) -> int:
        if is_gsm:
            return 14 if ch in REFERENCE_EXTENSION else 7
        return 32 if ord(ch) > 0xFFFF else 16

    total = sum(bits(ch) for ch in text)
    units = total // 7 if is_gsm else total // 16
    if total <= 1120:
        return ("GSM-7" if is_gsm else "UCS-2"), units, 1
    parts, used = 1, 0
    for ch in text:
        if used + bits(ch) > 1120 - 48:
            parts, used = parts + 1, 0
        used += bits(ch)
    return ("GSM-7" if is_gsm else "UCS-2"), units, parts


# Characters that each stand alone as a cluster, so a filler over characters is exact.
PLAIN = "aZ5 .\n\r@$éÉàÇüñ€{}[]~^|\\\fáãçõêíú“”–…\u00a0`Ω😀🎉💰"
plain_texts = st.lists(st.sampled_from(PLAIN), min_size=1, max_size=420).map("".join)


@given(plain_texts)
def test_gsm_rule_matches_the_reference_filler(text: str) -> None:
    count = count_segments(text, policy="gsm")
    assert (count.encoding, count.units, count.segments) == reference_segments(text)


@given(st.text(max_size=800), st.sampled_from(["directcall", "gsm"]), st.booleans())
def test_arbitrary_text_never_raises_anything_undocumented(
    text: str, policy: Policy, voice: bool
) -> None:
    try:
        count = count_segments(
            text,
            policy=policy,
            channel="voice" if voice else "sms",
        )
    except MessageTooLong:
        assert len(text) > 700
        return
    except InputError:
        assert text == ""
        return
    assert count.characters == len(text)
    assert count.segments >= 1
    assert count.units >= count.characters
    assert (count.encoding == "UCS-2") == bool(count.ucs2_characters)


# -- replacements ------------------------------------------------------------------------------


def test_ucs2_replacements_for_portuguese_text() -> None:
    text = "Não perca – é hoje… “promoção” às 10h, Sr. João 🎉\u00a0ÇÉ"
    assert ucs2_replacements(text) == {
        "ã": "a",
        "–": "-",
        "…": "...",
        "“": '"',
        "ç": "c",
        "”": '"',
        "\u00a0": " ",
    }
    replaced = replace_ucs2(text)
    assert replaced == 'Nao perca - é hoje... "promocao" às 10h, Sr. Joao 🎉 ÇÉ'
    assert count_segments(replace_ucs2(text.replace("🎉", "")), policy="gsm").encoding == "GSM-7"


def test_capitals_are_replaced_and_gsm_letters_kept() -> None:
    assert replace_ucs2("ÃÂÁÊÍÓÔÕÚ ãâáêíóôõú") == "AAAEIOOOU aaaeiooou"
    assert ucs2_replacements("É é à Ç ü ñ Ñ Ü ö Ä") == {}
    assert replace_ucs2("É é à Ç ü ñ") == "É é à Ç ü ñ"


def test_emoji_have_no_replacement() -> None:
    assert ucs2_replacements("Parabéns 🎂👍🏽") == {}
    assert replace_ucs2("olá 🎂") == "ola 🎂"


@pytest.mark.parametrize(
    ("cluster", "stand_in"),
    [
        ("ã", "a"),
        ("Ã", "A"),
        ("ç", "c"),
        ("Ê", "E"),
        ("e\u0301", "é"),  # decomposed é is GSM-7 once composed
        ("“", '"'),
        ("’", "'"),
        ("—", "-"),
        ("…", "..."),
        ("\u00a0", " "),
        ("º", "o"),
        ("😀", None),
        ("ж", None),
    ],
)
def test_replacement_of_one_character(cluster: str, stand_in: str | None) -> None:
    assert ucs2_replacements(f"x{cluster}y") == ({} if stand_in is None else {cluster: stand_in})


# -- the frame-wide measure --------------------------------------------------------------------


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nome": ["Ana", "João", None, "Zoë"],
            "valor": [10.0, 2.5, 7.0, np.nan],
        }
    )


def _facts(frame: pd.DataFrame) -> dict[str, ColumnFacts]:
    return {str(c): column_facts(frame[c]) for c in frame.columns}


def test_render_and_measure_a_frame() -> None:
    frame = _frame()
    template = Template.parse("Oi {nome}, R$ {valor}")
    facts = _facts(frame)
    texts = render(template, facts)
    assert texts.tolist() == ["Oi Ana, R$ 10", "Oi João, R$ 2.5", None, None]
    result = measure(template, facts, len(frame), policy="gsm")
    assert result.missing.tolist() == [False, False, True, True]
    names = [template.columns[k] if k >= 0 else None for k in result.missing_column.tolist()]
    assert names == [None, None, "nome", "valor"]
    assert result.chars[:2].tolist() == [13, 15]
    assert result.ucs2.tolist() == [False, True, False, True]  # ã and ë are not GSM-7
    assert result.segments[:2].tolist() == [1, 1]


def test_fill_replaces_missing_values() -> None:
    frame = _frame()
    template = Template.parse("Oi {nome}, R$ {valor}")
    facts = _facts(frame)
    texts = render(template, facts, np.array([2, 3]), fill="cliente")
    assert texts.tolist() == ["Oi cliente, R$ 7", "Oi Zoë, R$ cliente"]
    result = measure(template, facts, len(frame), fill="cliente")
    assert not result.missing.any()
    assert result.chars.tolist() == [len(t) for t in render(template, facts, fill="cliente")]


def test_measure_flags_empty_and_too_long_rows() -> None:
    frame = pd.DataFrame({"x": ["", "a" * 690, "a" * 701]})
    result = measure(Template.parse("{x}"), _facts(frame), 3)
    assert result.empty.tolist() == [True, False, False]
    assert result.too_long.tolist() == [False, False, True]
    assert result.segments.tolist() == [0, 5, 6]


def test_measure_rejects_facts_it_does_not_have() -> None:
    frame = _frame()
    with pytest.raises(UnknownPlaceholder, match="'nome', 'valor'"):
        measure(Template.parse("{cpf}"), _facts(frame), 4)
    with pytest.raises(UnknownPlaceholder, match="cpf"):
        render(Template.parse("{cpf}"), _facts(frame))
    with pytest.raises(InputError, match="rows"):
        measure(Template.parse("{nome}"), _facts(frame), 5)
    with pytest.raises(InvalidSender):
        measure(Template.parse("{nome}"), _facts(frame), 4, show_sender=True)


# Pieces for random frames and templates: plain characters, extension characters, emoji, and
# the characters that join clusters (combining accent, ZWJ, variation selector, skin tone,
# regional indicators, Hangul jamo), so that clusters may straddle parts and pieces.
JOINING = "\u0301\u200d\ufe0f\U0001f3fd\U0001f1e7\U0001f1f7\u1100\u1161\u11a8👩"
PIECE_ALPHABET = PLAIN + JOINING
long_runs = st.builds(lambda ch, n: ch * n, st.sampled_from(PLAIN), st.integers(1, 160))
piece_texts = st.lists(st.one_of(st.sampled_from(PIECE_ALPHABET), long_runs), max_size=12).map(
    "".join
)
cells = st.one_of(piece_texts, st.none(), st.integers(-5, 10**6), st.floats(allow_nan=True))
names = ["a", "b c", "d"]


@st.composite
def frames_and_templates(draw: st.DrawFn) -> tuple[pd.DataFrame, Template]:
    n_rows = draw(st.integers(1, 6))
    frame = pd.DataFrame(
        {name: draw(st.lists(cells, min_size=n_rows, max_size=n_rows)) for name in names}
    )
    chosen = draw(st.lists(st.sampled_from(names), max_size=4))
    literals = draw(st.lists(piece_texts, min_size=len(chosen) + 1, max_size=len(chosen) + 1))
    escaped = [lit.replace("{", "{{").replace("}", "}}") for lit in literals]
    source = escaped[0] + "".join(
        "{" + n + "}" + lit for n, lit in zip(chosen, escaped[1:], strict=True)
    )
    return frame, Template.parse(source)


class MessageOptions(TypedDict):
    """The options one test gives both `measure` and `count_segments`."""

    policy: Policy
    channel: Channel
    sender: str


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frames_and_templates(),
    st.sampled_from(["directcall", "gsm"]),
    st.sampled_from(["sms", "voice"]),
    st.booleans(),
    st.one_of(st.none(), st.sampled_from(["", "cliente", "🙂", "\u0301"])),
)
def test_measure_equals_count_segments_row_by_row(
    case: tuple[pd.DataFrame, Template],
    policy: Policy,
    channel: Channel,
    shown: bool,
    fill: str | None,
) -> None:
    frame, template = case
    facts = {name: column_facts(frame[name]) for name in template.columns}
    options = MessageOptions(policy=policy, channel=channel, sender="5541999990001")
    result = measure(template, facts, len(frame), show_sender=shown, fill=fill, **options)
    texts = render(template, facts, fill=fill, n_rows=len(frame))
    for row, text in enumerate(texts):
        assert result.missing[row] == (text is None)
        if text is None:
            continue
        assert result.empty[row] == (text.strip() == "")
        assert result.too_long[row] == (len(text) > 700)
        if not text.strip() or len(text) > 700:
            continue
        count = count_segments(text, show_sender=shown, **options)
        assert result.chars[row] == count.characters
        assert result.units[row] == count.units
        assert result.segments[row] == count.segments
        assert result.ucs2[row] == (count.encoding == "UCS-2")


def test_measure_equals_count_segments_on_many_long_rows() -> None:
    # Many rows around the part boundaries, with items in literals and values, so that the
    # exact splitting of whole columns is exercised beyond the small random frames above.
    rng = np.random.default_rng(7)
    pool = [*PLAIN, "👍🏽", "🇧🇷", "e\u0301", "👨\u200d👩\u200d👧", "❤\ufe0f", "\u0301"]
    weights = np.array([8.0 if ch.isascii() else 1.0 for ch in pool])

    def text(low: int, high: int) -> str:
        size = int(rng.integers(low, high))
        return "".join(rng.choice(pool, size=size, p=weights / weights.sum()))

    frame = pd.DataFrame(
        {"x": [text(0, 90) for _ in range(400)], "y": [text(0, 60) for _ in range(400)]}
    )
    facts = {name: column_facts(frame[name]) for name in frame.columns}
    for source in ["Olá {x} € {y}!", "{x}{y}{x}", "Oi 😀 {y}, [{x}] " + "a" * 40]:
        template = Template.parse(source)
        texts = render(template, facts)
        for shown in (False, True):
            result = measure(
                template, facts, len(frame), policy="gsm", sender="5541", show_sender=shown
            )
            for row, message in enumerate(texts):
                if message and len(message) <= 700:
                    count = count_segments(message, policy="gsm", sender="5541", show_sender=shown)
                    assert (result.units[row], result.segments[row]) == (
                        count.units,
                        count.segments,
                    )


def test_a_cluster_spanning_a_literal_and_a_value_moves_whole() -> None:
    # "á"*66 + "e" | "\u0301" + "á"*66: the literal's "e" and the value's combining accent make
    # one 2-unit cluster at units 67-68, which cannot end part 1: 66 | é + 65 | 1 -> 3 parts
    # (adding the pieces' units alone would give 134 = 67 + 67 -> 2).
    template = Template.parse("á" * 66 + "e{x}")
    facts = {"x": column_facts(pd.Series(["\u0301" + "á" * 66, "á" * 67]))}
    result = measure(template, facts, 2, policy="gsm")
    assert result.units.tolist() == [134, 134]
    assert result.segments.tolist() == [3, 2]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(PIECE_ALPHABET), long_runs), min_size=1, max_size=30).map(
        lambda pieces: "".join(pieces)[:700]
    ),
    st.lists(st.integers(0, 700), min_size=1, max_size=5),
    st.booleans(),
)
def test_measure_is_exact_wherever_a_message_is_cut_into_pieces(
    text: str, cuts: list[int], shown: bool
) -> None:
    bounds = [0, *sorted(min(c, len(text)) for c in cuts), len(text)]
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    literals = pieces[0::2]
    values = pieces[1::2]
    if len(literals) == len(values):
        literals.append("")
    escaped = [lit.replace("{", "{{").replace("}", "}}") for lit in literals]
    columns = [f"v{i}" for i in range(len(values))]
    template = Template.parse(
        escaped[0]
        + "".join("{" + c + "}" + lit for c, lit in zip(columns, escaped[1:], strict=True))
    )
    facts = {
        c: column_facts(pd.Series([v], dtype=object)) for c, v in zip(columns, values, strict=True)
    }
    result = measure(template, facts, 1, policy="gsm", sender="55", show_sender=shown)
    assert render(template, facts, n_rows=1)[0] == text
    count = count_segments(text, policy="gsm", sender="55", show_sender=shown)
    blank = not text.strip()  # only spaces: not a message, so no segment
    assert result.empty[0] == blank
    assert (result.units[0], result.segments[0]) == (count.units, 0 if blank else count.segments)


@given(st.text(max_size=200))
def test_replacements_are_gsm_and_only_for_non_gsm_characters(text: str) -> None:
    table = ucs2_replacements(text)
    for cluster, stand_in in table.items():
        assert cluster in text
        assert count_segments("x" + cluster, policy="gsm").encoding == "UCS-2"
        assert stand_in == "" or count_segments(stand_in, policy="gsm").encoding == "GSM-7"
    replaced = replace_ucs2(text)
    if text and replaced:
        left = count_segments(replaced[:700], policy="gsm").ucs2_characters
        assert not set(left) & set(table)


@pytest.mark.parametrize("policy", ["gsm", "directcall"])
@pytest.mark.parametrize("filler", ["a", "á", "{"])  # GSM-7, UCS-2, an extension character
@pytest.mark.parametrize("text", ["Oi {v}", "Oi {v}, até já"])
def test_long_messages_count_alike_on_either_side_of_narrow_counts(
    policy: Policy, filler: str, text: str
) -> None:
    # per-row counts are held in 2 bytes below 16,384 units, in 4 from there: alike on both sides
    template = Template.parse(text)
    for longest in (16_360, 16_371, 16_372, 16_380, 16_384, 20_000):
        frame = pd.DataFrame({"v": [filler * n for n in (0, 1, 8_000, longest // 2, longest)]})
        facts = _facts(frame)
        result = measure(template, facts, len(frame), policy=policy)
        for row, message in enumerate(render(template, facts)):
            if len(message) <= 700:
                expected = count_segments(message, policy=policy)
                units, segments = expected.units, expected.segments
            else:  # too long to send: counted by the plain rule, and shown in the reason
                units, segments = _plain_count(message, policy)
            assert int(result.chars[row]) == len(message), (longest, row)
            assert int(result.units[row]) == units, (longest, row)
            assert int(result.segments[row]) == segments, (longest, row)


def _plain_count(message: str, policy: Policy) -> tuple[int, int]:
    """Units and parts of a message without exact splitting (as for one too long to send)."""
    if policy == "directcall":
        return len(message), -(-len(message) // 140)
    if all(ch in "Oi {v}, a{" for ch in message):
        units, single, part = len(message) + message.count("{"), 160, 153
    else:
        units, single, part = len(message.encode("utf-16-le")) // 2, 70, 67
    return units, 1 if units <= single else -(-units // part)


def test_a_float_column_is_written_once_per_distinct_value() -> None:
    column = pd.Series([0.0, -0.0, np.nan, 1.5, np.inf, -np.inf, 1.5, 2.0, None])
    facts = column_facts(column)
    assert facts.values.tolist() == ["0", "0", "", "1.5", "inf", "-inf", "1.5", "2", ""]
    assert facts.missing.tolist() == [False, False, True] + [False] * 5 + [True]
    assert facts.texts.tolist() == ["0", "1.5", "inf", "-inf", "2"]  # each distinct text once
    assert facts.chars.tolist() == [1, 1, 0, 3, 3, 4, 3, 1, 0]


def test_arrow_text_is_measured_as_the_same_values_held_as_python_objects() -> None:
    chunks = pa.chunked_array([pa.array(["Ana", None, "João"]), pa.array(["", "João", "Zé 🙂"])])
    arrow = pd.Series(pd.arrays.ArrowStringArray(chunks))  # two chunks, as read from a file
    objects = pd.Series(["Ana", None, "João", "", "João", "Zé 🙂"], dtype=object)
    got, expected = column_facts(arrow), column_facts(objects)
    assert (
        got.values.tolist() == expected.values.tolist() == ["Ana", "", "João", "", "João", "Zé 🙂"]
    )
    assert got.codes.tolist() == expected.codes.tolist() == [0, -1, 1, 2, 1, 3]
    for name in ("missing", "chars", "utf16", "septets", "gsm", "blank"):
        assert getattr(got, name).tolist() == getattr(expected, name).tolist(), name


def test_a_long_column_of_distinct_texts_is_measured_as_the_same_values_held_as_objects() -> None:
    rng = np.random.default_rng(5)
    kinds = ["Ana", "João", "Zé 🙂", "a€{", "e\u0301", "", "  ", "x" * 200, "nul\x00", None]
    values = [
        None if kind is None else f"{kind} {number}" if kind else kind
        for kind, number in zip(rng.choice(np.array(kinds, dtype=object), 70_000),
                                rng.integers(0, 10**6, 70_000), strict=True)
    ]  # fmt: skip
    chunks = pa.chunked_array([pa.array(values[:40_000]), pa.array(values[40_000:])])
    arrow = pd.Series(pd.arrays.ArrowStringArray(chunks))  # mostly distinct, in two chunks
    got, expected = column_facts(arrow), column_facts(pd.Series(values, dtype=object))
    assert got.values.tolist() == expected.values.tolist()
    assert got.values_at(np.array([5, 0, 69_999])).tolist() == [
        ("" if values[i] is None else values[i]) for i in (5, 0, 69_999)
    ]
    for name in ("missing", "chars", "utf16", "septets", "gsm", "wide", "irregular", "blank",
                 "forbidden"):  # fmt: skip
        assert getattr(got, name).tolist() == getattr(expected, name).tolist(), name
    measured = [
        measure(Template.parse("Oi {nome}!"), {"nome": f}, len(values), policy="gsm")
        for f in (got, expected)
    ]
    assert measured[0].segments.tolist() == measured[1].segments.tolist()
    assert measured[0].chars.tolist() == measured[1].chars.tolist()
