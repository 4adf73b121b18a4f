"""Test configuration shared by the whole suite.

Hypothesis profiles: ``ci`` is derandomised so CI runs are reproducible; it is loaded when the
environment variable ``CI`` is set.  ``dev`` (the local default) explores new examples.
Per-test ``@settings(max_examples=...)`` still apply under either profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
