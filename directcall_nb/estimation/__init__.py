"""What a message to a whole frame would do and cost, row by row, before anything is sent.

An `Estimator` holds one frame and its phone column: the phones normalised once, each column a
template uses measured once (:mod:`directcall_nb.text`). Its `Estimator.estimate` turns a
message text and the options into an `Estimate`: which rows are sent, which are not and why,
which repeat an earlier row, which opted out (their number is on the journal's suppression
list: ``opted_out``), the segments and the cost. `estimate` does both in one call;
`segment_cost` is the price rule every cost follows.

Modules: ``_estimator`` (`Estimator` and `estimate`), ``_estimate`` (the `Estimate`: per-row
status, reasons, texts), ``_phone_facts`` (the phone column normalised, as the estimates read
it), ``_opt_outs`` (the suppression list, read once and looked up over the whole column),
``_reasons`` (why a row is not sent, in either language), ``_selection`` (the first rows
of a mask; rows repeated outside the frame), ``_summary`` (an estimate's title and
figures, as text and HTML).
"""

from __future__ import annotations

from directcall_nb.estimation._estimate import Estimate, segment_cost
from directcall_nb.estimation._estimator import Estimator, estimate
from directcall_nb.estimation._opt_outs import SuppressionSnapshot
from directcall_nb.estimation._reasons import Reason
from directcall_nb.estimation._selection import RepeatCheck
from directcall_nb.estimation._summary import (
    Example,
    estimate_html,
    estimate_text,
    suppression_notes,
)

__all__ = [
    "Estimate",
    "Estimator",
    "Example",
    "Reason",
    "RepeatCheck",
    "SuppressionSnapshot",
    "estimate",
    "estimate_html",
    "estimate_text",
    "segment_cost",
    "suppression_notes",
]
