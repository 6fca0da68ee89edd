"""Why a row is not sent: a kind and its fields, written in Portuguese or English on demand."""

from __future__ import annotations

from directcall_nb.display import mask_numbers
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

__all__ = ["Reason"]


class Reason:
    """Why a row is not sent: a kind and its fields, written in either language on demand.

    Parameters
    ----------
    kind : str
        ``phone`` (an invalid number; ``detail``), ``line_type`` (SMS to a number that is no
        mobile; ``line_type``), ``missing_column`` / ``forbidden`` (``column``), ``empty``,
        ``too_long`` (``chars``) or ``duplicate``.
    **fields
        The fields its sentence needs.
    """

    __slots__ = ("fields", "kind")

    def __init__(self, kind: str, **fields: object) -> None:
        self.kind = kind
        self.fields = fields

    def text(self, language: Language | None = None, *, masked: bool = False) -> str:
        """Write the sentence, in ``language`` (``directcall_nb.options.language`` by default)."""
        from directcall_nb.i18n import reason_text
        from directcall_nb.phones import EMPTY_REASON, explain_phone

        language = language or current_language()
        fields = self.fields
        if self.kind == "phone" and fields["detail"] == EMPTY_REASON:
            return reason_text("phone_empty", language)
        if self.kind == "phone" and language != "en":  # the number explained again, in words
            detail = explain_phone(
                fields["value"],
                allow_international=bool(fields["allow_international"]),
                language=language,
            )
            fields = {"detail": detail}
        elif self.kind == "phone":
            fields = {"detail": fields["detail"]}
        sentence = reason_text(self.kind, language, **fields)
        return mask_numbers(sentence) if masked else sentence

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.fields.items())
        return f"Reason({self.kind!r}{', ' if fields else ''}{fields})"
