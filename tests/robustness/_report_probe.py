"""Run by test_fuzz_report.py in a pytest of its own (not collected by the suite:
its name does not start with test_): two cheap fuzz tests whose counts the
session's table must report."""

from _fuzzing import fuzz
from hypothesis import strategies as st


@fuzz("report probe: integers", st.integers())
def test_probe_integers(x):
    pass


@fuzz("report probe: text", st.text(max_size=3))
def test_probe_text(x):
    pass
