"""What the benchmarks share: the sample campaign, its customer list, and the peak memory.

A list too large for one machine is built in slices, one per partition (`customer_slice`), each
a customer list of its own seed with some regular customers of a pool common to every slice.

A benchmark imports it as a sibling (``from common import ...``), being run as a script from the
project root. What a benchmark shares with the tests (the sender, the campaign sent through
``df.directcall``, a free port, and libphonenumber asked value by value, the reference that phone
answers are checked against) is defined once, in ``tests/helpers.py``, where the test suite checks
it on every run; this module puts ``tests/`` on the import path and hands those on.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from helpers import SENDER, free_port, library_answer, send_campaign

__all__ = [
    "DDDS",
    "SENDER",
    "TEMPLATE",
    "customer_list",
    "customer_slice",
    "free_port",
    "library_answer",
    "peak_rss_mb",
    "send_campaign",
]

#: The personalised message the campaigns send.
TEMPLATE = "Olá {nome}, sua fatura de R$ {valor} vence amanhã. Pague pelo app e evite juros."
#: The area codes the customers' mobiles are in.
DDDS = [11, 12, 19, 21, 27, 31, 41, 47, 51, 61, 62, 71, 81, 85, 91, 92, 98]
NAMES = ["Ana", "Bruno", "Carla", "Débora", "Eduardo", "Fábio", "Gisele", "Hélio", "Íris", "João"]
SURNAMES = ["Silva", "Souza", "Oliveira", "Pereira", "Lima", "Gonçalves", "Araújo", "Simões"]


def customer_list(rows: int, seed: int = 7) -> pd.DataFrame:
    """Return a customer list as read from a file: Arrow-backed text, mostly distinct phones.

    Columns ``nome``, ``valor`` (a float) and ``celular``, written in three ways; 3% of the
    phones are in an area code that does not exist.
    """
    rng = np.random.default_rng(seed)

    def text(values: np.ndarray) -> pa.Array:
        return pa.array(values.astype(str).astype(object), type=pa.string())

    ddd = text(rng.choice(DDDS, rows))
    mobile = pc.binary_join_element_wise("9", text(rng.integers(10_000_000, 99_999_999, rows)), "")
    shape = rng.integers(0, 3, rows)
    phone = pc.case_when(
        pc.make_struct(pa.array(shape == 0), pa.array(shape == 1)),
        pc.binary_join_element_wise("(", ddd, ") ", mobile, ""),
        pc.binary_join_element_wise("+55 ", ddd, " ", mobile, ""),
        pc.binary_join_element_wise(ddd, mobile, ""),
    )
    phone = pc.if_else(pa.array(rng.random(rows) < 0.03), "(23) 91234-5678", phone)
    names = pc.binary_join_element_wise(
        pa.array(rng.choice(NAMES, rows)), pa.array(rng.choice(SURNAMES, rows)), " "
    )
    string = pd.ArrowDtype(pa.string())
    return pd.DataFrame(
        {
            "nome": pd.Series(names, dtype=string),
            "valor": np.round(rng.uniform(20, 2_000, rows), 2),
            "celular": pd.Series(phone, dtype=string),
        }
    )


#: The regular customers, repeated in every slice of a list (`customer_slice`).
REGULARS = 20_000
#: The share of a slice's rows that are regular customers.
REGULAR_SHARE = 0.01
#: The share of the regular customers' rows whose bill differs from the pool's (same phone,
#: another text).
NEW_BILL_SHARE = 0.3


def customer_slice(number: int, rows: int, seed: int = 7) -> pd.DataFrame:
    """Return slice ``number`` of a long customer list: ``rows`` rows, indexed by position.

    The slice is a `customer_list` of its own seed, indexed from ``number * rows``; 1% of its
    rows are customers of a pool of 20,000 regulars common to every slice (drawn from
    `customer_list` with ``seed``), so that the same phone appears in many slices: mostly with
    the pool's name and bill (the same message), 30% of the time with a bill of its own.
    Built from the arguments alone, the slice is the same wherever and whenever it is built.
    """
    frame = customer_list(rows, seed=seed * 1_000_003 + number + 1)
    frame.index = pd.RangeIndex(number * rows, (number + 1) * rows)
    rng = np.random.default_rng([seed, number])
    at = np.flatnonzero(rng.random(rows) < REGULAR_SHARE)
    regulars = customer_list(REGULARS, seed=seed).iloc[rng.integers(0, REGULARS, len(at))]
    bills = regulars["valor"].to_numpy(copy=True)
    renewed = rng.random(len(at)) < NEW_BILL_SHARE
    bills[renewed] = np.round(rng.uniform(20, 2_000, int(renewed.sum())), 2)
    labels = frame.index[at]
    for column in ("nome", "celular"):
        frame.loc[labels, column] = regulars[column].to_numpy()
    frame.loc[labels, "valor"] = bills
    return frame


def peak_rss_mb() -> float:
    """Return the most resident memory this process has used so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10
