"""Hostile inputs: each gives a clean, field-named error (or is handled), never a traceback,
a hang or a silent overwrite."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from negotiate.errors import ModelError
from negotiate.expr import decide, parse, parse_condition, substitute
from negotiate.scenario import load_scenario
from negotiate.scenario.loader import MAX_DEPTH, loads_scenario

ROOT = Path(__file__).resolve().parents[1]
PD = ROOT / "models" / "prisoners_dilemma.toml"


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "negotiate", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )


# -- 1. deeply nested TOML ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 500 + "]" * 500,
        "x = " + "{a = " * 500 + "1" + "}" * 500,
        "x = " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
    ],
    ids=["arrays-500", "inline-tables-500", "arrays-over-limit"],
)
def test_deeply_nested_toml_is_a_model_error(text: str) -> None:
    with pytest.raises(ModelError, match="nested deeper than"):
        loads_scenario(text, source_name="deep.toml")


# -- 2. devices and FIFOs -------------------------------------------------------------------
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_file_is_refused_without_reading() -> None:
    with pytest.raises(ModelError, match="not a regular file"):
        load_scenario("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_and_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    # a writer that would feed the FIFO forever if it were read; opened non-blocking
    stop = threading.Event()

    def writer() -> None:
        try:
            fd = os.open(fifo, os.O_WRONLY)
        except OSError:
            return
        try:
            while not stop.is_set():
                try:
                    os.write(fd, b"\0" * 65536)
                except (BlockingIOError, BrokenPipeError):
                    if stop.wait(0.01):
                        break
        finally:
            os.close(fd)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        with pytest.raises(ModelError, match="not a regular file"):
            load_scenario(fifo)
    finally:
        stop.set()
        # unblock a writer still waiting for a reader
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(timeout=10)


def test_check_dev_zero_cli_is_one_line() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    proc = run_cli("check", "/dev/zero")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("error: zero")
    assert "not a regular file" in proc.stderr


def test_oversized_regular_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * 1_000_001 + b"\n")
    with pytest.raises(ModelError, match="larger than"):
        load_scenario(big)


# -- 3. exponential towers ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["exp(exp(exp(1000))) > 1", "exp(exp(1000)) > 1", "exp(10**15) > 1"]
)
def test_exponential_tower_in_condition_is_refused(text: str) -> None:
    with pytest.raises(ModelError, match="argument of exp"):
        parse_condition(text, [], field="conditions.c.holds")


def test_moderate_exponential_still_parses() -> None:
    assert parse_condition("exp(2839) > 1", [], field="c") is not None
    assert parse("exp(x) + 1", ["x"], field="e") is not None


def test_nested_symbolic_exponential_is_refused() -> None:
    with pytest.raises(ModelError, match="nested"):
        parse("exp(exp(x))", ["x"], field="e")


def test_huge_value_in_exponential_condition_is_refused_quickly() -> None:
    cond = parse_condition("exp(x*x*x) > 2 and x > 0", ["x"], field="conditions.c.holds")
    assert decide(cond, {"x": 2}, field="conditions.c.holds") is True
    with pytest.raises(ModelError, match=r"conditions\.c\.holds.*argument of exp"):
        decide(cond, {"x": 10**999}, field="conditions.c.holds")
    with pytest.raises(ModelError, match="argument of exp"):
        substitute(parse("exp(x*x)", ["x"], field="e"), {"x": 10**100}, field="e")


def test_exponential_tower_from_check_cli(tmp_path: Path) -> None:
    text = PD.read_text(encoding="utf-8").replace(
        'holds = "delta*(temptation - punishment) >= temptation - reward"',
        'holds = "exp(exp(exp(1000))) > 1"',
    )
    assert "exp(exp(exp(1000)))" in text
    path = tmp_path / "tower.toml"
    path.write_text(text, encoding="utf-8")
    proc = run_cli("check", str(path))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "conditions.self_enforcing.holds" in proc.stderr


# -- 5, 6. grid sizes -----------------------------------------------------------------------
def _pd():
    return load_scenario(PD)


def test_absurd_grid_size_is_refused_cleanly() -> None:
    from negotiate.errors import TooLargeError
    from negotiate.sweeps import plan_sweep

    with pytest.raises(TooLargeError, match="exceeds the budget"):
        plan_sweep(_pd(), ["delta=0.1:0.9:99999999999999999999999"], fields=("--grid", "--set"))
    with pytest.raises(ModelError, match="whole number"):
        plan_sweep(_pd(), ["delta=0.1:0.9:" + "9" * 5000])


def test_absurd_grid_size_from_cli_is_one_line(tmp_path: Path) -> None:
    proc = run_cli(
        "sweep", str(PD), "--grid", "delta=0.1:0.9:99999999999999999999999",
        "--out", str(tmp_path / "s"),
    )  # fmt: skip
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "TooLargeError" in proc.stderr and "--grid" in proc.stderr


def test_planning_a_hundred_million_point_grid_is_lazy(tmp_path: Path) -> None:
    import json
    import tracemalloc

    from negotiate.sweeps import plan_sweep
    from negotiate.sweeps.storage import MANIFEST, prepare

    scenario = _pd()
    tracemalloc.start()
    try:
        plan = plan_sweep(scenario, ["delta=0.1:0.9:100000000"])
        prepare(tmp_path, plan, plan.evaluator().outputs, resume=False)
        first = plan.columns(0)["delta"]
        last = plan.columns(plan.n_chunks - 1)["delta"]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert plan.n_points == 10**8
    assert peak < 50 * 2**20  # a materialised axis alone would be 800 MB
    assert first[0] == 0.1 and last[-1] == 0.9
    assert len(first) == plan.chunk_size
    manifest = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    assert len(manifest) < 20_000
    axis = json.loads(manifest)["space"]["axes"][0]
    assert axis["linspace"] == ["0.1", "0.9", 10**8] and "values" not in axis
    # nothing was computed: the directory holds the manifest alone
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST]


def test_lazy_axis_is_the_correctly_rounded_linspace() -> None:
    from fractions import Fraction

    import numpy as np

    from negotiate.sweeps.grid import Linspace

    cases = [("0.1", "0.9", 101), ("0", "1", 7), ("0.5", "0.25", 13), ("0.3", "0.3", 1)]
    ends = [(Fraction(s), Fraction(t), n) for s, t, n in cases]
    ends.append((Fraction(1, 3), Fraction(10**30), 5))  # past 53 bits: rounded one by one
    for a, b, num in ends:
        lazy = Linspace(a, b, num)
        exact = [a if num == 1 else a + (b - a) * Fraction(k, num - 1) for k in range(num)]
        want = [float(v) for v in exact]
        assert list(lazy.take(np.arange(num))) == want
        assert list(lazy) == want
        assert lazy[-1] == want[-1] and len(lazy) == num
        assert np.allclose(want, np.linspace(float(a), float(b), num), rtol=1e-15)


# -- 7. a damaged chunk file and --resume ---------------------------------------------------
def test_truncated_chunk_is_recomputed_on_resume(tmp_path: Path) -> None:
    from negotiate.sweeps import plan_sweep, read_sweep, run_sweep

    plan = plan_sweep(_pd(), ["delta=0.1:0.9:40"], chunk_size=10)
    run_sweep(plan, out=tmp_path)
    before = read_sweep(tmp_path).data
    victim = tmp_path / plan.chunk_name(2)
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match=r"corrupt chunk file.*--resume"):
        read_sweep(tmp_path)
    again = run_sweep(plan, out=tmp_path, resume=True)
    assert (again.computed, again.skipped) == (1, 3)
    after = read_sweep(tmp_path).data
    assert after.equals(before)


def test_truncated_chunk_resume_from_cli(tmp_path: Path) -> None:
    out = tmp_path / "s"
    args = ("sweep", str(PD), "--grid", "delta=0.1:0.9:30", "--chunk-size", "10", "--out", str(out))
    assert run_cli(*args).returncode == 0
    victim = sorted(out.glob("part-000001-*.parquet"))[0]
    victim.write_bytes(victim.read_bytes()[:100])
    proc = run_cli(*args, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "1 computed, 2 already written" in proc.stdout


# -- 10. writing a report into an existing directory ----------------------------------------
@pytest.fixture(scope="module")
def small_report():
    from negotiate.reports import report

    return report(ROOT / "models" / "deterrence_game.toml", regime=False)


def test_report_rewrites_its_own_files_and_removes_stale_figures(small_report, tmp_path):
    from negotiate.reports.files import RECORD

    out = tmp_path / "rep"
    first = small_report.write(out)
    stale = out / "figures" / "old.svg"
    stale.write_text("<svg/>", encoding="utf-8")
    record = (
        (out / RECORD)
        .read_text(encoding="utf-8")
        .replace('"files": [', '"files": ["figures/old.svg", ')
    )
    (out / RECORD).write_text(record, encoding="utf-8")
    mine = out / "notes.txt"
    mine.write_text("keep me", encoding="utf-8")
    second = small_report.write(out)
    assert set(first) == set(second)
    assert not stale.exists()
    assert mine.read_text(encoding="utf-8") == "keep me"
    assert not [p for p in out.rglob(".*tmp-*")]


def test_report_refuses_to_overwrite_a_foreign_file(small_report, tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "report.md").write_text("my own notes", encoding="utf-8")
    with pytest.raises(ModelError, match="not written by a report"):
        small_report.write(out)
    assert (out / "report.md").read_text(encoding="utf-8") == "my own notes"
    assert not (out / "report.html").exists()


@pytest.mark.parametrize("where", ["report.md", "figures", "dir"])
def test_report_refuses_symbolic_links(small_report, tmp_path, where):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "victim.md"
    target.write_text("untouched", encoding="utf-8")
    out = tmp_path / "rep"
    if where == "dir":
        out.symlink_to(outside, target_is_directory=True)
    else:
        out.mkdir()
        if where == "report.md":
            (out / "report.md").symlink_to(target)
        else:
            (out / "figures").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ModelError, match="symbolic link"):
        small_report.write(out)
    assert target.read_text(encoding="utf-8") == "untouched"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.md"]


def test_report_cli_symlink_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "rep"
    out.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("untouched", encoding="utf-8")
    (out / "report.md").symlink_to(victim)
    model = str(ROOT / "models" / "deterrence_game.toml")
    proc = run_cli("report", model, "--out", str(out), "--regime", "none")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "symbolic link" in proc.stderr
    assert victim.read_text(encoding="utf-8") == "untouched"


# -- 11. an action label containing "/" -----------------------------------------------------
def test_report_with_slash_in_action_label(tmp_path: Path) -> None:
    from negotiate.reports import report

    text = (ROOT / "models" / "us_iran_2025.toml").read_text(encoding="utf-8")
    text = text.replace('"join"', '"strike/join"')
    text = text.replace("actions.join]", 'actions."strike/join"]')
    assert text.count("strike/join") >= 5
    path = tmp_path / "slash.toml"
    path.write_text(text, encoding="utf-8")
    rep = report(path, regime=False)
    assert "tree" in rep.figures
    entries = rep.findings["fail.path"].value["strategy"]
    assert {
        "node": ["strike", "strike/join", "set_back"],
        "action": "limited_prewarned",
    } in entries
    assert rep.verify().ok


# -- 4. exact numbers past Python's int-to-text limit ---------------------------------------
def test_big_exact_numbers_format_without_str_limit() -> None:
    from fractions import Fraction

    from negotiate._exact import format_fraction, fraction_to_json, int_to_str
    from negotiate.results import format_cell

    tiny = Fraction(1, 10**9999)
    assert format_fraction(tiny) == "~1e-9999 (exact: 1-digit numerator, 10000-digit denominator)"
    assert format_cell((tiny, Fraction(1, 3))).startswith("(~1e-9999")
    text = fraction_to_json(tiny)
    assert isinstance(text, str) and text == "1/1" + "0" * 9999
    big = 7**20000 + 1  # 16,902 digits
    digits = int_to_str(big)
    assert len(digits) == 16902 and digits.endswith(str(big % 10**50).rjust(50, "0"))
    assert digits[:20] == str(big // 10 ** (16902 - 20)) and int_to_str(-big) == "-" + digits
    assert format_fraction(Fraction(-big, 3)).startswith("~-")
    assert format_fraction(Fraction(2, 3)) == "2/3"


@pytest.mark.parametrize("value", ["1e-9999", "1e-5000", "1" + "0" * 1300])
def test_huge_exact_text_input_is_refused_with_the_limit(value: str) -> None:
    from negotiate._exact import as_fraction

    with pytest.raises(ModelError, match="limited to 4096 bits"):
        as_fraction(value, "--set.detection")


def test_set_huge_exact_value_cli_is_one_line() -> None:
    proc = run_cli("solve", str(PD), "--set", "delta=1e-9999")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "4096 bits" in proc.stderr


def test_large_admitted_exact_payoffs_solve_and_print() -> None:
    import json
    from fractions import Fraction

    import negotiate as ng

    t = Fraction(1, 10**3000)
    game = ng.NormalFormGame.from_arrays([[3, 0], [5, t]], [[3, 5], [0, t]])
    res = ng.nash_equilibria(game)
    assert res.verify().ok
    assert repr(res) and res.summary().to_text() and res.summary().to_html()
    json.dumps(res.to_dict())
    with pytest.raises(ModelError, match="limited to 12000 bits"):
        ng.NormalFormGame.from_arrays([[3, 0], [5, t * t]], [[3, 5], [0, t]])


# -- 12. labels: one validator, normalised, no look-alike duplicates ------------------------
NFC, NFD = "Ir\u0101n", "Ira\u0304n"  # the same on screen


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (["Iran", "Iran "], "duplicate"),
        ([NFC, NFD], "duplicate"),
        (["Iran", "U\nS"], "control"),
        (["Iran", "US\u200b"], "invisible"),
        (["Iran", "\x1b[31mUS"], "control"),
        (["Iran", "   "], "non-empty"),
    ],
    ids=["trailing-space", "nfc-nfd", "newline", "zero-width", "escape", "blank"],
)
def test_label_validator(values: list[str], reason: str) -> None:
    from negotiate.labels import labels

    with pytest.raises(ModelError, match=reason):
        labels(values, "players")


def test_labels_are_stored_normalised_and_found_by_lookalikes() -> None:
    from negotiate.labels import labels

    assert labels([" US", NFD], "players") == ("US", NFC)
    import negotiate as ng

    g = ng.NormalFormGame.from_arrays(
        [[1, 0], [0, 1]],
        [[1, 0], [0, 1]],
        players=["US ", NFD],
        strategies=[["a", "b"], ["a", "b "]],
    )
    assert g.players == ("US", NFC) and g.strategies[1] == ("a", "b")
    assert g.payoff(NFC, {"US": "a", NFD: "b"}) == 0


def _tree(players: list[str], actions: dict[str, object]) -> dict[str, object]:
    return {"players": players, "root": {"player": players[0], "actions": actions}}


@pytest.mark.parametrize(
    "build",
    [
        lambda: __import__("negotiate").NormalFormGame.from_arrays(
            [[1]], [[1]], players=[NFC, NFD]
        ),
        lambda: __import__("negotiate").NormalFormGame.from_arrays(
            [[1, 2]], [[1, 2]], strategies=[["x"], ["hold", "hold "]]
        ),
        lambda: __import__("negotiate").GameTree.from_dict(
            _tree(
                ["A", "B"],
                {"go": {"payoffs": {"A": 1, "B": 0}}, "go ": {"payoffs": {"A": 0, "B": 1}}},
            )
        ),
        lambda: __import__("negotiate").GameTree.from_dict(
            _tree(["A", "A\t"], {"go": {"payoffs": {"A": 1}}})
        ),
        lambda: __import__("negotiate").BargainingProblem.from_points(
            [(0, 1), (1, 0)], (0, 0), players=["US", "US\u00a0"]
        ),
        lambda: __import__("negotiate").IssueSpace.linear(
            ["US", "Iran"], {"relief": (1, 2), "relief\n": (2, 1)}
        ),
    ],
    ids=[
        "normal-players",
        "normal-strategies",
        "tree-actions",
        "tree-players",
        "bargaining",
        "issues",
    ],
)
def test_every_game_uses_the_label_validator(build) -> None:
    with pytest.raises(ModelError, match=r"duplicate|control"):
        build()


def test_signaling_game_labels() -> None:
    from negotiate.games.signaling import SignalingGame

    data = {
        "sender": "S",
        "receiver": "R",
        "types": {"weak": {"prior": "1/2"}, "strong": {"prior": "1/2"}},
        "messages": ["quiet", "quiet "],
        "actions": ["fold", "fight"],
        "payoffs": {},
    }
    with pytest.raises(ModelError, match=r"messages\[1\].*duplicate"):
        SignalingGame.from_dict(data)


def test_scenario_players_are_normalised(tmp_path: Path) -> None:
    text = PD.read_text(encoding="utf-8")
    bad = text.replace('players = ["Row", "Column"]', 'players = ["Row", "Row "]')
    assert bad != text
    with pytest.raises(ModelError, match=r"scenario\.players\[1\].*duplicate"):
        loads_scenario(bad, source_name="pd.toml")
    ctrl = text.replace('players = ["Row", "Column"]', 'players = ["Row", "Col\\u0000umn"]')
    with pytest.raises(ModelError, match="control"):
        loads_scenario(ctrl, source_name="pd.toml")


# -- 8. a signal to a sweep with a worker pool ----------------------------------------------
def _descendants(pid: int) -> set[int]:
    """Processes below ``pid`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    out: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - out
        out |= frontier
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


@pytest.mark.heavy
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_signal_to_a_pool_sweep_leaves_no_process(tmp_path: Path, signame: str) -> None:
    import signal
    import time

    out = tmp_path / "s"
    flagship = ROOT / "models" / "us_iran_2025.toml"
    child = subprocess.Popen(
        [
            sys.executable, "-m", "negotiate", "sweep", str(flagship),
            "--grid", "guarantee=0:1:40", "--grid", "reneging_hazard=0:0.5:40",
            "--kernel", "exact", "--chunk-size", "4", "--workers", "2", "--out", str(out),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        workers: set[int] = set()
        while time.monotonic() < deadline and child.poll() is None:
            workers = _descendants(child.pid)
            if len(workers) >= 3 and out.is_dir() and list(out.glob("part-*.parquet")):
                break  # the resource tracker, two workers, and a chunk written
            time.sleep(0.1)
        assert child.poll() is None, "the sweep ended before it could be signalled"
        assert len(workers) >= 3
        child.send_signal(getattr(signal, signame))
        _, err = child.communicate(timeout=60)
        assert child.returncode == 1
        assert "Traceback" not in err and "--resume" in err
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        assert not [p for p in workers if _alive(p)]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


# -- 9. Dask: a bad scheduler address, a scheduler that dies --------------------------------
def test_unknown_scheduler_scheme_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    proc = run_cli(
        "sweep", str(PD), "--grid", "delta=0.1:0.9:10", "--out", str(tmp_path / "s"),
        "--scheduler", "xyz://localhost:1",
    )  # fmt: skip
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "unknown address scheme 'xyz'" in proc.stderr


_CLUSTER = """
import sys, time
from distributed import LocalCluster
cluster = LocalCluster(host="127.0.0.1", n_workers=1, threads_per_worker=1, processes=False,
                       protocol="tcp://",
                       dashboard_address=None)
print(cluster.scheduler_address, flush=True)
time.sleep(600)
"""


@pytest.mark.heavy
def test_scheduler_killed_mid_run_is_one_clean_error(tmp_path: Path) -> None:
    import signal
    import time

    pytest.importorskip("distributed")
    cluster = subprocess.Popen(
        [sys.executable, "-c", _CLUSTER], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    sweep = None
    try:
        address = cluster.stdout.readline().strip()  # type: ignore[union-attr]
        assert address.startswith("tcp://127.0.0.1:")
        out = tmp_path / "s"
        flagship = str(ROOT / "models" / "us_iran_2025.toml")
        sweep = subprocess.Popen(
            [
                sys.executable, "-m", "negotiate", "sweep", flagship,
                "--grid", "guarantee=0:1:40", "--grid", "reneging_hazard=0:0.5:40",
                "--kernel", "exact", "--chunk-size", "4", "--scheduler", address,
                "--out", str(out),
            ],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and sweep.poll() is None:
            if out.is_dir() and list(out.glob("part-*.parquet")):
                break
            time.sleep(0.1)
        assert sweep.poll() is None, "the sweep ended before the scheduler could be killed"
        cluster.send_signal(signal.SIGKILL)
        cluster.wait()
        _, err = sweep.communicate(timeout=240)
        assert sweep.returncode == 1, err
        assert "Traceback" not in err
        lines = [line for line in err.splitlines() if line.startswith("error:")]
        assert len(lines) == 1 and "--resume" in lines[0]
    finally:
        for proc in (sweep, cluster):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
