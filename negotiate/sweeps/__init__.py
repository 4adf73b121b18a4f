"""Parameter sweeps over scenarios: vectorised, on a local process pool, or on a Dask cluster.

``negotiate.sweep(...)`` is the function :func:`negotiate.sweeps.api.sweep`; this package is
named apart so that the function does not shadow it.  Results are
:class:`~negotiate.sweeps.result.SweepResult` objects holding an ``xarray.Dataset``
(``.data``), stored (with ``out=DIR``) as one Parquet file per chunk that
``pandas.read_parquet(DIR)`` reads directly.
"""

from negotiate.sweeps.analysis import sweep_summary, tipping_curve, verify_sweep
from negotiate.sweeps.api import SweepRun, plan_sweep, read_sweep, run_sweep, sweep
from negotiate.sweeps.outputs import OUTCOMES
from negotiate.sweeps.result import SweepResult

__all__ = [
    "OUTCOMES",
    "SweepResult",
    "SweepRun",
    "plan_sweep",
    "read_sweep",
    "run_sweep",
    "sweep",
    "sweep_summary",
    "tipping_curve",
    "verify_sweep",
]
