"""Game representations: immutable, labelled data, no algorithms."""

from negotiate.games.normal import MixedProfile, NormalFormGame

__all__ = ["MixedProfile", "NormalFormGame"]
