"""Checks shared by the model-class tests (tests/classes)."""

from __future__ import annotations

import json

import numpy as np

import pacdistill as pd

__all__ = ["assert_json_round_trip"]


def assert_json_round_trip(model) -> None:
    """to_dict -> JSON text -> model_from_dict gives a model of the same type, equal
    to ``model`` and hashing alike, with the same predictions on the whole cube."""
    back = pd.model_from_dict(json.loads(json.dumps(model.to_dict())))
    assert type(back) is type(model) and back == model and hash(back) == hash(model)
    X = pd.cube.enumerate(model.d)
    assert np.array_equal(back.predict(X), model.predict(X))
