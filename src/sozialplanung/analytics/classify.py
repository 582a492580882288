"""Class breaks for choropleth maps, from mapclassify (PySAL)."""

import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
from numpy.typing import ArrayLike

METHODS = ("quantiles", "equal_interval", "natural_breaks", "manual")


@dataclass(frozen=True)
class Classification:
    """Upper bounds of the classes (ascending) and each value's class (-1 where missing)."""

    breaks: np.ndarray
    classes: np.ndarray
    lower: float  # the smallest value, where the first class starts

    def bounds(self) -> list[tuple[float, float]]:
        """(lower, upper) of every class, for legends."""
        if not len(self.breaks):
            return []
        lows = [self.lower, *self.breaks[:-1]]
        return list(zip(lows, self.breaks, strict=True))


def classify(
    values: ArrayLike, method: str = "quantiles", k: int = 5, breaks: ArrayLike | None = None
) -> Classification:
    """Classify the known values; missing ones (NaN) get class -1.

    ``quantiles``: about equally many areas per class; ``equal_interval``: classes of equal
    width; ``natural_breaks``: Fisher–Jenks optimal breaks (Fisher 1958, Jenks 1977);
    ``manual``: the given upper ``breaks``, with the maximum added if it lies above them.
    Fewer than ``k`` classes result when there are fewer distinct values.
    """
    data = np.asarray(values, dtype=float)
    known = ~np.isnan(data)
    classes = np.full(data.shape, -1, dtype=int)
    if not known.any():
        return Classification(np.array([]), classes, float("nan"))
    sample = data[known]
    distinct = np.unique(sample).size
    if distinct == 1 and method != "manual":
        classes[known] = 0
        return Classification(np.array([sample[0]]), classes, float(sample[0]))
    k = max(1, min(k, distinct))
    with warnings.catch_warnings():
        # mapclassify warns when ties leave fewer classes than asked; fewer classes are fine.
        warnings.simplefilter("ignore", UserWarning)
        scheme = _scheme(sample, method, k, breaks)
    upper = np.asarray(scheme.bins, dtype=float)
    classes[known] = np.asarray(scheme.yb, dtype=int)
    return Classification(upper, classes, float(sample.min()))


def _scheme(sample: np.ndarray, method: str, k: int, breaks: ArrayLike | None):
    if method == "quantiles":
        return mapclassify.Quantiles(sample, k=k)
    if method == "equal_interval":
        return mapclassify.EqualInterval(sample, k=k)
    if method == "natural_breaks":
        if sample.size > 2000:  # exact Fisher-Jenks is quadratic; sample as PySAL suggests
            return mapclassify.FisherJenksSampled(sample, k=k, pct=0.1)
        return mapclassify.FisherJenks(sample, k=k)
    if method == "manual":
        if breaks is None or len(breaks) == 0:
            raise ValueError("manual classification needs breaks")
        return mapclassify.UserDefined(sample, bins=sorted(float(b) for b in breaks))
    raise ValueError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
