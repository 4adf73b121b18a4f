"""Canonical models of the literature, as closed forms that are also explicit games."""
