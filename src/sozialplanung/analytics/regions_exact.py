"""Exact p-regions by mixed-integer programming with HiGHS.

The model is the p-median ("Hess") form of the p-regions problem (Duque, Church & Middleton
2011, *Geographical Analysis* 43(1), 104-126; Hess et al. 1965, *Operations Research* 13(6),
998-1006) with contiguity imposed exactly, following the comparison of contiguity models in
Validi, Buchanan & Lykhovyd (2022), "Imposing contiguity constraints in political districting
models", *Operations Research* 70(2), 867-892.
"""

from __future__ import annotations

import math
import time
from typing import Literal

import highspy
import numpy as np
from numpy.typing import ArrayLike

from sozialplanung.analytics.regions import (
    RegionInfeasibleError,
    RegionProblem,
    RegionResult,
    heterogeneity,
    medoid,
    pmedian_cost,
    validate,
)
from sozialplanung.analytics.regions_exact_cuts import (
    lagrangian_fixing,
    polish_pmedian,
    tree_flows,
    violated_separators,
)
from sozialplanung.analytics.regions_exact_formulation import build_model, separator_row
from sozialplanung.analytics.regions_exact_model import (
    MipModel,
    RootResult,
    add_rows,
    highs_instance,
    proof_slack,
    x_matrix,
)
from sozialplanung.analytics.regions_heuristic import HeuristicRegions

Contiguity = Literal["columns", "flow", "shortest_path"]
CONTIGUITY = ("columns", "flow", "shortest_path")
CUT_SHARE = 0.5  # at most this share of the time limit goes to root cutting-plane rounds
HEURISTIC_SHARE = 0.03  # share of the time limit for the heuristic's starting solution
HEURISTIC_SEEDS = 8  # heuristic runs whose cheapest result starts the MIP


class RegionSolveError(RuntimeError):
    """The solver stopped without any solution (e.g. time limit reached before the first)."""


class ExactRegions:
    """Optimal contiguous p-regions with population bounds, solved by HiGHS.

    Minimises the p-median cost
    :math:`\\sum_{i,j} d_{ij} x_{ij}` with :math:`d_{ij} = \\lVert z_i - z_j \\rVert^2` on the
    standardised attributes :math:`z`, where :math:`x_{ij} = 1` assigns area i to the region
    centred at area j and :math:`x_{jj}` marks centres (Hess et al. 1965; Duque, Church &
    Middleton 2011). The cost approximates the within-region heterogeneity (sum of squares
    around the mean, :func:`.regions.heterogeneity`), which is reported alongside; each region's
    centre is its medoid. Constraints:

    - every area in exactly one region, :math:`\\sum_j x_{ij} = 1`; :math:`x_{ij} \\le x_{jj}`;
      :math:`\\sum_j x_{jj} = p`;
    - population :math:`\\text{floor} \\cdot x_{jj} \\le \\sum_i \\text{pop}_i x_{ij} \\le
      \\text{ceiling} \\cdot x_{jj}`;
    - must-link :math:`x_{aj} = x_{bj}`, cannot-link :math:`x_{aj} + x_{bj} \\le x_{jj}`;
    - contiguity, by ``contiguity``:

      ``"columns"`` (default for a fixed p, exact). The same problem as set partitioning over
      connected regions, by column generation and a proof by enumeration
      (:mod:`.regions_partition`): much tighter than the models below. It needs a partition
      to start from; without one (and for stage 1 of max-p) the ``"flow"`` model runs.

      ``"flow"`` (exact). One flow commodity per centre j (Shirabe 2005/2009, in the
      per-district form "SHIR" of Validi, Buchanan & Lykhovyd 2022): j sends one unit to every
      other area it serves, flow may enter area v only if :math:`x_{vj} = 1`
      (:math:`\\sum_u f^j_{uv} \\le (n-p)\\,x_{vj}`). So each member is reached from j along
      areas of the same region, which is exactly contiguity. Strengthened by the valid
      inequalities :math:`x_{ij} \\le \\sum_{k \\in N(i)} x_{kj}` (a member other than the
      centre has a neighbour in its region), by fixing :math:`x_{ij} = 0` where every path
      from i to j carries more than ``ceiling`` people or more than n - p + 1 areas, and by
      root cutting planes: rounds of LP solves that add violated vertex-separator
      inequalities :math:`x_{ij} \\le \\sum_{k \\in S} x_{kj}` (S separates i from j; the CUT
      model of Validi et al. 2022, Oehrlein & Haunert 2017) until none is violated or half the
      time limit is used. The flow alone is weak in the LP; the cuts lift the root bound close
      to the optimum (29.7 → 39.1 of 39.3 on the demo county, p = 4), which cut the solve
      time there from ~95 s to ~23 s. HiGHS has no lazy-constraint callback, hence the flow
      keeps the model exact and the cuts only strengthen it.

      ``"shortest_path"`` (faster, restricted). :math:`x_{ij} \\le \\sum_{k \\in N(i),
      \\delta_j(k) < \\delta_j(i)} x_{kj}` with :math:`\\delta_j` the hop distance to j in the
      whole graph (Oehrlein & Haunert 2017, *J. Spatial Information Science* 15, 89-120;
      Validi et al. 2022). Following strictly decreasing :math:`\\delta_j` from any member
      reaches j inside the region, so regions are contiguous; but a region whose members
      reach j only by detours (e.g. around a lake or another region) is excluded, so this
      optimum is optimal only among such "geodesically star-shaped" regions and can be worse
      than the ``"flow"`` optimum. Use it for a quick good solution.

    Max-p (``problem.p is None``) is solved in two stages: first maximise the number of centres
    subject to all constraints, then fix that number and minimise the cost (the lexicographic
    max-p objective of Duque, Anselin & Rey 2012, *J. Regional Science* 52(3), 397-419).
    On the demo county (floor 8,000) the first stage does not prove in its half of a minute
    that 9 regions, which the population would allow, cannot be formed, so max-p ends at the
    time limit with a gap of 2.2 % although its 8 regions are the proven p = 8 optimum.

    Notes
    -----
    The solve starts from the cheapest of several heuristic runs
    (:class:`.regions_heuristic.HeuristicRegions`, polished for p-median cost) unless
    ``initial_labels`` are given. Its cost U ends the root rounds once the LP bound reaches it,
    fixes every x_ij whose reduced cost lifts the bound above U (keeps every solution costing
    at most U, so the optimum), and is HiGHS's first incumbent, so a solve always returns a
    solution. Measured on the 59 municipalities of the demo county (log density and log
    population, floor 8,000, 2 threads, 60 s): the flow model proves p = 4 in ~18 s and ends
    p = 5-8 with gaps of 4-18 % (its root bound stays 3-19 % below the best known cost even
    with the cuts); ``"columns"`` proves p = 4-8 in 5-33 s (module docstring of
    :mod:`.regions_partition`). The ``"shortest_path"`` optimum was 47-50 %
    worse (p = 4, 5) than the true optimum there.

    Attributes (after :meth:`solve`)
    ---------------------------------
    labels_ : ndarray of int, shape (n,)
        Region 0..p-1 of each area, numbered by the lowest area index in the region.
    centres_ : ndarray of int, shape (p,)
        Centre (medoid) area of each region.
    objective_ : float
        p-median cost of the solution (what the model minimises; ``gap_`` refers to it).
    heterogeneity_ : float
        Within-region sum of squares of the standardised attributes.
    gap_ : float
        Relative MIP gap reported by HiGHS (0 when proven optimal with ``mip_gap=0``).
    status_ : str
        "optimal" (within ``mip_gap``) or "time_limit" (best solution when time ran out).
    seconds_ : float
        Wall-clock solve time.
    result_ : RegionResult
        All of the above in the shared result type.
    """

    def __init__(self, problem: RegionProblem, contiguity: Contiguity = "columns") -> None:
        if contiguity not in CONTIGUITY:
            raise ValueError(f"contiguity = {contiguity!r}, erwartet eines von {CONTIGUITY}.")
        self.problem = problem
        self.contiguity = contiguity

    @classmethod
    def from_problem(
        cls, problem: RegionProblem, contiguity: Contiguity = "columns"
    ) -> ExactRegions:
        """Build the model for a :class:`.regions.RegionProblem`."""
        return cls(problem, contiguity)

    def solve(
        self,
        time_limit: float = 60.0,
        mip_gap: float = 0.0,
        threads: int = 2,
        initial_labels: ArrayLike | None = None,
        seed: int = 2016,
    ) -> ExactRegions:
        """Solve with HiGHS and store the results (see class docstring); returns self.

        Parameters
        ----------
        initial_labels : array of int, optional
            A feasible partition to start from. By default :class:`.regions_heuristic.
            HeuristicRegions` (``seed``, 3 % of ``time_limit``) provides one; its cost bounds
            the search, so the root can fix variables and HiGHS never ends empty. (On the demo
            county, p = 6-8, its eight seeds in 6 s found no cheaper start than those of 1 s.)

        Raises
        ------
        RegionInfeasibleError
            If no regionalisation satisfies the constraints (proven by the solver).
        RegionSolveError
            If the time limit ends the search before any solution was found.
        ValueError
            If ``initial_labels`` break a constraint (the message lists which).
        """
        start = time.perf_counter()
        deadline = start + time_limit
        problem = self.problem
        if initial_labels is None:
            incumbent = self._heuristic_labels(seed, HEURISTIC_SHARE * time_limit)
        else:
            incumbent = np.unique(np.asarray(initial_labels), return_inverse=True)[1]
            messages = validate(problem, incumbent)
            if messages:
                raise ValueError("initial_labels verletzen Bedingungen: " + "; ".join(messages))
        p = problem.p
        stage_status = "optimal"
        if p is None:
            p, stage_status = self._max_p(deadline, threads, incumbent)
        if incumbent is not None and incumbent.max() + 1 != p:
            incumbent = None  # max-p: the heuristic found fewer regions than possible
        if self.contiguity == "columns" and incumbent is not None:
            labels, centres, status, gap = self._partition(p, deadline, mip_gap, threads, incumbent)
        else:  # no partition known: the flow model can also prove there is none
            x, status, gap = self._run(p, "cost", deadline, mip_gap, threads, incumbent)
            labels, centres = self._decode(x)
        messages = validate(problem, labels)
        if messages:  # pragma: no cover - would be a modelling error, not a user error
            raise AssertionError("Lösung verletzt Bedingungen: " + "; ".join(messages))
        self.labels_, self.centres_ = labels, centres
        self.objective_ = pmedian_cost(problem, labels, centres)
        self.heterogeneity_ = heterogeneity(problem, labels)
        self.gap_ = gap
        self.status_ = "time_limit" if "time_limit" in (status, stage_status) else "optimal"
        self.seconds_ = time.perf_counter() - start
        self.result_ = RegionResult(
            labels=labels,
            objective=self.heterogeneity_,
            method=f"exact-pmedian-{self.contiguity}",
            status=self.status_,
            gap=gap,
            seconds=self.seconds_,
            parameters={
                "p": p,
                "max_p": problem.p is None,
                "contiguity": self.contiguity,
                "time_limit": time_limit,
                "mip_gap": mip_gap,
                "threads": threads,
                "centres": centres.tolist(),
                "warm_start": incumbent is not None,
            },
            model_objective=self.objective_,
        )
        return self

    def _partition(
        self, p: int, deadline: float, mip_gap: float, threads: int, incumbent: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, str, float]:
        """Solve by column generation and enumeration (:mod:`.regions_partition`)."""
        from sozialplanung.analytics.regions_partition import PartitionSolver

        solver = PartitionSolver(self.problem, p, threads)
        solved = solver.solve(incumbent, deadline - time.perf_counter())
        gap = max(solved.objective - solved.bound, 0.0) / max(abs(solved.objective), 1e-12)
        status = "optimal" if solved.status == "optimal" or gap <= mip_gap else "time_limit"
        return solved.labels, solved.centres, status, 0.0 if solved.status == "optimal" else gap

    def _heuristic_labels(self, seed: int, seconds: float) -> np.ndarray | None:
        """The cheapest feasible partition of a few heuristic runs, polished for p-median cost.

        The heuristic minimises heterogeneity, and its p-median cost varies by seed (up to
        12 % on the demo county), so several seeds share ``seconds``; None if none succeeds.
        """
        deadline = time.perf_counter() + seconds
        best, best_cost = None, math.inf
        for attempt in range(HEURISTIC_SEEDS):
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            try:
                search = HeuristicRegions(self.problem).solve(seed=seed + attempt, time_limit=left)
            except ValueError:  # includes RegionInfeasibleError; the MIP then decides
                break
            labels = polish_pmedian(self.problem, search.labels_)
            cost = pmedian_cost(self.problem, labels)
            if cost < best_cost and not validate(self.problem, labels):
                best, best_cost = labels, cost
        return best

    def _max_p(
        self, deadline: float, threads: int, incumbent: np.ndarray | None
    ) -> tuple[int, str]:
        """Largest number of regions the constraints allow (stage 1 of max-p).

        Starts from the heuristic's partition and gets half the time left, so the cost stage
        keeps the other half; if the time ends first, the heuristic's count stands (unproven).
        """
        now = time.perf_counter()
        try:
            x, status, _ = self._run(
                None, "count", now + 0.5 * (deadline - now), 0.0, threads, incumbent
            )
        except RegionSolveError:
            if incumbent is None:
                raise
            return int(incumbent.max()) + 1, "time_limit"
        count = int(round(np.diag(x).sum()))
        if incumbent is not None and incumbent.max() + 1 > count:  # pragma: no cover
            return int(incumbent.max()) + 1, "time_limit"
        return count, status

    def _run(
        self,
        p: int | None,
        goal: str,
        deadline: float,
        mip_gap: float,
        threads: int,
        incumbent: np.ndarray | None = None,
    ) -> tuple[np.ndarray, str, float]:
        """Build and solve one MIP; return the rounded x matrix, status and gap."""
        root = RootResult([], None, np.zeros((self.problem.n,) * 2, dtype=bool), [])
        upper, start_x = math.inf, None
        # A contiguous partition need not be star-shaped, so only the flow model may start from it.
        if incumbent is not None and self.contiguity != "shortest_path":
            start_x, upper = self._incumbent_x(incumbent)
        if self.contiguity != "shortest_path" and goal == "cost":
            now = time.perf_counter()
            root = self.root(p, now + CUT_SHARE * (deadline - now), threads, upper)
            if root.bound is not None and upper - root.bound <= proof_slack(upper, mip_gap):
                gap = 0.0 if mip_gap == 0 else max(upper - root.bound, 0.0) / max(upper, 1e-12)
                return start_x, "optimal", gap
        model = build_model(
            self.problem, self.contiguity, p, goal, root.cuts, root.forbidden, root.forced
        )
        h = highs_instance(model, True, threads, deadline - time.perf_counter(), mip_gap)
        if start_x is not None:
            self._set_start(h, model, incumbent, start_x)
        h.run()
        if start_x is not None and not self._objective_consistent(h, model):
            # HiGHS 1.16 can misprice a start solution under presolve and then prune the true
            # optimum; without presolve it does not, so solve again that way.
            h = highs_instance(model, True, threads, deadline - time.perf_counter(), mip_gap)
            h.setOptionValue("presolve", "off")
            self._set_start(h, model, incumbent, start_x)
            h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if status in (
            highspy.HighsModelStatus.kInfeasible,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            raise RegionInfeasibleError(self._infeasible_message(p))
        if status == highspy.HighsModelStatus.kOptimal:
            label = "optimal"
        elif status == highspy.HighsModelStatus.kTimeLimit and has_solution:
            label = "time_limit"
        elif status == highspy.HighsModelStatus.kTimeLimit:
            raise RegionSolveError(
                "Zeitlimit erreicht, bevor eine zulässige Einteilung gefunden wurde; "
                "Zeitlimit erhöhen oder Bedingungen lockern."
            )
        else:
            raise RegionSolveError(f"HiGHS meldet {h.modelStatusToString(status)}.")
        x = x_matrix(model, h.getSolution().col_value)
        # HiGHS's default absolute gap (1e-6) may leave a relative gap of ~1e-9 at "optimal".
        gap = 0.0 if label == "optimal" and mip_gap == 0 else float(info.mip_gap)
        return np.rint(x), label, gap

    @staticmethod
    def _objective_consistent(h, model: MipModel) -> bool:
        """Does HiGHS's objective value match the cost of the solution it returns?"""
        if h.getInfo().primal_solution_status != 2:
            return True
        ours = float(np.dot(model.cost, h.getSolution().col_value))
        theirs = float(h.getInfo().objective_function_value)
        return abs(ours - theirs) <= 1e-6 * max(1.0, abs(ours))

    def _incumbent_x(self, labels: np.ndarray) -> tuple[np.ndarray, float]:
        """Assignment matrix of a partition to its medoids, and its p-median cost."""
        n, z = self.problem.n, self.problem.standardised
        x = np.zeros((n, n))
        for region in range(int(labels.max()) + 1):
            members = np.flatnonzero(labels == region)
            x[members, members[medoid(z, members)[0]]] = 1.0
        return x, float((self.problem.distances * x).sum())

    def _set_start(self, h, model: MipModel, labels: np.ndarray, x: np.ndarray) -> None:
        """Give HiGHS the incumbent with its flows, so it starts with a solution."""
        rows, cols = np.nonzero(x)
        if (model.x[rows, cols] < 0).any():  # pragma: no cover - fixing keeps the incumbent
            return
        values = np.zeros(model.n_cols)
        values[model.x[rows, cols]] = 1.0
        centres = cols[np.unique(labels[rows], return_index=True)[1]]
        for (j, u, v), units in tree_flows(self.problem, labels, centres).items():
            values[model.flow[(j, u, v)]] = units
        solution = highspy.HighsSolution()
        solution.col_value = values.tolist()
        h.setSolution(solution)

    def root(self, p: int | None, deadline: float, threads: int, upper: float) -> RootResult:
        """Cutting-plane rounds on the LP relaxation, with reduced-cost fixing against ``upper``.

        Separator inequalities hold for every contiguous solution, so adding them to the flow
        model keeps it exact while lifting its weak LP bound (the CUT model of Validi,
        Buchanan & Lykhovyd 2022, separated on fractional points at the root only). With an
        incumbent cost, each round's duals fix x_ij that no solution as cheap can use
        (:func:`.regions_exact_cuts.lagrangian_fixing`), which shrinks the flow model. The
        last LP's prices of the area rows and the count row start the column generation of
        :mod:`.regions_partition`.
        """
        model = build_model(self.problem, self.contiguity, p, "cost", flow=False)
        h = highs_instance(model, False, threads, deadline - time.perf_counter(), 0.0)
        root = RootResult([], None, np.zeros(model.x.shape, dtype=bool), [])
        zero = np.zeros(model.n_cols, dtype=bool)
        one = np.zeros(model.n_cols, dtype=bool)
        while time.perf_counter() < deadline:
            h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 0.01))
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            if p is not None:
                duals = np.asarray(h.getSolution().row_dual)
                root.prices = duals[: self.problem.n + 1].copy()
            if math.isfinite(upper):
                bound, at_zero, at_one = lagrangian_fixing(h, upper)
                root.bound = bound if root.bound is None else max(root.bound, bound)
                new = np.flatnonzero((at_zero & ~zero) | (at_one & ~one))
                zero |= at_zero
                one |= at_one
                if new.size:
                    h.changeColsBounds(
                        new.size, new.astype(np.int32), one[new].astype(float), (~zero[new]) * 1.0
                    )
                if upper - root.bound <= proof_slack(upper, 0.0):
                    break
            found = violated_separators(self.problem, x_matrix(model, h.getSolution().col_value))
            rows = [separator_row(model, cut) for cut in found]
            rows = [row for row in rows if row is not None]
            if not rows:
                break
            add_rows(h, rows)
            root.cuts.extend(found)
        mask = model.x >= 0
        root.forbidden[mask] = zero[model.x[mask]]
        root.forced = [
            (int(i), int(j)) for i, j in zip(*np.nonzero(mask), strict=True) if one[model.x[i, j]]
        ]
        return root

    def _infeasible_message(self, p: int | None) -> str:
        problem = self.problem
        bounds = []
        if problem.floor > 0:
            bounds.append(f"Untergrenze {problem.floor:,.0f}".replace(",", "."))
        if math.isfinite(problem.ceiling):
            bounds.append(f"Obergrenze {problem.ceiling:,.0f}".replace(",", "."))
        if problem.must_link or problem.cannot_link:
            bounds.append("must_link/cannot_link")
        what = f"{p} zusammenhängende Regionen" if p else "zusammenhängende Regionen"
        rules = " und ".join(bounds) if bounds else "den Bedingungen"
        extra = ""
        if self.contiguity == "shortest_path":
            extra = " (mit contiguity='flow' gibt es eventuell doch eine Lösung)"
        return f"unlösbar (infeasible): keine Einteilung in {what} mit {rules}{extra}."

    def _decode(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Turn x into labels numbered by first area, and the centre of each label."""
        assigned = x.argmax(axis=1)
        order = {c: k for k, c in enumerate(dict.fromkeys(assigned.tolist()))}
        labels = np.array([order[c] for c in assigned.tolist()], dtype=int)
        centres = np.array(list(order), dtype=int)
        return labels, centres
