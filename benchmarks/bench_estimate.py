"""Estimate a personalised message over 1,000,000 rows, against the per-row loop.

The baseline is what an analyst writes today: for each row, validate the phone with
libphonenumber, render the text with ``str.format`` and count its segments. It runs on a sample
and is scaled to the full size. Then the same frame is re-estimated with other texts, which is
what the compose form does after every keystroke.

The memory is measured in a fresh process per size (1,000,000 rows, and ``--rows`` when it is
more): the customer list is built, the allocators hand back what they no longer use, the
frame's own bytes and the process's resident memory are taken, the peak is reset; then
``validate`` (its answer kept, as an analyst keeps it) and the first ``estimate`` run, and the
peak resident memory above the one with the frame loaded is divided by the rows. It is
measured once more at 1,000,000 rows with a distinct name on every row, as real lists have
(the benchmark's names repeat: 80 of them).

Run: ``.venv/bin/python benchmarks/bench_estimate.py [--rows N] [--sample N]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc
from common import TEMPLATE, customer_list, peak_rss_mb
from memory import PeakMemory, release_unused

from directcall_nb import Estimator, Options, count_segments, validate

#: The goal of the extra memory during validate + estimate, in bytes per row of the list.
MEMORY_GOAL = 120
#: The goal of the first estimate's speed-up over the per-row loop.
SPEED_GOAL = 40

OTHER_TEXTS = [
    "Oi {nome}! Sua fatura de R$ {valor} vence hoje.",
    "{nome}, lembrete: R$ {valor} até amanhã. Responda SAIR para não receber mais.",
    "Prezado(a) {nome}, identificamos um débito de R$ {valor}. Regularize: app.exemplo.com.br",
]


def rss_mb() -> float:
    """Return the process's resident memory now, in MB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def per_row(frame: pd.DataFrame) -> tuple[int, int]:
    """Run the loop an analyst writes today; return (recipients, segments)."""
    recipients = segments = 0
    for nome, valor, raw in zip(frame["nome"], frame["valor"], frame["celular"], strict=True):
        try:
            number = phonenumbers.parse(raw, "BR")
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
            continue
        text = TEMPLATE.format(nome=nome, valor=valor)
        recipients += 1
        segments += count_segments(text, policy="gsm").segments
    return recipients, segments


def with_distinct_names(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a customer number after each name: a distinct name on nearly every row."""
    numbers = np.random.default_rng(3).integers(0, 10**7, len(frame)).astype(str)
    names = pc.binary_join_element_wise(
        frame["nome"].array.__arrow_array__(), pa.array(numbers), " "
    )
    return frame.assign(nome=pd.Series(names, dtype=pd.ArrowDtype(pa.string())))


def memory_of(rows: int, distinct_names: bool = False) -> dict[str, float]:
    """Measure, in this process, the extra memory of validate + the first estimate on ``rows``."""
    frame = customer_list(rows)
    if distinct_names:
        frame = with_distinct_names(frame)
    frame_bytes = int(frame.memory_usage(deep=True).sum())
    release_unused()
    with PeakMemory() as peak:
        answers = validate(frame, phone="celular")
        estimate = Estimator(frame, phone="celular").estimate(TEMPLATE, Options(policy="gsm"))
    del answers, estimate
    return {"rows": rows, "frame_bytes": frame_bytes, "extra_bytes": peak.extra_bytes}


def measured_memory(rows: int, distinct_names: bool = False) -> dict[str, float]:
    """Run `memory_of` in a fresh Python process (so that no earlier call's memory counts)."""
    found = subprocess.run(
        [sys.executable, __file__, "--memory-of", str(rows)]
        + (["--distinct-names"] if distinct_names else []),
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(found.stdout.splitlines()[-1])
    return figures


def print_memory(rows: int) -> None:
    """Print the extra bytes per row of validate + estimate at 1,000,000 rows and at ``rows``.

    With two sizes it also prints what each row beyond the first million adds: the peak less
    what does not grow with the rows (the library's tables, the distinct values' texts).
    """
    measured = {size: measured_memory(size) for size in sorted({1_000_000, rows})}
    for size, m in measured.items():
        per_row = m["extra_bytes"] / size
        print(
            f"validate + estimate, {size:>10,} rows: peak {per_row:6.1f} bytes/row beyond the "
            f"frame (goal <= {MEMORY_GOAL}); the frame itself {m['frame_bytes'] / size:.0f} "
            f"bytes/row, the peak {m['extra_bytes'] / 2**20:.0f} MB"
        )
    if len(measured) == 2:
        (small, low), (large, high) = measured.items()
        added = (high["extra_bytes"] - low["extra_bytes"]) / (large - small)
        print(f"each row beyond {small:,}: {added:6.1f} bytes of the peak")
    named = measured_memory(1_000_000, distinct_names=True)
    print(
        f"the same, a distinct name on every row,  1,000,000 rows: peak "
        f"{named['extra_bytes'] / 1_000_000:6.1f} bytes/row beyond the frame (the frame itself "
        f"{named['frame_bytes'] / 1_000_000:.0f} bytes/row)"
    )


def main() -> None:
    """Time the first estimate against the per-row loop, then re-estimates with other texts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=50_000)
    parser.add_argument("--memory-of", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--distinct-names", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_of:
        print(json.dumps(memory_of(args.memory_of, args.distinct_names)))
        return

    frame = customer_list(args.rows)
    gsm = Options(policy="gsm", price_per_segment=None, dedupe=False)
    loaded_mb = rss_mb()

    start = time.perf_counter()
    estimator = Estimator(frame, phone="celular")
    first = estimator.estimate(TEMPLATE, gsm)
    ours = time.perf_counter() - start
    peak_mb = peak_rss_mb()

    sample = frame.iloc[: args.sample]
    start = time.perf_counter()
    ref_recipients, ref_segments = per_row(sample)
    baseline = (time.perf_counter() - start) * len(frame) / len(sample)
    sample_estimate = Estimator(sample, phone="celular").estimate(TEMPLATE, gsm)
    same = (sample_estimate.recipients, sample_estimate.segments) == (ref_recipients, ref_segments)

    figures, with_rows = [], []
    for i in range(20):
        text = OTHER_TEXTS[i % len(OTHER_TEXTS)] + " " * (i // len(OTHER_TEXTS))
        start = time.perf_counter()
        estimator.estimate(text, gsm)
        figures.append(time.perf_counter() - start)
    for text in OTHER_TEXTS:
        start = time.perf_counter()
        _ = estimator.estimate(text, gsm).rows
        with_rows.append(time.perf_counter() - start)

    n = f"{len(frame):,}"
    print(f"rows: {n}; template: {TEMPLATE!r}; policy gsm")
    print(f"estimate, first call:           {ours:8.2f} s  ({first.recipients:,} recipients)")
    sampled = f"timed on {len(sample):,} rows, scaled"
    print(f"per-row loop:                   {baseline:8.2f} s  ({sampled})")
    print(f"speed-up, first call:           {baseline / ours:8.1f}x  (goal >= {SPEED_GOAL}x)")
    print(f"same answers on the sample:     {'yes' if same else 'NO'}")
    print(
        f"re-estimate, new text:          median {statistics.median(figures) * 1000:.1f} ms, "
        f"worst {max(figures) * 1000:.1f} ms over 20 texts (goal < 50 ms)"
    )
    print(
        f"re-estimate incl. per-row table: median {statistics.median(with_rows) * 1000:.0f} ms "
        f"(the .rows DataFrame with {n} rendered texts, built on first access)"
    )
    print(
        f"peak memory (RSS):              {peak_mb:8.0f} MB for the process "
        f"({loaded_mb:.0f} MB with the frame loaded, before estimating; goal < 1 GB)"
    )
    print_memory(args.rows)


if __name__ == "__main__":
    main()
