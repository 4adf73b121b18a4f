"""The validated content of a scenario file: parameters, derived quantities and layers.

A :class:`Scenario` is immutable.  Its layers:

* ``[parameters.NAME]``: value, domain, meaning and source (all four required);
* ``[derived]``: named expressions in parameters and other derived names (no cycles);
* ``[issues.NAME]``: the players' weights and the reversibility of the concession (L4, L3);
* ``[commitment]``: whose valuation of reversible concessions is discounted, with patience,
  reneging hazard (or the promiser's types) and guarantee;
* ``[deterrence]``: the no-deal game tree, in :meth:`GameTree.from_dict` shape (L1, L2);
* ``[bargaining]``: the solution concept, bargaining power, optional disagreement point and,
  when ``scenario.players`` names more than two players, the two ``parties`` who bargain (the
  others are *third parties*: they move only in the no-deal game);
* ``[domestic]``: ratification floors on each side's utility (Putnam 1988);
* ``[conditions.NAME]``: further conditions a deal needs (self-enforcement, phasing);
* ``[analysis]``: the levers whose tipping points are reported, (``policy``) those a
  government can choose, and (``inert``) the no-deal-game parameters that move neither the
  outcome nor a tipping point, each with its reason (:mod:`negotiate.sweeps.influence`);
* ``[scenarios.NAME]``: named variants that override parameter values;
* ``prior = {...}`` in a parameter and ``[episodes.NAME]``: priors and dated observations
  (:mod:`negotiate.scenario.priors`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.expr import Parameter, parse
from negotiate.labels import canonical
from negotiate.labels import label as check_label
from negotiate.labels import labels as check_labels
from negotiate.scenario.commitment import Commitment, parse_commitment
from negotiate.scenario.discrete import DiscreteSpec, parse_discrete
from negotiate.scenario.priors import Episode, Prior, parse_episodes, parse_priors
from negotiate.scenario.schema import (
    check_keys,
    expect_list_of_str,
    expect_str,
    expect_table,
)
from negotiate.scenario.screening import ScreeningSpec, parse_screening
from negotiate.scenario.templates import expand_tree
from negotiate.scenario.variants import Variant, parse_variants

if TYPE_CHECKING:
    from negotiate.scenario.result import ScenarioResult

from negotiate.scenario.claims import Claim, Condition, _claims, _conditions

__all__ = ["Claim", "Commitment", "Condition", "IssueSpec", "Scenario", "Variant", "build_scenario"]

_MAX_PARAMETERS = 500
_MAX_PLAYERS = 8
_MAX_ISSUES = 100
_TOP_KEYS = {
    "scenario",
    "parameters",
    "derived",
    "issues",
    "commitment",
    "deterrence",
    "bargaining",
    "domestic",
    "conditions",
    "analysis",
    "scenarios",
    "claims",
    "episodes",
    "discrete",
    "screening",
}
_SOLUTIONS = ("nash", "kalai_smorodinsky")


@dataclass(frozen=True)
class IssueSpec:
    """One issue: weights per player (expressions) and the reversible share of the concession."""

    name: str
    weights: Mapping[str, sp.Expr]
    reversibility: sp.Expr
    meaning: str


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario; :meth:`solve` analyses it at its parameter values."""

    name: str
    title: str
    description: str
    date: str
    sources: tuple[str, ...]
    players: tuple[str, str]
    parameters: Mapping[str, Parameter]
    derived: tuple[tuple[str, sp.Expr], ...]
    issues: tuple[IssueSpec, ...]
    points: tuple[Mapping[str, sp.Expr], ...] | None
    commitment: Commitment | None
    deterrence: Mapping[str, Any] | None
    war_actions: tuple[str, ...]
    agreement_actions: tuple[str, ...]
    solution: str
    power: Mapping[str, sp.Expr] | None
    disagreement: Mapping[str, sp.Expr] | None
    floors: Mapping[str, sp.Expr]
    conditions: tuple[Condition, ...]
    levers: tuple[str, ...]
    variants: Mapping[str, Variant] = field(default_factory=dict)
    claims: tuple[Claim, ...] = ()
    priors: Mapping[str, Prior] = field(default_factory=dict)
    episodes: tuple[Episode, ...] = ()
    policy_levers: tuple[str, ...] = ()
    source_text: str = field(default="", repr=False)
    discrete: tuple[DiscreteSpec, ...] = ()
    screening: ScreeningSpec | None = None
    third_parties: tuple[str, ...] = ()
    inert: Mapping[str, str] = field(default_factory=dict)

    @property
    def all_players(self) -> tuple[str, ...]:
        """Every player: the two bargaining parties, then the players who only move in the
        no-deal game (``third_parties``)."""
        return self.players + self.third_parties

    @property
    def names(self) -> tuple[str, ...]:
        """Every name an expression may use: parameters, then derived quantities."""
        return tuple(self.parameters) + tuple(n for n, _ in self.derived)

    def values(
        self, overrides: Mapping[str, Any] | None = None, variant: str | None = None
    ) -> dict[str, Fraction]:
        """Parameter values after applying a variant, then ``overrides`` (validated)."""
        from negotiate.scenario.evaluate import parameter_values

        return parameter_values(self, overrides, variant)

    def solve(
        self,
        overrides: Mapping[str, Any] | None = None,
        *,
        variant: str | None = None,
        tipping_points: bool = True,
    ) -> ScenarioResult:
        """Analyse the scenario: outcome, deal, binding constraints and tipping points.

        ``overrides`` maps parameter names to values (exact: ``"0.5"`` is 1/2) and is applied
        after the named ``variant``.  ``tipping_points=False`` skips the lever scans.
        """
        from negotiate.scenario.analysis import analyse

        return analyse(self, overrides, variant, tipping_points=tipping_points)

    def __repr__(self) -> str:
        return f"<Scenario {self.name!r}: {self.title}>"


# ---------------------------------------------------------------------- building
def build_scenario(data: Mapping[str, Any], name: str) -> Scenario:
    """Validate the parsed TOML ``data`` and build a :class:`Scenario`."""
    check_keys(data, "", _TOP_KEYS, required=("scenario", "parameters"))
    head = expect_table(data["scenario"], "scenario")
    check_keys(
        head,
        "scenario",
        {"title", "description", "date", "sources", "players"},
        required=("title", "players"),
    )
    everyone = check_labels(
        expect_list_of_str(head["players"], "scenario.players", unique=False),
        "scenario.players",
    )
    parameters = _parameters(data["parameters"])
    derived = _derived(data.get("derived", {}), tuple(parameters))
    names = tuple(parameters) + tuple(n for n, _ in derived)
    bargaining = expect_table(data.get("bargaining", {}), "bargaining")
    check_keys(bargaining, "bargaining", {"solution", "power", "disagreement", "points", "parties"})
    players = _parties(everyone, bargaining.get("parties"))
    third_parties = tuple(p for p in everyone if p not in players)
    solution = expect_str(bargaining.get("solution", "nash"), "bargaining.solution")
    if solution not in _SOLUTIONS:
        raise ModelError("bargaining.solution", solution, f"expected one of {_SOLUTIONS}")
    deterrence, war_actions, agreement_actions = _deterrence(
        data.get("deterrence"), everyone, parameters, names
    )
    if third_parties and deterrence is None:
        raise ModelError(
            "scenario.players",
            list(everyone),
            f"{', '.join(third_parties)} would not move: players beyond the bargaining "
            "parties move only in the no-deal game, so the file needs a [deterrence] tree",
        )
    points = _points(bargaining.get("points"), players, names)
    issues = _issues(data.get("issues", {}), players, names)
    if issues and points is not None:
        raise ModelError("bargaining.points", None, "give either [issues] or points, not both")
    if "discrete" in data and not issues:
        raise ModelError("discrete", None, "discrete issues need at least one [issues] entry")
    if not issues and points is None and deterrence is None:
        raise ModelError("issues", None, "a scenario needs [issues], bargaining.points or a tree")
    disagreement = _per_player(
        bargaining.get("disagreement"), "bargaining.disagreement", players, names
    )
    if deterrence is None and disagreement is None and (issues or points is not None):
        raise ModelError(
            "bargaining.disagreement", None, "is required when there is no [deterrence] tree"
        )
    domestic = expect_table(data.get("domestic", {}), "domestic")
    check_keys(domestic, "domestic", {"floor"})
    analysis = expect_table(data.get("analysis", {}), "analysis")
    check_keys(analysis, "analysis", {"levers", "policy", "inert"})
    levers = expect_list_of_str(analysis.get("levers", []), "analysis.levers")
    for i, lever in enumerate(levers):
        if lever not in parameters:
            raise ModelError(f"analysis.levers[{i}]", lever, f"not a parameter; {list(parameters)}")
    policy = expect_list_of_str(analysis.get("policy", []), "analysis.policy")
    for i, lever in enumerate(policy):
        if lever not in parameters:
            raise ModelError(f"analysis.policy[{i}]", lever, f"not a parameter; {list(parameters)}")
    inert = _inert(analysis.get("inert", {}), parameters)
    variants = parse_variants(data.get("scenarios", {}), parameters)
    return Scenario(
        name=name,
        title=expect_str(head["title"], "scenario.title", max_len=300),
        description=expect_str(head.get("description", ""), "scenario.description"),
        date=expect_str(head.get("date", ""), "scenario.date", max_len=100),
        sources=expect_list_of_str(head.get("sources", []), "scenario.sources", unique=False),
        players=(players[0], players[1]),
        third_parties=third_parties,
        parameters=MappingProxyType(parameters),
        derived=derived,
        issues=issues,
        points=points,
        commitment=parse_commitment(
            data.get("commitment"), players, lambda v, f: _expr(v, f, names)
        ),
        deterrence=deterrence,
        war_actions=war_actions,
        agreement_actions=agreement_actions,
        solution=solution,
        power=_per_player(bargaining.get("power"), "bargaining.power", players, names),
        disagreement=disagreement,
        floors=_per_player(domestic.get("floor"), "domestic.floor", players, names) or {},
        conditions=_conditions(data.get("conditions", {}), names),
        claims=_claims(data.get("claims", {}), names, deterrence),
        levers=levers,
        policy_levers=policy,
        inert=MappingProxyType(inert),
        variants=MappingProxyType(variants),
        discrete=parse_discrete(
            data.get("discrete", {}), players, lambda v, f: _per_player(v, f, players, names)
        ),
        screening=parse_screening(data.get("screening"), players, lambda v, f: _expr(v, f, names)),
        priors=MappingProxyType(parse_priors(data["parameters"], parameters)),
        episodes=parse_episodes(data.get("episodes", {}), parameters, variants),
    )


def _inert(raw: Any, parameters: Mapping[str, Parameter]) -> dict[str, str]:
    """``[analysis] inert``: no-deal-game parameters that move nothing, with the reason."""
    table = expect_table(raw, "analysis.inert")
    out = {}
    for name, reason in table.items():
        if name not in parameters:
            raise ModelError(f"analysis.inert.{name}", name, f"not a parameter; {list(parameters)}")
        out[name] = expect_str(reason, f"analysis.inert.{name}", max_len=500)
        if not out[name].strip():
            raise ModelError(f"analysis.inert.{name}", reason, "give the reason it is inert")
    return out


def _parties(everyone: tuple[str, ...], raw: Any) -> tuple[str, ...]:
    """The two players who bargain: ``bargaining.parties``, or both players of a two-player
    scenario.  Further players move only in the no-deal game."""
    if not 2 <= len(everyone) <= _MAX_PLAYERS:
        raise ModelError(
            "scenario.players", list(everyone), f"expected 2 to {_MAX_PLAYERS} players"
        )
    if raw is None:
        if len(everyone) == 2:
            return everyone
        raise ModelError(
            "bargaining.parties",
            None,
            f"is required when scenario.players names {len(everyone)} players: "
            "the two who bargain (the others move only in the no-deal game)",
        )
    parties = check_labels(
        expect_list_of_str(raw, "bargaining.parties", unique=False), "bargaining.parties"
    )
    if len(parties) != 2:
        raise ModelError("bargaining.parties", list(parties), "expected exactly two players")
    for i, p in enumerate(parties):
        if p not in everyone:
            raise ModelError(f"bargaining.parties[{i}]", p, f"not a player; {list(everyone)}")
    return parties


def _parameters(raw: Any) -> dict[str, Parameter]:
    table = expect_table(raw, "parameters")
    if not table:
        raise ModelError("parameters", None, "declare at least one parameter")
    if len(table) > _MAX_PARAMETERS:
        raise ModelError("parameters", len(table), f"more than {_MAX_PARAMETERS} parameters")
    out = {}
    for pname, spec in table.items():
        f = f"parameters.{pname}"
        spec = expect_table(spec, f)
        for key in ("value", "domain", "meaning", "source"):
            if key not in spec:
                raise ModelError(f"{f}.{key}", None, "is required in scenario files")
        plain = {k: v for k, v in spec.items() if k != "prior"}
        param = Parameter.from_dict(pname, _decimal_literals(plain), f)
        if not param.source.strip():
            raise ModelError(f"{f}.source", param.source, "cite a source, or say 'assumption: why'")
        out[pname] = param
    return out


def _decimal_literals(spec: Mapping[str, Any]) -> dict[str, Any]:
    """TOML floats are decimal literals: read ``0.8`` as the text the user typed (exact 4/5)."""

    def lit(v: Any) -> Any:
        return repr(v) if isinstance(v, float) and v == v and abs(v) != float("inf") else v

    out = dict(spec)
    if "value" in out:
        out["value"] = lit(out["value"])
    if isinstance(out.get("domain"), list):
        out["domain"] = [lit(v) for v in out["domain"]]
    return out


def _derived(raw: Any, parameters: tuple[str, ...]) -> tuple[tuple[str, sp.Expr], ...]:
    """Parse derived quantities and order them so each follows what it uses; reject cycles."""
    table = expect_table(raw, "derived")
    all_names = set(parameters) | set(table)
    parsed: dict[str, sp.Expr] = {}
    for dname, text in table.items():
        f = f"derived.{dname}"
        if dname in parameters:
            raise ModelError(f, dname, "a derived quantity cannot reuse a parameter's name")
        parsed[dname] = parse(expect_str(text, f, max_len=2000), sorted(all_names), field=f)
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(n: str, stack: list[str]) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cycle = " -> ".join([*stack[stack.index(n) :], n])
            raise ModelError(f"derived.{n}", None, f"cycle: {cycle}")
        state[n] = 1
        for s in sorted(parsed[n].free_symbols, key=str):
            if s.name in parsed:  # type: ignore[attr-defined]
                visit(s.name, [*stack, n])  # type: ignore[attr-defined]
        state[n] = 2
        order.append(n)

    for n in parsed:
        visit(n, [])
    return tuple((n, parsed[n]) for n in order)


def _expr(value: Any, field: str, names: tuple[str, ...]) -> sp.Expr:
    if isinstance(value, bool):
        raise ModelError(field, value, "expected a number or an expression string")
    if isinstance(value, int | float):
        value = repr(value)
    return parse(expect_str(value, field, max_len=2000), names, field=field)


def _per_player(
    raw: Any, field: str, players: tuple[str, ...], names: tuple[str, ...]
) -> Mapping[str, sp.Expr] | None:
    if raw is None:
        return None
    table = expect_table(raw, field)
    check_keys(table, field, players, required=players)
    return MappingProxyType({p: _expr(table[p], f"{field}.{p}", names) for p in players})


def _issues(raw: Any, players: tuple[str, ...], names: tuple[str, ...]) -> tuple[IssueSpec, ...]:
    table = expect_table(raw, "issues")
    if len(table) > _MAX_ISSUES:
        raise ModelError("issues", len(table), f"more than {_MAX_ISSUES} issues")
    out = []
    for iname, spec in table.items():
        f = f"issues.{iname}"
        iname = check_label(iname, f, what="issue names")
        spec = expect_table(spec, f)
        check_keys(spec, f, {"weights", "reversible", "meaning"}, required=("weights",))
        weights = _per_player(spec["weights"], f"{f}.weights", players, names)
        assert weights is not None
        rev = spec.get("reversible", False)
        if isinstance(rev, bool):
            reversibility: sp.Expr = sp.Integer(int(rev))
        else:
            reversibility = _expr(rev, f"{f}.reversible", names)
        meaning = expect_str(spec.get("meaning", ""), f"{f}.meaning")
        out.append(IssueSpec(iname, weights, reversibility, meaning))
    return tuple(out)


def _deterrence(
    raw: Any,
    players: tuple[str, ...],
    parameters: Mapping[str, Parameter],
    names: tuple[str, ...],
) -> tuple[Mapping[str, Any] | None, tuple[str, ...], tuple[str, ...]]:
    if raw is None:
        return None, (), ()
    table = expect_table(raw, "deterrence")
    check_keys(
        table,
        "deterrence",
        {"root", "war_actions", "agreement_actions", "subtrees"},
        required=("root",),
    )
    war_actions = check_labels(
        expect_list_of_str(table.get("war_actions", []), "deterrence.war_actions"),
        "deterrence.war_actions",
    )
    agreement_actions = check_labels(
        expect_list_of_str(table.get("agreement_actions", []), "deterrence.agreement_actions"),
        "deterrence.agreement_actions",
    )
    root = expand_tree(table, "deterrence")
    tree: dict[str, Any] = {
        "players": list(players),
        "parameters": {
            n: ({"domain": [str(p.domain[0]), str(p.domain[1])]} if p.domain else {})
            for n, p in parameters.items()
        },
        "root": root,
    }
    derived_names = [n for n in names if n not in parameters]
    if derived_names:
        tree["parameters"].update({n: {} for n in derived_names})
    from negotiate.scenario.evaluate import build_tree

    built = build_tree(tree, "deterrence")
    actions = {canonical(a) for a in _tree_actions(root)}
    for key, labels in (("war_actions", war_actions), ("agreement_actions", agreement_actions)):
        for i, a in enumerate(labels):
            if a not in actions:
                raise ModelError(f"deterrence.{key}[{i}]", a, "no such action in the tree")
    names = tuple(sorted(sym.name for sym in built.free_symbols))  # bound on every solve
    return (
        MappingProxyType({"spec": tree, "tree": built, "names": names}),
        war_actions,
        agreement_actions,
    )


def _points(
    raw: Any, players: tuple[str, ...], names: tuple[str, ...]
) -> tuple[Mapping[str, sp.Expr], ...] | None:
    """Outcome utility pairs whose convex hull (lotteries) is the feasible set."""
    if raw is None:
        return None
    if isinstance(raw, str) or not isinstance(raw, list) or not raw:
        raise ModelError("bargaining.points", raw, "expected a non-empty array of tables")
    out = []
    for k, item in enumerate(raw):
        point = _per_player(item, f"bargaining.points[{k}]", players, names)
        assert point is not None
        out.append(point)
    return tuple(out)


def _tree_actions(node: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(node, Mapping):
        for key in ("actions", "chance"):
            sub = node.get(key)
            if isinstance(sub, Mapping):
                for label, child in sub.items():
                    if key == "actions":
                        out.add(label)
                        out |= _tree_actions(child)
                    elif isinstance(child, Mapping):
                        out |= _tree_actions(child.get("then"))
    return out
