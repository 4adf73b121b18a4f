"""Canonical models of the literature, as closed forms that are also explicit games."""

# Bargaining (issue #4), commitment and credibility (issue #5)
from negotiate.theory.coupling import (
    credibility,
    disagreement_from_tree,
    discount_reversible,
    discounted_deal,
    reneging_hazard,
    self_enforcement,
)
from negotiate.theory.crisis import CrisisBargaining, RiskReturn
from negotiate.theory.deterrence import Deterrence, RetaliationMenu, severe_retaliation_probability
from negotiate.theory.proliferation import Proliferation
from negotiate.theory.repeated import RepeatedCompliance, credibility_discount
from negotiate.theory.rubinstein import Rubinstein
from negotiate.theory.sanctions import Sanctions
from negotiate.theory.shifting_power import ShiftingPower
from negotiate.theory.signals import CostlySignals
from negotiate.theory.trust import Reassurance, Trust
from negotiate.theory.two_level import TwoLevel, UncertainRatification

__all__ = [
    "CostlySignals",
    "CrisisBargaining",
    "Deterrence",
    "Proliferation",
    "Reassurance",
    "RepeatedCompliance",
    "RetaliationMenu",
    "RiskReturn",
    "Rubinstein",
    "Sanctions",
    "ShiftingPower",
    "Trust",
    "TwoLevel",
    "UncertainRatification",
    "credibility",
    "credibility_discount",
    "disagreement_from_tree",
    "discount_reversible",
    "discounted_deal",
    "reneging_hazard",
    "self_enforcement",
    "severe_retaliation_probability",
]
