"""The stage registry: the pipeline's order, and one conformance test per stage."""

from __future__ import annotations

from pathlib import Path

from negotiate.pipeline import STAGES, input_fields, stage
from negotiate.scenario import load_scenario
from negotiate.scenario.evaluate import pipeline_spec

ROOT = Path(__file__).resolve().parent.parent


def test_stages_in_data_flow_order() -> None:
    assert [s.name for s in STAGES] == [
        "commitment",
        "weights",
        "no_deal",
        "disagreement",
        "options",
        "bargaining",
        "conditions",
        "screening",
        "outcome",
    ]
    assert stage("bargaining") is STAGES[5]


def test_every_stage_has_a_conformance_test() -> None:
    missing = [s.name for s in STAGES if not (ROOT / "tests" / f"test_stage_{s.name}.py").is_file()]
    assert missing == []


def test_every_stage_writes_what_it_declares() -> None:
    """Run the flagship's exact stages in order: each writes exactly its declared outputs."""
    scenario = load_scenario(ROOT / "models" / "us_iran_2025.toml")
    spec = pipeline_spec(scenario)
    from negotiate.pipeline._spec import ExactInputs
    from negotiate.scenario.evaluate import derived_values

    env = derived_values(scenario, scenario.values())
    frame: dict = {"in": ExactInputs(dict(input_fields(spec, array=False)), env), "deal": True}
    for s in STAGES:
        out = s.exact(spec, frame)
        assert set(out) == set(s.writes), s.name
        frame.update(out)
    assert frame["outcome"] == scenario.solve(tipping_points=False).outcome
