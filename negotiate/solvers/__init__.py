"""Algorithms: one module per family, each a public wrapper over a private kernel."""
