"""The size/fidelity Pareto frontier of a distillation, with confidence bands (THEORY §7).

A :class:`Frontier` lists, for growing tree sizes s (leaves), the most faithful
tree found with at most s leaves: its empirical fidelity on the n samples (the
fraction of rows where it agrees with f) and a confidence band for its true
fidelity under D.

The band (derived here: THEORY §7, Hoeffding plus a union bound) holds
simultaneously for every listed size with probability >= 1 - delta over the
samples, when the n rows are i.i.d. from D: with G_s the decision trees on d
variables with at most s leaves (ln|G_s| <= ln sum_{k<=s} d^{k-1} 2^k
Catalan(k-1), THEORY §4) and S the largest size considered,

    |empirical error - true error| <= t_s = sqrt((ln|G_s| + ln(2 S / delta)) / (2 n))

for every tree of G_s at once. The class G_s does not depend on the data, so the
band stays valid although the candidate ANDs were chosen from the same samples.

Examples
--------
>>> t_s = band_halfwidth(leaves=4, d=10, n=10_000, max_leaves=8, delta=0.05)
>>> round(t_s, 4)
0.0292
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import check_int, check_probability, check_real, is_sequence, param_error

__all__ = ["FrontierPoint", "Frontier", "band_halfwidth", "log_trees_at_most"]

#: tolerance when comparing a fidelity (a count over n) with a target
_ROUNDING = 1e-12


def log_trees_at_most(leaves: int, d: int) -> float:
    """ln of the bound sum_{k=1..leaves} d^(k-1) 2^k Catalan(k-1) on the number of
    decision trees over d variables with at most ``leaves`` leaves (THEORY §4).

    >>> round(log_trees_at_most(1, 5), 6)      # the two constant trees
    0.693147
    """
    terms = []
    for k in range(1, leaves + 1):
        log_catalan = math.lgamma(2 * k - 1) - math.lgamma(k) - math.lgamma(k + 1)
        terms.append((k - 1) * math.log(d) + k * math.log(2) + log_catalan)
    top = max(terms)
    return top + math.log(sum(math.exp(t - top) for t in terms))


def band_halfwidth(*, leaves: int, d: int, n: int, max_leaves: int, delta: float) -> float:
    """t_s of the module docstring: the half-width of the THEORY §7 band at size s.

    ``max_leaves`` may be any int (2^depth: past 2^1023 ``2 S / delta`` is no float,
    so the logarithm is taken of each factor).

    >>> band_halfwidth(leaves=1, d=2000, n=100, max_leaves=2**1030, delta=0.05) <= 1.9
    True
    """
    return math.sqrt((log_trees_at_most(leaves, d) + math.log(2 * max_leaves)
                      - math.log(delta)) / (2 * n))


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the frontier.

    Attributes
    ----------
    leaves : int
        Leaves of the tree (its size s).
    depth : int
        Its depth.
    fidelity : float
        Fraction of the n samples where the tree agrees with f.
    low, high : float
        The THEORY §7 band for its true fidelity (clipped to [0, 1]).
    tree : DecisionTree
    """

    leaves: int
    depth: int
    fidelity: float
    low: float
    high: float
    tree: Any

    def to_dict(self) -> dict[str, Any]:
        return {"leaves": self.leaves, "depth": self.depth, "fidelity": self.fidelity,
                "low": self.low, "high": self.high, "tree": self.tree.to_dict()}


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier: points with strictly growing size and fidelity.

    Attributes
    ----------
    points : tuple of FrontierPoint
        Smallest tree first; each point is strictly more faithful than the last.
    n : int
        Samples the fidelities are measured on.
    delta : float
        The bands hold simultaneously with probability >= 1 - delta.
    """

    points: tuple[FrontierPoint, ...]
    n: int
    delta: float

    @classmethod
    def from_errors(cls, trees: Sequence[Any], errors: Sequence[int], *, n: int, d: int,
                    delta: float, max_leaves: int) -> Frontier:
        """Keep the Pareto points of (tree, disagreement count) pairs, sizes
        growing; attach the bands.

        ``trees`` are DecisionTrees over d variables, ``errors`` one count in
        [0, n] per tree; n, d and ``max_leaves`` (the largest size searched,
        S of THEORY §7) are integers >= 1 and delta is in (0, 1); anything else
        raises InvalidParameterError.
        """
        from ..classes.decision_tree import DecisionTree

        func = "Frontier.from_errors"
        n = check_int(n, "n", func, min=1)
        d = check_int(d, "d", func, min=1)
        delta = check_probability(delta, "delta", func)
        max_leaves = check_int(max_leaves, "max_leaves", func, min=1)
        given = trees
        trees = list(trees) if is_sequence(trees) else None
        if trees is None or not all(isinstance(tree, DecisionTree) and tree.d == d
                                    for tree in trees):
            raise param_error("trees", func, f"a sequence of DecisionTrees over d = {d} "
                              "variables", given)
        given = errors
        errors = list(errors) if is_sequence(errors) else None
        if errors is None or len(errors) != len(trees):
            raise param_error("errors", func, f"a sequence of {len(trees)} counts, one per "
                              "tree", given)
        errors = [check_int(e, "errors", func, min=0, max=n) for e in errors]
        points: list[FrontierPoint] = []
        order = sorted(range(len(trees)), key=lambda k: (trees[k].n_leaves, errors[k]))
        for k in order:
            tree = trees[k]
            fid = 1.0 - errors[k] / n
            if points and fid <= points[-1].fidelity:
                continue
            if points and tree.n_leaves == points[-1].leaves:
                points.pop()
            t = band_halfwidth(leaves=tree.n_leaves, d=tree.d, n=n, max_leaves=max_leaves,
                               delta=delta)
            points.append(FrontierPoint(tree.n_leaves, tree.depth, fid, max(0.0, fid - t),
                                        min(1.0, fid + t), tree))
        return cls(tuple(points), int(n), float(delta))

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self):
        return iter(self.points)

    @property
    def sizes(self) -> np.ndarray:
        return np.array([p.leaves for p in self.points], dtype=np.int64)

    @property
    def fidelity(self) -> np.ndarray:
        return np.array([p.fidelity for p in self.points])

    @property
    def best(self) -> FrontierPoint:
        """The most faithful point (the last)."""
        return self.points[-1]

    def smallest(self, target: float) -> FrontierPoint | None:
        """The smallest tree whose empirical fidelity is >= ``target``, or None.

        Fidelities are counts over n, compared up to a rounding error of 1e-12
        (far below 1/n): 1 - 7/100 is 0.9299999999999999 in floating point, and
        a tree agreeing on 93 of 100 samples meets the target 0.93.

        >>> f = Frontier.from_errors([pd.DecisionTree.from_nested(3, {"leaf": 1})], [7],
        ...                          n=100, d=3, delta=0.05, max_leaves=1)
        >>> f.smallest(0.93).fidelity, f.smallest(0.931)
        (0.9299999999999999, None)

        Raises
        ------
        InvalidParameterError
            When ``target`` is not a real number in (0, 1] (as distill_tree's).
        """
        target = check_real(target, "target", "Frontier.smallest", low=0, high=1,
                            low_open=True)
        for point in self.points:
            if point.fidelity >= target - _ROUNDING:
                return point
        return None

    def rows(self) -> list[list[str]]:
        """Table rows: leaves, depth, fidelity, band."""
        return [[str(p.leaves), str(p.depth), f"{p.fidelity:.4f}",
                 f"[{p.low:.4f}, {p.high:.4f}]"] for p in self.points]

    COLUMNS = ("leaves", "depth", "fidelity", "band")

    def __str__(self) -> str:
        head = f"{1 - self.delta:.0%} band, n = {self.n}"
        cells = [list(self.COLUMNS), *self.rows()]
        widths = [max(len(r[j]) for r in cells) for j in range(len(self.COLUMNS))]
        lines = ["  ".join(c.rjust(widths[j]) for j, c in enumerate(r)) for r in cells]
        return "\n".join([f"Frontier ({head})", *lines])

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "delta": self.delta,
                "points": [p.to_dict() for p in self.points]}

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Fidelity against leaves with the confidence band (matplotlib).

        The shaded steps show the best tree with at most s leaves for every s
        between the listed sizes; each point's own band is also drawn as an
        error bar, so the last (most faithful) point's band shows too (a step
        ends there and has no width). Returns the Axes. Pass ``ax`` (a
        matplotlib Axes; anything else raises InvalidParameterError) to draw
        into an existing one. Other keyword arguments are properties of the
        fidelity line (a matplotlib Line2D: ``color="k"``, ``linewidth=2``);
        one it refuses, or ``where``, ``label`` or ``marker`` (set here),
        raises InvalidParameterError before anything is drawn.
        """
        from matplotlib.axes import Axes
        from matplotlib.lines import Line2D

        if ax is not None and not isinstance(ax, Axes):
            raise param_error("ax", "Frontier.plot", "None or a matplotlib Axes", ax)
        rule = "properties of a matplotlib Line2D other than where, label and marker"
        if {"where", "label", "marker"} & kwargs.keys():
            raise param_error("kwargs", "Frontier.plot", rule, kwargs)
        try:  # matplotlib's own check of each property, on a line drawn nowhere
            Line2D([], [], **kwargs)
        except (TypeError, ValueError, AttributeError) as err:
            raise param_error("kwargs", "Frontier.plot", rule, kwargs,
                              fix=f"matplotlib says: {str(err)[:200]}") from err
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(5, 3.5))
        sizes = self.sizes
        fid = self.fidelity
        low = np.array([p.low for p in self.points])
        high = np.array([p.high for p in self.points])
        ax.fill_between(sizes, low, high, step="post", alpha=0.25,
                        label=f"{1 - self.delta:.0%} band (THEORY §7)")
        line = ax.step(sizes, fid, where="post", marker="o", label="empirical fidelity",
                       **kwargs)[0]
        ax.errorbar(sizes, fid, yerr=np.vstack([fid - low, high - fid]), fmt="none",
                    ecolor=line.get_color(), capsize=3, alpha=0.6)
        ax.set_xlabel("leaves")
        ax.set_ylabel("fidelity")
        ax.set_xscale("log", base=2)
        ax.set_title("Size/fidelity frontier")
        ax.legend(loc="best")
        return ax
