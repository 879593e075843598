"""Evaluating a guarantee with binomial/factorial/catalan at large arguments stays
quick (Guarantee.at, THEORY §4 class sizes). lrh_tree's sample bound (the
catalog's lrh_trees, THEORY §5 correction) has ln Catalan(s - 1): at s = 10^5 the
exact Catalan number (60,000 digits) took about 10 s, though Guarantee.at keeps
50 digits of every value; the exact integer is now built only when it has at most
1,000 digits (cheap), else the value goes through 50-digit Floats (the gamma
function), as arguments past 10^5 already did."""

from __future__ import annotations

import math

import pytest
import sympy
from _timing import quick

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds.guarantee import Guarantee
from pacdistill.reductions.lrh_tree import samples_for


def _lrh_trees(s: int, d: int, eps: float, delta: float) -> float:
    log_catalan = math.lgamma(2 * s - 1) - 2 * math.lgamma(s) - math.log(s)
    return 2 * ((s - 1) * math.log(d) + (s + 1) * math.log(2) + log_catalan
                + math.log(4 / delta)) / eps**2


@pytest.mark.parametrize("s", [99_999, 100_000])
def test_lrh_tree_samples_at_many_leaves_are_quick_and_right(s):
    with quick(1.0):
        n = samples_for(d=30, r=20, s=s, eps=0.1, delta=0.05)
    want = _lrh_trees(s, 30, 0.1, 0.05)  # about 1.1e8, to about 1e-6 in double precision
    assert want - 1e-3 <= n < want + 1 + 1e-3  # rounded up


def test_a_huge_binomial_inside_a_log_is_quick():
    g = Guarantee("exact", "junta", "junta", "x", time=sympy.log(sympy.binomial(S.d, S.k)))
    with quick(1.0):
        value = g.at(fields=["time"], d=100_000, k=50_000).time
    want = math.lgamma(100_001) - 2 * math.lgamma(50_001)
    assert value == pytest.approx(want, rel=1e-12)


def test_small_counts_are_exact_and_large_ones_keep_fifty_digits():
    """Small factorial-like counts are exact integers; a 121-digit one (binomial(10^5,
    30)) is, as before, right to the 50 digits Guarantee.at carries."""
    g = Guarantee("exact", "junta", "junta", "x", queries=sympy.binomial(S.d, S.k))
    assert g.at(fields=["queries"], d=40, k=20).queries == math.comb(40, 20)
    assert g.at(fields=["queries"], d=5, k=7).queries == 0
    big = g.at(fields=["queries"], d=100_000, k=30).queries
    assert abs(big - math.comb(100_000, 30)) <= math.comb(100_000, 30) // 10**48
    g = Guarantee("exact", "junta", "junta", "x", queries=sympy.catalan(S.k))
    assert g.at(fields=["queries"], d=50, k=30).queries == math.comb(60, 30) // 31
    assert pd.bounds.catalog["lrh_trees"].evaluate(eps=0.1, delta=0.05, s=4, d=10) == 3273
