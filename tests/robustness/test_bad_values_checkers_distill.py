"""Bad values at the checkers' and the distillation baselines' entry points
(session 8 robustness audit): each is refused with the library's one message
format (a PacDistillError naming the parameter and the value), never a bare
AttributeError, TypeError, MemoryError or OverflowError from deep inside.

And the all-ANDs baseline refuses a huge candidate set at once: it sums the
count of ANDs only until the sum passes ``max_ands`` (the count itself is
checked without a timer, by counting the binomial terms it evaluates).
"""

import matplotlib
import numpy as np
import pytest

import pacdistill as pd
from pacdistill.distill import baselines
from pacdistill.distill.frontier import Frontier
from pacdistill.errors import InvalidParameterError, UnknownNameError

matplotlib.use("Agg")

_HUGE = 10**30


def _frontier():
    leaf = pd.DecisionTree.from_nested(3, {"leaf": 1})
    return Frontier.from_errors([leaf], [7], n=100, d=3, delta=0.05, max_leaves=1)


_strategies = pd.checkers.strategies

#: (label, call, error class, fragments of the message: the parameter, the value)
CASES = [
    # checkers.check_family: a name resolved as `pacdistill check` does, else refused
    ("check_family(3)", lambda: pd.checkers.check_family(3),
     InvalidParameterError, ["'family' parameter of check_family", "Got 3 instead"]),
    ("check_family([3])", lambda: pd.checkers.check_family([3]),
     InvalidParameterError, ["'family' parameter of check_family", "Got [3] instead"]),
    ("check_family('learn_juntaa')", lambda: pd.checkers.check_family("learn_juntaa"),
     UnknownNameError, ["'learn_juntaa'", "learn_junta"]),
    # strategies: sizes bounded by MAX_D / MAX_TERMS / MAX_LAYERS
    ("parities(max_d=10**30)", lambda: _strategies.parities(max_d=_HUGE),
     InvalidParameterError, ["'max_d' parameter of parities", "[1, 256]", str(_HUGE)]),
    ("conjunctions(min_d=max_d=10**30)",
     lambda: _strategies.conjunctions(min_d=_HUGE, max_d=_HUGE),
     InvalidParameterError, ["'min_d' parameter of conjunctions", str(_HUGE)]),
    ("CLASSES['junta'].strategy(max_d=10**30)",
     lambda: pd.CLASSES["junta"].strategy(max_d=_HUGE),
     InvalidParameterError, ["'max_d' parameter of juntas", str(_HUGE)]),
    ("CLASSES['halfspace'].strategy(max_d=10**30)",
     lambda: pd.CLASSES["halfspace"].strategy(max_d=_HUGE),
     InvalidParameterError, ["'max_d' parameter of halfspaces", str(_HUGE)]),
    ("dnfs(max_s=10**30)", lambda: _strategies.dnfs(max_s=_HUGE),
     InvalidParameterError, ["'max_s' parameter of dnfs", "[0, 64]", str(_HUGE)]),
    ("decision_lists(min_l=10**6)", lambda: _strategies.decision_lists(min_l=10**6, max_l=10**6),
     InvalidParameterError, ["'min_l' parameter of decision_lists", "1000000"]),
    ("relu_networks(max_L=10**30)", lambda: _strategies.relu_networks(max_L=_HUGE),
     InvalidParameterError, ["'max_L' parameter of relu_networks", "[1, 16]", str(_HUGE)]),
    # distill.baselines.count_ands
    ("count_ands(None, 2)", lambda: baselines.count_ands(None, 2),
     InvalidParameterError, ["'d' parameter of count_ands", "Got None instead"]),
    ("count_ands(3, 'x')", lambda: baselines.count_ands(3, "x"),
     InvalidParameterError, ["'depth' parameter of count_ands", "Got 'x' instead"]),
    ("count_ands(3, 2, limit=-1)", lambda: baselines.count_ands(3, 2, limit=-1),
     InvalidParameterError, ["'limit' parameter of count_ands", "Got -1 instead"]),
    # distill.frontier.Frontier
    ("Frontier.smallest(None)", lambda: _frontier().smallest(None),
     InvalidParameterError, ["'target' parameter of Frontier.smallest", "Got None instead"]),
    ("Frontier.smallest(1.5)", lambda: _frontier().smallest(1.5),
     InvalidParameterError, ["'target' parameter of Frontier.smallest", "Got 1.5 instead"]),
    ("Frontier.plot(ax=3)", lambda: _frontier().plot(ax=3),
     InvalidParameterError, ["'ax' parameter of Frontier.plot", "matplotlib Axes",
                             "Got 3 instead"]),
]


@pytest.mark.parametrize("label, call, error, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_value_is_refused(label, call, error, fragments):
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value), (label, str(info.value))


def test_check_family_takes_a_family_name():
    """A family's name checks every edge of it, as `pacdistill check NAME` does."""
    from pacdistill.reductions._registry import FAMILIES

    family = FAMILIES["to_lookup_table"]
    reports = pd.checkers.check_family("to_lookup_table", trials=1, smoke_trials=1, max_d=2)
    assert sorted(r.reduction for r in reports) == sorted(e.name for e in family.edges.values())
    assert all(r.passed for r in reports)
    named = pd.checkers.assert_conforms("to_lookup_table", trials=1, smoke_trials=1, max_d=2)
    assert len(named) == len(reports)


def test_count_ands_limit_keeps_the_exact_count():
    # 1 + C(100, 1) 2 + C(100, 2) 4 + C(100, 3) 8
    exact = 1 + 200 + 19800 + 161700 * 8
    assert baselines.count_ands(100, 3) == exact
    assert baselines.count_ands(100, 3, limit=exact) == exact  # never past the limit
    assert baselines.count_ands(100, 3, limit=20_000) == 1 + 200 + 19800  # first sum > 20000
    assert baselines.count_ands(5, 9) == 3**5  # terms past j = d are 0


def test_all_ands_baseline_refuses_a_huge_candidate_set_at_once(monkeypatch):
    """d = 10^6, depth = 10^5: the whole sum (10^5 binomials of 10^5-digit
    numbers) ran for minutes; the refusal needs the first 2 terms only
    (1 + C(10^6, 1) 2 > max_ands = 200000). Counted, not timed."""
    calls = []
    comb = baselines.comb

    def counting(n, k):
        calls.append(k)
        return comb(n, k)

    monkeypatch.setattr(baselines, "comb", counting)
    X = np.ones((1, 10**6), dtype=np.int8)
    base = baselines.all_ands_baseline(X, np.ones(1, dtype=np.int8), depth=10**5)
    assert base.tree is None and np.isnan(base.fidelity)
    assert "not run: more than 2,000,001 ANDs of depth <= 100000" in base.note
    assert calls == [0, 1]
