"""Audit of a suppression pattern: how narrowly can an attacker pin down each hidden cell?

A published table is a vector of non-negative cell values tied together by additive relations
(``value[total] == sum(value[parts])``). Once some cells are hidden, an attacker who knows the
published cells, the relations and that counts are never negative can still bound every hidden
cell by linear programming. This module solves that *attacker problem* and is the proof that a
suppression pattern protects what it should.

References
----------
Hundepool, A. et al. (2012). *Statistical Disclosure Control*, Wiley, ch. 4
(protection intervals, the attacker problem and auditing a suppression pattern).
Meindl, B. *sdcTable*, R package, function ``attack()`` (lower and upper bounds of
suppressed cells from the same linear programs).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

# Relations are checked and widths compared with this slack so that float rounding in the
# solver never turns a width of exactly 3 into "unprotected".
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Relation:
    """``value[total] == sum(value[parts])`` for cells indexed into one flat vector."""

    total: int
    parts: tuple[int, ...]

    @property
    def cells(self) -> tuple[int, ...]:
        """The total followed by its parts: every cell the relation ties together."""
        return (self.total, *self.parts)


def check_table(values: ArrayLike, relations: Sequence[Relation]) -> np.ndarray:
    """The cell values as a float vector, after checking they can describe a published table.

    Raises ``ValueError`` for missing or negative values, indices outside the vector and
    relations the values do not satisfy, naming the offending cells.
    """
    cells = np.asarray(values, dtype=float)
    if cells.ndim != 1:
        raise ValueError(f"values must be a flat vector, got shape {cells.shape}")
    bad = np.flatnonzero(~np.isfinite(cells) | (cells < 0))
    if bad.size:
        raise ValueError(
            f"values must be finite and non-negative; cells {bad[:10].tolist()} are not"
        )
    for relation in relations:
        indices = relation.cells
        if min(indices) < 0 or max(indices) >= cells.size:
            raise ValueError(f"{relation} refers to cells outside 0..{cells.size - 1}")
        gap = cells[relation.total] - cells[list(relation.parts)].sum()
        if abs(gap) > TOLERANCE * max(1.0, cells[relation.total]):
            raise ValueError(
                f"{relation} does not hold: total {cells[relation.total]:g} "
                f"but parts sum to {cells[list(relation.parts)].sum():g}"
            )
    return cells


def _attacker_model(cells: np.ndarray, relations: Sequence[Relation], hidden: np.ndarray):
    """One HiGHS model: a column in [0, inf) per hidden cell, a row per relation touching one.

    Published cells are constants, so each relation ``total - sum(parts) = 0`` becomes a row over
    the hidden cells whose right-hand side is minus the published contribution.
    """
    import highspy

    column_of = {cell: column for column, cell in enumerate(hidden)}
    from sozialplanung.analytics.highs import new_highs

    model = new_highs()
    model.setOptionValue("presolve", "off")  # tiny models; keeps the basis for warm starts
    n = hidden.size
    model.addCols(
        n,
        np.zeros(n),
        np.zeros(n),
        np.full(n, highspy.kHighsInf),
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=float),
    )
    starts, indices, coefficients, rhs = [], [], [], []
    for relation in relations:
        signed = [(relation.total, 1.0)] + [(part, -1.0) for part in relation.parts]
        row = {}
        published = 0.0
        for cell, sign in signed:
            if cell in column_of:
                row[column_of[cell]] = row.get(column_of[cell], 0.0) + sign
            else:
                published += sign * cells[cell]
        row = {column: value for column, value in row.items() if value != 0.0}
        if not row:
            continue
        starts.append(len(indices))
        indices.extend(sorted(row))
        coefficients.extend(row[column] for column in sorted(row))
        rhs.append(-published)
    if rhs:
        bound = np.array(rhs, dtype=float)
        model.addRows(
            len(rhs),
            bound,
            bound,
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(coefficients, dtype=float),
        )
    return model


def _optimise(model, column: int, n_columns: int, sense) -> float:
    """Optimum of the hidden cell in ``column`` alone; ``inf`` when it is unbounded above."""
    import highspy

    costs = np.zeros(n_columns)
    costs[column] = 1.0
    model.changeColsCost(n_columns, np.arange(n_columns, dtype=np.int32), costs)
    model.changeObjectiveSense(sense)
    model.run()
    status = model.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return float(model.getInfo().objective_function_value)
    # The true table is a feasible point (checked before), so "unbounded or infeasible" means
    # unbounded; it can only happen when maximising because every cell is at least 0.
    if sense == highspy.ObjSense.kMaximize and status in (
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return np.inf
    raise RuntimeError(
        f"HiGHS could not bound a suppressed cell: {model.modelStatusToString(status)}"
    )


def audit_intervals(
    values: ArrayLike, relations: Sequence[Relation], suppressed: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest value each cell can take, as seen by someone reading the table.

    Parameters
    ----------
    values : array_like of float, shape (n,)
        True, non-negative cell values satisfying every relation.
    relations : sequence of Relation
        Additive relations between the cells.
    suppressed : array_like of bool, shape (n,)
        Cells that are not published.

    Returns
    -------
    lower, upper : ndarray of float, shape (n,)
        For a suppressed cell the minimum and maximum of
        ``x[cell]`` subject to ``x[total] = sum(x[parts])`` for every relation, ``x >= 0`` and
        ``x = values`` on published cells (``upper`` may be ``inf``). The attacker is assumed to
        know no more, in particular not the suppression threshold (Hundepool et al. 2012, ch. 4).
        Published cells get ``lower == upper == value``.
    """
    import highspy

    cells = check_table(values, relations)
    hidden_mask = np.asarray(suppressed, dtype=bool)
    if hidden_mask.shape != cells.shape:
        raise ValueError(f"suppressed has shape {hidden_mask.shape}, values {cells.shape}")
    lower, upper = cells.copy(), cells.copy()
    hidden = np.flatnonzero(hidden_mask)
    if hidden.size == 0:
        return lower, upper
    model = _attacker_model(cells, relations, hidden)
    for column, cell in enumerate(hidden):
        lower[cell] = _optimise(model, column, hidden.size, highspy.ObjSense.kMinimize)
        upper[cell] = _optimise(model, column, hidden.size, highspy.ObjSense.kMaximize)
    return lower, upper


def is_protected(
    values: ArrayLike, relations: Sequence[Relation], suppressed: ArrayLike, protection: float
) -> bool:
    """Whether every suppressed cell ranges over at least ``protection`` for an attacker.

    See ``audit_intervals`` for the attacker's knowledge; a cell unbounded above is protected.
    """
    lower, upper = audit_intervals(values, relations, suppressed)
    hidden = np.asarray(suppressed, dtype=bool)
    return bool(np.all(upper[hidden] - lower[hidden] >= protection - TOLERANCE))
