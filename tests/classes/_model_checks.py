"""Checks shared by the model-class tests (tests/classes)."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np

import pacdistill as pd

__all__ = ["assert_json_round_trip", "assert_predicts_like"]


def assert_json_round_trip(model) -> None:
    """to_dict -> JSON text -> model_from_dict gives a model of the same type, equal
    to ``model`` and hashing alike, with the same predictions on the whole cube."""
    back = pd.model_from_dict(json.loads(json.dumps(model.to_dict())))
    assert type(back) is type(model) and back == model and hash(back) == hash(model)
    X = pd.cube.enumerate(model.d)
    assert np.array_equal(back.predict(X), model.predict(X))


def assert_predicts_like(model, naive: Callable[[list], int]) -> np.ndarray:
    """On every point of the cube, ``model.predict`` (int8) equals ``naive(row)``,
    the class's definition evaluated one row (a list of ±1) at a time. Returns
    the predictions, in the order of ``pd.cube.enumerate(model.d)``."""
    X = pd.cube.enumerate(model.d)
    got = model.predict(X)
    assert got.dtype == np.int8
    assert got.tolist() == [naive(row) for row in X.tolist()]
    return got
