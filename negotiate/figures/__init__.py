"""Figures (matplotlib): game trees, bargaining frontiers, credibility regions."""
