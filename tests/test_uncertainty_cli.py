"""`negotiate uncertainty` and `negotiate calibrate`: JSON keys, files, errors."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "uncertainty"


def test_uncertainty_json_keys_and_out(cli, tmp_path: Path) -> None:
    args = ("uncertainty", str(DATA / "one_driver.toml"), "--draws", "400", "--seed", "3")
    code, out, _ = cli(*args, "--json", "--out", str(tmp_path / "u"))
    assert code == 0
    data = json.loads(out)
    assert set(data["probabilities"]) == {"agreement", "stalemate", "war"}
    assert all(isinstance(v, float) for v in data["probabilities"].values())
    assert set(data["sobol"]) == {"x", "y", "z"}
    assert all(set(v) == {"first", "total"} for v in data["sobol"].values())
    assert data["draws"] == 400 and data["seed"] == 3
    stored = json.loads((tmp_path / "u" / "uncertainty.json").read_text())
    stored.pop("seconds"), data.pop("seconds")
    assert stored == data
    assert "P(agreement)" in (tmp_path / "u" / "uncertainty.md").read_text()
    code, out, _ = cli(*args)
    assert code == 0 and "P(agreement)" in out and "Sobol" in out


def test_calibrate_json_keys(cli) -> None:
    code, out, _ = cli("calibrate", str(DATA / "calibration.toml"), "--draws", "2000", "--json")
    assert code == 0
    data = json.loads(out)
    assert 0.3 < data["consistent_share"] < 0.5
    assert set(data["posterior"]) == {"x", "y"}
    assert set(data["posterior"]["x"]) >= {"quantiles", "histogram"}
    assert set(data["posterior_probabilities"]) == {"agreement", "stalemate", "war"}
    assert data["leave_one_out"]["low"] == {
        "observed": "agreement",
        "predicted": "agreement",
        "shares": data["leave_one_out"]["low"]["shares"],
        "draws": data["leave_one_out"]["low"]["draws"],
    }
    assert data["leave_one_out"]["high"]["predicted"] == "stalemate"


def test_calibrate_prints_the_conflict(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (DATA / "calibration.toml").read_text()
        + '\n[episodes.later]\ndate = "2003"\nset = { t = 0.8 }\nobserved = "agreement"\n'
        'source = "test"\n'
    )
    code, _, err = cli("calibrate", str(bad), "--draws", "1000")
    assert code == 2 and "high (2002): observed stalemate" in err and "later" in err
    assert "low" not in err
    code, out, _ = cli("calibrate", str(bad), "--draws", "1000", "--json")
    assert code == 2
    assert [c["episode"] for c in json.loads(out)["conflict"]] == ["high", "later"]


def test_uncertainty_bad_input_is_one_line(cli) -> None:
    code, _, err = cli("uncertainty", str(DATA / "one_driver.toml"), "--draws", "0")
    assert code == 2 and err.startswith("error: draws")
