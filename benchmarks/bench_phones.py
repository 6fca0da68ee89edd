"""How much faster normalize_phones is than asking libphonenumber row by row.

Run from the project root::

    .venv/bin/python benchmarks/bench_phones.py [--rows N] [--baseline-rows M] [--repeat K]
        [--corpus messy|mixed|both] [--profile]

Two corpora of N mostly distinct numbers, each measured in a process of its own (so that each
has its own peak memory):

``messy``
    Brazilian numbers in the formats analysts have (with a few per cent invalid, Excel floats,
    blanks, a few foreign and written-out ones).
``mixed``
    The same with about 6% special values in it: toll-free ``0800``, non-geographic ``4004-``,
    ``3003`` and ``0300``, foreign ``+1`` and ``+351``, emergency ``190``, blanks, ``"n/a"``,
    ``"sem telefone"``, wrong lengths, 8-digit old mobiles, carrier codes.

For each it times ``normalize_phones`` on all of them (the first call, then K more), and the
per-row baseline (``phonenumbers.parse(x, "BR")`` + ``is_valid_number`` + ``number_type`` in a
Python loop) on the first M rows, scaled to N: in K rounds of one call and one slice of the
baseline, so that both meet the same load of a shared machine; the speed-up is the median of
the rounds'. It checks on those
M rows that normalize_phones gives exactly the per-row oracle's answers: phone, valid, line type
and reason of :func:`directcall_nb.phones._library.answer_value` (libphonenumber asked about one
value), and phone / valid / line type of libphonenumber asked directly (the tests' reference,
``library_answer`` of ``tests/helpers.py``). It prints the
speed-up and the peak memory, then both corpora side by side. The exit status is 1 when an
answer differs.

With ``--profile`` it then profiles one more call (cProfile) in a separate process that runs on
one CPU, so that every step of the call runs in the profiled thread, and prints where the time
goes.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import multiprocessing
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa
from common import library_answer, peak_rss_mb

from directcall_nb.phones import normalize_phones
from directcall_nb.phones._library import answer_value

# Brazil's area codes (public numbering plan), to generate realistic numbers.
AREA_CODES = [
    *range(11, 20), 21, 22, 24, 27, 28, *range(31, 36), 37, 38, *range(41, 47), 47, 48, 49,
    51, 53, 54, 55, *range(61, 70), 71, 73, 74, 75, 77, 79, *range(81, 90), *range(91, 100),
]  # fmt: skip
NOT_AREA_CODES = [
    20,
    23,
    25,
    26,
    29,
    30,
    36,
    39,
    40,
    50,
    52,
    56,
    57,
    58,
    59,
    60,
    70,
    72,
    76,
    78,
    80,
    90,
]
CARRIERS = ["12", "14", "15", "21", "23", "31", "41", "43"]


Format = Callable[[str, str, str, str, int], object]

#: How each kind of row is written: (area code, 8 random digits, landline, bad area code, seed).
FORMATS: list[Format] = [
    lambda a, m, f, b, r: f"({a}) 9{m[:4]}-{m[4:]}",
    lambda a, m, f, b, r: f"{a}9{m}",
    lambda a, m, f, b, r: f"+55 {a} 9{m[:4]}-{m[4:]}",
    lambda a, m, f, b, r: f"55{a}9{m}",
    lambda a, m, f, b, r: f"0{a} 9{m[:4]} {m[4:]}",
    lambda a, m, f, b, r: f"0 {CARRIERS[r % len(CARRIERS)]} {a} 9{m[:4]}-{m[4:]}",
    lambda a, m, f, b, r: f"0055{a}9{m}",
    lambda a, m, f, b, r: float(f"55{a}9{m}"),
    lambda a, m, f, b, r: f"55{a}9{m}.0",
    lambda a, m, f, b, r: f"({a}) {f[:4]}-{f[4:]}",
    lambda a, m, f, b, r: f"{a}.9{m[:4]}.{m[4:]}",
    # invalid: an old 8-digit mobile, an area code that does not exist, no area code
    lambda a, m, f, b, r: f"({a}) {'6789'[r % 4]}{m[1:4]}-{m[4:]}",
    lambda a, m, f, b, r: f"({b}) 9{m[:4]}-{m[4:]}",
    lambda a, m, f, b, r: f"9{m[:4]}-{m[4:]}",
    lambda a, m, f, b, r: [None, "", float("nan"), "  "][r % 4],
    # a foreign number and a written-out one
    lambda a, m, f, b, r: f"+1 {200 + r % 800} 555 {m[:4]}",
    lambda a, m, f, b, r: f"tel: ({a}) 9{m[:4]}-{m[4:]}",
]


def messy_numbers(rows: int, seed: int) -> pd.Series:
    """``rows`` numbers as an analyst's spreadsheet has them (object dtype, mixed types)."""
    rng = np.random.default_rng(seed)
    area = rng.choice(AREA_CODES, rows)
    mobile = rng.integers(0, 10**8, rows)
    landline = rng.integers(2 * 10**7, 6 * 10**7, rows)
    kind = rng.choice(
        np.arange(17),
        rows,
        p=[
            0.26,
            0.14,
            0.16,
            0.10,
            0.05,
            0.03,
            0.02,
            0.03,
            0.02,
            0.11,
            0.03,
            0.01,
            0.01,
            0.01,
            0.01,
            0.0005,
            0.0095,
        ],
    )
    bad_area = rng.choice(NOT_AREA_CODES, rows)
    values = [
        FORMATS[k](str(a), f"{m:08d}", str(f), str(b), int(m))
        for k, a, m, f, b in zip(kind, area, mobile, landline, bad_area, strict=True)
    ]
    return pd.Series(values, dtype=object)


Special = Callable[[int, str], object]

#: The special values of the mixed corpus, with their share of its rows: (seed, 9 random digits).
SPECIALS: list[tuple[float, Special]] = [
    # toll free, non-geographic (shared cost), emergency
    (0.006, lambda r, d: f"0800 {d[:3]} {d[3:7]}"),
    (0.003, lambda r, d: f"0800-{d[:3]}-{d[3:7]}"),
    (0.004, lambda r, d: f"4004-{d[:4]}"),
    (0.002, lambda r, d: f"3003 {d[:4]}"),
    (0.004, lambda r, d: f"0300 {d[:3]} {d[3:7]}"),
    (0.003, lambda r, d: ["190", "192", "193", "197", "199"][r % 5]),
    # foreign
    (0.004, lambda r, d: f"+1 ({200 + r % 800}) {d[:3]}-{d[3:7]}"),
    (0.002, lambda r, d: f"+1{200 + r % 800}{d[:7]}"),
    (0.004, lambda r, d: f"+351 9{d[:2]} {d[2:5]} {d[5:8]}"),
    (0.002, lambda r, d: f"+351 21{d[:1]} {d[1:4]} {d[4:7]}"),
    # blanks and words
    (0.005, lambda r, d: ["", " ", None, float("nan")][r % 4]),
    (0.005, lambda r, d: ["n/a", "N/A", "sem telefone", "-", "não tem", "0"][r % 6]),
    # wrong lengths, old 8-digit mobiles, carrier codes
    (0.005, lambda r, d: d[: 4 + r % 5]),
    (0.002, lambda r, d: f"(11) 9{d}{d[:3]}"),
    (0.005, lambda r, d: f"(21) {'6789'[r % 4]}{d[:3]}-{d[3:7]}"),
    (0.004, lambda r, d: f"0 {CARRIERS[r % len(CARRIERS)]} 21 9{d[:4]}-{d[4:8]}"),
]


def mixed_numbers(rows: int, seed: int) -> pd.Series:
    """:func:`messy_numbers` with about 6% of its rows replaced by special values."""
    values = messy_numbers(rows, seed).to_numpy(dtype=object).copy()
    rng = np.random.default_rng(seed + 1)
    shares = np.array([share for share, _ in SPECIALS])
    kind = rng.choice(len(SPECIALS) + 1, rows, p=[1 - shares.sum(), *shares]) - 1
    at = np.flatnonzero(kind >= 0)
    seeds = rng.integers(0, 10**9, len(at))
    for row, k, r in zip(at, kind[at], seeds, strict=True):
        values[row] = SPECIALS[k][1](int(r), f"{r:09d}")
    return pd.Series(values, dtype=object)


CORPORA: dict[str, Callable[[int, int], pd.Series]] = {
    "messy": messy_numbers,
    "mixed": mixed_numbers,
}


def per_row_baseline(values: pd.Series) -> None:
    """Run the baseline: libphonenumber called once per row in a Python loop."""
    for value in values:
        try:
            number = phonenumbers.parse(value if isinstance(value, str) else str(value), "BR")
        except phonenumbers.NumberParseException:
            continue
        phonenumbers.is_valid_number(number)
        phonenumbers.number_type(number)


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """Return how long ``function`` takes, in seconds, and what it returned."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    """Measure each corpus in a process of its own and print the summary; return the status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7, help="timed calls after the first")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--corpus", choices=[*CORPORA, "both"], default="both")
    parser.add_argument(
        "--profile", action="store_true", help="then profile one call on one CPU (cProfile)"
    )
    args = parser.parse_args(argv)
    names = list(CORPORA) if args.corpus == "both" else [args.corpus]
    spawn = multiprocessing.get_context("spawn")
    figures: list[dict[str, Any]] = []
    for name in names:
        receiver, sender = spawn.Pipe(duplex=False)
        child = spawn.Process(target=measure, args=(name, args, sender))
        child.start()
        sender.close()
        try:
            figures.append(receiver.recv())
        except EOFError:  # the child failed, and said why
            return 1
        child.join()
        if args.profile:
            child = spawn.Process(target=profile_one_call, args=(name, args.rows, args.seed))
            child.start()
            child.join()
    print("\nsummary (one run, both measured the same way):")
    print(
        f"  {'corpus':8s} {'per-row':>9s} {'ours':>7s} {'ratio':>6s} {'first':>6s} "
        f"{'identical':>9s} {'peak MB':>8s}"
    )
    for f in figures:
        print(
            f"  {f['corpus']:8s} {f['baseline']:8.1f}s {f['ours']:6.2f}s {f['ratio']:5.0f}x "
            f"{f['first_ratio']:5.0f}x {'yes' if f['identical'] else 'NO':>9s} "
            f"{f['peak_mb']:8,.0f}"
        )
    return 0 if all(f["identical"] for f in figures) else 1


def measure(name: str, args: argparse.Namespace, report: Connection) -> None:
    """Measure one corpus and print its figures; send them to ``report``."""
    rows = args.rows
    sample_rows = min(args.baseline_rows, rows)
    values = CORPORA[name](rows, args.seed)
    distinct = values.astype(str).nunique()
    print(f"\n== {name}: {rows:,} rows, {distinct:,} distinct, object dtype (text, floats, blanks)")
    before_mb = peak_rss_mb()

    # The first call (it reads and compiles the metadata), then rounds of one call and one
    # slice of the baseline, so that both are measured under the same load of the machine.
    sample = values.iloc[:sample_rows]
    first_seconds, result = timed(lambda: normalize_phones(values))
    assert isinstance(result, pd.DataFrame)
    rounds = max(args.repeat, 1)
    bounds = np.linspace(0, sample_rows, rounds + 1).astype(int)
    # the library loads each region's metadata the first time it needs it: warm it up too
    per_row_baseline(values.iloc[-min(rows, 5_000) :])
    ours_seconds: list[float] = []
    per_row_seconds: list[float] = []
    for start, stop in itertools.pairwise(bounds.tolist()):
        ours_seconds.append(timed(lambda: normalize_phones(values))[0])
        piece = sample.iloc[start:stop]
        seconds, _ = timed(lambda: per_row_baseline(piece))  # noqa: B023 - called at once
        per_row_seconds.append(seconds / max(stop - start, 1))
    peak_mb = peak_rss_mb()  # before the checks, which keep their own lists
    arrow_mb = pa.default_memory_pool().max_memory() / 2**20
    fast_seconds = statistics.median(ours_seconds)
    estimate = statistics.median(per_row_seconds) * rows
    ratios = [per * rows / ours for per, ours in zip(per_row_seconds, ours_seconds, strict=True)]
    print(
        f"normalize_phones: {fast_seconds:.2f} s for {rows:,} rows (median of {rounds} calls: "
        f"{', '.join(f'{s:.2f}' for s in ours_seconds)}; first call {first_seconds:.2f} s)"
    )
    line_types = result["line_type"].value_counts()
    print(
        f"  valid: {result['valid'].mean():.1%}; line types: "
        + ", ".join(f"{kind} {count:,}" for kind, count in line_types.items())
    )
    print(
        f"per-row phonenumbers: {estimate:.1f} s for {rows:,} rows (estimated from "
        f"{sample_rows:,} rows in {rounds} slices, one after each call: "
        f"{', '.join(f'{s * 1e6:.1f}' for s in per_row_seconds)} µs per row)"
    )
    print(
        f"speed-up: {statistics.median(ratios):.0f}x, median of the rounds' "
        f"({', '.join(f'{r:.0f}' for r in ratios)}) (goal >= 75x); first call: "
        f"{estimate / first_seconds:.0f}x"
    )

    got = result.iloc[:sample_rows]
    ours = [
        (_text(p), bool(v), _text(t), _text(r))
        for p, v, t, r in zip(
            got["phone"], got["valid"], got["line_type"], got["reason"], strict=True
        )
    ]
    oracle = [answer_value(value) for value in sample]
    expected = [(a.phone, a.valid, a.line_type, a.reason) for a in oracle]
    direct = [library_answer(value) for value in sample]
    mismatches = [
        i for i in range(sample_rows) if ours[i] != expected[i] or ours[i][:3] != direct[i]
    ]
    print(
        f"answers identical: {'yes' if not mismatches else 'NO'} (phone, valid, line_type, "
        f"reason on {sample_rows:,} rows, against the per-row oracle; phone, valid, line_type "
        f"against libphonenumber called here)"
    )
    for i in mismatches[:10]:
        print(f"  row {i}: {sample.iat[i]!r}: oracle {expected[i]}, ours {ours[i]}")
        if ours[i][:3] != direct[i]:
            print(f"    libphonenumber called here: {direct[i]}")
    print(
        f"peak memory: {peak_mb:,.0f} MB for the whole process after the calls "
        f"({before_mb:,.0f} MB before normalize_phones; Arrow's pool peaked at "
        f"{arrow_mb:,.0f} MB) (goal well under 1 GB)"
    )
    report.send(
        {
            "corpus": name,
            "baseline": estimate,
            "ours": fast_seconds,
            "ratio": statistics.median(ratios),
            "first_ratio": estimate / first_seconds,
            "identical": not mismatches,
            "peak_mb": peak_mb,
        }
    )


def _text(value: object) -> str | None:
    return None if pd.isna(value) else str(value)  # type: ignore[call-overload]


def profile_one_call(name: str, rows: int, seed: int) -> None:
    """Print where one call of normalize_phones spends its time, on one CPU."""
    if hasattr(os, "sched_setaffinity"):  # one CPU: normalize_phones then uses no threads
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        where = "one CPU"
    else:
        where = "this platform cannot be held to one CPU: work done in threads is not seen"
    values = CORPORA[name](rows, seed)
    normalize_phones(values)  # the first call reads the metadata
    profile = cProfile.Profile()
    profile.runcall(normalize_phones, values)
    print(f"\nprofile of one call on the {name} corpus ({where}):")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats("directcall_nb", 25)
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    sys.exit(main())
