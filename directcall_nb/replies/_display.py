"""A frame of replies as a display shows it: numbers masked, words in the display's language.

`replies_display` turns what `directcall_nb.sync_replies` and `directcall_nb.Journal.replies`
return into a table to read: the columns named in Portuguese or English, the phones (and any
long number in a text) masked by `directcall_nb.display`'s one rule, the time as
``dd/mm/aaaa HH:MM`` in Brazil time, the opt-out as a word, a reply that answers no campaign
said so. The frames themselves keep whole
numbers: they are data.
"""

from __future__ import annotations

import pandas as pd

from directcall_nb.display import mask_numbers, mask_phone
from directcall_nb.i18n import say
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

__all__ = ["replies_display"]

_COLUMNS = ("phone", "sent_to", "text", "received_at", "campaign", "opt_out")


def replies_display(frame: pd.DataFrame, language: Language | None = None) -> pd.DataFrame:
    """Return a frame of replies ready to show, newest first.

    Parameters
    ----------
    frame : DataFrame
        Replies as `directcall_nb.Journal.replies` returns them.
    language : {"pt", "en"}, optional
        Default: ``directcall_nb.options.language``.
    """
    language = language or current_language()
    latest = frame.iloc[::-1]
    none = say("reply_no_campaign", language)
    shown = pd.DataFrame(
        {
            "phone": latest["phone"].map(mask_phone),
            "sent_to": latest["sent_to"].map(mask_phone),
            "text": latest["text"].map(lambda text: mask_numbers(str(text))),
            "received_at": [f"{moment:%d/%m/%Y %H:%M}" for moment in latest["received_at"]],
            "campaign": [none if pd.isna(c) else str(c) for c in latest["campaign"]],
            "opt_out": [say("reply_yes" if o else "reply_no", language) for o in latest["opt_out"]],
        }
    )
    shown.columns = [say(f"reply_col_{name}", language) for name in _COLUMNS]
    return shown.reset_index(drop=True)
