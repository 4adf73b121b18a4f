"""Cooperative bargaining solutions: Nash (symmetric and asymmetric), Kalai-Smorodinsky,
egalitarian and utilitarian, exact on polytopes and convex otherwise; batches; issue linkage."""

from negotiate.solvers.bargaining.batch import nash_bargaining_batch
from negotiate.solvers.bargaining.linkage import LinkageValue, linkage_value
from negotiate.solvers.bargaining.solutions import (
    BargainingSolution,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)

__all__ = [
    "BargainingSolution",
    "LinkageValue",
    "egalitarian",
    "kalai_smorodinsky",
    "linkage_value",
    "nash_bargaining",
    "nash_bargaining_batch",
    "utilitarian",
]
