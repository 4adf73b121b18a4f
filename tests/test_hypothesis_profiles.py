"""The Hypothesis profiles of conftest.py do what they promise.

``fixed`` (the default): every run draws the same examples.  ``explore``
(``--hypothesis-profile=explore``): random examples, ``EXPLORE_FACTOR`` times each property
test's ``max_examples``, the explicit ones included (the first check is a property test, so
that it also runs under ``explore``, which deselects the other tests).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

DECLARED = 7
EXPLORE_FACTOR = 10  # what the explore profile promises


def exploring() -> bool:
    return settings.get_current_profile_name().startswith("explore")


@settings(max_examples=DECLARED)
@given(st.just(None))
def test_the_profile_sets_the_examples_and_the_randomness(_: None) -> None:
    own = _settings_of(test_the_profile_sets_the_examples_and_the_randomness)
    if exploring():
        assert own.max_examples == EXPLORE_FACTOR * DECLARED and not own.derandomize
    else:
        assert own.max_examples == DECLARED and own.derandomize


def test_the_default_profile_draws_the_same_examples_every_run() -> None:
    """One property run twice under the fixed profile draws the same examples both times."""

    def draw() -> list[int]:
        seen: list[int] = []

        @settings(max_examples=20)
        @given(st.integers(-(10**9), 10**9))
        def record(n: int) -> None:
            seen.append(n)

        record()
        return seen

    first, second = draw(), draw()
    assert len(first) == 20 and len(set(first)) > 1
    assert first == second


def _settings_of(test: Any) -> settings:
    """The settings a property test runs with (after the explore profile's multiplier)."""
    return test._hypothesis_internal_use_settings  # type: ignore[no-any-return]
