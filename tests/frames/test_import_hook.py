"""Polars gets ``df.directcall`` whichever is imported first, and is never imported for nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from directcall_nb.frames import when_imported


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter; return what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_importing_directcall_nb_alone_does_not_import_polars() -> None:
    printed = run_python(
        """
        import sys
        import directcall_nb
        print("polars" in sys.modules)
        """
    )
    assert printed == "False"


@pytest.mark.parametrize(
    "imports", ["import polars\nimport directcall_nb", "import directcall_nb\nimport polars"]
)
def test_polars_frames_get_the_accessor_in_either_order(imports: str) -> None:
    printed = run_python(
        imports
        + """
import polars as pl
frame = pl.DataFrame({"celular": ["(11) 91234-5678", "n/a"]})
checked = frame.directcall.validate(phone="celular")
print(type(checked).__module__.split(".")[0], checked["valid"].to_list())
"""
    )
    assert printed == "polars [True, False]"


@pytest.fixture
def module_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Return the (unique) name of an importable module that counts how often its code ran."""
    name = f"counted_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text("RUNS = globals().get('RUNS', 0) + 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def test_the_action_runs_once_after_a_later_import_executes_the_module(
    module_on_path: str,
) -> None:
    seen: list[int] = []
    finders = len(sys.meta_path)
    when_imported(module_on_path, lambda module: seen.append(module.RUNS))
    assert seen == []
    module = __import__(module_on_path)
    __import__(module_on_path)  # imported already: nothing runs again
    assert seen == [1]  # after the module's own code ran
    assert len(sys.meta_path) == finders  # the finder is gone
    assert module.__spec__ is not None
    assert type(module.__loader__) is type(module.__spec__.loader)
    assert type(module.__loader__).__name__ == "SourceFileLoader"  # its own loader again


def test_the_action_runs_at_once_for_a_module_imported_already(module_on_path: str) -> None:
    imported = __import__(module_on_path)
    seen: list[ModuleType] = []
    when_imported(module_on_path, seen.append)
    assert seen == [imported]


def test_a_look_up_that_does_not_import_leaves_the_action_for_the_import(
    module_on_path: str,
) -> None:
    import importlib.util

    seen: list[int] = []
    when_imported(module_on_path, lambda module: seen.append(module.RUNS))
    assert importlib.util.find_spec(module_on_path) is not None  # "is it installed?"
    assert seen == []
    __import__(module_on_path)
    assert seen == [1]
