"""The errors found here, before anything is sent: bad input, the set-up, the cost limit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from directcall_nb.errors._base import DirectCallError

__all__ = [
    "ColumnNotFound",
    "ConfigurationError",
    "CostLimitExceeded",
    "InputError",
    "InsecureURL",
    "InvalidOption",
    "InvalidSchedule",
    "InvalidSender",
    "JournalError",
    "MessageTooLong",
    "MissingCredentials",
    "TemplateError",
    "UnknownPlaceholder",
]


# -- bad input ---------------------------------------------------------------------------------


class InputError(DirectCallError, ValueError):
    """Bad input, detected before anything is sent."""

    kind = "input"


def _listing(names: Iterable[object]) -> str:
    return ", ".join(repr(str(n)) for n in names) or "(none)"


class ColumnNotFound(InputError, KeyError):
    """A column named by the caller is not in the frame."""

    kind = "column_not_found"

    def __init__(
        self,
        column: object,
        columns: Iterable[object],
        *,
        what: str = "column",
        duplicated: int = 0,
    ) -> None:
        self.column = column
        self.columns = [str(c) for c in columns]
        self.what = what
        self.duplicated = duplicated
        if duplicated:
            message = (
                f"{what} {str(column)!r} is not one column: the frame has {duplicated} columns "
                "with that name; rename them"
            )
        else:
            message = (
                f"{what} {str(column)!r} is not in the frame; its columns are: "
                f"{_listing(self.columns)}"
            )
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])

    @property
    def details(self) -> dict[str, Any]:
        """``column``, ``columns``, ``duplicated`` (how many columns share the name, or 0)."""
        return {"column": str(self.column), "columns": self.columns, "duplicated": self.duplicated}


class TemplateError(InputError):
    """A message template cannot be read (unbalanced braces, an empty placeholder, ...).

    Attributes
    ----------
    problem : str
        ``"not_text"``, ``"unclosed"`` (a ``{`` never closed), ``"unopened"`` (a ``}`` that
        closes nothing), ``"empty_placeholder"``, ``"forbidden"`` (a character DirectCall cannot
        carry) or ``"unknown_placeholder"``.
    position : int or None
        The character it is about, counting from 1.
    character : str or None
        For ``"forbidden"``: the character, as ``U+0000``.
    """

    kind = "template"

    def __init__(
        self,
        message: str,
        *,
        problem: str,
        position: int | None = None,
        character: str | None = None,
    ) -> None:
        self.problem = problem
        self.position = position
        self.character = character
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``problem``, ``position`` and ``character``."""
        return {"problem": self.problem, "position": self.position, "character": self.character}


class UnknownPlaceholder(TemplateError):
    """A ``{placeholder}`` in the template names no column of the frame."""

    kind = "unknown_placeholder"

    def __init__(self, placeholders: Iterable[str], columns: Iterable[object]) -> None:
        self.placeholders = list(placeholders)
        self.columns = [str(c) for c in columns]
        names = ", ".join("{" + p + "}" for p in self.placeholders)
        super().__init__(
            f"the message uses {names} but the frame has no such column; "
            f"its columns are: {_listing(self.columns)} (write {{{{ and }}}} for literal braces)",
            problem="unknown_placeholder",
        )

    @property
    def details(self) -> dict[str, Any]:
        """``placeholders`` and the frame's ``columns``."""
        return {"placeholders": self.placeholders, "columns": self.columns}


class MessageTooLong(InputError):
    """A message is longer than DirectCall accepts (700 characters).

    Attributes
    ----------
    characters : int or None
        How many it has.
    """

    kind = "too_long"

    def __init__(self, message: str, *, characters: int | None = None) -> None:
        self.characters = characters
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``characters``."""
        return {"characters": self.characters}


class InvalidOption(InputError):
    """An option's value cannot be used; the message names the option, the value and the fix.

    Parameters
    ----------
    message : str
        The whole sentence: what is wrong and what to do.
    option : str
        The option's name, as the caller wrote it (e.g. ``"max_cost"``).
    value : object
        The value given.
    suggestion : str, optional
        What to write instead, when there is an obvious fix (e.g. ``"short_number=True"``).

    Attributes
    ----------
    option, value, suggestion
        As given.
    """

    kind = "option"

    def __init__(
        self,
        message: str,
        *,
        option: str,
        value: object = None,
        suggestion: str | None = None,
        problem: str | None = None,
    ) -> None:
        self.option = option
        self.value = value
        self.suggestion = suggestion
        self.problem = problem
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``option``, ``value``, ``suggestion`` and ``problem`` (a word naming the case)."""
        return {
            "option": self.option,
            "value": self.value,
            "suggestion": self.suggestion,
            "problem": self.problem,
        }


class InvalidSender(InvalidOption):
    """The sender number (``origem``) is missing or not a valid number.

    ``problem``: ``"missing"``, ``"format"`` (not written as DirectCall's digits; ``suggestion``
    is the number as it should be written, when it is a valid number) or ``"invalid"``.
    """

    kind = "sender"

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        suggestion: str | None = None,
        problem: str = "invalid",
    ) -> None:
        super().__init__(
            message, option="sender", value=value, suggestion=suggestion, problem=problem
        )


class InvalidSchedule(InvalidOption):
    """A schedule is in the past, too close to now, or cannot be read.

    ``problem``: ``"past"``, ``"too_close"``, ``"unreadable"``, ``"no_time"`` or ``"missing"``;
    ``moment`` and ``now`` are the schedule and the present, in Brazil time, when known.
    """

    kind = "schedule"

    def __init__(
        self,
        message: str,
        *,
        value: object = None,
        problem: str = "unreadable",
        moment: object = None,
        now: object = None,
    ) -> None:
        self.moment = moment
        self.now = now
        super().__init__(message, option="schedule", value=value, problem=problem)

    @property
    def details(self) -> dict[str, Any]:
        """As `InvalidOption`, with ``moment`` and ``now``."""
        return {**super().details, "moment": self.moment, "now": self.now}


class OutsideWindow(InputError):
    """A send would start, or a schedule falls, outside the delivery window; nothing was sent.

    Parameters
    ----------
    message : str
        The whole sentence, with the next opening.
    window : object
        The `directcall_nb.Window`.
    moment : datetime
        When the send would go out: now, or the schedule (Brasília time).
    next_opening : datetime
        When the window next opens (Brasília time): send from then on, or pass
        ``schedule="next_window"``.
    problem : str
        ``"closed"`` (the send starts outside) or ``"schedule"`` (the schedule is outside).
    """

    kind = "outside_window"

    def __init__(
        self,
        message: str,
        *,
        window: object,
        moment: object,
        next_opening: object,
        problem: str = "closed",
    ) -> None:
        self.window = window
        self.moment = moment
        self.next_opening = next_opening
        self.problem = problem
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``window``, ``moment``, ``next_opening`` and ``problem``."""
        return {
            "window": self.window,
            "moment": self.moment,
            "next_opening": self.next_opening,
            "problem": self.problem,
        }


# -- configuration -----------------------------------------------------------------------------


class ConfigurationError(DirectCallError):
    """The client cannot be set up as asked."""

    kind = "configuration"


class MissingCredentials(ConfigurationError):
    """No client id or client secret was given, nor found in the environment."""

    kind = "missing_credentials"


class InsecureURL(ConfigurationError):
    """Plain ``http://`` was asked for a host that is not loopback."""

    kind = "insecure_url"


class JournalError(ConfigurationError):
    """The journal's file cannot be opened, read or written.

    Attributes
    ----------
    path : str
        The journal's file.
    problem : str
        ``"directory"``, ``"locked"``, ``"not_journal"``, ``"newer"``, ``"closed"``,
        ``"state"`` (a request cannot change so) or ``"other"``.
    """

    kind = "journal"

    def __init__(self, message: str, *, path: object, problem: str = "other") -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``path``, ``problem``, and the English ``detail``."""
        return {"path": self.path, "problem": self.problem, "detail": str(self)}


class CostLimitExceeded(DirectCallError):
    """The plan would cost more than the caller allowed with ``max_cost``; nothing was sent.

    Attributes
    ----------
    cost, limit : Decimal
        What the campaign costs, and ``max_cost``.
    segments, recipients : int
        Its billable segments and recipients.
    """

    kind = "cost_limit"

    def __init__(
        self, message: str, *, cost: Any = None, limit: Any = None, segments: int = 0,
        recipients: int = 0,
    ) -> None:  # fmt: skip
        self.cost = cost
        self.limit = limit
        self.segments = segments
        self.recipients = recipients
        super().__init__(message)

    @property
    def details(self) -> dict[str, Any]:
        """``cost``, ``limit``, ``segments``, ``recipients``."""
        return {
            "cost": self.cost,
            "limit": self.limit,
            "segments": self.segments,
            "recipients": self.recipients,
        }
