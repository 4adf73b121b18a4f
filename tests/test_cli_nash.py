"""The ``negotiate nash`` command, ``--version``, and the mapping of errors to one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from negotiate._version import __version__
from negotiate.cli.main import app, main

ROOT = Path(__file__).resolve().parents[1]
CRISIS = str(ROOT / "models" / "games" / "crisis_chicken.nfg")
runner = CliRunner()

# nashpy issue #222 (degenerate game G3): a continuum q = (1, 0), p = (x, 1 - x), x in [0, 2/7]
DEGENERATE = """NFG 1 R "G3" { "Row" "Col" } { { "a" "b" } { "c" "d" } } ""
{ { "" -3, 2 } { "" -3, 4 } { "" 3, 7 } { "" 5, 2 } }
1 2 3 4
"""


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run the console entry point in-process; return its exit status."""
    monkeypatch.setattr(sys, "argv", ["negotiate", *args])
    with pytest.raises(SystemExit) as info:
        main()
    code = info.value.code
    return int(code) if code is not None else 0


def test_table_of_the_crisis_game() -> None:
    result = runner.invoke(app, ["nash", CRISIS])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3 extreme equilibria (complete); nondegenerate game" in out
    lines = out.splitlines()
    rows = [ln for ln in lines if ln.startswith("│ ") and ln[2].isdigit()]
    assert [r.split("│")[1].strip() for r in rows] == ["0", "1", "2"]
    assert "firm 1/2" in rows[1] and "3/2" in rows[1]
    assert "back down 1" in rows[0] and "│         3 │" in rows[0]
    assert "certificate: max regret 0 (exact), verified" in out


def test_json_output_is_exact_and_certified() -> None:
    result = runner.invoke(app, ["nash", CRISIS, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == "auto" and data["complete"] is True
    eqs = data["equilibria"]
    assert len(eqs) == 3
    mixed = {
        "probabilities": {
            "US": {"firm": "1/2", "back down": "1/2"},
            "Iran": {"firm": "1/2", "back down": "1/2"},
        },
        "payoffs": {"US": "3/2", "Iran": "3/2"},
    }
    assert mixed in eqs
    cert = data["certificate"]
    assert cert["ok"] is True and cert["exact"] is True
    assert cert["quantities"]["max_regret"] == 0
    assert data["game"]["players"] == ["US", "Iran"]


def test_method_option() -> None:
    pure = runner.invoke(app, ["nash", CRISIS, "--method", "pure", "--json"])
    assert pure.exit_code == 0, pure.output
    data = json.loads(pure.stdout)
    assert data["method"] == "pure" and len(data["equilibria"]) == 2
    assert data["complete"] is False
    lh = runner.invoke(app, ["nash", CRISIS, "--method", "lemke_howson"])
    assert lh.exit_code == 0 and "1 equilibrium found (not complete)" in lh.output


def test_degenerate_game_reports_components(tmp_path: Path) -> None:
    path = tmp_path / "g3.nfg"
    path.write_text(DEGENERATE)
    result = runner.invoke(app, ["nash", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 extreme equilibria (complete); degenerate game" in result.output
    assert "a 2/7" in result.output and "b 5/7" in result.output
    data = json.loads(runner.invoke(app, ["nash", str(path), "--json"]).stdout)
    assert data["degenerate"] is True and data["components"] == [[0, 1]]


def test_bad_file_is_one_line_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.nfg"
    bad.write_text('NFG 1 R "t" { "a" "b" } { 2 2 }\n1 2 3 oops')
    assert run_main(monkeypatch, "nash", str(bad)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: bad.nfg, line 2: payoffs[3] (profile (2, 1)) = 'oops'")


def test_other_failures_exit_with_status_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run_main(monkeypatch, "nash", str(tmp_path / "absent.nfg")) == 1
    _, err = capsys.readouterr()
    assert err.startswith("error: ") and "absent.nfg" in err and err.count("\n") == 1
    three = tmp_path / "three.nfg"
    three.write_text('NFG 1 R "" { "a" "b" "c" } { 1 1 1 } 1 2 3')
    assert run_main(monkeypatch, "nash", str(three)) == 1
    _, err = capsys.readouterr()
    assert err.startswith("error: NotApplicableError:") and "'pure'" in err
    assert run_main(monkeypatch, "nash", CRISIS, "--method", "simplex") == 2
    _, err = capsys.readouterr()
    assert err.startswith("error: method = 'simplex': unknown method") and "'auto'" in err


def test_version_in_process() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"negotiate {__version__}"


@pytest.mark.parametrize(
    "command",
    [
        [str(Path(sys.executable).parent / "negotiate"), "--version"],
        [sys.executable, "-m", "negotiate", "--version"],
    ],
)
def test_version_from_the_shell(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"negotiate {__version__}"


def test_module_entry_point_maps_errors(tmp_path: Path) -> None:
    bad = tmp_path / "empty.nfg"
    bad.write_text("NFG 1 R")
    done = subprocess.run(
        [sys.executable, "-m", "negotiate", "nash", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "error: empty.nfg, line 1: title: unexpected end of file\n"
