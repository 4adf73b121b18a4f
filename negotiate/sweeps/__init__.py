"""Parameter sweeps over scenarios: vectorised, on a local process pool, or on a Dask cluster.

``negotiate.sweep(...)`` (the function) lives in :mod:`negotiate.sweeps.api`; this package is
named apart so that the function does not shadow it.
"""
