"""The dynamic program over a set of ANDs: the best tree of every size (THEORY §5 step 3).

Given a set of ANDs (each a tuple of literals ``(i, s)``; the root ``()`` among
them) and labels y on sample rows, the DP computes for every AND a and every
budget s the least number of disagreements with y of a subtree rooted at a with
at most s leaves, where a subtree is either a leaf (the majority label on a's
rows) or a split of a on a variable i such that both a & (x_i = +1) and
a & (x_i = -1) are in the set. Splits never go below ``depth``. The root's row
of the table is the empirical size/fidelity frontier (THEORY §7) over every
tree whose nodes are ANDs of the set; reading back the choices gives each tree.

The DP runs level by level (deepest first); within a level every split and
every budget is handled by array operations, so Python loops run only over
levels and tree sizes. Label counts are computed once per distinct prefix of
the ANDs, vectorized over the rows.

Examples
--------
>>> X = pd.cube.enumerate(2)
>>> y = np.where(X[:, 0] == 1, 1, -1).astype(np.int8)      # f = x0
>>> g = AndGraph.build(X, y, [(), ((0, 1),), ((0, -1),)], depth=1)
>>> table = g.solve()
>>> table.errors(0).tolist()            # 1 leaf: 2 mistakes; 2 leaves: none
[2, 0]
>>> table.nested(0, 2)
{'var': 0, 'plus': {'leaf': 1}, 'minus': {'leaf': -1}}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np

from .._validation import check_int, check_points, is_sequence, param_error
from ..errors import InvalidInputError

__all__ = ["AndGraph", "DPTable", "canonical", "all_ands"]

Literal = tuple[int, int]
And = tuple[Literal, ...]


def _check_samples(X: Any, y: Any, depth: int, func: str) -> tuple[np.ndarray, np.ndarray, int]:
    """X as ±1 points (int8), y as one ±1 label per row (int8) and depth in
    [1, d]; else InvalidInputError / InvalidParameterError (the one message format)."""
    Xc = check_points(X, None, func=func)
    want = (f"The 'y' parameter of {func} must hold one label -1 or +1 per row of X "
            f"({Xc.shape[0]} rows).")
    try:
        y = np.asarray(y).reshape(-1)
    except (TypeError, ValueError) as err:  # a ragged nesting
        raise InvalidInputError(f"{want} Got {type(y).__name__}: {err}") from err
    if y.shape[0] != Xc.shape[0] or not np.isin(y, (-1, 1)).all():
        raise InvalidInputError(f"{want} Got an array of shape {np.shape(y)}.")
    depth = check_int(depth, "depth", func, min=1, max=Xc.shape[1])
    return Xc, y.astype(np.int8), depth


def _ands_rule(d: int) -> str:
    return f"an iterable of ANDs, each of literals (i, s) with distinct i in [0, {d}), s = ±1"


def _canonical_index(ands: Iterable[Iterable[Sequence[int]]], depth: int, d: int,
                     func: str) -> dict[And, int]:
    """The root ``()`` and each distinct AND of at most ``depth`` literals, in
    canonical form, numbered in order of first appearance."""
    index: dict[And, int] = {(): 0}
    for a in ands:
        try:
            key = canonical(a)
        except (TypeError, ValueError, OverflowError) as err:  # not pairs of ints
            raise param_error("ands", func, _ands_rule(d), a) from err
        if key not in index and len(key) <= depth:
            index[key] = len(index)
    return index


def _bad_literal(order: Sequence[And], d: int) -> int | None:
    """The index of the first canonical AND with a variable outside [0, d), a
    sign other than ±1 or a repeated variable (None: all sound), in one numpy
    pass over every literal."""
    lengths = np.fromiter(map(len, order), dtype=np.int64, count=len(order))
    flat = np.fromiter(chain.from_iterable(chain.from_iterable(order)), dtype=object,
                       count=2 * int(lengths.sum()))
    if flat.size == 0:
        return None
    lits = flat.astype(np.float64).reshape(-1, 2)  # ints of any size; no wrap-around
    owner = np.repeat(np.arange(len(order)), lengths)
    wrong = (lits[:, 0] < 0) | (lits[:, 0] >= d) | ((lits[:, 1] != 1) & (lits[:, 1] != -1))
    # sorted by variable within an AND: a repeat sits next to its twin
    wrong[1:] |= (lits[1:, 0] == lits[:-1, 0]) & (owner[1:] == owner[:-1])
    hits = np.flatnonzero(wrong)
    return int(owner[hits[0]]) if hits.size else None


def canonical(literals: Iterable[Sequence[int]]) -> And:
    """An AND in canonical form: literals as int pairs sorted by variable.

    >>> canonical([(3, -1), (1, 1)])
    ((1, 1), (3, -1))
    """
    return tuple(sorted((int(i), int(s)) for i, s in literals))


def all_ands(d: int, depth: int) -> list[And]:
    """Every AND of at most ``depth`` literals on distinct variables of d, each once
    and canonical (sum over j <= depth of C(d, j) 2^j of them), shortest first.

    >>> len(all_ands(3, 2))      # 1 + 6 + 12
    19
    """
    level: list[And] = [()]
    out: list[And] = [()]
    for _ in range(depth):
        nxt: list[And] = []
        for a in level:
            start = a[-1][0] + 1 if a else 0
            for i in range(start, d):
                nxt.append((*a, (i, 1)))
                nxt.append((*a, (i, -1)))
        out.extend(nxt)
        level = nxt
    return out


@dataclass(frozen=True)
class AndGraph:
    """ANDs with their label counts and the splits between them.

    Attributes
    ----------
    ands : tuple of AND
        Canonical ANDs; ``ands[0]`` is the root ``()``.
    pos, neg : ndarray of int64
        Rows where the AND holds with label +1 / -1.
    splits : ndarray of int64, shape (K, 4)
        Rows ``(parent, var, plus_child, minus_child)`` (indices into ``ands``).
    depth : int
        No split below this depth (its ANDs are leaves only).
    index : dict
        AND -> its position in ``ands``.
    """

    ands: tuple[And, ...]
    pos: np.ndarray
    neg: np.ndarray
    splits: np.ndarray
    depth: int
    index: dict[And, int] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def build(cls, X: np.ndarray, y: np.ndarray, ands: Iterable[Iterable[Sequence[int]]], *,
              depth: int) -> AndGraph:
        """Canonicalise and deduplicate ``ands`` (adding the root ``()``; dropping
        ANDs longer than ``depth``), count labels on the rows of X (int8 points, y
        their ±1 labels) and find every split whose two children are present.

        X must be ±1 points, y one ±1 label per row, depth in [1, d] and every
        AND literals ``(i, s)`` with i in [0, d) distinct and s = ±1; anything
        else raises InvalidInputError / InvalidParameterError."""
        func = "AndGraph.build"
        X, y, depth = _check_samples(X, y, depth, func)
        if not is_sequence(ands):
            raise param_error("ands", func, _ands_rule(X.shape[1]), ands)
        index = _canonical_index(ands, depth, X.shape[1], func)
        bad = _bad_literal(tuple(index), X.shape[1])
        if bad is not None:
            raise param_error("ands", func, _ands_rule(X.shape[1]), tuple(index)[bad])
        return cls._assemble(X, y, index, depth)

    @classmethod
    def _checked(cls, X: np.ndarray, y: np.ndarray, ands: Iterable[Iterable[Sequence[int]]],
                 *, depth: int) -> AndGraph:
        """:meth:`build` for callers that have checked X, y and depth and hold
        ANDs of sound literals (distill_tree's kept ANDs, :func:`all_ands`): no
        second pass over the samples or the literals."""
        return cls._assemble(X, y, _canonical_index(ands, depth, X.shape[1], "AndGraph.build"),
                             depth)

    @classmethod
    def _assemble(cls, X: np.ndarray, y: np.ndarray, index: dict[And, int],
                  depth: int) -> AndGraph:
        """Count the labels under each AND of ``index`` and find the splits."""
        order = tuple(index)
        pos, neg = _counts(X, y, order)
        splits = []
        for idx, a in enumerate(order):
            for k, (i, s) in enumerate(a):
                if s != 1:
                    continue
                parent = a[:k] + a[k + 1:]
                sibling = (*a[:k], (i, -1), *a[k + 1:])
                if parent in index and sibling in index:
                    splits.append((index[parent], i, idx, index[sibling]))
        arr = np.array(sorted(splits), dtype=np.int64).reshape(-1, 4)
        return cls(order, pos, neg, arr, int(depth), index)

    def __len__(self) -> int:
        return len(self.ands)

    def solve(self, max_leaves: int | None = None) -> DPTable:
        """Run the DP for budgets 1 .. ``max_leaves``.

        The default, min(2^depth, (len(self) + 1) // 2), loses nothing: a tree
        with L leaves has 2L - 1 nodes, each a distinct AND of the set, so no
        tree over the set has more leaves (and a deep search with a narrow beam
        does not allocate 2^depth budgets). A larger ``max_leaves`` than
        (len(self) + 1) // 2 would only add copies and raises InvalidParameterError."""
        most = max(1, (len(self.ands) + 1) // 2)
        S = (min(1 << self.depth, most) if max_leaves is None
             else check_int(max_leaves, "max_leaves", "AndGraph.solve", min=1, max=most))
        n_ands = len(self.ands)
        inf = int(self.pos.sum() + self.neg.sum()) + 1           # more than any cost
        lengths = np.array([len(a) for a in self.ands], dtype=np.int64)
        leaf = np.minimum(self.pos, self.neg)
        cost = np.repeat(leaf[:, None], S + 1, axis=1)
        cost[:, 0] = inf                                          # no tree has 0 leaves
        choice = np.full((n_ands, S + 1), -1, dtype=np.int64)    # split row, -1 = leaf
        left = np.zeros((n_ands, S + 1), dtype=np.int64)         # leaves of the plus side
        split_level = lengths[self.splits[:, 0]] if len(self.splits) else np.zeros(0, int)
        for level in range(self.depth - 1, -1, -1):               # deepest first
            rows = np.flatnonzero(split_level == level)
            if rows.size == 0:
                continue
            budget = min(S, 1 << (self.depth - level))
            parent = self.splits[rows, 0]
            U = cost[self.splits[rows, 2], : budget + 1]
            V = cost[self.splits[rows, 3], : budget + 1]
            comb = np.full((rows.size, budget + 1), inf, dtype=np.int64)
            comb_left = np.zeros((rows.size, budget + 1), dtype=np.int64)
            # costs never increase with the budget; a child's is flat from the
            # first budget reaching its least value on, so a split's is flat from
            # the sum of its children's: sizes past the largest sum are copies
            flat = 1 + np.argmin(U[:, 1:], axis=1) + 1 + np.argmin(V[:, 1:], axis=1)
            last = int(min(budget, max(2, flat.max())))
            for s in range(2, last + 1):                           # loop over tree sizes
                s1 = np.arange(1, s)
                vals = U[:, s1] + V[:, s - s1]
                best = np.argmin(vals, axis=1)
                comb[:, s] = vals[np.arange(rows.size), best]
                comb_left[:, s] = s1[best]
            comb[:, last + 1:] = comb[:, last, None]
            comb_left[:, last + 1:] = comb_left[:, last, None]
            # the best split of each parent at every budget: sort by parent, then
            # reduce the key cost * K + position (ties go to the earlier split)
            by_parent = np.argsort(parent, kind="stable")
            parent, rows = parent[by_parent], rows[by_parent]
            comb, comb_left = comb[by_parent], comb_left[by_parent]
            starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]])
            K = rows.size
            key = comb * K + np.arange(K)[:, None]
            win = np.minimum.reduceat(key, starts, axis=0) % K    # (groups, budget + 1)
            cols = np.arange(budget + 1)[None, :]
            p = parent[starts][:, None]
            better = comb[win, cols] < cost[p, cols]              # ties keep the leaf
            cost[p, cols] = np.where(better, comb[win, cols], cost[p, cols])
            choice[p, cols] = np.where(better, rows[win], choice[p, cols])
            left[p, cols] = np.where(better, comb_left[win, cols], left[p, cols])
            if budget < S:                                        # more leaves cannot help
                ps = parent[starts]
                cost[ps, budget + 1:] = cost[ps, budget][:, None]
                choice[ps, budget + 1:] = choice[ps, budget][:, None]
                left[ps, budget + 1:] = left[ps, budget][:, None]
        return DPTable(self, cost, choice, left)


@dataclass(frozen=True)
class DPTable:
    """The solved DP: ``cost[a, s]`` is the least number of disagreements of a
    subtree at AND a with at most s leaves (index 0 unused); ``choice[a, s]`` the
    row of ``graph.splits`` it splits on (-1: a leaf) and ``left[a, s]`` the
    leaves given to the plus side."""

    graph: AndGraph
    cost: np.ndarray
    choice: np.ndarray
    left: np.ndarray

    def errors(self, a: int = 0) -> np.ndarray:
        """Least disagreements at budgets 1 .. S for AND index ``a`` (root: 0)."""
        a = check_int(a, "a", "DPTable.errors", min=0, max=self.cost.shape[0] - 1)
        return self.cost[a, 1:].copy()

    def nested(self, a: int, s: int, default: int = 1) -> dict[str, Any]:
        """The best subtree at AND ``a`` with at most ``s`` leaves, in the nested
        form of :meth:`pacdistill.DecisionTree.from_nested`. Leaves take the
        majority label of their rows; a tie (or an empty region) takes
        ``default``, which below the root is the parent's majority.

        ``a`` is an AND's index, s in [1, S], ``default`` -1 or +1; else
        InvalidParameterError."""
        func = "DPTable.nested"
        a = check_int(a, "a", func, min=0, max=self.cost.shape[0] - 1)
        s = check_int(s, "s", func, min=1, max=self.cost.shape[1] - 1)
        if check_int(default, "default", func) not in (1, -1):
            raise param_error("default", func, "-1 or +1", default)
        return self._nested(a, s, int(default))

    def _nested(self, a: int, s: int, default: int) -> dict[str, Any]:
        g = self.graph
        k = int(self.choice[a, s])
        majority = _majority(int(g.pos[a]), int(g.neg[a]), default)
        if k < 0:
            return {"leaf": majority}
        _, var, plus, minus = (int(v) for v in g.splits[k])
        left = int(self.left[a, s])
        return {"var": var,
                "plus": self._nested(plus, left, majority),
                "minus": self._nested(minus, s - left, majority)}

    def frontier_trees(self, d: int) -> tuple[list[Any], list[int]]:
        """The root's best tree at every budget 1 .. S as
        :class:`pacdistill.DecisionTree` objects on d variables, with their
        disagreement counts; a budget that does not improve on the last is skipped."""
        from ..classes.decision_tree import DecisionTree

        d = check_int(d, "d", "DPTable.frontier_trees", min=1)
        errors = self.errors(0)
        majority = _majority(int(self.graph.pos[0]), int(self.graph.neg[0]), 1)
        trees: list[Any] = []
        errs: list[int] = []
        for s in range(1, errors.shape[0] + 1):
            if errs and errors[s - 1] >= errs[-1]:
                continue
            trees.append(DecisionTree.from_nested(d, self.nested(0, s, majority)))
            errs.append(int(errors[s - 1]))
        return trees, errs


def _majority(pos: int, neg: int, default: int) -> int:
    if pos == neg:
        return default
    return 1 if pos > neg else -1


def _counts(X: np.ndarray, y: np.ndarray, ands: Sequence[And]) -> tuple[np.ndarray, np.ndarray]:
    """Label counts of every AND, grouped by prefix (the AND without its last
    literal): the prefix's rows are found once (memoised, by filtering its own
    prefix's rows) and all ANDs sharing it are counted with one vectorized
    comparison of those rows against their last literals."""
    plus = y == 1
    rows: dict[And, np.ndarray] = {(): np.arange(X.shape[0])}

    def rows_of(a: And) -> np.ndarray:
        if a not in rows:
            base = rows_of(a[:-1])
            i, s = a[-1]
            rows[a] = base[X[base, i] == s]
        return rows[a]

    groups: dict[And, list[int]] = {}
    for k, a in enumerate(ands):
        if a:
            groups.setdefault(a[:-1], []).append(k)
    pos = np.zeros(len(ands), dtype=np.int64)
    neg = np.zeros(len(ands), dtype=np.int64)
    pos[0] = int(np.count_nonzero(plus))                         # the root ()
    neg[0] = int(plus.shape[0]) - int(pos[0])
    for prefix, members in groups.items():
        base = rows_of(prefix)
        lits = np.array([ands[k][-1] for k in members], dtype=np.int64)
        hold = X[base][:, lits[:, 0]] == lits[:, 1].astype(X.dtype)     # (|base|, K)
        hits = np.count_nonzero(hold, axis=0)
        pos[members] = np.count_nonzero(hold[plus[base]], axis=0)
        neg[members] = hits - pos[members]
    return pos, neg
