"""``make demo``'s command starts headless: a sandbox, then JupyterLab on the tutorials."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_starts_headless_with_the_tutorials_and_a_sandbox(tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "directcall_nb.cli", "demo", "--no-browser", f"--port={port}"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")))  # type: ignore[union-attr]
    reader.start()
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline and process.poll() is None:
            found = re.search(
                rf"http://(?:127\.0\.0\.1|localhost):{port}/lab\?token=\w+", "".join(lines)
            )
            url = found.group(0) if found else None
            time.sleep(0.2)
        output = "".join(lines)
        assert url is not None, output
        sandbox = re.search(r"DirectCall sandbox for this demo: (http://127\.0\.0\.1:\d+)", output)
        assert sandbox is not None
        assert httpx.get(f"{sandbox.group(1)}/_sandbox").status_code == 200
        assert httpx.get(url).status_code == 200
        token = url.rsplit("=", 1)[1]
        listing = httpx.get(f"http://127.0.0.1:{port}/api/contents?token={token}").json()
        names = {item["name"] for item in listing["content"]}
        assert "01_validate_and_estimate.ipynb" in names
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        reader.join(timeout=10)
