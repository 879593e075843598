"""Names of per-step symbols (eps_i, delta_i, a step's own size k_i, THEORY §3) as
``at=`` keys and in JSON: only ASCII digits without a leading zero name a step.
``str.isdigit`` also accepts '²' (which ``int`` refuses: a bare ValueError came out
of ``web.routes``) and other scripts' digits ('١', read as k_1 under another name)."""

from __future__ import annotations

import pytest

import pacdistill as pd
from pacdistill.bounds import symbols as S
from pacdistill.bounds._serialize import symbol_from_name
from pacdistill.errors import UnknownNameError


@pytest.mark.parametrize("name", ["k_²", "k_١", "eps_²", "delta_١", "s_٣", "k_１"])
def test_non_ascii_step_indices_name_no_symbol(name):
    assert symbol_from_name(name) is None


@pytest.mark.parametrize("name, want", [("k_2", S.step_option(S.k, 2)),
                                        ("s_17", S.step_option(S.s, 17)),
                                        ("eps_3", S.step_eps(3)),
                                        ("delta_999999", S.step_delta(999_999))])
def test_ascii_step_indices_still_name_their_symbol(name, want):
    assert symbol_from_name(name) == want and symbol_from_name(name).name == name


@pytest.mark.parametrize("name", ["k_²", "k_١"])
def test_web_refuses_a_non_ascii_step_index_by_name(name):
    web = pd.default_web()
    with pytest.raises(UnknownNameError, match="symbol in the 'at' parameter of routes"):
        web.routes("conjunction", "junta", at={"d": 20, "k": 5, name: 2}, limit=3)
