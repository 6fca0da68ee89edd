"""How long the compose form takes to follow a keystroke on a 1,000,000-row frame.

The form re-estimates the whole frame and redraws its figures and preview after every change of
the text. This drives it as a browser would (``form.text.value = ...``, which runs the form's
observers synchronously in the kernel) and times each change: the first build (the phone column
normalised, the first columns measured), the first use of a new column, and then 20 edits of
the text, whose median and worst are compared with the 50 ms goal. The part spent in
`Estimator.estimate` is shown apart from the form's own work (figures, preview, HTML).

Run: ``.venv/bin/python benchmarks/bench_form.py [--rows N] [--changes N]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np
from common import SENDER, customer_list

import directcall_nb  # noqa: F401  (registers df.directcall)
from directcall_nb.estimation import Estimator
from directcall_nb.widgets import ComposeForm

GOAL_MS = 50.0
FIRST = "Olá {nome}, sua fatura de R$ {valor} vence amanhã."
CITIES = ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Recife", "Manaus"]


def edits(count: int) -> list[str]:
    """Texts an analyst goes through while writing: typing, deleting, moving placeholders."""
    tail = " Pague pelo app e evite juros. Responda SAIR para não receber mais."
    texts = [FIRST + tail[: i + 1] for i in range(0, len(tail), max(len(tail) // count, 1))]
    texts += [
        "Oi {nome}! R$ {valor} até amanhã.",
        "{nome}, sua fatura de R$ {valor} vence amanhã – evite juros.",
        "Prezado(a) {nome}, identificamos um débito de R$ {valor}. Regularize: app.exemplo.com.br",
    ]
    return texts[:count]


def timed(action: Callable[[], object]) -> float:
    """Return how long ``action`` takes, in milliseconds."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Build the form on a large frame, type texts into it and print how long each took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()

    frame = customer_list(args.rows)
    frame["cidade"] = np.random.default_rng(3).choice(CITIES, args.rows)
    print(f"frame: {args.rows:,} rows, columns {list(frame.columns)}")

    started = time.perf_counter()
    form: ComposeForm = frame.directcall.compose(sender=SENDER)
    build_ms = (time.perf_counter() - started) * 1000
    form.price.value = "0,08"

    def type_text(text: str) -> Callable[[], None]:
        def change() -> None:
            form.text.value = text

        return change

    first_ms = timed(type_text(FIRST))
    estimate = form.estimate
    assert estimate is not None, form.figures.value
    new_column_ms = timed(type_text(FIRST + " {cidade}"))
    print(f"building the form (phone column guessed, widgets):   {build_ms:8.1f} ms")
    print(f"first text (phones normalised, 2 columns measured):  {first_ms:8.1f} ms")
    print(f"first use of a new column ({{cidade}}):                {new_column_ms:8.1f} ms")

    texts = edits(args.changes)
    form_ms = [timed(type_text(text)) for text in texts]
    estimator = Estimator(frame, phone=form.phone.value)
    estimator.estimate(FIRST, estimate.options)  # measure the same columns first
    estimate_ms = [timed(partial(estimator.estimate, text, estimate.options)) for text in texts]

    median, worst = statistics.median(form_ms), max(form_ms)
    print(f"\n{len(texts)} text changes through the form (form.text.value = ...):")
    print(f"  median {median:6.1f} ms   worst {worst:6.1f} ms   goal {GOAL_MS:.0f} ms")
    print(f"  median / goal: {median / GOAL_MS:.2f}   worst / goal: {worst / GOAL_MS:.2f}")
    est_median = statistics.median(estimate_ms)
    print(
        f"  of which Estimator.estimate alone: median {est_median:6.1f} ms "
        f"(the form's own work: about {median - est_median:.1f} ms)"
    )
    print("  " + ("within the goal" if worst < GOAL_MS else "OVER the goal"))


if __name__ == "__main__":
    main()
