"""Complementary pairs of labelled vertices: the pairing step of vertex enumeration.

Two vertices ``x`` of ``P`` and ``y`` of ``Q`` form an equilibrium when together they carry
every label (Shapley 1974; von Stengel 2002, "Computing equilibria for two-person games").
Labels are bit masks; the search runs on 62-bit words with numpy, in blocks, so it needs no
Python loop over pairs.  Used by the sequence-form enumeration of game trees.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["complementary_pairs"]

_WORD = 62  # label bits per int64 word
_PAIR_BLOCK = 4_000_000  # mask comparisons per numpy block


def _words(masks: Sequence[int], n_words: int) -> np.ndarray:
    low = (1 << _WORD) - 1
    return np.array(
        [[(mk >> (_WORD * w)) & low for w in range(n_words)] for mk in masks], dtype=np.int64
    ).reshape(len(masks), n_words)


def complementary_pairs(
    p_masks: Sequence[int], q_masks: Sequence[int], n_labels: int, simple: bool = False
) -> list[tuple[int, int]]:
    """All ``(a, b)`` with ``p_masks[a] | q_masks[b]`` covering every one of ``n_labels`` labels.

    With ``simple`` (every vertex has exactly as many labels as its dimension: a nondegenerate
    game) the partner of a vertex must carry exactly the complementary labels: a hash lookup.
    """
    full = (1 << n_labels) - 1
    if simple:
        index = {mk: j for j, mk in enumerate(q_masks)}
        return [(i, index[full ^ mk]) for i, mk in enumerate(p_masks) if full ^ mk in index]
    if not p_masks or not q_masks:
        return []
    n_words = (n_labels + _WORD - 1) // _WORD
    p = _words(p_masks, n_words)
    q = _words(q_masks, n_words)
    need = _words([full], n_words)[0] & ~p  # labels each row vertex lacks
    block = max(1, _PAIR_BLOCK // (len(q_masks) * n_words))
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(p_masks), block):
        nd = need[start : start + block, None, :]
        hit = ((q[None, :, :] & nd) == nd).all(axis=2)
        a, b = np.nonzero(hit)
        pairs += [(int(i) + start, int(j)) for i, j in zip(a, b, strict=True)]
    return pairs
