"""The words every layer shares: channels, billing policies, display languages, DirectCall's limits.

Each of these facts is written here once; the option checks, the text engine, the client and the
displays import them.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "CHANNELS",
    "DELIVERY_STATES",
    "INLINE_RECIPIENTS",
    "LANGUAGES",
    "MAX_AUDIO_BYTES",
    "MAX_TEXT_CHARACTERS",
    "OPT_OUT_KEYWORDS",
    "POLICIES",
    "SMS_CHARACTERS",
    "VOICE_ATTEMPTS",
    "Channel",
    "Language",
    "Policy",
    "is_digits",
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
#: DirectCall's words for where a message stands (``/sms/status``), and the state each means:
#: ``delivered``, ``pending`` (waiting for the handset, or for its schedule), ``failed`` or
#: ``cancelled``. A word not listed means ``unknown``.
DELIVERY_STATES = {
    "entregue": "delivered",
    "aguardando": "pending",
    "agendado": "pending",
    "nao_entregue": "failed",
    "não entregue": "failed",
    "cancelado": "cancelled",
}
#: DirectCall's documented limit of a voice message's recorded ``audio`` (an MP3): 4 MB.
MAX_AUDIO_BYTES = 4 * 1024 * 1024
#: The calls per number (``num_tentativas``) a voice send may ask for, lowest and highest.
#: DirectCall documents the default, 3, and no bounds; at most 5 keeps a batch's retries,
#: 3 minutes apart, within a quarter of an hour of its first call.
VOICE_ATTEMPTS = (1, 5)


def is_digits(text: str) -> bool:
    """Tell whether ``text`` is one or more of the digits 0 to 9 (what ``int`` reads back).

    ``str.isdigit`` also says yes to superscripts and other scripts' digits (``"¹"``), which
    DirectCall's numbers never hold and ``int`` does not always read.
    """
    return text.isascii() and text.isdigit()
