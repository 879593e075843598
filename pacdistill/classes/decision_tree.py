"""Binary decision trees over {-1,+1}^d (THEORY §4, §5, §8).

A tree is stored as four parallel node arrays (node 0 is the root):
``feature[v]`` is the variable tested at v (-1 at leaves); ``plus[v]`` /
``minus[v]`` is the child followed when ``x[feature[v]] == +1`` / ``== -1`` (-1 at
leaves); ``value[v]`` is the output ±1 at a leaf (0 at internal nodes). Every node
is reached from the root exactly once and no variable is tested twice on a
root-leaf path. Prediction routes all rows down the tree together, one level per
step (O(depth * n) numpy work, no loop over rows).

For the LRH (THEORY §5) a node v also names the AND of the literals on the path
to it (:meth:`DecisionTree.ands`), and the tree computes
T(x) = sum over leaves v of value[v] * 1[AND_v(x)].

Examples
--------
>>> t = pd.DecisionTree.from_nested(3, {"var": 0, "plus": {"leaf": 1},
...     "minus": {"var": 2, "plus": {"leaf": -1}, "minus": {"leaf": 1}}})
>>> print(t)
x0 = +1: -> +1
x0 = -1:
  x2 = +1: -> -1
  x2 = -1: -> +1
>>> t.predict([[1, 1, 1], [-1, 1, 1], [-1, 1, -1]]).tolist()
[1, -1, 1]
>>> t.size()
{'d': 3, 'r': 2, 's': 3}
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .._validation import check_int, show
from ..errors import InvalidModelError, InvalidParameterError, SerializationError, TooLargeError
from ._base import Model, ModelClass, readonly
from ._fields import model_int, model_sign, payload_fields, payload_int

__all__ = ["DecisionTree", "DECISION_TREE", "MAX_RANDOM_DEPTH"]

#: Deepest complete tree :func:`DECISION_TREE.random <_random>` builds (2^depth leaves).
MAX_RANDOM_DEPTH = 20

_OWNER = "DecisionTree"
#: Rows routed together by predict: a chunk's index arrays stay in cache.
_ROUTE_CHUNK = 1 << 15


def _index_array(values: Any, name: str) -> np.ndarray:
    """A 1-d int64 copy of an integer array (bools and floats refused)."""
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError) as err:
        raise InvalidModelError(f"The {name!r} array of {_OWNER} is not an array: {err}") from err
    if arr.dtype == np.bool_ or not np.issubdtype(arr.dtype, np.integer):
        if arr.size == 0 and arr.ndim == 1:  # an empty list reads as float64
            return np.zeros(0, dtype=np.int64)
        raise InvalidModelError(
            f"The {name!r} array of {_OWNER} must hold integers. Got dtype {arr.dtype} instead."
        )
    if arr.ndim != 1:
        raise InvalidModelError(
            f"The {name!r} array of {_OWNER} must be 1-d. Got shape {arr.shape} instead."
        )
    if arr.dtype.kind == "u" and arr.size and arr.max() > np.iinfo(np.int64).max:
        # astype(int64) would wrap it to a negative number, which messages would name
        raise InvalidModelError(
            f"The {name!r} array of {_OWNER} holds {int(arr.max())}, out of range for a "
            "node or variable index."
        )
    return arr.astype(np.int64)


@dataclass(frozen=True, eq=False)
class DecisionTree(Model):
    """A binary decision tree on {-1,+1}^d given by parallel node arrays.

    Parameters
    ----------
    d : int
        Input dimension, >= 1.
    feature, plus, minus, value : array_like of int, one entry per node
        ``feature[v]``: the variable tested at v, or -1 at a leaf;
        ``plus[v]`` / ``minus[v]``: the child taken when ``x[feature[v]]`` is +1 /
        -1 (-1 at a leaf); ``value[v]``: ±1 at a leaf, 0 at an internal node.
        Node 0 is the root.

    Raises
    ------
    InvalidModelError
        When the arrays differ in length or are not integer; a feature is out of
        range; a child index is out of range, the root, or shared (not a tree); a
        node is unreachable; a variable is tested twice on a root-leaf path; a leaf
        value is not ±1 or an internal value is not 0.

    See Also
    --------
    DecisionTree.leaf, DecisionTree.split, DecisionTree.from_nested

    Examples
    --------
    >>> stump = pd.DecisionTree(2, feature=[1, -1, -1], plus=[1, -1, -1],
    ...                         minus=[2, -1, -1], value=[0, 1, -1])
    >>> stump.predict([[1, 1], [1, -1]]).tolist()
    [1, -1]
    >>> pd.DecisionTree(2, feature=[1, 1, -1, -1, -1], plus=[1, 3, -1, -1, -1],
    ...                 minus=[2, 4, -1, -1, -1], value=[0, 0, 1, 1, -1])
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidModelError: Variable 1 is tested twice on the path to node 1 ...
    """

    d: int
    feature: np.ndarray = field(repr=False)
    plus: np.ndarray = field(repr=False)
    minus: np.ndarray = field(repr=False)
    value: np.ndarray = field(repr=False)

    class_name: ClassVar[str] = "decision_tree"

    def __post_init__(self) -> None:
        d = model_int(self.d, "d", _OWNER, min=1)
        object.__setattr__(self, "d", d)
        arrays = {name: _index_array(getattr(self, name), name)
                  for name in ("feature", "plus", "minus", "value")}
        n = arrays["feature"].shape[0]
        if n == 0:
            raise InvalidModelError(f"A {_OWNER} needs at least one node. Got empty arrays.")
        for name, arr in arrays.items():
            if arr.shape[0] != n:
                raise InvalidModelError(
                    f"The node arrays of {_OWNER} must have one entry per node: 'feature' "
                    f"has {n} entries but {name!r} has {arr.shape[0]}."
                )
        depth, parent = _check_structure(d, **arrays)
        for name, arr in arrays.items():
            object.__setattr__(self, name, readonly(arr, dtype=np.int64))
        object.__setattr__(self, "_depth", depth)
        object.__setattr__(self, "_parent", readonly(parent))
        # routing tables for _route, indexed by 2v and 2v + 1: the variable tested at
        # v (0 at leaves), and 2 * (plus child) / 2 * (minus child) (2v at a leaf)
        leaf = self.feature < 0
        ids = np.arange(n, dtype=np.int64)
        child2 = np.empty(2 * n, dtype=np.int64)
        child2[0::2] = 2 * np.where(leaf, ids, self.plus)
        child2[1::2] = 2 * np.where(leaf, ids, self.minus)
        feat2 = np.repeat(np.where(leaf, 0, self.feature), 2)
        small = np.int32 if 2 * n < 2**31 else np.int64
        object.__setattr__(self, "_routing",
                           (readonly(feat2, dtype=small), readonly(child2, dtype=small)))

    # -- constructors -----------------------------------------------------
    @classmethod
    def leaf(cls, d: int, value: int) -> DecisionTree:
        """The one-node tree computing the constant ``value`` (±1).

        >>> print(pd.DecisionTree.leaf(4, -1))
        -> -1
        """
        return cls(d, [-1], [-1], [-1], [model_sign(value, "value", f"{_OWNER}.leaf")])

    @classmethod
    def split(cls, d: int, var: int, plus_subtree: DecisionTree,
              minus_subtree: DecisionTree) -> DecisionTree:
        """The tree testing ``var`` at the root, with the two subtrees below.

        Node 0 is the new root; the plus subtree's nodes follow, then the minus
        subtree's, each in their own order.

        >>> leaf = pd.DecisionTree.leaf
        >>> pd.DecisionTree.split(2, 0, leaf(2, 1), leaf(2, -1)).size()
        {'d': 2, 'r': 1, 's': 2}
        """
        # d checked before sub.d != d is evaluated (an array's != is an array)
        d = model_int(d, "d", f"{_OWNER}.split", min=1)
        for name, sub in (("plus_subtree", plus_subtree), ("minus_subtree", minus_subtree)):
            if not isinstance(sub, DecisionTree) or sub.d != d:
                raise InvalidModelError(
                    f"The {name!r} of {_OWNER}.split must be a DecisionTree with d = {d}. "
                    f"Got {show(sub)} instead."
                )
        var = model_int(var, "var", f"{_OWNER}.split")
        n_plus = plus_subtree.n_nodes

        def shift(child: np.ndarray, offset: int) -> np.ndarray:
            return np.where(child >= 0, child + offset, -1)

        return cls(
            d,
            np.concatenate([[var], plus_subtree.feature, minus_subtree.feature]),
            np.concatenate([[1], shift(plus_subtree.plus, 1),
                            shift(minus_subtree.plus, 1 + n_plus)]),
            np.concatenate([[1 + n_plus], shift(plus_subtree.minus, 1),
                            shift(minus_subtree.minus, 1 + n_plus)]),
            np.concatenate([[0], plus_subtree.value, minus_subtree.value]),
        )

    @classmethod
    def from_nested(cls, d: int, nested: Mapping[str, Any]) -> DecisionTree:
        """Build a tree from nested dicts: ``{"leaf": ±1}`` or
        ``{"var": i, "plus": subtree, "minus": subtree}`` (the JSON form).

        Nodes are numbered in preorder (a node, its plus subtree, its minus
        subtree).

        >>> pd.DecisionTree.from_nested(2, {"var": 1, "plus": {"leaf": 1},
        ...                                 "minus": {"leaf": -1}}).feature.tolist()
        [1, -1, -1]
        >>> pd.DecisionTree.from_nested(2, {"var": 1, "plus": {"leaf": 1}})
        Traceback (most recent call last):
        ...
        pacdistill.errors.InvalidModelError: A node of a nested DecisionTree must be ...
        """
        owner = f"{_OWNER}.from_nested"
        feature: list[int] = []
        plus: list[int] = []
        minus: list[int] = []
        value: list[int] = []
        # explicit stack of (node dict, parent id, which child slot) in preorder
        stack: list[tuple[Any, int, str]] = [(nested, -1, "")]
        while stack:
            node, parent, slot = stack.pop()
            v = len(feature)
            if parent >= 0:
                (plus if slot == "plus" else minus)[parent] = v
            if isinstance(node, Mapping) and set(node) == {"leaf"}:
                feature.append(-1)
                plus.append(-1)
                minus.append(-1)
                value.append(model_sign(node["leaf"], "leaf", owner))
            elif isinstance(node, Mapping) and set(node) == {"var", "plus", "minus"}:
                feature.append(model_int(node["var"], "var", owner))
                plus.append(-1)
                minus.append(-1)
                value.append(0)
                stack.append((node["minus"], v, "minus"))
                stack.append((node["plus"], v, "plus"))
            else:
                shown = show(node)
                raise InvalidModelError(
                    'A node of a nested DecisionTree must be {"leaf": +1 or -1} or '
                    '{"var": i, "plus": subtree, "minus": subtree}. Got '
                    f"{shown if len(shown) <= 120 else shown[:117] + '...'} instead."
                )
        return cls(d, feature, plus, minus, value)

    # -- structure ----------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        """Number of nodes (internal and leaves)."""
        return int(self.feature.shape[0])

    @property
    def depth(self) -> int:
        """Length of the longest root-leaf path (0 for a single leaf)."""
        return int(self._depth)  # type: ignore[attr-defined]

    @property
    def n_leaves(self) -> int:
        """Number of leaves."""
        return int(np.count_nonzero(self.feature < 0))

    def parent(self) -> np.ndarray:
        """Read-only int64 array: the parent of every node (-1 for the root)."""
        return self._parent  # type: ignore[attr-defined]

    def variables(self) -> tuple[int, ...]:
        """The variables tested somewhere in the tree, sorted.

        >>> pd.CLASSES["decision_tree"].random(0, d=9, depth=1).variables()
        (7,)
        """
        return tuple(int(i) for i in np.unique(self.feature[self.feature >= 0]))

    def ands(self) -> list[tuple[tuple[int, int], ...]]:
        """The AND of every node: ``ands()[v]`` holds the literals ``(i, s)`` on the
        path from the root to node v, in root-to-v order (the root's is ``()``).

        This is AND_v of THEORY §5: 1[AND_v(x)] is 1 exactly on the rows the tree
        routes through v.

        >>> t = pd.DecisionTree.from_nested(3, {"var": 2, "plus": {"leaf": 1},
        ...                                     "minus": {"leaf": -1}})
        >>> t.ands()
        [(), ((2, 1),), ((2, -1),)]
        """
        out: list[tuple[tuple[int, int], ...] | None] = [None] * self.n_nodes
        out[0] = ()
        for v in self._preorder():
            if self.feature[v] >= 0:
                base = out[v]
                i = int(self.feature[v])
                out[int(self.plus[v])] = (*base, (i, 1))  # type: ignore[misc]
                out[int(self.minus[v])] = (*base, (i, -1))  # type: ignore[misc]
        return out  # type: ignore[return-value]

    def paths(self) -> list[tuple[tuple[tuple[int, int], ...], int]]:
        """``(literals, leaf value)`` for every leaf, in preorder (plus subtree first).

        >>> t = pd.DecisionTree.from_nested(3, {"var": 2, "plus": {"leaf": 1},
        ...                                     "minus": {"leaf": -1}})
        >>> t.paths()
        [(((2, 1),), 1), (((2, -1),), -1)]
        """
        ands = self.ands()
        return [(ands[v], int(self.value[v])) for v in self._preorder() if self.feature[v] < 0]

    def _preorder(self) -> list[int]:
        order: list[int] = []
        stack = [0]
        while stack:
            v = stack.pop()
            order.append(v)
            if self.feature[v] >= 0:
                stack.append(int(self.minus[v]))
                stack.append(int(self.plus[v]))
        return order

    def route(self, X: Any) -> np.ndarray:
        """The leaf (node index) each row of X reaches, as an int64 array.

        >>> t = pd.DecisionTree.from_nested(2, {"var": 0, "plus": {"leaf": 1},
        ...                                     "minus": {"leaf": -1}})
        >>> t.route([[1, 1], [-1, 1]]).tolist()
        [1, 2]
        """
        return self._route(self._check_X(X, "route"))

    def _route(self, X: np.ndarray) -> np.ndarray:
        n, d = X.shape
        if self.depth == 0:
            return np.zeros(n, dtype=np.int64)
        feat2, child2 = self._routing  # type: ignore[attr-defined]
        big = max(_ROUTE_CHUNK * d, 2 * self.n_nodes) >= 2**31
        dt = np.int64 if big else np.int32
        feat2, child2 = feat2.astype(dt, copy=False), child2.astype(dt, copy=False)
        out = np.empty(n, dtype=np.int64)
        idx = np.empty(min(n, _ROUTE_CHUNK), dtype=dt)
        x = np.empty(idx.shape[0], dtype=np.int8)
        went_minus = np.empty(idx.shape[0], dtype=bool)
        # Rows go down the tree together, one level per step, in chunks that stay in
        # cache. A node v is carried as 2v: step to child2[2v] (x = +1) or
        # child2[2v + 1] (x = -1), where child2 holds 2 * child; leaves map to
        # themselves, so rows that arrive early stay put.
        for start in range(0, n, _ROUTE_CHUNK):
            block = X[start:start + _ROUTE_CHUNK].reshape(-1)
            m = block.shape[0] // d
            row_start = np.arange(0, m * d, d, dtype=dt)
            node2 = np.zeros(m, dtype=dt)
            for _ in range(self.depth):
                np.take(feat2, node2, out=idx[:m])
                idx[:m] += row_start
                np.take(block, idx[:m], out=x[:m])
                np.less(x[:m], 0, out=went_minus[:m])
                node2 += went_minus[:m]
                np.take(child2, node2, out=node2)
            np.right_shift(node2, 1, out=out[start:start + m])
        return out

    def _predict(self, X: np.ndarray) -> np.ndarray:
        return np.take(self.value, self._route(X)).astype(np.int8, copy=False)

    def size(self) -> dict[str, int]:
        """``{"d": d, "r": depth, "s": number of leaves}``."""
        return {"d": self.d, "r": self.depth, "s": self.n_leaves}

    # -- serialization and printing -------------------------------------
    def to_nested(self) -> dict[str, Any]:
        """The nested-dict form read by :meth:`from_nested` (and used in JSON)."""
        built: dict[int, dict[str, Any]] = {}
        for v in reversed(self._preorder()):  # children before parents
            if self.feature[v] < 0:
                built[v] = {"leaf": int(self.value[v])}
            else:
                built[v] = {"var": int(self.feature[v]), "plus": built.pop(int(self.plus[v])),
                            "minus": built.pop(int(self.minus[v]))}
        return built[0]

    def _payload(self) -> dict[str, Any]:
        return {"d": self.d, "tree": self.to_nested()}

    def to_json(self, **kwargs: Any) -> str:
        """``json.dumps(self.to_dict())``: the nested form, one level per tree level.

        Raises
        ------
        SerializationError
            When the tree is too deep for Python's JSON encoder (about a
            thousand levels: it recurses once per level).
        """
        try:
            return super().to_json(**kwargs)
        except RecursionError:
            raise SerializationError(
                f"This {_OWNER} of depth {self.depth} nests too deeply for Python's JSON "
                f"encoder (one level of nesting per tree level; the recursion limit is "
                f"{sys.getrecursionlimit()}). to_dict() builds the nested form without "
                "recursion; its node arrays (feature, plus, minus, value) hold the tree."
            ) from None

    # Value semantics by the preorder codes (a variable at an internal node, -1 / -2
    # at a leaf of value -1 / +1): the preorder of a full binary tree determines it,
    # so two trees have equal codes exactly when their nested forms (to_dict) are
    # equal; but the codes need no recursion, which the nested dicts' comparison and
    # the JSON text of the base class do (a chain of ~1000 levels overflowed them).
    def _codes(self) -> tuple[int, bytes]:
        order = np.array(self._preorder(), dtype=np.int64)
        codes = np.where(self.feature[order] >= 0, self.feature[order],
                         np.where(self.value[order] > 0, -2, -1))
        return self.d, codes.tobytes()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._codes() == other._codes()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._codes())

    @classmethod
    def _from_payload(cls, data: Mapping[str, Any]) -> DecisionTree:
        payload_fields(data, ("d", "tree"), _OWNER)
        d = payload_int(data["d"], "d", _OWNER)
        if not isinstance(data["tree"], Mapping):
            raise SerializationError(
                f"The field 'tree' of {_OWNER} JSON must be a nested dict. "
                f"Got {type(data['tree']).__name__} instead."
            )
        return cls.from_nested(d, data["tree"])

    def __repr__(self) -> str:
        return (f"DecisionTree(d={self.d}, depth={self.depth}, leaves={self.n_leaves}, "
                f"nodes={self.n_nodes})")

    def __str__(self) -> str:
        """An indented ASCII tree: a line ``xi = ±1:`` per branch, leaves as ``-> ±1``."""
        if self.feature[0] < 0:
            return f"-> {int(self.value[0]):+d}"
        lines: list[str] = []
        stack: list[str | tuple[int, int]] = [(0, 0)]  # ready lines or (node, indent)
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                lines.append(item)
                continue
            v, indent = item
            todo: list[str | tuple[int, int]] = []
            for child, sign in ((int(self.plus[v]), 1), (int(self.minus[v]), -1)):
                head = "  " * indent + f"x{int(self.feature[v])} = {sign:+d}:"
                if self.feature[child] < 0:
                    todo.append(f"{head} -> {int(self.value[child]):+d}")
                else:
                    todo.extend([head, (child, indent + 1)])
            stack.extend(reversed(todo))
        return "\n".join(lines)


def _check_structure(d: int, feature: np.ndarray, plus: np.ndarray, minus: np.ndarray,
                     value: np.ndarray) -> tuple[int, np.ndarray]:
    """Validate the node arrays; return (depth, parent array). Vectorized over nodes."""
    n = feature.shape[0]
    leaf = feature == -1
    # (mask of offending nodes, message about the first one), checked in order
    checks: list[tuple[np.ndarray, Callable[[int], str]]] = [
        (~leaf & ((feature < 0) | (feature >= d)), lambda v: (
            f"Node {v} of the {_OWNER} tests variable {int(feature[v])}, out of range for "
            f"d = {d} (variables are 0 .. {d - 1}; -1 marks a leaf).")),
    ]
    for name, child in (("plus", plus), ("minus", minus)):
        checks += [
            (leaf & (child != -1), lambda v, name=name, child=child: (
                f"Leaf {v} of the {_OWNER} has {name} child {int(child[v])}; leaves must "
                "have -1 as both children.")),
            (~leaf & ((child < 1) | (child >= n)), lambda v, name=name, child=child: (
                f"Node {v} of the {_OWNER} has {name} child {int(child[v])}; a child must "
                f"be a node index in 1 .. {n - 1} (node 0 is the root).")),
        ]
    checks += [
        (leaf & (value != 1) & (value != -1), lambda v: (
            f"Leaf {v} of the {_OWNER} has value {int(value[v])}; leaf values must be +1 "
            "or -1.")),
        (~leaf & (value != 0), lambda v: (
            f"Internal node {v} of the {_OWNER} has value {int(value[v])}; internal nodes "
            "must have value 0.")),
    ]
    for mask, message in checks:
        if mask.any():
            raise InvalidModelError(message(int(np.flatnonzero(mask)[0])))
    children = np.concatenate([plus[~leaf], minus[~leaf]])
    counts = np.bincount(children, minlength=n)
    shared = np.flatnonzero(counts > 1)
    if shared.size:
        raise InvalidModelError(
            f"Node {int(shared[0])} of the {_OWNER} is the child of more than one node "
            "(or twice of the same node): the arrays must describe a tree."
        )
    parent = np.full(n, -1, dtype=np.int64)
    internal = np.flatnonzero(~leaf)
    parent[plus[internal]] = internal
    parent[minus[internal]] = internal
    # Every non-root node has exactly one parent and the root none, so a walk down
    # from the root visits a tree; it reaches every node iff there is no detached cycle.
    depth_of = np.full(n, -1, dtype=np.int64)
    frontier = np.zeros(1, dtype=np.int64)
    levels = []  # the internal nodes of each level, root first
    while frontier.size:
        depth_of[frontier] = len(levels)
        inner = frontier[~leaf[frontier]]
        levels.append(inner)
        frontier = np.concatenate([plus[inner], minus[inner]])
    unreached = np.flatnonzero(depth_of < 0)
    if unreached.size:
        raise InvalidModelError(
            f"Node {int(unreached[0])} of the {_OWNER} cannot be reached from the root "
            f"(node 0); {unreached.size} node(s) are detached."
        )
    depth = int(depth_of.max())
    _check_paths(feature, plus, minus, levels)
    return depth, parent


def _check_paths(feature: np.ndarray, plus: np.ndarray, minus: np.ndarray,
                 levels: list[np.ndarray]) -> None:
    """No variable twice on a root-leaf path, in O(n log n) (one sort), not a pass
    over all nodes per level (O(n depth): quadratic for a caterpillar, 20 s for a
    1-decision list of 16,000 rules).

    A node's subtree is the preorder interval [tin, tin + size); two internal nodes
    testing one variable clash iff one interval contains the other. Sorted by
    (variable, tin), some pair of one variable is nested iff some *consecutive*
    pair is (intervals of a tree are laminar: a node between an ancestor and its
    descendant in preorder lies in the ancestor's subtree), and then the first of
    the two is the second's nearest ancestor testing that variable. ``levels``
    holds the internal nodes of each level, root first.
    """
    n = feature.shape[0]
    size = np.ones(n, dtype=np.int64)
    for inner in reversed(levels):  # one vectorized step per level, children first
        size[inner] += size[plus[inner]] + size[minus[inner]]
    tin = np.zeros(n, dtype=np.int64)
    for inner in levels:  # preorder: a node, its plus subtree, its minus subtree
        tin[plus[inner]] = tin[inner] + 1
        tin[minus[inner]] = tin[inner] + 1 + size[plus[inner]]
    internal = np.flatnonzero(feature >= 0)
    order = internal[np.lexsort((tin[internal], feature[internal]))]
    first, second = order[:-1], order[1:]
    nested = (feature[first] == feature[second]) & (tin[second] < tin[first] + size[first])
    if nested.any():
        at = np.flatnonzero(nested)
        j = int(at[np.argmin(second[at])])  # the clash at the lowest-numbered node
        a, v = int(first[j]), int(second[j])
        raise InvalidModelError(
            f"Variable {int(feature[v])} is tested twice on the path to node {v} (at "
            f"nodes {a} and {v}); a variable may appear at most once on a root-leaf path."
        )


def _random(rng: np.random.Generator, *, d: int, depth: int | None = None,
            r: int | None = None) -> DecisionTree:
    """The paper's random complete tree: depth r, each internal node splits on a
    variable drawn uniformly among those not yet used on its path, leaves
    uniformly ±1 (THEORY §5; Boix-Adsera 2024). Nodes are in heap order (node v
    has children 2v+1 (plus) and 2v+2 (minus))."""
    func = "CLASSES['decision_tree'].random"
    d = check_int(d, "d", func, min=1)
    # each checked before they are compared (an array's != is an array)
    if depth is not None:
        depth = check_int(depth, "depth", func, min=0, max=d)
    if r is not None:
        r = check_int(r, "r", func, min=0, max=d)
    if depth is not None and r is not None and depth != r:
        raise InvalidParameterError(
            f"{func} takes the depth as 'depth' or its alias 'r', not both with different "
            f"values. Got depth={show(depth)}, r={show(r)}."
        )
    if depth is None and r is None:
        raise InvalidParameterError(f"{func} needs the depth: pass depth= (or r=).")
    depth = depth if depth is not None else r
    if depth > MAX_RANDOM_DEPTH:
        raise TooLargeError(
            f"{func} builds a complete tree with 2^depth leaves; depth = {depth} is past the "
            f"limit of {MAX_RANDOM_DEPTH}."
        )
    n_internal = (1 << depth) - 1
    n_nodes = (1 << (depth + 1)) - 1
    feature = np.full(n_nodes, -1, dtype=np.int64)
    # path[j, t]: the variable tested at depth t above the j-th node of the current level
    path = np.zeros((1, 0), dtype=np.int64)
    for level in range(depth):
        # uniform over the d - level unused variables: draw u, then step past the used
        # ones in increasing order (u becomes the u-th unused variable)
        u = rng.integers(0, d - level, size=1 << level)
        taken = np.sort(path, axis=1)
        for j in range(level):
            u += u >= taken[:, j]
        feature[(1 << level) - 1:(1 << (level + 1)) - 1] = u
        # the children of the j-th node of this level are the (2j)-th (plus) and
        # (2j+1)-th (minus) nodes of the next level
        path = np.repeat(np.column_stack([path, u]), 2, axis=0)
    ids = np.arange(n_nodes)
    internal = ids < n_internal
    plus = np.where(internal, 2 * ids + 1, -1)
    minus = np.where(internal, 2 * ids + 2, -1)
    value = np.zeros(n_nodes, dtype=np.int64)
    value[n_internal:] = rng.choice(np.array([-1, 1]), size=1 << depth)
    return DecisionTree(d, feature, plus, minus, value)


def _formulas() -> dict[str, Any]:
    """The size formulas of the class (sympy), built on first use (ModelClass)."""
    import sympy

    from ..bounds.symbols import d as d_sym
    from ..bounds.symbols import r as r_sym
    from ..bounds.symbols import s as s_sym

    return {
        "params": (d_sym, r_sym, s_sym),
        "eval_time": r_sym,
        "log_size": ((s_sym - 1) * sympy.log(d_sym) + s_sym * sympy.log(2)
                     + sympy.log(sympy.catalan(s_sym - 1))),
    }


DECISION_TREE = ModelClass(
    name="decision_tree",
    title="DecisionTree",
    formulas=_formulas,
    model_type=DecisionTree,
    generator=_random,
    description="binary decision tree of depth r with s leaves over d variables",
    log_size_source=(
        "THEORY §4: Catalan(s-1) tree shapes with s leaves, a variable at each of the "
        "s-1 internal nodes, a label at each leaf; an upper bound"
    ),
    size_names=("d", "r", "s"),
)
