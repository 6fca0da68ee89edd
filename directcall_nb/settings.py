"""The session's settings, as the user last set them through `directcall_nb.options`.

The user writes ``directcall_nb.options.language = "en"``, ``directcall_nb.options.mask_phones =
False`` or ``directcall_nb.options.window = ("08:00", "20:00")``; `directcall_nb.options` checks
the value and stores it here. Displays read the settings through `current_language` and
`masking_phones`; the sync of replies reads `opt_out_keywords`, the option bundle
`session_window`. Nothing else in the package is global.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from directcall_nb.vocabulary import OPT_OUT_KEYWORDS, Language

if TYPE_CHECKING:
    from directcall_nb.windows import Window

__all__ = [
    "current_language",
    "locale_language",
    "masking_phones",
    "opt_out_keywords",
    "session_window",
    "set_language",
    "set_mask_phones",
    "set_opt_out_keywords",
    "set_window",
]

#: The settings as the user last set them (``None``: not set, the default applies).
_SETTINGS: dict[str, object] = {
    "language": None,
    "mask_phones": True,
    "opt_out_keywords": None,
    "window": None,
}


def locale_language(environ: Mapping[str, str] = os.environ) -> Language:
    """Return ``"pt"`` when the locale is Portuguese (``pt_BR.UTF-8``, ``pt``), else ``"en"``.

    The locale is the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return "pt" if value.lower().startswith("pt") else "en"
    return "en"


def current_language() -> Language:
    """Return the language of reprs and reports: the ``language`` setting, else the locale's."""
    chosen = _SETTINGS["language"]
    return cast(Language, chosen) if chosen is not None else locale_language()


def masking_phones() -> bool:
    """Return whether displays mask phone numbers (the ``mask_phones`` setting, True by default)."""
    return bool(_SETTINGS["mask_phones"])


def set_language(value: Language | None) -> None:
    """Set the displays' language (`value` already checked); ``None`` goes back to the locale's."""
    _SETTINGS["language"] = value


def set_mask_phones(value: bool) -> None:
    """Set whether displays mask phone numbers (`value` already checked to be a bool)."""
    _SETTINGS["mask_phones"] = value


def opt_out_keywords() -> tuple[str, ...]:
    """Return the replies that opt a number out: the setting, else `OPT_OUT_KEYWORDS`."""
    chosen = _SETTINGS["opt_out_keywords"]
    return cast(tuple[str, ...], chosen) if chosen is not None else OPT_OUT_KEYWORDS


def set_opt_out_keywords(value: tuple[str, ...] | None) -> None:
    """Set the opt-out keywords (`value` already checked); ``None`` goes back to the default."""
    _SETTINGS["opt_out_keywords"] = value


def session_window() -> Window | None:
    """Return the delivery window sends use when none is given (the ``window`` setting)."""
    return cast("Window | None", _SETTINGS["window"])


def set_window(value: Window | None) -> None:
    """Set the session's delivery window (`value` already read); ``None``: no window by default."""
    _SETTINGS["window"] = value
