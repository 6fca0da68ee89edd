"""The widgets shown in a notebook: the compose form, its message editor, the progress bar.

`ComposeForm` (what ``df.directcall.compose()`` returns) writes a message for a frame, shows
what it costs and who receives what as it is typed, simulates, then sends through the one send
pipeline after a confirmation. `MessageEditor` is its text box, an anywidget that inserts
placeholders at the caret and keeps the notebook's shortcuts away from the keys typed.
`WidgetProgress` shows a send's progress (a `directcall_nb.sending.ProgressSink`). No code here
speaks HTTP, and no widget trait holds a credential or a token.

Modules:

- ``_form``: `ComposeForm`; its inputs wired, the live estimate drawn, the plan built.
- ``_controls``: each input made, with its words, its width and its CSS class.
- ``_layout``: the rows of a label and its controls, the labels' column, the form's CSS.
- ``_checks``: the inputs read into options, and each input's problem in words.
- ``_inputs``: the phone column guessed; prices, schedules and the message's own text read.
- ``_summary``: the figures and previews of an estimate, and the GSM-7 replacement offer.
- ``_figures``: the words of the figures area and of the replacement offer.
- ``_preview``: HTML pieces: figures, SMS bubbles split into parts, tables, messages.
- ``_sending``: Simular, Enviar, the confirmation, the progress and the stop button.
- ``_progress``: `WidgetProgress`, the progress bar of a send.
- ``_editor``: `MessageEditor`, its front end in ``editor.js`` and ``editor.css``.
"""

from directcall_nb.widgets._editor import MessageEditor
from directcall_nb.widgets._form import ComposeForm
from directcall_nb.widgets._preview import split_parts
from directcall_nb.widgets._progress import WidgetProgress

__all__ = [
    "ComposeForm",
    "MessageEditor",
    "WidgetProgress",
    "split_parts",
]
