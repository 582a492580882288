"""Subset-row cuts for the set-partitioning master of :mod:`.regions_partition`.

Of any three areas, at most one region of a partition holds two or more: for a triple T,
:math:`\\sum_k [|R_k \\cap T| \\ge 2] \\lambda_k \\le 1` (Jepsen, Petersen, Spoorendonk &
Pisinger 2008, *Operations Research* 56(2), 497-511). The relaxation breaks this with its
typical half-valued regions (A+B, B+C and C+A at 1/2 each), so these cuts close most of the gap
the column generation leaves. Their prices reach the column search as a charge on any region
that holds two areas of a cut (:func:`.regions_columns.connected_sets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from sozialplanung.analytics.regions_master import Columns


@dataclass
class SubsetRows:
    """The cuts added so far: three areas each."""

    triples: np.ndarray = field(default_factory=lambda: np.empty((0, 3), dtype=np.int64))

    def __len__(self) -> int:
        return len(self.triples)

    def add(self, triples: np.ndarray) -> None:
        self.triples = np.r_[self.triples, np.asarray(triples, dtype=np.int64).reshape(-1, 3)]

    def incidence(self, n: int) -> sparse.csr_matrix:
        """Cut-by-area 0/1 matrix."""
        rows = np.repeat(np.arange(len(self)), 3)
        return sparse.csr_matrix(
            (np.ones(rows.size), (rows, self.triples.ravel())), shape=(len(self), n)
        )

    def coefficients(self, columns: Columns, n: int) -> sparse.csr_matrix:
        """Cut-by-column matrix: 1 where the column holds two or more areas of the cut."""
        held = (self.incidence(n) @ columns.matrix(n)[:n]).tocsr()
        held.data = (held.data >= 2).astype(float)
        held.eliminate_zeros()
        return held

    def held(self, areas: np.ndarray) -> np.ndarray:
        """Whether a region of ``areas`` holds two or more areas of each cut."""
        return np.isin(self.triples, areas).sum(axis=1) >= 2

    def charge(self, areas: np.ndarray, penalty: np.ndarray) -> float:
        """What a region of ``areas`` pays at cut ``penalty`` (one per cut, non-negative)."""
        return float(penalty[self.held(areas)].sum())

    def of_units(self, of_area: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """For each unit, the cuts of its areas (once per area), as CSR index arrays."""
        units = of_area[self.triples.ravel()]
        cuts = np.repeat(np.arange(len(self)), 3)
        order = np.argsort(units, kind="stable")
        indptr = np.r_[0, np.cumsum(np.bincount(units, minlength=count))].astype(np.int64)
        return indptr, cuts[order].astype(np.int64)


def separate(
    members: list[np.ndarray], values: np.ndarray, n: int, known: SubsetRows, most: int
) -> np.ndarray:
    """Up to ``most`` triples whose cut the relaxation's solution breaks, worst first.

    Exact over all triples: a triple's left-hand side is the sum over its three pairs of the
    value of the columns holding the pair, less twice the value of those holding all three.
    """
    cover = np.zeros((n, len(members)))
    for k, areas in enumerate(members):
        cover[areas, k] = 1.0
    pairs = (cover * values) @ cover.T
    triples = np.einsum("ak,bk,ck->abc", cover * values, cover, cover, optimize=True)
    lhs = pairs[:, :, None] + pairs[:, None, :] + pairs[None, :, :] - 2 * triples
    index = np.arange(n)
    a, b, c = np.meshgrid(index, index, index, indexing="ij")
    ordered = (a < b) & (b < c)
    violation = lhs[ordered] - 1.0
    candidates = np.c_[a[ordered], b[ordered], c[ordered]]
    seen = {tuple(t) for t in known.triples.tolist()}
    best = []
    for k in np.argsort(-violation, kind="stable"):
        if violation[k] <= 1e-3 or len(best) >= most:
            break
        if tuple(candidates[k].tolist()) not in seen:
            best.append(candidates[k])
    return np.array(best, dtype=np.int64).reshape(-1, 3)
