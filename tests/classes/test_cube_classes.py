"""The ModelClass entries of the cube classes (conjunction, parity, junta,
decision_tree, decision_list, lookup_table) and their public strategies."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.checkers import strategies
from pacdistill.errors import InvalidCallError, InvalidParameterError, UnknownNameError

EXAMPLES = {
    "conjunction": {"d": 9, "k": 3},
    "parity": {"d": 9, "k": 4},
    "junta": {"d": 9, "k": 3},
    "decision_tree": {"d": 9, "depth": 3},
    "decision_list": {"d": 9, "l": 4, "w": 1},  # members are 1-DLs (size_limits)
    "lookup_table": {"d": 5},
}
TYPES = {
    "conjunction": pd.Conjunction, "parity": pd.Parity, "junta": pd.Junta,
    "decision_tree": pd.DecisionTree, "decision_list": pd.DecisionList,
    "lookup_table": pd.LookupTable,
}


def test_classes_order_is_theory_section_8():
    assert list(pd.CLASSES) == ["conjunction", "parity", "junta", "decision_tree",
                                "decision_list", "dnf", "cnf", "halfspace", "relu_network",
                                "lookup_table"]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_model_class_entry_is_consistent(name):
    cls = pd.CLASSES[name]
    model = cls.random(0, **EXAMPLES[name])
    assert cls.name == name and cls.model_type is TYPES[name]
    assert TYPES[name].class_name == name and pd.classes.MODEL_TYPES[name] is TYPES[name]
    assert getattr(pd, cls.title) is TYPES[name]
    assert tuple(model.size()) == cls.size_names
    assert all(p is S.SYMBOLS[p.name] for p in cls.params)
    size_symbols = {S.SYMBOLS[n] for n in cls.size_names}
    # guarantees are stated in class parameters, so eval_time must use only them
    assert cls.eval_time.free_symbols <= set(cls.params)
    for expr, source in ((cls.log_size, cls.log_size_source), (cls.vc_dim, cls.vc_dim_source)):
        if expr is not None:
            assert expr.free_symbols <= size_symbols and "THEORY §4" in source
    assert cls.log_size is not None and cls.description
    assert cls.contains(model, **model.size())
    # contains is tight: one less of any size (or another d, or another type) is out
    for key, value in model.size().items():
        assert cls.contains(model, **{key: value + 1}) is (key != "d")  # d must be equal
        if value >= 1:
            assert not cls.contains(model, **{key: value - 1}), (key, value)
    other = next(m for n, m in TYPES.items() if n != name)
    assert not cls.contains(pd.CLASSES[other.class_name].random(0, **EXAMPLES[other.class_name]))
    assert model.n_inputs == EXAMPLES[name]["d"]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_random_same_seed_same_model_and_generator_is_advanced(name):
    cls = pd.CLASSES[name]
    a = cls.random(11, **EXAMPLES[name])
    b = cls.random(np.random.default_rng(11), **EXAMPLES[name])
    assert a == b and a.to_dict() == b.to_dict()
    rng = np.random.default_rng(11)
    first, second = cls.random(rng, **EXAMPLES[name]), cls.random(rng, **EXAMPLES[name])
    assert first == a and json.dumps(second.to_dict()) != json.dumps(first.to_dict())


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_random_rejects_unknown_and_missing_parameters(name):
    """A PacDistillError naming the call (InvalidCallError is also a TypeError, so
    accepting any TypeError would let Python's bare one through)."""
    with pytest.raises(InvalidCallError, match="widths"):
        pd.CLASSES[name].random(0, **EXAMPLES[name], widths=3)
    with pytest.raises(InvalidCallError, match="missing"):
        pd.CLASSES[name].random(0)
    with pytest.raises(InvalidParameterError, match="rng"):
        pd.CLASSES[name].random("seed", **EXAMPLES[name])


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_strategies_are_registered_for_from_type_and_for_class(name):
    @settings(max_examples=5)
    @given(st.from_type(TYPES[name]), pd.CLASSES[name].strategy(max_d=3))
    def check(a, b):
        assert isinstance(a, TYPES[name]) and isinstance(b, TYPES[name]) and b.d <= 3

    check()


def test_for_class_errors():
    with pytest.raises(UnknownNameError, match="'decision_tree'"):
        strategies.for_class("desicion_tree")
    with pytest.raises(InvalidParameterError, match="max_k"):
        strategies.for_class("decision_tree", max_k=2)
    with pytest.raises(InvalidParameterError, match="'max_d' parameter of juntas"):
        strategies.juntas(min_d=4, max_d=2)
    for name in strategies.__all__:
        assert hasattr(strategies, name)
