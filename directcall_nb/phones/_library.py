"""One number at a time, straight from libphonenumber: the answer every column answer equals.

:func:`answer_value` reads one value by the rule of :mod:`directcall_nb.phones._input` and asks
the library about its text (:func:`ask`), after the two deliberate readings (Excel floats
written out, ``0055``). The columns are answered faster, and the same: what their fast path
cannot decide is asked here, once per distinct text.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

import phonenumbers

from directcall_nb.i18n import say
from directcall_nb.phones import _input as input_mod
from directcall_nb.phones import _reasons as reasons_mod
from directcall_nb.phones import _text as text_mod
from directcall_nb.phones._metadata import TYPE_NAMES
from directcall_nb.vocabulary import Language

__all__ = ["PhoneResult", "answer_value", "ask"]


@dataclass(frozen=True)
class PhoneResult:
    """One number, read as :func:`~directcall_nb.phones.normalize_phones` reads a row.

    Attributes
    ----------
    phone : str or None
        DirectCall's format (``"55"`` + DDD + number; ``"00"`` + country code + number for other
        countries), or None when not valid.
    valid : bool
        Whether the number can be sent to.
    line_type : str or None
        libphonenumber's line type (``"mobile"``, ``"fixed_line"``, ...) when it calls the number
        valid, else None.
    reason : str or None
        Why the number is not valid, or None.
    """

    phone: str | None
    valid: bool
    line_type: str | None
    reason: str | None


PhoneResult.__module__ = "directcall_nb.phones"


def answer_value(
    value: object, allow_international: bool = False, language: Language = "en"
) -> PhoneResult:
    """Answer one value of a column, asking the library about its text.

    ``language`` is the language of the reason (whole columns are answered in English).
    """
    text, reason = input_mod.read_value(value, language)
    if reason is not None:
        return PhoneResult(None, False, None, reason)
    return ask(text, allow_international, language)


def ask(text: str | None, allow_international: bool, language: Language = "en") -> PhoneResult:
    """Answer one text straight from libphonenumber (after the two readings)."""
    if text is None or not text.strip():
        return PhoneResult(None, False, None, say("phone_empty", language))
    try:
        number = phonenumbers.parse(text_mod.read_0055(text_mod.read_excel_float(text)), "BR")
    except phonenumbers.NumberParseException as exc:
        reason = reasons_mod.parse_error_reason(exc, text, language)
        # parse keeps an earlier exception in a local of its frame (a reference cycle): clear
        # the frames now, or they keep their callers' frames, and the column, until the next
        # garbage collection
        traceback.clear_frames(exc.__traceback__)
        return PhoneResult(None, False, None, reason)
    national = phonenumbers.national_significant_number(number)
    country = number.country_code or 0
    region = phonenumbers.region_code_for_number(number)
    # is_valid_number, with the region found once
    if region is None or not phonenumbers.is_valid_number_for_region(number, region):
        if region == "BR":
            return PhoneResult(None, False, None, reasons_mod.brazilian_reason(national, language))
        return PhoneResult(None, False, None, reasons_mod.not_valid_for(country, region, language))
    line_type = TYPE_NAMES[phonenumbers.number_type(number)]
    if region == "BR":
        return PhoneResult(f"{country}{national}", True, line_type, None)
    if allow_international:
        return PhoneResult(f"00{country}{national}", True, line_type, None)
    return PhoneResult(None, False, line_type, reasons_mod.foreign(country, region, language))
