"""to_lookup_table: every class -> LookupTable[d] by enumeration (THEORY §8)."""

from __future__ import annotations

import numpy as np
import pytest
from exact_checks import assert_exact
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import halfspaces, juntas
from pacdistill.classes.lookup_table import LookupTable
from pacdistill.reductions import REGISTRY
from pacdistill.reductions.to_lookup_table import DEFAULT_MAX_D, MAX_D, to_lookup_table


def test_one_edge_from_every_class():
    """The family is registered from each class of pd.CLASSES, with query access."""
    assert set(to_lookup_table.edges) == set(pd.CLASSES)
    for name, edge in to_lookup_table.edges.items():
        assert REGISTRY[f"to_lookup_table[{name}]"] is edge
        assert (edge.source, edge.target, edge.kind) == (name, "lookup_table", "exact")
        assert edge.access == "queries" and edge.efficient
        values = edge.guarantee.at(d=6, k=2, r=2, s=3, l=4, w=2, L=1, m=5)
        assert values.queries == 64 and values.size_map == {"d": 6}
        # only the class's own parameters (DecisionList's width w is bounded by d)
        assert edge.guarantee.free_symbols <= set(pd.CLASSES[name].params)


@given(juntas(max_d=10, max_k=5))
def test_junta_table_over_all_d_variables(junta):
    """The table is over all d variables (not the junta's k: see the module note)
    and equals the junta; its entries agree with the junta's own table."""
    edge = to_lookup_table.edges["junta"]
    table = assert_exact(edge, junta).model
    assert table.d == junta.d and table.table.shape == (1 << junta.d,)
    assert table == LookupTable.from_model(junta)


@given(halfspaces(max_d=8, ties=True))
def test_real_input_models_on_the_cube(h):
    """A halfspace (ties included) is tabulated on the cube; ties give -1."""
    assert_exact(to_lookup_table.edges["halfspace"], h)


def test_identity_on_tables():
    t = pd.LookupTable(2, [1, -1, -1, 1])
    assert to_lookup_table(t).model == t


def test_large_d_is_refused_with_a_sampling_hint():
    big = pd.Parity(DEFAULT_MAX_D + 1, [0])
    with pytest.raises(pd.errors.TooLargeError, match="by sampling"):
        to_lookup_table(big)
    with pytest.raises(pd.errors.TooLargeError, match="max_d = 3"):
        to_lookup_table(pd.Parity(4, [0]), max_d=3)
    assert to_lookup_table(pd.Parity(4, [0]), max_d=4).report["queries_used"] == 16


def test_bad_arguments_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="max_d"):
        to_lookup_table(pd.Parity(4, [0]), max_d=MAX_D + 1)
    with pytest.raises(pd.errors.InvalidParameterError, match="only the option max_d"):
        to_lookup_table(pd.Parity(4, [0]), chunk=10)
    with pytest.raises(pd.errors.InvalidParameterError, match="must be a pacdistill model"):
        to_lookup_table([[1, 1]])


# size parameters of a random member of each class at d = 7
_SIZES = {"cnf": {"s": 3, "w": 2}, "conjunction": {"k": 3}, "decision_list": {"l": 4},
          "decision_tree": {"depth": 3}, "dnf": {"s": 3, "w": 2}, "halfspace": {},
          "junta": {"k": 3}, "lookup_table": {}, "parity": {"k": 3},
          "relu_network": {"m": 5}}


@pytest.mark.parametrize("name", sorted(pd.CLASSES))
def test_reported_queries_are_the_points_evaluated(name, monkeypatch):
    """report["queries_used"] is counted (QueryCounter), not stated: it equals the
    number of rows the model's own _predict received, and those rows are the
    whole cube, each point once (THEORY §8's 2^d queries)."""
    model = pd.CLASSES[name].random(np.random.default_rng(1), d=7, **_SIZES[name])
    cls = type(model)
    seen = []
    original = cls._predict

    def spy(self, X):
        if self is model:
            seen.append(np.array(X, copy=True))
        return original(self, X)

    monkeypatch.setattr(cls, "_predict", spy)
    res = to_lookup_table(model)
    monkeypatch.undo()
    rows = np.concatenate(seen)
    assert res.report["queries_used"] == rows.shape[0] == 1 << 7
    assert sorted(pd.cube.index(rows).tolist()) == list(range(1 << 7))
    assert res.model == LookupTable.from_model(model)
