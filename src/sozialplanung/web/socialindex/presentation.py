"""Shaping a run's stored results for its page, map and exports."""

from collections import Counter

from sozialplanung.analytics.status_dynamics import DYNAMICS_LABELS_DE, STATUS_LABELS_DE
from sozialplanung.web.monitoring.models import ImportBatch

from .models import IndexRun

# Need: light (little) to dark (much); status classes from high (good) to very low.
NEED_PALETTE = ["#fdeee2", "#f8c9a4", "#ee9b61", "#c8662b", "#8a3b12"]
STATUS_COLOURS = {"high": "#e0efec", "medium": "#b3d9d2", "low": "#ee9b61", "very_low": "#8a3b12"}
TYPE_COLOURS = ["#1f5f5b", "#c8662b", "#5479ad", "#8c6bb1", "#6b6b6b", "#d4a017", "#3f958b"]
STATUS_ORDER = ["high", "medium", "low", "very_low"]
DYNAMICS_ORDER = ["positive", "stable", "negative"]
VIEWS = {"index": "Indexwert", "status": "Status und Dynamik", "typ": "Typisierung"}


def _rank_colour(result, n: int) -> str:
    share = (result.rank - 1) / max(n - 1, 1)  # 0 = highest need
    return NEED_PALETTE[len(NEED_PALETTE) - 1 - min(int(share * len(NEED_PALETTE)), 4)]


def fills(results, view: str) -> dict[int, str]:
    n = sum(1 for r in results if r.rank is not None)
    colours = {}
    for result in results:
        if view == "status" and result.status_class:
            colours[result.area.pk] = STATUS_COLOURS[result.status_class]
        elif view == "typ" and result.type_number:
            colours[result.area.pk] = TYPE_COLOURS[(result.type_number - 1) % len(TYPE_COLOURS)]
        elif view == "index" and result.rank is not None:
            colours[result.area.pk] = _rank_colour(result, n)
    return colours


def feature_label(result, view: str) -> str:
    if view == "status":
        status = STATUS_LABELS_DE.get(result.status_class, "–")
        dynamics = DYNAMICS_LABELS_DE.get(result.dynamics_class, "–")
        return f"Status {status}, Dynamik {dynamics}"
    if view == "typ":
        return f"Typ {result.type_number}" if result.type_number else "–"
    return f"(Rang {result.rank:g})" if result.rank is not None else ""


def matrix(results) -> list[dict]:
    counts = Counter((r.status_class, r.dynamics_class) for r in results if r.status_class)
    return [
        {
            "status": STATUS_LABELS_DE[status],
            "cells": [counts.get((status, dynamics), 0) for dynamics in DYNAMICS_ORDER],
        }
        for status in STATUS_ORDER
    ]


def run_context(run: IndexRun) -> dict:
    from sozialplanung.reports.charts import bar_chart
    from sozialplanung.reports.charts_index import rank_interval_chart, sensitivity_chart

    results = list(run.results.select_related("area").order_by("rank"))
    for result in results:
        result.status_label = STATUS_LABELS_DE.get(result.status_class, "–")
        result.dynamics_label = DYNAMICS_LABELS_DE.get(result.dynamics_class, "–")
    summary = run.summary
    ranked = [r for r in results if r.median_rank is not None]
    rank_chart = rank_interval_chart(
        [(r.area.name, r.median_rank, r.rank_low, r.rank_high) for r in ranked],
        title=f"{run.definition.name} {run.year}: Rang mit Unsicherheit",
        description="Median und 5–95-%-Intervall des Rangs über die Monte-Carlo-Läufe.",
    )
    sensitivity = summary.get("sensitivity", [])
    sensitivity_svg = sensitivity_chart(
        [(row["label"], row["S1"] or 0.0, row["ST"] or 0.0) for row in sensitivity],
        title="Was die Rangfolge bewegt (Sobol-Indizes)",
        description="Haupt- und Gesamteffekt jeder Modellentscheidung auf die Rangverschiebung.",
    )
    weights = bar_chart(
        list(zip(summary["indicators"], summary["weights"], strict=True)),
        title="Gewichte der Indikatoren",
        unit="Anteil",
        decimals=2,
    )
    typology = summary.get("typology", {})
    types = [
        {
            "number": i + 1,
            "name": name,
            "description": typology["descriptions"][i],
            "size": typology["sizes"][i],
            "colour": TYPE_COLOURS[i % len(TYPE_COLOURS)],
            "members": [r.area for r in results if r.type_number == i + 1],
        }
        for i, name in enumerate(typology.get("names", []))
    ]
    batches = ImportBatch.objects.filter(pk__in=summary.get("batches", []))
    return {
        "run": run,
        "definition": run.definition,
        "results": results,
        "rank_chart": rank_chart,
        "sensitivity_chart": sensitivity_svg,
        "weights_chart": weights,
        "matrix": matrix(results),
        "dynamics_labels": [DYNAMICS_LABELS_DE[d] for d in DYNAMICS_ORDER],
        "has_dynamics": any(r.status_class for r in results),
        "types": types,
        "typology": typology,
        "batches": batches,
        "example": batches.filter(is_example=True).exists(),
        "views": VIEWS,
        "spaces": run.level == IndexRun.Level.SOCIAL_SPACE,
        "status_legend": [(STATUS_LABELS_DE[s], STATUS_COLOURS[s]) for s in STATUS_ORDER],
    }


def export_rows(run: IndexRun) -> tuple[list[str], list[list]]:
    header = [
        "Schlüssel",
        "Sozialraum" if run.level == IndexRun.Level.SOCIAL_SPACE else "Gemeinde",
        "Jahr",
        "Indexwert",
        "Rang",
        "Median-Rang",
        "Rang 5 %",
        "Rang 95 %",
        "Status",
        "Dynamik",
        "Typ",
    ]
    rows = [
        [
            r.area.key,
            r.area.name,
            run.year,
            r.value,
            r.rank,
            r.median_rank,
            r.rank_low,
            r.rank_high,
            STATUS_LABELS_DE.get(r.status_class, ""),
            DYNAMICS_LABELS_DE.get(r.dynamics_class, ""),
            r.type_number,
        ]
        for r in run.results.select_related("area").order_by("rank")
    ]
    return header, rows


def extra_tables(run: IndexRun) -> dict[str, list[list]]:
    """Sensitivity, weights and type profiles of a run, as sheets for the XLSX export."""
    summary = run.summary
    typology = summary.get("typology", {})
    profiles = typology.get("profiles", {})
    indicators = summary.get("indicators", [])
    return {
        "Sensitivität": [["Entscheidung", "S1", "S1 (±)", "ST", "ST (±)"]]
        + [
            [row["label"], row["S1"], row["S1_conf"], row["ST"], row["ST_conf"]]
            for row in summary.get("sensitivity", [])
        ],
        "Gewichte": [["Indikator", "Gewicht"]]
        + [list(pair) for pair in zip(indicators, summary.get("weights", []), strict=True)],
        "Typen": [["Typ", "Beschreibung", "Gemeinden", *indicators]]
        + [
            [name, description, size, *[profiles.get(str(i + 1), {}).get(n) for n in indicators]]
            for i, (name, description, size) in enumerate(
                zip(
                    typology.get("names", []),
                    typology.get("descriptions", []),
                    typology.get("sizes", []),
                    strict=True,
                )
            )
        ],
    }
