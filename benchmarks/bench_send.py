"""One text to 100,000 recipients through the sandbox: wall time and the client's peak memory.

The sandbox runs in a separate process (``directcall-nb sandbox``), so that the memory measured
is the client's alone. ``send()`` puts the recipients in ``destino_csv`` files of 5,000 numbers,
streamed from temporary files; the baseline is the loop that posts one recipient per request,
timed on a sample and scaled to the full list.

Run: ``.venv/bin/python benchmarks/bench_send.py [--rows N] [--sample N]``
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pandas as pd
from common import SENDER, free_port, peak_rss_mb

from directcall_nb import DirectCall

TEXT = "Promoção de fim de ano: 20% de desconto em todas as lojas até domingo. SAIR para sair."
ACCOUNT = "bench@sandbox.local"
SECRET = "bench-secret"


def start_sandbox(balance: int) -> tuple[subprocess.Popen[str], str]:
    """Start ``directcall-nb sandbox`` in a process of its own; return it and its address."""
    port = free_port()
    command = [
        sys.executable, "-m", "directcall_nb.cli", "sandbox", f"--port={port}",
        f"--balance={balance}", f"--client-id={ACCOUNT}", f"--client-secret={SECRET}",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"running at (http://\S+)", line)
        if found:
            return process, found.group(1)
    raise RuntimeError("the sandbox did not start")


def delivered(url: str) -> pd.DataFrame:
    """Return the messages the sandbox at ``url`` delivered."""
    return pd.DataFrame(httpx.get(f"{url}/_sandbox/messages", timeout=120).json()["messages"])


def main() -> None:
    """Send one text to every recipient, then time the per-recipient loop on a sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=1_000)
    args = parser.parse_args()
    phones = [f"55119{10_000_000 + i:08d}" for i in range(args.rows)]
    frame = pd.DataFrame({"celular": phones})
    os.environ["DIRECTCALL_NB_JOURNAL"] = str(Path(tempfile.mkdtemp()) / "journal.sqlite3")

    process, url = start_sandbox(balance=2 * args.rows + 2 * args.sample)
    try:
        client = DirectCall(ACCOUNT, SECRET, base_url=url)
        before_mb = peak_rss_mb()
        started = time.perf_counter()
        report = frame.directcall.send(
            TEXT, phone="celular", sender=SENDER, client=client, progress=False
        )
        ours = time.perf_counter() - started
        peak_mb = peak_rss_mb()
        sent = report.counts.get("sent", 0)

        sample = [f"55219{10_000_000 + i:08d}" for i in range(args.sample)]
        started = time.perf_counter()
        for phone in sample:
            client.send(phone, TEXT, sender=SENDER)
        loop = (time.perf_counter() - started) * args.rows / args.sample

        messages = delivered(url)
        twice = int(messages.duplicated(["phone", "text"]).sum())
        client.close()
    finally:
        process.terminate()
        process.wait(timeout=30)

    print(f"recipients: {args.rows:,}, one text, {len(report.requests)} requests (destino_csv)")
    print(f"send():                         {ours:8.2f} s  ({sent:,} sent)")
    print(f"one request per recipient:      {loop:8.2f} s  (timed on {args.sample:,}, scaled)")
    print(f"speed-up:                       {loop / ours:8.1f}x")
    print(f"client peak memory (RSS):       {peak_mb:8.0f} MB ({before_mb:.0f} MB before sending)")
    print(f"delivered twice:                {twice}")


if __name__ == "__main__":
    main()
