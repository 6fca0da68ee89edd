"""Fault injection: server errors and dropped connections, drawn with a seeded generator."""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Fault", "FaultInjector", "Faults"]

#: What can go wrong with one request.
#:
#: ``server_error``: HTTP 503 (Service Unavailable) with a plain body, nothing processed.
#: ``drop_before``: the connection is closed with no answer, nothing processed.
#: ``drop_after``: the request is processed, then the connection is closed with no answer.
Fault = Literal["server_error", "drop_before", "drop_after"]

_KINDS: tuple[Fault, ...] = ("server_error", "drop_before", "drop_after")


@dataclass(frozen=True)
class Faults:
    """Probabilities of failure for the requests to some endpoints.

    Parameters
    ----------
    server_error : float
        Probability of an HTTP 503 answer with a plain-text body; nothing is processed.
    drop_before : float
        Probability that the connection is closed without an answer before anything is processed.
    drop_after : float
        Probability that the request is processed (a send is delivered and billed) and the
        connection is then closed without an answer.
    seed : int or None
        Seed of the random generator, so that a sequence of requests meets the same faults on
        every run. ``None`` draws from the operating system.
    endpoints : tuple of str
        The API paths the faults apply to; other paths always answer normally.

    Notes
    -----
    One number is drawn per request to a listed endpoint; the three probabilities are
    consecutive slices of ``[0, 1)``, so they must add up to at most 1.
    """

    server_error: float = 0.0
    drop_before: float = 0.0
    drop_after: float = 0.0
    seed: int | None = None
    endpoints: tuple[str, ...] = ("/sms/send",)

    def __post_init__(self) -> None:
        for kind in _KINDS:
            value = getattr(self, kind)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"Faults.{kind} must be a number between 0 and 1, not {value!r}")
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"Faults.{kind} must be between 0 and 1, not {value!r}")
        total = self.server_error + self.drop_before + self.drop_after
        if total > 1.0 + 1e-12:
            raise ValueError(
                f"Faults: server_error + drop_before + drop_after must be at most 1, not {total:g}"
            )
        if isinstance(self.endpoints, str):
            object.__setattr__(self, "endpoints", (self.endpoints,))
        else:
            object.__setattr__(self, "endpoints", tuple(self.endpoints))
        for path in self.endpoints:
            if not isinstance(path, str) or not path.startswith("/"):
                raise ValueError(
                    f"Faults.endpoints must be API paths such as '/sms/send': {path!r}"
                )

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> Faults:
        """Build from plain values (JSON or form fields), e.g. ``{"server_error": "0.5"}``.

        ``endpoints`` may be a list or a comma-separated string; unknown keys are an error.
        """
        unknown = set(options) - {*_KINDS, "seed", "endpoints"}
        if unknown:
            raise ValueError(f"unknown fault options: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {k: float(options[k]) for k in _KINDS if k in options}
        if options.get("seed") not in (None, ""):
            values["seed"] = int(options["seed"])
        if "endpoints" in options:
            endpoints = options["endpoints"]
            if isinstance(endpoints, str):
                endpoints = [p.strip() for p in endpoints.split(",") if p.strip()]
            values["endpoints"] = tuple(endpoints)
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """Return the options as plain JSON-ready values."""
        values = asdict(self)
        values["endpoints"] = list(self.endpoints)
        return values


class FaultInjector:
    """Decides, request by request, which fault (if any) applies. Safe to use from any thread.

    Parameters
    ----------
    faults : Faults or None
        The initial probabilities; ``None`` means no faults.
    """

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self._faults = Faults()
        self._random = random.Random()
        self.configure(faults)

    @property
    def faults(self) -> Faults:
        """The probabilities in force."""
        return self._faults

    def configure(self, faults: Faults | None) -> None:
        """Replace the probabilities and restart the generator from their seed."""
        faults = Faults() if faults is None else faults
        if not isinstance(faults, Faults):
            raise TypeError(
                f"faults must be a Faults instance or None, not {type(faults).__name__}"
            )
        with self._lock:
            self._faults = faults
            self._random = random.Random(faults.seed)

    def draw(self, endpoint: str) -> Fault | None:
        """Return the fault for one request to ``endpoint``, or ``None``."""
        with self._lock:
            faults = self._faults
            if endpoint not in faults.endpoints:
                return None
            roll = self._random.random()
        threshold = 0.0
        for kind in _KINDS:
            threshold += getattr(faults, kind)
            if roll < threshold:
                return kind
        return None
