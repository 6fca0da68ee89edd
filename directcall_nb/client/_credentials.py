"""The client's credentials: where they come from, how long a token lives, keeping them hidden.

Nothing here speaks HTTP. The client secret and the access token are held in `Secret`, whose
repr, str and pickle never show the value, so that neither can slip into a notebook's output,
a traceback's locals, a log line or a file; `HideAccessTokens` takes tokens out of the log lines
of the libraries below (httpx logs whole URLs).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

import httpx

from directcall_nb.errors import (
    AuthenticationError,
    ConfigurationError,
    InsecureURL,
    MissingCredentials,
)

__all__ = [
    "ACCESS_TOKEN_FIELD",
    "BASE_URL_VARIABLE",
    "CLIENT_ID_VARIABLE",
    "CLIENT_SECRET_VARIABLE",
    "DEFAULT_BASE_URL",
    "DEFAULT_TOKEN_LIFETIME",
    "HIDDEN",
    "REFUSED_LOGIN_PAUSE",
    "RENEWAL_MARGIN",
    "AccessToken",
    "Credentials",
    "HideAccessTokens",
    "Secret",
    "TokenKeeper",
    "hide_access_tokens",
    "is_loopback",
    "resolve_base_url",
    "resolve_credentials",
    "token_lifetime",
]

#: DirectCall's production API.
DEFAULT_BASE_URL = "https://api.directcallsoft.com"

#: The environment variables the credentials and the address are read from.
CLIENT_ID_VARIABLE = "DIRECTCALL_CLIENT_ID"
CLIENT_SECRET_VARIABLE = "DIRECTCALL_CLIENT_SECRET"
BASE_URL_VARIABLE = "DIRECTCALL_BASE_URL"

#: The field that carries the access token in a request, and its key in the token's answer.
ACCESS_TOKEN_FIELD = "access_token"

#: What is shown in place of a secret or a token.
HIDDEN = "[hidden]"

#: Seconds a token is assumed to live when its answer says nothing (DirectCall's JWTs live 1 h).
DEFAULT_TOKEN_LIFETIME = 3600.0

#: Seconds before its end at which a token is renewed (at most a quarter of its lifetime).
RENEWAL_MARGIN = 60.0

#: Seconds during which refused credentials are not tried again (a lock-out would cost more).
REFUSED_LOGIN_PAUSE = 60.0

_HOW_TO_PROVIDE = (
    "pass DirectCall(client_id=..., client_secret=...), set the environment variables "
    f"{CLIENT_ID_VARIABLE} and {CLIENT_SECRET_VARIABLE}, or run `%directcall login` in a "
    "notebook. To try things without an account, start the local sandbox with "
    "`directcall_nb.Sandbox()` in Python or `directcall-nb sandbox` in a terminal."
)


class Secret:
    """A string that never shows itself: its repr and str are masked and it cannot be pickled.

    Parameters
    ----------
    value : str
        The secret text; read it back with `reveal`.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret text (only to put it on the wire)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled")


@dataclass(frozen=True)
class Credentials:
    """The account's client id (its e-mail) and its client secret."""

    client_id: str
    client_secret: Secret

    def hide(self, text: str) -> str:
        """Return ``text`` with the client secret masked."""
        return text.replace(self.client_secret.reveal(), HIDDEN)


def resolve_credentials(
    client_id: str | None, client_secret: str | None, environ: Mapping[str, str]
) -> Credentials:
    """Take each credential from the argument, else from ``environ``.

    Parameters
    ----------
    client_id, client_secret : str or None
        The values given by the caller; ``None`` (or empty) means "look in the environment".
    environ : Mapping[str, str]
        Where ``DIRECTCALL_CLIENT_ID`` and ``DIRECTCALL_CLIENT_SECRET`` are looked up.

    Raises
    ------
    MissingCredentials
        When either is found nowhere; the message says how to provide them.
    """
    found_id = client_id or environ.get(CLIENT_ID_VARIABLE) or ""
    found_secret = client_secret or environ.get(CLIENT_SECRET_VARIABLE) or ""
    missing = [
        name
        for name, value in (("client id", found_id), ("client secret", found_secret))
        if not value.strip()
    ]
    if missing:
        raise MissingCredentials(
            f"no DirectCall {' and no '.join(missing)} was given: {_HOW_TO_PROVIDE}"
        )
    return Credentials(found_id.strip(), Secret(found_secret.strip()))


def resolve_base_url(base_url: str | None, environ: Mapping[str, str]) -> str:
    """Return the API's base URL, without a trailing slash.

    It is the argument, else ``DIRECTCALL_BASE_URL`` in ``environ``, else `DEFAULT_BASE_URL`.

    Raises
    ------
    InsecureURL
        For plain ``http://`` to a host that is not loopback (127.0.0.0/8, ::1, localhost).
    ConfigurationError
        For a URL that is not http(s) or has no host.
    """
    text = (base_url or environ.get(BASE_URL_VARIABLE) or DEFAULT_BASE_URL).strip()
    try:
        url = httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"the base URL {text!r} cannot be read: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"the base URL {text!r} must look like {DEFAULT_BASE_URL}")
    if url.scheme == "http" and not is_loopback(url.host):
        raise InsecureURL(
            f"refusing plain http:// to {url.host}: the secret and the token would cross the "
            f"network unencrypted; use https://{url.host} (plain http is accepted only for "
            "127.0.0.1, ::1 and localhost, where the sandbox runs)"
        )
    return str(url.copy_with(path=url.path.rstrip("/"), query=None, fragment=None))


def is_loopback(host: str) -> bool:
    """Tell whether ``host`` names this machine (127.0.0.0/8, ::1 or localhost)."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class AccessToken:
    """A token and the moments (``time.monotonic()``) at which to renew it and when it ends."""

    value: Secret = field(repr=False)
    renew_at: float
    expires_at: float

    @classmethod
    def issued(cls, value: str, lifetime: float, *, requested_at: float) -> AccessToken:
        """Build the token received for a request that left at ``requested_at``."""
        margin = min(RENEWAL_MARGIN, lifetime / 4)
        return cls(Secret(value), requested_at + lifetime - margin, requested_at + lifetime)

    def usable(self, now: float) -> bool:
        """Tell whether the token can still be sent at ``now`` without renewing it first."""
        return now < self.renew_at


class TokenKeeper:
    """Holds the access token for every thread of a client.

    The token is fetched on first use, fetched again when it nears its end, and fetched again
    when the server refuses it. Fetching is single-flight: threads that need a token at the
    same moment wait for one fetch instead of each making their own, and if that fetch fails,
    every thread that was waiting for it gets the same failure without asking again. Refused
    credentials are not tried again for `REFUSED_LOGIN_PAUSE` seconds: one wrong secret makes
    one attempt, not one per worker thread, and cannot lock the account out.

    Parameters
    ----------
    fetch : callable
        Asks the server for a new token.
    clock : callable, default time.monotonic
        Where the time is read (the clock of `AccessToken.renew_at` and ``expires_at``).
    """

    def __init__(
        self, fetch: Callable[[], AccessToken], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self._fetches = 0
        self._failure: tuple[int, Exception] | None = None
        self._refused: tuple[float, Exception] | None = None

    def current(self) -> AccessToken:
        """Return the token to send now, fetched first if there is none or it nears its end."""
        seen = self._fetches
        with self._lock:
            token = self._token
            if token is not None and token.usable(self._clock()):
                return token
            return self._fetch_once(seen)

    def renewed(self, refused: AccessToken) -> AccessToken:
        """Return a token other than ``refused``: fetched now, unless another thread just did."""
        seen = self._fetches
        with self._lock:
            token = self._token
            if token is not None and token is not refused and token.usable(self._clock()):
                return token
            return self._fetch_once(seen)

    def _fetch_once(self, seen: int) -> AccessToken:
        """Fetch a token, unless a fetch made while this thread waited has just failed.

        Refused credentials are remembered for `REFUSED_LOGIN_PAUSE` seconds.
        """
        failure = self._failure
        if failure is not None and failure[0] > seen:
            raise _copied(failure[1])
        refused = self._refused
        if refused is not None and self._clock() < refused[0]:
            raise _copied(refused[1])
        self._fetches += 1
        try:
            token = self._fetch()
        except AuthenticationError as exc:
            self._failure = (self._fetches, exc)
            self._refused = (self._clock() + REFUSED_LOGIN_PAUSE, exc)
            raise
        except Exception as exc:
            self._failure = (self._fetches, exc)
            raise
        self._failure = self._refused = None
        self._token = token
        return token

    def expires_in(self) -> float | None:
        """Return the seconds of life left to the token in hand; ``None`` before the first fetch."""
        token = self._token
        return None if token is None else max(token.expires_at - self._clock(), 0.0)

    def hide(self, text: str) -> str:
        """Return ``text`` with the token in hand and any ``access_token=...`` value masked."""
        token = self._token
        if token is not None:
            text = text.replace(token.value.reveal(), HIDDEN)
        return hide_access_tokens(text)


def _copied(error: Exception) -> Exception:
    """Return a new exception like ``error`` (same class, message and attributes), to raise.

    Each thread raises its own copy: one exception object raised in several threads at once
    would collect all their tracebacks.
    """
    copy = error.__class__.__new__(error.__class__)
    copy.__dict__.update(error.__dict__)
    copy.args = error.args
    return copy


def token_lifetime(answer: Mapping[str, Any], token: str, *, now: float | None = None) -> float:
    """Return the seconds a freshly issued token lives.

    ``expires_in`` in the answer wins; otherwise a JWT's ``exp`` claim, read without verifying
    the signature: ``exp`` minus the wall clock, bounded by ``exp - iat`` (which alone is used
    when the clocks plainly disagree); otherwise `DEFAULT_TOKEN_LIFETIME`.

    Parameters
    ----------
    answer : Mapping
        The parsed answer of ``/request_token``.
    token : str
        The access token it carried.
    now : float, optional
        The wall clock (``time.time()``) to compare a lone ``exp`` with.
    """
    given = _positive_number(answer.get("expires_in"))
    if given is not None:
        return given
    claims = _jwt_claims(token)
    exp = _positive_number(claims.get("exp"))
    if exp is None:
        return DEFAULT_TOKEN_LIFETIME
    left = exp - (time.time() if now is None else now)
    iat = _positive_number(claims.get("iat"))
    if iat is not None and exp > iat:
        span = exp - iat
        # The wall clock is the finer measure (iat and exp are whole seconds), unless it
        # disagrees with the server's so much that it is plainly off.
        return left if 0 < left < span else span
    return max(left, 0.0)


def _positive_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number > 0 else None


def _jwt_claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


_TOKEN_IN_QUERY = re.compile(rf"({ACCESS_TOKEN_FIELD}=)[^&\s\"'>]+")


def hide_access_tokens(text: str) -> str:
    """Return ``text`` with the value of every ``access_token=...`` replaced by ``[hidden]``."""
    return _TOKEN_IN_QUERY.sub(rf"\g<1>{HIDDEN}", text)


class HideAccessTokens(logging.Filter):
    """A logging filter that masks ``access_token=...`` in the messages it lets through."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if f"{ACCESS_TOKEN_FIELD}=" in message:
            record.msg = hide_access_tokens(message)
            record.args = None
        return True
