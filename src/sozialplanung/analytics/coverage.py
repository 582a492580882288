"""Coverage of support offers: how many offers each area has per life situation, against need.

An offer counts in every area where it has a place. The rate is offers per 10,000 people of
the life situation's target population (children for childcare, older people for care …); a
cell is a *gap* when the area has no offer at all, or fewer than ``share`` of the rate of all
areas together. The denominators are counts, so areas are compared on the same footing.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

PER = 10_000


@dataclass(frozen=True)
class Coverage:
    counts: np.ndarray  # (areas, situations) offers with a place in the area
    rates: np.ndarray  # offers per 10,000 of the target population; NaN without population
    overall: np.ndarray  # (situations,) the rate of all areas together
    gaps: np.ndarray  # (areas, situations) bool


def coverage(counts: ArrayLike, population: ArrayLike, share: float = 0.5) -> Coverage:
    """Rates and gaps from offer counts and target populations, both (areas, situations)."""
    counts = np.asarray(counts, dtype=float)
    population = np.asarray(population, dtype=float)
    if counts.shape != population.shape or counts.ndim != 2:
        raise ValueError(
            f"counts {counts.shape} und population {population.shape} müssen dieselbe Form "
            "(Gebiete × Lebenslagen) haben."
        )
    if np.any(counts < 0) or np.any(population < 0):
        raise ValueError("Anzahlen und Bevölkerung dürfen nicht negativ sein.")
    known = population > 0
    rates = np.where(known, PER * counts / np.where(known, population, 1.0), np.nan)
    totals = np.where(known, population, 0.0).sum(axis=0)
    offered = np.where(known, counts, 0.0).sum(axis=0)
    overall = np.where(totals > 0, PER * offered / np.where(totals > 0, totals, 1.0), np.nan)
    below = rates < share * overall
    gaps = known & ((counts == 0) | below)
    return Coverage(counts, rates, overall, gaps)
