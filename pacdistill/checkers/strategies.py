"""Public hypothesis strategies for every model class (STYLE 14).

Each strategy is a function with a plural name and keyword-only ``min_*`` /
``max_*`` bounds that returns a :class:`hypothesis.strategies.SearchStrategy`;
sizes are drawn first, then content (``@st.composite``). Each is registered with
:func:`hypothesis.strategies.register_type_strategy`, so
``st.from_type(pd.DecisionTree)`` works, and :func:`for_class` dispatches on the
class names of ``pd.CLASSES``.

Distributions over the cube (:mod:`pacdistill.distributions`) have their
strategies too — ``uniform_distributions``, ``product_distributions``,
``subcube_distributions``, ``finite_support_distributions``,
``empirical_distributions``, ``mixture_distributions`` and the combined
``distributions`` — each taking ``d=`` to fix the dimension (a distribution must
live on its model's cube) and registered for its type (``st.from_type(
pd.distributions.Distribution)`` draws any of them). ``eps_deltas`` draws
accuracy/confidence pairs within bounds.

Sizes are bounded (:data:`MAX_D` variables, :data:`MAX_TERMS` terms, clauses or
rules, :data:`MAX_LAYERS` hidden layers; distributions d <= 20): a larger bound
is refused with InvalidParameterError, never a MemoryError from a huge draw.

Layout for contributors: one section per class; each section ends by adding its
strategy to ``_BY_CLASS`` (class name -> strategy function) and registering it
for its model type; add the public name to ``__all__``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .._validation import (
    check_bool,
    check_choice,
    check_int,
    check_probability,
    is_sequence,
    param_error,
    unknown_name,
)
from ..classes.cnf import CNF
from ..classes.conjunction import Conjunction
from ..classes.decision_list import DecisionList
from ..classes.decision_tree import DecisionTree
from ..classes.dnf import DNF
from ..classes.halfspace import Halfspace
from ..classes.junta import Junta
from ..classes.lookup_table import LookupTable
from ..classes.parity import Parity
from ..classes.relu_network import ReLUNetwork
from ..distributions import (
    Distribution,
    Empirical,
    FiniteSupport,
    Mixture,
    Product,
    Subcube,
    Uniform,
)
from ..errors import InvalidParameterError

__all__ = [
    "for_class",
    "conjunctions",
    "parities",
    "juntas",
    "decision_trees",
    "decision_lists",
    "dnfs",
    "cnfs",
    "halfspaces",
    "relu_networks",
    "lookup_tables",
    "DISTRIBUTION_KINDS",
    "uniform_distributions",
    "product_distributions",
    "subcube_distributions",
    "finite_support_distributions",
    "empirical_distributions",
    "mixture_distributions",
    "distributions",
    "eps_deltas",
    "class_params",
    "MAX_D",
    "MAX_TERMS",
    "MAX_LAYERS",
]

#: class name (a key of ``pd.CLASSES``) -> strategy function; filled per section below.
_BY_CLASS: dict[str, Callable[..., st.SearchStrategy]] = {}


def for_class(name: str, **bounds: Any) -> st.SearchStrategy:
    """The strategy for the class ``name`` of ``pd.CLASSES``, with its bounds.

    Raises
    ------
    UnknownNameError
        When no strategy is registered under ``name``.
    InvalidParameterError
        When a bound is not one the strategy takes.

    Examples
    --------
    >>> strategy = pd.checkers.strategies.for_class("junta", max_d=5, max_k=2)
    >>> pd.checkers.strategies.for_class("junta", max_depth=2)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The strategy for 'junta' takes the bounds ...
    """
    if not isinstance(name, str) or name not in _BY_CLASS:  # a list is unhashable
        raise unknown_name("class with a strategy", name, list(_BY_CLASS))
    func = _BY_CLASS[name]
    accepted = list(inspect.signature(func).parameters)
    unknown = sorted(set(bounds) - set(accepted))
    if unknown:
        raise InvalidParameterError(
            f"The strategy for {name!r} takes the bounds {accepted}. Got {unknown} instead."
        )
    return func(**bounds)


# -- shared pieces ------------------------------------------------------------

_SIGNS = st.sampled_from((1, -1))


#: the largest ``max_d`` (and ``min_d``) a model strategy takes: a drawn model lists
#: its d variables, and past a few hundred a draw outgrows hypothesis' buffer (a
#: ``max_d=10**30`` asked for a permutation of 10**30 variables: MemoryError)
MAX_D = 256
#: the largest number of terms, clauses or rules (``max_s``, ``max_l``) a strategy
#: draws: each is drawn in turn, and 512 of them already overflow hypothesis' buffer
MAX_TERMS = 64
#: the largest number of hidden layers (``max_L``) :func:`relu_networks` draws
MAX_LAYERS = 16
#: the cap of each size parameter a model strategy bounds (max_k, max_w and
#: max_fixed need none: they are capped at the drawn d)
_CAPS = {"d": MAX_D, "s": MAX_TERMS, "l": MAX_TERMS, "L": MAX_LAYERS}


def _range(lo: Any, hi: Any, name: str, func: str, *, floor: int = 0,
           open_max: bool = False) -> tuple[int, Any]:
    """Validate a (min_x, max_x) pair of bounds; with ``open_max``, ``max_x=None``
    (no bound) is allowed and stays None. A size with a cap in ``_CAPS`` (d,
    the number of terms or of layers) must be at most that cap.

    >>> pd.checkers.strategies.parities(max_d=10**30)
    Traceback (most recent call last):
    ...
    pacdistill.errors.InvalidParameterError: The 'max_d' parameter of parities must be an ...
    """
    cap = _CAPS.get(name)
    lo = check_int(lo, f"min_{name}", func, min=floor, max=cap)
    if not (open_max and hi is None):
        hi = check_int(hi, f"max_{name}", func, min=lo, max=cap)
    return lo, hi


@st.composite
def _literals(draw: Any, d: int, k: int) -> list[tuple[int, int]]:
    """k literals on distinct variables of 0..d-1, in a drawn order."""
    variables = draw(st.permutations(range(d)))[:k]
    signs = draw(st.lists(_SIGNS, min_size=k, max_size=k))
    return list(zip(variables, signs, strict=True))


def _count(draw: Any, lo: int, hi: int | None, cap: int) -> int:
    """Draw a count in [min(lo, cap), min(hi, cap)] (hi None: no bound but cap)."""
    top = cap if hi is None else min(hi, cap)
    return draw(st.integers(min(lo, top), top))


# -- conjunctions -------------------------------------------------------------

@st.composite
def _conjunctions(draw: Any, min_d: int, max_d: int, min_k: int,
                  max_k: int | None) -> Conjunction:
    d = draw(st.integers(min_d, max_d))
    return Conjunction(d, draw(_literals(d, _count(draw, min_k, max_k, d))))


def conjunctions(*, min_d: int = 1, max_d: int = 8, min_k: int = 0,
                 max_k: int | None = None) -> st.SearchStrategy[Conjunction]:
    """Conjunctions with d in [min_d, max_d] and k literals, k in [min_k, max_k]
    (capped at d; ``max_k=None`` means up to d).

    >>> from hypothesis import given
    >>> @given(pd.checkers.strategies.conjunctions(max_d=3))
    ... def check(c):
    ...     assert 1 <= c.d <= 3 and c.size()["k"] <= c.d
    >>> check()
    """
    min_d, max_d = _range(min_d, max_d, "d", "conjunctions", floor=1)
    min_k, max_k = _range(min_k, max_k, "k", "conjunctions", open_max=True)
    return _conjunctions(min_d, max_d, min_k, max_k)


# -- parities -----------------------------------------------------------------

@st.composite
def _parities(draw: Any, min_d: int, max_d: int, min_k: int, max_k: int | None) -> Parity:
    d = draw(st.integers(min_d, max_d))
    k = _count(draw, min_k, max_k, d)
    return Parity(d, draw(st.permutations(range(d)))[:k])


def parities(*, min_d: int = 1, max_d: int = 8, min_k: int = 0,
             max_k: int | None = None) -> st.SearchStrategy[Parity]:
    """Parities with d in [min_d, max_d] of k variables, k in [min_k, max_k]
    (capped at d; ``max_k=None`` means up to d).

    >>> from hypothesis import given, settings
    >>> @given(pd.checkers.strategies.parities(min_d=4, max_d=6, min_k=2))
    ... @settings(max_examples=20)
    ... def check(f):
    ...     assert 4 <= f.d <= 6 and len(f.variables) >= 2
    >>> check()
    """
    min_d, max_d = _range(min_d, max_d, "d", "parities", floor=1)
    min_k, max_k = _range(min_k, max_k, "k", "parities", open_max=True)
    return _parities(min_d, max_d, min_k, max_k)


# -- juntas -------------------------------------------------------------------

@st.composite
def _juntas(draw: Any, min_d: int, max_d: int, min_k: int, max_k: int) -> Junta:
    d = draw(st.integers(min_d, max_d))
    k = _count(draw, min_k, max_k, d)
    variables = draw(st.permutations(range(d)))[:k]
    table = draw(st.lists(_SIGNS, min_size=1 << k, max_size=1 << k))
    return Junta(d, variables, table)


def juntas(*, min_d: int = 1, max_d: int = 8, min_k: int = 0,
           max_k: int = 4) -> st.SearchStrategy[Junta]:
    """Juntas with d in [min_d, max_d] on k variables (in a drawn order), k in
    [min_k, max_k] capped at d, with any table (degenerate ones included).

    >>> from hypothesis import given, settings
    >>> @given(pd.checkers.strategies.juntas(max_d=5, max_k=3))
    ... @settings(max_examples=20)
    ... def check(f):
    ...     assert f.d <= 5 and len(f.table) == 2 ** f.k <= 8
    >>> check()
    """
    min_d, max_d = _range(min_d, max_d, "d", "juntas", floor=1)
    min_k, max_k = _range(min_k, max_k, "k", "juntas")
    max_k = check_int(max_k, "max_k", "juntas", max=12)
    return _juntas(min_d, max_d, min_k, max_k)


# -- decision trees -----------------------------------------------------------

@st.composite
def _decision_trees(draw: Any, min_d: int, max_d: int, max_depth: int,
                    shuffle: bool) -> DecisionTree:
    d = draw(st.integers(min_d, max_d))
    feature: list[int] = []
    plus: list[int] = []
    minus: list[int] = []
    value: list[int] = []

    def grow(used: frozenset[int], depth_left: int) -> int:
        v = len(feature)
        feature.append(-1)
        plus.append(-1)
        minus.append(-1)
        value.append(0)
        if depth_left > 0 and draw(st.booleans()):
            var = draw(st.sampled_from(sorted(set(range(d)) - used)))
            feature[v] = var
            p = grow(used | {var}, depth_left - 1)
            m = grow(used | {var}, depth_left - 1)
            plus[v], minus[v] = p, m
        else:
            value[v] = draw(_SIGNS)
        return v

    grow(frozenset(), min(max_depth, d))
    n = len(feature)
    if shuffle and n > 1:
        # renumber the non-root nodes (the root stays 0), so that no test relies
        # on one node order
        new = np.array([0, *draw(st.permutations(range(1, n)))])
        order = np.argsort(new)

        def relabel(child: list[int]) -> np.ndarray:
            arr = np.array(child)
            return np.where(arr >= 0, new[np.maximum(arr, 0)], -1)[order]

        return DecisionTree(d, np.array(feature)[order], relabel(plus), relabel(minus),
                            np.array(value)[order])
    return DecisionTree(d, feature, plus, minus, value)


def decision_trees(*, min_d: int = 1, max_d: int = 8, max_depth: int = 4,
                   shuffle: bool = True) -> st.SearchStrategy[DecisionTree]:
    """Decision trees with d in [min_d, max_d], of depth at most
    ``min(max_depth, d)``, any shape (shrinking toward a single leaf); each split
    on a variable unused on its path. With ``shuffle`` the non-root nodes are
    numbered in a drawn order.

    >>> from hypothesis import given, strategies as st
    >>> @given(st.from_type(pd.DecisionTree))   # registered: decision_trees()
    ... def check(t):
    ...     assert t.depth <= min(4, t.d)
    >>> check()
    """
    min_d, max_d = _range(min_d, max_d, "d", "decision_trees", floor=1)
    max_depth = check_int(max_depth, "max_depth", "decision_trees", min=0, max=10)
    return _decision_trees(min_d, max_d, max_depth, check_bool(shuffle, "shuffle",
                                                               "decision_trees"))


# -- decision lists -----------------------------------------------------------

@st.composite
def _decision_lists(draw: Any, min_d: int, max_d: int, min_l: int, max_l: int,
                    min_w: int, max_w: int) -> DecisionList:
    d = draw(st.integers(min_d, max_d))
    l = draw(st.integers(min_l, max_l))
    rules = []
    for _ in range(l):
        term = draw(_literals(d, _count(draw, min_w, max_w, d)))
        rules.append((term, draw(_SIGNS)))
    return DecisionList(d, rules, draw(_SIGNS))


def decision_lists(*, min_d: int = 1, max_d: int = 8, min_l: int = 0, max_l: int = 6,
                   min_w: int = 1, max_w: int = 2) -> st.SearchStrategy[DecisionList]:
    """Decision lists with d in [min_d, max_d], l rules in [min_l, max_l], each
    term of w literals with w in [min_w, max_w] capped at d (``max_w=1``:
    1-decision lists).

    >>> from hypothesis import given, settings
    >>> @given(pd.checkers.strategies.decision_lists(max_d=4, min_l=2, max_w=1))
    ... @settings(max_examples=20)
    ... def check(f):
    ...     assert f.size()["l"] >= 2 and f.d <= 4
    >>> check()
    """
    min_d, max_d = _range(min_d, max_d, "d", "decision_lists", floor=1)
    min_l, max_l = _range(min_l, max_l, "l", "decision_lists")
    min_w, max_w = _range(min_w, max_w, "w", "decision_lists")
    return _decision_lists(min_d, max_d, min_l, max_l, min_w, max_w)


# -- DNFs and CNFs ------------------------------------------------------------

@st.composite
def _literal_sets(draw: Any, min_d: int, max_d: int, min_s: int, max_s: int,
                  min_w: int, max_w: int) -> tuple[int, list[list[tuple[int, int]]]]:
    d = draw(st.integers(min_d, max_d))
    s = draw(st.integers(min_s, max_s))
    return d, [draw(_literals(d, _count(draw, min_w, max_w, d))) for _ in range(s)]


def dnfs(*, min_d: int = 1, max_d: int = 6, min_s: int = 0, max_s: int = 4,
         min_w: int = 0, max_w: int = 3) -> st.SearchStrategy[DNF]:
    """DNFs with d in [min_d, max_d] and s terms, s in [min_s, max_s], each of w
    literals on distinct variables, w in [min_w, max_w] capped at d (the empty
    term and the empty DNF included by default).

    >>> from hypothesis import find
    >>> f = find(pd.checkers.strategies.dnfs(max_d=3, max_s=2), lambda f: f.size()["w"] == 2)
    >>> f.size()["s"] <= 2 and f.d <= 3
    True
    """
    bounds = _normal_form_bounds(min_d, max_d, min_s, max_s, min_w, max_w, "dnfs")
    return _literal_sets(*bounds).map(lambda sets: DNF(*sets))


def cnfs(*, min_d: int = 1, max_d: int = 6, min_s: int = 0, max_s: int = 4,
         min_w: int = 0, max_w: int = 3) -> st.SearchStrategy[CNF]:
    """CNFs with d in [min_d, max_d] and s clauses, s in [min_s, max_s], each of w
    literals on distinct variables, w in [min_w, max_w] capped at d (the empty
    clause and the empty CNF included by default).

    >>> from hypothesis import given, settings
    >>> @given(pd.checkers.strategies.cnfs(max_d=4, min_s=2, min_w=1))
    ... @settings(max_examples=20)
    ... def check(f):
    ...     assert f.size()["s"] >= 2 and f.size()["w"] >= 1
    >>> check()
    """
    bounds = _normal_form_bounds(min_d, max_d, min_s, max_s, min_w, max_w, "cnfs")
    return _literal_sets(*bounds).map(lambda sets: CNF(*sets))


def _normal_form_bounds(min_d: Any, max_d: Any, min_s: Any, max_s: Any, min_w: Any,
                        max_w: Any, func: str) -> tuple[int, ...]:
    min_d, max_d = _range(min_d, max_d, "d", func, floor=1)
    min_s, max_s = _range(min_s, max_s, "s", func)
    min_w, max_w = _range(min_w, max_w, "w", func)
    return min_d, max_d, min_s, max_s, min_w, max_w


# -- halfspaces ---------------------------------------------------------------

@st.composite
def _halfspaces(draw: Any, min_d: int, max_d: int, max_weight: int, ties: bool) -> Halfspace:
    d = draw(st.integers(min_d, max_d))
    weights = draw(st.lists(st.integers(-max_weight, max_weight), min_size=d, max_size=d))
    reach = max_weight * d  # |w . x| <= reach on the cube
    if ties:
        return Halfspace(weights, float(draw(st.integers(-reach, reach))))
    return Halfspace(weights, draw(st.integers(-reach - 1, reach)) + 0.5)


def halfspaces(*, min_d: int = 1, max_d: int = 6, max_weight: int = 3,
               ties: bool = False) -> st.SearchStrategy[Halfspace]:
    """Halfspaces with d in [min_d, max_d], integer weights in
    [-max_weight, max_weight] and a half-integer bias, so that ``w . x + b`` is
    never 0 on the cube and every evaluation is exact in floating point. With
    ``ties=True`` the bias is an integer instead, so ties (which predict -1)
    occur on the cube.

    >>> from hypothesis import find
    >>> h = find(pd.checkers.strategies.halfspaces(max_d=3), lambda h: h.d == 3)
    >>> bool((h.output(pd.cube.enumerate(h.d)) != 0).all())
    True
    """
    min_d, max_d = _range(min_d, max_d, "d", "halfspaces", floor=1)
    max_weight = check_int(max_weight, "max_weight", "halfspaces", min=0, max=1000)
    return _halfspaces(min_d, max_d, max_weight, check_bool(ties, "ties", "halfspaces"))


# -- ReLU networks ------------------------------------------------------------

@st.composite
def _relu_networks(draw: Any, min_d: int, max_d: int, min_L: int, max_L: int,
                   max_width: int, max_weight: int) -> ReLUNetwork:
    d = draw(st.integers(min_d, max_d))
    n_hidden = draw(st.integers(min_L, max_L))
    sizes = [d, *(draw(st.integers(1, max_width)) for _ in range(n_hidden)), 1]
    entries = st.integers(-max_weight, max_weight)
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        flat = draw(st.lists(entries, min_size=n_out * n_in, max_size=n_out * n_in))
        weights.append(np.array(flat, dtype=np.float64).reshape(n_out, n_in))
        biases.append(np.array(draw(st.lists(entries, min_size=n_out, max_size=n_out)),
                               dtype=np.float64))
    return ReLUNetwork(tuple(weights), tuple(biases))


def relu_networks(*, min_d: int = 1, max_d: int = 5, min_L: int = 1, max_L: int = 3,
                  max_width: int = 4, max_weight: int = 3) -> st.SearchStrategy[ReLUNetwork]:
    """ReLU networks with d in [min_d, max_d], L hidden layers in [min_L, max_L],
    each of width in [1, max_width], and integer weights and biases in
    [-max_weight, max_weight]: every evaluation on the cube is exact in floating
    point (outputs of exactly 0, which predict -1, do occur).

    >>> from hypothesis import find
    >>> net = find(pd.checkers.strategies.relu_networks(max_L=2), lambda n: n.size()["L"] == 2)
    >>> net.widths
    (1, 1)
    """
    min_d, max_d = _range(min_d, max_d, "d", "relu_networks", floor=1)
    min_L, max_L = _range(min_L, max_L, "L", "relu_networks", floor=1)
    max_width = check_int(max_width, "max_width", "relu_networks", min=1, max=64)
    max_weight = check_int(max_weight, "max_weight", "relu_networks", min=0, max=1000)
    return _relu_networks(min_d, max_d, min_L, max_L, max_width, max_weight)


# -- lookup tables ------------------------------------------------------------

@st.composite
def _lookup_tables(draw: Any, min_d: int, max_d: int) -> LookupTable:
    d = draw(st.integers(min_d, max_d))
    return LookupTable(d, draw(st.lists(_SIGNS, min_size=1 << d, max_size=1 << d)))


def lookup_tables(*, min_d: int = 1, max_d: int = 6) -> st.SearchStrategy[LookupTable]:
    """Lookup tables with d in [min_d, max_d] (at most 12) and any table.

    >>> from hypothesis import given, settings
    >>> @given(pd.checkers.strategies.lookup_tables(min_d=3, max_d=4))
    ... @settings(max_examples=20)
    ... def check(f):
    ...     assert f.d in (3, 4) and len(f.table) == 2 ** f.d
    >>> check()
    """
    min_d, max_d = _range(min_d, max_d, "d", "lookup_tables", floor=1)
    max_d = check_int(max_d, "max_d", "lookup_tables", max=12)
    return _lookup_tables(min_d, max_d)


for _name, _type, _func in (
    ("conjunction", Conjunction, conjunctions),
    ("parity", Parity, parities),
    ("junta", Junta, juntas),
    ("decision_tree", DecisionTree, decision_trees),
    ("decision_list", DecisionList, decision_lists),
    ("dnf", DNF, dnfs),
    ("cnf", CNF, cnfs),
    ("halfspace", Halfspace, halfspaces),
    ("relu_network", ReLUNetwork, relu_networks),
    ("lookup_table", LookupTable, lookup_tables),
):
    _BY_CLASS[_name] = _func
    # a function of the type, not a strategy: nothing is built at import time (a
    # strategy built while pytest loads plugins makes hypothesis warn)
    st.register_type_strategy(_type, lambda _type, _func=_func: _func())


# -- distributions --------------------------------------------------------------
#
# Every distribution strategy takes ``d`` (a fixed dimension, overriding
# min_d/max_d) so that a test can draw a distribution on its model's cube:
# ``data.draw(distributions(d=f.d))``.

#: the kinds :func:`distributions` draws from, by default all of them
DISTRIBUTION_KINDS = ("uniform", "product", "subcube", "finite_support", "empirical",
                      "mixture")
_BASE_KINDS = ("uniform", "product", "subcube", "finite_support", "empirical")


def _dims(d: Any, min_d: Any, max_d: Any, func: str) -> st.SearchStrategy[int]:
    if d is not None:
        return st.just(check_int(d, "d", func, min=1, max=20))
    min_d, max_d = _range(min_d, max_d, "d", func, floor=1)
    max_d = check_int(max_d, "max_d", func, max=20)
    return st.integers(min_d, max_d)


def uniform_distributions(*, d: int | None = None, min_d: int = 1,
                          max_d: int = 8) -> st.SearchStrategy[Uniform]:
    """The uniform distribution on {-1,+1}^d, d in [min_d, max_d] (or ``d``).

    >>> from hypothesis import given
    >>> @given(pd.checkers.strategies.uniform_distributions(d=3))
    ... def check(D):
    ...     assert D.d == 3 and D.pmf_on_cube().sum() == 1
    >>> check()
    """
    return _dims(d, min_d, max_d, "uniform_distributions").map(Uniform)


def _probabilities(min_p: Any, max_p: Any, func: str) -> st.SearchStrategy[float]:
    lo = _closed_probability(min_p, "min_p", func)
    hi = _closed_probability(max_p, "max_p", func)
    if hi < lo:
        raise param_error("max_p", func, f">= min_p = {lo}", max_p)
    return st.floats(lo, hi, allow_nan=False, allow_subnormal=False)


def _closed_probability(value: Any, name: str, func: str) -> float:
    """A number in [0, 1] (a coordinate's probability may be 0 or 1)."""
    from .._validation import check_real

    return check_real(value, name, func, low=0.0, high=1.0)


@st.composite
def _products(draw: Any, dims: st.SearchStrategy[int], ps: st.SearchStrategy[float]) -> Product:
    d = draw(dims)
    return Product(draw(st.lists(ps, min_size=d, max_size=d)))


def product_distributions(*, d: int | None = None, min_d: int = 1, max_d: int = 8,
                          min_p: float = 0.0, max_p: float = 1.0) -> st.SearchStrategy[Product]:
    """Product distributions: independent coordinates with P[x_i = +1] = p_i in
    [min_p, max_p] (0 and 1 included by default: constant coordinates).

    >>> from hypothesis import find
    >>> D = find(pd.checkers.strategies.product_distributions(d=2, min_p=0.25),
    ...          lambda D: D.p[0] > 0.5)
    >>> D.d, bool(D.p.min() >= 0.25)
    (2, True)
    """
    func = "product_distributions"
    return _products(_dims(d, min_d, max_d, func), _probabilities(min_p, max_p, func))


@st.composite
def _subcubes(draw: Any, dims: st.SearchStrategy[int], min_fixed: int,
              max_fixed: int | None) -> Subcube:
    d = draw(dims)
    n_fixed = _count(draw, min_fixed, max_fixed, d)
    variables = draw(st.permutations(range(d)))[:n_fixed]
    signs = draw(st.lists(_SIGNS, min_size=n_fixed, max_size=n_fixed))
    return Subcube(d, dict(zip(variables, signs, strict=True)))


def subcube_distributions(*, d: int | None = None, min_d: int = 1, max_d: int = 8,
                          min_fixed: int = 0,
                          max_fixed: int | None = None) -> st.SearchStrategy[Subcube]:
    """Uniform distributions on a sub-cube: ``min_fixed`` to ``max_fixed``
    coordinates (capped at d; None: up to d) fixed to drawn signs.

    >>> from hypothesis import given
    >>> @given(pd.checkers.strategies.subcube_distributions(d=4, min_fixed=1))
    ... def check(D):
    ...     assert (D.pmf_on_cube() > 0).sum() <= 8
    >>> check()
    """
    func = "subcube_distributions"
    min_fixed, max_fixed = _range(min_fixed, max_fixed, "fixed", func, open_max=True)
    return _subcubes(_dims(d, min_d, max_d, func), min_fixed, max_fixed)


@st.composite
def _point_sets(draw: Any, dims: st.SearchStrategy[int], min_points: int,
                max_points: int) -> list[list[int]]:
    d = draw(dims)
    row = st.lists(_SIGNS, min_size=d, max_size=d)
    return draw(st.lists(row, min_size=min_points, max_size=max_points))


def _point_bounds(min_points: Any, max_points: Any, func: str) -> tuple[int, int]:
    lo, hi = _range(min_points, max_points, "points", func, floor=1)
    return lo, check_int(hi, "max_points", func, max=4096)


@st.composite
def _finite_supports(draw: Any, points: st.SearchStrategy[list[list[int]]]) -> FiniteSupport:
    rows = draw(points)
    weights = draw(st.lists(st.integers(1, 9), min_size=len(rows), max_size=len(rows)))
    return FiniteSupport(rows, weights)


def finite_support_distributions(
    *, d: int | None = None, min_d: int = 1, max_d: int = 8, min_points: int = 1,
    max_points: int = 8,
) -> st.SearchStrategy[FiniteSupport]:
    """Distributions on an explicit list of ``min_points`` to ``max_points``
    points (repeats allowed) with integer weights 1..9 (normalised).

    >>> from hypothesis import find
    >>> D = find(pd.checkers.strategies.finite_support_distributions(d=3),
    ...          lambda D: len(D.support()[0]) >= 2)
    >>> D.support()[1].tolist()
    [0.5, 0.5]
    """
    func = "finite_support_distributions"
    lo, hi = _point_bounds(min_points, max_points, func)
    return _finite_supports(_point_sets(_dims(d, min_d, max_d, func), lo, hi))


def empirical_distributions(
    *, d: int | None = None, min_d: int = 1, max_d: int = 8, min_points: int = 1,
    max_points: int = 16,
) -> st.SearchStrategy[Empirical]:
    """Empirical distributions of samples of ``min_points`` to ``max_points``
    rows (uniform over the rows, with multiplicity).

    >>> from hypothesis import given, settings
    >>> @given(pd.checkers.strategies.empirical_distributions(min_d=3, max_d=3))
    ... @settings(max_examples=20)
    ... def check(D):
    ...     assert D.d == 3 and abs(D.pmf_on_cube().sum() - 1) < 1e-12
    >>> check()
    """
    func = "empirical_distributions"
    lo, hi = _point_bounds(min_points, max_points, func)
    return _point_sets(_dims(d, min_d, max_d, func), lo, hi).map(Empirical)


def _base(kind: str, d: int) -> st.SearchStrategy[Distribution]:
    return {
        "uniform": uniform_distributions,
        "product": product_distributions,
        "subcube": subcube_distributions,
        "finite_support": finite_support_distributions,
        "empirical": empirical_distributions,
    }[kind](d=d)


@st.composite
def _mixtures(draw: Any, dims: st.SearchStrategy[int], min_components: int,
              max_components: int) -> Mixture:
    d = draw(dims)
    m = draw(st.integers(min_components, max_components))
    components = [draw(st.sampled_from(_BASE_KINDS).flatmap(lambda k: _base(k, d)))
                  for _ in range(m)]
    weights = draw(st.lists(st.integers(1, 9), min_size=m, max_size=m))
    return Mixture(components, weights)


def mixture_distributions(*, d: int | None = None, min_d: int = 1, max_d: int = 6,
                          min_components: int = 1,
                          max_components: int = 3) -> st.SearchStrategy[Mixture]:
    """Mixtures of ``min_components`` to ``max_components`` distributions of the
    other kinds (not mixtures) on one cube, with integer weights 1..9.

    >>> from hypothesis import find
    >>> D = find(pd.checkers.strategies.mixture_distributions(d=2),
    ...          lambda D: len(D.components) == 2)
    >>> D.d, len(D.weights)
    (2, 2)
    """
    func = "mixture_distributions"
    lo, hi = _range(min_components, max_components, "components", func, floor=1)
    hi = check_int(hi, "max_components", func, max=16)
    return _mixtures(_dims(d, min_d, max_d, func), lo, hi)


def distributions(*, d: int | None = None, min_d: int = 1, max_d: int = 8,
                  kinds: tuple[str, ...] = DISTRIBUTION_KINDS) -> st.SearchStrategy[Distribution]:
    """Any distribution of the given ``kinds`` (default: all of
    :data:`DISTRIBUTION_KINDS`) on {-1,+1}^d, d in [min_d, max_d] (or ``d``).

    >>> from hypothesis import given, strategies as st
    >>> f = pd.Parity(3, [0, 1])
    >>> @given(D=pd.checkers.strategies.distributions(d=f.d))
    ... def check(D):
    ...     err = pd.checkers.disagreement(f, f, D)
    ...     assert err.value == 0 and err.exact
    >>> check()
    >>> @given(st.from_type(pd.distributions.Distribution))   # registered
    ... def check_any(D):
    ...     assert 1 <= D.d <= 8
    >>> check_any()
    """
    func = "distributions"
    given = kinds
    kinds = tuple(kinds) if is_sequence(kinds) else ()
    if not kinds:
        raise param_error("kinds", func, f"a non-empty tuple of {DISTRIBUTION_KINDS}", given)
    kinds = tuple(check_choice(kind, "kinds", func, DISTRIBUTION_KINDS) for kind in kinds)
    dims = _dims(d, min_d, max_d, func)

    def pick(dim: int) -> st.SearchStrategy[Distribution]:
        options = [(mixture_distributions(d=dim) if kind == "mixture" else _base(kind, dim))
                   for kind in kinds]
        return st.one_of(options)

    return dims.flatmap(pick)


# -- parameters -------------------------------------------------------------------

def class_params(name: str, **bounds: Any) -> st.SearchStrategy[dict[str, int]]:
    """Size-parameter tuples of the class ``name`` within ``bounds`` (the bounds
    of :func:`for_class`), as dicts keyed by the names of ``pd.CLASSES[name].params``
    (other sizes a model reports, such as a decision list's term width, are left out).

    Each tuple is the size of a member drawn by the class's strategy, so every
    constraint between parameters holds (k <= d for juntas, r <= d and
    s <= 2^r for trees): a tuple no model has is never drawn.

    >>> from hypothesis import given, settings
    >>> @given(pd.checkers.strategies.class_params("decision_tree", max_d=6, max_depth=3))
    ... @settings(max_examples=20)
    ... def check(p):
    ...     assert p["r"] <= min(p["d"], 3) and p["s"] <= 2 ** p["r"]
    >>> check()
    """
    from ..classes import CLASSES

    strategy = for_class(name, **bounds)
    names = [sym.name for sym in CLASSES[name].params]
    return strategy.map(lambda model: {key: int(model.size()[key]) for key in names})


def eps_deltas(*, min_eps: float = 0.01, max_eps: float = 0.5, min_delta: float = 0.001,
               max_delta: float = 0.5) -> st.SearchStrategy[tuple[float, float]]:
    """Accuracy/confidence pairs ``(eps, delta)`` with eps in [min_eps, max_eps]
    and delta in [min_delta, max_delta], all inside (0, 1).

    >>> from hypothesis import given
    >>> @given(pd.checkers.strategies.eps_deltas(max_eps=0.2))
    ... def check(pair):
    ...     eps, delta = pair
    ...     assert 0.01 <= eps <= 0.2 and 0.001 <= delta <= 0.5
    >>> check()
    """
    func = "eps_deltas"
    bounds = {name: check_probability(value, name, func) for name, value in
              (("min_eps", min_eps), ("max_eps", max_eps), ("min_delta", min_delta),
               ("max_delta", max_delta))}
    for low, high in (("min_eps", "max_eps"), ("min_delta", "max_delta")):
        if bounds[high] < bounds[low]:
            raise param_error(high, func, f">= {low} = {bounds[low]}", bounds[high])
    return st.tuples(st.floats(bounds["min_eps"], bounds["max_eps"]),
                     st.floats(bounds["min_delta"], bounds["max_delta"]))


for _type, _func in (
    (Uniform, uniform_distributions),
    (Product, product_distributions),
    (Subcube, subcube_distributions),
    (FiniteSupport, finite_support_distributions),
    (Empirical, empirical_distributions),
    (Mixture, mixture_distributions),
    (Distribution, distributions),
):
    st.register_type_strategy(_type, lambda _type, _func=_func: _func())
