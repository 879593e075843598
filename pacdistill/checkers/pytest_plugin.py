"""pytest plugin of pacdistill (entry point ``pytest11: pacdistill``): property-test a
reduction against its declared Guarantee in one line.

With pacdistill installed, pytest loads this plugin by itself. It provides

- the fixture ``conformance``: ``conformance(reduction, **options)`` runs
  :func:`pacdistill.checkers.assert_conforms` with counterexamples saved in the
  test's ``tmp_path`` (the failure message holds the replay command);
- the options ``--conformance-seed N`` and ``--conformance-trials N`` (defaults
  of every ``conformance`` call that does not set them; a new seed draws new
  instances).

One line in a test file, with or without the plugin::

    test_my_edge = pd.checkers.conformance_test(my_edge)

or, with the fixture::

    def test_my_edge(conformance): conformance(my_edge)

Loading the plugin imports only pacdistill's lazy package shell (no numpy, no
harness: 7 ms measured); the harness is imported when a fixture is used, so the
plugin costs nothing to test runs that do not use it.
"""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["conformance", "pytest_addoption"]


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("pacdistill", "pacdistill guarantee conformance")
    group.addoption("--conformance-seed", type=int, default=None, metavar="N",
                    help="seed of the conformance fixture's checks (default 0)")
    group.addoption("--conformance-trials", type=int, default=None, metavar="N",
                    help="trials (or hypothesis examples) of the conformance fixture's checks")


@pytest.fixture
def conformance(request: Any, tmp_path: Any) -> Any:
    """``conformance(reduction, **options)``: check a Reduction (or a family, or
    a registered name) with :func:`pacdistill.checkers.assert_conforms` and fail
    the test with each failure's counterexample and replay command. Returns the
    ConformanceReports."""
    from .conformance import assert_conforms

    defaults = {"save_dir": tmp_path / "counterexamples"}
    seed = request.config.getoption("conformance_seed", None)
    trials = request.config.getoption("conformance_trials", None)
    if seed is not None:
        defaults["seed"] = seed
    if trials is not None:
        defaults["trials"] = trials

    def check(reduction: Any, **options: Any) -> Any:
        return assert_conforms(reduction, **{**defaults, **options})

    return check
