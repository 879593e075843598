"""Route.run's check of the steps' options (pacdistill._web.options, THEORY §3 note:
a step's own sizes). A later step whose input size the earlier size maps tie to a
renamed option (k_2) must get that option's value; the value may be any integer
type (numpy's too), not only a Python int."""

from __future__ import annotations

import numpy as np
import pytest

import pacdistill as pd
from pacdistill._web.options import input_size
from pacdistill._web.records import Route
from pacdistill.bounds.compose import compose_all
from pacdistill.reductions import REGISTRY

NAMES = ("conjunction_to_decision_list", "erm_junta[decision_list]", "erm_junta[junta]")


def _route():
    """conjunction -> decision_list -> junta (the learner's k is k_2) -> junta (the
    second learner reads its k as its input junta's, which is k_2)."""
    steps = tuple(REGISTRY[name] for name in NAMES)
    return Route(steps, compose_all([red.guarantee for red in steps]), ())


@pytest.mark.parametrize("two", [2, np.int64(2), np.int32(2), np.uint8(2)])
def test_a_later_steps_input_size_is_read_through_a_renamed_option(two):
    route = _route()
    assert route.options == {"k_2": (2, "erm_junta[decision_list]", "k")}
    assert input_size(route, 3, "k", {"d": 8, "k": 5, "k_2": two}) == (2, "k_2")
    f = pd.Conjunction(8, [(0, 1), (1, -1), (2, 1), (3, 1), (4, 1)])
    with pytest.raises(pd.errors.InvalidParameterError,
                       match=r"give step 3 \(erm_junta\[junta\]\) k = 3, .*\(junta\) k_2 = 2"):
        route.run(f, eps=0.3, delta=0.2, rng=0,
                  step_options={NAMES[1]: {"k": two}, NAMES[2]: {"k": 3}})


def test_bools_and_non_integers_give_no_size():
    route = _route()
    assert input_size(route, 3, "k", {"d": 8, "k": 5, "k_2": True}) is None
    assert input_size(route, 3, "k", {"d": 8, "k": 5, "k_2": 2.5}) is None
