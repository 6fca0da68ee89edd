"""Send SMS and voice campaigns through DirectCall from pandas, Polars and Dask DataFrames.

Importing the package registers the ``df.directcall`` accessor, on pandas frames, on Polars
frames and on Dask frames (at once if Polars or Dask is imported already, otherwise when it is:
``directcall_nb.frames``; Dask's runs partition by partition: ``directcall_nb.partitioned``).
Everything else is imported on first use, so that ``import directcall_nb`` stays quick and loads
no Jupyter, widget, server, Polars or Dask module.

The data goes one way, each step a subpackage or a module::

    DataFrame ─► phones ──► text ─────► estimation ─► plan ─────► sending ───► report
    (accessor)   validate,  render,     per-row       requests,   journal,     per-row outcome,
                 normalise  segments    size, cost    batches     client calls summary, HTML

Around it: ``client`` (the only code that speaks HTTP), ``journal`` (SQLite: what was sent, so
that nothing is sent twice), ``sandbox`` (a local imitation of DirectCall that shares no code
with the client), ``replies`` (what customers answer, opt-outs honoured), ``widgets`` (the
compose form), ``magics`` (``%directcall``), and ``cli`` with
``demo`` (``directcall-nb``). Under every step: ``vocabulary`` (the shared words and limits),
``settings``, ``options``, ``windows`` (delivery windows: the hours a campaign may go out),
``errors`` (the exception tree), ``i18n`` (every displayed string) and ``display``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from directcall_nb import accessor as _accessor  # noqa: F401  (registers df.directcall)
from directcall_nb.errors import DirectCallError

if TYPE_CHECKING:
    from directcall_nb import options
    from directcall_nb.client import DirectCall
    from directcall_nb.estimation import Estimate, Estimator, estimate
    from directcall_nb.journal import Journal
    from directcall_nb.opt_outs import SuppressionImport, suppress
    from directcall_nb.options import Options
    from directcall_nb.phones import normalize_phone, normalize_phones, validate
    from directcall_nb.plan import Plan, build_plan
    from directcall_nb.replies import sync_replies
    from directcall_nb.report import SendReport
    from directcall_nb.sandbox import Faults, Sandbox
    from directcall_nb.sending import reconcile, send, use_client
    from directcall_nb.text import count_segments
    from directcall_nb.windows import Window

__version__ = "0.1.0"

__all__ = [
    "DirectCall",
    "DirectCallError",
    "Estimate",
    "Estimator",
    "Faults",
    "Journal",
    "Options",
    "Plan",
    "Sandbox",
    "SendReport",
    "SuppressionImport",
    "Window",
    "__version__",
    "build_plan",
    "count_segments",
    "estimate",
    "load_ipython_extension",
    "normalize_phone",
    "normalize_phones",
    "options",
    "reconcile",
    "send",
    "suppress",
    "sync_replies",
    "use_client",
    "validate",
]

_LAZY = {
    "DirectCall": "directcall_nb.client",
    "Estimate": "directcall_nb.estimation",
    "Estimator": "directcall_nb.estimation",
    "Faults": "directcall_nb.sandbox",
    "Journal": "directcall_nb.journal",
    "Options": "directcall_nb.options",
    "Plan": "directcall_nb.plan",
    "Sandbox": "directcall_nb.sandbox",
    "SendReport": "directcall_nb.report",
    "build_plan": "directcall_nb.plan",
    "count_segments": "directcall_nb.text",
    "estimate": "directcall_nb.estimation",
    "normalize_phone": "directcall_nb.phones",
    "normalize_phones": "directcall_nb.phones",
    "reconcile": "directcall_nb.sending",
    "send": "directcall_nb.sending",
    "suppress": "directcall_nb.opt_outs",
    "SuppressionImport": "directcall_nb.opt_outs",
    "sync_replies": "directcall_nb.replies",
    "use_client": "directcall_nb.sending",
    "validate": "directcall_nb.phones",
    "Window": "directcall_nb.windows",
}


#: Submodules reachable as attributes before they are imported (``directcall_nb.options``).
_SUBMODULES = ("errors", "options")


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"directcall_nb.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'directcall_nb' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext directcall_nb``: register the accessor and the ``%directcall`` magics."""
    from directcall_nb.magics import load_ipython_extension as load

    load(ipython)
