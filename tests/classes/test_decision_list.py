"""DecisionList (1- and k-decision lists): predict against a naive evaluator,
JSON round trip, sizes, the random generator and malformed input (THEORY §4, §8)."""

import numpy as np
import pytest
from _model_checks import assert_json_round_trip, assert_predicts_like
from hypothesis import given

import pacdistill as pd
from pacdistill.checkers.strategies import decision_lists
from pacdistill.errors import (
    InvalidInputError,
    InvalidModelError,
    InvalidParameterError,
    SerializationError,
)


def naive_decision_list(rules, default, row):
    """Scan the rules in order; the first whose literals all hold decides."""
    for term, output in rules:
        if all(row[i] == s for i, s in term):
            return output
    return default


@given(decision_lists())
def test_predict_matches_naive_evaluator_on_the_whole_cube(dl):
    """On every point of the cube, predict equals the first-match scan."""
    assert_predicts_like(dl, lambda row: naive_decision_list(dl.rules, dl.default, row))


@given(decision_lists(max_w=1))
def test_one_decision_lists(dl):
    """With max_w=1 every rule has exactly one literal (a 1-decision list)."""
    assert all(len(term) == 1 for term, _ in dl.rules)
    assert dl.size()["w"] == (1 if dl.rules else 0)


@given(decision_lists())
def test_json_round_trip_preserves_model_and_predictions(dl):
    """to_dict -> json text -> model_from_dict gives an equal model with equal outputs."""
    assert_json_round_trip(dl)


@given(decision_lists())
def test_size_matches_parameters(dl):
    """size(): l rules (default excluded) and w the widest term (0 without rules)."""
    widths = [len(term) for term, _ in dl.rules]
    assert dl.size() == {"d": dl.d, "l": len(dl.rules), "w": max(widths, default=0)}


def test_first_matching_rule_wins_and_empty_term_always_holds():
    dl = pd.DecisionList(2, [([(0, 1)], 1), ([(0, 1)], -1), ([], -1)], default=1)
    X = pd.cube.enumerate(2)
    assert dl.predict(X).tolist() == [1, -1, 1, -1]
    assert str(dl) == "if x0 = +1 then +1\nelif x0 = +1 then -1\nelif TRUE then -1\nelse +1"
    assert str(pd.DecisionList(2, [], 1)) == "else +1"


def test_random_is_reproducible_and_has_the_requested_size():
    cls = pd.CLASSES["decision_list"]
    dl = cls.random(1, d=20, l=5)
    assert dl == cls.random(1, d=20, l=5)
    assert dl.size() == {"d": 20, "l": 5, "w": 1}
    assert cls.random(1, d=20, l=5, w=3).size() == {"d": 20, "l": 5, "w": 3}
    assert len({cls.random(seed, d=20, l=5) for seed in range(20)}) > 1
    with pytest.raises(InvalidParameterError, match="'w'.*21"):
        cls.random(0, d=20, l=2, w=21)
    with pytest.raises(InvalidParameterError, match="'l'.*-1"):
        cls.random(0, d=20, l=-1)


@pytest.mark.parametrize("args, match", [
    ((3, [([(3, 1)], 1)], 1), "variable 3, out of range"),
    ((3, [([(0, 1), (0, 1)], 1)], 1), r"Variable 0 appears twice .*\(rule 0\)"),
    ((3, [([(0, 1)], 0)], 1), "'output of rule 0'.*Got 0"),
    ((3, [([(0, 1)], True)], 1), "'output of rule 0'.*Got True"),
    ((3, [([(0, 1)],)], 1), "Rule 0 .* pair"),
    ((3, [], 0), "'default'.*Got 0"),
    ((3, [], True), "'default'.*Got True"),
    ((3, "rules", 1), "sequence of \\(term, output\\)"),
], ids=["out-of-range", "repeated-in-term", "output-0", "bool-output", "not-a-pair",
        "default-0", "bool-default", "string-rules"])
def test_constructor_rejects_malformed_models(args, match):
    with pytest.raises(InvalidModelError, match=match):
        pd.DecisionList(*args)


@pytest.mark.parametrize("change, match", [
    ({"version": 7}, "version 7"),
    ({"default": 1.0}, "'default'.*1.0"),
    ({"rules": [{"term": [[0, 1]], "output": 1, "x": 0}]}, "Rule 0"),
    ({"rules": [{"term": [[0, 1]], "output": True}]}, "True"),
    ({"rules": [{"term": [[4, 1]], "output": 1}]}, "variable 4"),
    ({"rules": [[[[0, 1]], 1]]}, "Rule 0"),
], ids=["version", "float-default", "extra-rule-key", "bool-output", "out-of-range",
        "rule-as-list"])
def test_from_dict_rejects_malformed_json(change, match):
    data = {**pd.DecisionList(3, [([(0, 1)], -1)], 1).to_dict(), **change}
    with pytest.raises(SerializationError, match=match):
        pd.model_from_dict(data)


@pytest.mark.parametrize("X, match", [
    (np.ones((2, 2)), "3 columns"),
    ([[1, -1, 5]], r"value \S*5\S* at row 0, column 2"),
], ids=["wrong-width", "five"])
def test_predict_rejects_malformed_input(X, match):
    with pytest.raises(InvalidInputError, match=match):
        pd.DecisionList(3, [([(0, 1)], -1)], 1).predict(X)


def test_the_class_node_holds_1_decision_lists_only():
    """The class node decision_list is THEORY §4's 1-decision lists (its log_size
    l ln(4d) + ln 2 counts them; the edges into and out of it assume them); the
    DecisionList type also holds w-decision lists, which contains() refused to
    tell apart before (a one-rule list with a 3-literal term was 'in' the class
    at l = 1, where about 54 functions exceed the bound's e^(ln 24) = 24)."""
    cls = pd.CLASSES["decision_list"]
    wide = pd.DecisionList(3, [([(0, 1), (1, 1), (2, -1)], 1)], default=-1)
    narrow = pd.DecisionList(3, [([(2, -1)], 1)], default=-1)
    assert not cls.contains(wide, d=3, l=1) and not cls.contains(wide)
    assert cls.contains(narrow, d=3, l=1)
    assert cls.size_limits == {"w": 1}
    assert not cls.contains(cls.random(0, d=5, l=3, w=2), d=5, l=3)
    assert cls.contains(cls.random(0, d=5, l=3), d=5, l=3)
