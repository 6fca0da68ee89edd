"""``make demo``: working copies of the tutorials, JupyterLab on them, and its URL printed last.

The tracked notebooks are never served, so nothing done in JupyterLab (running a cell, its
autosave) can change them; copies the reader changed survive the next ``make demo``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import nbformat
import pytest
from helpers import free_port

from directcall_nb.demo import copy_tutorials

ROOT = Path(__file__).parents[2]
TUTORIALS = ROOT / "notebooks"


def _demo(work: Path, port: int) -> list[str]:
    """Return the demo command on the tracked tutorials, headless, on ``port``."""
    return [
        sys.executable, "-m", "directcall_nb.cli", "demo", "--notebooks", str(TUTORIALS),
        "--work-dir", str(work), "--no-browser", f"--port={port}",
    ]  # fmt: skip


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _tutorials(folder: Path) -> Path:
    """Write a small folder of tutorials to copy: one notebook, its data, a checkpoint."""
    (folder / "data").mkdir(parents=True)
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / "a.ipynb").write_text("a, first version", encoding="utf-8")
    (folder / "data" / "x.csv").write_text("x\n1\n", encoding="utf-8")
    (folder / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("old", encoding="utf-8")
    return folder


def test_the_copy_step_copies_the_tutorials_and_their_data_and_leaves_them_untouched(
    tmp_path: Path,
) -> None:
    before = _digests(TUTORIALS)
    work = tmp_path / "work"

    done = copy_tutorials(TUTORIALS, work)
    copy = work / "01_validate_and_estimate.ipynb"
    notebook = nbformat.read(copy, as_version=4)
    output = nbformat.v4.new_output("stream", text="5511912345678\n")
    notebook.cells[1].outputs = [output]
    # what running a cell and JupyterLab's autosave do:
    nbformat.write(notebook, copy)
    copy_tutorials(TUTORIALS, work)

    assert _digests(TUTORIALS) == before
    assert sorted(done["new"]) == sorted(before)
    assert "data/clientes.csv" in done["new"]
    assert (work / "data" / "clientes.csv").read_bytes() == (
        TUTORIALS / "data" / "clientes.csv"
    ).read_bytes()
    assert "5511912345678" in copy.read_text(encoding="utf-8")


def test_a_copy_the_reader_changed_is_kept_until_asked_to_reset(tmp_path: Path) -> None:
    source, work = _tutorials(tmp_path / "tutorials"), tmp_path / "work"
    first = copy_tutorials(source, work)
    (work / "a.ipynb").write_text("a, with my changes", encoding="utf-8")
    again = copy_tutorials(source, work)
    (source / "a.ipynb").write_text("a, second version", encoding="utf-8")
    (source / "data" / "x.csv").write_text("x\n2\n", encoding="utf-8")
    (source / "b.ipynb").write_text("b", encoding="utf-8")
    newer = copy_tutorials(source, work)
    kept = (work / "a.ipynb").read_text(encoding="utf-8")
    reset = copy_tutorials(source, work, reset=True)

    assert first["new"] == ["a.ipynb", "data/x.csv"]  # no checkpoint
    assert not (work / ".ipynb_checkpoints").exists()
    assert again["changed"] == ["a.ipynb"]
    assert (newer["new"], newer["updated"], newer["kept"]) == (
        ["b.ipynb"],
        ["data/x.csv"],
        ["a.ipynb"],
    )
    assert kept == "a, with my changes"
    assert (work / "data" / "x.csv").read_text(encoding="utf-8") == "x\n2\n"
    assert reset["replaced"] == ["a.ipynb"]
    assert (work / "a.ipynb").read_text(encoding="utf-8") == "a, second version"


@pytest.mark.parametrize("where", [".", "..", "sub"])
def test_the_tutorials_are_never_served_in_place(tmp_path: Path, where: str) -> None:
    source = _tutorials(tmp_path / "tutorials")
    before = _digests(source)

    with pytest.raises(ValueError, match="JupyterLab would save into the tutorials"):
        copy_tutorials(source, source / where)
    run = subprocess.run(
        [sys.executable, "-m", "directcall_nb.cli", "demo", "--notebooks", str(source),
         "--work-dir", str(source / where), "--no-browser"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert run.returncode == 2
    assert "JupyterLab would save into the tutorials" in run.stderr
    assert "http" not in run.stdout
    assert _digests(source) == before


def test_make_demo_works_in_a_folder_git_ignores() -> None:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("needs git and make")
    dry_run = subprocess.run(
        ["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    folder = re.search(r"directcall-nb demo .*--work-dir (\S+)", dry_run.stdout)
    assert folder is not None, dry_run.stdout
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", f"{folder.group(1)}/01_validate_and_estimate.ipynb"],
        cwd=ROOT,
    )
    assert ignored.returncode == 0, f"git does not ignore {folder.group(1)}/"


def _default_sigint() -> None:
    """In the child: Ctrl-C as on a terminal, even when this test runs with SIGINT ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# Ctrl-C at the terminal signals both the command and its JupyterLab; `kill` or a time limit,
# SIGTERM.
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_demo_serves_the_copies_and_prints_the_url_last_alone(
    tmp_path: Path, stop: signal.Signals
) -> None:
    port, work = free_port(), tmp_path / "work"
    before = _digests(TUTORIALS)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    process = subprocess.Popen(
        _demo(work, port), cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True, preexec_fn=_default_sigint,
    )  # fmt: skip
    assert process.stdout is not None
    lines: list[str] = []
    url_pattern = re.compile(rf"http://(?:127\.0\.0\.1|localhost):{port}/lab\?token=\w+")
    try:
        for line in process.stdout:  # up to the URL; JupyterLab's own lines go to its log
            lines.append(line)
            if url_pattern.search(line):
                break
        assert lines, "".join(lines)
        assert url_pattern.fullmatch(lines[-1].rstrip("\n")), "".join(lines)
        url = lines[-1].strip()
        base, token = url.split("/lab?token=")
        # Printed once JupyterLab is ready: it answers at once.
        assert httpx.get(url, trust_env=False).status_code == 200
        api = f"{base}/api/contents"
        auth = {"Authorization": f"token {token}"}
        listing = httpx.get(api, headers=auth, trust_env=False).json()
        assert {item["name"] for item in listing["content"]} >= {
            "01_validate_and_estimate.ipynb",
            "data",
        }
        # What JupyterLab's autosave does: write the open notebook back, with its outputs.
        saved = httpx.get(f"{api}/01_validate_and_estimate.ipynb", headers=auth, trust_env=False)
        model = saved.json()
        model["content"]["cells"][1]["outputs"] = [
            {"output_type": "stream", "name": "stdout", "text": "saved by JupyterLab\n"}
        ]
        put = httpx.put(
            f"{api}/01_validate_and_estimate.ipynb",
            headers=auth,
            json={"type": "notebook", "format": "json", "content": model["content"]},
            trust_env=False,
        )
        assert put.status_code == 200, put.text
    finally:
        os.killpg(process.pid, stop)
        rest = process.stdout.read()
        process.wait(timeout=60)
    assert process.returncode == 0

    after_url = [line for line in rest.splitlines() if line.strip()]
    assert after_url == ["JupyterLab stopped; your copies stay in work/."]
    assert "saved by JupyterLab" in (work / "01_validate_and_estimate.ipynb").read_text()
    assert _digests(TUTORIALS) == before
    output = "".join(lines)
    assert "ServerApp" not in output  # JupyterLab's log is in the working folder
    assert "ServerApp" in (work / ".jupyterlab.log").read_text(encoding="utf-8")
    # The demo starts no sandbox of its own: each tutorial starts one.
    assert re.findall(r"https?://\S+", output) == [url]
    assert json.loads((work / ".directcall-demo.json").read_text())["copied"]


def test_a_jupyterlab_that_cannot_start_is_explained_and_prints_no_url(tmp_path: Path) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    try:
        run = subprocess.run(
            _demo(tmp_path / "work", port),
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        )
    finally:
        busy.close()
    assert run.returncode != 0
    assert "JupyterLab stopped before it was ready" in run.stderr
    assert str(port) in run.stderr  # the end of JupyterLab's log says why
    assert "http" not in run.stdout.splitlines()[-1]
