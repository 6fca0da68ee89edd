"""Validate, estimate and plan 20,000,000 rows on a Dask cluster, against pandas on 5,000,000.

The customer list is built on the workers of a ``distributed.LocalCluster`` (two workers, one
thread each, a memory limit each), partition by partition (`common.customer_slice`: each
partition a customer list of its own, 1% of its rows regular customers found in every
partition), and kept there (``persist``); the client never holds it. Then, timed: ``validate``
(the valid rows counted), the first ``estimate`` of a two-placeholder bill (``policy="gsm"``)
and the dry-run plan of a one-text campaign (``send(..., dry_run=True)``), each computed on the
cluster. The peak resident memory is sampled in each worker and in the client (which runs the
scheduler too) from the list loaded to the end. The workers run with Dask's defaults, among them
the ``MALLOC_TRIM_THRESHOLD_=65536`` its nanny sets, which makes the C library hand freed memory
back at once (and fault in afresh the pages of every large array allocated after);
``--no-malloc-trim`` starts them without it.

The pandas path runs the same three steps on the first 5,000,000 rows of the same list, in a
fresh process, its peak resident memory above the frame loaded measured the same way. The
throughput is rows per second of the whole sequence. Last, the Dask answers on the first
partitions (1,000,000 rows) are checked against the pandas answers on the same rows: valid
rows, every total of the estimate, each row's status, the plan's counts and requests.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--rows N] [--pandas-rows N] [--quick]``
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import pandas as pd
from common import SENDER, TEMPLATE, customer_slice
from distributed import Client, LocalCluster, wait
from memory import PeakMemory, release_unused, resident_bytes, watch_peak, watched_peak

import directcall_nb  # noqa: F401  (registers df.directcall and ddf.directcall)

#: The one-text campaign the dry run plans.
TEXT = "Promoção de fim de ano: 20% de desconto em todas as lojas até domingo. SAIR para sair."
#: The price of one segment, so that the estimate and the plan have a cost.
PRICE = Decimal("0.09")
#: The steps timed, in order.
STEPS = ("validate", "estimate", "plan")
_MB = 2**20


@dataclass(frozen=True)
class Answers:
    """What the three steps answer: the checks compare these, both ways."""

    valid: int
    recipients: int
    invalid: int
    duplicates: int
    opted_out: int
    segments: int
    cost: str
    planned: dict[str, int]
    requests: int


@dataclass
class Steps:
    """Each step's wall time and peak resident memory in this process, above its start."""

    seconds: dict[str, float] = field(default_factory=dict)
    extra_bytes: dict[str, int] = field(default_factory=dict)
    peak_bytes: int = 0

    def run(self, step: str, work: Callable[[], Any]) -> Any:
        """Run ``work`` as ``step``, measured; return its answer."""
        started = time.perf_counter()
        with PeakMemory(interval=0.01) as peak:
            answer = work()
        self.seconds[step] = time.perf_counter() - started
        self.extra_bytes[step] = peak.extra_bytes
        self.peak_bytes = max(self.peak_bytes, peak.peak_bytes)
        return answer


@dataclass
class Campaign:
    """The three steps run on one frame: their answers, the estimate, and their measures."""

    answers: Answers
    estimate: Any
    steps: Steps


def count(value: Any) -> int:
    """Return a count, computing it first when it is a Dask scalar."""
    return int(value.compute() if hasattr(value, "compute") else value)


def run_campaign(frame: pd.DataFrame | dd.DataFrame) -> Campaign:
    """Validate ``frame``, estimate the bill, plan the one-text campaign; time each step."""
    accessor = frame.directcall
    steps = Steps()
    valid = steps.run("validate", lambda: count(accessor.validate(phone="celular")["valid"].sum()))
    estimate = steps.run(
        "estimate",
        lambda: accessor.estimate(TEMPLATE, phone="celular", policy="gsm", price_per_segment=PRICE),
    )
    report = steps.run(
        "plan",
        lambda: accessor.send(
            TEXT, phone="celular", sender=SENDER, price_per_segment=PRICE, dry_run=True,
            progress=False,
        ),
    )  # fmt: skip
    requests = report.requests
    answers = Answers(
        valid=valid,
        recipients=estimate.recipients,
        invalid=estimate.invalid,
        duplicates=estimate.duplicates,
        opted_out=estimate.opted_out,
        segments=estimate.segments,
        cost=str(estimate.cost),
        planned=dict(report.counts),
        requests=requests if isinstance(requests, int) else len(requests),
    )
    return Campaign(answers, estimate, steps)


def first_rows(rows: int, partition_rows: int) -> pd.DataFrame:
    """Return the first ``rows`` rows of the list the cluster builds, as one pandas frame."""
    slices = -(-rows // partition_rows)
    frame = pd.concat([customer_slice(k, partition_rows) for k in range(slices)])
    return frame.iloc[:rows]


def customer_frame(rows: int, partition_rows: int) -> dd.DataFrame:
    """Return the customer list as a Dask frame whose partitions are built on the workers."""
    parts = rows // partition_rows
    divisions = [k * partition_rows for k in range(parts)] + [rows - 1]
    frame: dd.DataFrame = dd.from_map(
        customer_slice,
        range(parts),
        rows=partition_rows,
        meta=customer_slice(0, 1).iloc[:0],
        divisions=divisions,
        label="customer-slice",
    )
    return frame


# -- the pandas path, in a process of its own -----------------------------------------------------


def pandas_figures(rows: int, partition_rows: int) -> dict[str, Any]:
    """Run the steps on the first ``rows`` rows in this process; return times and memory."""
    frame = first_rows(rows, partition_rows)
    list_bytes = int(frame.memory_usage(deep=True).sum())
    release_unused()
    start_bytes = resident_bytes()
    campaign = run_campaign(frame)
    return {
        "seconds": campaign.steps.seconds,
        "step_bytes": campaign.steps.extra_bytes,
        "answers": asdict(campaign.answers),
        "list_bytes": list_bytes,
        "start_bytes": start_bytes,
        "peak_bytes": campaign.steps.peak_bytes,
    }


def measured_pandas(rows: int, partition_rows: int) -> dict[str, Any]:
    """Run `pandas_figures` in a fresh Python process; return what it printed."""
    found = subprocess.run(
        [
            sys.executable,
            __file__,
            "--pandas-of",
            str(rows),
            "--partition-rows",
            str(partition_rows),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(found.stdout.splitlines()[-1])
    return figures


# -- the Dask path, on a local cluster ------------------------------------------------------------


@dataclass
class DaskRun:
    """The Dask path's figures: times, answers, memory, and the check on the first rows."""

    generated_seconds: float
    list_bytes: int
    campaign: Campaign
    client_start_bytes: int
    workers: dict[str, tuple[int, int]]
    check: tuple[Answers, Answers, bool]


def check_sample(
    frame: dd.DataFrame, sample: int, partition_rows: int
) -> tuple[Answers, Answers, bool]:
    """Run the steps on the first partitions with Dask and with pandas; compare every answer.

    Returns the Dask answers, the pandas answers, and whether each row's status is the same.
    """
    ours = run_campaign(frame.partitions[: sample // partition_rows])
    theirs = run_campaign(first_rows(sample, partition_rows))
    statuses = ours.estimate.rows["status"].compute()
    same_rows = bool(statuses.astype(str).equals(theirs.estimate.rows["status"].astype(str)))
    return ours.answers, theirs.answers, same_rows


def run_dask(args: argparse.Namespace) -> DaskRun:
    """Build the list on a two-worker cluster, run the steps, sample every process's memory."""
    # None unsets the variable the nanny gives its worker (Dask's own default is 65536).
    trim = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
    with (
        dask.config.set(trim if args.no_malloc_trim else {}),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            memory_limit=args.worker_memory,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()
        frame = customer_frame(args.rows, args.partition_rows).persist()
        wait(frame)
        generated = time.perf_counter() - started
        list_bytes = count(frame.memory_usage(deep=True).sum())
        client.run(release_unused)
        release_unused()
        client.run(watch_peak)
        client_start = resident_bytes()
        campaign = run_campaign(frame)
        workers: dict[str, tuple[int, int]] = client.run(watched_peak)
        check = check_sample(frame, args.sample, args.partition_rows)
    return DaskRun(generated, list_bytes, campaign, client_start, workers, check)


# -- the figures ----------------------------------------------------------------------------------


def memory(start: int, peak: int) -> str:
    """Write a peak as MB above the start, then the whole peak: ``"1,650 (of 2,300)"``."""
    return f"{(peak - start) / _MB:,.0f} (of {peak / _MB:,.0f})"


def print_table(dask_rows: int, run: DaskRun, pandas_rows: int, pandas: dict[str, Any]) -> None:
    """Print rows, wall time, rows per second and peak memory of both paths, and the ratio."""
    dask_seconds = sum(run.campaign.steps.seconds.values())
    pandas_seconds = sum(pandas["seconds"].values())
    dask_speed, pandas_speed = dask_rows / dask_seconds, pandas_rows / pandas_seconds
    workers = " / ".join(memory(start, peak) for start, peak in run.workers.values())
    client = memory(run.client_start_bytes, run.campaign.steps.peak_bytes)
    print(f"{'':24}{'rows':>12}{'wall time':>11}{'rows/s':>12}  peak MB above the list loaded (of)")
    print(
        f"{'pandas, one process':24}{pandas_rows:>12,}{pandas_seconds:>9.1f} s"
        f"{pandas_speed:>12,.0f}  process {memory(pandas['start_bytes'], pandas['peak_bytes'])}"
    )
    print(
        f"{'Dask, 2 workers':24}{dask_rows:>12,}{dask_seconds:>9.1f} s{dask_speed:>12,.0f}"
        f"  client {client}; per worker {workers}"
    )
    ratio = dask_speed / pandas_speed
    print(f"throughput, Dask {dask_rows:,} rows vs pandas {pandas_rows:,}: {ratio:.2f}x")


def print_details(run: DaskRun, pandas: dict[str, Any]) -> None:
    """Print each step's time, the list's size, and the check on the first rows."""
    measured = (
        ("pandas", pandas["seconds"], pandas["step_bytes"]),
        ("Dask", run.campaign.steps.seconds, run.campaign.steps.extra_bytes),
    )
    for name, seconds, extra in measured:
        steps = ", ".join(
            f"{step} {seconds[step]:.1f} s (+{extra[step] / _MB:,.0f} MB)" for step in STEPS
        )
        print(
            f"{name + ' steps:':14}{steps} (in the {'process' if name == 'pandas' else 'client'})"
        )
    print(
        f"the list on the workers: {run.list_bytes / _MB:,.0f} MB, built there in "
        f"{run.generated_seconds:.1f} s (not in the wall time); pandas' frame "
        f"{pandas['list_bytes'] / _MB:,.0f} MB"
    )
    a = run.campaign.answers
    print(
        f"Dask answers: {a.valid:,} valid, {a.recipients:,} recipients, {a.duplicates:,} "
        f"duplicates (across partitions too), {a.segments:,} segments, R$ {a.cost}; plan: "
        f"{a.requests:,} requests, {a.planned}"
    )
    ours, theirs, same_rows = run.check
    same = ours == theirs and same_rows
    print(
        f"same answers as pandas on the first {ours.valid + ours.invalid:,} rows "
        f"(valid, totals, statuses, plan): {'yes' if same else 'NO'}"
    )
    if not same:
        print(f"  Dask:   {ours}\n  pandas: {theirs}\n  same statuses: {same_rows}")


def parse_args() -> argparse.Namespace:
    """Read the options; ``--quick`` makes every size small."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--pandas-rows", type=int, default=5_000_000)
    parser.add_argument("--partition-rows", type=int, default=500_000)
    parser.add_argument("--sample", type=int, default=1_000_000, help="rows checked both ways")
    parser.add_argument("--worker-memory", default="6GB", help="each worker's memory limit")
    parser.add_argument(
        "--no-malloc-trim",
        action="store_true",
        help="start the workers without the MALLOC_TRIM_THRESHOLD_ Dask's nanny sets by default",
    )
    parser.add_argument("--quick", action="store_true", help="a small run, to try it out")
    parser.add_argument("--pandas-of", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.rows, args.pandas_rows, args.partition_rows, args.sample = (
            400_000,
            100_000,
            50_000,
            100_000,
        )
    for option in ("rows", "sample"):
        if getattr(args, option) % args.partition_rows or getattr(args, option) <= 0:
            parser.error(f"--{option} must be a positive multiple of --partition-rows")
    if args.sample > args.rows:
        parser.error("--sample must not exceed --rows")
    return args


def main() -> None:
    """Run the pandas path in a fresh process, then the Dask path; print both and the check."""
    args = parse_args()
    os.environ.setdefault(
        "DIRECTCALL_NB_JOURNAL", str(Path(tempfile.mkdtemp()) / "journal.sqlite3")
    )
    if args.pandas_of:
        print(json.dumps(pandas_figures(args.pandas_of, args.partition_rows)))
        return
    pandas = measured_pandas(args.pandas_rows, args.partition_rows)
    run = run_dask(args)
    print(f"template: {TEMPLATE!r} (policy gsm); one-text campaign planned: {TEXT!r}")
    print_table(args.rows, run, args.pandas_rows, pandas)
    print_details(run, pandas)


if __name__ == "__main__":
    main()
