"""Root conftest: doctest namespace and hypothesis profiles for the whole suite."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import pacdistill

# 'ci' is the default: deterministic (derandomized), so CI runs are reproducible;
# 'dev' explores more examples with fresh randomness.
settings.register_profile(
    "ci", max_examples=30, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=200, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["pd"] = pacdistill
    doctest_namespace["np"] = np
