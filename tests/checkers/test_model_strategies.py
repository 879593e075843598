"""The model strategies of pacdistill.checkers.strategies stay within the bounds
they are given (issue 7, item 1; the harness's EXACT_BOUNDS and users' property
tests rely on them): every drawn model's dimension, sizes, term widths and
weights are in range. (The mutation letting dnfs/cnfs draw up to max_s + 2 terms
survived the suite: the docstring examples and the class tests check other bounds.)"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers import strategies as pst


def _sets_within(sets, lo, hi):
    return all(lo <= len(lits) <= hi for lits in sets)


CASES = {
    "conjunctions": (pst.conjunctions(min_d=2, max_d=5, min_k=1, max_k=3),
                     lambda m: 1 <= m.size()["k"] <= 3),
    "parities": (pst.parities(min_d=2, max_d=5, min_k=1, max_k=3),
                 lambda m: 1 <= m.size()["k"] <= 3),
    "juntas": (pst.juntas(min_d=2, max_d=5, min_k=1, max_k=3),
               lambda m: 1 <= m.size()["k"] <= 3),
    "decision_trees": (pst.decision_trees(min_d=2, max_d=5, max_depth=2),
                       lambda m: m.depth <= 2),
    "decision_lists": (pst.decision_lists(min_d=2, max_d=5, min_l=1, max_l=3, min_w=1, max_w=2),
                       lambda m: 1 <= m.size()["l"] <= 3
                       and _sets_within([term for term, _ in m.rules], 1, 2)),
    "dnfs": (pst.dnfs(min_d=2, max_d=5, min_s=1, max_s=3, min_w=1, max_w=2),
             lambda m: 1 <= m.size()["s"] <= 3 and _sets_within(m.terms, 1, 2)),
    "cnfs": (pst.cnfs(min_d=2, max_d=5, min_s=1, max_s=3, min_w=1, max_w=2),
             lambda m: 1 <= m.size()["s"] <= 3 and _sets_within(m.clauses, 1, 2)),
    "halfspaces": (pst.halfspaces(min_d=2, max_d=5, max_weight=2),
                   lambda m: np.abs(m.weights).max() <= 2
                   and (m.output(pd.cube.enumerate(m.d)) != 0).all()),
    "relu_networks": (pst.relu_networks(min_d=2, max_d=5, min_L=2, max_L=3, max_width=3,
                                        max_weight=2),
                      lambda m: 2 <= m.size()["L"] <= 3 and max(m.widths) <= 3
                      and max(np.abs(a).max() for a in m.weights + m.biases) <= 2),
    "lookup_tables": (pst.lookup_tables(min_d=2, max_d=5), lambda m: True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_drawn_models_are_within_the_bounds(name):
    strategy, within = CASES[name]

    @given(strategy)
    def check(model):
        assert 2 <= model.d <= 5, model
        assert within(model), model

    check()
