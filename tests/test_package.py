"""The package as a user meets it: a quick import, the accessor, the public names."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

import directcall_nb

HEAVY = (
    "ipywidgets",
    "IPython",
    "jupyter",
    "jupyterlab",
    "ipykernel",
    "starlette",
    "uvicorn",
    "directcall_nb.sandbox",
    "directcall_nb.widgets",
    "httpx",
    "phonenumbers",
)


def test_import_registers_the_accessor_and_loads_nothing_heavy() -> None:
    code = (
        "import json, sys, pandas as pd, directcall_nb;"
        "print(json.dumps([hasattr(pd.DataFrame(), 'directcall'), sorted(sys.modules)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    registered, modules = json.loads(out.stdout)
    assert registered
    loaded = [m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]
    assert loaded == []


def test_public_names_are_sorted_and_resolve() -> None:
    names = list(directcall_nb.__all__)
    assert names == sorted(names)
    for name in names:
        assert getattr(directcall_nb, name) is not None


def test_accessor_keeps_only_the_frame() -> None:
    frame = pd.DataFrame({"tel": ["11912345678"]})
    assert vars(frame.directcall) == {"_frame": frame}
