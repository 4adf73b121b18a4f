"""``report(scenario)``: the report that explains a scenario's outcome.

The scenario layer analyses (:meth:`Scenario.solve`, :func:`counterfactuals`, and a sweep for
the regime map); :func:`collect` turns that analysis into one :class:`Findings` object, each
fact with its certificate; the renderers and figures read only that object, so the text,
the tables and the figures cannot disagree.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negotiate.errors import InconsistentEpisodesError, ModelError, NegotiateWarning
from negotiate.reports.findings import Findings
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable

__all__ = ["Report", "report"]

#: ``progress(stage, done, total)`` is called as the report's computations advance.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, eq=False, repr=False)
class Report(ResultMixin):
    """A rendered explanation of one analysed scenario.

    ``findings`` holds every fact with its certificate; ``figures`` maps figure names to SVG
    text; ``timings`` records the seconds spent per stage.
    """

    result: Any
    counterfactuals: Any
    findings: Findings
    figures: Mapping[str, str]
    regime: Any = None
    timings: Mapping[str, float] = field(default_factory=dict)

    def to_markdown(self, *, figure_dir: str = "figures") -> str:
        """Markdown; figures are referenced as ``figure_dir/<name>.svg`` (see :meth:`write`)."""
        from negotiate.reports.render_markdown import render_markdown

        files = {name: f"{name}.svg" for name in self.figures}
        return render_markdown(self.findings, files, figure_dir=figure_dir)

    def to_html(self) -> str:
        """One self-contained HTML page: inline SVG figures, inline CSS, no fetches."""
        from negotiate.reports.render_html import render_html

        return render_html(self.findings, self.figures)

    def _repr_html_(self) -> str:
        from negotiate.reports.render_html import render_html

        return render_html(self.findings, self.figures, fragment=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the findings (values exact, with certificates) and their layout."""
        out = self.findings.to_dict()
        out["figures"] = sorted(self.figures)
        out["certified"] = self.findings.ok
        out["timings"] = to_jsonable(dict(self.timings))
        return out

    def verify(self) -> Certificate:
        """Every finding's certificate, and the analysed result's own certificate (which
        re-derives the outcome, the deal and the no-deal game); ok only if all pass."""
        cert = self.findings.verify()
        again = self.result.verify()
        return Certificate(
            ok=cert.ok and again.ok,
            quantities={**cert.quantities, "result_certified": again.ok},
            exact=cert.exact and again.exact,
            tolerance=max(cert.tolerance, again.tolerance),
            checks=(*cert.checks, "the analysed result re-derived"),
            notes=(*cert.notes, *again.notes),
        )

    def summary(self) -> Summary:
        f = self.findings
        return Summary(
            title=f"Report: {f.title}",
            fields=(
                ("outcome", f.meta.get("outcome")),
                ("findings", len(f)),
                ("certified", "all" if f.ok else "NOT all"),
                ("figures", ", ".join(sorted(self.figures))),
            ),
            tables=(
                Table(
                    "What happens",
                    ("finding", "statement"),
                    tuple((i, f[i].text()) for i in _what(f)),
                ),
            ),
        )

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``report.html``, ``report.md`` and ``figures/*.svg`` into ``out_dir``:
        atomically, never through a link, and overwriting only files an earlier report wrote
        there (:mod:`negotiate.reports.files`)."""
        from negotiate.reports.files import write_report_files

        files = {f"figures/{name}.svg": svg for name, svg in self.figures.items()}
        files["report.md"] = self.to_markdown()
        files["report.html"] = self.to_html()
        return write_report_files(out_dir, files)

    def _describe(self) -> str:
        f = self.findings
        certified = "certified" if f.ok else "NOT all certified"
        return f"{f.title!r}: {f.meta.get('outcome')}, {len(f)} findings ({certified})"


def report(
    scenario: Any,
    overrides: Mapping[str, Any] | None = None,
    variant: str | None = None,
    *,
    regime: bool | tuple[str, str] = True,
    resolution: int = 81,
    progress: Progress | None = None,
    draws: int = 2000,
) -> Report:
    """The report that explains ``scenario``'s outcome (a scenario file path, a
    :class:`~negotiate.scenario.Scenario`, or an already analysed
    :class:`~negotiate.scenario.ScenarioResult`).

    ``overrides`` and ``variant`` are applied as in :meth:`Scenario.solve`.  ``regime``: a
    pair of parameter names for the regime map, ``True`` for the first two levers with a
    tipping point, ``False`` for none; ``resolution`` points per axis.  When the automatic
    regime map meets a point where the model is undefined, the report says so and a
    :class:`NegotiateWarning` carries the error; asked-for axes raise it.  When the scenario
    has priors, ``draws`` Monte Carlo draws (seed 0) give the outcome probabilities, and
    dated episodes a calibration (``draws=0``: neither).
    """
    from negotiate.reports.collect import collect
    from negotiate.reports.figures_block import figure_svgs
    from negotiate.scenario import ScenarioResult, load_scenario
    from negotiate.scenario.counterfactual import counterfactuals

    tick = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    start = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal start
        now = time.perf_counter()
        timings[stage] = now - start
        start = now

    if isinstance(scenario, ScenarioResult):
        if overrides or variant is not None:
            raise ModelError("overrides", overrides, "give them to solve(), not with a result")
        result = scenario
    else:
        if isinstance(scenario, str | Path):
            scenario = load_scenario(scenario)
        tick("solve", 0, 1)
        result = scenario.solve(overrides, variant=variant)
    tick("solve", 1, 1)
    lap("solve")
    tick("counterfactuals", 0, 1)
    cf = counterfactuals(result)
    tick("counterfactuals", 1, 1)
    lap("counterfactuals")
    regime_map, regime_failed = None, None
    if regime is not False:
        from negotiate.reports.regime import regime_axes
        from negotiate.reports.regime import regime_map as make_regime

        axes = regime_axes(result) if regime is True else regime
        try:
            regime_map = make_regime(result, axes, resolution, tick)
        except ModelError as exc:
            if regime is not True:  # axes asked for: their failure is the caller's
                raise
            regime_failed = axes
            warnings.warn(f"no regime map over {axes}: {exc}", NegotiateWarning, stacklevel=2)
        lap("regime map")
    unc, cal = _uncertainty(result, draws)
    if unc is not None:
        lap("uncertainty")
    tick("findings", 0, 1)
    findings = collect(result, cf, regime_map, regime_failed, unc, cal)
    tick("findings", 1, 1)
    lap("findings")
    tick("figures", 0, 1)
    figures = figure_svgs(findings, result, cf.threats, unc)
    tick("figures", 1, 1)
    lap("figures")
    return Report(result, cf, findings, figures, regime_map, timings)


def _uncertainty(result: Any, draws: int) -> tuple[Any, Any]:
    """Outcome probabilities over the priors, and the calibration on dated episodes, of the
    analysed point's scenario and variant (``None`` when there are no priors, no draws or
    the point carries overrides the draws would ignore)."""
    sc = result.scenario
    if draws <= 0 or not sc.priors or result.overrides:
        return None, None
    from negotiate.uncertainty import calibrate, uncertainty

    unc = uncertainty(sc, draws=draws, seed=0, variant=result.variant)
    cal: Any = None
    if sc.episodes:
        try:
            cal = calibrate(sc, draws=draws, seed=0, variant=result.variant)
        except InconsistentEpisodesError as exc:  # reported as a finding of its own
            cal = exc
    return unc, cal


def _what(f: Findings) -> tuple[str, ...]:
    section = next((s for s in f.sections if s.key == "what"), f.sections[0])
    return section.blocks[0].findings if section.blocks else ()
