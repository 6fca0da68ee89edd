"""``directcall-nb sandbox`` as a terminal user meets it: a server that curl alone can talk to."""

from __future__ import annotations

import io
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from helpers import free_port

from directcall_nb.cli import build_parser, main

CONSOLE_SCRIPT = Path(sys.executable).parent / "directcall-nb"

# Only curl, sed and the shell, as in DirectCall's own examples.
CURL_CLIENT = r"""
set -eu
token=$(curl -s -d "client_id=$CLIENT_ID" -d "client_secret=$CLIENT_SECRET" "$URL/request_token" \
        | sed -n -e 's/.*"access_token":"\([^"]*\)".*/\1/p')
test -n "$token"
echo "one: $(curl -s -d "access_token=$token" -d origem=5541999990000 \
        -d 'destino=5541999990001;5541999990002' --data-urlencode 'texto=Olá do curl' \
        "$URL/sms/send")"
printf '5541999990003\n5541999990004\n' > "$WORKDIR/numeros.csv"
echo "file: $(curl -s -F "access_token=$token" -F origem=5541999990000 \
        -F "destino_csv=@$WORKDIR/numeros.csv" -F 'texto=Arquivo' "$URL/sms/send")"
echo "bad: $(curl -s -d 'client_id=x' -d 'client_secret=y' "$URL/request_token")"
curl -s -d advance=3600 "$URL/_sandbox/clock" > /dev/null
echo "an hour later: $(curl -s -o /dev/null -w '%{http_code}' -d "access_token=$token" \
        -d origem=5541999990000 -d destino=5541999990001 -d texto=oi "$URL/sms/send")"
"""


class Output:
    """Everything a process writes to its stdout and stderr, read by one thread per stream.

    The threads are the only readers of the pipes, from the start to the end of the process,
    so no line can be taken by anyone else (``communicate()`` is never used).
    """

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        assert process.stderr is not None
        self.process = process
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._out: list[str] = []
        self._err: list[str] = []
        self._threads = [
            threading.Thread(target=self._pump, args=(process.stdout, self._lines), daemon=True),
            threading.Thread(target=self._collect, args=(process.stderr,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)  # the end of the stream

    def _collect(self, stream: IO[str]) -> None:
        self._err.extend(stream)

    def read_until(self, marker: str, timeout: float = 20.0) -> str:
        """Return the stdout lines up to the one containing ``marker`` (keeping all read so far)."""
        deadline = time.monotonic() + timeout
        while not self._out or marker not in self._out[-1]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {marker!r} from the command; got {self._out!r}"
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            assert line is not None, f"the command ended before {marker!r}: {self._out!r}"
            self._out.append(line)
        return "".join(self._out)

    def finish(self, timeout: float = 15.0) -> tuple[str, str]:
        """Wait for the process to end and its streams to close; return stdout and stderr."""
        self.process.wait(timeout)
        for thread in self._threads:
            thread.join(timeout)
            assert not thread.is_alive(), "a stream of the command was not closed"
        while (line := self._lines.get_nowait()) is not None:
            self._out.append(line)
        return "".join(self._out), "".join(self._err)


@dataclass
class Served:
    process: subprocess.Popen[str]
    output: Output
    banner: str
    url: str
    client_id: str
    client_secret: str


@pytest.fixture
def served() -> Iterator[Served]:
    assert CONSOLE_SCRIPT.exists(), f"the console script is not installed at {CONSOLE_SCRIPT}"
    port = free_port()
    process = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "sandbox", "--port", str(port), "--balance", "100"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        output = Output(process)
        banner = output.read_until("Press Ctrl-C")
        url = re.search(r"running at (http://\S+)", banner)
        client_id = re.search(r"client id:\s+(\S+)", banner)
        secret = re.search(r"client secret:\s+(\S+)", banner)
        assert url, banner
        assert client_id, banner
        assert secret, banner
        assert url.group(1) == f"http://127.0.0.1:{port}"
        yield Served(process, output, banner, url.group(1), client_id.group(1), secret.group(1))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_curl_alone_gets_a_token_and_sends_through_the_command(
    served: Served, tmp_path: Path
) -> None:
    curl = shutil.which("curl")
    assert curl is not None, "curl is needed on this machine for this test"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "URL": served.url,
        "CLIENT_ID": served.client_id,
        "CLIENT_SECRET": served.client_secret,
        "WORKDIR": str(tmp_path),
    }

    shell = subprocess.run(
        ["bash", "-c", CURL_CLIENT], env=env, capture_output=True, text=True, timeout=60
    )

    assert shell.returncode == 0, shell.stderr
    answers = dict(line.split(": ", 1) for line in shell.stdout.splitlines())
    one, from_file, bad = (json.loads(answers[k]) for k in ("one", "file", "bad"))
    assert one["codigo"] == "000"
    assert one["destino"] == ["5541999990001", "5541999990002"]
    assert from_file["codigo"] == "000"
    assert from_file["destino"] == ["5541999990003", "5541999990004"]
    assert bad["codigo"] == "006"
    assert answers["an hour later"] == "401"  # the token expired when the clock moved

    listing = subprocess.run(
        [curl, "-s", served.url + "/_sandbox/messages"], capture_output=True, text=True, timeout=30
    )
    messages = json.loads(listing.stdout)["messages"]
    assert [(m["phone"], m["text"]) for m in messages] == [
        ("5541999990001", "Olá do curl"),
        ("5541999990002", "Olá do curl"),
        ("5541999990003", "Arquivo"),
        ("5541999990004", "Arquivo"),
    ]
    balance = subprocess.run(
        [curl, "-s", served.url + "/_sandbox/balance"], capture_output=True, text=True, timeout=30
    )
    assert json.loads(balance.stdout) == {"balance": 100 - 4}


def test_the_banner_shows_how_to_connect_and_ctrl_c_stops_cleanly(served: Served) -> None:
    export = next(line for line in served.banner.splitlines() if "export " in line)
    assert f"DIRECTCALL_BASE_URL={served.url}" in export
    assert f"DIRECTCALL_CLIENT_ID={served.client_id}" in export
    assert f"DIRECTCALL_CLIENT_SECRET={served.client_secret}" in export
    assert f"curl -s -d client_id={served.client_id}" in served.banner
    assert f"curl -s -d advance=600 {served.url}/_sandbox/clock" in served.banner

    served.process.send_signal(signal.SIGINT)
    out, err = served.output.finish()

    assert served.process.returncode == 0
    assert out.startswith(served.banner)
    assert out.endswith("DirectCall sandbox stopped.\n")
    assert "Traceback" not in err


def test_a_host_that_is_not_loopback_is_refused_with_a_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = io.StringIO()

    status = main(["sandbox", "--host", "0.0.0.0", "--port", "0"], out=out)

    assert status == 2
    assert "loopback" in capsys.readouterr().err
    assert out.getvalue() == ""


def test_the_command_line_lists_the_sandbox_command() -> None:
    help_text = build_parser().format_help()

    assert "sandbox" in help_text
    with pytest.raises(SystemExit):
        build_parser().parse_args([])
