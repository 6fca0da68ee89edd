"""Estimate a personalised message over 1,000,000 rows, against the per-row loop.

The baseline is what an analyst writes today: for each row, validate the phone with
libphonenumber, render the text with ``str.format`` and count its segments. It runs on a sample
and is scaled to the full size. Then the same frame is re-estimated with other texts, which is
what the compose form does after every keystroke.

Run: ``.venv/bin/python benchmarks/bench_estimate.py [--rows N] [--sample N]``
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd
import phonenumbers
from common import TEMPLATE, customer_list, peak_rss_mb

from directcall_nb import Estimator, Options, count_segments

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


def main() -> None:
    """Time the first estimate against the per-row loop, then re-estimates with other texts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=50_000)
    args = parser.parse_args()

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
    print(f"speed-up, first call:           {baseline / ours:8.1f}x  (goal >= 20x)")
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


if __name__ == "__main__":
    main()
