"""pd.checkers.strategies.class_params: parameter tuples within bounds (issue 7
item 1), one per class, each the size of a real member of the class."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pacdistill as pd
from pacdistill.checkers import strategies as S

NAMES = sorted(pd.CLASSES)


@pytest.mark.parametrize("name", NAMES)
def test_every_class_has_parameter_tuples_named_like_its_params(name):
    """Keys are the class's parameter names; values are positive integers where
    the class says they are (the cube's d at least 1)."""
    want = {sym.name for sym in pd.CLASSES[name].params}

    @given(S.class_params(name))
    @settings(max_examples=15)
    def check(params):
        assert set(params) == want
        assert all(isinstance(v, int) and v >= 0 for v in params.values())
        assert params["d"] >= 1

    check()


@given(st.data())
@settings(max_examples=25)
def test_bounds_and_constraints_hold(data):
    """Bounds are honoured and constraints between parameters hold (k <= d)."""
    max_d = data.draw(st.integers(1, 8))
    params = data.draw(S.class_params("junta", max_d=max_d, max_k=3))
    assert 1 <= params["d"] <= max_d and params["k"] <= min(3, params["d"])


def test_unknown_bounds_are_refused():
    with pytest.raises(pd.errors.InvalidParameterError, match="takes the bounds"):
        S.class_params("junta", max_depth=2)
