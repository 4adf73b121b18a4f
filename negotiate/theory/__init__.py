"""Canonical models of the literature, as closed forms that are also explicit games."""

# Commitment and credibility (issue #5)
from negotiate.theory.deterrence import Deterrence, RetaliationMenu, severe_retaliation_probability
from negotiate.theory.proliferation import Proliferation
from negotiate.theory.repeated import RepeatedCompliance
from negotiate.theory.sanctions import Sanctions
from negotiate.theory.shifting_power import ShiftingPower
from negotiate.theory.signals import CostlySignals
from negotiate.theory.trust import Reassurance, Trust

__all__ = [
    "CostlySignals",
    "Deterrence",
    "Proliferation",
    "Reassurance",
    "RepeatedCompliance",
    "RetaliationMenu",
    "Sanctions",
    "ShiftingPower",
    "Trust",
    "severe_retaliation_probability",
]
