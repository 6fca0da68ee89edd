"""The message editor: a text box with buttons that insert placeholders at the caret.

ipywidgets' ``Textarea`` knows nothing of its caret, and a button beside it keeps the focus
once clicked, so the keys typed next become the notebook's shortcuts. `MessageEditor` is an
anywidget (an ES module shipped beside this file, ``editor.js``, with ``editor.css``) that
does what a message needs:

- a placeholder button inserts its text at the caret, or over the selection, and hands the
  focus back to the text box with the caret after the insertion; the button never takes the
  focus, so the space bar cannot press it again;
- no key typed in the editor reaches JupyterLab's shortcuts: the editor's element carries
  ``data-lm-suppress-shortcuts`` (JupyterLab's documented attribute: Lumino looks for no
  shortcut at or above such an element) and stops the propagation of key events;
- the closest ancestor matching `MessageEditor.keyboard_scope` (by default ``.dc-compose``,
  the compose form's class) is guarded the same way once the editor is in the page, so the
  form's other controls (buttons, drop-downs, check boxes) keep their keys too;
- ``value`` is synced on every keystroke, like a ``Textarea`` with ``continuous_update``, and
  so is the selection, which `MessageEditor.insert` uses from Python.

It holds only the message and the placeholders' texts: nothing secret is ever synced.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from typing import Any

import anywidget
import traitlets

__all__ = ["ASSETS", "MessageEditor"]

#: The files of the editor's front end, shipped inside this package.
ASSETS = ("editor.js", "editor.css")


def _asset(name: str) -> str:
    return files(__package__ or "directcall_nb.widgets").joinpath(name).read_text("utf-8")


class MessageEditor(anywidget.AnyWidget):
    """A message text box with a row of buttons that insert placeholders at the caret.

    Parameters
    ----------
    value : str, default ""
        The text to start with.
    placeholders : iterable of str, default ()
        The texts of the buttons, inserted as written (e.g. ``"{nome}"``).
    **kwargs
        Any other trait below (``placeholder``, ``description``, ``rows``, ``disabled``...),
        and the ``layout`` of any DOM widget.

    Attributes
    ----------
    value : str
        The message. Set it from Python to change the text box; ``observe(f, names="value")``
        is called on every keystroke typed in the browser.
    placeholders : list of str
        One button each, in order; an empty list hides the row.
    placeholders_label : str
        Words before the buttons (e.g. ``"Inserir coluna:"``); none when empty.
    placeholder : str
        The hint shown while the text box is empty.
    description : str
        A label on the left, as ipywidgets' ``description``; none when empty.
    description_width : str
        The label's CSS width (e.g. ``"14em"``); empty for ipywidgets' usual width.
    rows : int
        The text box's height in lines (it can be stretched down by hand).
    disabled : bool
        When true, nothing can be typed and the buttons do nothing.
    selection_start, selection_end : int or None
        The last selection (or caret, when equal) seen in the browser, in characters (code
        points, as Python counts them); None until the text box has been used. Set both to
        move the browser's caret.
    keyboard_scope : str
        A CSS selector: the closest ancestor of the editor that matches it keeps its key
        events from the notebook's shortcuts, as the editor does. Empty for the editor alone.

    Notes
    -----
    In a form, the editor takes the place of a ``Textarea`` and its row of buttons::

        editor = MessageEditor(
            text,
            placeholders=[p for p in map(placeholder_for, frame.columns) if p],
            placeholders_label=words["insert"],
            placeholder=words["message_placeholder"],
            description=words["message"],
            description_width="14em",
        )
        editor.add_class("dc-message")
        editor.observe(lambda _change: form.refresh(), names="value")

    and the form's own box carries the class ``dc-compose`` (`keyboard_scope`), so that keys
    typed on any of its controls stay out of the notebook's shortcuts. A width of 100% is not
    needed: the editor fills the width its container gives it.

    Examples
    --------
    >>> editor = MessageEditor("Olá , tudo bem?", placeholders=["{nome}"])
    >>> editor.selection_start = editor.selection_end = 4
    >>> editor.insert("{nome}")
    >>> editor.value
    'Olá {nome}, tudo bem?'
    """

    _esm = _asset("editor.js")
    _css = _asset("editor.css")

    value = traitlets.Unicode("").tag(sync=True)
    placeholders = traitlets.List(traitlets.Unicode()).tag(sync=True)
    placeholders_label = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    description_width = traitlets.Unicode("").tag(sync=True)
    rows = traitlets.Int(4, min=1).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    selection_start = traitlets.Int(None, allow_none=True, min=0).tag(sync=True)
    selection_end = traitlets.Int(None, allow_none=True, min=0).tag(sync=True)
    keyboard_scope = traitlets.Unicode(".dc-compose").tag(sync=True)

    def __init__(self, value: str = "", *, placeholders: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(value=value, placeholders=list(placeholders), **kwargs)

    def __repr__(self) -> str:
        return (
            f"MessageEditor(value={self.value!r}, placeholders={self.placeholders!r}, "
            f"selection={self.selection!r})"
        )

    @property
    def selection(self) -> tuple[int, int] | None:
        """The last known selection as ``(start, end)`` within `value`, or None if unknown.

        Positions beyond the text (left by a change of `value`) are brought back to its end.
        """
        start, end = self.selection_start, self.selection_end
        if start is None or end is None:
            return None
        size = len(self.value)
        start, end = sorted((min(start, size), min(end, size)))
        return start, end

    def insert(self, text: str) -> None:
        """Insert ``text`` at the last known caret, or over the selection, as a button does.

        The caret is then put right after the inserted text. Without a known caret (the
        text box never used) the text goes at the end.

        Parameters
        ----------
        text : str
            What to insert, e.g. ``"{nome}"``.
        """
        current = self.value
        start, end = self.selection or (len(current), len(current))
        after = start + len(text)
        with self.hold_sync():
            self.value = current[:start] + text + current[end:]
            self.selection_start = self.selection_end = after
