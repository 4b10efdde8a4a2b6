"""Supervised monotonic binning and weights of evidence (training only; uses scikit-learn).

Why by hand rather than ``optbinning``: that library solves binning as a
mixed-integer programme through Google OR-Tools, a very large native
dependency for what a depth-limited decision tree with a monotonic constraint
(``DecisionTreeClassifier(monotonic_cst=...)``) plus a pool-adjacent-violators
merge does well enough here: at most ``max_bins`` bins, each holding at least
``min_bin_fraction`` of the rows, with bad rates that move in one direction.

Categorical features are binned the same way after ordering their categories
by bad rate: the tree then groups neighbouring categories, and rare ones
(below the minimum bin size) share an "other" bin that also takes categories
never seen in training.

WoE is ``ln(share of goods / share of bads)`` with a half-count smoothing, so a
higher WoE is a better (lower-risk) bin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from sklearn.tree import DecisionTreeClassifier

from gateway.scoring.spec import FeatureSpec

IntArray = npt.NDArray[np.int_]
FloatArray = npt.NDArray[np.float64]


@dataclass
class BinStats:
    """Goods and bads per bin, and what they imply."""

    goods: list[float]
    bads: list[float]
    total_goods: float
    total_bads: float

    @property
    def woe(self) -> list[float]:
        """Smoothed weight of evidence of each bin."""
        return [
            float(
                np.log(((g + 0.5) / (self.total_goods + 1)) / ((b + 0.5) / (self.total_bads + 1)))
            )
            for g, b in zip(self.goods, self.bads, strict=True)
        ]

    @property
    def information_value(self) -> float:
        """Sum over bins of (good share − bad share) × WoE."""
        iv = 0.0
        for g, b, w in zip(self.goods, self.bads, self.woe, strict=True):
            iv += ((g + 0.5) / (self.total_goods + 1) - (b + 0.5) / (self.total_bads + 1)) * w
        return iv


@dataclass
class FeatureBinning:
    """A fitted binning of one feature.

    Numeric: ``edges`` split the values into ``len(edges) + 1`` bins, bin ``i``
    holding ``edges[i-1] < x <= edges[i]``. Categorical: ``categories`` maps a
    value to its bin; unlisted values go to ``other_bin``. Missing values have
    their own WoE (``missing_woe``), neutral (0) when too rare to estimate.
    """

    spec: FeatureSpec
    edges: list[float] = field(default_factory=list)
    categories: dict[str, int] = field(default_factory=dict)
    other_bin: int | None = None
    woe: list[float] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    bad_rates: list[float] = field(default_factory=list)
    missing_woe: float = 0.0
    missing_count: int = 0
    iv: float = 0.0
    direction: str = "increasing"

    def bin_index(self, values: np.ndarray) -> IntArray:
        """Bin of each value; -1 for missing (and for unseen categories without an other bin)."""
        if self.spec.type == "numeric":
            x = np.asarray(values, dtype=np.float64)
            index = np.searchsorted(np.asarray(self.edges), x, side="left").astype(np.int_)
            index[np.isnan(x)] = -1
            return index
        fallback = -1 if self.other_bin is None else self.other_bin
        return np.array(
            [-1 if v is None else self.categories.get(v, fallback) for v in values], dtype=np.int_
        )

    def transform(self, values: np.ndarray) -> FloatArray:
        """WoE of each value."""
        index = self.bin_index(values)
        table = np.append(np.asarray(self.woe, dtype=np.float64), self.missing_woe)
        return table[index]  # index -1 picks the missing WoE appended last


def fit_binning(
    spec: FeatureSpec,
    values: np.ndarray,
    y: IntArray,
    *,
    max_bins: int = 6,
    min_bin_fraction: float = 0.05,
) -> FeatureBinning:
    """Fit a monotonic binning of one feature against the bad flag ``y``.

    Args:
        spec: the feature's spec (type, optional direction).
        values: floats with NaN (numeric) or strings with ``None`` (categorical).
        y: 1 for bad, 0 for good.
        max_bins: most bins, missing bin not counted.
        min_bin_fraction: least share of the non-missing rows in any bin.

    Returns:
        The fitted binning with WoE, counts and information value.
    """
    min_leaf = max(int(np.ceil(min_bin_fraction * len(y))), 1)
    if spec.type == "numeric":
        x = np.asarray(values, dtype=np.float64)
        present = ~np.isnan(x)
        binning = _fit_numeric(spec, x[present], y[present], max_bins, min_leaf)
    else:
        present = np.array([v is not None for v in values], dtype=bool)
        binning = _fit_categorical(spec, values[present], y[present], max_bins, min_leaf)
    _fill_stats(binning, values, y, present, min_leaf)
    return binning


def _fit_numeric(
    spec: FeatureSpec, x: FloatArray, y: IntArray, max_bins: int, min_leaf: int
) -> FeatureBinning:
    directions = [spec.monotonic] if spec.monotonic else ["increasing", "decreasing"]
    best: FeatureBinning | None = None
    for direction in directions:
        edges = _tree_edges(x, y, max_bins, min_leaf, 1 if direction == "increasing" else -1)
        edges = _merge_violations(x, y, edges, direction)
        candidate = FeatureBinning(spec=spec, edges=edges, direction=str(direction))
        candidate.iv = _stats(candidate.bin_index(x), y, len(edges) + 1).information_value
        if best is None or candidate.iv > best.iv:
            best = candidate
    assert best is not None
    return best


def _fit_categorical(
    spec: FeatureSpec, values: np.ndarray, y: IntArray, max_bins: int, min_leaf: int
) -> FeatureBinning:
    levels, inverse, counts = np.unique(values.astype(str), return_inverse=True, return_counts=True)
    bads = np.bincount(inverse, weights=y, minlength=len(levels))
    frequent = counts >= min_leaf
    # Order frequent categories by (smoothed) bad rate; bin their ranks monotonically.
    rate = (bads + 0.5) / (counts + 1)
    order = [i for i in np.argsort(rate, kind="stable") if frequent[i]]
    rank_of = {int(level_index): rank for rank, level_index in enumerate(order)}
    binning = FeatureBinning(spec=spec)
    if order:
        keep = np.array([rank_of.get(int(i), -1) for i in inverse])
        mask = keep >= 0
        ranks = keep[mask].astype(np.float64)
        edges = _tree_edges(ranks, y[mask], max_bins, min_leaf, 1)
        edges = _merge_violations(ranks, y[mask], edges, "increasing")
        groups = np.searchsorted(np.asarray(edges), np.arange(len(order)), side="left")
        binning.categories = {
            str(levels[level]): int(groups[rank]) for rank, level in enumerate(order)
        }
        n_bins = len(edges) + 1
    else:
        n_bins = 0
    rare = [str(levels[i]) for i in range(len(levels)) if not frequent[i]]
    rare_rows = int(counts[~frequent].sum())
    if rare_rows >= min_leaf or n_bins == 0:
        binning.other_bin = n_bins
        for name in rare:
            binning.categories[name] = n_bins
    elif n_bins:
        # Too few rare rows for a bin of their own: they (and unseen values)
        # join the riskiest frequent group, the cautious choice.
        binning.other_bin = n_bins - 1
        for name in rare:
            binning.categories[name] = n_bins - 1
    return binning


def _tree_edges(x: FloatArray, y: IntArray, max_bins: int, min_leaf: int, sign: int) -> list[float]:
    if len(np.unique(x)) < 2 or len(x) < 2 * min_leaf:
        return []
    tree = DecisionTreeClassifier(
        max_leaf_nodes=max_bins,
        min_samples_leaf=min_leaf,
        monotonic_cst=[sign],
        random_state=0,
    )
    tree.fit(x.reshape(-1, 1), y)
    internal = tree.tree_.children_left != -1
    return sorted(float(t) for t in tree.tree_.threshold[internal])


def _merge_violations(
    x: FloatArray, y: IntArray, edges: list[float], direction: str
) -> list[float]:
    """Pool adjacent bins until bad rates are strictly monotonic in ``direction``."""
    edges = list(edges)
    while edges:
        index = np.searchsorted(np.asarray(edges), x, side="left")
        counts = np.bincount(index, minlength=len(edges) + 1).astype(np.float64)
        bads = np.bincount(index, weights=y, minlength=len(edges) + 1)
        rates = bads / np.maximum(counts, 1)
        steps = np.diff(rates) if direction == "increasing" else -np.diff(rates)
        violations = np.flatnonzero((steps <= 0) | (counts[1:] == 0) | (counts[:-1] == 0))
        if not len(violations):
            break
        del edges[int(violations[0])]
    return edges


def _stats(index: IntArray, y: IntArray, n_bins: int) -> BinStats:
    present = index >= 0
    goods = np.bincount(index[present], weights=1 - y[present], minlength=n_bins)
    bads = np.bincount(index[present], weights=y[present], minlength=n_bins)
    return BinStats(
        [float(v) for v in goods],
        [float(v) for v in bads],
        float((1 - y).sum()),
        float(y.sum()),
    )


def _fill_stats(
    binning: FeatureBinning, values: np.ndarray, y: IntArray, present: np.ndarray, min_leaf: int
) -> None:
    if binning.spec.type == "numeric":
        n_bins = len(binning.edges) + 1
    else:
        n_bins = max(binning.categories.values(), default=-1) + 1
    index = binning.bin_index(values)
    stats = _stats(index, y, n_bins)
    binning.woe = stats.woe
    binning.counts = [int(g + b) for g, b in zip(stats.goods, stats.bads, strict=True)]
    binning.bad_rates = [
        b / (g + b) if g + b else 0.0 for g, b in zip(stats.goods, stats.bads, strict=True)
    ]
    binning.iv = stats.information_value
    missing = ~present
    binning.missing_count = int(missing.sum())
    if binning.missing_count >= min_leaf:
        goods_m = float((1 - y[missing]).sum())
        bads_m = float(y[missing].sum())
        binning.missing_woe = float(
            np.log(
                ((goods_m + 0.5) / (stats.total_goods + 1))
                / ((bads_m + 0.5) / (stats.total_bads + 1))
            )
        )
    else:
        binning.missing_woe = 0.0
