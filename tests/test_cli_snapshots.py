"""What the ``negotiate`` command prints, pinned: the help of every command and one solve table
(tests/data/cli/*.txt).  The terminal is 100 columns wide and colourless; trailing blanks are
dropped.  After a deliberate change of the output, regenerate the files with
``NEGOTIATE_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_cli_snapshots.py`` and review the
diff."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "cli"
UPDATE = bool(os.environ.get("NEGOTIATE_UPDATE_SNAPSHOTS"))
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

HELP = {
    "help_root": ["--help"],
    "help_nash": ["nash", "--help"],
    "help_solve": ["solve", "--help"],
    "help_check": ["check", "--help"],
    "help_report": ["report", "--help"],
    "help_sweep": ["sweep", "--help"],
    "help_papers": ["papers", "--help"],
    "help_papers_list": ["papers", "list", "--help"],
    "help_papers_reproduce": ["papers", "reproduce", "--help"],
}
#: Python type names and click's type words that the help must never show.
TYPE_WORDS = re.compile(
    r"<(bool|str|int|float|path|list\[[^]]*\])>|\b(TEXT|INTEGER|FLOAT|BOOLEAN)\b"
)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def normalise(text: str) -> str:
    lines = [_ANSI.sub("", line).rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines).rstrip() + "\n"


def compare(name: str, text: str) -> None:
    path = DATA / f"{name}.txt"
    got = normalise(text)
    if UPDATE:
        DATA.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"no snapshot {path.name}; set NEGOTIATE_UPDATE_SNAPSHOTS=1 to write it"
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(HELP))
def test_help(name: str, cli, terminal) -> None:
    code, out, err = cli(*HELP[name])
    assert code == 0 and err == ""
    assert not TYPE_WORDS.search(out), TYPE_WORDS.search(out)
    compare(name, out)


def test_bare_command_prints_the_commands_and_exits_0(cli, terminal) -> None:
    code, out, _ = cli()
    assert code == 0
    assert out == cli("--help")[1]
    for command in ("solve", "check", "report", "sweep", "nash", "papers"):
        assert re.search(rf"^│ {command} ", out, re.M), command


def test_solve_table_of_a_classic_model(cli, terminal) -> None:
    code, out, err = cli("solve", str(ROOT / "models" / "prisoners_dilemma.toml"))
    assert code == 0 and err == ""
    assert "('" not in out and "{'" not in out  # no Python reprs of tuples or dicts
    compare("solve_prisoners_dilemma", out)


def _commands(group, prefix=()):
    import click

    for name, command in group.commands.items():
        if getattr(command, "hidden", False):
            continue
        yield (*prefix, name), command
        if isinstance(command, click.Group) or hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def test_every_command_and_option_is_described_in_plain_words(cli, terminal) -> None:
    """Also for commands added later: no type names, and help for every visible option."""
    import typer

    from negotiate.cli.main import app

    root = typer.main.get_command(app)
    seen = 0
    for path, command in _commands(root):
        code, out, _ = cli(*path, "--help")
        assert code == 0, path
        assert not TYPE_WORDS.search(out), (path, TYPE_WORDS.search(out))
        for param in command.params:
            if not getattr(param, "hidden", False):
                assert (param.help or "").strip(), (path, param.name)
        seen += 1
    assert seen >= len(HELP) - 1
