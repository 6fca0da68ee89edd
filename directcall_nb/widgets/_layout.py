"""The compose form's look: rows of a label and its controls, the labels' column, the style.

Every row of the form is a label, right-aligned in a column of one width, beside a box of
controls that wraps onto more lines when the notebook is narrow. The form's own CSS (`STYLE`) is
scoped to its class, ``dc-compose``.
"""

from __future__ import annotations

import html
from typing import TypeVar

import ipywidgets as widgets

__all__ = [
    "HIDDEN",
    "SHOWN",
    "STYLE",
    "classed",
    "full_width",
    "label",
    "label_html",
    "label_text",
    "row",
]

#: The CSS ``display`` of a box hidden, and shown.
HIDDEN, SHOWN = "none", "flex"

#: The width of the labels' column: the longest label ("Preço por segmento (R$)") on one line.
_LABELS = "15em"
#: What the form's HTML needs in a notebook, scoped to the form. ipywidgets gives every line of
#: an HTML widget an input's height (28 px), which spreads the lines of a wrapped message, a
#: bubble or a table apart: text lines here are of the text's own height (the labels keep an
#: input's height by their padding). Tables keep every column but the last (the text, the
#: reason) on one line, so that a masked number is never cut in two, and scroll inside the
#: form should one still be too wide.
STYLE = """<style>
.dc-compose .widget-html-content { line-height: 1.4; }
.dc-compose .dc-preview > .widget-html-content,
.dc-compose .dc-output > .widget-html-content { overflow-x: auto; }
.dc-compose td:not(:last-child), .dc-compose th:not(:last-child) { white-space: nowrap; }
</style>"""

_Widget = TypeVar("_Widget", bound=widgets.DOMWidget)


def classed(widget: _Widget, name: str) -> _Widget:
    """Return ``widget`` with the CSS class ``name`` (the classes a browser test selects by)."""
    widget.add_class(name)
    return widget


def full_width() -> widgets.Layout:
    """Return the layout of an HTML area that takes the controls' column's width, never more."""
    return widgets.Layout(width="100%", min_width="0")


def label_html(text: str) -> str:
    """Return a row's label as HTML: right-aligned, level with an input beside it."""
    return (
        "<div style='text-align:right;padding:5px .8em 5px 0;line-height:18px'>"
        f"{html.escape(text)}</div>"
    )


def label(text: str) -> widgets.HTML:
    """Return a row's label, as wide as the labels' column."""
    return widgets.HTML(label_html(text), layout=widgets.Layout(width=_LABELS, min_width=_LABELS))


def label_text(text: str) -> widgets.HTML:
    """Return a word between two controls of a row (``"e"`` between two hours)."""
    return widgets.HTML(
        f"<span style='padding:0 .5em 0 0'>{html.escape(text)}</span>",
        layout=widgets.Layout(width="auto"),
    )


def row(head: widgets.Widget | None, *controls: widgets.Widget) -> widgets.HBox:
    """Return a row of the form: ``head`` (a label, or an empty space) beside ``controls``."""
    head = head or widgets.HTML(layout=widgets.Layout(width=_LABELS, min_width=_LABELS))
    body = widgets.HBox(
        list(controls),
        layout=widgets.Layout(flex="1 1 0%", min_width="0", flex_flow="row wrap",
                              align_items="center"),
    )  # fmt: skip
    return widgets.HBox([head, body], layout=widgets.Layout(width="100%", align_items="flex-start"))
