"""Session hooks for the robustness suite's fuzz counts (issue 9).

``tests/robustness/_fuzzing.py`` counts the fuzz cases run per entry point in
each process (and how many inputs were accepted rather than refused with a
PacDistillError). At the end of the session the counts are printed as a table,
summed over pytest-xdist workers (each worker hands its counts to the
controller through ``workeroutput``). These hooks live here, not in
``tests/robustness/conftest.py``, because under xdist the controller process
only loads the conftest files of the initial paths (this one), never those of
subdirectories. Nothing is printed when no fuzz test ran.
"""

import json
import sys
from collections import Counter

import pytest

_KEY = "pacdistill_fuzz_counts"
_MIN_CASES = 200  # tests/robustness/_fuzzing.MIN_CASES
_totals: Counter = Counter()
_accepted: Counter = Counter()
_slowest: dict = {}


def _local():
    module = sys.modules.get("_fuzzing")
    if module is None:
        return {}
    return {"counts": dict(module.COUNTS), "accepted": dict(module.ACCEPTED),
            "slowest": dict(module.SLOWEST)}


def _merge(data):
    _totals.update(data.get("counts", {}))
    _accepted.update(data.get("accepted", {}))
    for name, seconds in data.get("slowest", {}).items():
        _slowest[name] = max(_slowest.get(name, 0.0), seconds)


def pytest_sessionfinish(session):
    data = _local()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the counts over
        workeroutput[_KEY] = json.dumps(data)
    else:
        _merge(data)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _merge(json.loads(getattr(node, "workeroutput", {}).get(_KEY, "{}") or "{}"))


def pytest_terminal_summary(terminalreporter):
    if not _totals:
        return
    tr = terminalreporter
    tr.section("robustness: fuzz cases per entry point")
    width = max(len(name) for name in _totals)
    tr.write_line(f"{'entry point'.ljust(width)}  {'cases':>6}  {'accepted':>8}  "
                  f"{'slowest':>8}")
    for name in sorted(_totals):
        flag = "" if _totals[name] >= _MIN_CASES else f"  < {_MIN_CASES}!"
        tr.write_line(f"{name.ljust(width)}  {_totals[name]:>6}  {_accepted[name]:>8}  "
                      f"{_slowest.get(name, 0.0):>7.3f}s{flag}")
    tr.write_line(f"{len(_totals)} entry points, {sum(_totals.values())} cases in all")
