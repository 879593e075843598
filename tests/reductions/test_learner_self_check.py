"""The consistent learners' final self-check (issue 4 item 3: never a wrong model
silently; ``_learning.check_consistent``).

Each learner checks its output against every labelled example before returning
it. On a correct learner the check never fires, so the tests of each learner
cannot tell whether it runs: here the class each learner builds its output with
is replaced by one building a wrong model (negated, or one variable toggled), and
the learner must raise GuaranteeViolation naming itself, with the sample and the
output as the counterexample. Mutation audit: the check made a no-op passed the
learners' tests and tests/checkers (447 tests; none named the check or its message).
"""

from __future__ import annotations

import numpy as np
import pytest

import pacdistill as pd
from pacdistill.reductions import learn_conjunction as lc
from pacdistill.reductions import learn_decision_list as ldl
from pacdistill.reductions import learn_halfspace as lh
from pacdistill.reductions import learn_parity as lp

C = pd.CLASSES
#: module, name of its output class, a wrong variant of it, the learner, a source
CASES = [
    (lc, "Conjunction", lambda d, lits: pd.Conjunction(d, [(i, -s) for i, s in lits]),
     lc.learn_conjunction, pd.Conjunction(6, [(0, 1), (3, -1)])),
    (ldl, "DecisionList",
     lambda d, rules, default: pd.DecisionList(d, [(lits, -out) for lits, out in rules],
                                               -default),
     ldl.learn_decision_list, pd.DecisionList(6, [([(1, 1)], -1), ([(4, -1)], 1)], 1)),
    (lh, "Halfspace", lambda w, b: pd.Halfspace(-np.asarray(w), -b),
     lh.learn_halfspace, pd.Halfspace([1.0, -2.0, 0.0, 1.0, 0.0, 0.0], 0.5)),
    (lp, "Parity", lambda d, vs: pd.Parity(d, sorted(set(vs) ^ {0})),
     lp.learn_parity, pd.Parity(6, [2, 5])),
]


@pytest.mark.parametrize("module, name, wrong, learn, f", CASES,
                         ids=[case[1] for case in CASES])
def test_a_wrong_output_is_refused_not_returned(monkeypatch, module, name, wrong, learn, f):
    assert learn(f, eps=0.1, delta=0.1, n=200, rng=0).model.predict(
        pd.cube.enumerate(6)).tolist() == f.predict(pd.cube.enumerate(6)).tolist()
    monkeypatch.setattr(module, name, wrong)
    with pytest.raises(pd.errors.GuaranteeViolation,
                       match=f"{learn.name} built a hypothesis that disagrees with") as info:
        learn(f, eps=0.1, delta=0.1, n=200, rng=0)
    assert f"this is a bug in {learn.name}" in str(info.value)
    sample = info.value.counterexample
    assert sample["X"].shape == (200, 6) and np.array_equal(sample["y"], f.predict(sample["X"]))
    assert (sample["output"].predict(sample["X"]) != sample["y"]).any()
