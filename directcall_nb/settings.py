"""The session's settings, as the user last set them through `directcall_nb.options`.

The user writes ``directcall_nb.options.language = "en"`` or ``directcall_nb.options.mask_phones =
False``; `directcall_nb.options` checks the value and stores it here. Displays read the settings
through `current_language` and `masking_phones`. Nothing else in the package is global.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import cast

from directcall_nb.vocabulary import Language

__all__ = [
    "current_language",
    "locale_language",
    "masking_phones",
    "set_language",
    "set_mask_phones",
]

#: The settings as the user last set them (``None``: not set, the default applies).
_SETTINGS: dict[str, object] = {"language": None, "mask_phones": True}


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
