"""Each learning edge's default n is the catalog's bound at (eps, delta), checked
against THEORY §4's formulas written out here by hand with math (not through the
catalog, which the edges use: a drift in either shows).

At d = 10, eps = 0.1, delta = 0.05 (ln is natural log):

- conjunctions, (ln(3^d + 1) + ln(1/delta)) / eps = 139.8 -> 140;
- 1-decision lists of length d, (d ln(4d) + ln 2 + ln(1/delta)) / eps = 405.6 -> 406;
- halfspaces, v = d + 1: max((4/eps) log2(2/delta), (8v/eps) log2(13/eps)) = 6179.2 -> 6180;
- parities, (d ln 2 + ln(1/delta)) / eps = 99.3 -> 100;
- 3-juntas, (ln C(d, 3) + 2^3 ln 2 + ln(1/delta)) / eps = 133.3 -> 134;
- agnostic 3-juntas, 2 (ln C(d, 3) + 2^3 ln 2 + ln(2/delta)) / eps^2 = 2804.3 -> 2805.
"""

import math

import pytest

import pacdistill as pd
from pacdistill.reductions.erm_junta import erm_junta
from pacdistill.reductions.learn_conjunction import learn_conjunction
from pacdistill.reductions.learn_decision_list import learn_decision_list
from pacdistill.reductions.learn_halfspace import learn_halfspace
from pacdistill.reductions.learn_junta import learn_junta
from pacdistill.reductions.learn_parity import learn_parity

D, EPS, DELTA = 10, 0.1, 0.05
LN = math.log
JUNTA3 = LN(math.comb(D, 3)) + 8 * LN(2)

CASES = [
    (learn_conjunction, {}, (LN(3**D + 1) + LN(1 / DELTA)) / EPS, 140),
    (learn_decision_list, {}, (D * LN(4 * D) + LN(2) + LN(1 / DELTA)) / EPS, 406),
    (learn_halfspace, {}, max(4 / EPS * math.log2(2 / DELTA),
                              8 * (D + 1) / EPS * math.log2(13 / EPS)), 6180),
    (learn_parity, {}, (D * LN(2) + LN(1 / DELTA)) / EPS, 100),
    (learn_junta, {"k": 3}, (JUNTA3 + LN(1 / DELTA)) / EPS, 134),
    (erm_junta, {"k": 3}, 2 * (JUNTA3 + LN(2 / DELTA)) / EPS**2, 2805),
]


@pytest.mark.parametrize("learn, options, formula, expected", CASES,
                         ids=[case[0].name for case in CASES])
def test_default_n_is_theory_s_bound(learn, options, formula, expected):
    assert math.ceil(formula) == expected
    # n does not depend on f: a source in the promise class (a parity for
    # learn_parity; a conjunction, which is also a 1-DL, a halfspace and a 3-junta)
    f = pd.Parity(D, [1]) if learn is learn_parity else pd.Conjunction(D, [(1, 1)])
    res = learn(f, eps=EPS, delta=DELTA, rng=0, **options)
    assert res.report["samples_needed"] == expected
    assert res.report["samples_used"] == expected and res.report["n_source"] == "catalog"
    given = learn(f, eps=EPS, delta=DELTA, rng=0, n=37, **options)
    assert given.report["samples_used"] == 37 and given.report["n_source"] == "given"
    assert given.report["samples_needed"] == expected
