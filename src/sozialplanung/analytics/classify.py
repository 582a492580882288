"""Class breaks for choropleth maps."""

import numpy as np
from numpy.typing import ArrayLike


def quantile_breaks(values: ArrayLike, k: int = 5) -> np.ndarray:
    """Upper bounds of ``k`` classes holding about equally many areas (missing values ignored).

    Returns fewer than ``k`` bounds when values repeat so much that classes would be empty.
    The last bound is the maximum, so every value falls into a class.
    """
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size == 0:
        return np.array([])
    bounds = np.quantile(data, np.arange(1, k + 1) / k, method="inverted_cdf")
    return np.unique(bounds)


def assign_classes(values: ArrayLike, breaks: ArrayLike) -> np.ndarray:
    """Index of the class of each value (0 = lowest); -1 where the value is missing."""
    data = np.asarray(values, dtype=float)
    classes = np.searchsorted(np.asarray(breaks, dtype=float), data, side="left")
    classes = np.minimum(classes, max(len(breaks) - 1, 0))
    return np.where(np.isnan(data), -1, classes)
