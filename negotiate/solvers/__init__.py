"""Algorithms, one subpackage per family (:mod:`.nash`, :mod:`.spe`, :mod:`.pbe`,
:mod:`.bargaining`, :mod:`.lp`), each a public wrapper over private kernels."""
