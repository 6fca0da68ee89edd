"""DirectCall's REST API: HTTP, wire fields, responses, credentials and tokens."""

from __future__ import annotations

from directcall_nb.client._client import DirectCall
from directcall_nb.client._wire import is_directcall_number

__all__ = ["DirectCall", "is_directcall_number"]
