"""The root of the tree: `DirectCallError`, and the name every error goes by."""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = ["DirectCallError"]

#: The module every error is imported from, and named after in tracebacks and pickles, whichever
#: private module defines it.
_FACE = "directcall_nb.errors"


class DirectCallError(Exception):
    """Base class of every error raised by directcall_nb.

    Attributes
    ----------
    kind : str
        What kind of error it is, for displays (e.g. ``"template"``, ``"option"``).
    details : dict
        The fields a display writes it with (see each class).
    """

    __module__ = _FACE

    kind: ClassVar[str] = "error"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Name a subclass defined in a private module of `directcall_nb.errors` after the face."""
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith(f"{_FACE}."):
            cls.__module__ = _FACE

    @property
    def details(self) -> dict[str, Any]:
        """The fields a display writes the error with; here only the English message."""
        return {"detail": str(self)}
