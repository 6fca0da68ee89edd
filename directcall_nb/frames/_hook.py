"""Run a function once a module is imported: now, or right after a later import executes it.

`when_imported` calls ``action(module)`` at once when the module is in ``sys.modules``.
Otherwise it puts a finder at the front of ``sys.meta_path``. The finder answers no import
itself: when the module is asked for, it lets the other finders find its spec (with
``importlib.machinery.PathFinder`` semantics, through `importlib.util.find_spec`), then wraps
the spec's loader so that ``exec_module`` runs the module and then the action. The finder takes
itself off ``sys.meta_path`` once the module has run, so the action runs once; a look-up that
does not import (``importlib.util.find_spec("polars")``, as libraries do to see what is
installed) leaves it in place for the real import. An ``import directcall_nb`` that never meets
the module costs one list entry. While the module
runs, its ``__loader__`` and ``__spec__.loader`` are its own loader again.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

__all__ = ["when_imported"]


class _ThenLoader(importlib.abc.Loader):
    """A loader that executes a module with its own loader, then runs the action on it."""

    def __init__(
        self,
        loader: importlib.abc.Loader,
        action: Callable[[ModuleType], None],
        finder: importlib.abc.MetaPathFinder,
    ) -> None:
        self._loader = loader
        self._action = action
        self._finder = finder

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        # The module sees its own loader (resources, reloads): the wrapper is gone once it runs.
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        if self._finder in sys.meta_path:  # the first import to run the module runs the action
            sys.meta_path.remove(self._finder)
            self._action(module)

    def __getattr__(self, name: str) -> object:
        return getattr(self._loader, name)


class _WhenImported(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader of one module the other finders find."""

    def __init__(self, name: str, action: Callable[[ModuleType], None]) -> None:
        self._name = name
        self._action = action
        self._searching = False

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self._name or self._searching:
            return None
        self._searching = True  # the search below asks every finder again, this one included
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            self._searching = False
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenLoader(spec.loader, self._action, self)
        return spec


def when_imported(name: str, action: Callable[[ModuleType], None]) -> None:
    """Call ``action(module)`` once the module ``name`` is imported.

    Parameters
    ----------
    name : str
        A module's full name, e.g. ``"polars"`` or ``"dask.dataframe"``.
    action : callable
        Called with the module: now if it is imported already, otherwise just after its code
        has run, within the ``import`` statement that loads it.
    """
    module = sys.modules.get(name)
    if module is not None:
        action(module)
        return
    sys.meta_path.insert(0, _WhenImported(name, action))
