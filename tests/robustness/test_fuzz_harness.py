"""The fuzz harness itself (tests/robustness/_fuzzing.py) can fail, and counts
truthfully: a fuzz test built with ``fuzz`` fails when its entry point raises
anything but a PacDistillError (a bare ValueError, IndexError, RecursionError),
burns CPU past the per-case bound, or runs fewer than MIN_CASES cases; a case
hypothesis rejects (``assume``) is not counted as a fuzz case.

Each self-test runs under a private entry name, removed from the counters
afterwards so that the per-entry-point table reports only real entry points.
"""

import os
import time

import pytest
from _fuzzing import ACCEPTED, CANARY, COUNTS, MIN_CASES, SLOWEST, canary_tripped, fuzz
from hypothesis import assume
from hypothesis import strategies as st

from pacdistill.errors import InvalidParameterError

ENTRY = "harness self-test"


@pytest.fixture(autouse=True)
def _forget_the_self_test():
    yield
    for table in (COUNTS, ACCEPTED, SLOWEST):
        table.pop(ENTRY, None)


def _fails_on(exc_type):
    """A fuzz test whose entry point raises ``exc_type`` on inputs over 100."""
    @fuzz(ENTRY, st.integers(0, 1000))
    def body(x):
        if x > 100:
            raise exc_type("deep inside numpy")
    return body


@pytest.mark.parametrize("exc_type", [ValueError, IndexError, RecursionError, TypeError,
                                      KeyError, MemoryError, ZeroDivisionError])
def test_a_bare_exception_fails_the_fuzz_test(exc_type):
    with pytest.raises(exc_type):
        _fails_on(exc_type)()


def test_a_pacdistill_error_is_an_allowed_outcome():
    _fails_on(InvalidParameterError)()
    assert COUNTS[ENTRY] >= MIN_CASES
    assert 0 < ACCEPTED[ENTRY] < COUNTS[ENTRY]  # both outcomes happened


def test_a_case_burning_cpu_past_the_bound_fails():
    @fuzz(ENTRY, st.just(0), seconds=0.02)  # one input: nothing to shrink
    def body(x):
        end = time.process_time() + 0.05  # CPU, not waiting: a loaded machine is no excuse
        while time.process_time() < end:
            pass

    with pytest.raises(AssertionError, match="the case took"):
        body()


def test_too_few_cases_fail_the_count_check():
    """Three possible inputs: hypothesis stops after 3 cases, short of MIN_CASES."""
    @fuzz(ENTRY, st.sampled_from([1, 2, 3]))
    def body(x):
        pass

    with pytest.raises(AssertionError, match=f"only 3 fuzz cases ran \\(need {MIN_CASES}\\)"):
        body()


def test_an_input_that_gets_executed_fails_the_fuzz_test():
    """'no code executed from input': an entry point that ran a payload (here the
    effect of running one, the canary file appearing) fails, though it raised
    nothing."""
    @fuzz(ENTRY, st.just(0))
    def body(x):
        with open(CANARY, "w"):
            pass

    try:
        with pytest.raises(AssertionError, match="a payload was executed"):
            body()
    finally:
        os.remove(CANARY)  # every later case checks the canary
    assert not canary_tripped()


def test_the_minimum_is_the_issues_200():
    """Issue 9's acceptance names 200 cases per entry point: a lowered MIN_CASES (or
    a lower default of fuzz's max_examples) would let every fuzz test pass with
    fewer, and the count checks above would follow it down."""
    assert MIN_CASES >= 200

    @fuzz(ENTRY, st.integers())
    def body(x):
        pass

    body()
    assert COUNTS[ENTRY] >= 200


def test_rejected_cases_are_not_counted():
    """The table reported 217 cases of 'cli demo' where 200 ran: the 17 inputs its
    test rejected with assume() were counted as cases."""
    ran = []

    @fuzz(ENTRY, st.integers(0, 1000))
    def body(x):
        assume(x % 3)
        ran.append(x)

    body()
    assert COUNTS[ENTRY] == len(ran) >= MIN_CASES
