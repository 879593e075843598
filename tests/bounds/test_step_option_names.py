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
    with pytest.raises(UnknownNameError, match="symbol in the 'at' parameter of routes") as err:
        web.routes("conjunction", "junta", at={"d": 20, "k": 5, name: 2}, limit=3)
    # the known names include the per-step ones routes(at=) accepts (as Guarantee.at's)
    assert all(f"{base}_<i>" in str(err.value) for base in ("eps", "delta", "k"))


# --- the safe parser reads per-step names (a composed guarantee's own symbols) ----------


@pytest.mark.parametrize("text, symbols", [
    ("k_2*log(d)", {S.step_option(S.k, 2), S.d}),
    ("log(2/delta_1)/eps_1^2", {S.step_delta(1), S.step_eps(1)}),
    ("r_3 <= d", {S.step_option(S.r, 3), S.d}),
])
def test_parse_reads_per_step_names_as_the_guarantees_symbols(text, symbols):
    assert pd.bounds.parse(text).free_symbols == symbols


def test_a_composed_guarantee_field_round_trips_through_the_parser():
    web = pd.default_web()
    route = next(r for r in web.routes("conjunction", "junta", limit=50)
                 if any(S.is_step_option(x) for x in r.guarantee.samples.free_symbols))
    samples = route.guarantee.samples
    assert pd.bounds.parse(str(samples)) == samples


def test_check_and_limits_take_per_step_names():
    assert pd.bounds.check("log(k_2) = O(k_2) as k_2 -> oo").status == "proved"
    assert pd.bounds.check("k_2*log(d) >= 0").status == "proved"
    refuted = pd.bounds.check("k_2 <= 3")
    assert refuted.status == "refuted" and refuted.counterexample["k_2"] > 3


@pytest.mark.parametrize("name", ["k2", "k_0", "k_02", "tau_2", "eps_1234567"])
def test_parse_refuses_names_that_are_not_step_names(name):
    with pytest.raises(pd.errors.UnsafeExpressionError, match="Per-step names"):
        pd.bounds.parse(f"{name} + 1")
