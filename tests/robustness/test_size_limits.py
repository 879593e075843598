"""Sizes past a documented limit are refused quickly, with the limit named
(issue 9, deliverable 4): TooLargeError, never a MemoryError, an overflow deep
inside numpy, or minutes of work. Exhaustive routines suggest sampling.

Each call is timed with a functional bound (``FAST`` seconds): a refusal
computes nothing, so it returns at once on any machine.
"""

import time

import pytest

import pacdistill as pd
from pacdistill.errors import TooLargeError

#: seconds within which a refusal must come (it computes nothing)
FAST = 2.0
HUGE = 10**30


def refused(call, *, match=None):
    """Run ``call``; it must raise TooLargeError within FAST seconds."""
    start = time.perf_counter()
    with pytest.raises(TooLargeError, match=match) as info:
        call()
    assert time.perf_counter() - start < FAST
    return info.value


# -- DNF / CNF: the literal matrix has a column per variable that occurs -----------

@pytest.mark.parametrize("cls", [pd.DNF, pd.CNF])
def test_normal_form_on_a_huge_cube_costs_what_it_holds(cls):
    """d = 10^12 with one literal: no (s, d) matrix is allocated."""
    f = cls(10**12, [[(10**12 - 1, 1)], []])
    assert f.size() == {"d": 10**12, "s": 2, "w": 1}
    assert cls(HUGE, []).size()["d"] == HUGE


@pytest.mark.parametrize("cls", [pd.DNF, pd.CNF])
def test_normal_form_past_the_literal_matrix_limit(cls):
    n = 9000  # 9000 sets x 9000 distinct variables > 2^26 entries
    sets = [[(i, 1)] for i in range(n)]
    refused(lambda: cls(n, sets), match="MAX_LITERAL_CELLS")
