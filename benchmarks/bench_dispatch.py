"""Send a personalised campaign through a slow sandbox, against the loop an analyst writes today.

Each message has its own text, so each is one request. The sandbox answers after 50 ms, about
what a request from Brazil to DirectCall's servers costs. The baseline posts the messages one
after the other with ``DirectCall.send``; ``send()`` keeps several requests in flight and
records each in the journal. Each side gets a fresh sandbox, which then tells how many
messages it delivered twice (it must be none).

The journal's own cost is measured apart, on a sandbox that answers at once so that it is not
hidden behind the latency: the same campaign with ``journal=False`` and with a journal.

Run: ``.venv/bin/python benchmarks/bench_dispatch.py [--rows N] [--concurrency N]``
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from common import DDDS, SENDER, TEMPLATE, send_campaign

from directcall_nb import Sandbox
from directcall_nb.options import DEFAULT_CONCURRENCY

LATENCY = 0.05
GOAL = 10.0
JOURNAL_REPEATS = 3


def make_frame(rows: int) -> pd.DataFrame:
    """Return customers with phones in DirectCall's digits, so that the loop posts them as-is."""
    return pd.DataFrame(
        {
            "celular": [f"55{DDDS[i % len(DDDS)]}9{8000_0000 + i:08d}" for i in range(rows)],
            "nome": [f"Cliente {i}" for i in range(rows)],
            "valor": [f"{50 + i % 950},{i % 100:02d}" for i in range(rows)],
        }
    )


def duplicates(sb: Sandbox) -> int:
    """Messages the sandbox delivered more than once (same phone, same text)."""
    return int(sb.messages().duplicated(["phone", "text"]).sum())


def sequential_loop(frame: pd.DataFrame) -> tuple[float, int]:
    """Post each message in turn; return (seconds, duplicates)."""
    with Sandbox(latency=LATENCY, balance=10 * len(frame)) as sb, sb.client() as client:
        started = time.perf_counter()
        for phone, nome, valor in zip(frame["celular"], frame["nome"], frame["valor"], strict=True):
            client.send(phone, TEMPLATE.format(nome=nome, valor=valor), sender=SENDER)
        elapsed = time.perf_counter() - started
        assert len(sb.messages()) == len(frame), "the loop did not deliver every message"
        return elapsed, duplicates(sb)


def timed_send(
    frame: pd.DataFrame, *, latency: float, concurrency: int, journal: Path | bool
) -> tuple[float, int]:
    """Send the campaign with ``send()`` to a fresh sandbox; return (seconds, duplicates)."""
    with Sandbox(latency=latency, balance=10 * len(frame)) as sb, sb.client() as client:
        started = time.perf_counter()
        report = send_campaign(
            frame, TEMPLATE, client=client, journal=journal, concurrency=concurrency
        )
        elapsed = time.perf_counter() - started
        assert report.counts == {"sent": len(frame)}, f"not everything was sent: {report.counts}"
        return elapsed, duplicates(sb)


def median_seconds(run: Callable[[], tuple[float, int]]) -> float:
    """Return the median of the seconds ``run`` takes, over `JOURNAL_REPEATS` runs."""
    return statistics.median(run()[0] for _ in range(JOURNAL_REPEATS))


def main() -> None:
    """Time the loop and ``send()`` and print the speed-up, then the journal's cost."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000, help="messages to send (2,000)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"requests in flight for send() (the default, {DEFAULT_CONCURRENCY})",
    )
    args = parser.parse_args()
    frame = make_frame(args.rows)
    print(
        f"rows: {args.rows:,} personalised messages, sandbox latency {LATENCY * 1000:.0f} ms",
        flush=True,
    )

    with tempfile.TemporaryDirectory() as folder:
        journals = iter(Path(folder) / f"journal-{n}.sqlite3" for n in range(1_000))

        loop_seconds, loop_duplicates = sequential_loop(frame)
        print(f"sequential loop: {loop_seconds:.1f} s (duplicates: {loop_duplicates})", flush=True)
        send_seconds, send_duplicates = timed_send(
            frame, latency=LATENCY, concurrency=args.concurrency, journal=next(journals)
        )
        print(
            f"send(): {send_seconds:.1f} s (concurrency {args.concurrency}, with a journal)",
            flush=True,
        )
        speed_up = loop_seconds / send_seconds
        verdict = "met" if speed_up >= GOAL else "NOT met"
        print(f"speed-up: {speed_up:.1f}x (goal >= {GOAL:.0f}x: {verdict})", flush=True)
        print(f"duplicates: {send_duplicates}", flush=True)

        without = median_seconds(
            lambda: timed_send(frame, latency=0.0, concurrency=args.concurrency, journal=False)
        )
        with_journal = median_seconds(
            lambda: timed_send(
                frame, latency=0.0, concurrency=args.concurrency, journal=next(journals)
            )
        )
        overhead_ms = (with_journal - without) / args.rows * 1000
        print(
            f"journal overhead: {overhead_ms:.2f} ms per message "
            f"(sandbox latency 0: {without:.2f} s without, {with_journal:.2f} s with; "
            f"median of {JOURNAL_REPEATS})",
            flush=True,
        )


if __name__ == "__main__":
    main()
