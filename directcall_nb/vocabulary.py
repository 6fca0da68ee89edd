"""The words every layer shares: channels, billing policies, display languages, DirectCall's limits.

Each of these facts is written here once; the option checks, the text engine, the client and the
displays import them.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CHANNELS",
    "INLINE_RECIPIENTS",
    "LANGUAGES",
    "MAX_TEXT_CHARACTERS",
    "OPT_OUT_KEYWORDS",
    "POLICIES",
    "SMS_CHARACTERS",
    "Channel",
    "Language",
    "Policy",
]

#: How a message travels: a text message, or a voice message read aloud ("torpedo de voz").
Channel = Literal["sms", "voice"]
#: How SMS parts are counted: DirectCall's 140 characters a part, or GSM 03.38's rules.
Policy = Literal["directcall", "gsm"]
#: The languages of displays: Portuguese (Brazil) or English.
Language = Literal["pt", "en"]

CHANNELS: tuple[Channel, ...] = ("sms", "voice")
POLICIES: tuple[Policy, ...] = ("directcall", "gsm")
LANGUAGES: tuple[Language, ...] = ("pt", "en")

#: DirectCall accepts at most this many characters of text (SMS and voice, sender not included).
MAX_TEXT_CHARACTERS = 700
#: DirectCall's documented size of one SMS, in characters (sender included when shown).
SMS_CHARACTERS = 140
#: DirectCall's documented limit of numbers in the ``destino`` field; more go in a ``destino_csv``
#: file.
INLINE_RECIPIENTS = 10

#: The replies that opt a number out, by default: Anatel's ``SAIR`` (the word the carriers' own
#: opt-out uses), its usual synonyms in Portuguese, and the English words international
#: senders honour. A reply opts out when its first words are one of them, case, accents and
#: punctuation ignored (``"Pare."``, ``"não quero mais"``); ``directcall_nb.options
#: .opt_out_keywords`` changes the list for a session.
OPT_OUT_KEYWORDS: tuple[str, ...] = (
    "SAIR",
    "PARE",
    "PARAR",
    "CANCELAR",
    "CANCELE",
    "DESCADASTRAR",
    "DESCADASTRE",
    "REMOVER",
    "REMOVA",
    "BLOQUEAR",
    "NÃO QUERO",
    "NÃO ENVIE",
    "STOP",
    "UNSUBSCRIBE",
)
