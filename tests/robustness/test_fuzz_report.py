"""The per-entry-point count is reported (issue 9's acceptance: "reports the
count per entry point"), in a real pytest run in one process, as CI runs
``python -m pytest``. A run that lost the counts would print no table, or a
zero. (Under pytest-xdist each worker's counts reach the controller through
``workeroutput``, tests/conftest.py; ``["-n", "1"]`` as a mode checks that path
too, at 7 s more, so it is left out of the suite's budget.)
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: two cheap fuzz tests of 200 cases each, in a file the suite itself does not collect
_TESTS = ["tests/robustness/_report_probe.py"]


def _run(*extra):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          *extra, *_TESTS], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


def _table(stdout):
    assert "robustness: fuzz cases per entry point" in stdout, stdout[-2000:]
    rows = dict(re.findall(r"^(report probe: \w+)\s+(\d+)\s+\d+\s+[\d.]+s", stdout, re.M))
    assert re.search(r"^2 entry points, (\d+) cases in all$", stdout, re.M), stdout[-2000:]
    return {name: int(count) for name, count in rows.items()}


@pytest.mark.parametrize("mode", [["-n", "0"]], ids=["one-process"])
def test_the_table_reports_each_entry_points_count(mode):
    table = _table(_run(*mode))
    assert set(table) == {"report probe: integers", "report probe: text"}, table
    assert all(count >= 200 for count in table.values()), table


def _session_hooks(config):
    """The hook module tests/conftest.py, as pytest registered it."""
    for plugin in config.pluginmanager.get_plugins():
        if str(getattr(plugin, "__file__", "")).endswith(os.path.join("tests", "conftest.py")):
            return plugin
    raise AssertionError("tests/conftest.py is not registered")


class _Reporter:
    def __init__(self):
        self.lines = []

    def section(self, title):
        self.lines.append(f"== {title}")

    def write_line(self, line):
        self.lines.append(line)


def test_the_xdist_path_hands_the_counts_to_the_controller(request, monkeypatch):
    """Under pytest-xdist the counts travel from each worker (its sessionfinish
    writes them into workeroutput) to the controller (testnodedown merges them),
    then into the table; the same hooks are run here on two fake workers."""
    from collections import Counter
    from types import SimpleNamespace

    import _fuzzing

    hooks = _session_hooks(request.config)
    for table in ("_totals", "_accepted"):
        monkeypatch.setattr(hooks, table, Counter())
    monkeypatch.setattr(hooks, "_slowest", {})
    for counts in ({"a probe": 150, "b probe": 200}, {"a probe": 60}):
        monkeypatch.setattr(_fuzzing, "COUNTS", Counter(counts))
        monkeypatch.setattr(_fuzzing, "ACCEPTED", Counter({k: 1 for k in counts}))
        monkeypatch.setattr(_fuzzing, "SLOWEST", {k: 0.5 for k in counts})
        worker = SimpleNamespace(config=SimpleNamespace(workeroutput={}))
        hooks.pytest_sessionfinish(worker)  # in the worker
        hooks.pytest_testnodedown(SimpleNamespace(workeroutput=worker.config.workeroutput),
                                  None)    # in the controller
    reporter = _Reporter()
    hooks.pytest_terminal_summary(reporter)
    text = "\n".join(reporter.lines)
    assert re.search(r"^a probe\s+210\s+2\s+0\.500s$", text, re.M), text
    assert re.search(r"^b probe\s+200\s+1\s+0\.500s$", text, re.M), text
    assert "2 entry points, 410 cases in all" in text
