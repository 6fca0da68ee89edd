"""The banner of ``directcall-nb sandbox``, pasted into a shell line by line, in order, works."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import free_port

from directcall_nb.cli import _sandbox_banner

CONSOLE_SCRIPT = Path(sys.executable).parent / "directcall-nb"
#: What the test runs after the banner, to see what its ``export`` line left in the shell.
SHOW_ENVIRONMENT = (
    'printf "env %s %s %s\\n" '
    '"$DIRECTCALL_BASE_URL" "$DIRECTCALL_CLIENT_ID" "$DIRECTCALL_CLIENT_SECRET"'
)


def _banner_of(process: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """Return the lines the command prints up to 'Press Ctrl-C'."""
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None

    def read_lines() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=read_lines, daemon=True).start()
    banner: list[str] = []
    deadline = time.monotonic() + timeout
    while not banner or "Press Ctrl-C" not in banner[-1]:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no banner from the sandbox command; got {banner!r}"
        try:
            banner.append(lines.get(timeout=remaining))
        except queue.Empty:
            continue
    return "".join(banner)


@pytest.fixture(params=[None, "a secret with spaces & 'quotes'"], ids=["default", "odd-secret"])
def banner(request: pytest.FixtureRequest) -> Iterator[str]:
    assert CONSOLE_SCRIPT.exists(), f"the console script is not installed at {CONSOLE_SCRIPT}"
    command = [str(CONSOLE_SCRIPT), "sandbox", "--port", str(free_port()), "--balance", "50"]
    if request.param is not None:
        command += ["--client-secret", request.param]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield _banner_of(process)
    finally:
        process.kill()
        process.wait(10)


@pytest.mark.parametrize("shell", ["bash", "sh"])
def test_every_line_of_the_banner_works_pasted_into_a_shell_in_order(
    banner: str, shell: str
) -> None:
    assert shutil.which("curl"), "curl is needed on this machine for this test"
    assert shutil.which(shell), f"{shell} is needed on this machine for this test"
    url = re.search(r"running at (http://\S+)", banner)
    assert url is not None, banner
    # Pasted as is: the comments do nothing, the commands run one after the other and none fails.
    script = f"set -eu\n{banner}\n{SHOW_ENVIRONMENT}\n"
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    shell_run = subprocess.run(
        [shell, "-c", script], env=environment, capture_output=True, text=True, timeout=60
    )

    assert shell_run.returncode == 0, shell_run.stderr
    assert shell_run.stderr == ""
    sent, delivered, moved, exported = shell_run.stdout.splitlines()
    answer = json.loads(sent)
    assert answer["codigo"] == "000", answer
    assert answer["destino"] == ["5541999990001"]
    messages = json.loads(delivered)["messages"]
    assert [(m["phone"], m["text"]) for m in messages] == [("5541999990001", "Olá!")]
    assert json.loads(moved)["offset"] == 600  # the sandbox's clock moved 10 minutes on
    base_url, client_id, client_secret = exported.removeprefix("env ").split(" ", 2)
    assert base_url == url.group(1)
    assert f"client id:     {client_id}" in banner
    assert f"client secret: {client_secret}" in banner


def test_no_line_of_the_banner_is_a_placeholder_or_a_caption() -> None:
    banner = _sandbox_banner("http://127.0.0.1:8787", "demo@sandbox.local", "s3cr3t", 10, 60)

    commands = [line for line in banner.splitlines() if not line.startswith("#")]

    assert [c.split(None, 1)[0].split("=", 1)[0] for c in commands] == [
        "export",
        "TOKEN",
        "curl",
        "curl",
        "curl",
    ]
    assert "=TOKEN" not in banner
    assert '"access_token=$TOKEN"' in commands[2]
