"""DirectCall's REST API: HTTP, wire fields, responses, credentials and tokens."""

from __future__ import annotations

from directcall_nb.client._client import DirectCall
from directcall_nb.client._wire import BRAZIL_TIME, is_directcall_number, read_moment

__all__ = [
    "BRAZIL_TIME",
    "DirectCall",
    "is_directcall_number",
    "read_moment",
]
