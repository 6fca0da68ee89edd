"""The one table of displayed strings, merged from its parts, each key defined once."""

from __future__ import annotations

from collections.abc import Mapping

from directcall_nb.i18n._errors import ERRORS
from directcall_nb.i18n._form import FORM
from directcall_nb.i18n._magics import MAGICS
from directcall_nb.i18n._opt_outs import OPT_OUTS
from directcall_nb.i18n._pictures import PICTURES
from directcall_nb.i18n._reasons import REASONS
from directcall_nb.i18n._replies import REPLIES
from directcall_nb.i18n._reports import REPORTS
from directcall_nb.i18n._voice import VOICE
from directcall_nb.vocabulary import MAX_TEXT_CHARACTERS, SMS_CHARACTERS

__all__ = ["FACTS", "TABLE", "Texts", "merge"]

#: A key's two texts, in the order of `directcall_nb.vocabulary.LANGUAGES`: (Portuguese, English).
Texts = tuple[str, str]

#: DirectCall's numbers a text may name as a field (``{max_characters}``); they are filled in
#: when the table is built, so that each is written once, in `directcall_nb.vocabulary`.
FACTS: dict[str, int] = {
    "max_characters": MAX_TEXT_CHARACTERS,
    "sms_characters": SMS_CHARACTERS,
}


def _with_facts(text: str) -> str:
    for name, value in FACTS.items():
        text = text.replace(f"{{{name}}}", str(value))
    return text


def merge(*parts: Mapping[str, Texts]) -> dict[str, Texts]:
    """Return the parts as one table, in their order, with the `FACTS` filled in.

    Raises
    ------
    ValueError
        When a key is defined in two parts: a text must have one definition only.

    Examples
    --------
    >>> merge({"send": ("Enviar", "Send")}, {"send": ("Mandar", "Send")})
    Traceback (most recent call last):
    ...
    ValueError: defined twice in the table: 'send'
    """
    table: dict[str, Texts] = {}
    for part in parts:
        repeated = sorted(table.keys() & part.keys())
        if repeated:
            raise ValueError(f"defined twice in the table: {', '.join(map(repr, repeated))}")
        table.update({key: (_with_facts(pt), _with_facts(en)) for key, (pt, en) in part.items()})
    return table


#: Every displayed string by key: (Portuguese, English).
TABLE: dict[str, Texts] = merge(
    FORM, REPORTS, REASONS, ERRORS, OPT_OUTS, REPLIES, PICTURES, VOICE, MAGICS
)
