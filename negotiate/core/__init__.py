"""The lowest layer: exact numbers, labels, the inequality/region decider, the result contract."""
