"""Test configuration shared by the whole suite.

Hypothesis profiles.  ``fixed`` is the default everywhere (locally and in CI): derandomised, so
``python -m pytest`` tests the same examples on every run and every machine.  Property tests
therefore must not set ``derandomize`` themselves; collection fails if one does.

``explore`` is chosen explicitly, to look for new failures::

    python -m pytest --hypothesis-profile=explore --hypothesis-seed=N tests/test_zero_sum.py

It draws random examples (from seed ``N``), runs ``EXPLORE_FACTOR`` times each property test's
``max_examples`` (an explicit ``@settings(max_examples=...)`` or the default 100; see
:func:`pytest_collection_modifyitems`) and deselects the tests without ``@given``.
``tests/explore.sh`` runs it on every property test file with three random seeds; a failure
it finds becomes an ``@example`` of the test.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, is_hypothesis_test, settings

EXPLORE_FACTOR = 10
for _name, _random in (("fixed", False), ("explore", True)):
    settings.register_profile(
        _name,
        derandomize=not _random,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
settings.load_profile("fixed")  # --hypothesis-profile=explore replaces it after this import


def exploring() -> bool:
    """Whether the ``explore`` profile is loaded (``--hypothesis-verbosity`` derives
    ``explore-with-...`` from it)."""
    return settings.get_current_profile_name().startswith("explore")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fixed profile: refuse a property test that sets ``derandomize`` itself.  Explore profile:
    multiply each property test's ``max_examples`` by ``EXPLORE_FACTOR`` and drop the tests
    that are not property tests."""
    kept, dropped, done = [], [], set()
    for item in items:
        fn = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
        if fn is None or not is_hypothesis_test(fn):
            (dropped if exploring() else kept).append(item)
            continue
        kept.append(item)
        if id(fn) in done:  # parametrised: one function, several items
            continue
        done.add(id(fn))
        own = fn._hypothesis_internal_use_settings
        if exploring():
            fn._hypothesis_internal_use_settings = settings(
                own, derandomize=False, max_examples=EXPLORE_FACTOR * own.max_examples
            )
        elif not own.derandomize:
            raise pytest.UsageError(
                f"{item.nodeid}: property tests must not set derandomize (the profile does)"
            )
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


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
