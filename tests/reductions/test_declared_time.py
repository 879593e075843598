"""The declared time of every exact conversion against the work its code does
(THEORY §2.1, §3: the time is part of the guarantee; issue 4).

A time is an O(.) bound, so no single run can refute it; what can is a family of
sources on which the work grows faster than the formula. For each exact edge this
file names a worst-case family (a source of size t, chosen by reading the
conversion and the constructors it calls) and a *work count*: the entries the
output's constructor allocates and passes over (a DNF's or CNF's dense literal
matrix, a network's weight matrices, a decision tree's sort of its nodes for the
check that no variable repeats on a path), plus what the conversion reads of its
source (a tree's
paths) and, for enumeration, 2^d evaluations of the source at its per-point cost
(a literal matrix product, a walk down the tree, ...). The test checks that
work / declared time, at the source's parameters, grows by at most GROWTH from
the family's small size to its large one. A missing term shows up as a ratio
that grows with t (s / r for a tree's literal matrix against s (r + 1)); a
bounded ratio is evidence for the formula, not a proof. No clock is read: the
counts are exact and the test is deterministic. Left out of the counts: the
logarithmic factors of the DNF and CNF constructors' sorts (each set's literals,
the variables that occur), which the conversions' docstrings state beside their
O(.) bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from exact_checks import at_source

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.junta_to_tree import complete_tree

#: Largest allowed growth of work / declared time between a family's two sizes. The
#: families are sized so that a term missing from the formula grows the ratio by
#: more than 2.5 (tree_to_dnf's old time s (r + 1): 14; the DNF/CNF evaluation at
#: the old eval_time s w: 2.6); the declared formulas change it by 0.27 to 1.0.
GROWTH = 2.0


# -- work counts (read off the code: pacdistill/classes/*) --------------------------
def _sets(model: Any) -> tuple:
    """The terms of a DNF or the clauses of a CNF."""
    return model.terms if isinstance(model, pd.DNF) else model.clauses


def _build_work(model: Any) -> int:
    """Entries the model's constructor allocates and passes over."""
    if isinstance(model, (pd.DNF, pd.CNF)):
        lm = model._literal_matrix
        return int(lm.matrix_t.size) + sum(len(x) for x in _sets(model)) + len(lm.widths)
    if isinstance(model, pd.DecisionTree):
        # _check_structure: a sort of the nodes (no variable twice on a path), and
        # one vectorized step per level (the walk from the root, subtree sizes)
        return model.n_nodes * (int(np.log2(model.n_nodes)) + 1) + 3 * (model.depth + 1)
    if isinstance(model, pd.ReLUNetwork):
        return sum(int(W.size) + int(b.size) for W, b in zip(model.weights, model.biases,
                                                              strict=True))
    if isinstance(model, pd.Halfspace):
        return model.d + 1
    if isinstance(model, pd.Junta):
        return (1 << model.k) + model.k
    if isinstance(model, pd.LookupTable):
        return 1 << model.d
    if isinstance(model, pd.DecisionList):
        return sum(len(term) + 1 for term, _ in model.rules) + 1
    if isinstance(model, pd.Conjunction):
        return len(model.literals) + 1
    if isinstance(model, pd.Parity):
        return len(model.variables) + 1
    raise AssertionError(f"no work count for {type(model).__name__}")


def _eval_work(model: Any) -> int:
    """Work of one evaluation of the model at one point (after the O(d) input check,
    which every evaluation pays and the enumeration's time counts separately)."""
    if isinstance(model, (pd.DNF, pd.CNF)):
        # the (1 x columns) point times the (columns x sets) literal matrix
        return int(model._literal_matrix.matrix_t.size) + len(_sets(model))
    if isinstance(model, pd.DecisionTree):
        return model.depth + 1
    if isinstance(model, pd.DecisionList):
        return sum(len(term) + 1 for term, _ in model.rules) + 1
    if isinstance(model, pd.ReLUNetwork):
        return sum(int(W.size) for W in model.weights)
    if isinstance(model, (pd.Conjunction, pd.Parity, pd.Junta)):
        return model.size()["k"] + 1
    if isinstance(model, (pd.Halfspace, pd.LookupTable)):
        return model.d
    raise AssertionError(f"no evaluation work for {type(model).__name__}")


def _conversion_work(edge_name: str, source: Any, output: Any) -> int:
    work = _build_work(output)
    if isinstance(source, pd.DecisionTree) and edge_name != "tree_to_junta":
        work += sum(len(path) for path in source.ands())  # the paths read
    if edge_name == "tree_to_junta":
        # the tree re-built on its K variables, then walked from 2^K points
        k = output.k
        work += _build_work(source) + (1 << k) * (k + source.depth + 1)
    if edge_name.startswith("to_lookup_table["):
        work += (1 << source.d) * (source.d + _eval_work(source))
    return work


# -- worst-case families: t -> source ----------------------------------------------
def _distinct_complete_tree(r: int, leaf: int) -> pd.DecisionTree:
    """Depth r, every internal node on its own variable (d = 2^r - 1), all leaves
    ``leaf``: the DNF/CNF of its leaves has 2^r sets on 2^r - 1 columns."""
    n_internal = (1 << r) - 1
    ids = np.arange(2 * n_internal + 1)
    internal = ids < n_internal
    feature = np.where(internal, ids, -1)
    return pd.DecisionTree(n_internal, feature, np.where(internal, 2 * ids + 1, -1),
                           np.where(internal, 2 * ids + 2, -1),
                           np.where(internal, 0, leaf))


def _unit_sets(t: int, cls: type) -> Any:
    """t one-literal sets on t distinct variables: s w = t, but a t x t literal matrix."""
    return cls(t, [[(i, 1)] for i in range(t)])


def _list_on_distinct_variables(t: int) -> pd.DecisionList:
    """t rules on t distinct variables, outputs alternating (nothing to simplify):
    its caterpillar tree has depth t."""
    return pd.DecisionList(t, [([(i, 1)], 1 if i % 2 else -1) for i in range(t)],
                           default=1 if t % 2 else -1)


def _tree_on_few_variables(r: int) -> pd.DecisionTree:
    return complete_tree(r, list(range(r)), np.ones(1 << r, dtype=np.int64))


FAMILIES: dict[str, tuple[Callable[[int], Any], int, int]] = {
    # name: (family, small t, large t)
    "tree_to_dnf": (lambda r: _distinct_complete_tree(r, 1), 3, 9),
    "tree_to_cnf": (lambda r: _distinct_complete_tree(r, -1), 3, 9),
    "tree_to_relu": (lambda r: _distinct_complete_tree(r, 1), 3, 8),
    "tree_to_junta": (_tree_on_few_variables, 3, 12),
    "junta_to_tree": (lambda k: pd.Junta(k, list(range(k)), np.ones(1 << k, dtype=int)),
                      3, 12),
    "parity_to_tree": (lambda k: pd.Parity(k, list(range(k))), 3, 12),
    "decision_list_to_tree": (_list_on_distinct_variables, 4, 200),
    "decision_list_to_halfspace": (_list_on_distinct_variables, 4, 50),
    "conjunction_to_dnf": (lambda k: pd.Conjunction(k, [(i, 1) for i in range(k)]), 4, 400),
    "conjunction_to_cnf": (lambda k: pd.Conjunction(k, [(i, 1) for i in range(k)]), 4, 400),
    "conjunction_to_decision_list": (
        lambda k: pd.Conjunction(k, [(i, 1) for i in range(k)]), 4, 400),
    "conjunction_to_halfspace": (lambda d: pd.Conjunction(d, [(0, 1)]), 4, 400),
    "dnf_to_relu": (lambda s: _unit_sets(s, pd.DNF), 4, 200),
    "halfspace_to_relu": (lambda d: pd.Halfspace(np.ones(d), 0.5), 4, 400),
    "parity_to_relu": (lambda k: pd.Parity(k, list(range(k))), 4, 200),
}

#: per source class, the family of to_lookup_table[F] (d = t <= 12)
TABLE_FAMILIES: dict[str, Callable[[int], Any]] = {
    "conjunction": lambda t: pd.Conjunction(t, [(i, 1) for i in range(t)]),
    "parity": lambda t: pd.Parity(t, list(range(t))),
    "junta": lambda t: pd.Junta(t, list(range(t)), np.ones(1 << t, dtype=int)),
    "decision_tree": _tree_on_few_variables,
    "decision_list": _list_on_distinct_variables,
    "dnf": lambda t: _unit_sets(t, pd.DNF),
    "cnf": lambda t: _unit_sets(t, pd.CNF),
    "halfspace": lambda t: pd.Halfspace(np.ones(t), 0.5),
    "relu_network": lambda t: pd.CLASSES["relu_network"].random(0, d=t, L=1, m=t),
    "lookup_table": lambda t: pd.LookupTable(t, np.ones(1 << t, dtype=int)),
}
for _name, _family in TABLE_FAMILIES.items():
    FAMILIES[f"to_lookup_table[{_name}]"] = (_family, 3, 12)

EXACT = sorted(name for name, edge in REGISTRY.items() if edge.kind == "exact")


def test_every_exact_edge_has_a_family():
    """A new exact edge needs a worst-case family here too."""
    assert sorted(FAMILIES) == EXACT


def _ratio(name: str, t: int, time: Any = None) -> float:
    """Work / declared time on the family's source of size t (``time``: another
    formula in place of the edge's, for the control test)."""
    edge = REGISTRY[name]
    source = FAMILIES[name][0](t)
    output = edge.run(source).model
    declared = float(at_source(edge, source, edge.guarantee.time if time is None else time))
    return _conversion_work(name, source, output) / declared


def test_a_formula_missing_a_term_is_caught():
    """Control: the time tree_to_dnf declared before this session (its paths without
    the DNF's literal matrix) fails the growth test."""
    _, small, large = FAMILIES["tree_to_dnf"]
    old_time = S.s * (S.r + 1)
    assert _ratio("tree_to_dnf", large, old_time) > 2.5 * _ratio("tree_to_dnf", small, old_time)


@pytest.mark.parametrize("name", EXACT)
def test_work_grows_no_faster_than_the_declared_time(name):
    """to_lookup_table[dnf] and [cnf] failed while CLASSES["dnf"/"cnf"].eval_time was
    s w: one evaluation multiplies the point by the dense literal matrix, s x (the
    variables that occur) <= s min(d, s w), so s unit terms on s variables cost s^2.
    """
    _, small, large = FAMILIES[name]
    low, high = _ratio(name, small), _ratio(name, large)
    assert high <= GROWTH * low, (
        f"{name}: work / declared time is {low:.3g} at t = {small} and {high:.3g} at "
        f"t = {large}; the declared time {REGISTRY[name].guarantee.time} misses a term"
    )
