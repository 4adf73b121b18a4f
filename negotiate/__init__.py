"""negotiate: a game-theoretic negotiation solver.

The curated public API; everything else lives in the subpackages.
"""

from negotiate._version import __version__
from negotiate.errors import (
    DegenerateWarning,
    FloatInputWarning,
    ModelError,
    NegotiateError,
    NegotiateWarning,
    NotApplicableError,
    SolverError,
    TooLargeError,
)
from negotiate.games.normal import NormalFormGame
from negotiate.results import Certificate, Summary

__all__ = [
    "Certificate",
    "DegenerateWarning",
    "FloatInputWarning",
    "ModelError",
    "NegotiateError",
    "NegotiateWarning",
    "NormalFormGame",
    "NotApplicableError",
    "SolverError",
    "Summary",
    "TooLargeError",
    "__version__",
]
