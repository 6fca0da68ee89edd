"""``directcall-nb demo``: working copies of the tutorials, opened in JupyterLab.

The tutorials are copied to a working folder (`copy_tutorials`; the originals are never opened,
so JupyterLab's autosave cannot change them), and JupyterLab is served there until Ctrl-C, its
URL printed last, once it answers. Each tutorial starts its own sandbox.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

__all__ = ["DEFAULT_DEMO_FOLDER", "copy_tutorials", "run_demo"]

#: Where ``directcall-nb demo`` keeps its working copies of the tutorials, by default.
DEFAULT_DEMO_FOLDER = "demo-notebooks"
#: In the working folder: what each copy held when it was made (to tell the reader's changes).
_DEMO_MANIFEST = ".directcall-demo.json"
#: In the working folder: JupyterLab's log (a hidden file, so its file browser does not list it).
_DEMO_LOG = ".jupyterlab.log"


def _tutorial_files(folder: Path) -> list[Path]:
    """Return the files of the tutorials in ``folder`` (notebooks and their data), relative to it.

    Hidden files and folders (``.ipynb_checkpoints``) and ``__pycache__`` are left out.
    """
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
        if path.is_file() and not hidden:
            found.append(relative)
    return found


def copy_tutorials(source: Path, target: Path, *, reset: bool = False) -> dict[str, list[str]]:
    """Copy the tutorials in ``source`` to the working folder ``target``; ``source`` is only read.

    A copy is made where there is none, and brought up to date where the tutorial changed while
    the copy did not (it still holds what was copied last time). A copy that changed since it
    was made (edited, run, saved by JupyterLab) is left as it is, unless ``reset``.

    Parameters
    ----------
    source : Path
        The tutorials: notebooks and their ``data/``.
    target : Path
        The working folder, created if needed; it must not contain ``source`` nor lie in it.
    reset : bool, default False
        Replace the copies that changed with fresh ones.

    Returns
    -------
    dict of str to list of str
        The files (paths relative to the folders), by what became of their copy: ``new``,
        ``updated``, ``unchanged``, ``changed`` (changed by the reader, left alone; the tutorial
        is the same as when it was copied), ``kept`` (changed by the reader and left alone,
        though the tutorial changed since) and ``replaced`` (changed, and replaced: ``reset``).

    Raises
    ------
    ValueError
        ``target`` is ``source``, lies in it or contains it: JupyterLab would save into the
        tutorials themselves.
    """
    import hashlib
    import json
    import shutil

    source, target = source.resolve(), target.resolve()
    if target.is_relative_to(source) or source.is_relative_to(target):
        raise ValueError(
            f"the working folder {target} must be outside the tutorials' folder {source}, and "
            "must not contain it: JupyterLab would save into the tutorials themselves"
        )

    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    manifest = target / _DEMO_MANIFEST
    try:
        recorded = dict(json.loads(manifest.read_text(encoding="utf-8"))["copied"])
    except (OSError, ValueError, KeyError, TypeError):
        recorded = {}
    done: dict[str, list[str]] = {
        outcome: [] for outcome in ("new", "updated", "unchanged", "changed", "kept", "replaced")
    }
    copied: dict[str, str | None] = {}
    for relative in _tutorial_files(source):
        name = relative.as_posix()
        original, copy = source / relative, target / relative
        fresh, before = digest(original), recorded.get(name)
        if not copy.is_file():
            outcome = "new"
        elif (now := digest(copy)) == fresh:
            outcome = "unchanged"
        elif now == before:
            outcome = "updated"
        elif reset:
            outcome = "replaced"
        else:
            outcome = "changed" if before == fresh else "kept"
        if outcome in ("new", "updated", "replaced"):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, copy)
        copied[name] = before if outcome in ("changed", "kept") else fresh
        done[outcome].append(name)
    target.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"copied": copied}, indent=1) + "\n", encoding="utf-8")
    return done


def _shown_path(path: Path) -> str:
    """Return ``path`` as the reader would type it: relative to the current folder, if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path.resolve())


def _jupyterlab_url(process: subprocess.Popen[bytes]) -> str | None:
    """Wait until the JupyterLab that ``process`` runs answers; return its URL (None: it stopped).

    The server writes its address and token to ``jpserver-<pid>.json`` in Jupyter's runtime
    folder once it listens; it is ready when its ``/api/status`` answers.
    """
    import json
    import time

    import httpx
    from jupyter_core.paths import jupyter_runtime_dir

    info_file = Path(jupyter_runtime_dir()) / f"jpserver-{process.pid}.json"
    while process.poll() is None:
        try:
            info = json.loads(info_file.read_text(encoding="utf-8"))
            base, token = str(info["url"]).rstrip("/"), str(info.get("token") or "")
            headers = {"Authorization": f"token {token}"} if token else {}
            answer = httpx.get(f"{base}/api/status", headers=headers, timeout=5, trust_env=False)
        except (OSError, ValueError, KeyError, TypeError, httpx.HTTPError):
            answer = None  # not written yet, half written, or not answering yet
        if answer is not None and answer.status_code == 200:
            return f"{base}/lab?token={token}" if token else f"{base}/lab"
        time.sleep(0.2)
    return None


def _stop_jupyterlab(process: subprocess.Popen[bytes]) -> None:
    """Ask JupyterLab to shut down (it closes its kernels), and kill it if it does not."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        process.kill()
        process.wait()


def _serve_jupyterlab(folder: Path, args: argparse.Namespace, out: TextIO) -> int:
    """Run JupyterLab on ``folder`` until Ctrl-C; print its URL, last, once it answers."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if args.port is not None:  # that port, or a clear failure: not silently another one
        command += [f"--ServerApp.port={args.port}", "--ServerApp.port_retries=0"]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI machines often run as root
    log_path = folder / _DEMO_LOG
    shown = _shown_path(folder)
    print(f"Starting JupyterLab on {shown}/ (its log: {shown}/{_DEMO_LOG}) …", file=out, flush=True)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main_thread else None
    with log_path.open("wb") as log:
        # Not on a terminal, JupyterLab stops at Ctrl-C without asking (the terminal sends the
        # signal to it as well); its log lines go to the log, so the URL stays the last line.
        process = subprocess.Popen(
            command, cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            url = _jupyterlab_url(process)
            if url is None:
                lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
                print(
                    f"directcall-nb demo: JupyterLab stopped before it was ready (exit status "
                    f"{process.returncode}). The end of its log, {log_path}:",
                    *lines[-20:],
                    sep="\n",
                    file=sys.stderr,
                )
                return process.returncode or 1
            print("JupyterLab is ready; open this URL (Ctrl-C here stops it):", file=out)
            print(url, file=out, flush=True)
            status = process.wait()
        except KeyboardInterrupt:
            status = 0
        finally:
            _stop_jupyterlab(process)
            if main_thread:
                signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
    print(f"JupyterLab stopped; your copies stay in {shown}/.", file=out, flush=True)
    return status


def run_demo(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``directcall-nb demo``: copy the tutorials, then serve them until Ctrl-C.

    Returns
    -------
    int
        The exit status: 2 when the tutorials or JupyterLab are missing, or the copy fails.
    """
    import importlib.util

    tutorials, folder = Path(args.notebooks), Path(args.work_dir)
    if not tutorials.is_dir():
        print(f"directcall-nb demo: no folder {tutorials.resolve()}", file=sys.stderr)
        return 2
    if importlib.util.find_spec("jupyterlab") is None:
        print(
            "directcall-nb demo: JupyterLab is not installed in this Python: "
            "pip install jupyterlab (make demo installs it)",
            file=sys.stderr,
        )
        return 2
    try:
        done = copy_tutorials(tutorials, folder, reset=args.reset)
    except (ValueError, OSError) as exc:
        print(f"directcall-nb demo: {exc}", file=sys.stderr)
        return 2
    shown, original = _shown_path(folder), _shown_path(tutorials)
    lines = [
        f"Working copies of the tutorials: {shown}/ ({original}/ itself is never opened, so it "
        "stays as it is).",
        "Each tutorial starts its own local sandbox: nothing leaves this machine.",
    ]
    if done["new"] and len(done["new"]) < len(_tutorial_files(tutorials)):
        lines.append(f"  new: {', '.join(done['new'])}")
    if done["updated"]:
        lines.append(f"  updated to the latest tutorials: {', '.join(done['updated'])}")
    if done["replaced"]:
        lines.append(f"  replaced by fresh copies (--reset): {', '.join(done['replaced'])}")
    if done["kept"]:
        lines.append(
            f"  kept as you changed them, though the tutorial is newer: {', '.join(done['kept'])}"
            "\n  (--reset, or make demo RESET=1, replaces your changes with fresh copies)"
        )
    print("\n".join(lines), file=out, flush=True)
    return _serve_jupyterlab(folder.resolve(), args, out)
