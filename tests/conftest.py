"""Test configuration shared by the whole suite.

Hypothesis profiles: ``ci`` is derandomised so CI runs are reproducible; it is loaded when the
environment variable ``CI`` is set.  ``dev`` (the local default) explores new examples.
Per-test ``@settings(max_examples=...)`` still apply under either profile.
"""

from __future__ import annotations

import os
import sys

import pytest
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


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run the ``negotiate`` console entry point in-process: ``cli(*args) -> (code, out, err)``."""
    from negotiate.cli.main import main

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["negotiate", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
