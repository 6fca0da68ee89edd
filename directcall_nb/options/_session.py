"""The session's settings as attributes of `directcall_nb.options`, checked when they are set."""

from __future__ import annotations

import types

from directcall_nb.options._values import check_flag, checked_keywords, checked_language
from directcall_nb.settings import (
    current_language,
    masking_phones,
    opt_out_keywords,
    session_window,
    set_language,
    set_mask_phones,
    set_opt_out_keywords,
    set_window,
)
from directcall_nb.vocabulary import Language
from directcall_nb.windows import Window, read_window

__all__ = ["SessionOptions"]


class SessionOptions(types.ModuleType):
    """The class of `directcall_nb.options`, whose settings are checked when the user sets them."""

    @property
    def language(self) -> Language:
        """The language of reprs and reports: ``"pt"`` or ``"en"`` (default: the locale's)."""
        return current_language()

    @language.setter
    def language(self, value: object) -> None:
        set_language(None if value is None else checked_language(value))

    @property
    def mask_phones(self) -> bool:
        """Whether displays mask phone numbers (default True)."""
        return masking_phones()

    @mask_phones.setter
    def mask_phones(self, value: object) -> None:
        set_mask_phones(bool(check_flag("mask_phones", value)))

    @property
    def opt_out_keywords(self) -> tuple[str, ...]:
        """The replies that opt a number out (default `directcall_nb.vocabulary.OPT_OUT_KEYWORDS`).

        Set a list of keywords; ``None`` goes back to the default.
        """
        return opt_out_keywords()

    @opt_out_keywords.setter
    def opt_out_keywords(self, value: object) -> None:
        set_opt_out_keywords(None if value is None else checked_keywords(value))

    @property
    def window(self) -> Window | None:
        """The delivery window of sends that give none (default None: any time of day).

        Set it to ``("08:00", "20:00")`` or a `directcall_nb.Window` (True: 08:00 to 20:00,
        Monday to Saturday); None (or False) takes it away. A send passes ``window=False`` to
        ignore it.
        """
        return session_window()

    @window.setter
    def window(self, value: object) -> None:
        if value is None or value is False:
            set_window(None)
        else:
            set_window(Window() if value is True else read_window(value))
