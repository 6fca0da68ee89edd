"""The message editor, headless: its synced state, insertions from Python, its shipped files.

What the browser sends is applied with ``set_state``, as the widget's comm does with an update
from the front end; what the kernel sends is read from the messages of a recording comm.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

import ipywidgets as widgets
import pytest
import traitlets

from directcall_nb.widgets._editor import ASSETS, MessageEditor


class RecordingComm:
    """Stands for the kernel's comm: keeps every message the widget sends."""

    comm_id = "recording"
    kernel = "a kernel"  # the widget sends only through a comm with a kernel

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, data: dict[str, Any], buffers: Any = None, **_: Any) -> None:
        self.sent.append(data)

    def on_msg(self, _callback: Any) -> None:
        pass

    def close(self, *_: Any, **__: Any) -> None:
        pass


@pytest.fixture
def editor() -> Iterator[MessageEditor]:
    widget = MessageEditor(placeholders=["{nome}", "{valor}"])
    yield widget
    widget.close()


def updates(comm: RecordingComm) -> list[dict[str, Any]]:
    return [m["state"] for m in comm.sent if m.get("method") == "update"]


def browser_sends(editor: MessageEditor, **state: Any) -> None:
    """Apply a state update as if it came from the browser."""
    editor.set_state(state)


def test_value_round_trip(editor: MessageEditor) -> None:
    editor.value = "Olá {nome}"
    assert editor.get_state()["value"] == "Olá {nome}"
    browser_sends(editor, value="Olá {nome}, tudo bem?", selection_start=21, selection_end=21)
    assert editor.value == "Olá {nome}, tudo bem?"
    assert editor.selection == (21, 21)


def test_observe_fires_on_every_keystroke(editor: MessageEditor) -> None:
    seen: list[str] = []
    editor.observe(lambda change: seen.append(change["new"]), names="value")
    typed = "Oi {nome}"
    for n in range(1, len(typed) + 1):
        browser_sends(editor, value=typed[:n], selection_start=n, selection_end=n)
    assert seen == [typed[:n] for n in range(1, len(typed) + 1)]


def test_insert_at_the_caret(editor: MessageEditor) -> None:
    editor.value = "Olá , tudo bem?"
    browser_sends(editor, selection_start=4, selection_end=4)
    editor.insert("{nome}")
    assert editor.value == "Olá {nome}, tudo bem?"
    assert editor.selection == (10, 10)
    editor.insert("!")  # the caret moved after the first insertion
    assert editor.value == "Olá {nome}!, tudo bem?"


def test_insert_replaces_the_selection(editor: MessageEditor) -> None:
    editor.value = "Olá cliente, tudo bem?"
    browser_sends(editor, selection_start=4, selection_end=11)
    editor.insert("{nome}")
    assert editor.value == "Olá {nome}, tudo bem?"
    assert (editor.selection_start, editor.selection_end) == (10, 10)


def test_a_selection_made_backwards_is_replaced_too(editor: MessageEditor) -> None:
    editor.value = "Olá cliente"
    editor.selection_start, editor.selection_end = 11, 4
    editor.insert("{nome}")
    assert editor.value == "Olá {nome}"


def test_insert_goes_to_the_end_without_a_known_caret(editor: MessageEditor) -> None:
    editor.value = "Olá "
    assert editor.selection is None
    editor.insert("{nome}")
    assert editor.value == "Olá {nome}"
    assert editor.selection == (10, 10)


def test_insert_into_an_empty_editor() -> None:
    editor = MessageEditor()
    editor.insert("{nome}")
    assert editor.value == "{nome}"


def test_a_caret_beyond_a_shortened_text_means_its_end(editor: MessageEditor) -> None:
    editor.value = "Olá cliente, tudo bem?"
    browser_sends(editor, selection_start=22, selection_end=22)
    editor.value = "Olá"
    assert editor.selection == (3, 3)
    editor.insert(" {nome}")
    assert editor.value == "Olá {nome}"


def test_positions_count_characters_as_python_does(editor: MessageEditor) -> None:
    # The browser converts its UTF-16 offsets: an emoji is one position here.
    editor.value = "🎉 Olá , feliz aniversário"
    browser_sends(editor, selection_start=6, selection_end=6)
    editor.insert("{nome}")
    assert editor.value == "🎉 Olá {nome}, feliz aniversário"


def test_insert_sends_the_text_and_the_caret_in_one_message(editor: MessageEditor) -> None:
    comm = RecordingComm()
    editor.comm = comm
    editor.value = "Olá "
    comm.sent.clear()
    editor.insert("{nome}")
    assert updates(comm) == [{"value": "Olá {nome}", "selection_start": 10, "selection_end": 10}]


def test_placeholders_trait(editor: MessageEditor) -> None:
    assert editor.placeholders == ["{nome}", "{valor}"]
    assert editor.get_state()["placeholders"] == ["{nome}", "{valor}"]
    seen: list[list[str]] = []
    editor.observe(lambda change: seen.append(change["new"]), names="placeholders")
    editor.placeholders = ["{cliente_id}"]
    assert seen == [["{cliente_id}"]]
    with pytest.raises(traitlets.TraitError):
        editor.placeholders = [1]  # type: ignore[list-item]
    assert MessageEditor(placeholders=("{a}", "{b}")).placeholders == ["{a}", "{b}"]


def test_textarea_traits_are_synced() -> None:
    editor = MessageEditor(
        "Oi",
        placeholder="Olá {nome}, sua fatura vence amanhã.",
        description="Mensagem",
        description_width="14em",
        rows=6,
        disabled=True,
        placeholders_label="Inserir coluna:",
        layout=widgets.Layout(width="100%"),
    )
    state = editor.get_state()
    assert state["placeholder"] == "Olá {nome}, sua fatura vence amanhã."
    assert (state["description"], state["description_width"]) == ("Mensagem", "14em")
    assert (state["rows"], state["disabled"]) == (6, True)
    assert state["placeholders_label"] == "Inserir coluna:"
    assert state["keyboard_scope"] == ".dc-compose"
    with pytest.raises(traitlets.TraitError):
        editor.rows = 0


def test_it_is_a_dom_widget_that_fits_in_a_form(editor: MessageEditor) -> None:
    editor.add_class("dc-message")
    box = widgets.VBox([editor])
    box.add_class("dc-compose")
    assert isinstance(editor, widgets.DOMWidget)
    assert "dc-message" in editor.get_state()["_dom_classes"]


def test_repr_is_short_and_plain(editor: MessageEditor) -> None:
    editor.value = "Oi {nome}"
    assert repr(editor) == (
        "MessageEditor(value='Oi {nome}', placeholders=['{nome}', '{valor}'], selection=None)"
    )


@pytest.mark.parametrize("name", ASSETS)
def test_front_end_files_are_shipped_in_the_package(name: str) -> None:
    resource = files("directcall_nb.widgets").joinpath(name)
    assert resource.is_file()
    text = resource.read_text("utf-8")
    assert text.strip()
    synced = MessageEditor().get_state()["_esm" if name.endswith(".js") else "_css"]
    assert synced == text


def test_the_module_is_plain_and_guards_the_keys() -> None:
    source = files("directcall_nb.widgets").joinpath("editor.js").read_text("utf-8")
    assert re.search(r"^export default \{ render \};$", source, flags=re.M)
    assert not re.search(r"^\s*import\b", source, flags=re.M)  # no bundle, no imports
    assert "data-lm-suppress-shortcuts" in source
    assert "stopPropagation" in source
    assert '"mousedown"' in source
    assert "preventDefault" in source


def test_no_trait_holds_anything_but_text_numbers_and_lists(editor: MessageEditor) -> None:
    editor.value = "Olá {nome}"
    browser_sends(editor, selection_start=3, selection_end=3)

    def plain(value: object) -> bool:
        if isinstance(value, list | tuple):
            return all(plain(item) for item in value)
        return value is None or isinstance(value, str | int | float | bool)

    state = editor.get_state()
    assert state, state
    assert all(plain(value) for value in state.values()), state
    # Every synced trait is a Unicode, Int, Bool or a List of Unicode, besides the base
    # widget's references (layout) and tuples of CSS classes.
    own = set(editor.class_trait_names(sync=True)) - set(
        widgets.DOMWidget.class_trait_names(sync=True)
    )
    kinds = {type(editor.traits()[name]).__name__ for name in own}
    assert kinds <= {"Unicode", "Int", "Bool", "List"}, kinds
