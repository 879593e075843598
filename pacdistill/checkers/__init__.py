"""Checkers: disagreement and equivalence checks, guarantee conformance and the
public hypothesis strategies for every model class."""

import importlib
from typing import TYPE_CHECKING

from .._lazy import attach

if TYPE_CHECKING:  # for type checkers; at run time each name loads on first use
    from . import agreement, conformance, edge_checks, strategies
    from .agreement import Equivalence, Estimate, clopper_pearson, disagreement, equivalent
    from .conformance import (
        ConformanceReport,
        Counterexample,
        ReplayResult,
        assert_conforms,
        check_family,
        check_reduction,
        conformance_test,
        replay,
    )
    from .queries import QueryCounter

# Lazy (PEP 562, pacdistill._lazy): ``strategies`` needs hypothesis and the
# conformance checks sympy; the reductions import ``_models`` alone.
__getattr__, __dir__ = attach(__name__, {
    **dict.fromkeys(["Estimate", "Equivalence", "clopper_pearson", "disagreement",
                     "equivalent"], "agreement"),
    **dict.fromkeys(["ConformanceReport", "Counterexample", "ReplayResult", "assert_conforms",
                     "check_family", "check_reduction", "conformance_test", "replay"],
                    "conformance"),
    "QueryCounter": "queries",
}, ("agreement", "conformance", "edge_checks", "strategies", "queries", "_models", "_opt",
    "_sources", "_witness"))



def _register_strategies() -> None:
    """The ``hypothesis`` entry point (pyproject.toml), called when hypothesis is
    imported: importing :mod:`.strategies` registers a strategy for every model
    and distribution type, so ``st.from_type(pd.DNF)`` works without naming the
    module (as when ``import pacdistill`` imported the checkers eagerly).

    It runs inside every ``import hypothesis`` of the environment, so it never
    raises: a pacdistill that cannot import (an older checkout first on the
    path) warns instead of breaking hypothesis for unrelated code."""
    try:
        importlib.import_module(f"{__name__}.strategies")
    except Exception as err:        # see the docstring
        import warnings

        warnings.warn(f"pacdistill could not register its hypothesis strategies "
                      f"(st.from_type of its model types): {type(err).__name__}: {err}",
                      RuntimeWarning, stacklevel=2)


__all__ = [
    "agreement",
    "conformance",
    "edge_checks",
    "strategies",
    "Estimate",
    "Equivalence",
    "clopper_pearson",
    "disagreement",
    "equivalent",
    "QueryCounter",
    "ConformanceReport",
    "Counterexample",
    "ReplayResult",
    "assert_conforms",
    "check_family",
    "check_reduction",
    "conformance_test",
    "replay",
]
