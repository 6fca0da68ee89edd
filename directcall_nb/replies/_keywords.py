"""Whether a reply opts out: its first words are an opt-out keyword, however it is written.

A reply and a keyword are compared as words: case, accents and punctuation are ignored
(``"Pare."`` is ``PARE``, ``"nao quero!"`` is ``NÃO QUERO``). A reply opts out when it is a
keyword, or when its first words are one (``"Sair da lista"``, ``"não quero mais"``); a keyword
further in (``"obrigado, não quero sair"``) does not count, so that an ordinary answer is not
taken for an opt-out. When several keywords fit, the longest is the one matched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["opt_out_keyword", "words"]

_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def words(text: str) -> tuple[str, ...]:
    """Return the words of ``text``: lower case, without accents, split at anything else.

    Examples
    --------
    >>> words("  Não QUERO, obrigado! ")
    ('nao', 'quero', 'obrigado')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(word for word in _NOT_A_WORD.split(plain) if word)


def opt_out_keyword(text: str, keywords: Iterable[str]) -> str | None:
    """Return the keyword (as the list writes it) that makes ``text`` an opt-out, or None.

    Examples
    --------
    >>> opt_out_keyword("Pare.", ("SAIR", "PARE"))
    'PARE'
    >>> opt_out_keyword("Obrigado, vou pagar", ("SAIR", "PARE")) is None
    True
    """
    said = words(text)
    best: tuple[int, str] | None = None
    for keyword in keywords:
        wanted = words(keyword)
        if wanted and said[: len(wanted)] == wanted and (best is None or len(wanted) > best[0]):
            best = (len(wanted), keyword)
    return None if best is None else best[1]
