"""``pd.reductions.get``: an unknown name gets close matches, each family listed once
(the same message as ``pacdistill check``; it listed all 96 edges)."""

from __future__ import annotations

import pytest

import pacdistill as pd
from pacdistill.errors import UnknownNameError
from pacdistill.reductions._registry import get


def test_get_returns_the_registered_edge():
    assert get("junta_to_tree") is pd.reductions.REGISTRY["junta_to_tree"]


def test_an_unknown_name_lists_families_once():
    with pytest.raises(UnknownNameError) as info:
        get("learn_juntaa")
    message = str(info.value)
    assert "Did you mean 'learn_junta'" in message
    assert "learn_junta[<class>]" in message and "learn_junta[dnf]" not in message
    assert len(message) < 1500


def test_a_familys_edge_from_an_unknown_class_lists_that_familys_edges():
    with pytest.raises(UnknownNameError, match=r"Did you mean 'learn_junta\[junta\]'") as info:
        get("learn_junta[juntaa]")
    assert "tree_to_dnf" not in str(info.value)


@pytest.mark.parametrize("name", [None, 3, ("learn_junta",)])
def test_a_name_that_is_not_a_string_is_unknown(name):
    with pytest.raises(UnknownNameError):
        get(name)
