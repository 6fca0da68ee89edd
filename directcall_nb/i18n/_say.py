"""Reading the table: a key's text in one language, its fields filled in, its count's form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from directcall_nb.display import format_count
from directcall_nb.i18n._table import TABLE
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import LANGUAGES, Language

__all__ = ["Words", "line_kind", "reason_text", "say", "say_count", "words"]

#: The table in one language: key → text.
Words = Mapping[str, str]

#: Where each language's text is in a key's texts: their order is that of `LANGUAGES`.
_INDEX = {language: position for position, language in enumerate(LANGUAGES)}


def words(language: Language | None = None) -> Words:
    """Return the whole table in one language (``directcall_nb.options.language`` when None)."""
    column = _INDEX[language or current_language()]
    return {key: texts[column] for key, texts in TABLE.items()}


def say(key: str, language: Language | None = None, /, **fields: Any) -> str:
    """Return the text of ``key`` in ``language``, its ``{fields}`` filled in."""
    text = TABLE[key][_INDEX[language or current_language()]]
    return text.format(**fields) if fields else text


def say_count(key: str, n: int, language: Language | None = None, /, **fields: Any) -> str:
    """Return the text of ``key`` for the count ``n``: its ``one`` form for 1, else ``other``.

    ``{n}`` is written with thousands separators (``1.234``).
    """
    one, _, other = TABLE[key][_INDEX[language or current_language()]].partition("|")
    return (one if n == 1 or not other else other).format(n=format_count(n), **fields)


def line_kind(line_type: str, language: Language | None = None) -> str:
    """Return a line type in words: ``fixed_line`` → ``"telefone fixo"``."""
    key = f"line_{line_type}"
    if key in TABLE:
        return say(key, language)
    return say("line_other", language, kind=line_type.replace("_", " "))


def reason_text(kind: str, language: Language | None = None, /, **fields: Any) -> str:
    """Return why a row is not sent, in words (``kind``: ``phone``, ``line_type``, ``empty``...)."""
    if kind == "line_type":
        fields = {"kind": line_kind(str(fields["line_type"]), language)}
    if kind == "opted_out":  # each source says it its own way
        kind = f"opted_out_{fields['source']}"
    return say(f"reason_{kind}", language, **fields)
