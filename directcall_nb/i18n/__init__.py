"""Every displayed string, in Portuguese (Brazil) and English, in one table.

Each entry of `TABLE` is a key and its two texts ``(pt, en)``; a text may have ``{name}`` fields,
filled with `str.format`, and a text that depends on a count holds its two forms ``one|other``
(see `say_count`). Reprs, reports, the compose form and the magics take their words from here;
errors and reasons are written from their structured fields (`explain`, `reason_text`), never by
reading an English message.

The language is ``directcall_nb.options.language`` unless a display is asked for another (the
compose form is Portuguese by default, whatever the setting).

Modules:

- ``_table``: the one `TABLE`, merged from the parts below (a key defined twice is refused), with
  DirectCall's numbers (`directcall_nb.vocabulary`) filled in where a text names them.
- ``_form``: the compose form's words: inputs, figures, preview, sending.
- ``_reports``: progress, row statuses, reports, plans, estimates, why a send stopped.
- ``_reasons``: why a row cannot be sent to: row reasons, phone faults, line types.
- ``_opt_outs``: opt-outs: why a row that opted out is not sent, the list's import.
- ``_pictures``: the campaign in pictures: the funnel's stages, the charts, the history table.
- ``_voice``: the errors of a voice message's own options: its audio, the calls per number.
- ``_errors``: every error and DirectCall return code in words.
- ``_replies``: the replies customers send back, and what a sync of them found.
- ``_magics``: the ``%directcall`` magic: its usage, the sandbox, the login, the status.
- ``_say``: reading the table (`say`, `say_count`, `words`, `line_kind`, `reason_text`).
- ``_explain``: errors written from their fields (`explain`, `explain_codigo`).
"""

from __future__ import annotations

from directcall_nb.i18n._explain import explain, explain_codigo
from directcall_nb.i18n._say import Words, line_kind, reason_text, say, say_count, words
from directcall_nb.i18n._table import TABLE

__all__ = [
    "TABLE",
    "Words",
    "explain",
    "explain_codigo",
    "line_kind",
    "reason_text",
    "say",
    "say_count",
    "words",
]
