"""Brute-force checks of the class sizes of THEORY §4 on small cubes.

What is verified, exactly:

- Conjunctions (this project's type: no variable twice, so no contradictory
  literals): for d <= 4 the 3^d conjunctions compute 3^d *distinct* functions and
  none is the constant -1. Adding the constant -1 (the AND of x_i and NOT x_i,
  which THEORY's count includes) gives exactly 3^d + 1: the catalog's bound
  |G| <= 3^d + 1 is met with equality by that larger class, and the "+1" is the
  constant-false function.
- Parities: for d <= 5 the 2^d parities compute 2^d distinct functions.
- VC dimension of conjunctions, by exhaustive shattering search over subsets of
  the cube, d <= 4: some d-point set is shattered and no (d+1)-point set is. For
  the class with the constant -1 added, the same holds for 2 <= d <= 4, while for
  d = 1 it shatters both points (VC dimension 2), matching Natschläger and Schmitt
  1996 (Inform. Process. Lett. 59(1):19-20), whose "VC dimension = d" needs d >= 2.
- Juntas (d <= 4, k <= 3), decision trees with exactly s leaves (d <= 3, s <= 5),
  1-decision lists of length l (d <= 3, l <= 3), lookup tables (d <= 3): the
  number of distinct functions is at most exp(log_size) of the class's
  ModelClass entry (and exactly equal for lookup tables).
"""

import itertools

import numpy as np
import pytest
import sympy

import pacdistill as pd
from pacdistill.bounds import symbols as S


def truth_tables(models, d):
    """The set of truth tables (tuples of ±1 over enumerate(d)) of the models."""
    X = pd.cube.enumerate(d)
    return {tuple(m.predict(X).tolist()) for m in models}


def all_conjunctions(d):
    for choice in itertools.product((0, 1, -1), repeat=d):
        yield pd.Conjunction(d, [(i, s) for i, s in enumerate(choice) if s])


def bound(cls_name, **values):
    """exp(log_size) of the class at the given parameter values, as an exact sympy
    number (comparisons with it are decided exactly, not in floating point)."""
    expr = pd.CLASSES[cls_name].log_size
    return sympy.exp(expr.subs({getattr(S, k): v for k, v in values.items()}))


def within(count, cls_name, **values):
    return bool(sympy.Integer(count) <= bound(cls_name, **values))


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_conjunctions_compute_3_to_the_d_distinct_functions(d):
    tables = truth_tables(all_conjunctions(d), d)
    constant_false = (-1,) * 2**d
    assert len(tables) == 3**d
    assert constant_false not in tables
    assert len(tables | {constant_false}) == 3**d + 1  # THEORY §4's count, with equality
    assert within(len(tables), "conjunction", d=d)


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_parities_compute_2_to_the_d_distinct_functions(d):
    parities = [pd.Parity(d, [i for i in range(d) if mask >> i & 1]) for mask in range(2**d)]
    assert len(truth_tables(parities, d)) == 2**d
    assert bound("parity", d=d) == 2**d


def shattered_sets(T, size):
    """Boolean per `size`-subset of the columns of T (functions x points, bool):
    whether the rows of T realise all 2^size labellings of that subset."""
    subsets = np.array(list(itertools.combinations(range(T.shape[1]), size)), dtype=np.int64)
    codes = T[:, subsets].astype(np.int64) @ (1 << np.arange(size))  # (functions, subsets)
    seen = np.zeros((subsets.shape[0], 2**size), dtype=bool)
    seen[np.arange(subsets.shape[0])[None, :], codes] = True
    return seen.all(axis=1)


def conjunction_matrix(d, with_false):
    X = pd.cube.enumerate(d)
    rows = [c.predict(X) == 1 for c in all_conjunctions(d)]
    if with_false:
        rows.append(np.zeros(2**d, dtype=bool))
    return np.array(rows)


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_vc_dimension_of_conjunctions_is_d(d):
    """Some d points are shattered (e.g. the d points with one -1); no d+1 points are:
    exhaustive over all C(2^d, d+1) subsets of the cube."""
    T = conjunction_matrix(d, with_false=False)
    assert shattered_sets(T, d).any()
    assert not shattered_sets(T, d + 1).any()
    units = [sum(1 << j for j in range(d) if j == i) for i in range(d)]  # enumeration rows
    codes = {tuple(row) for row in T[:, units].tolist()}
    assert len(codes) == 2**d  # the single-(-1) points are shattered


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_vc_dimension_with_the_constant_false_added(d):
    """The catalog's class (with the constant -1): VC = d for d >= 2, but 2 for d = 1."""
    T = conjunction_matrix(d, with_false=True)
    expected = 2 if d == 1 else d
    assert shattered_sets(T, expected).any()
    if expected + 1 <= 2**d:
        assert not shattered_sets(T, expected + 1).any()


@pytest.mark.parametrize("d, k", [(d, k) for d in range(1, 5) for k in range(0, min(d, 3) + 1)])
def test_juntas_within_the_catalog_bound(d, k):
    juntas = [pd.Junta(d, list(vs), [1 if bit == "1" else -1
                                     for bit in format(mask, f"0{2**k}b")])
              for vs in itertools.combinations(range(d), k) for mask in range(2 ** 2**k)]
    assert within(len(truth_tables(juntas, d)), "junta", d=d, k=k)


def tree_functions(d, s):
    """Truth tables (as bit masks over enumerate(d): bit j set iff +1) of trees with
    exactly s leaves and no variable repeated on a path, built bottom-up."""
    full = (1 << 2**d) - 1
    X = pd.cube.enumerate(d)
    plus_rows = [sum(1 << j for j in range(2**d) if X[j, i] == 1) for i in range(d)]

    memo = {}

    def build(leaves, used):
        key = (leaves, used)
        if key not in memo:
            if leaves == 1:
                out = {0, full}
            else:
                out = set()
                for i in range(d):
                    if used >> i & 1:
                        continue
                    for a in range(1, leaves):
                        for f in build(a, used | 1 << i):
                            for g in build(leaves - a, used | 1 << i):
                                out.add((f & plus_rows[i]) | (g & ~plus_rows[i] & full))
            memo[key] = out
        return memo[key]

    return build(s, 0)


@pytest.mark.parametrize("d, s", [(d, s) for d in range(1, 4) for s in range(1, 6)
                                  if s <= 2**d])
def test_decision_trees_within_the_catalog_bound(d, s):
    functions = tree_functions(d, s)
    assert functions and within(len(functions), "decision_tree", d=d, s=s)


@pytest.mark.parametrize("d, l", [(d, l) for d in range(1, 4) for l in range(0, 4)])
def test_one_decision_lists_within_the_catalog_bound(d, l):
    literals = [(i, s) for i in range(d) for s in (1, -1)]
    lists = [pd.DecisionList(d, [([lit], out) for lit, out in zip(lits, outs, strict=True)],
                             default)
             for lits in itertools.product(literals, repeat=l)
             for outs in itertools.product((1, -1), repeat=l)
             for default in (1, -1)]
    assert within(len(truth_tables(lists, d)), "decision_list", d=d, l=l)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_lookup_tables_are_all_functions(d):
    tables = [pd.LookupTable(d, [1 if bit == "1" else -1 for bit in format(mask, f"0{2**d}b")])
              for mask in range(2 ** 2**d)]
    assert len(truth_tables(tables, d)) == 2 ** 2**d
    assert bound("lookup_table", d=d) == 2 ** 2**d
