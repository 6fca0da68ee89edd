"""What a campaign would cost, per row, before anything is sent."""

from __future__ import annotations

from directcall_nb.estimation._estimate import Estimate, Estimator, estimate

__all__ = [
    "Estimate",
    "Estimator",
    "estimate",
]
