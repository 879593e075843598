"""The shared symbols carry the assumptions issue 3 item 1 asks for: every one
positive, and integer exactly where it counts something (THEORY §1-§7)."""

import pytest

from pacdistill.bounds import symbols as S

#: counts (dimensions, sizes, numbers of samples, points, levels): positive integers
COUNTS = ["d", "k", "r", "s", "l", "w", "m", "L", "n", "t", "v", "N", "S"]
#: real quantities (accuracies, probabilities, norms, ln|G|, the constant C)
REALS = ["eps", "delta", "tau", "B", "C", "gamma", "log_size"]


def test_every_shared_symbol_is_listed_once():
    assert sorted(S.SYMBOLS) == sorted(COUNTS + REALS)
    assert S.INTEGER_SYMBOLS == frozenset(COUNTS)


@pytest.mark.parametrize("name", COUNTS)
def test_counts_are_positive_integers(name):
    sym = S.SYMBOLS[name]
    assert sym is getattr(S, name)
    assert sym.is_integer is True and sym.is_positive is True


@pytest.mark.parametrize("name", REALS)
def test_real_quantities_are_positive_reals_not_integers(name):
    """eps = 1/2 or log_size = 13.86 must be values the symbol admits: a real
    symbol declared integer would let sympy 'prove' eps >= 1."""
    sym = S.SYMBOLS[name]
    assert sym is getattr(S, name)
    assert sym.is_real is True and sym.is_positive is True
    assert sym.is_integer is None  # not known to be an integer


def test_opt_and_per_step_symbols():
    """OPT_G is an error rate (nonnegative, may be 0); per-step budgets are
    positive reals like eps and delta; a step's own size keeps its integrality."""
    opt = S.OPT("junta")
    assert opt.is_nonnegative is True and opt.is_positive is None
    for budget in (S.step_eps(2), S.step_delta(3)):
        assert budget.is_positive is True and budget.is_integer is None
    k2 = S.step_option(S.k, 2)
    assert k2.is_integer is True and k2.is_positive is True
