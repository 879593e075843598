"""Bad values at the METHODS of the public classes of pacdistill.distill and
pacdistill.checkers, and at the checkers' strategies (session 8, round 3: the
fuzz enumerates public functions, not methods). Each is refused with a
PacDistillError naming the parameter (or the method) and the value, never a
bare TypeError, ValueError or IndexError from numpy, pathlib or matplotlib, and
never accepted silently (``CallableModel.predict(None)`` used to hand None to
the user's function, whose answer was returned as if for points).
"""

import tempfile
from pathlib import Path

import matplotlib
import numpy as np
import pytest

import pacdistill as pd
from pacdistill.checkers.conformance import Counterexample
from pacdistill.distill.frontier import Frontier
from pacdistill.distill.probing import Candidates, ParentStats, ProbeBasis
from pacdistill.distill.tree_dp import AndGraph, all_ands
from pacdistill.errors import (
    InvalidInputError,
    InvalidParameterError,
    SerializationError,
    UnknownNameError,
)

matplotlib.use("Agg")

_LEAF = pd.DecisionTree.from_nested(3, {"leaf": 1})
_GOOD = {"n": 100, "d": 3, "delta": 0.05, "max_leaves": 1}
_strategies = pd.checkers.strategies


def _from_errors(trees=(_LEAF,), errors=(7,), **changes):
    return Frontier.from_errors(list(trees) if isinstance(trees, tuple) else trees,
                                list(errors) if isinstance(errors, tuple) else errors,
                                **{**_GOOD, **changes})


def _frontier():
    return _from_errors()


def _permissive():
    """Functions that answer for anything (as a careless user's may): only the
    adapter's own check stands between them and a hostile X."""
    return pd.distill.from_callables(lambda X: np.ones(np.size(X)),
                                     lambda X: np.ones((np.size(X), 2)), d=3)


def _counterexample(**changes):
    return Counterexample(**{"reduction": "learn_junta", "kind": "agnostic",
                             "violation": "error", "message": "m",
                             "source": pd.Junta(3, [1], [1, -1]).to_dict(), **changes})


#: every save below is refused before anything is written (test_refused_save_writes_nothing)
_TMP = Path(tempfile.gettempdir()) / "pacdistill-never-written"
_OBJ = object()


_X = pd.cube.enumerate(3)
_Y = np.where(_X[:, 0] == 1, 1, -1)
_ANDS = all_ands(3, 2)
_PHI = np.random.default_rng(0).standard_normal((6, 3))


def _graph():
    return AndGraph.build(_X, _Y, _ANDS, depth=2)


def _probe_mse(lam):
    """Validation MSEs of two probes (a set-up like the probing module's example)."""
    X = pd.cube.enumerate(3)
    phi = np.c_[X, X[:, :1] * X[:, 1:2]].astype(float)
    basis = ProbeBasis.build(phi[:6], phi[6:])
    root = ParentStats.build(basis, X[:6], X[6:], np.arange(6), np.arange(2))
    cand = Candidates(np.zeros(2, dtype=np.int64), np.array([0, 0]), np.array([1, -1]))
    return basis.validation_mse([root], cand, lam=lam)


_FROM = "parameter of Frontier.from_errors"

#: (label, call, error class, fragments of the message: the parameter, the value)
CASES = [
    # Frontier.from_errors: every argument was used unchecked (math domain errors,
    # TypeErrors; an error count above n gave a negative fidelity)
    ("from_errors(n=None)", lambda: _from_errors(n=None),
     InvalidParameterError, [f"'n' {_FROM}", "Got None instead"]),
    ("from_errors(n=[[1]])", lambda: _from_errors(n=[[1, -1, 1]]),
     InvalidParameterError, [f"'n' {_FROM}", "Got [[1, -1, 1]] instead"]),
    ("from_errors(delta=-1)", lambda: _from_errors(delta=-1),
     InvalidParameterError, [f"'delta' {_FROM}", "(0, 1)", "Got -1 instead"]),
    ("from_errors(delta='x')", lambda: _from_errors(delta="x"),
     InvalidParameterError, [f"'delta' {_FROM}", "Got 'x' instead"]),
    ("from_errors(max_leaves=None)", lambda: _from_errors(max_leaves=None),
     InvalidParameterError, [f"'max_leaves' {_FROM}", "Got None instead"]),
    ("from_errors(max_leaves=-1)", lambda: _from_errors(max_leaves=-1),
     InvalidParameterError, [f"'max_leaves' {_FROM}", "Got -1 instead"]),
    ("from_errors(d=1.5)", lambda: _from_errors(d=1.5),
     InvalidParameterError, [f"'d' {_FROM}", "Got 1.5 instead"]),
    ("from_errors(trees=None)", lambda: _from_errors(trees=None),
     InvalidParameterError, [f"'trees' {_FROM}", "Got None instead"]),
    ("from_errors(trees=[3])", lambda: _from_errors(trees=[3]),
     InvalidParameterError, [f"'trees' {_FROM}", "Got [3] instead"]),
    ("from_errors(d=4) with a tree over 3", lambda: _from_errors(d=4),
     InvalidParameterError, [f"'trees' {_FROM}", "d = 4"]),
    ("from_errors(errors=None)", lambda: _from_errors(errors=None),
     InvalidParameterError, [f"'errors' {_FROM}", "Got None instead"]),
    ("from_errors(errors=[])", lambda: _from_errors(errors=[]),
     InvalidParameterError, [f"'errors' {_FROM}", "1 counts", "Got [] instead"]),
    ("from_errors(errors=[101])", lambda: _from_errors(errors=[101]),
     InvalidParameterError, [f"'errors' {_FROM}", "[0, 100]", "Got 101 instead"]),
    ("from_errors(errors=['x'])", lambda: _from_errors(errors=["x"]),
     InvalidParameterError, [f"'errors' {_FROM}", "Got 'x' instead"]),
    # Frontier.plot's line properties: matplotlib's ValueError / AttributeError
    ("plot(color=3)", lambda: _frontier().plot(color=3),
     InvalidParameterError, ["'kwargs' parameter of Frontier.plot", "Line2D",
                             "Got {'color': 3} instead"]),
    ("plot(bogus=1)", lambda: _frontier().plot(bogus=1),
     InvalidParameterError, ["'kwargs' parameter of Frontier.plot", "Got {'bogus': 1} instead"]),
    ("plot(where='pre')", lambda: _frontier().plot(where="pre"),
     InvalidParameterError, ["'kwargs' parameter of Frontier.plot", "where, label and marker",
                             "Got {'where': 'pre'} instead"]),
    # CallableModel: X checked before the user's functions see it (an IndexError
    # from np.shape(X)[0], or None answered as if it were points)
    ("CallableModel.activations(None)", lambda: _permissive().activations(None),
     InvalidInputError, ["'X' parameter of CallableModel.activations"]),
    ("CallableModel.activations(3)", lambda: _permissive().activations(3),
     InvalidInputError, ["'X' parameter of CallableModel.activations"]),
    ("CallableModel.predict(None)", lambda: _permissive().predict(None),
     InvalidInputError, ["'X' parameter of CallableModel.predict"]),
    ("CallableModel.predict(wrong width)", lambda: _permissive().predict(np.ones((2, 7))),
     InvalidInputError, ["'X' parameter of CallableModel.predict", "3"]),
    # Counterexample.save / from_dict
    ("Counterexample.save(None)", lambda: _counterexample().save(None),
     SerializationError, ["Counterexample.save needs a file path", "Got NoneType None"]),
    ("Counterexample.save(3)", lambda: _counterexample().save(3),
     SerializationError, ["Counterexample.save needs a file path", "Got int 3"]),
    # a counterexample built by hand: save wrote a file load refused (seed 'x'), or
    # raised json's TypeError (an object in a field)
    ("Counterexample(seed='x').save", lambda: _counterexample(seed="x").save(_TMP / "cx.json"),
     SerializationError, ["Counterexample.save", "would not load back", "'seed'",
                          "Got 'x' instead"]),
    ("Counterexample(source=object).save",
     lambda: _counterexample(source=_OBJ).save(_TMP / "cx.json"),
     SerializationError, ["Counterexample.save", "would not load back", "'source'"]),
    ("Counterexample.from_dict(type=array)",
     lambda: Counterexample.from_dict({**_counterexample().to_dict(), "type": np.array([1, 2])}),
     SerializationError, ['"type": "Counterexample"', "array([1, 2])"]),
    # the options assert_conforms (and the pytest plugin's fixture) and check_family
    # pass on to check_reduction: a TypeError naming check_reduction, a TypeError
    # from iterating distributions=3
    ("assert_conforms(bogus=1)", lambda: pd.checkers.assert_conforms("tree_to_dnf", bogus=1),
     InvalidParameterError, ["'options' parameter of assert_conforms", "max_d",
                             "Got ['bogus'] instead"]),
    ("check_family(bogus=1)", lambda: pd.checkers.check_family("learn_junta", bogus=1),
     InvalidParameterError, ["'options' parameter of check_family", "Got ['bogus'] instead"]),
    ("check_reduction(distributions=3)",
     lambda: pd.checkers.check_reduction("learn_junta[junta]", distributions=3),
     InvalidParameterError, ["'distributions' parameter of check_reduction", "Got 3 instead"]),
    ("check_reduction(distributions=[array])",
     lambda: pd.checkers.check_reduction("learn_junta[junta]",
                                         distributions=[np.array([1, 2])]),
     InvalidParameterError, ["'distributions' parameter of check_reduction", "array([1, 2])"]),
    # the tree DP's classes (AndGraph, DPTable): IndexErrors, TypeErrors, a
    # MemoryError from solve(2**70), a literal (0, 3) or (5, 1) taken as it was
    ("AndGraph.build(X=None)", lambda: AndGraph.build(None, _Y, _ANDS, depth=2),
     InvalidInputError, ["'X' parameter of AndGraph.build"]),
    ("AndGraph.build(y=[1])", lambda: AndGraph.build(_X, [1], _ANDS, depth=2),
     InvalidInputError, ["'y' parameter of AndGraph.build", "8 rows"]),
    ("AndGraph.build(depth=-1)", lambda: AndGraph.build(_X, _Y, _ANDS, depth=-1),
     InvalidParameterError, ["'depth' parameter of AndGraph.build", "Got -1 instead"]),
    ("AndGraph.build(ands=3)", lambda: AndGraph.build(_X, _Y, 3, depth=2),
     InvalidParameterError, ["'ands' parameter of AndGraph.build", "Got 3 instead"]),
    ("AndGraph.build(ands=[[(0, 3)]])", lambda: AndGraph.build(_X, _Y, [[(0, 3)]], depth=2),
     InvalidParameterError, ["'ands' parameter of AndGraph.build", "Got ((0, 3),) instead"]),
    ("AndGraph.build(ands=[[(5, 1)]])", lambda: AndGraph.build(_X, _Y, [[(5, 1)]], depth=2),
     InvalidParameterError, ["'ands' parameter of AndGraph.build", "[0, 3)",
                             "Got ((5, 1),) instead"]),
    ("AndGraph.build(ands=[['x']])", lambda: AndGraph.build(_X, _Y, [["x"]], depth=2),
     InvalidParameterError, ["'ands' parameter of AndGraph.build", "Got ['x'] instead"]),
    ("AndGraph.solve(2**70)", lambda: _graph().solve(2**70),
     InvalidParameterError, ["'max_leaves' parameter of AndGraph.solve", str(2**70)]),
    ("AndGraph.solve('x')", lambda: _graph().solve("x"),
     InvalidParameterError, ["'max_leaves' parameter of AndGraph.solve", "Got 'x' instead"]),
    ("DPTable.errors(10**6)", lambda: _graph().solve().errors(10**6),
     InvalidParameterError, ["'a' parameter of DPTable.errors", "Got 1000000 instead"]),
    ("DPTable.nested(None, 1)", lambda: _graph().solve().nested(None, 1),
     InvalidParameterError, ["'a' parameter of DPTable.nested", "Got None instead"]),
    ("DPTable.nested(0, 1.5)", lambda: _graph().solve().nested(0, 1.5),
     InvalidParameterError, ["'s' parameter of DPTable.nested", "Got 1.5 instead"]),
    ("DPTable.nested(0, 1, default=3)", lambda: _graph().solve().nested(0, 1, 3),
     InvalidParameterError, ["'default' parameter of DPTable.nested", "Got 3 instead"]),
    ("DPTable.frontier_trees('x')", lambda: _graph().solve().frontier_trees("x"),
     InvalidParameterError, ["'d' parameter of DPTable.frontier_trees", "Got 'x' instead"]),
    # ProbeBasis.build: AttributeErrors (no .shape), broadcasting ValueErrors, a
    # LinAlgError from NaN
    ("ProbeBasis.build(None, ...)", lambda: ProbeBasis.build(None, _PHI),
     InvalidInputError, ["'phi_fit' parameter of ProbeBasis.build"]),
    ("ProbeBasis.build(nan rows)", lambda: ProbeBasis.build(np.full((4, 3), np.nan), _PHI),
     InvalidInputError, ["'phi_fit' parameter of ProbeBasis.build", "finite", "nan"]),
    ("ProbeBasis.build(no fit rows)", lambda: ProbeBasis.build(_PHI[:0], _PHI),
     InvalidInputError, ["'phi_fit' parameter of ProbeBasis.build", "n >= 1"]),
    ("ProbeBasis.build(..., wrong width)", lambda: ProbeBasis.build(_PHI, np.ones((2, 7))),
     InvalidInputError, ["'phi_val' parameter of ProbeBasis.build", "3 columns", "(2, 7)"]),
    ("ProbeBasis.build(..., 3)", lambda: ProbeBasis.build(_PHI, 3),
     InvalidInputError, ["'phi_val' parameter of ProbeBasis.build"]),
    # the penalty: NaN and -1 gave NaN / sign-flipped MSEs silently, 'x' a TypeError
    ("ProbeBasis.validation_mse(lam=nan)", lambda: _probe_mse(float("nan")),
     InvalidParameterError, ["'lam' parameter of ProbeBasis.mse", "Got nan instead"]),
    ("ProbeBasis.validation_mse(lam=-1)", lambda: _probe_mse(-1),
     InvalidParameterError, ["'lam' parameter of ProbeBasis.mse", "Got -1 instead"]),
    ("ProbeBasis.validation_mse(lam='x')", lambda: _probe_mse("x"),
     InvalidParameterError, ["'lam' parameter of ProbeBasis.mse", "Got 'x' instead"]),
    # strategies
    ("for_class([])", lambda: _strategies.for_class([]),
     UnknownNameError, ["Unknown class with a strategy []", "junta"]),
    ("class_params(np.array([1, 2]))", lambda: _strategies.class_params(np.array([1, 2])),
     UnknownNameError, ["Unknown class with a strategy", "array([1, 2])"]),
    ("decision_trees(shuffle=array)", lambda: _strategies.decision_trees(shuffle=np.array([1, 2])),
     InvalidParameterError, ["'shuffle' parameter of decision_trees", "True or False"]),
    ("decision_trees(shuffle=3)", lambda: _strategies.decision_trees(shuffle=3),
     InvalidParameterError, ["'shuffle' parameter of decision_trees", "Got 3 instead"]),
    ("halfspaces(ties='x')", lambda: _strategies.halfspaces(ties="x"),
     InvalidParameterError, ["'ties' parameter of halfspaces", "Got 'x' instead"]),
    ("distributions(kinds=3)", lambda: _strategies.distributions(kinds=3),
     InvalidParameterError, ["'kinds' parameter of distributions", "Got 3 instead"]),
    ("distributions(kinds=array)", lambda: _strategies.distributions(kinds=np.array([1, 2])),
     InvalidParameterError, ["'kinds' parameter of distributions"]),
]


@pytest.mark.parametrize("label, call, error, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_value_is_refused(label, call, error, fragments):
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (label, str(info.value))


def test_good_values_still_work(tmp_path):
    frontier = Frontier.from_errors([_LEAF, pd.DecisionTree.from_nested(
        3, {"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": -1}})], np.array([40, 10]),
        n=np.int64(100), d=3, delta=0.05, max_leaves=2)
    assert frontier.sizes.tolist() == [1, 2]
    assert frontier.fidelity.tolist() == [0.6, 0.9]
    assert frontier.plot(color="k", linewidth=2).get_lines()[0].get_color() == "k"
    model = pd.distill.from_callables(lambda X: X[:, 0], lambda X: X * 1.0, d=3)
    assert model.predict([[-1, 1, 1]]).tolist() == [-1]
    assert model.activations([[-1, 1, 1]]).tolist() == [[-1.0, 1.0, 1.0]]
    saved = _counterexample().save(tmp_path / "cx.json")
    assert Counterexample.load(saved.path) == saved
    assert _strategies.decision_trees(shuffle=np.True_) is not None
    assert _strategies.distributions(kinds=["uniform"]) is not None
    table = _graph().solve(max_leaves=2)
    assert table.errors(0).tolist() == [4, 0]          # x_0 alone labels y
    assert ProbeBasis.build(_PHI[:4], _PHI[4:].tolist()).n_val == 2
    assert np.isfinite(_probe_mse(1e-3)).all() and np.isfinite(_probe_mse(0)).all()
    assert table.nested(0, 2) == {"var": 0, "plus": {"leaf": 1}, "minus": {"leaf": -1}}


def test_refused_save_writes_nothing(tmp_path):
    target = tmp_path / "sub" / "cx.json"
    with pytest.raises(SerializationError, match="would not load back"):
        _counterexample(seed="x").save(target)
    assert not target.parent.exists()
