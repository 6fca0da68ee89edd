"""A real JupyterLab server and a real Chromium, for the tests that drive the form in a browser.

JupyterLab runs from this interpreter on a free loopback port, with its own token, on a
temporary copy of the tutorials; its runtime files, user settings and workspaces live in the
test's directory, while the kernel spec and the widgets' lab extension come from the
environment as usual. Chromium is the system's (Debian package ``chromium``), driven by
Playwright; it is never downloaded.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
COMPOSE_NOTEBOOK = "04_compose_form.ipynb"
#: Flags that keep Chromium quiet on a machine without network: no background connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: User settings that JupyterLab reads from the test's settings directory.
LAB_SETTINGS = {
    # Save every widget's state into the notebook on save, as a user may choose to.
    "@jupyter-widgets/jupyterlab-manager/plugin": {"saveState": True},
    # Start the notebook's kernel without asking (a slow start otherwise brings a dialog).
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
    # No question about news, no look-up of newer versions.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
SERVER_START_SECONDS = 120


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab server.

    Attributes
    ----------
    url : str
        Its base address, ``http://127.0.0.1:PORT``.
    token : str
        The token that opens it.
    root : Path
        The directory it serves (a copy of the tutorials).
    log : Path
        Where its output goes.
    """

    url: str
    token: str
    root: Path
    log: Path

    def page_url(self, path: str) -> str:
        """Return the address of ``path`` (under ``/lab``), with the token."""
        return f"{self.url}/lab/tree/{path}?token={self.token}"


class Chromium:
    """The system's headless Chromium, started on demand by `new_page`.

    Starting it inside the test (not in a fixture) makes a missing Chromium a failed test
    that says how to install it, never a skipped one or a set-up error.

    Parameters
    ----------
    profile : Path
        A fresh user-data directory.
    """

    def __init__(self, profile: Path) -> None:
        self._profile = profile
        self._playwright: Playwright | None = None
        self._context: BrowserContext | None = None

    def new_page(self) -> Page:
        """Open a page of a new headless Chromium with a large window, Brazilian locale and time."""
        if not CHROMIUM.exists():
            pytest.fail(
                f"{CHROMIUM} is missing: the browser tests drive the system's Chromium. Install "
                "it with `sudo apt-get install chromium` (Debian/Ubuntu), or deselect these "
                "tests with `-m 'not browser'`.",
                pytrace=False,
            )
        self._playwright = sync_playwright().start()
        self._context = self._playwright.chromium.launch_persistent_context(
            str(self._profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1400},
            locale="pt-BR",
            timezone_id="America/Sao_Paulo",
        )
        return self._context.pages[0] if self._context.pages else self._context.new_page()

    def close(self) -> None:
        """Close the browser, if it was started."""
        if self._context is not None:
            self._context.close()
        if self._playwright is not None:
            self._playwright.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _write_settings(directory: Path) -> None:
    for plugin, values in LAB_SETTINGS.items():
        path = directory / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def _wait_until_up(process: subprocess.Popen[bytes], url: str, token: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            answer = httpx.get(f"{url}/api/status", params={"token": token}, timeout=2)
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    pytest.fail(
        f"JupyterLab did not answer in {SERVER_START_SECONDS} s:\n{log.read_text()[-3000:]}"
    )


def _stop(process: subprocess.Popen[bytes], url: str, token: str) -> None:
    try:  # the polite way: the server shuts its kernels down, and their sandboxes with them
        httpx.post(f"{url}/api/shutdown", params={"token": token}, timeout=10)
        process.wait(timeout=30)
    except (httpx.HTTPError, subprocess.TimeoutExpired):
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    """JupyterLab serving a temporary copy of the compose tutorial and its data."""
    root = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS / "data", root / "data")
    shutil.copy2(NOTEBOOKS / COMPOSE_NOTEBOOK, root / COMPOSE_NOTEBOOK)
    settings = tmp_path / "lab-settings"
    _write_settings(settings)
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        DIRECTCALL_NB_JOURNAL=str(tmp_path / "journal.sqlite3"),
    )
    token = secrets.token_hex(24)
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.token={token}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = tmp_path / "jupyterlab.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_up(process, url, token, log)
            yield Lab(url=url, token=token, root=root, log=log)
        finally:
            _stop(process, url, token)


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[Chromium]:
    """Give the system's Chromium, with a fresh profile; closed after the test."""
    browser = Chromium(tmp_path / "chromium-profile")
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where the test's screenshots go (printed as they are taken)."""
    directory = tmp_path / "screenshots"
    directory.mkdir()
    return directory
