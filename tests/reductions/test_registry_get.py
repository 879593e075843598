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


def test_register_refuses_what_is_not_an_algorithm_and_explains_lookalike_symbols():
    """register(...)(5) made a Reduction that failed only when run; a guarantee
    written with sympy.Symbol("k") (no pacdistill assumptions) was refused as using
    'undeclared symbols ['k'] ... Allowed: ['d', 'k']', which reads as a bug."""
    import sympy

    from pacdistill.bounds import symbols as S
    from pacdistill.bounds.guarantee import Guarantee
    from pacdistill.errors import InvalidParameterError
    from pacdistill.reductions import register

    good = Guarantee("exact", "junta", "junta", "derived here", time=S.k,
                     size_map={S.d: S.d, S.k: S.k})
    with pytest.raises(InvalidParameterError, match="decorates the algorithm.*Got 5"):
        register(name="x", source="junta", target="junta", guarantee=good, registry={})(5)
    k = sympy.Symbol("k")
    for g in (Guarantee("exact", "junta", "junta", "derived here", time=k,
                        size_map={S.d: S.d, S.k: S.k}),
              Guarantee("exact", "junta", "junta", "derived here", time=S.k,
                        size_map={S.d: S.d, k: S.k})):
        with pytest.raises(InvalidParameterError, match=r"made outside pacdistill.*S\.k"):
            register(name="x", source="junta", target="junta", guarantee=g,
                     registry={})(lambda f, /, **kw: None)
