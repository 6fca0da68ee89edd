"""The client of DirectCall's REST API: the only code of the package that speaks HTTP.

`DirectCall` sends SMS and voice messages, asks where they stand, cancels scheduled sends, lists
the replies received and searches the usage statement. It keeps the access token, checks every
answer by its ``codigo`` (raising the matching `directcall_nb.errors.APIError`), and translates
the connection's failures into `RequestNotSent`, `ResponseLost` or `ServerFailure`. The client
secret and the token never reach a repr, a log line, an exception or a traceback's locals.
`is_directcall_number` tells whether a text is written as DirectCall takes a phone number.

Modules: ``_client`` (`DirectCall`, its endpoints), ``_session`` (the access token and each call
made with it), ``_connection`` (one HTTP request, the only frame that sees the secrets, and its
log line), ``_credentials`` (where the credentials come from, `Secret`, the token's life),
``_fields`` (Python values written as form fields), ``_recipients`` (``destino`` inline or a
``destino_csv`` file), ``_dates`` (the three date formats), ``_envelope`` (JSON or XML answers
read and checked by ``codigo``), ``_responses`` (the answers of a send, a status, a
cancellation), ``_listings`` (inbound replies and the usage statement, page by page),
``_statement`` (reading the statement's pages to a verdict).
"""

from __future__ import annotations

from directcall_nb.client._client import DirectCall
from directcall_nb.client._fields import is_directcall_number

__all__ = ["DirectCall", "is_directcall_number"]
