"""Statistical disclosure control (Statistische Geheimhaltung) for published counts.

Small counts are hidden (primary suppression), and further cells are hidden until no hidden
count can be recomputed or narrowly bounded from totals (secondary suppression). The audit in
``disclosure_audit`` proves the result.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*, Wiley, ch. 4 (threshold rule,
secondary suppression, protection intervals).
Meindl, B. *sdcTable*, R package, ``protectTable(method = "SIMPLEHEURISTIC")`` (suppress
singletons, then attack and add suppressions until every cell is protected) and
Langsrud, Ø. *easySdcTable* vignette "The problem of singletons and zeros".
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sozialplanung.analytics.disclosure_audit import (
    TOLERANCE,
    Relation,
    audit_intervals,
    check_table,
    is_protected,
)

__all__ = [
    "Relation",
    "SuppressionResult",
    "audit_intervals",
    "hierarchy_relations",
    "is_protected",
    "margin_relations",
    "primary_counts",
    "primary_rates",
    "secondary_suppression",
    "with_margins",
]


def primary_counts(
    counts: ArrayLike, threshold: int = 3, suppress_zero: bool = False
) -> np.ndarray:
    """Cells too small to publish: ``0 < count < threshold`` (and ``0`` if ``suppress_zero``).

    A missing count (NaN) is never flagged; it is unknown, not small.
    """
    data = np.asarray(counts, dtype=float)
    small = (data > 0) & (data < threshold)
    return small | (data == 0) if suppress_zero else small


def primary_rates(numerator: ArrayLike, denominator: ArrayLike, threshold: int = 3) -> np.ndarray:
    """Rates that must not be published because the count above or below the line is too small."""
    return primary_counts(numerator, threshold) | primary_counts(denominator, threshold)


def hierarchy_relations(parents: Sequence[int | None]) -> list[Relation]:
    """One relation per cell with children: the parent equals the sum of its children.

    ``parents[i]`` is the index of the cell that cell ``i`` adds up into (a municipality's
    association, an association's county) or ``None`` for a top-level cell.
    """
    n = len(parents)
    children: dict[int, list[int]] = {}
    for child, parent in enumerate(parents):
        if parent is None:
            continue
        if not 0 <= parent < n or parent == child:
            raise ValueError(f"cell {child} has parent {parent}, outside 0..{n - 1} or itself")
        children.setdefault(parent, []).append(child)
    for start in range(n):
        seen, cell = set(), start
        while parents[cell] is not None:
            if cell in seen:
                raise ValueError(f"parents form a cycle through cell {cell}")
            seen.add(cell)
            cell = parents[cell]
    return [Relation(parent, tuple(kids)) for parent, kids in sorted(children.items())]


def with_margins(inner: ArrayLike) -> np.ndarray:
    """An areas × categories table with a total column appended and a total row below."""
    table = np.asarray(inner, dtype=float)
    with_totals = np.column_stack([table, table.sum(axis=1)])
    return np.vstack([with_totals, with_totals.sum(axis=0)])


def margin_relations(n_rows: int, n_cols: int) -> list[Relation]:
    """Relations of a ``with_margins`` table of ``n_rows × n_cols`` inner cells, raveled row-major.

    Every row (including the total row) sums into its last column and every column (including
    the total column) into its last row, so the grand total appears in both a row and a column
    relation.
    """
    width = n_cols + 1

    def cell(row: int, col: int) -> int:
        return row * width + col

    rows = [
        Relation(cell(r, n_cols), tuple(cell(r, c) for c in range(n_cols)))
        for r in range(n_rows + 1)
    ]
    cols = [
        Relation(cell(n_rows, c), tuple(cell(r, c) for r in range(n_rows)))
        for c in range(n_cols + 1)
    ]
    return rows + cols


@dataclass(frozen=True)
class SuppressionResult:
    """Which cells to hide and how far an attacker can narrow each hidden one down.

    Attributes
    ----------
    primary, secondary, suppressed : ndarray of bool
        Cells hidden for being small, hidden to protect them, and both together.
    lower, upper : ndarray of float
        The attacker's interval per cell (``audit_intervals``); a point for published cells.
    protection : float
        Width every suppressed cell's interval was required to reach.
    """

    primary: np.ndarray
    secondary: np.ndarray
    suppressed: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    protection: float

    @property
    def protected(self) -> bool:
        """Whether every suppressed cell's interval is at least ``protection`` wide.

        Only relations that force a cell to one value even when everything is hidden (never
        the case for hierarchies or tables with margins) can leave this False.
        """
        width = (self.upper - self.lower)[self.suppressed]
        return bool(np.all(width >= self.protection - TOLERANCE))


def secondary_suppression(
    values: ArrayLike,
    relations: Sequence[Relation],
    primary: ArrayLike,
    protection: float = 3.0,
) -> SuppressionResult:
    """Hide further cells until no hidden cell can be bounded to less than ``protection``.

    Parameters
    ----------
    values : array_like of float, shape (n,)
        Non-negative cell values satisfying every relation.
    relations : sequence of Relation
        Additive relations (hierarchies, breakdowns, margins; they may overlap and nest).
    primary : array_like of bool, shape (n,)
        Cells that must be hidden, usually from ``primary_counts``.
    protection : float, default 3
        Minimum width of every hidden cell's interval; use the primary threshold, so a hidden
        1 or 2 could as well be anything over a range of at least that many.

    Returns
    -------
    SuppressionResult

    Notes
    -----
    A deterministic greedy heuristic in the spirit of sdcTable's ``SIMPLEHEURISTIC``
    (Hundepool et al. 2012, ch. 4): (a) while a relation hides exactly one of its cells, which
    could be recomputed by subtraction, also hide its smallest published cell; (b) audit the
    pattern by linear programming and, while a hidden cell's interval is too narrow, hide the
    smallest published cell in a relation with it (looking further along relations linked by
    hidden cells when its own are all hidden), then return to (a). Smallest means lowest value,
    published zeros last (a zero hidden beside a small count cannot widen its range beyond that
    count), parts before totals, then lowest index. Every round hides one more cell or gives up
    on one whose linked relations are all hidden, so the loop ends.
    """
    cells = check_table(values, relations)
    first = np.asarray(primary, dtype=bool)
    if first.shape != cells.shape:
        raise ValueError(f"primary has shape {first.shape}, values {cells.shape}")
    if protection < 0:
        raise ValueError(f"protection must be non-negative, got {protection}")
    is_total = np.zeros(cells.size, dtype=bool)
    is_total[[relation.total for relation in relations]] = True
    rank = np.lexsort((np.arange(cells.size), is_total, cells, cells == 0))
    preference = np.empty(cells.size, dtype=int)
    preference[rank] = np.arange(cells.size)
    relations_of: dict[int, list[Relation]] = {}
    for relation in relations:
        for cell in set(relation.cells):
            relations_of.setdefault(cell, []).append(relation)

    hidden = first.copy()
    given_up: set[int] = set()
    while True:
        _hide_singletons(relations, hidden, preference)
        lower, upper = audit_intervals(cells, relations, hidden)
        narrow = hidden & (upper - lower < protection - TOLERANCE)
        narrow[list(given_up)] = False
        if not narrow.any():
            break
        cell = int(np.flatnonzero(narrow)[0])
        partner = _nearest_partner(cell, relations_of, hidden, preference)
        if partner is None:
            given_up.add(cell)
        else:
            hidden[partner] = True
    return SuppressionResult(
        primary=first,
        secondary=hidden & ~first,
        suppressed=hidden,
        lower=lower,
        upper=upper,
        protection=float(protection),
    )


def _smallest_published(cells: Sequence[int], hidden: np.ndarray, preference: np.ndarray):
    """The preferred published cell among ``cells``, or None when all are hidden."""
    candidates = [cell for cell in cells if not hidden[cell]]
    return min(candidates, key=preference.__getitem__) if candidates else None


def _hide_singletons(relations: Sequence[Relation], hidden: np.ndarray, preference: np.ndarray):
    """Hide cells in place until no relation hides exactly one of its cells."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            cells = set(relation.cells)
            if sum(hidden[cell] for cell in cells) == 1:
                partner = _smallest_published(sorted(cells), hidden, preference)
                if partner is not None:
                    hidden[partner] = True
                    changed = True


def _nearest_partner(
    cell: int, relations_of: dict[int, list[Relation]], hidden: np.ndarray, preference: np.ndarray
) -> int | None:
    """The preferred published cell in the relations closest to ``cell``.

    Relations are searched ring by ring: those containing ``cell``, then those reached through
    hidden cells of the previous ring. None when every linked relation is already fully hidden.
    """
    frontier, reached, seen = [cell], {cell}, set()
    while frontier:
        ring = [
            relation
            for hidden_cell in frontier
            for relation in relations_of.get(hidden_cell, [])
            if relation not in seen
        ]
        seen.update(ring)
        members = sorted({member for relation in ring for member in relation.cells})
        partner = _smallest_published(members, hidden, preference)
        if partner is not None:
            return partner
        frontier = [member for member in members if member not in reached]
        reached.update(frontier)
    return None
