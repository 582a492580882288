"""Planning regions: our heuristic against the exact model and spopt's heuristics, same input.

Three inputs, each with population bounds: (1) the demo county (59 municipalities of the
Saale-Orla-Kreis, VG250-EW 2024) for p = 4…8 and max-p with a floor of 8,000 inhabitants, and
again for p = 4…8 with the five administrative associations kept together (as the demo scheme
is made; ours and the exact model only, the peers take no must-link groups);
(2) a synthetic 40 × 40 rook lattice of 1,600 areas with spatially structured attributes;
(3) Thuringia's 624 municipalities (read from ``../shared/data`` when present). The attributes
of the real inputs are log inhabitants and log density (inhabitants per km²), both computed
from the VG250-EW file; rook adjacency comes from
:func:`~sozialplanung.analytics.geometry.shared_borders`.

Methods: ours (:class:`~sozialplanung.analytics.regions_heuristic.HeuristicRegions`); the exact
p-median model (:class:`~sozialplanung.analytics.regions_exact.ExactRegions`: set partitioning
for a fixed p, the flow MIP for max-p; demo county only, 60 s limit); spopt's
``MaxPHeuristic`` (floor as threshold), ``Skater`` (n_clusters = p; its floor counts areas,
not people, so it runs without one) and ``RegionKMeansHeuristic`` on the same standardised
attributes and the same rook adjacency. Every method's labels are scored
with our heterogeneity (within-region sum of squares of the z-scores) and the p-median cost
the exact model minimises, and checked with :func:`~sozialplanung.analytics.regions.validate`.

Takes about a quarter of an hour, most of it in the exact model and in spopt's MaxPHeuristic.

Run: ``.venv/bin/python benchmarks/regionalisation.py``
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from shapely.geometry import box, shape
from timing import median_seconds

from sozialplanung.analytics.geometry import shared_borders
from sozialplanung.analytics.regions import RegionProblem, heterogeneity, pmedian_cost, validate
from sozialplanung.analytics.regions_heuristic import HeuristicRegions

SEED = 2016
ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src/sozialplanung/demo/data/gemeinden_vg250ew_2024.geojson"
THURINGIA = ROOT.parent / "shared/data/thueringen_gemeinden_vg250ew.geojson"
EXACT_SECONDS = 60.0
SIDE = 40


def municipalities(path: Path) -> dict:
    """Geometries, inhabitants, log inhabitants and log density from a VG250-EW GeoJSON."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    geometries = [shape(f["geometry"]) for f in features]
    population = np.array([f["properties"]["EWZ"] for f in features], dtype=float)
    area = np.array([f["properties"]["KFL_km2"] for f in features], dtype=float)
    edges = np.array([(i, j) for i, j, _ in shared_borders(geometries)], dtype=int)
    attributes = np.c_[np.log(population), np.log(population / area)]
    names = tuple(f["properties"]["GEN"] for f in features)
    # The first nine digits of the ARS name the association (Verband); "5" marks a real one.
    groups: dict[str, list[int]] = {}
    for i, feature in enumerate(features):
        ars = feature["properties"].get("ARS", "")
        if len(ars) >= 9 and ars[5] == "5":
            groups.setdefault(ars[:9], []).append(i)
    return {
        "must_link": tuple(tuple(g) for g in groups.values() if len(g) > 1),
        "geometries": geometries,
        "population": population,
        "attributes": attributes,
        "edges": edges,
        "names": names,
    }


def lattice(rng: np.random.Generator) -> dict:
    """A 40 × 40 grid: three smooth attribute surfaces plus noise, lognormal populations."""
    rows, cols = np.divmod(np.arange(SIDE * SIDE), SIDE)
    index = np.arange(SIDE * SIDE).reshape(SIDE, SIDE)
    edges = np.concatenate(
        [
            np.c_[index[:, :-1].ravel(), index[:, 1:].ravel()],
            np.c_[index[:-1, :].ravel(), index[1:, :].ravel()],
        ]
    )
    attributes = np.c_[
        np.sin(cols / 6) + 0.3 * rng.normal(size=rows.size),
        np.cos(rows / 7) + 0.3 * rng.normal(size=rows.size),
        (rows + cols) / SIDE + 0.3 * rng.normal(size=rows.size),
    ]
    population = np.round(rng.lognormal(np.log(1200), 0.6, rows.size))
    geometries = [box(c, -r, c + 1, -r + 1) for r, c in zip(rows, cols, strict=True)]
    return {
        "geometries": geometries,
        "population": population,
        "attributes": attributes,
        "edges": edges,
        "names": (),
    }


def row(table, data, label, method, problem, labels, seconds, note=""):
    """Score labels the same way for every method and add a table row."""
    if labels is None:
        table.append((data, method, label, "–", "–", "–", "–", note))
        return None
    labels = np.unique(np.asarray(labels), return_inverse=True)[1].astype(np.int64)
    messages = validate(problem, labels)
    h = heterogeneity(problem, labels)
    cost = pmedian_cost(problem, labels)
    regions = int(labels.max()) + 1
    feasible = "ja" if not messages else f"nein ({len(messages)})"
    table.append(
        (
            data,
            method,
            label,
            regions,
            f"{h:.2f}",
            f"{cost:.2f}",
            feasible,
            f"{seconds:.2f}" + (f"  {note}" if note else ""),
        )
    )
    return {"h": h, "cost": cost, "feasible": not messages, "labels": labels}


def peer_weights(problem: RegionProblem, geometries):
    """libpysal weights from our edges and a GeoDataFrame with z-scores and population."""
    import geopandas as gpd
    from libpysal.weights import W

    neighbours = {i: [int(j) for j in problem.neighbours[i]] for i in range(problem.n)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = W(neighbours, silence_warnings=True)
    z = problem.standardised
    columns = [f"z{k}" for k in range(z.shape[1])]
    frame = gpd.GeoDataFrame(
        {**{c: z[:, k] for k, c in enumerate(columns)}, "population": problem.population},
        geometry=list(geometries),
    )
    return frame, w, columns


def run_peer(work: Callable[[], np.ndarray], runs: int):
    """Time a peer; return (seconds, labels, note) with the failure as note."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seconds, labels = median_seconds(work, runs)
        return seconds, labels, ""
    except Exception as error:  # a failing peer is a result to report
        return math.nan, None, f"Fehler: {type(error).__name__}: {str(error)[:60]}"


def run_exact(table, name, label, problem):
    """The exact p-median model, if its module is there; its failures are reported too."""
    try:
        from sozialplanung.analytics.regions_exact import ExactRegions
    except ImportError:
        return row(table, name, label, "exact (MIP)", problem, None, math.nan, "Modul fehlt")
    try:
        solved = ExactRegions.from_problem(problem).solve(time_limit=EXACT_SECONDS)
    except Exception as error:  # a time limit without a solution is a result to report
        return row(table, name, label, "exact (MIP)", problem, None, math.nan, repr(error)[:80])
    gap = "–" if solved.gap_ is None else f"{solved.gap_:.2g}"
    note = f"{solved.status_}, gap {gap}"
    result = row(table, name, label, "exact (MIP)", problem, solved.labels_, solved.seconds_, note)
    result.update(status=solved.status_, gap=solved.gap_)
    return result


def compare(table, name, data, configs, runs, exact=False, peers=True, must_link=()):
    """Run every method on each (label, p, floor) configuration of one input.

    ``must_link`` groups (e.g. administrative associations) bind ours and the exact model;
    the peers cannot take them, so ``peers=False`` leaves them out there.
    """
    summary = []
    frame = w = columns = None
    for label, p, floor in configs:
        problem = RegionProblem(
            data["attributes"],
            data["population"],
            data["edges"],
            p,
            floor=floor,
            must_link=must_link,
            names=data["names"],
        )
        seconds, ours = median_seconds(
            lambda problem=problem: HeuristicRegions.from_problem(problem).solve(seed=SEED),
            runs,
        )
        entry = {
            "label": label,
            "ours": row(
                table,
                name,
                label,
                "ours (heuristic)",
                problem,
                ours.labels_,
                seconds,
                ours.result_.status,
            ),
        }
        if exact:
            entry["exact"] = run_exact(table, name, label, problem)
        if not peers:
            summary.append(entry)
            continue
        if frame is None:
            frame, w, columns = peer_weights(problem, data["geometries"])
        from spopt.region import MaxPHeuristic, RegionKMeansHeuristic, Skater

        if p is None:

            def maxp(frame=frame, w=w, columns=columns, floor=floor):
                model = MaxPHeuristic(frame, w, columns, "population", floor, top_n=2)
                model.solve()
                return model.labels_

            seconds, labels, note = run_peer(maxp, runs)
            entry["spopt MaxPHeuristic"] = row(
                table, name, label, "spopt MaxPHeuristic", problem, labels, seconds, note
            )
        else:

            def skater(frame=frame, w=w, columns=columns, p=p):
                model = Skater(frame, w, columns, n_clusters=p)
                model.solve()
                return model.labels_

            def kmeans(frame=frame, w=w, columns=columns, p=p):
                model = RegionKMeansHeuristic(frame[columns].to_numpy(), p, w, seed=SEED)
                model.solve()
                return model.labels_

            for method, work in [
                ("spopt Skater (ohne Untergrenze)", skater),
                ("spopt RegionKMeansHeuristic", kmeans),
            ]:
                seconds, labels, note = run_peer(work, runs)
                entry[method] = row(table, name, label, method, problem, labels, seconds, note)
        summary.append(entry)
    return summary


def print_table(table) -> None:
    header = (
        "Eingabe",
        "Verfahren",
        "Aufgabe",
        "Regionen",
        "Heterog.",
        "p-Median",
        "zulässig",
        "Sekunden",
    )
    widths = [max(len(str(r[k])) for r in [header, *table]) for k in range(len(header))]
    for r in [header, None, *table]:
        if r is None:
            print("  ".join("-" * width for width in widths))
            continue
        print("  ".join(str(v).ljust(width) for v, width in zip(r, widths, strict=True)))


def verdict(summary, title: str) -> None:
    """Did the exact model prove optimality, and does any feasible result beat it?"""
    print(f"\n{title}: exact model against the others (p-median cost is what it minimises)")
    for entry in summary:
        exact = entry.get("exact")
        if not exact:
            continue
        proved = exact["status"] == "optimal" and exact["gap"] is not None and exact["gap"] < 1e-6
        better_cost, better_h = [], []
        for method, result in entry.items():
            if method in ("label", "exact") or not result or not result["feasible"]:
                continue
            if result["cost"] < exact["cost"] - 1e-6:
                better_cost.append(method)
            if result["h"] < exact["h"] - 1e-6:
                better_h.append(method)
        ours = entry["ours"]
        print(
            f"  {entry['label']}: optimality proved: {'ja' if proved else 'nein'}; "
            f"lower p-median cost than exact: {', '.join(better_cost) or 'keiner'}; "
            f"lower heterogeneity than exact: {', '.join(better_h) or 'keiner'} "
            f"(ours {ours['h']:.2f} vs exact {exact['h']:.2f})"
        )


def main() -> None:
    table: list[tuple] = []
    demo = municipalities(DEMO)
    configs = [(f"p={p}, ≥ 8.000", p, 8000.0) for p in range(4, 9)]
    configs.append(("max-p, ≥ 8.000", None, 8000.0))
    demo_summary = compare(table, "Demo-Kreis (59)", demo, configs, runs=3, exact=True)
    # The same with administrative associations kept together, as the demo scheme is made.
    together = compare(
        table,
        "Demo-Kreis, VG zusammen",
        demo,
        configs[:-1],
        runs=3,
        exact=True,
        peers=False,
        must_link=demo["must_link"],
    )

    grid = lattice(np.random.default_rng(SEED))
    floor = float(round(0.6 * grid["population"].sum() / 8))
    configs = [(f"p=8, ≥ {floor:,.0f}".replace(",", "."), 8, floor), ("max-p, ≥ 20.000", None, 2e4)]
    compare(table, "Gitter 40×40", grid, configs, runs=1)

    if THURINGIA.exists():
        land = municipalities(THURINGIA)
        compare(
            table,
            "Thüringen (624)",
            land,
            [("p=22, ≥ 40.000", 22, 40000.0), ("max-p, ≥ 50.000", None, 50000.0)],
            runs=1,
        )
    else:
        print(f"Thüringen übersprungen: {THURINGIA} fehlt.")

    print_table(table)
    verdict(demo_summary, "Demo county")
    verdict(together, "Demo county, associations kept together")


if __name__ == "__main__":
    main()
