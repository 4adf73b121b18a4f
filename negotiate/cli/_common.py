"""What the ``negotiate`` commands share: help in plain words, the scenario argument, the
``--variant`` option, number formatting, advice in command-line spelling, and the check
before writing into a directory that is not empty."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from negotiate._exact import format_fraction, int_to_str
from negotiate.errors import ModelError

__all__ = [
    "FileArg",
    "Group",
    "SetOption",
    "VariantAlias",
    "VariantOption",
    "cli_advice",
    "fmt_cell",
    "fmt_exact",
    "fmt_number",
    "fmt_pairs",
    "pick_variant",
    "plural",
    "refuse_nonempty",
    "scenario_path",
]


class Group(TyperGroup):
    """A command group whose help never shows a Python type: on/off options (``--json``,
    ``--help``) get no value column, and an argument with a metavar word shows just it."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_flags(command, ctx)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _plain_flags(self, ctx)
        super().format_help(ctx, formatter)


def _plain_flags(command: Any, ctx: Any) -> None:
    params = list(getattr(command, "params", ()))
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        params.append(help_option)
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif param.param_type_name == "argument" and param.metavar:
            param.display_type_rich = _no_type  # the metavar (FILE, KEY) says it


def _no_type(ctx: Any = None) -> None:
    return None


FileArg = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="A scenario file (TOML), or the name of a bundled model such as us_iran_2025.",
        show_default=False,
    ),
]
VariantOption = Annotated[
    str | None,
    typer.Option(
        "--variant",
        metavar="NAME",
        help="Analyse a named variant of the scenario (see 'negotiate check FILE').",
    ),
]
VariantAlias = Annotated[str | None, typer.Option("--scenario", hidden=True, metavar="NAME")]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="NAME=VALUE",
        help="Override a parameter, e.g. --set guarantee=0.5 (repeatable; exact values).",
    ),
]


def scenario_path(argument: Path) -> Path:
    """The scenario file an argument names: the file, or a bundled model by name."""
    from negotiate._bundled import resolve_scenario

    return resolve_scenario(argument)


def pick_variant(variant: str | None, alias: str | None) -> str | None:
    """``--variant NAME``; ``--scenario NAME`` is its older spelling."""
    if variant is not None and alias is not None and variant != alias:
        raise ModelError("--variant", variant, f"and --scenario {alias} disagree; give one")
    return variant if variant is not None else alias


def plural(n: int, one: str, many: str) -> str:
    """``1 equilibrium``, ``3 equilibria``."""
    return f"{n} {one if n == 1 else many}"


def fmt_number(value: Any, digits: int = 4) -> str:
    """A number for a table: whole numbers as integers, others as decimals to ``digits``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction | int):
        frac = Fraction(value)
        if frac.denominator == 1:
            return int_to_str(frac.numerator)
        try:
            return f"{float(frac):.{digits}f}"
        except OverflowError:  # beyond the float range: an approximation with digit counts
            return format_fraction(frac)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def fmt_exact(value: Any) -> str:
    """An exact number as text: ``0.95`` for 19/20 (a terminating decimal), else ``p/q``."""
    frac = Fraction(value)
    den = frac.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return str(frac)
    scale = 0
    while (frac * 10**scale).denominator != 1:
        scale += 1
    digits = str(abs(frac.numerator * 10**scale // frac.denominator)).rjust(scale + 1, "0")
    sign = "-" if frac < 0 else ""
    return sign + (digits if scale == 0 else f"{digits[:-scale]}.{digits[-scale:]}")


def fmt_pairs(names: Iterable[str], values: Iterable[Any], digits: int = 4) -> str:
    """``US 0.6000, Iran 0.3500``: names beside their numbers."""
    return ", ".join(f"{n} {fmt_number(v, digits)}" for n, v in zip(names, values, strict=True))


def fmt_cell(value: Any) -> str:
    """Any value of a summary as text: numbers, ``name value`` pairs, lists; never a repr."""
    if isinstance(value, Mapping):
        return fmt_pairs(map(str, value), value.values())
    if isinstance(value, tuple | list):
        return ", ".join(fmt_cell(v) for v in value)
    return fmt_number(value)


# Library messages give advice in Python spelling; the command line spells its own options.
_OPTION = {
    "method": "--method",
    "max_cost": "--max-cost",
    "out": "--out",
    "out_dir": "--out",
    "resume": "--resume",
    "variant": "--variant",
    "overrides": "--set",
    "kernel": "--kernel",
    "workers": "--workers",
    "scheduler": "--scheduler",
    "chunk_size": "--chunk-size",
    "samples": "--samples",
    "seed": "--seed",
    "sampling": "--sampling",
    "regime": "--regime",
    "resolution": "--resolution",
}
_CALL = re.compile(r"\b[a-z_]+\((\w+=[^()]*)\)")
_KEYWORD = re.compile(r"\b(\w+)=(?:'([^']*)'|\"([^\"]*)\"|(True|\.\.\.)|(?=[\s.,;)]|$))")


def cli_advice(message: str) -> str:
    """``method='lemke_howson'`` -> ``--method lemke_howson``, ``max_cost=`` ->
    ``--max-cost``, ``nash_equilibria(method='x')`` -> ``--method x``; other text unchanged."""

    def keyword(m: re.Match[str]) -> str:
        option = _OPTION.get(m.group(1))
        if option is None:
            return m.group(0)
        value = m.group(2) if m.group(2) is not None else m.group(3)
        return option if value is None else f"{option} {value}"

    def call(m: re.Match[str]) -> str:
        inner = _KEYWORD.sub(keyword, m.group(1))
        return inner if inner.startswith("--") else m.group(0)

    return _KEYWORD.sub(keyword, _CALL.sub(call, message))


def refuse_nonempty(out: Path, stray: Iterable[str], *, what: str, force_does: str) -> None:
    """Refuse to write into ``out`` when it holds ``stray`` entries (anything but a previous
    run's own files): say to choose another directory, or to pass ``--force``."""
    found = sorted(stray)
    if found:
        raise ModelError(
            "--out",
            str(out),
            f"is not empty ({found[0]!r} is not {what}); choose another directory, "
            f"or pass --force to {force_does}",
        )
