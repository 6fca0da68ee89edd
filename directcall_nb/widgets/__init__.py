"""The widgets shown in a notebook: the compose form and its parts."""

from directcall_nb.widgets._form import ComposeForm
from directcall_nb.widgets._progress import WidgetProgress

__all__ = [
    "ComposeForm",
    "WidgetProgress",
]
